import ArgumentParser
import Experiments

struct Params: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List every scenario parameter with its type, default, range and meaning.",
        discussion: """
        The same list generates docs/SCENARIOS.md (use --markdown).

        Examples:
          parecon-sim params
          parecon-sim params --markdown > docs/SCENARIOS.md
        """)

    @Flag(help: "Print the Markdown reference (docs/SCENARIOS.md).")
    var markdown = false

    func run() {
        print(markdown ? ScenarioReference.markdown() : ScenarioReference.text(), terminator: "")
    }
}
