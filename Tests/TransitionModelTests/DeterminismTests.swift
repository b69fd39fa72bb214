import Testing
@testable import TransitionModel

@Suite("Same seed, same results, whatever the thread count")
struct DeterminismTests {
    @Test func fullModelIsIndependentOfThreads() throws {
        var s = Scenario()
        s.population.persons = 40_000  // three chunks of 16,384
        s.horizon = 24
        var series: [[MetricsRecord]] = []
        for threads in [1, 2, 3] {
            var rows: [MetricsRecord] = []
            try Simulation(scenario: s, seed: 11, threads: threads).run { rows.append($0) }
            series.append(rows)
        }
        #expect(series[0] == series[1])
        #expect(series[0] == series[2])
        #expect(series[0].last!.supportWorkerBJC != series[0].first!.supportWorkerBJC)
    }

    @Test func differentSeedsDiffer() throws {
        var s = Scenario(); s.population.persons = 2_000; s.horizon = 24
        var a: [MetricsRecord] = [], b: [MetricsRecord] = []
        try Simulation(scenario: s, seed: 1).run { a.append($0) }
        try Simulation(scenario: s, seed: 2).run { b.append($0) }
        #expect(a != b)
    }

    @Test func coreIsIndependentOfThreads() throws {
        var p = SocialInteractionsCore.Parameters(persons: 50_000, groupSize: 50)
        p.coupling = 1.2
        let one = try SocialInteractionsCore(p, seed: 5, threads: 1), two = try SocialInteractionsCore(p, seed: 5, threads: 2)
        var a: [Double] = [], b: [Double] = []
        for _ in 0..<30 { one.step(); two.step(); a.append(one.share); b.append(two.share) }
        #expect(a == b)
    }
}

@Suite("Incremental bookkeeping")
struct BookkeepingTests {
    /// Every change of stance, membership or activity is booked into the group counts as it
    /// happens; after any month they must equal a full recount.
    @Test(arguments: ["baseline", "majority-transfers-crisis", "prefigurative-alliance", "backlash"])
    func incrementalCountsEqualAFullRecount(_ variant: String) throws {
        var s = Scenario()
        s.population.persons = 3_000
        switch variant {
        case "majority-transfers-crisis":
            s.voting.rule = .majority; s.path.allowTransfers = true; s.state.support = .constant(1)
            s.owners.resistanceMean = 4; s.crisis.enabled = true; s.crisis.start = 10
        case "prefigurative-alliance":
            s.path.transformExisting = false; s.volunteers.alliance = true; s.newFirms.rate = 2
        case "backlash":
            s.shocks.enabled = true; s.shocks.meanInterval = 20
        default: break
        }
        let sim = try Simulation(scenario: s, seed: 3, threads: 2)
        #expect(sim.bookkeepingIsExact())
        var checked = 0
        while sim.month < 150 {
            sim.step()
            _ = sim.metrics()
            if sim.month % 10 == 0 {
                #expect(sim.bookkeepingIsExact(), "month \(sim.month)")
                checked += 1
            }
        }
        #expect(checked == 15)
    }
}
