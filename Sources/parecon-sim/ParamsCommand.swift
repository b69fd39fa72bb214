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
              parecon-sim params council
              parecon-sim params voting.
              parecon-sim params --markdown > docs/SCENARIOS.md
              parecon-sim params --outputs > docs/OUTPUTS.md
            """)

    @Argument(help: ArgumentHelp("Show only parameters whose key or meaning contains this text (any case).", valueName: "FILTER"))
    var filter: String?

    @Flag(help: "Print the Markdown reference (docs/SCENARIOS.md).")
    var markdown = false

    @Flag(help: "Print the output reference instead: files, columns, sweep tables (docs/OUTPUTS.md).")
    var outputs = false

    func validate() throws {
        if filter != nil && (markdown || outputs) {
            throw ValidationError("FILTER selects parameters of the plain list; --markdown and --outputs print whole references")
        }
    }

    func run() throws {
        if outputs { print(OutputReference.markdown(), terminator: ""); return }
        if markdown { print(ScenarioReference.markdown(), terminator: ""); return }
        guard !ScenarioReference.parameters(matching: filter).isEmpty else {
            throw UserError("no parameter's key or meaning contains '\(filter ?? "")' (`parecon-sim params` lists them all)")
        }
        print(ScenarioReference.text(matching: filter), terminator: "")
    }
}
