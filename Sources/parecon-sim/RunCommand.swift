import ArgumentParser
import Experiments
import Foundation
import Synchronization
import Reporting
import TransitionModel

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a scenario (replicated) and write its results.",
        discussion: """
            Prints a readable summary and writes into the output folder: series.csv (one row per \
            replicate per month), runs.csv (one row per replicate), summary.json, scenario.yaml \
            (the resolved scenario) and manifest.json (provenance). Same seed ⇒ identical files, \
            whatever --threads.

            Examples:
              parecon-sim run Scenarios/baseline.yaml
              parecon-sim run Scenarios/majority.yaml \\
                  --replicates 50 --seed 7 --out results/majority
              parecon-sim run Scenarios/baseline.yaml \\
                  --set population.persons=5000 \\
                  --set voting.rule=0.6
              for q in 0.5 0.6 0.7; do
                parecon-sim run Scenarios/baseline.yaml \\
                    --set voting.rule=$q --summary-format json \\
                    --quiet
              done
            """)

    @Argument(help: "Scenario file (YAML). Without one, the built-in defaults (the baseline) run.", completion: .yamlFiles)
    var scenario: String?

    @Option(name: .shortAndLong, parsing: .unconditional, help: "Number of replicates.")
    var replicates = 1

    @Option(parsing: .unconditional, help: "Master seed (overrides the scenario's seed).")
    var seed: UInt64?

    @Option(parsing: .unconditional, help: "Threads; results do not depend on it.")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .shortAndLong, help: "Output folder (default: results/NAME-DATE-TIME).")
    var out: String?

    @Flag(help: "Replace results already in the output folder.")
    var force = false

    @Option(
        name: .customLong("set"),
        help: ArgumentHelp("Override a parameter, e.g. --set opinion.beta=1.2 (repeatable).", valueName: "KEY.PATH=VALUE"),
        completion: .parameterKeys)
    var overrides: [String] = []

    @Option(help: "Summary on stdout: text or json.")
    var summaryFormat: SummaryFormat = .text

    @Flag(name: .shortAndLong, help: "No progress messages on stderr.")
    var quiet = false

    enum SummaryFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

    func validate() throws {
        guard replicates >= 1 && replicates <= 1_000_000 else {
            throw ValidationError("--replicates must be between 1 and 1,000,000, got \(replicates)")
        }
        guard threads >= 1 && threads <= 1024 else { throw ValidationError("--threads must be between 1 and 1024, got \(threads)") }
        if let seed, seed > UInt64(Int.max) {
            throw ValidationError("--seed must be between 0 and \(Int.max) (a scenario's seed range), got \(seed)")
        }
        if out?.isEmpty == true { throw ValidationError("--out must name a folder") }
    }

    func run() throws {
        var loaded = try loadScenario(scenario, overrides: overrides)
        if let seed {
            loaded.scenario.seed = seed
            loaded = ScenarioLoader.resolved(loaded.scenario, source: loaded.source)
        }
        let s = loaded.scenario
        let folder = out ?? defaultFolder(for: s.name)
        // Finished replicates are kept in FOLDER/.partial until the results are written, so an
        // interrupted run resumes when the same command is given again.
        let checkpoint = RunCheckpoint(folder: folder, scenarioSHA256: loaded.sha256, masterSeed: s.seed, replicates: replicates)
        var done: [Int: ReplicateResult] = [:]
        var unreadable: [String] = []
        // The folder is this run's until it ends: a second run (or calibration) into it is
        // refused rather than mixing its replicates or results with this one's.
        let claim: FolderLock
        do throws(ResultFolderError) {
            // Earlier results and nothing to resume: refused before the folder is touched.
            if !force && !RunCheckpoint.exists(in: folder), try ResultFolder.holdsVisibleFiles(folder) {
                throw ResultFolderError.exists(folder)
            }
            // --force replaces a run's results, not a calibration (its state would stay beside them).
            // A cluster calibration's tasks write candidates/ before the driver writes any state.
            if force, let part = [Calibration.stateFile, CandidateFiles.folderName].first(where: {
                FileManager.default.fileExists(atPath: folder + "/" + $0)
            }) {
                throw ResultFolderError.malformed(
                    folder, "holds a calibration (\(part)); --force replaces a run's results only: choose another folder")
            }
            claim = try FolderLock.claim(folder, holder: "run")
            if force { RunCheckpoint.discard(in: folder) }
            RunCheckpoint.discardIfUnmarked(in: folder)
            if RunCheckpoint.exists(in: folder) {
                done = try checkpoint.finishedReplicates(unreadable: &unreadable)
            } else {
                try ResultFolder.prepare(folder, force: force)
            }
            try checkpoint.begin()
        } catch { throw UserError(error.description) }
        Interruption.set(
            "every replicate finished so far is kept in \(folder)/.partial; give the same command again (with --out \(folder)) to resume")
        if !unreadable.isEmpty && !quiet {
            FileHandle.standardError.send(
                Data("\(s.name): \(unreadable.count) kept replicate file\(unreadable.count == 1 ? "" : "s") in \(folder)/.partial did not read back whole (\(ResultFolder.someNames(unreadable))); \(unreadable.count == 1 ? "its replicate runs" : "their replicates run") again\n".utf8))
        }
        if !done.isEmpty && !quiet {
            FileHandle.standardError.send(
                Data("\(s.name): resuming an interrupted run, \(done.count) of \(replicates) replicates already done\n".utf8))
        }

        let fit = ReplicateRunner.simultaneous(s)
        if fit < min(threads, replicates - done.count) && !quiet {
            FileHandle.standardError.send(
                Data(
                    "\(s.name): running \(fit) replicate\(fit == 1 ? "" : "s") at a time, not \(min(threads, replicates - done.count)): each needs about \(MemoryEstimate.bytes(scenario: s) / (1 << 20)) MiB and \(MemoryLimit.effective().bytes / (1 << 20)) MiB are allowed (results are the same)\n"
                        .utf8))
        }
        let started = Date()
        // One replicate left (e.g. a national run): progress by month, not by replicate.
        let byMonth = replicates - done.count == 1
        let progress =
            byMonth
            ? Progress(total: s.horizon, quiet: quiet, label: s.name, unit: "months")
            : Progress(total: replicates, quiet: quiet, label: s.name)
        progress.start()
        progress.update(byMonth ? 0 : done.count)
        var monthly: (@Sendable (Int) -> Void)? = nil
        if byMonth { monthly = { m in progress.update(m) } }
        let keepFailure = FirstFailure()
        let results: [ReplicateResult]
        do {
            results = try ReplicateRunner.run(
                s, replicates: replicates, threads: threads, done: done,
                finished: { result in
                    do throws(ResultFolderError) { try checkpoint.keep(result) } catch { keepFailure.note(error.description) }
                },
                progress: { if !byMonth { progress.update($0) } },
                month: monthly)
        } catch {
            throw UserError("the model refused the scenario: \(error)")
        }
        progress.finish()
        if let failure = keepFailure.first, !quiet {
            FileHandle.standardError.send(Data("warning: could not keep finished replicates for resuming (\(failure))\n".utf8))
        }
        let summary = ReplicateSummary(scenario: s, results: results)
        let provenance = Provenance(
            tool: ParEconSim.tool, scenario: loaded, masterSeed: s.seed,
            replicateSeeds: results.map(\.seed), threads: threads, started: started, finished: Date())
        do { try ResultFolder.writeAll(results, provenance: provenance, summaryJSON: summary.json(), to: folder) } catch {
            throw UserError(error.description)
        }
        if let why = RunCheckpoint.discard(in: folder) {
            FileHandle.standardError.send(
                Data("\(s.name): the results are complete, but \(folder)/.partial could not be removed (\(why)); remove it by hand\n".utf8))
        }
        withExtendedLifetime(claim) {}
        switch summaryFormat {
        case .text:
            print(summary.text(), terminator: "")
            print("\nResults in \(folder)/ (series.csv, runs.csv, summary.json, scenario.yaml, manifest.json)")
        case .json:
            print(summary.json(), terminator: "")
        }
    }

    private func defaultFolder(for name: String) -> String {
        let f = DateFormatter()
        f.dateFormat = "yyyyMMdd-HHmmss"
        f.locale = Locale(identifier: "en_US_POSIX")
        return "results/\(name)-\(f.string(from: Date()))"
    }
}

/// Loads a scenario file, or the defaults, turning scenario errors into a readable failure.
///
/// `options` names the command-line option behind an override the command made itself (e.g.
/// `population.persons` for bench's `--persons`), so that a problem with it is reported as that
/// option's, not as a `--set` the user never typed.
func loadScenario(_ path: String?, overrides: [String], options: [String: String] = [:]) throws -> LoadedScenario {
    do {
        if let path { return try ScenarioLoader.load(path: path, overrides: overrides) }
        return try ScenarioLoader.defaults(overrides: overrides)
    } catch {
        let named = ScenarioError(
            error.issues.map { issue in
                guard issue.file.hasSuffix("--set"), let key = issue.keyPath, let option = options[key] else { return issue }
                return ScenarioIssue(file: option, message: issue.message)
            })
        throw UserError("invalid scenario\n" + named.description)
    }
}

/// The first of several errors reported from worker threads (the server's, for `serve`).
final class FirstFailure: Sendable {
    private let message = Mutex<String?>(nil)

    func note(_ text: String) { message.withLock { if $0 == nil { $0 = text } } }

    var first: String? { message.withLock { $0 } }
}
