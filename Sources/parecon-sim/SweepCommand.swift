import ArgumentParser
import Experiments
import Foundation

struct Sweep: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a parameter sweep (resumable, shardable) into a SQLite database.",
        discussion: """
            Every run (point × replicate) is spread over the threads; each point is recorded in \
            OUT, whole, within 0.2 s of its last run's end, so a sweep killed at any moment \
            (SIGKILL included) is finished by running the same command again: no run is lost and \
            none is done twice. A database started with another sweep file is refused. A run the \
            model rejects is recorded as failed, with its error, and the sweep goes on.

            OUT is a SQLite file (tables sweep, points, runs, timings, series); query it with any \
            SQLite client, or write tidy CSV files with `parecon-sim export`.

            Examples:
              parecon-sim sweep \\
                  Scenarios/sweep-blocking-level.yaml \\
                  --out blocking.sqlite
              parecon-sim sweep Scenarios/sweep-paths.yaml \\
                  --out paths.sqlite --every 12
              parecon-sim sweep Scenarios/sweep-sobol-levers.yaml \\
                  --out sobol.sqlite
              parecon-sim sweep \\
                  Scenarios/sweep-lhs-sensitivity.yaml \\
                  --out lhs-2.sqlite --shard 2/4
              parecon-sim sweep \\
                  Scenarios/sweep-blocking-level.yaml \\
                  --out quick.sqlite --set population.persons=5000 \\
                  --replicates 3

            --set changes the base scenario (not a parameter the design varies) and --replicates \
            the file's replicate count; both are part of the sweep's identity, so resuming needs \
            the same options.
            """)

    @Argument(help: "Sweep file (YAML with a top-level sweep:).", completion: .yamlFiles)
    var file: String

    @Option(name: .shortAndLong, help: "Sweep database (.sqlite or .db), resumed when it holds the same sweep.")
    var out: String

    @Option(
        name: .customLong("set"),
        help: ArgumentHelp("Override a parameter of the base scenario (repeatable).", valueName: "KEY.PATH=VALUE"),
        completion: .parameterKeys)
    var overrides: [String] = []

    @Option(parsing: .unconditional, help: "Replicates per point (default: the sweep file's).")
    var replicates: Int?

    @Option(help: "Run only shard i of n (points with index ≡ i − 1 mod n), e.g. 2/4.")
    var shard = "1/1"

    @Option(parsing: .unconditional, help: "Threads (runs of all points in parallel).")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    @Option(parsing: .unconditional, help: "Also keep each run's monthly series every K months (table series); 0: none.")
    var every = 0

    @Flag(help: "Discard an existing database at --out and start over.")
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
        if let replicates, replicates < 1 { throw ValidationError("--replicates must be at least 1, got \(replicates)") }
        guard every >= 0 else { throw ValidationError("--every must be 0 (no series) or a number of months") }
        guard out.hasSuffix(".sqlite") || out.hasSuffix(".db") else {
            throw ValidationError(
                "--out names the sweep database and must end in .sqlite or .db (e.g. results/blocking.sqlite), got '\(out)'")
        }
    }

    func run() throws {
        let sweep: SweepFile
        do { sweep = try SweepFile.load(path: file, baseOverrides: overrides, replicates: replicates) } catch {
            throw UserError("invalid sweep file\n" + error.description)
        }
        let (i, n) = parsedShard()!
        do {
            let database = try SweepDatabase.open(for: sweep, at: out, every: every, tool: ParEconSim.tool, force: force)
            Interruption.set(
                "every point recorded so far is in \(out) (whole points only); give the same command again to finish the sweep")
            defer { database.close() }
            let progress = Progress(total: SweepRunner.points(of: sweep, shard: (i, n)).count, quiet: quiet, label: "sweep", unit: "points")
            progress.start()
            let outcome = try SweepRunner.run(sweep, into: database, shard: (i, n), threads: threads, every: every) { done, _ in
                progress.update(done)
            }
            progress.finish()
            let provenance = try database.provenance()
            let elsewhere =
                outcome.pointsElsewhere == 0 ? "" : "\(outcome.pointsElsewhere) points left to another process running this sweep; "
            let failures =
                outcome.runsFailed == 0
                ? "no run failed"
                : "\(outcome.runsFailed) runs of \(outcome.pointsFailed) points failed (status 'failed' in table runs)"
            print(
                "Sweep \(sweep.sha256.prefix(12)): \(outcome.pointsRun) points run, \(outcome.pointsSkipped) already recorded; "
                    + String(format: "%d runs in %.1f s (%.0f runs/min); ", outcome.runs, outcome.seconds, outcome.runsPerMinute)
                    + elsewhere + failures)
            if provenance.isComplete {
                print(
                    "Complete: \(out) (\(provenance.runsRecorded) runs, \(provenance.runsFailed) failed). Tidy CSV: parecon-sim export \(out) --to DIR"
                )
            } else {
                print(
                    "\(provenance.points - provenance.pointsRecorded) of \(provenance.points) points not yet in \(out) "
                        + (n > 1 && outcome.pointsElsewhere == 0
                            ? "(this shard is done: run the other shards and merge them)"
                            : "(other shards: merge them; or run again to resume)")
                )
            }
        } catch { throw UserError(error.description) }
    }
}
