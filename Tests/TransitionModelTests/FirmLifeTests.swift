import Testing

@testable import TransitionModel

/// Firms' lives: survival by governance, the hostile market, successors, recoveries that
/// spread, and the planning federation — each tested by what it does, and by what changes
/// when it is switched off.
@Suite("Firm life")
struct FirmLifeTests {
    /// Failures per workplace-month of worker-run and of conventional workplaces, state ones apart.
    struct Exposure {
        var workerRunMonths = 0, conventionalMonths = 0, workerRunFailures = 0, conventionalFailures = 0
        var workerRunHazard: Double { Double(workerRunFailures) / Double(max(workerRunMonths, 1)) }
        var conventionalHazard: Double { Double(conventionalFailures) / Double(max(conventionalMonths, 1)) }
    }

    func exposure(_ s: Scenario, seeds: ClosedRange<UInt64>) throws -> Exposure {
        var e = Exposure()
        for seed in seeds {
            let sim = try Simulation(scenario: s, seed: seed)
            while sim.month < s.horizon {
                for w in 0..<sim.workplaces.count where sim.workplaces.open[w] && sim.workplaces.kind[w] != .state {
                    if sim.workplaces.isWorkerRun(w) {
                        e.workerRunMonths += 1
                    } else {
                        e.conventionalMonths += 1
                    }
                }
                sim.step()
                e.workerRunFailures += sim.events.failures
                e.conventionalFailures += sim.events.conventionalFailures
            }
            #expect(sim.bookkeepingIsExact())
        }
        return e
    }

    func churning(_ ratio: Double) -> Scenario {
        var s = smallScenario(persons: 6_000, horizon: 120)
        s.voting.rule = .majority
        s.failure.conventional = 0.01
        s.failure.hostileMarket = 0
        s.failure.ratioAdopted = ratio; s.failure.ratioRecovered = ratio; s.failure.ratioFounded = ratio
        return s
    }

    /// A ratio below 1 makes worker-run workplaces outlive conventional ones, in proportion.
    @Test func hazardRatiosByGovernanceAreWhatTheySay() throws {
        let low = try exposure(churning(0.3), seeds: 1...3)
        let even = try exposure(churning(1), seeds: 1...3)
        #expect(low.workerRunMonths > 20_000 && low.conventionalMonths > 20_000)
        let lowRatio = low.workerRunHazard / low.conventionalHazard, evenRatio = even.workerRunHazard / even.conventionalHazard
        #expect(lowRatio > 0.2 && lowRatio < 0.42, "ratio 0.3 measured as \(lowRatio)")
        #expect(evenRatio > 0.85 && evenRatio < 1.18, "ratio 1 measured as \(evenRatio)")
    }

    /// The hostile market adds failures where adoption has spread, and none where nothing
    /// threatens capital (s = 0).
    @Test func hostileMarketBitesOnlyWhereAdoptionThreatens() throws {
        var s = churning(0.71)
        let calm = try exposure(s, seeds: 1...2)
        s.failure.hostileMarket = 0.02
        let hostile = try exposure(s, seeds: 1...2)
        #expect(hostile.workerRunHazard > calm.workerRunHazard + 0.005, "\(hostile.workerRunHazard) vs \(calm.workerRunHazard)")
        // Nothing adopted: the term is 4·0·(1 − 0) = 0, and conventional churn is unchanged.
        var none = churning(0.71)
        none.movement.base = .constant(0); none.path.transformExisting = false; none.newFirms.enabled = false
        var noneHostile = none
        noneHostile.failure.hostileMarket = 1
        let a = try Simulation(scenario: none, seed: 4).run(), b = try Simulation(scenario: noneHostile, seed: 4).run()
        #expect(a.statusQuo.jobsLost == b.statusQuo.jobsLost)
    }

