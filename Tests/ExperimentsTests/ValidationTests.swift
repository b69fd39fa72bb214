import Testing
import TestSupport
@testable import Experiments

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
