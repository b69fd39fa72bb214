import Testing
@testable import TransitionModel

@Suite("Model mechanisms, by their behaviour")
struct MechanismTests {
    /// The rule-specific split says nobody was overruled; the shared measure still sees the
    /// people who stood aside, so consensus is not coercion-free by definition.
    @Test func consensusWithoutTransfersNeverOverrules() throws {
        var s = smallScenario()
        s.voting.rule = .consensus
        s.path.allowTransfers = false
        let runs = try summaries(s, replicates: 5)
        #expect(runs.allSatisfy { $0.ledger.overruledEvents == 0 && $0.ledger.ownersExpropriated == 0 })
        #expect(runs.allSatisfy { $0.ledger.stoodAside == 0 || $0.ledger.adoptedOverPersons[0] > 0 })
        #expect(runs.contains { $0.final.workforceBJC > 0 }, "consensus must still adopt somewhere for the test to mean anything")
        #expect(runs.contains { $0.ledger.stoodAside > 0 })
    }

    @Test func prefigurativePathTransformsNoExistingWorkplace() throws {
        var s = smallScenario(persons: 5_000, horizon: 240)
        s.path.transformExisting = false
        s.volunteers.alliance = true
        var founded = 0
        for seed in 1...3 as ClosedRange<UInt64> {
            let sim = try Simulation(scenario: s, seed: seed)
            sim.auditAdoptions = true
            let summary = sim.run { founded += $0.newFirms }
            #expect(sim.adoptionAudit.isEmpty)
            for w in 0..<sim.initialWorkplaceCount {
                #expect(!sim.workplaces.isAdopted(w, .bjc) && !sim.workplaces.isAdopted(w, .pay))
            }
            #expect(summary.coercionFree)
        }
        #expect(founded > 5, "new firms must have been founded")
    }

