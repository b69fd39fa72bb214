import Foundation
import Stochastic
import TransitionModel

/// One check of `parecon-sim validate`: what was expected, what was measured, and the verdict.
public struct ValidationCheck: Sendable {
    public var group: String
    public var name: String
    public var expected: String
    public var measured: String
    public var tolerance: String
    public var passed: Bool
    /// A pattern that is measured and reported but not required: it does not hold robustly
    /// (docs/ROBUSTNESS.md), so it neither passes nor fails validation.
    public var reportedOnly = false
}

/// The validation reductions: with the other mechanisms off, the model must
/// reproduce known results.
public enum Validation {
    // MARK: mean field (Brock & Durlauf)

    /// The stable solution of x = tanh(β(h + J·x)) reached by iterating from `start` (−1: the
    /// lowest, +1: the highest), returned as the supporting share m = (1 + x)/2.
    public static func meanFieldShare(beta: Double, coupling: Double, field: Double, start: Double) -> Double {
        var x = start
        for _ in 0..<100_000 {
            let next = tanh(beta * (field + coupling * x))
            if abs(next - x) < 1e-13 { x = next; break }
            x = next
        }
        return (1 + x) / 2
    }

    /// The full model reduced to one fully mixed group: one cooperative holding everyone, every
    /// mechanism but class interest h and peer coupling J switched off.
    public static func meanFieldScenario(beta: Double, coupling: Double, field: Double, persons: Int, initialShare: Double) -> Scenario {
        var s = Scenario()
        s.name = "mean-field"
        s.horizon = 300
        s.population.persons = persons
        s.population.privateShare = 0; s.population.stateShare = 0; s.population.p2pShare = 0
        s.population.cooperativeShare = 1
        s.population.sizeMedian = Double(persons); s.population.sizeSigma = 0; s.population.sizeMax = persons
        s.population.coordinatorShare = 0
        s.population.neighbourhoodSize = persons
        s.opinion.beta = beta
        s.opinion.revisionRate = 0.2
        s.opinion.fieldWorker = [field, field]
        s.opinion.coupling = coupling
        s.opinion.wSolidarity = 0; s.opinion.wMovement = 0; s.opinion.wDemonstration = 0
        s.opinion.wDisruption = 0; s.opinion.wExperience = 0; s.opinion.wSelf = 0
        s.opinion.initial = .fixed(share: initialShare)
        s.councils.rollout = .none
        s.workersCouncils.enabled = false
        s.newFirms.enabled = false
        return s
    }

    /// Long-run BJC support share of the reduced model: mean over the last 100 of 300 months.
    public static func meanFieldSimulated(_ s: Scenario, seed: UInt64) -> Double {
        guard let sim = try? Simulation(scenario: s, seed: seed) else { return .nan }
        var total = 0.0, n = 0
        sim.run { m in
            if m.month > s.horizon - 100 { total += m.supportWorkerBJC; n += 1 }
        }
        return total / Double(n)
    }

    /// Cases (β, J, h, initial share) checked by `validate` and the tests.
    public static let meanFieldCases: [(beta: Double, coupling: Double, field: Double, initial: Double)] = [
        (1.0, 0.5, 0.2, 0.5), (2.0, 0.3, -0.1, 0.5), (0.5, 1.0, 0.5, 0.5), (1.0, 0.8, -0.3, 0.5),
        (1.0, 1.5, 0.0, 0.1), (1.0, 1.5, 0.0, 0.9), (1.5, 1.0, 0.05, 0.1), (1.5, 1.0, 0.05, 0.9),
    ]

    public static func meanFieldChecks(persons: Int = 20_000, tolerance: Double = 0.02) -> [ValidationCheck] {
        meanFieldCases.enumerated().map { index, c in
            let start = c.initial < 0.5 ? -1.0 : 1.0
            let expected = meanFieldShare(beta: c.beta, coupling: c.coupling, field: c.field, start: start)
            let s = meanFieldScenario(beta: c.beta, coupling: c.coupling, field: c.field, persons: persons, initialShare: c.initial)
            let measured = meanFieldSimulated(s, seed: UInt64(100 + index))
            return ValidationCheck(
                group: "mean field",
                name: String(format: "β=%.1f J=%.1f h=%.2f from %.0f%%", c.beta, c.coupling, c.field, 100 * c.initial),
                expected: String(format: "%.4f", expected), measured: String(format: "%.4f", measured),
                tolerance: String(format: "±%.3f", tolerance), passed: abs(measured - expected) <= tolerance)
        }
    }

