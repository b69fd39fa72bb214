import ArgumentParser
import Experiments
import Foundation
import Reporting

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare transition paths: result folders, or scenario files (run here on common seeds).",
        discussion: """
            Prints, for every path: final adoption, time to 50% BJC as survival (Kaplan–Meier \
            median with its 95% interval, runs that never got there censored at the horizon, and \
            the probability of having got there by year 10), the opposition measure (persons who \
            had an institution adopted over them while leaning against it, u < 0, per 1,000: the \
            same measure for every rule and path), owners expropriated (per 1,000, the count \
            beside it) and exits kept apart, whether the path is coercion-free at u < 0, and the \
            Pareto front of adoption against opposition; each path's population is shown, and \
            said when they differ. Then opposition at every strength level, the probability of 50% \
            BJC by each year, and differences between paths: paired where both ran on the same \
            seeds and population, otherwise unpaired (Welch), as the table says.

            Scenario files all run with the master seed --seed, so replicate r of every path uses \
            the same random streams (common random numbers) and the paired differences are tight \
            (with the same population). \
            With --out, each path's runs are also kept as a result folder, OUT/paths/NAME, the same \
            as `parecon-sim run` writes (series.csv, runs.csv, summary.json, manifest.json, \
            scenario.yaml): `parecon-sim report OUT/paths/NAME` draws its curves.

            With --uncertainty SWEEP.yaml, each path runs in the economy of the sweep file's \
            `base:` (e.g. a calibrated economy) with the settings written in the path file itself \
            over it (its voting rule, whether it transforms existing workplaces, its transfers; \
            not the files it extends), at every point of the design, with --replicates replicates: \
            a posterior draw is used whole. The report gives, for every pair of paths, the \
            probability over the draws that one adopts more, adopts over fewer who lean against \
            (also per 1,000 under an adopted institution), and reaches 50% BJC sooner, and names \
            every key of the design that changes nothing in a path.

            Examples:
              parecon-sim compare Scenarios/consensus-only.yaml \\
                  Scenarios/supermajority.yaml \\
                  Scenarios/majority.yaml Scenarios/state-led.yaml \\
                  --out results/compare
              parecon-sim compare Scenarios/consensus-only.yaml \\
                  Scenarios/supermajority.yaml --set horizon=480 \\
                  --out results/compare-480
              parecon-sim compare Scenarios/consensus-only.yaml \\
                  Scenarios/supermajority.yaml \\
                  Scenarios/majority.yaml \\
                  -r 3 --out results/uncertain --uncertainty \\
                  Scenarios/sweep-uncertainty-25.yaml
              parecon-sim compare Scenarios/consensus-only.yaml \\
                  Scenarios/majority.yaml -r 1 \\
                  --uncertainty \\
                  Scenarios/sweep-evidence-argentina.yaml
              parecon-sim compare results/baseline results/majority
            """)

    @Argument(help: "Result folders or scenario files (YAML).", completion: .yamlFiles)
    var inputs: [String]

    @Option(name: .shortAndLong, parsing: .unconditional, help: "Replicates per scenario file (per draw with --uncertainty).")
    var replicates = 10

    @Option(parsing: .unconditional, help: "Master seed for every scenario file (common random numbers across paths).")
    var seed: UInt64 = 1

    @Option(
        name: .customLong("set"),
        help: ArgumentHelp("Override a parameter of every scenario file (repeatable).", valueName: "KEY.PATH=VALUE"),
        completion: .parameterKeys)
    var overrides: [String] = []

    @Option(
        help: ArgumentHelp(
            "A sweep file whose design's points are parameter draws; every path runs at every draw.", valueName: "SWEEP.yaml"))
    var uncertainty: String?

    @Option(
        help: ArgumentHelp(
            "What the chart's coercion axis and the Pareto front count: change (persons adopted over while leaning against), status-quo (jobs lost to failures and persons with no say), or both added up.",
            valueName: "change|status-quo|both"))
    var coercionAxis: Comparison.CoercionAxis = .change

    @Option(parsing: .unconditional, help: "Threads.")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .shortAndLong, help: "Folder for comparison.md, its charts and tables, and each path's result folder in paths/.")
    var out: String?

    @Flag(help: "Replace an existing comparison in --out.")
    var force = false

    @Flag(name: .shortAndLong, help: "No progress messages.")
    var quiet = false

    func validate() throws {
        guard inputs.count >= 2 else { throw ValidationError("give at least two result folders or scenario files") }
        for input in inputs where input.hasSuffix(".sqlite") || input.hasSuffix(".db") {
            throw ValidationError(
                "\(input) is a sweep database: compare takes result folders or scenario files (`parecon-sim report \(input)` sets a sweep's points side by side)"
            )
        }
        guard replicates >= 1 && replicates <= 1_000_000 else {
            throw ValidationError("--replicates must be between 1 and 1,000,000, got \(replicates)")
        }
        guard threads >= 1 && threads <= 1024 else { throw ValidationError("--threads must be between 1 and 1024, got \(threads)") }
        guard seed <= UInt64(Int.max) else { throw ValidationError("--seed must be between 0 and \(Int.max), got \(seed)") }
        if out?.isEmpty == true { throw ValidationError("--out must name a folder") }
        if uncertainty != nil, let folder = inputs.first(where: isFolder) {
            throw ValidationError("--uncertainty runs scenario files; '\(folder)' is a result folder")
        }
    }

    /// The design's keys that changed nothing in a path, said path by path (a key dead for a
    /// path would otherwise be silently dropped from its uncertainty).
    static func inertKeysText(_ runs: PathUncertainty) -> String {
        var out = ""
        let overridden = zip(runs.pathNames, runs.overriddenLevers).filter { !$0.1.isEmpty }
        if !overridden.isEmpty {
            out += "\n**Path levers the draws override** (the path file sets them, and so does every draw: the path does not run as written):\n\n"
            out += overridden.map { name, keys in "- \(name): " + keys.map { "`\($0)`" }.joined(separator: ", ") }.joined(separator: "\n") + "\n"
        }
        return out + inertKeysList(runs)
    }

    static func inertKeysList(_ runs: PathUncertainty) -> String {
        let lines = zip(runs.pathNames, runs.inertKeys).filter { !$0.1.isEmpty }.map { name, keys in
            "- \(name): " + keys.map { "`\($0)`" }.joined(separator: ", ")
        }
        guard !lines.isEmpty else { return "\nEvery key of the design changes every path's runs.\n" }
        return "\n**Keys of the design that change nothing in a path** (its runs at the key's lowest and highest drawn value, "
            + "all else as at the first draw, are identical month by month, so these keys add no uncertainty there):\n\n"
            + lines.joined(separator: "\n") + "\n"
    }

    /// A path as the user would type it: relative to the working folder where it lies inside it.
    static func displayPath(_ path: String) -> String {
        let here = FileManager.default.currentDirectoryPath + "/"
        let full = URL(fileURLWithPath: path).standardizedFileURL.path
        return full.hasPrefix(here) ? String(full.dropFirst(here.count)) : path
    }

    func isFolder(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    func run() throws {
        // The design is read before anything runs: a missing or invalid file must not cost the paths' runs.
        var design: SweepFile?
        if let uncertainty {
            do { design = try SweepFile.load(path: uncertainty) } catch {
                throw UserError("invalid uncertainty design\n" + error.description)
            }
        }
        // OUT, and each path's folder in it, is this comparison's while it runs: another command
        // writing into one of them (a run into OUT/paths/NAME, say) is not overwritten or removed.
        var claims: [FolderLock] = []
        defer { withExtendedLifetime(claims) {} }
        if let out {
            do throws(ResultFolderError) {
                try ResultFolder.prepare(out, force: force)
                claims.append(try FolderLock.claim(out, holder: "comparison"))
                // --force: result folders of paths from an earlier comparison must not linger
                // beside the new ones; each is claimed first, so one in use stops the comparison.
                if force {
                    let old = ((try? FileManager.default.contentsOfDirectory(atPath: out + "/paths")) ?? []).sorted()
                    for name in old {
                        var isFolder: ObjCBool = false
                        let folder = out + "/paths/" + name
                        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else { continue }
                        claims.append(try FolderLock(folder: folder, holder: "comparison"))
                    }
                    try? FileManager.default.removeItem(atPath: out + "/paths")
                }
            } catch { throw UserError(error.description) }
        }
        var paths: [Comparison.Path] = []
        var pathFolders: [String] = []
        for input in inputs {
            if isFolder(input) {
                do {
                    let r = try ResultSet.read(input)
                    paths.append(Comparison.Path(name: r.scenarioName, runs: r.runs))
                } catch { throw UserError(error.description) }
            } else {
                var loaded = try loadScenario(input, overrides: overrides)
                loaded.scenario.seed = seed
                loaded = ScenarioLoader.resolved(loaded.scenario, source: loaded.source)
                let started = Date()
                let progress = Progress(total: replicates, quiet: quiet, label: "compare: \(loaded.scenario.name) (seed \(seed))")
                progress.start()
                defer { progress.finish() }
                do {
                    let results = try ReplicateRunner.run(
                        loaded.scenario, replicates: replicates, threads: threads, keepSeries: out != nil,
                        progress: { progress.update($0) })
                    paths.append(Comparison.Path(name: loaded.scenario.name, runs: results.map(RunRow.init)))
                    if let out {
                        let folder = Self.pathFolder(in: out, name: loaded.scenario.name, taken: pathFolders)
                        let provenance = Provenance(
                            tool: ParEconSim.tool, scenario: loaded, masterSeed: seed,
                            replicateSeeds: results.map(\.seed), threads: threads, started: started, finished: Date())
                        let summary = ReplicateSummary(scenario: loaded.scenario, results: results)
                        do {
                            claims.append(try FolderLock.claim(folder, holder: "comparison"))
                            try ResultFolder.writeAll(results, provenance: provenance, summaryJSON: summary.json(), to: folder)
                        } catch { throw UserError(error.description) }
                        pathFolders.append(folder)
                    }
                } catch let error as UserError {
                    throw error
                } catch { throw UserError("the model refused \(input): \(error)") }
            }
        }
        // Two inputs may name their scenario alike: the table tells them apart by their input.
        let names = paths.map(\.name)
        for k in paths.indices where names.filter({ $0 == names[k] }).count > 1 {
            paths[k].name = "\(names[k]) (\(Self.displayPath(inputs[k])))"
        }
        var comparison = Comparison(paths: paths)
        comparison.axis = coercionAxis
        let report = Self.markdown(comparison, seed: inputs.contains(where: isFolder) ? nil : seed)
        print(report, terminator: "")
        var uncertainMarkdown: String?
        var drawsCSV = ""
        if let uncertainty, let design {
            let total = PathUncertainty.runCount(paths: inputs.count, design: design, replicates: replicates)
            let probes = total - inputs.count * design.points.count * replicates
            let progress = Progress(
                total: total, quiet: quiet,
                label: "compare: \(inputs.count) paths × \(design.points.count) draws × \(replicates) replicates"
                    + (probes > 0 ? " + \(probes) probe runs (which keys change each path)" : ""), unit: "runs")
            progress.start()
            let runs: PathUncertainty
            do {
                runs = try PathUncertainty.run(
                    paths: inputs, overrides: overrides, design: design, replicates: replicates,
                    threads: threads, progress: { done, _ in progress.update(done) })
            } catch { throw UserError(error.description) }
            progress.finish()
            let u = UncertainComparison(runs)
            let text =
                "\n## Over parameter uncertainty (\(design.points.count) draws of `\(uncertainty)`, \(replicates) replicates each)\n\n"
                + "Every path runs in the economy of `\(Self.displayPath(runs.economy))` with the path file's own settings over it, "
                + "then each draw's values.\n\n"
                + u.pathTable() + "\n" + u.pairTable()
                + "\nP(…): share of draws in which A's mean over its replicates beats B's (ties count half); "
                + "Δ: A − B at the same draw, median [5–95%] over draws. Faster: smaller restricted mean time to 50% BJC "
                + "(Kaplan–Meier up to the horizon). Every path runs on the same seeds at a draw.\n"
                + Self.inertKeysText(runs)
            print(text, terminator: "")
            uncertainMarkdown = text
            drawsCSV = u.drawsCSV()
        }
        if let out {
            do {
                let markdown =
                    "# Comparison of transition paths\n\n" + report
                    + "\n![adoption against opposition](comparison.svg)\n\n![how fast](speed.svg)\n\n![the ledger's parts](ledger.svg)\n\n![opposition by strength](opposition.svg)\n"
                let charts = [
                    ("comparison.svg", comparison.chart()), ("speed.svg", comparison.speedChart()),
                    ("ledger.svg", comparison.ledgerChart()), ("opposition.svg", comparison.oppositionChart()),
                ]
                try ResultFolder.write(markdown, to: out, name: "comparison.md")
                try ResultFolder.write(
                    HTMLPage.render(title: "Comparison of transition paths", markdown: markdown, charts: charts.map(\.1)),
                    to: out, name: "comparison.html")
                for (name, svg) in charts { try ResultFolder.write(svg, to: out, name: name) }
                try ResultFolder.write(comparison.pathsCSV(), to: out, name: "paths.csv")
                try ResultFolder.write(comparison.runsCSV(), to: out, name: "runs.csv")
                try ResultFolder.write(
                    comparison.json(seed: inputs.contains(where: isFolder) ? nil : seed), to: out, name: "comparison.json")
                if let uncertainMarkdown {
                    try ResultFolder.write(
                        "# Transition paths over parameter uncertainty\n" + uncertainMarkdown, to: out, name: "uncertainty.md")
                    try ResultFolder.write(drawsCSV, to: out, name: "draws.csv")
                }
            } catch { throw UserError(error.description) }
            print(
                "\nWrote \(out)/comparison.md, comparison.html, comparison.json, paths.csv, runs.csv, comparison.svg, speed.svg, ledger.svg, opposition.svg"
                    + (uncertainMarkdown == nil ? "" : ", uncertainty.md, draws.csv"))
            if !pathFolders.isEmpty {
                print(
                    "Each path's runs: " + pathFolders.map { String($0.dropFirst(out.count + 1)) }.joined(separator: ", ")
                        + " (parecon-sim report \(pathFolders[0]) draws its curves)")
            }
        }
    }

    /// OUT/paths/NAME for a path's result folder; a name met before gets -2, -3, … (two files
    /// may name their scenario alike).
    static func pathFolder(in out: String, name: String, taken: [String]) -> String {
        let safe = String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "-" })
        let stem = "\(out)/paths/" + (safe.isEmpty || safe.hasPrefix(".") ? "path" + safe : safe)
        var folder = stem, n = 1
        while taken.contains(folder) { n += 1; folder = "\(stem)-\(n)" }
        return folder
    }

    /// The printed report: every table of the comparison, with what its figures mean.
    static func markdown(_ c: Comparison, seed: UInt64?) -> String {
        var s = ""
        if let sizes = c.populationsDiffer {
            s += "**The paths' populations differ** ("
            s += zip(c.paths, sizes).map { "\($0.name): " + ($1.map { Comparison.groupedThousands($0) + " persons" } ?? "not known") }
                .joined(separator: ", ")
            s += "): compare shares and rates per 1,000, not counts (owners expropriated, exits); differences are unpaired.\n\n"
        }
        s += c.table()
        s += "\nboth adopted: final workforce share with both institutions, mean [5–95%] across runs. "
        s +=
            "BJC 50%: Kaplan–Meier median years to half the workforce [95% interval]; runs that never got there are censored at the horizon. "
        s += "Opposed adopted over: distinct persons who had an institution adopted over them while leaning against it (u < 0), "
        s +=
            "per 1,000 persons — the same measure under every rule and route (votes, stand-aside, concessions, co-management, transfers, recoveries). "
        s += "Per 1,000 under adopted: the same persons per 1,000 who ended under BJC or equitable pay (mean opposition over the mean share "
        s += "under either, the workforce counted as everyone), so a path that adopts twice as widely over as many opponents scores half. "
        s += "Coercion-free: in every run nobody with u < 0 was adopted over and no owner was expropriated; the share under BJC or pay "
        s += "stands beside it, as a path that changes nothing is coercion-free by definition.\n"
        s += "\n### Both sides: the coercion of change and of the status quo\n\n" + c.bothSidesTable()
        s += "\nChange: persons adopted over while leaning against (u < 0) and owners expropriated. Status quo, kept under every path "
        s +=
            "by the same rules: jobs lost when a workplace failed (market churn, abandoned firms not recovered, failed adopted or new firms), "
        s +=
            "and persons who support an institution their workplace lacks with no vote that can grant it (no workers' council, a refused decision, "
        s += "or a path without votes), mean per month. The Pareto front uses \(c.axis.rawValue) (--coercion-axis).\n"
        let incomes = c.incomeTable()
        if !incomes.isEmpty {
            s += "\n### Incomes: does the equity reached last?\n\n" + incomes
            s += "\nMeans over runs. Gini of all active persons' incomes (after the gradual path's levers where a path has them); "
            s += "pay ratio: mean coordinator over mean worker income; poorest 10%: their share of all income; "
            s += "equitable pay: the highest workforce share under it and the share at the end (retained: end over peak, per run).\n"
        }
        s += "\n### Persons adopted over per 1,000, by strength of opposition\n\n" + c.oppositionTable()
        s += "\n### Probability of having reached 50% BJC by year (Kaplan–Meier)\n\n" + c.reachedTable()
        s += "\n### Differences\n\n" + c.differencesTable()
        s += "\nPaired: replicate r of both paths ran on the same seed and population"
        s += seed.map { " (master seed \($0))" } ?? ""
        s += ", so they share random numbers; mean of the differences, 95% t interval. Unpaired: Welch's 95% interval "
        s += "on the difference of the means (wider), where the populations, run counts or seeds differ.\n"
        return s
    }
}

extension Comparison.CoercionAxis: ExpressibleByArgument {}