    /// A state workplace keeps the state's shelter when it adopts: at `ratio_state` 0 none fails,
    /// under any hostile market; at ratio 1 they fail like conventional ones.
    @Test func adoptedStateWorkplacesKeepTheirShelter() throws {
        var s = churning(1)
        s.population.privateShare = 0; s.population.stateShare = 1
        s.population.cooperativeShare = 0; s.population.p2pShare = 0
        s.newFirms.enabled = false
        s.failure.hostileMarket = 0.05
        func run(_ s: Scenario) throws -> (failures: Int, workerRunMonths: Int) {
            let sim = try Simulation(scenario: s, seed: 3)
            var failures = 0, months = 0
            while sim.month < s.horizon {
                months += (0..<sim.workplaces.count).filter { sim.workplaces.open[$0] && sim.workplaces.isWorkerRun($0) }.count
                sim.step()
                failures += sim.events.failures
            }
            return (failures, months)
        }
        let sheltered = try run(s)
        #expect(sheltered.workerRunMonths > 2_000, "few adopted state workplaces: the test sees nothing")
        #expect(sheltered.failures == 0)
        s.failure.ratioState = 1
        #expect(try run(s).failures > 20)
    }

    /// A failed worker-run workplace gets a conventional successor that keeps its members
    /// (institutions and council lost); under `none` it closes and they go elsewhere.
    @Test func successorRuleDecidesWhereMembersGo() throws {
        var s = churning(3)
        s.failure.successor = .conventional
        let kept = try Simulation(scenario: s, seed: 2)
        var failures = 0
        kept.run { failures += $0.failures }
        #expect(failures > 30)
        let closedKept = kept.workplaces.open.filter { !$0 }.count
        s.failure.successor = .none
        let closing = try Simulation(scenario: s, seed: 2)
        closing.run()
        let closedClosing = closing.workplaces.open.filter { !$0 }.count
        #expect(closedClosing > closedKept + 20, "closed workplaces: \(closedClosing) without successors, \(closedKept) with")
        #expect(kept.bookkeepingIsExact() && closing.bookkeepingIsExact())
    }

    /// Recoveries outside a crisis spread with the recoveries already made, and stop when a
    /// hostile government blocks them.
    @Test func recoveriesSpreadAndCanBeStopped() throws {
        var s = smallScenario(persons: 8_000, horizon: 180)
        s.voting.rule = .majority
        s.failure.conventional = 0.01
        s.failure.recoveryAttempt = 0.03
        func recoveries(_ s: Scenario) throws -> (total: Int, late: Int) {
            var total = 0, late = 0
            for seed: UInt64 in 1...3 {
                let sim = try Simulation(scenario: s, seed: seed)
                var before = 0
                sim.run { m in if m.month == 90 { before = sim.recoveredTotal } }
                total += sim.recoveredTotal; late += sim.recoveredTotal - before
            }
            return (total, late)
        }
        s.failure.recoveryRepertoire = 0
        let flat = try recoveries(s)
        s.failure.recoveryRepertoire = 20
        let spreading = try recoveries(s)
        #expect(flat.total > 3)
        #expect(Double(spreading.total) > 1.5 * Double(flat.total), "repertoire: \(spreading.total) recoveries vs \(flat.total)")
        s.failure.recoveryClimate = .table([(month: 0, value: 1), (month: 89, value: 1), (month: 90, value: 0)])
        let blocked = try recoveries(s)
        #expect(blocked.late == 0 && spreading.late > 0, "after month 90: \(blocked.late) recoveries under a hostile government")
    }

    /// Recovered workplaces decide equitable pay by their own votes: nobody adopts it at the
    /// recovery, and where workers lean against it some never do.
    @Test func recoveredFirmsDecideEquitablePayThemselves() throws {
        var s = smallScenario(persons: 8_000, horizon: 120)
        s.voting.rule = .majority
        s.crisis.enabled = true; s.crisis.start = 6; s.crisis.duration = 24; s.crisis.abandonRate = 0.02
        s.opinion.fieldWorker = [0.6, -0.6]  // for self-management and BJC, wary of equal pay
        let sim = try Simulation(scenario: s, seed: 3)
        var last = MetricsRecord()
        sim.run { last = $0 }
        #expect(last.firmsRecovered > 10)
        #expect(last.firmsRecoveredPay < last.firmsRecovered, "\(last.firmsRecoveredPay) of \(last.firmsRecovered) adopted equitable pay")
        let recovered = (0..<sim.workplaces.count).filter { sim.workplaces.open[$0] && sim.workplaces.origin[$0] == .recovered }
        #expect(recovered.allSatisfy { sim.workplaces.adoptedBy[1][$0] != .recovered }, "no adoption by the recovery itself")
    }

