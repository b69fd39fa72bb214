import ArgumentParser
import Experiments
import Foundation

struct Sweep: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a parameter sweep (resumable, shardable) into a folder.",
        discussion: """
        Each finished point is written to OUT/points/ at once (temporary file, then rename), so \
        a sweep killed at any moment is finished by running the same command again: no run is \
        lost and none is done twice. A folder started with another sweep file is refused. A \
        point the model rejects is recorded as failed and the sweep goes on. At the end \
        OUT/points.csv lists the points and OUT/runs.csv holds one row per run.

        Examples:
          parecon-sim sweep Scenarios/sweep-blocking-level.yaml --out results/blocking
          parecon-sim sweep Scenarios/sweep-pressure-threshold.yaml --out results/pt --shard 1/3
        """)

    @Argument(help: "Sweep file (YAML with a top-level sweep:).")
    var file: String

    @Option(name: .shortAndLong, help: "Output folder (resumed when it holds the same sweep).")
    var out: String

    @Option(help: "Run only shard i of n (points with index ≡ i − 1 mod n), e.g. 2/4.")
    var shard = "1/1"

    @Option(help: "Threads (replicates of a point run in parallel).")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Also keep each run's monthly series every K months (series.csv); 0: none.")
    var every = 0

    @Flag(help: "Discard an existing sweep in --out and start over.")
    var force = false

    @Flag(name: .shortAndLong, help: "No progress messages.")
    var quiet = false

    func parsedShard() -> (Int, Int)? {
        let parts = shard.split(separator: "/")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, i >= 1, i <= n else { return nil }
        return (i, n)
    }

    func validate() throws {
        guard parsedShard() != nil else { throw ValidationError("--shard must be i/n with 1 ≤ i ≤ n, got '\(shard)'") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        guard every >= 0 else { throw ValidationError("--every must be 0 (no series) or a number of months") }
    }

    func run() throws {
        let sweep: SweepFile
        do { sweep = try SweepFile.load(path: file) } catch { throw UserError("invalid sweep file\n" + error.description) }
        let (i, n) = parsedShard()!
        do {
            try SweepRunner.prepare(sweep, folder: out, force: force, toolVersion: ParEconSim.version, every: every)
            let quiet = self.quiet
            let outcome = try SweepRunner.run(sweep, folder: out, shard: (i, n), threads: threads, every: every) { done, total in
                if !quiet { FileHandle.standardError.write(Data("sweep: point \(done)/\(total)\n".utf8)) }
            }
            let missing = try SweepRunner.combine(sweep, folder: out)
            let perMinute = outcome.seconds > 0 ? Double(outcome.runs) / outcome.seconds * 60 : 0
            print("Sweep \(sweep.sha256.prefix(12)): \(outcome.pointsRun) points run, \(outcome.pointsSkipped) already done, \(outcome.pointsFailed) failed; "
                  + String(format: "%d runs in %.1f s (%.0f runs/min)", outcome.runs, outcome.seconds, perMinute))
            print(missing == 0 ? "Complete: \(out)/runs.csv and points.csv" : "\(missing) of \(sweep.points.count) points not yet run (other shards, or run again to resume)")
        } catch { throw UserError(error.description) }
    }
}
