import Foundation
import Testing
@testable import TransitionModel

/// The opposition measure (the same for every path) and the mechanisms that used to move
/// nothing: each test fails if its mechanism is switched off.
@Suite("Opposition measure and live mechanisms")
struct OppositionAndLiveMechanismTests {
    /// A consensus path that adopts over non-supporters must show them, in the same columns as
    /// a majority path; the rule-specific split still says nobody was overruled.
    @Test func consensusAndMajorityReportOppositionInTheSameColumns() throws {
        var consensus = smallScenario(persons: 3_000, horizon: 150)
        consensus.voting.rule = .consensus
        consensus.voting.blockingLevel = -2
        var majority = consensus
        majority.voting.rule = .majority
        for s in [consensus, majority] {
            let sim = try Simulation(scenario: s, seed: 4)
            sim.auditAdoptions = true
            let summary = sim.run()
            let opponents = sim.adoptionAudit.reduce(0) { $0 + $1.opponents.count }
            #expect(opponents > 0, "\(s.voting.rule): some adoption went over a non-supporter")
            #expect(summary.ledger.adoptedOverEvents[0] == opponents, "every non-supporter of every adoption is an event")
            let leaning = sim.adoptionAudit.flatMap(\.opponentUtilities).filter { $0 < 0 }.count
            #expect(summary.ledger.adoptedOverEvents[1] == leaning)
            #expect(summary.ledger.adoptedOverPersons[1] > 0, "\(s.voting.rule): people leaning against were adopted over")
            #expect(!summary.coercionFree)
            if s.voting.rule == .consensus {
                #expect(summary.ledger.overruledEvents == 0 && summary.ledger.stoodAside > 0)
            } else {
                #expect(summary.ledger.overruledEvents > 0 && summary.ledger.stoodAside == 0)
            }
        }
    }

    @Test func distinctPersonsNeverExceedEventsAndFallWithStrength() throws {
        var s = smallScenario(persons: 3_000, horizon: 150)
        s.voting.rule = .majority
        let l = try Simulation(scenario: s, seed: 2).run().ledger
        for j in CoercionLedger.levels.indices {
            #expect(l.adoptedOverPersons[j] <= l.adoptedOverEvents[j])
            if j > 0 { #expect(l.adoptedOverPersons[j] <= l.adoptedOverPersons[j - 1]) }
        }
        #expect(l.adoptedOverPersons[0] >= l.distinctOverruled, "everyone overruled was adopted over")
    }

    @Test func ledgerBooksAPersonOnceAtEachLevel() {
        var l = CoercionLedger()
        var lowest = Float.infinity
        lowest = l.recordAdoptedOver(u: -0.7, previous: lowest)  // any, u0, −0.5
        lowest = l.recordAdoptedOver(u: 0.2, previous: lowest)  // any (event only)
        lowest = l.recordAdoptedOver(u: -1.2, previous: lowest)  // any, u0, −0.5, −1 (new person at −1)
        #expect(l.adoptedOverEvents == [3, 2, 2, 1, 0, 0])
        #expect(l.adoptedOverPersons == [1, 1, 1, 1, 0, 0])
        // u just below a level, stored as Float, stays below it.
        var m = CoercionLedger()
        let x = m.recordAdoptedOver(u: -0.5000000001, previous: .infinity)
        _ = m.recordAdoptedOver(u: -0.6, previous: x)
        #expect(m.adoptedOverPersons[2] == 1)
    }

    @Test func standingAsideMayEndInExit() throws {
        var s = smallScenario(persons: 3_000, horizon: 150)
        s.voting.rule = .consensus
        s.voting.blockingLevel = -2
        s.exits.standAsideFactor = 0
        let none = try Simulation(scenario: s, seed: 5).run().ledger
        #expect(none.exitsAfterStandingAside == 0 && none.totalExits == 0)
        s.exits.standAsideFactor = 1
        let some = try Simulation(scenario: s, seed: 5).run().ledger
        #expect(some.exitsAfterStandingAside > 0 && some.exitsAfterStandingAside == some.totalExits)
    }

    /// Owners revise: with a favourable class interest they come to support and concede.
    @Test func ownersWhoComeToSupportConcede() throws {
        var s = smallScenario(persons: 3_000, horizon: 120)
        s.population.privateShare = 0.9; s.population.stateShare = 0; s.population.cooperativeShare = 0.04
        s.population.p2pShare = 0.06
        let hostile = try summaries(s, replicates: 3)
        s.opinion.fieldOwner = [5, 5]
        let won = try summaries(s, replicates: 3)
        let sim = try Simulation(scenario: s, seed: 1)
        #expect(sim.ownerSupport[0] > 0, "owners with h = +5 support BJC after the burn-in")
        #expect(
            mean(won.map(\.final.workforceBJC)) > mean(hostile.map(\.final.workforceBJC)) + 0.05,
            "\(mean(won.map(\.final.workforceBJC))) vs \(mean(hostile.map(\.final.workforceBJC)))")
        #expect(mean(won.map(\.final.opposedBJC)) < mean(hostile.map(\.final.opposedBJC)), "supporting owners are not counted as opposed")
    }