    @Test func plannedShareIsTheNegotiatedPartOfExchange() {
        var p = PlanningParameters()
        #expect(p.plannedShare(federatedWorkforce: 0.4, councilCoverage: 0.8) == 0, "off: nothing planned")
        p.enabled = true; p.consumerShare = 0.25
        #expect(abs(p.plannedShare(federatedWorkforce: 0.4, councilCoverage: 0.8) - (0.75 * 0.4 + 0.25 * 0.8)) < 1e-12)
        #expect(p.plannedShare(federatedWorkforce: 1, councilCoverage: 1) == 1)
    }

    /// Federated workplaces fail less (the planned part of their exchange is off the market)
    /// and their members are relocated inside the federation; switched off, neither happens.
    @Test func federationShieldsAndRelocates() throws {
        var s = churning(1)
        s.failure.hostileMarket = 0.04
        s.councils.rollout = .logistic(seed: 0.5, rate: 0.1, target: 1)
        s.planning.enabled = true; s.planning.joinRate = 0.2
        var federatedMonths = 0, federatedFailures = 0, otherMonths = 0, otherFailures = 0, relocated = 0
        for seed: UInt64 in 1...2 {
            let sim = try Simulation(scenario: s, seed: seed)
            while sim.month < s.horizon {
                var fed = Set<Int>()
                for w in 0..<sim.workplaces.count where sim.workplaces.open[w] && sim.workplaces.isWorkerRun(w) {
                    if sim.workplaces.federated[w] { fed.insert(w) }
                }
                let workerRun = (0..<sim.workplaces.count).filter { sim.workplaces.open[$0] && sim.workplaces.isWorkerRun($0) }.count
                sim.step()
                federatedMonths += fed.count; otherMonths += workerRun - fed.count
                federatedFailures += sim.events.federatedFailures; otherFailures += sim.events.failures - sim.events.federatedFailures
            }
            relocated += sim.relocatedTotal
            #expect(sim.bookkeepingIsExact())
            #expect(sim.metrics().plannedShare > 0.1)
        }
        #expect(federatedMonths > 5_000)
        let fedHazard = Double(federatedFailures) / Double(federatedMonths), otherHazard = Double(otherFailures) / Double(max(otherMonths, 1))
        #expect(fedHazard < 0.8 * otherHazard, "federated \(fedHazard) vs others \(otherHazard) a month")
        #expect(relocated > 0)
        s.planning.relocate = false
        let plain = try Simulation(scenario: s, seed: 1)
        plain.run()
        #expect(plain.relocatedTotal == 0)
    }

    /// Degeneration: hires into adopted worker-run workplaces become non-members, and members
    /// vote institutions away where they have become a minority; with no hiring of non-members
    /// nothing of the kind happens.
    @Test func hiredNonMembersBringDegeneration() throws {
        var s = smallScenario(persons: 6_000, horizon: 180)
        s.voting.rule = .majority
        // Failed workplaces close, so their members are hired elsewhere, adopted workplaces included.
        s.failure.conventional = 0.03; s.failure.successor = .none
        func run(_ s: Scenario) throws -> (share: Double, degenerations: Int, exact: Bool) {
            let sim = try Simulation(scenario: s, seed: 7)
            var last = MetricsRecord(), degenerations = 0
            sim.run { last = $0; degenerations += $0.degenerations }
            return (last.memberShareAdopted, degenerations, sim.bookkeepingIsExact())
        }
        s.degeneration.hireNonMember = 0
        let none = try run(s)
        #expect(none.share == 1 && none.degenerations == 0 && none.exact)
        s.degeneration.hireNonMember = 0.9; s.degeneration.reversionRate = 0.2
        let hiring = try run(s)
        #expect(hiring.share < 0.97, "member share \(hiring.share)")
        #expect(hiring.degenerations > 0 && hiring.exact)
        s.degeneration.reversionRate = 0
        let noVotes = try run(s)
        #expect(noVotes.degenerations == 0 && noVotes.share < 0.97)
    }
}
