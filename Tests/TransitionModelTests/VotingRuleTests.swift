import Testing
import Stochastic
@testable import TransitionModel

/// The class structure against the rules: 80 workers and 20 coordinators of whom none supports.
@Suite("Voting rules against the class structure")
struct VotingRuleTests {
    func tally(workersSupporting w: Int, blockers: Int) -> VoteTally {
        VoteTally(members: 100, supporters: w, blockers: blockers)
    }

    @Test func majorityNeedsMoreThan62Point5PercentOfWorkers() {
        for w in 0...80 {
            let passes = VotingRule.majority.passes(tally(workersSupporting: w, blockers: 0), consensusMinimumSupport: 0.5)
            #expect(passes == (Double(w) / 80 > 0.625), "\(w) of 80 workers")
        }
    }

    @Test func twoThirdsNeedsMoreThan83Point3PercentOfWorkers() {
        for w in 0...80 {
            let passes = VotingRule.supermajority.passes(tally(workersSupporting: w, blockers: 0), consensusMinimumSupport: 0.5)
            #expect(passes == (Double(w) / 80 > 0.833), "\(w) of 80 workers")
        }
    }

    @Test func consensusNeverPassesWhileCoordinatorsBlock() {
        for w in 0...80 {
            #expect(!VotingRule.consensus.passes(tally(workersSupporting: w, blockers: 20), consensusMinimumSupport: 0.5))
            #expect(!VotingRule.consensus.passes(tally(workersSupporting: w, blockers: 1), consensusMinimumSupport: 0.5))
        }
    }

    @Test func consensusPassesWhenOpponentsStandAsideAndHalfSupport() {
        #expect(VotingRule.consensus.passes(tally(workersSupporting: 50, blockers: 0), consensusMinimumSupport: 0.5))
        #expect(!VotingRule.consensus.passes(tally(workersSupporting: 49, blockers: 0), consensusMinimumSupport: 0.5))
    }

    @Test func emptyWorkplacesNeverPass() {
        let empty = VoteTally(members: 0, supporters: 0, blockers: 0)
        for rule in [VotingRule.consensus, .majority, .supermajority, .threshold(0.01)] {
            #expect(!rule.passes(empty, consensusMinimumSupport: 0))
        }
    }

    @Test func intervalHazardIsMonthlyHazardCompounded() {
        #expect(abs(Simulation.overMonths(0.1, 3) - (1 - 0.9 * 0.9 * 0.9)) < 1e-12)
        #expect(abs(Simulation.overMonths(0.1, 1) - 0.1) < 1e-15)
        #expect(Simulation.overMonths(1.5, 3) == 1)
    }
}

/// A rule added as a value: a panel drawn by lot that decides by its own majority.
@Suite("Sortition")
struct SortitionTests {
    /// The panel's supporters follow the hypergeometric law: 30 members, 18 supporting, panel 5.
    @Test func thePanelIsADrawWithoutReplacement() {
        func choose(_ n: Int, _ k: Int) -> Double { k < 0 || k > n ? 0 : (0..<k).reduce(1.0) { $0 * Double(n - $1) / Double($1 + 1) } }
        let exact = (3...5).reduce(0.0) { $0 + choose(18, $1) * choose(12, 5 - $1) } / choose(30, 5)
        let stream = RandomStream(seed: 8, stream: 0)
        let draws = 200_000
        var passed = 0, total = 0
        for _ in 0..<draws {
            let (panel, s) = VotingRule.panelSupporters(members: 30, supporters: 18, panel: 5, stream: stream)
            #expect(panel == 5)
            total += s
            var t = VoteTally(members: 30, supporters: 18, blockers: 0); t.panel = panel; t.panelSupporters = s
            if VotingRule.sortition(panel: 5).passes(t, consensusMinimumSupport: 0.5) { passed += 1 }
        }
        #expect(abs(Double(passed) / Double(draws) - exact) < 0.005, "P(pass) \(Double(passed) / Double(draws)) vs \(exact)")
        #expect(abs(Double(total) / Double(draws) - 3) < 0.01, "mean panel supporters 5 · 18/30 = 3")
    }

    /// A minority can win a small panel by chance; a majority vote never passes it.
    @Test func aSmallPanelSometimesRatifiesWhatAMinorityWants() {
        let stream = RandomStream(seed: 9, stream: 0)
        var passed = 0
        for _ in 0..<10_000 {
            var t = VoteTally(members: 100, supporters: 40, blockers: 0)
            (t.panel, t.panelSupporters) = VotingRule.panelSupporters(members: 100, supporters: 40, panel: 5, stream: stream)
            if VotingRule.sortition(panel: 5).passes(t, consensusMinimumSupport: 0.5) { passed += 1 }
        }
        #expect(passed > 2_500 && passed < 3_600, "P(X ≥ 3), X ~ Hypergeometric(100, 40, 5) ≈ 0.31; got \(passed) of 10,000")
        #expect(!VotingRule.majority.passes(VoteTally(members: 100, supporters: 40, blockers: 0), consensusMinimumSupport: 0.5))
    }

    /// A panel as large as every workplace is the whole workplace: the same run as majority.
    @Test func aPanelOfEveryoneIsMajority() throws {
        var s = Scenario(); s.population.persons = 3_000; s.horizon = 96; s.voting.rule = .majority
        var majority: [MetricsRecord] = [], panel: [MetricsRecord] = []
        try Simulation(scenario: s, seed: 4).run { majority.append($0) }
        s.voting.rule = .sortition(panel: 1_000_000)
        try Simulation(scenario: s, seed: 4).run { panel.append($0) }
        #expect(majority == panel)
        #expect(majority.last!.workforceBoth > 0.05, "votes passed, so the comparison means something")
        s.voting.rule = .sortition(panel: 5)
        var small: [MetricsRecord] = []
        try Simulation(scenario: s, seed: 4).run { small.append($0) }
        #expect(small != majority && small.last!.overruledDistinct > 0, "small panels decide differently and overrule")
    }
}
