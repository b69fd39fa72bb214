import ArgumentParser
import Experiments

struct Params: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List every scenario parameter with its type, default, range and meaning.",
        discussion: """
            The same list generates docs/SCENARIOS.md (use --markdown). With --outputs, prints \
            the reference of every output file, column and database table (docs/OUTPUTS.md).

            Examples:
              parecon-sim params
              parecon-sim params --markdown > docs/SCENARIOS.md
              parecon-sim params --outputs > docs/OUTPUTS.md
            """)

    @Flag(help: "Print the Markdown reference (docs/SCENARIOS.md).")
    var markdown = false

    @Flag(help: "Print the output reference instead: files, columns, sweep tables (docs/OUTPUTS.md).")
    var outputs = false

    func run() {
        if outputs { print(OutputReference.markdown(), terminator: ""); return }
        print(markdown ? ScenarioReference.markdown() : ScenarioReference.text(), terminator: "")
    }
}
