import ArgumentParser
import Experiments

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check scenario files without running them.",
        discussion: """
        Prints "ok" for each valid file, or every problem found, each with file, line, column and \
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
