import Testing
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
