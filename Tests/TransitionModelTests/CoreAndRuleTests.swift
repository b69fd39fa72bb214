import Foundation
import Testing
@testable import TransitionModel

@Suite("Opinion rule, threshold cascade and the social-interactions core")
struct CoreAndRuleTests {
    @Test func supportProbabilityIsTheLogisticOfTwoBetaU() {
        #expect(OpinionRule.supportProbability(u: 0, beta: 1) == 0.5)
        #expect(abs(OpinionRule.supportProbability(u: 0.3, beta: 2) - 1 / (1 + exp(-1.2))) < 1e-15)
        #expect(OpinionRule.supportProbability(u: 0.1, beta: .infinity) == 1)
        #expect(OpinionRule.supportProbability(u: -0.1, beta: .infinity) == 0)
    }

    /// The fast decision skips `exp` by a bracket; it must give the exact comparison's answer
    /// for every draw, including draws a rounding step away from the probability itself.
    @Test func fastDecisionEqualsTheExactComparisonEverywhere() {
        var g = SystemRandomNumberGenerator()
        var disagreements: [String] = [], checked = 0
        func check(_ u: Double, _ beta: Double, _ x: Double) {
            checked += 1
            let exact = x < OpinionRule.supportProbability(u: u, beta: beta)
            if OpinionRule.supports(u: u, beta: beta, uniform: x) != exact { disagreements.append("u \(u) beta \(beta) x \(x)") }
        }
        // Every scale of z = −2βu, from far below to far beyond exp's range, and the infinite β.
        let betas: [Double] = [0, 1e-3, 0.5, 1, 1.3, 4, 50, .infinity]
        for beta in betas {
            for step in -2_000...2_000 {
                let u = Double(step) / 2_000 * (step.isMultiple(of: 7) ? 500 : 3)
                let p = OpinionRule.supportProbability(u: u, beta: beta)
                // Draws at the probability, one rounding step either side, and random ones.
                for x in [p, p.nextUp, p.nextDown, 0, 1.0.nextDown] where x >= 0 && x < 1 { check(u, beta, x) }
                for _ in 0..<20 { check(u, beta, Double.random(in: 0..<1, using: &g)) }
            }
        }
        for _ in 0..<200_000 {
            check(Double.random(in: -3...3, using: &g), 1.3, Double.random(in: 0..<1, using: &g))
        }
        #expect(disagreements.isEmpty, "\(disagreements.count) of \(checked) differ, e.g. \(disagreements.prefix(3))")
    }

    @Test func granovetterAllJoinThenOnlyOne() {
        #expect(ThresholdCascade.finalJoiners(thresholdCounts: Array(0..<100)) == 100)
        var t = Array(0..<100); t[1] = 2
        #expect(ThresholdCascade.finalJoiners(thresholdCounts: t) == 1)
        #expect(ThresholdCascade.finalJoiners(thresholdCounts: Array(1...100)) == 0)
    }

    /// In the core, with groups large enough, the long-run share solves the mean-field equation.
    @Test func coreMatchesMeanField() throws {
        var p = SocialInteractionsCore.Parameters(persons: 100_000, groupSize: 10_000)
        p.beta = 1; p.coupling = 0.5; p.field = 0.2; p.revisionRate = 0.5; p.initialShare = 0.5
        let core = try SocialInteractionsCore(p, seed: 3)
        core.run(steps: 60)
        var x = 0.0
        for _ in 0..<10_000 { x = tanh(p.beta * (p.field + p.coupling * x)) }
        #expect(abs(core.share - (1 + x) / 2) < 0.01, "core \(core.share), mean field \((1 + x) / 2)")
    }

    @Test func coreRefusesBadParameters() {
        #expect(throws: ModelError.self) { try SocialInteractionsCore(.init(persons: 101, groupSize: 10), seed: 1) }
        #expect(throws: ModelError.self) { try SocialInteractionsCore(.init(persons: 10, groupSize: 1), seed: 1) }
    }

    @Test func scheduleValues() {
        #expect(Schedule.constant(2).value(at: 50) == 2)
        let ramp = Schedule.ramp(from: 0, to: 1, start: 10, end: 20)
        let rampValues: [Double] = [0, 15, 30].map { ramp.value(at: $0) }
        #expect(rampValues == [0, 0.5, 1])
        let pulses = Schedule.pulses(base: 1, height: 0.5, every: 12, duration: 3)
        let pulseValues: [Double] = [1, 5, 13].map { pulses.value(at: $0) }
        #expect(pulseValues == [1.5, 1, 1.5])
        let points: [(month: Int, value: Double)] = [(0, 0), (10, 1), (20, 3)]
        let table = Schedule.table(points)
        let tableValues: [Double] = [5, 15, 99].map { table.value(at: $0) }
        #expect(tableValues == [0.5, 2, 3])
    }

