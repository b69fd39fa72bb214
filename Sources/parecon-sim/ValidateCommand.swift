import ArgumentParser
import Experiments
import Foundation

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

            With --liveness, every parameter is moved away from its value (doubled or halved, 0 to \
            0.1, a switch flipped) in each shipped scenario in turn, at --liveness-persons persons, \
            until one scenario's runs change under the same seeds; the parameters that change \
            nothing in any shipped scenario are listed as inert, and the exit status is non-zero \
            when one of them is not in the list of inert parameters that docs/MODEL.md states \
            (its section "Inert at the shipped settings").

            With --fingerprint, prints only a digest of the model's behaviour: every shipped \
            scenario run once at 2,000 persons on fixed seeds, month by month. Generated documents \
            record it, so a test can tell a document made by an older model from a current one; a \
            change that alters no number keeps it.

            Examples:
              parecon-sim validate
              parecon-sim validate --fingerprint
              parecon-sim validate --liveness --liveness-persons 2000
              parecon-sim validate --persons 50000
              parecon-sim validate --patterns \\
                  --pattern-persons 20000
              parecon-sim validate --patterns \\
                  --set movement.formulation=legacy
            """)

    @Option(help: "Persons in the mean-field runs.")
    var persons = 20_000

    @Flag(help: "Also check the model's patterns (docs/MODEL.md) over replicates of the shipped scenarios (seconds on a release build).")
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

    @Flag(help: "List the parameters that change nothing in any shipped scenario (and fail on one docs/MODEL.md does not name).")
    var liveness = false

    @Flag(help: "Print a digest of the model's behaviour over the shipped scenarios (what generated documents record), and nothing else.")
    var fingerprint = false

    @Option(help: "Persons per run, for --liveness.")
    var livenessPersons = 2_000

    @Option(help: "MODEL.md, whose section \"Inert at the shipped settings\" --liveness checks against.")
    var modelDoc = "docs/MODEL.md"

    @Option(parsing: .unconditional, help: "Threads.")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard persons >= 1000 && persons <= 10_000_000 else { throw ValidationError("--persons must be between 1,000 and 10,000,000") }
        guard replicates >= 1 && replicates <= 10_000 else { throw ValidationError("--replicates must be between 1 and 10,000, got \(replicates)") }
        guard patternPersons >= 100 && patternPersons <= 10_000_000 else {
            throw ValidationError("--pattern-persons must be between 100 and 10,000,000, got \(patternPersons)")
        }
        guard livenessPersons >= 100 && livenessPersons <= 1_000_000 else {
            throw ValidationError("--liveness-persons must be between 100 and 1,000,000, got \(livenessPersons)")
        }
        guard threads >= 1 && threads <= 1024 else { throw ValidationError("--threads must be between 1 and 1024, got \(threads)") }
        guard !(fingerprint && (liveness || patterns)) else {
            throw ValidationError("--fingerprint prints only the digest: give it without --liveness or --patterns")
        }
    }

    func run() throws {
        if liveness { return try runLiveness() }
        if fingerprint {
            let shipped: [(name: String, loaded: LoadedScenario)]
            do { shipped = try ModelFingerprint.shipped(in: scenarios) } catch { throw UserError(error.description) }
            guard !shipped.isEmpty else { throw UserError("\(scenarios): no scenario files") }
            do { print(try ModelFingerprint.digest(of: shipped, threads: threads)) } catch {
                throw UserError("cannot compute the model fingerprint: \(error.description)")
            }
            return
        }
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

extension Validate {
    /// The liveness study over the shipped scenarios, checked against MODEL.md's list.
    func runLiveness() throws {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: scenarios)) ?? [])
            .filter { $0.hasSuffix(".yaml") && !$0.hasPrefix("sweep-") && !$0.hasPrefix("calibrate-") }.sorted()
        guard !files.isEmpty else { throw UserError("\(scenarios): no scenario files") }
        // The baseline first: most parameters show themselves there.
        let ordered = files.filter { $0 == "baseline.yaml" } + files.filter { $0 != "baseline.yaml" && $0 != "venezuela-national.yaml" }
        var loaded: [(name: String, loaded: LoadedScenario)] = []
        for f in ordered {
            do { loaded.append((f, try ScenarioLoader.load(path: scenarios + "/" + f))) } catch { throw UserError(error.description) }
        }
        let findings: [LivenessStudy.Finding]
        do {
            findings = try LivenessStudy.run(
                scenarios: loaded, size: ["population.persons=\(livenessPersons)"] + overrides, replicates: min(replicates, 2),
                threads: threads)
        } catch { throw UserError(error.description) }
        let stated = Self.statedInert(modelDoc)
        let inert = findings.filter(\.isInert)
        print("Liveness: \(findings.count) parameters moved in \(loaded.count) shipped scenarios (\(livenessPersons) persons, same seeds)\n")
        let weak = findings.filter(\.isWeak)
        print(
            "  live: \(findings.filter { $0.liveIn != nil }.count), of which \(weak.count) change no headline output beyond replicate noise "
                + "(\(LivenessStudy.noiseReplicates) replicates a side; noise: |Δ mean| ≤ 2 standard errors of the difference, for final BJC, "
                + "equitable pay, adopted over u < 0 and jobs lost per 1,000, and the income Gini)")
        for f in weak {
            print("  weak   \(f.key) (moved to \(f.movedTo ?? "?") in \(f.liveIn ?? "?"): at most \(String(format: "%.1f", f.largestEffect ?? 0)) standard errors)")
        }
        for f in findings where f.notMoved != nil { print("  not moved  \(f.key): \(f.notMoved!)") }
        var unstated: [String] = []
        for f in inert {
            let known = stated?.contains(f.key) ?? false
            if !known { unstated.append(f.key) }
            print("  inert\(known ? " (stated)" : "  NOT IN \(modelDoc)")  \(f.key): changed nothing in \(f.inertIn.count) scenarios")
        }
        if let stated {
            for key in stated.sorted() where findings.contains(where: { $0.key == key && $0.liveIn != nil }) {
                print("  note  \(key) is stated inert in \(modelDoc) but is live (in \(findings.first { $0.key == key }!.liveIn!))")
            }
        }
        print("\n\(inert.count) inert, \(unstated.count) of them not stated in \(modelDoc)")
        if !unstated.isEmpty { throw ExitCode(1) }
    }

    /// The key paths in backticks in MODEL.md's section "Inert at the shipped settings"; nil
    /// when the file or the section is missing.
    static func statedInert(_ path: String) -> Set<String>? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
            let start = text.range(of: "Inert at the shipped settings")
        else { return nil }
        let rest = text[start.upperBound...]
        let section = rest.range(of: "\n## ").map { rest[..<$0.lowerBound] } ?? rest
        var keys: Set<String> = []
        var parts = section.split(separator: "`", omittingEmptySubsequences: false)
        parts = Array(parts.enumerated().filter { $0.offset % 2 == 1 }.map(\.element))
        for p in parts where p.contains(".") && !p.contains(" ") { keys.insert(String(p)) }
        return keys
    }
}