    /// What coordinators stand to lose enters their stance on equitable pay; with the stake's
    /// weight at zero, pay levels no longer matter.
    @Test func coordinatorsPayStakeMovesTheirSupport() throws {
        func initialCoordinatorPaySupport(_ s: Scenario) throws -> Double {
            try (1...3).map { try Simulation(scenario: s, seed: $0).metrics().supportCoordinatorPay }.reduce(0, +) / 3
        }
        var s = smallScenario(persons: 5_000)
        s.opinion.coupling = 0  // peers aside: workers' larger gain would otherwise pull coordinators up
        let base = try initialCoordinatorPaySupport(s)
        s.pay.coordinator = 4
        let rich = try initialCoordinatorPaySupport(s)
        #expect(rich < base - 0.01, "a higher premium to lose lowers support: \(rich) vs \(base)")
        s.opinion.wPayStake = 0
        let off = try initialCoordinatorPaySupport(s)
        s.pay.coordinator = 2
        let offBase = try initialCoordinatorPaySupport(s)
        #expect(abs(off - offBase) < 1e-12, "without the stake, pay does not enter the stance")
        // And it reaches the outcome: the same seed with a larger premium to lose adopts
        // equitable pay over other people (the ledger) and to another extent (adoption).
        var run = smallScenario(persons: 3_000, horizon: 120)
        run.voting.rule = .majority
        let modest = try Simulation(scenario: run, seed: 6).run()
        run.pay.coordinator = 4
        let premium = try Simulation(scenario: run, seed: 6).run()
        #expect(premium.ledger.adoptedOverPersons != modest.ledger.adoptedOverPersons)
        #expect(premium.final.workforcePay != modest.final.workforcePay)
    }

    @Test func payStakeIsTheRelativeChangeUnderThePool() {
        let s = Scenario()
        // pool = 0.8 · 1 + 0.2 · 2 = 1.2
        #expect(abs(PayStake.relativeChange(.worker, effort: 1, s) - 0.2) < 1e-12)
        #expect(abs(PayStake.relativeChange(.coordinator, effort: 1, s) + 0.4) < 1e-12)
        #expect(abs(PayStake.relativeChange(.coordinator, effort: 1.5, s) + 0.1) < 1e-12)
        #expect(PayStake.relativeChange(.volunteer, effort: 1, s) == 0)
    }

    /// The training dip raises the failure hazard of firms in training: no dip, fewer failures.
    @Test func trainingDipRaisesFailures() throws {
        var s = smallScenario(persons: 4_000, horizon: 150)
        s.voting.rule = .majority
        s.failure.conventional = 0.02  // `failures` counts worker-run workplaces only
        s.training.months = 36
        s.training.failurePerDip = 20.0 / 3.0  // a lever, 0 at the defaults
        s.training.productivityDip = 0
        #expect(s.training.failureMultiplier == 1)
        func failures(_ s: Scenario) throws -> Int {
            var total = 0
            for seed: UInt64 in 1...3 {
                _ = try Simulation(scenario: s, seed: seed).run { total += $0.failures }
            }
            return total
        }
        let none = try failures(s)
        s.training.productivityDip = 0.6
        #expect(abs(s.training.failureMultiplier - 5) < 1e-12)
        let deep = try failures(s)
        #expect(Double(deep) > 1.2 * Double(none), "\(deep) failures with a 60% dip vs \(none) without")
    }

    /// Conventional workplaces fail too; the successor keeps the members but not their council.
    @Test func conventionalChurnDestroysCouncilsAndCountsJobs() throws {
        var s = smallScenario(persons: 3_000, horizon: 100)
        s.failure.conventional = 0
        var churned = 0
        let calm = try Simulation(scenario: s, seed: 3)
        calm.run { churned += $0.conventionalFailures }
        #expect(churned == 0)
        s.failure.conventional = 0.05
        var jobs = 0, councils = 0.0
        let rough = try Simulation(scenario: s, seed: 3)
        rough.run {
            churned += $0.conventionalFailures; jobs += $0.jobsLostInChurn; councils = $0.workersCouncils
        }
        #expect(churned > 100 && jobs > churned)
        #expect(rough.bookkeepingIsExact())
        var last = 0.0
        calm.run { last = $0.workersCouncils }
        #expect(councils < last, "churn leaves fewer workers' councils: \(councils) vs \(last)")
    }