    @Test func immovableOwnersWithoutStateSupportNeverConcede() throws {
        var s = smallScenario()
        s.owners.resistanceMean = 100
        s.owners.resistanceSD = 0
        s.voting.rule = .majority
        let sim = try Simulation(scenario: s, seed: 3)
        sim.run()
        var privateCount = 0
        for w in 0..<sim.initialWorkplaceCount where sim.workplaces.kind[w] == .privateFirm {
            privateCount += 1
            #expect(!sim.workplaces.isAdopted(w, .bjc) && !sim.workplaces.isAdopted(w, .pay))
        }
        #expect(privateCount > 50)
        #expect(
            (0..<sim.workplaces.count).contains { sim.workplaces.isPending($0, .pay) },
            "disputes must be pending: members decided, owners refused")
    }

    @Test func morePressureDoesNotLowerMeanAdoption() throws {
        var means: [Double] = []
        for level in [0.5, 1.0, 1.5] {
            var s = smallScenario(persons: 1_000, horizon: 120)
            s.movement.base = .constant(level)
            means.append(mean(try summaries(s, replicates: 20).map { $0.final.workforceBJC + $0.final.workforcePay }))
        }
        #expect(means[0] <= means[1] + 0.02 && means[1] <= means[2] + 0.02, "\(means)")
        #expect(means[2] > means[0], "\(means)")
    }

    @Test func councilRolloutReachesItsTargetCoverage() throws {
        var s = smallScenario(persons: 20_000, horizon: 240)
        s.councils.rollout = .logistic(seed: 0.05, rate: 0.08, target: 0.6)
        let final = try Simulation(scenario: s, seed: 1).run().final
        #expect(abs(final.councilCoverage - 0.6) < 0.05, "coverage \(final.councilCoverage)")

        var t = smallScenario(persons: 20_000, horizon: 60)
        t.councils.rollout = .table(points: [(0, 0), (12, 300), (48, 900)], total: 1000)
        let sim = try Simulation(scenario: t, seed: 2)
        var at12 = 0.0, at60 = 0.0
        sim.run { m in
            if m.month == 12 { at12 = m.councilCoverage }; if m.month == 60 { at60 = m.councilCoverage }
        }
        #expect(abs(at12 - 0.3) < 0.05 && abs(at60 - 0.9) < 0.05, "\(at12), \(at60)")
    }

    @Test func councilsSpeedAdoption() throws {
        var with = smallScenario(persons: 1_000, horizon: 120)
        with.councils.rollout = .logistic(seed: 0.2, rate: 0.1, target: 1.0)
        var without = with
        without.councils.rollout = .none
        let a = mean(try summaries(with, replicates: 10).map(\.final.workforceBJC))
        let b = mean(try summaries(without, replicates: 10).map(\.final.workforceBJC))
        #expect(a > b, "with councils \(a), without \(b)")
    }

    @Test func coordinatorSolidarityRisesOnlyWhereExposed() throws {
        var s = smallScenario(persons: 10_000, horizon: 120)
        s.councils.rollout = .logistic(seed: 0.5, rate: 0, target: 1)
        s.path.transformExisting = false
        s.newFirms.enabled = false
        let sim = try Simulation(scenario: s, seed: 4)
        sim.run()
        var exposed: [Double] = [], unexposed: [Double] = []
        for i in 0..<sim.population.count where sim.population.personClass[i] == .coordinator {
            let change = Double(sim.population.solidarity[i] - sim.population.initialSolidarity[i])
            if sim.neighbourhoodHasCouncil[Int(sim.population.neighbourhood[i])] {
                exposed.append(change)
            } else {
                unexposed.append(change)
            }
        }
        #expect(exposed.count > 100 && unexposed.count > 100)
        #expect(mean(exposed) > 0.1, "exposed coordinators: mean change \(mean(exposed))")
        #expect(abs(mean(unexposed)) < 0.01, "unexposed coordinators: mean change \(mean(unexposed))")
    }

    @Test func personsAreConserved() throws {
        var s = smallScenario()
        s.voting.rule = .majority
        s.path.allowTransfers = true
        s.state.support = .constant(1)
        s.owners.resistanceMean = 5
        s.crisis.enabled = true
        let sim = try Simulation(scenario: s, seed: 5)
        var lastActive = 0
        let summary = sim.run { lastActive = $0.activePersons }
        #expect(lastActive + sim.departed == s.population.persons)
        #expect(summary.ledger.ownersExpropriated > 0)
    }

    @Test func giniFallsAsEquitablePaySpreads() throws {
        var s = smallScenario(persons: 5_000, horizon: 200)
        s.voting.rule = .majority
        let sim = try Simulation(scenario: s, seed: 6)
        var first: MetricsRecord? = nil
        let summary = sim.run { if first == nil { first = $0 } }
        #expect(summary.final.workforcePay > 0.5)
        #expect(summary.final.incomeGini < first!.incomeGini - 0.01, "\(first!.incomeGini) → \(summary.final.incomeGini)")
        #expect(summary.final.coordinatorWorkerPayRatio < first!.coordinatorWorkerPayRatio)
    }

    @Test func adoptedInstitutionsRevertWhenSupportCollapses() throws {
        var s = smallScenario(persons: 2_000, horizon: 120)
        s.population.cooperativeShare = 1; s.population.privateShare = 0; s.population.stateShare = 0; s.population.p2pShare = 0
        s.opinion.initial = .fixed(share: 1)
        s.opinion.revisionRate = 0.03
        s.opinion.fieldWorker = [-4, -4]; s.opinion.fieldCoordinator = [-4, -4]
        s.workersCouncils.supportThreshold = 0.01
        s.workersCouncils.rate = 1
        s.voting.rule = .majority
        s.newFirms.enabled = false
        let sim = try Simulation(scenario: s, seed: 8)
        var adoptions = 0, reversions = 0
        sim.run {
            adoptions += $0.adoptions; reversions += $0.reversions
        }
        #expect(adoptions > 50)
        #expect(reversions > adoptions / 2, "adoptions \(adoptions), reversions \(reversions)")
    }

    @Test func transfersExpropriateOnlyWherePathAllows() throws {
        var s = smallScenario()
        s.state.support = .constant(1)
        s.owners.resistanceMean = 5
        s.voting.rule = .majority
        s.path.allowTransfers = false
        #expect(try summaries(s, replicates: 3).allSatisfy { $0.ledger.ownersExpropriated == 0 })
        s.path.allowTransfers = true
        #expect(try summaries(s, replicates: 3).allSatisfy { $0.ledger.ownersExpropriated > 0 })
    }

    @Test func allianceMakesVolunteersSupportAndFoundFirms() throws {
        var isolated = smallScenario(persons: 4_000, horizon: 120)
        isolated.path.transformExisting = false
        isolated.population.p2pShare = 0.3; isolated.population.privateShare = 0.46
        var allied = isolated
        allied.volunteers.alliance = true
        allied.volunteers.socialConcernShare = 1
        let a = try summaries(allied, replicates: 5), i = try summaries(isolated, replicates: 5)
        #expect(mean(a.map(\.final.supportVolunteerPay)) > mean(i.map(\.final.supportVolunteerPay)) + 0.1)
        #expect(mean(a.map(\.final.workforceBoth)) > mean(i.map(\.final.workforceBoth)))
    }

    @Test func crisisAbandonmentLeadsToRecoveredCooperatives() throws {
        var s = smallScenario(persons: 5_000, horizon: 60)
        s.crisis.enabled = true; s.crisis.start = 6; s.crisis.duration = 36; s.crisis.abandonRate = 0.02
        s.voting.rule = .majority
        let sim = try Simulation(scenario: s, seed: 9)
        let summary = sim.run()
        let recovered = (0..<sim.workplaces.count).filter { sim.workplaces.origin[$0] == .recovered }
        #expect(!recovered.isEmpty && sim.recoveredTotal >= recovered.count)
        #expect(recovered.allSatisfy { sim.workplaces.kind[$0] == .cooperative && sim.workplaces.owner[$0] == -1 })
        #expect(summary.ledger.ownersExpropriated == 0, "abandoning owners are not expropriated")
    }

    @Test func backlashDentsTheCurves() throws {
        var s = smallScenario(persons: 5_000, horizon: 240)
        s.shocks.enabled = true; s.shocks.meanInterval = 30; s.shocks.retractRate = 0.05; s.shocks.failureMultiplier = 5
        var dented = 0
        for seed in 1...5 as ClosedRange<UInt64> {
            var peak = 0.0, worstFall = 0.0
            try Simulation(scenario: s, seed: seed).run { m in
                peak = max(peak, m.workforcePay)
                worstFall = max(worstFall, peak - m.workforcePay)
            }
            if worstFall > 0.01 { dented += 1 }
        }
        #expect(dented >= 3, "curves fell by more than 1 point in \(dented) of 5 runs")
    }
}
