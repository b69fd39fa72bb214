import Testing
@testable import TransitionModel

@Suite("Same seed, same results, whatever the thread count")
struct DeterminismTests {
    @Test func fullModelIsIndependentOfThreads() throws {
        var s = Scenario()
        s.population.persons = 40_000   // three chunks of 16,384
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
