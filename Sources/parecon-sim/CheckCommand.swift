import ArgumentParser
import Experiments

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check scenario files without running them.",
        discussion: """
        Scenario and sweep files (a sweep file has a top-level `sweep:`). Prints "ok" for each \
        valid file, or every problem found, each with file, line, column and \
        key path. Exits non-zero when any file has a problem.

        Examples:
          parecon-sim check Scenarios/baseline.yaml
          parecon-sim check Scenarios/*.yaml
          parecon-sim check my.yaml --set voting.rule=0.7
        """)

    @Argument(help: "Scenario files (YAML).")
    var files: [String]

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a parameter, checked like the file (repeatable).", valueName: "KEY.PATH=VALUE"))
    var overrides: [String] = []

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one scenario file") }
    }

    func run() throws {
        var failed = 0
        for file in files {
            do {
                if let text = try? String(contentsOfFile: file, encoding: .utf8), SweepFile.isSweep(text: text) {
                    let sweep = try SweepFile.load(path: file)
                    print("\(file): ok, sweep of \(sweep.points.count) points × \(sweep.replicates) replicates over \(sweep.parameters.joined(separator: ", ")) (sha256 \(sweep.sha256.prefix(12)))")
                    continue
                }
                let loaded = try ScenarioLoader.load(path: file, overrides: overrides)
                print("\(file): ok (sha256 \(loaded.sha256.prefix(12)))")
            } catch {
                failed += 1
                print(error.description)
            }
        }
        if failed > 0 { throw ExitCode(1) }
    }
}