    // MARK: Granovetter's threshold cascade

    /// Thresholds normally distributed around `mean` with spread `sd`, placed at the quantiles
    /// (i + ½)/n so the deterministic limit has no sampling noise.
    public static func normalThresholds(count n: Int, mean: Double, sd: Double) -> [Double] {
        (0..<n).map { mean + sd * StandardNormal.quantile((Double($0) + 0.5) / Double(n)) }
    }

    /// The spread at which the normal-threshold cascade jumps to (nearly) everyone, by bisection.
    public static func granovetterCriticalSD(count n: Int = 5_000) -> Double {
        var lo = 0.10, hi = 0.14
        for _ in 0..<12 {
            let mid = (lo + hi) / 2
            let share = Double(ThresholdCascade.finalJoiners(thresholdShares: normalThresholds(count: n, mean: 0.25, sd: mid))) / Double(n)
            if share > 0.5 { hi = mid } else { lo = mid }
        }
        return (lo + hi) / 2
    }

    public static func granovetterChecks() -> [ValidationCheck] {
        var out: [ValidationCheck] = []
        let all = ThresholdCascade.finalJoiners(thresholdCounts: Array(0..<100))
        out.append(
            ValidationCheck(
                group: "Granovetter", name: "thresholds 0, 1, …, 99", expected: "100 join",
                measured: "\(all) join", tolerance: "exact", passed: all == 100))
        var changed = Array(0..<100); changed[1] = 2
        let one = ThresholdCascade.finalJoiners(thresholdCounts: changed)
        out.append(
            ValidationCheck(
                group: "Granovetter", name: "threshold 1 changed to 2", expected: "1 joins",
                measured: "\(one) join\(one == 1 ? "s" : "")", tolerance: "exact", passed: one == 1))
        let n = 5_000
        for (sd, expected, tol) in [(0.10, 0.008, 0.01), (0.12, 0.04, 0.02), (0.125, 1.0, 0.01)] {
            let share = Double(ThresholdCascade.finalJoiners(thresholdShares: normalThresholds(count: n, mean: 0.25, sd: sd))) / Double(n)
            out.append(
                ValidationCheck(
                    group: "Granovetter", name: String(format: "normal thresholds, mean 0.25, sd %.3f", sd),
                    expected: String(format: "%.3f", expected), measured: String(format: "%.3f", share),
                    tolerance: String(format: "±%.2f", tol), passed: abs(share - expected) <= tol))
        }
        let critical = granovetterCriticalSD(count: 5_000)
        out.append(
            ValidationCheck(
                group: "Granovetter", name: "spread at which the equilibrium jumps", expected: "0.122",
                measured: String(format: "%.4f", critical), tolerance: "±0.002", passed: abs(critical - 0.122) <= 0.002))
        return out
    }

    // MARK: Watts's cascade window

    /// Mean degrees checked, with whether Watts (2002) finds global cascades there for φ = 0.18
    /// on random graphs (his window is about 1.02 < z < 5.77).
    public static let wattsCases: [(z: Double, inside: Bool)] = [(0.6, false), (2, true), (4, true), (8, false), (10, false)]

    /// Single random seeds on Erdős–Rényi graphs built by the model's own network code, the
    /// opinion rule in its deterministic limit with threshold 0.18: the share of seeds whose
    /// cascade reaches more than 10% of persons. Inside the window at least `inside`, outside
    /// at most `outside` (finite n blurs the edges, so cases sit away from them).
    public static func wattsChecks(
        persons: Int = 10_000, trials: Int = 60, inside: Double = 0.2, outside: Double = 0.02
    ) -> [ValidationCheck] {
        wattsCases.enumerated().map { index, c in
            let f = NetworkCascade.globalCascadeFrequency(
                persons: persons, meanDegree: c.z, threshold: 0.18, trials: trials,
                seed: UInt64(500 + index))
            return ValidationCheck(
                group: "Watts cascades", name: String(format: "Erdős–Rényi z = %.1f, φ = 0.18, %d seeds", c.z, trials),
                expected: c.inside ? "global cascades (inside 1.02 < z < 5.77)" : "none (outside the window)",
                measured: String(format: "%.0f%% of seeds", 100 * f),
                tolerance: c.inside ? String(format: "≥ %.0f%%", 100 * inside) : String(format: "≤ %.0f%%", 100 * outside),
                passed: c.inside ? f >= inside : f <= outside)
        }
    }