    @Test func incomeHistogramGiniMatchesExactGini() {
        let incomes: [Double] = (0..<5000).map { (k: Int) -> Double in
            let a = Double(k % 97) * 0.37
            return a + 0.5 + Double(k % 13)
        }
        var h = IncomeHistogram()
        incomes.forEach { h.add($0) }
        let sorted = incomes.sorted(), n = Double(incomes.count)
        var weighted = 0.0
        for (i, x) in sorted.enumerated() { weighted += Double(2 * (i + 1)) * x }
        let total: Double = sorted.reduce(0, +)
        let exact: Double = weighted / (n * total) - (n + 1) / n
        #expect(abs(h.gini() - exact) < 0.002, "histogram \(h.gini()), exact \(exact)")
        var equal = IncomeHistogram(); for _ in 0..<100 { equal.add(1) }
        #expect(equal.gini() < 1e-9)
    }

    @Test func reusedHistogramsGiveTheGiniOfAFreshOne() {
        // Few distinct incomes (the Gini sorts the filled bins) and many (it scans all bins).
        let few: [Double] = (0..<3000).map { Double($0 % 7) + 1 }
        let many: [Double] = (0..<60_000).map { (k: Int) -> Double in
            let spread = Double((k * 7919) % 100_000) * 0.013
            return spread + Double(k % 5)
        }
        for incomes in [few, many] {
            var fresh = IncomeHistogram()
            incomes.forEach { fresh.add($0) }
            let expected = fresh.gini()
            #expect(expected > 0.05)
            // One histogram used twice with a reset in between, filled singly and then in
            // groups of equal incomes (as the tally adds a workplace's class at once).
            var reused = IncomeHistogram()
            reused.withFiller { f in for x in incomes { f.add(x) } }
            #expect(reused.gini() == expected, "\(incomes.count) incomes, filled singly")
            reused.reset()
            #expect(reused.gini() == 0, "a reset histogram is empty")
            var groups: [Double: Int] = [:]
            for x in incomes { groups[x, default: 0] += 1 }
            reused.withFiller { f in for (x, n) in groups { f.add(x, count: n) } }
            #expect(reused.gini() == expected, "\(incomes.count) incomes, added by groups of equal income")
        }
    }

    @Test func timeToLevelsAreExactOnAConstructedSeries() {
        var tracker = RunSummaryTracker()
        for month in 0...100 {
            var m = MetricsRecord(); m.month = month
            m.workforceBJC = Double(month) / 100
            m.workforcePay = month >= 30 ? 0.6 : 0
            tracker.observe(m)
        }
        let s = tracker.summary(ledger: CoercionLedger(), persons: 10)
        #expect(s.monthsToBJC == [10, 50, 90])
        #expect(s.monthsToPay == [30, 30, nil])
    }
}

@Suite("Stop conditions")
struct StopConditionTests {
    @Test func runStopsOnceAdoptionPassesTheLevel() throws {
        var s = Scenario(); s.population.persons = 3_000; s.voting.rule = .majority
        let summary = try Simulation(scenario: s, seed: 2).run(until: StopCondition(adoptionAbove: 0.3))
        #expect(summary.final.workforceBoth >= 0.3)
        #expect(summary.final.month < s.horizon)
        var whole: [MetricsRecord] = []
        try Simulation(scenario: s, seed: 2).run { whole.append($0) }
        let first = whole.first { $0.workforceBoth >= 0.3 }
        #expect(first?.month == summary.final.month, "stops at the first month past the level")
    }

    @Test func runStopsWhenNothingChanges() throws {
        var s = Scenario(); s.population.persons = 2_000
        s.workersCouncils.enabled = false; s.newFirms.enabled = false
        let summary = try Simulation(scenario: s, seed: 1).run(until: StopCondition(unchangedMonths: 12))
        #expect(summary.final.month == 12 && summary.final.workforceBoth == 0)
        let never = try Simulation(scenario: s, seed: 1).run()
        #expect(never.final.month == s.horizon)
    }
}
