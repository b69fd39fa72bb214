import Foundation
import ArgumentParser
import Experiments

/// The command-line tool: thin commands that call the library modules.
@main
struct ParEconSim: ParsableCommand {
    static let version = "0.1.0"
    /// This build: version and the git commit it was built from (see Plugins/SourceCommit).
    static let tool = ToolIdentity(version: version, commit: sourceCommit)

    static let configuration = CommandConfiguration(
        commandName: "parecon-sim",
        abstract: "Agent-based simulation of transitions to balanced job complexes and equitable pay.",
        discussion: """
            Workers, coordinators, owners and peer-to-peer volunteers adopt or resist balanced job \
            complexes (BJC) and equitable pay under movement pressure; replicated stochastic runs \
            (GSL random streams) show which transition paths get there, how fast, and with how much \
            coercion.

            Examples:
              parecon-sim run Scenarios/baseline.yaml
              parecon-sim run Scenarios/majority.yaml -r 20 \\
                  --out results/majority
              parecon-sim run --set voting.rule=0.6 \\
                  --summary-format json
              parecon-sim report results/majority
              parecon-sim compare Scenarios/majority.yaml \\
                  Scenarios/prefigurative.yaml
              parecon-sim sweep Scenarios/sweep-paths.yaml \\
                  --out paths.sqlite
              parecon-sim export paths.sqlite --to results/paths
              parecon-sim check Scenarios/*.yaml
              parecon-sim params
              parecon-sim validate
              parecon-sim bench core --persons 1000000 --group 50 \\
                  --steps 200
            """,
        version: "\(version) (commit \(sourceCommit))",
        subcommands: [
            Run.self, Serve.self, Report.self, Compare.self, Sweep.self, Calibrate.self, Export.self, Merge.self, Check.self, Params.self,
            Validate.self, Bench.self,
        ]
    )

    /// Installs the interruption handlers, then parses and runs the command.
    static func main() {
        Interruption.install()
        var command: ParsableCommand
        do { command = try parseAsRoot() } catch { exit(withError: error) }
        do {
            try command.run()
        } catch let error as ValidationError {
            // An argument error found only while running (it needed the files): told with the
            // subcommand's usage, as one found while parsing is, not the root's.
            let name = type(of: command)._commandName
            FileHandle.standardError.send(
                Data("Error: \(error.message)\nUsage: \(usageString(for: type(of: command)))\n  See 'parecon-sim \(name) --help' for more information.\n".utf8))
            Foundation.exit(ExitCode.validationFailure.rawValue)
        } catch {
            exit(withError: error)
        }
    }
}

/// An error the user can fix; printed as "Error: …" with a non-zero exit.
struct UserError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