    // MARK: the coercion ledger's identities

    public static func ledgerChecks(persons: Int = 5_000, seed: UInt64 = 7) -> [ValidationCheck] {
        var out: [ValidationCheck] = []
        var s = Scenario(); s.population.persons = persons; s.voting.rule = .majority; s.horizon = 180
        guard let sim = try? Simulation(scenario: s, seed: seed) else { return out }
        sim.auditAdoptions = true
        sim.run()
        let records = sim.adoptionAudit
        let conserved = records.allSatisfy { $0.membersBefore == $0.membersAfter + $0.exited.count }
        out.append(
            ValidationCheck(
                group: "ledger", name: "members before = after + exits (majority rule)",
                expected: "all \(records.count) adoptions", measured: conserved ? "all hold" : "violated",
                tolerance: "exact", passed: conserved && !records.isEmpty))
        let opposed = records.allSatisfy { r in Set(r.overruled).isSubset(of: Set(r.opponents)) }
        let overruled = records.reduce(0) { $0 + $1.overruled.count }
        out.append(
            ValidationCheck(
                group: "ledger", name: "every overruled person opposed at the vote",
                expected: "\(overruled) of \(overruled)", measured: opposed ? "\(overruled) of \(overruled)" : "violated",
                tolerance: "exact", passed: opposed && overruled > 0 && overruled == sim.ledger.overruledEvents))
        let active = sim.population.flags.filter { $0 & Population.Flag.active != 0 }.count
        out.append(
            ValidationCheck(
                group: "ledger", name: "persons conserved: active + departed = initial",
                expected: "\(sim.population.count)", measured: "\(active + sim.departed)",
                tolerance: "exact", passed: active + sim.departed == sim.population.count))
        var c = s; c.voting.rule = .consensus; c.path.allowTransfers = false; c.voting.blockingLevel = -1.5
        if let consensus = try? Simulation(scenario: c, seed: seed) {
            consensus.auditAdoptions = true
            let summary = consensus.run()
            out.append(
                ValidationCheck(
                    group: "ledger", name: "consensus without transfers overrules nobody (rule-specific split)",
                    expected: "0 overruled, 0 expropriated",
                    measured:
                        "\(summary.ledger.overruledEvents) overruled, \(summary.ledger.ownersExpropriated) expropriated (\(summary.ledger.stoodAside) stood aside)",
                    tolerance: "exact", passed: summary.ledger.overruledEvents == 0 && summary.ledger.ownersExpropriated == 0))
            let any = summary.ledger.adoptedOverPersons[0], stood = summary.ledger.stoodAside
            out.append(
                ValidationCheck(
                    group: "ledger", name: "the opposition measure sees consensus's stand-asides",
                    expected: "persons adopted over > 0 when anyone stood aside",
                    measured: "\(any) persons adopted over, \(stood) stood aside",
                    tolerance: "exact", passed: stood == 0 || any > 0))
            let level = c.voting.blockingLevel
            let votes = consensus.adoptionAudit.filter { $0.path == .vote || $0.path == .comanagement || $0.path == .ownerConcession }
            let below = votes.flatMap(\.opponentUtilities).filter { $0 < level }.count
            out.append(
                ValidationCheck(
                    group: "ledger", name: String(format: "consensus adopts over nobody below its blocking level (%.1f)", level),
                    expected: "0 of the non-supporters at decided votes",
                    measured: "\(below) of \(votes.flatMap(\.opponentUtilities).count)",
                    tolerance: "exact", passed: below == 0))
        }
        return out
    }
}