    @Test func closuresAreRecoveredOutsideACrisisOnlyWhenMembersTry() throws {
        var s = smallScenario(persons: 4_000, horizon: 120)
        s.voting.rule = .majority
        s.failure.conventional = 0.02
        func recovered(_ s: Scenario) throws -> (firms: Int, abandoned: Int, rounds: Int) {
            var last = MetricsRecord(), recoveries = 0
            let sim = try Simulation(scenario: s, seed: 5)
            _ = sim.run { last = $0 }
            recoveries = last.firmsRecovered
            #expect(sim.bookkeepingIsExact())
            return (recoveries, last.firmsAbandoned, last.month)
        }
        let never = try recovered(s)
        #expect(never.firms == 0 && never.abandoned == 0, "no crisis and no attempts: nothing is recovered")
        s.failure.recoveryAttempt = 0.5
        let tried = try recovered(s)
        #expect(tried.abandoned > 20, "about half the private closures become attempts: \(tried.abandoned)")
        #expect(tried.firms > 0 && tried.firms <= tried.abandoned)
    }

    @Test func firmCountsFollowTheirRoutes() throws {
        var s = smallScenario(persons: 4_000, horizon: 120)
        s.path.allowTransfers = true
        s.state.support = .constant(1)
        s.state.transferRate = 0.2
        s.owners.lambda = 0; s.owners.resistanceMean = 3  // owners refuse, so the state transfers
        s.crisis.enabled = true; s.crisis.start = 6; s.crisis.duration = 24; s.crisis.abandonRate = 0.02
        s.voting.rule = .majority
        let sim = try Simulation(scenario: s, seed: 2)
        var last = MetricsRecord()
        let summary = sim.run { last = $0 }
        #expect(summary.ledger.ownersExpropriated > 0 && last.firmsTransferred > 0)
        #expect(last.firmsTransferred <= summary.ledger.ownersExpropriated)
        #expect(last.firmsAbandoned > 0 && last.firmsRecovered > 0 && last.firmsRecovered <= last.firmsAbandoned)
        #expect(last.firmsNew > 0 && last.workforceNew > 0)
        #expect(last.firmsComanaged >= last.firmsTransferred)
        let open = (0..<sim.workplaces.count).filter { sim.workplaces.open[$0] && sim.counts.workplaceMembers[$0] > 0 }
        #expect(last.firmsRecovered == open.filter { sim.workplaces.origin[$0] == .recovered }.count)
    }
}

@Suite("Momentum formulations")
struct MomentumFormulationTests {
    func monthsAtCap(_ f: MomentumFormulation, seed: UInt64 = 1) throws -> Int {
        var s = smallScenario(persons: 4_000, horizon: 240)
        s.movement.formulation = f
        var at = 0
        try Simulation(scenario: s, seed: seed).run { if $0.momentum >= s.movement.momentumCap - 1e-12 { at += 1 } }
        return at
    }

    @Test func legacyCapBindsForYearsSaturatingNever() throws {
        #expect(try monthsAtCap(.legacy) >= 24)
        #expect(try monthsAtCap(.saturating) == 0)
    }

    /// Under `.aged` a dispute younger than the stated age costs nothing; under `.legacy` it does.
    @Test func youngDisputesCostOnlyUnderLegacy() throws {
        var s = smallScenario(persons: 2_000, horizon: 12)
        s.movement.gainPerWin = 0; s.movement.gainPerSupport = 0; s.movement.decay = 0
        s.movement.pendingCost = 1; s.movement.pendingAge = 12
        for (f, expectCost) in [(MomentumFormulation.legacy, true), (.aged, false), (.saturating, false)] {
            s.movement.formulation = f
            let sim = try Simulation(scenario: s, seed: 1)
            let w = (0..<sim.workplaces.count).first { sim.counts.workplaceMembers[$0] > 0 }!
            sim.workplaces.hasCouncil[w] = true
            sim.workplaces.setPending(w, .bjc, true, month: sim.month)
            sim.month = 3
            let m = sim.nextMomentum(1.0, win: 0)
            #expect((m < 1.0) == expectCost, "\(f): \(m)")
            sim.month = 12
            #expect(sim.nextMomentum(1.0, win: 0) < 1.0, "\(f): a dispute of 12 months costs")
        }
    }

    @Test func saturatingGainsShrinkNearTheCap() throws {
        var s = smallScenario(persons: 2_000, horizon: 12)
        s.movement.formulation = .saturating
        s.movement.gainPerSupport = 0; s.movement.decay = 0; s.movement.pendingCost = 0
        let sim = try Simulation(scenario: s, seed: 1)
        let low = sim.nextMomentum(0.6, win: 0.1) - 0.6, high = sim.nextMomentum(1.9, win: 0.1) - 1.9
        #expect(low > 0 && high > 0 && high < low / 5)
        #expect(sim.nextMomentum(1.9, win: 10) <= s.movement.momentumCap)
    }
}
