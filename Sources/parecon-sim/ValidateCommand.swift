import ArgumentParser
import Experiments

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the model against the validation reductions and patterns.",
        discussion: """
            Mean-field fixed points of the social-interactions model (Brock & Durlauf), Granovetter's \
            threshold cascade in the deterministic limit, and the coercion ledger's identities. Each \
            check prints its expected value, measured value, tolerance and verdict; the exit status \
            is non-zero if any check fails.

            With --patterns, the model's patterns over replicates of the shipped scenarios: those \
            that hold under every momentum formulation are required; patterns of the first model that \
            do not hold robustly are printed as notes and never fail the command (docs/ROBUSTNESS.md).

            Examples:
              parecon-sim validate
              parecon-sim validate --persons 50000
              parecon-sim validate --patterns \\
                  --pattern-persons 20000
              parecon-sim validate --patterns \\
                  --set movement.formulation=legacy
            """)

    @Option(help: "Persons in the mean-field runs.")
    var persons = 20_000

    @Flag(help: "Also check the model's patterns (docs/MODEL.md) over replicates of the shipped scenarios (a few minutes).")
    var patterns = false

    @Option(help: "Folder of the shipped scenarios, for --patterns.")
    var scenarios = "Scenarios"

    @Option(help: "Replicates per scenario, for --patterns.")
    var replicates = 6

    @Option(help: "Persons per run, for --patterns.")
    var patternPersons = 5_000

    @Option(
        name: .customLong("set"),
        help: ArgumentHelp(
            "Override a parameter of every scenario of --patterns (repeatable), e.g. movement.formulation=legacy.",
            valueName: "KEY.PATH=VALUE"), completion: .parameterKeys)
    var overrides: [String] = []

    func validate() throws {
        guard persons >= 1000 && persons <= 10_000_000 else { throw ValidationError("--persons must be between 1,000 and 10,000,000") }
    }

    func run() throws {
        var checks = Validation.meanFieldChecks(persons: persons)
        checks += Validation.granovetterChecks()
        checks += Validation.wattsChecks()
        checks += Validation.ledgerChecks()
        if patterns {
            do {
                checks += try PatternChecks.checks(folder: scenarios, persons: patternPersons, replicates: replicates, overrides: overrides)
            } catch { throw UserError("cannot run the pattern checks: \(error)") }
        }
        var group = ""
        for c in checks {
            if c.group != group { print("\n\(c.group)"); group = c.group }
            let verdict = c.reportedOnly ? (c.passed ? "note (holds here)" : "note (does not hold)") : (c.passed ? "pass" : "FAIL")
            print("  \(verdict)  \(c.name)")
            print("        expected \(c.expected), measured \(c.measured), tolerance \(c.tolerance)")
        }
        let required = checks.filter { !$0.reportedOnly }
        let failed = required.filter { !$0.passed }.count
        let notes = checks.count - required.count
        print(
            "\n\(required.count - failed) passed, \(failed) failed"
                + (notes > 0 ? ", \(notes) reported (not required: they do not hold robustly)" : ""))
        if failed > 0 { throw ExitCode(1) }
    }
}
