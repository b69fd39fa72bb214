import Testing
import TestSupport
@testable import Experiments
import TransitionModel

@Suite("Validation reductions")
struct ValidationTests {
    @Test func meanFieldFixedPointsAreReproduced() {
        let checks = Validation.meanFieldChecks(persons: 10_000)
        #expect(checks.count >= 6)
        for c in checks { #expect(c.passed, "\(c.name): expected \(c.expected), measured \(c.measured)") }
    }

    @Test func bistableCaseShowsHysteresis() {
        let low = Validation.meanFieldScenario(beta: 1, coupling: 1.5, field: 0, persons: 10_000, initialShare: 0.1)
        let high = Validation.meanFieldScenario(beta: 1, coupling: 1.5, field: 0, persons: 10_000, initialShare: 0.9)
        let a = Validation.meanFieldSimulated(low, seed: 1), b = Validation.meanFieldSimulated(high, seed: 1)
        #expect(a < 0.2 && b > 0.8, "low start \(a), high start \(b)")
    }

    @Test func meanFieldSolverFindsBothBranches() {
        let low = Validation.meanFieldShare(beta: 1, coupling: 1.5, field: 0, start: -1)
        let high = Validation.meanFieldShare(beta: 1, coupling: 1.5, field: 0, start: 1)
        #expect(abs(low + high - 1) < 1e-9 && low < 0.1)
        let single = Validation.meanFieldShare(beta: 1, coupling: 0.5, field: 0.2, start: -1)
        #expect(abs(single - Validation.meanFieldShare(beta: 1, coupling: 0.5, field: 0.2, start: 1)) < 1e-9)
    }

    @Test func granovetterCascade() {
        for c in Validation.granovetterChecks() { #expect(c.passed, "\(c.name): expected \(c.expected), measured \(c.measured)") }
    }

    @Test func ledgerIdentities() {
        let checks = Validation.ledgerChecks(persons: 3_000)
        #expect(checks.count == 6)
        for c in checks { #expect(c.passed, "\(c.name): expected \(c.expected), measured \(c.measured)") }
    }
}

@Suite("Liveness")
struct LivenessTests {
    @Test func movesStayInRangeAndChangeTheValue() {
        #expect(LivenessStudy.moves(of: .number(min: 0, max: 1, minExclusive: false), value: "0.7").first == "0.35", "doubling leaves [0, 1]: halve")
        #expect(LivenessStudy.moves(of: .number(min: 0, max: 1, minExclusive: false), value: "0").first == "0.1")
        #expect(LivenessStudy.moves(of: .number(min: 0, max: 100, minExclusive: true), value: "0.25").first == "0.5")
        #expect(LivenessStudy.moves(of: .integer(min: 1, max: 10), value: "6").first == "7", "12 is out of range")
        #expect(LivenessStudy.moves(of: .boolean, value: "false") == ["true"])
        #expect(LivenessStudy.moves(of: .choice(["a", "b", "c"]), value: "c") == ["a"])
        #expect(LivenessStudy.moves(of: .structured("a schedule"), value: "{ramp: {from: 0, to: 1}}").isEmpty)
    }

    @Test func noiseTestSeesShiftsAndIgnoresIdenticalRuns() {
        func run(_ bjc: Double) -> RunSummary { var s = RunSummary(); s.final.workforceBJC = bjc; s.persons = 1000; return s }
        let a = [0.50, 0.52, 0.48, 0.51].map(run)
        #expect(LivenessStudy.detectable(a, a).0 == false)
        #expect(LivenessStudy.detectable(a, [0.50, 0.53, 0.48, 0.51].map(run)).0 == false, "a shift well inside the noise")
        #expect(LivenessStudy.detectable(a, [0.60, 0.62, 0.58, 0.61].map(run)).0, "a shift of 0.1 against an sd of 0.017")
        let flat = [0.5, 0.5].map(run)
        #expect(LivenessStudy.detectable(flat, [0.5000001, 0.5000001].map(run)).0, "without noise any difference counts")
    }

    /// The solidarity rise rate drives the baseline; the bargaining weight acts only through a
    /// basic income the baseline does not have.
    @Test func aMechanismSwitchedOffIsInertAndADriverIsLive() throws {
        let baseline = try ScenarioLoader.load(path: scenariosFolder.appendingPathComponent("baseline.yaml").path)
        let findings = try LivenessStudy.run(
            scenarios: [("baseline.yaml", baseline)], size: ["population.persons=600", "horizon=48"],
            keys: ["solidarity.rise_rate", "reform.bargaining_weight", "population.private_share"], replicates: 1, threads: 2)
        let byKey = Dictionary(uniqueKeysWithValues: findings.map { ($0.key, $0) })
        #expect(byKey["solidarity.rise_rate"]?.liveIn == "baseline.yaml" && byKey["solidarity.rise_rate"]?.movedTo == "0.024")
        #expect(byKey["solidarity.rise_rate"]?.detectable != nil)
        #expect(byKey["reform.bargaining_weight"]?.isInert == true && byKey["reform.bargaining_weight"]?.inertIn == ["baseline.yaml"])
        #expect(byKey["population.private_share"]?.notMoved != nil, "a share moved alone breaks the sum of the shares")
    }
}

@Suite("Model fingerprint")
struct ModelFingerprintTests {
    static func scenarios(_ texts: [String]) throws -> [(name: String, loaded: LoadedScenario)] {
        try texts.enumerated().map { ("s\($0.offset).yaml", try ScenarioLoader.load(text: $0.element)) }
    }

    @Test func sameRunsGiveTheSameDigestWhateverTheThreadsAndAnyChangeMovesIt() throws {
        let a = try Self.scenarios(["horizon: 12\n", "horizon: 12\nvoting:\n  rule: majority\n"])
        let one = try ModelFingerprint.digest(of: a, threads: 1)
        #expect(one.count == 16)
        #expect(try ModelFingerprint.digest(of: a, threads: 2) == one)
        // A parameter that changes the runs changes the digest; so does the order of the scenarios.
        let b = try Self.scenarios(["horizon: 12\n", "horizon: 12\nvoting:\n  rule: consensus\n"])
        #expect(try ModelFingerprint.digest(of: b, threads: 2) != one)
        #expect(try ModelFingerprint.digest(of: Array(a.reversed()), threads: 2) != one)
    }
}
