import Foundation
import Testing
@testable import TransitionModel

/// The coercion of staying put, counted by the same rules under every path.
@Suite("Status-quo ledger")
struct StatusQuoLedgerTests {
    /// Persons who support an institution their workplace lacks, counted person by person.
    func unheardByHand(_ sim: Simulation) -> Int {
        var n = 0
        for i in 0..<sim.population.count where sim.population.isActive(i) && sim.population.personClass[i] != .owner {
            let w = Int(sim.population.workplace[i])
            guard sim.workplaces.open[w] else { continue }
            let noSay = Institution.allCases.contains { k in
                sim.population.supports(i, k) && !sim.workplaces.isAdopted(w, k)
                    && (!sim.scenario.path.transformExisting || !sim.workplaces.hasCouncil[w] || sim.workplaces.isPending(w, k))
            }
            if noSay { n += 1 }
        }
        return n
    }

    @Test(arguments: ["majority", "status-quo", "consensus"])
    func personsWithNoSayFollowOneDefinitionOnEveryPath(path: String) throws {
        var s = smallScenario(persons: 3_000, horizon: 60)
        switch path {
        case "majority": s.voting.rule = .majority
        case "consensus": s.voting.rule = .consensus
        default: s.movement.base = .constant(0); s.path.transformExisting = false; s.newFirms.enabled = false
        }
        let sim = try Simulation(scenario: s, seed: 3)
        sim.run()
        let unheard = sim.metrics().unheardPersons
        #expect(unheard > 0)
        #expect(unheard == unheardByHand(sim))
    }

    @Test func everyFailureIsBookedAsJobsLost() throws {
        var s = smallScenario(persons: 3_000, horizon: 120)
        s.voting.rule = .majority
        s.failure.conventional = 0.01
        s.failure.ratioAdopted = 2; s.failure.ratioRecovered = 2; s.failure.ratioFounded = 2
        let sim = try Simulation(scenario: s, seed: 2)
        var churned = 0, adoptedFailures = 0
        let summary = sim.run {
            churned += $0.jobsLostInChurn; adoptedFailures += $0.failures
        }
        #expect(churned > 0 && adoptedFailures > 0)
        #expect(summary.statusQuo.jobsLost[StatusQuoLedger.FailedKind.conventional.rawValue] == churned)
        let adoptedKinds = [StatusQuoLedger.FailedKind.adopted, .recovered, .founded].map { summary.statusQuo.jobsLost[$0.rawValue] }
        #expect(adoptedKinds.reduce(0, +) >= adoptedFailures, "each failed adopted workplace had at least one member")
        #expect(summary.statusQuo.incomeLost >= 3 * Double(summary.statusQuo.totalJobsLost), "3 search months of at least a worker's pay")
        #expect(sim.bookkeepingIsExact())
    }

    @Test func failedNewFirmsAreBookedAsNew() throws {
        var s = smallScenario(persons: 3_000, horizon: 120)
        s.path.transformExisting = false
        s.newFirms.rate = 2
        // Only state workplaces (which the market does not close) and the movement's new firms.
        s.population.privateShare = 0; s.population.stateShare = 1; s.population.cooperativeShare = 0; s.population.p2pShare = 0
        s.failure.conventional = 0.05; s.failure.ratioFounded = 1
        s.failure.successor = .none  // a conventional successor would churn later, as conventional
        let summary = try Simulation(scenario: s, seed: 4).run()
        #expect(summary.statusQuo.jobsLost[StatusQuoLedger.FailedKind.founded.rawValue] > 0)
        #expect(summary.statusQuo.jobsLost[StatusQuoLedger.FailedKind.conventional.rawValue] == 0)
    }

    /// No transition: the status quo's coercion is booked, the coercion of change is not.
    @Test func statusQuoPathBooksNoCoercionOfChange() throws {
        var s = smallScenario(persons: 3_000, horizon: 120)
        s.movement.base = .constant(0); s.path.transformExisting = false; s.newFirms.enabled = false
        let summary = try Simulation(scenario: s, seed: 1).run()
        #expect(summary.ledger.adoptedOverEvents == [0, 0, 0, 0, 0, 0])
        #expect(summary.ledger.ownersExpropriated == 0 && summary.ledger.overruledEvents == 0)
        #expect(summary.final.workforceBJC == 0 && summary.final.workforcePay == 0)
        #expect(summary.statusQuo.totalJobsLost > 0 && summary.unheardPerThousand > 100)
    }
}
