import ArgumentParser
import Experiments
import Foundation
import Reporting

struct Calibrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fit parameters to observed series by ABC-SMC; write the posterior, predictive checks and a report.",
        discussion: """
            A calibration file (YAML, top-level calibration:) names a base scenario, the parameters \
            to fit with their priors, the observed series (CSV files with date and source columns) \
            with their observation model — model column, scale to national counts, registered vs \
            active, measurement error, bounds — and the sampler's settings. Rows after fit_until are \
            held out of the fit and only predicted. See docs/CALIBRATION.md.

            The sampler is population Monte Carlo ABC: each generation keeps the particles whose \
            distance (root mean square of standardised residuals) is below the previous \
            generation's quantile. Candidates are numbered and seeded by number, so the same file \
            gives the same posterior on any number of threads. OUT is saved after every \
            generation: a stopped calibration (SIGKILL included) resumes with the same command and \
            redoes only the generation in progress; a folder holding another calibration is refused.

            --synthetic replaces the observed values by what the model records at known parameter \
            values (one run plus measurement error): a parameter-recovery check; the report says \
            whether each 90% interval covers the value used.

            On a cluster, --candidates FROM-TO simulates numbered candidates of the next \
            generation (one array task's share) and --from-candidates accepts them in number \
            order, exiting with status 75 while some are missing: the posterior is the local \
            run's. docs/cluster/calibrate-slurm.sh drives the rounds.

            Examples:
              parecon-sim calibrate \\
                  Scenarios/calibrate-argentina.yaml \\
                  --out results/argentina
              parecon-sim calibrate \\
                  Scenarios/calibrate-argentina.yaml --check
              parecon-sim calibrate \\
                  Scenarios/calibrate-argentina.yaml \\
                  --out results/argentina-2004 --fit-until 2004-12
              parecon-sim calibrate \\
                  Scenarios/calibrate-argentina.yaml \\
                  --out /tmp/recovery \\
                  --synthetic crisis.abandon_rate=0.002 \\
                  --synthetic failure.recovery_attempt=0.1 \\
                  --synthetic movement.base=0.3
              docs/cluster/calibrate-slurm.sh \\
                  Scenarios/calibrate-evidence.yaml \\
                  /scratch/me/evidence 16
            """)

    @Argument(help: "Calibration file (YAML with a top-level calibration:).", completion: .yamlFiles)
    var file: String

    @Option(
        name: [.short, .customLong("out")],
        help: ArgumentHelp("Output folder (resumed when it holds the same calibration); not needed with --check.", valueName: "out"))
    var outOption: String?

    /// The output folder; `validate()` has made sure there is one unless `--check` is given.
    var out: String { outOption ?? "" }

    @Option(parsing: .unconditional, help: "Threads (particles simulated in parallel; fewer when the memory allowed holds fewer simulations at once).")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Fit only rows dated up to this month (YYYY-MM) and predict the later ones (replaces the file's fit_until).")
    var fitUntil: String?

    @Option(
        parsing: .singleValue, help: "Fit synthetic data made at KEY=VALUE (give every calibrated parameter) instead of the observations.")
    var synthetic: [String] = []

    @Option(parsing: .unconditional, help: "Seed of the synthetic data's run and measurement error.")
    var syntheticSeed: UInt64 = 1

    @Option(
        help: ArgumentHelp(
            "Run up to N generations instead of the file's sampler.generations: a finished calibration at --out is extended (its generations are kept: each generation's candidates have their own seeds).",
            valueName: "N"))
    var generations: Int?

    @Flag(help: "Only check the calibration file and its data; run nothing, write nothing.")
    var check = false

    @Flag(help: "Discard a calibration at --out and start over.")
    var force = false

    @Option(
        help: ArgumentHelp(
            "Simulate only candidates FROM to TO (numbers, inclusive) of the next generation of the calibration at --out and write their distances to OUT/candidates: one array task of a cluster job (docs/cluster/calibrate-slurm.sh).",
            valueName: "FROM-TO"))
    var candidates: String?

    @Flag(
        help:
            "Take every distance from OUT/candidates (written by --candidates tasks) instead of simulating; when one is missing, save the finished generations, write OUT/candidates/needed (GENERATION FROM COUNT) and exit with status 75."
    )
    var fromCandidates = false

    @Flag(name: .shortAndLong, help: "No progress messages.")
    var quiet = false

    /// Exit status of `--from-candidates` when it waits for candidates (EX_TEMPFAIL).
    static let waitingStatus: Int32 = 75

    /// `--candidates FROM-TO` as numbers.
    var candidateRange: ClosedRange<Int>? {
        guard let candidates else { return nil }
        let parts = candidates.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let a = Int(parts[0]), let b = Int(parts[1]), a >= 0, b >= a, b < 1 << 31 else { return nil }
        return a...b
    }

    func validate() throws {
        guard threads >= 1 && threads <= 1024 else { throw ValidationError("--threads must be between 1 and 1024, got \(threads)") }
        if let generations, !(1...100).contains(generations) {
            throw ValidationError("--generations must be between 1 and 100, got \(generations)")
        }
        if outOption == nil && !check { throw ValidationError("Missing expected argument '--out <out>': the folder to write the calibration to") }
        if let outOption, outOption.isEmpty { throw ValidationError("--out must name a folder") }
        if let fitUntil, !CalibrationFile.isMonth(fitUntil) {
            throw ValidationError("--fit-until expects a month written YYYY-MM, got '\(fitUntil.prefix(40))'")
        }
        for item in synthetic where !item.contains("=") {
            throw ValidationError("--synthetic expects KEY=VALUE, got '\(item)'")
        }
        let keys = synthetic.map { String($0.prefix { $0 != "=" }) }
        if let twice = keys.first(where: { k in keys.filter { $0 == k }.count > 1 }) {
            throw ValidationError("--synthetic gives \(twice) twice; give each calibrated parameter once")
        }
        if let candidates {
            guard candidateRange != nil else {
                throw ValidationError("--candidates expects FROM-TO, two candidate numbers with FROM ≤ TO (e.g. 0-499), got '\(candidates.prefix(40))'")
            }
            guard !fromCandidates && !force && !check else {
                throw ValidationError("--candidates simulates one task's share and writes nothing else: it does not go with --from-candidates, --force or --check")
            }
        }
    }

    func run() throws {
        var loaded: CalibrationFile
        do { loaded = try CalibrationFile.load(path: file, fitUntil: fitUntil) } catch {
            throw UserError("invalid calibration file\n" + error.description)
        }
        if let generations { loaded.settings.generations = generations }
        var calibration = Calibration(file: loaded)
        var truth: [Double]? = nil
        if !synthetic.isEmpty {
            truth = try parseTruth(loaded)
            do { calibration = Calibration(file: try calibration.synthetic(truth: truth!, seed: syntheticSeed)) } catch {
                throw UserError(error.description)
            }
        }
        if let problem = calibration.priorProblem() {
            throw UserError("\(file): the priors cannot work: \(problem)")
        }
        let fitted = loaded.points.filter { !$0.heldOut }.count
        if check {
            print(
                "\(file): valid calibration '\(loaded.name)': \(loaded.parameters.count) parameters, \(loaded.series.count) series, "
                    + "\(fitted) points fitted, \(loaded.points.count - fitted) held out; digest \(loaded.digest.prefix(12))")
            return
        }
        // As many candidates at a time as the memory allows (the posterior is the same on any number).
        let limit = MemoryLimit.effective()
        let threads = min(self.threads, calibration.simultaneous(limit: limit.bytes))
        if threads < self.threads && !quiet {
            FileHandle.standardError.send(
                Data(
                    "calibrate \(loaded.name): simulating \(threads) candidate\(threads == 1 ? "" : "s") at a time, not \(self.threads): \(limit.bytes / (1 << 20)) MiB are allowed (\(limit.source)), which hold no more simulations of the largest site at once (results are the same)\n"
                        .utf8))
        }
        if let range = candidateRange {
            let claim: FolderLock
            do { claim = try Calibration.claim(folder: out, candidateTask: true) } catch { throw UserError(error.description) }
            defer { withExtendedLifetime(claim) {} }
            Interruption.set("this task's candidates file was not written (a task writes it whole at its end); give the same command again to simulate them")
            let batch: Calibration.CandidateBatch
            do { batch = try calibration.simulateCandidates(range, folder: out, threads: threads) } catch { throw UserError(error.description) }
            if !quiet {
                FileHandle.standardError.send(
                    Data(
                        "calibrate \(loaded.name): generation \(batch.generation), candidates \(range.lowerBound)–\(range.upperBound): \(batch.simulated) simulated → \(batch.file)\n"
                            .utf8))
            }
            return
        }
        let settings = loaded.settings
        // The folder first: a refused folder is the whole answer, with no header before it.
        let claim: FolderLock
        do { claim = try Calibration.claim(folder: out) } catch { throw UserError(error.description) }
        defer { withExtendedLifetime(claim) {} }
        if !quiet {
            FileHandle.standardError.send(
                Data(
                    ("calibrate \(loaded.name): \(loaded.parameters.count) parameters, \(fitted) points fitted, "
                        + "\(settings.particles) particles × up to \(settings.generations) generations, \(threads) threads\n").utf8))
        }
        let quiet = self.quiet, terminal = isatty(STDERR_FILENO) != 0
        let state: Calibration.State
        Interruption.set(
            "the finished generations, if any, are saved in \(out)/state.json; give the same command again to resume (the generation in progress is redone)"
        )
        let pending: ABCSMC.Pending?
        do {
            (state, pending) = try calibration.run(
                folder: out, force: force, threads: threads, fromCandidates: fromCandidates,
                progress: { g, accepted, simulations in
                    guard !quiet && terminal else { return }
                    FileHandle.standardError.send(
                        Data("\r  generation \(g): \(accepted)/\(settings.particles) accepted of \(simulations) simulated   ".utf8))
                },
                generationDone: { g in
                    guard !quiet else { return }
                    FileHandle.standardError.send(
                        Data(
                            String(
                                format: "\(terminal ? "\r" : "")  generation %d: ε = %.3g, acceptance %.3f, ESS %.0f, %.1f s      \n",
                                g.index, g.epsilon, g.acceptance, g.effectiveSampleSize, g.seconds
                            ).utf8))
                })
        } catch { throw UserError(error.description) }
        if let pending {
            if terminal && !quiet { FileHandle.standardError.send(Data("\n".utf8)) }
            FileHandle.standardError.send(
                Data(
                    ("calibrate \(loaded.name): \(state.generations.count) generation\(state.generations.count == 1 ? "" : "s") saved; generation \(pending.generation) has \(pending.accepted) of \(settings.particles) particles "
                        + "and waits for candidates from \(pending.candidate) (\(out)/\(CandidateFiles.folderName)/\(CandidateFiles.neededName)); "
                        + "simulate them with --candidates and run this again\n").utf8))
            throw ExitCode(Self.waitingStatus)
        }
        guard let last = state.generations.last else {
            throw UserError("the calibration made no generation (\(state.stop?.rawValue ?? "stopped"))")
        }
        // Generation 0 accepts every candidate; if none came within any finite distance of the
        // data (every simulation failed, or every residual overflowed), its "posterior" would be
        // the prior presented as a fit.
        if let first = state.generations.first, !first.distances.contains(where: \.isFinite) {
            throw UserError(
                "\(file): no candidate of generation 0 came within a finite distance of the data (its simulations failed or its standardised residuals overflowed): nothing was fitted, and no posterior is written")
        }
        let summaries = calibration.summaries(last)
        let predictive: [PredictivePoint]
        do { predictive = try calibration.predictive(last, draws: loaded.predictiveDraws, threads: threads) } catch {
            throw UserError(error.description)
        }
        let report = CalibrationReport(calibration: calibration, state: state, summaries: summaries, predictive: predictive)
        var markdown = report.markdown()
        if let truth {
            markdown +=
                "\n## Parameter recovery\n\nSynthetic data made at known values (seed \(syntheticSeed)).\n\n| parameter | true value | 90% interval | covered |\n|---|---|---|---|\n"
            for (p, t) in zip(summaries, truth) {
                markdown +=
                    "| `\(p.path)` | \(short(t)) | \(short(p.p5)) – \(short(p.p95)) | \(t >= p.p5 && t <= p.p95 ? "yes" : "**no**") |\n"
            }
        }
        do {
            try ResultFolder.write(calibration.posteriorCSV(last), to: out, name: "posterior.csv")
            for site in loaded.sites.indices {
                try ResultFolder.write(
                    calibration.posteriorSampleCSV(last, count: settings.particles, site: site), to: out,
                    name: calibration.siteFileName("posterior-sample", "csv", site: site))
                try ResultFolder.write(
                    calibration.posteriorSweepYAML(samples: settings.particles, site: site), to: out,
                    name: calibration.siteFileName("posterior-sweep", "yaml", site: site))
                try ResultFolder.write(
                    try calibration.calibratedYAML(summaries, site: site), to: out, name: calibration.siteFileName("calibrated", "yaml", site: site))
            }
            try ResultFolder.write(calibration.predictiveCSV(predictive), to: out, name: "predictive.csv")
            try ResultFolder.write(calibration.diagnosticsCSV(state.generations), to: out, name: "diagnostics.csv")
            for chart in report.charts() { try ResultFolder.write(chart.svg, to: out, name: chart.name) }
            try ResultFolder.write(markdown, to: out, name: "report.md")
            try ResultFolder.write(
                try manifest(calibration.file, observed: loaded, state: state, summaries: summaries, truth: truth), to: out, name: "calibration.json")
        } catch { throw UserError(String(describing: error)) }
        print(summaryText(report, state: state))
    }

    func parseTruth(_ file: CalibrationFile) throws -> [Double] {
        var values: [String: Double] = [:]
        for item in synthetic {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let x = Double(parts[1]), x.isFinite else {
                throw ValidationError("--synthetic \(item): expected KEY=NUMBER")
            }
            guard let p = file.parameters.first(where: { $0.path == parts[0] }) else {
                throw ValidationError(
                    "--synthetic \(parts[0]): not a calibrated parameter of \(self.file) (calibrated: \(file.parameters.map(\.path).joined(separator: ", ")))"
                )
            }
            guard x >= p.prior.from && x <= p.prior.to else {
                throw ValidationError("--synthetic \(item): outside its prior [\(short(p.prior.from)), \(short(p.prior.to))]")
            }
            values[parts[0]] = x
        }
        let missing = file.parameters.map(\.path).filter { values[$0] == nil }
        guard missing.isEmpty else {
            throw ValidationError("--synthetic needs a value for every calibrated parameter; missing: \(missing.joined(separator: ", "))")
        }
        return file.parameters.map { values[$0.path]! }
    }

    /// calibration.json: `digest` is the one state.json carries (with --synthetic, of the file
    /// and the synthetic data it fits), so a folder's two records agree; `observed_digest` is the
    /// file and its real data.
    func manifest(
        _ file: CalibrationFile, observed: CalibrationFile, state: Calibration.State, summaries: [PosteriorSummary], truth: [Double]?
    ) throws -> String {
        // JSON has no infinity: an ε that never became finite (generation 0 alone, or a budget
        // spent before the first tolerance) is written as null, and so is any other such number.
        func number(_ x: Double) -> Any { x.isFinite ? x : NSNull() }
        var object: [String: Any] = [
            "tool": ParEconSim.tool.label, "calibration_file": file.path, "digest": file.digest, "observed_digest": observed.digest,
            "generations": state.generations.count, "stop": state.stop?.rawValue ?? "",
            "epsilon": number(state.generations.last?.epsilon ?? 0),
            "particles": file.settings.particles, "seed": file.settings.seed, "threads": threads,
            "kernel": file.settings.kernel.rawValue, "covariance": file.settings.covariance.rawValue,
            "posterior": Dictionary(
                uniqueKeysWithValues: summaries.map {
                    ($0.path, ["p5": number($0.p5), "median": number($0.median), "p95": number($0.p95), "width_share": number($0.widthShare)])
                }),
        ]
        if let truth {
            object["synthetic_truth"] = Dictionary(uniqueKeysWithValues: zip(file.parameters.map(\.path), truth));
            object["synthetic_seed"] = syntheticSeed
        }
        guard JSONSerialization.isValidJSONObject(object) else {
            throw UserError("calibration.json: the summary holds a number JSON cannot represent (this is a bug: please report it)")
        }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    func summaryText(_ report: CalibrationReport, state: Calibration.State) -> String {
        var s =
            "Calibration \(report.calibration.file.name): \(state.generations.count) generations (\(state.stop?.rawValue ?? "")), "
            + String(format: "ε = %.3g\n", state.generations.last!.epsilon)
        let width = report.summaries.map(\.path.count).max() ?? 10
        for p in report.summaries {
            s +=
                "  " + p.path.padding(toLength: width, withPad: " ", startingAt: 0)
                + String(format: "  median %.3g  90%% %.3g–%.3g", p.median, p.p5, p.p95)
                + (p.widthShare > 0.8 ? "  (barely narrower than the prior)" : "") + "\n"
        }
        for (held, word) in [(false, "fitted"), (true, "held-out")] {
            if let c = report.coverage(heldOut: held) { s += "  \(word) points inside the 90% predictive band: \(c.inside) of \(c.of)\n" }
        }
        s += "Report: \(out)/report.md"
        return s
    }
}
