import ArgumentParser
import Experiments
import Foundation
import Reporting

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare transition paths: result folders, or scenario files (run here).",
        discussion: """
        Prints a side-by-side table (final adoption, time to 50%, coercion per 1,000 persons, \
        owners expropriated, coercion-free, Pareto front of adoption against coercion) and, with \
        --out, writes comparison.md and comparison.svg (adoption against coercion; the Pareto \
        front ringed, coercion-free paths filled).

        Examples:
          parecon-sim compare Scenarios/consensus-only.yaml Scenarios/supermajority.yaml \\
              Scenarios/prefigurative.yaml Scenarios/state-led.yaml --out results/compare
          parecon-sim compare results/baseline results/majority
        """)

    @Argument(help: "Result folders or scenario files (YAML).")
    var inputs: [String]

    @Option(name: .shortAndLong, help: "Replicates per scenario file.")
    var replicates = 10

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a parameter of every scenario file (repeatable).", valueName: "KEY.PATH=VALUE"))
    var overrides: [String] = []

    @Option(help: "Threads.")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .shortAndLong, help: "Folder for comparison.md and comparison.svg.")
    var out: String?

    @Flag(help: "Replace an existing comparison in --out.")
    var force = false

    func validate() throws {
        guard inputs.count >= 2 else { throw ValidationError("give at least two result folders or scenario files") }
        guard replicates >= 1 else { throw ValidationError("--replicates must be at least 1") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        var paths: [Comparison.Path] = []
        for input in inputs {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory), isDirectory.boolValue {
                do {
                    let r = try ResultSet.read(input)
                    paths.append(Comparison.Path(name: r.scenarioName, runs: r.runs))
                } catch { throw UserError(error.description) }
            } else {
                let loaded = try loadScenario(input, overrides: overrides)
                FileHandle.standardError.write(Data("compare: running \(loaded.scenario.name) (\(replicates) replicates)\n".utf8))
                do {
                    let results = try ReplicateRunner.run(loaded.scenario, replicates: replicates, threads: threads, keepSeries: false)
                    paths.append(Comparison.Path(name: loaded.scenario.name, runs: results.map { RunRow($0.summary) }))
                } catch { throw UserError("the model refused \(input): \(error)") }
            }
        }
        let comparison = Comparison(paths: paths)
        let table = comparison.table()
        print(table, terminator: "")
        if let out {
            do {
                try ResultFolder.prepare(out, force: force)
                try ResultFolder.write("# Comparison of transition paths\n\n" + table
                                       + "\nCoercion = distinct persons overruled + owners expropriated, per 1,000 persons; "
                                       + "mean [5–95%] across runs. A path is coercion-free when every run ended with "
                                       + "nobody overruled and no owner expropriated.\n\n![adoption against coercion](comparison.svg)\n",
                                       to: out, name: "comparison.md")
                try ResultFolder.write(comparison.chart(), to: out, name: "comparison.svg")
            } catch { throw UserError(error.description) }
            print("\nWrote \(out)/comparison.md and comparison.svg")
        }
    }
}
