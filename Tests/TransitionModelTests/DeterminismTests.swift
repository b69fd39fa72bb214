import Stochastic
import Testing
@testable import TransitionModel

@Suite("Same seed, same results, whatever the thread count")
struct DeterminismTests {
    @Test(arguments: ["baseline", "gradual-reform"])
    func fullModelIsIndependentOfThreads(_ variant: String) throws {
        var s = BookkeepingTests.variant(variant)
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

    /// Workers take chunks as they come free; whatever the thread count, every chunk must be
    /// run exactly once, over its own persons, with its own stream.
    @Test(arguments: [1, 2, 3, 8])
    func everyChunkRunsOnceWithItsOwnStream(threads: Int) {
        let size = Simulation.chunkSize, persons = 5 * size + 17
        let streams = (0..<6).map { RandomStream(seed: 1, stream: UInt64($0)) }
        let seen = UnsafeMutableBufferPointer<Int>.allocate(capacity: streams.count)
        seen.initialize(repeating: 0)
        defer { seen.deallocate() }
        let record = UncheckedSendable(seen)
        Simulation.forEachChunk(persons: persons, streams: streams, threads: threads) { range, stream in
            let c = range.lowerBound / size
            #expect(range == c * size..<min(persons, (c + 1) * size))
            #expect(stream === streams[c])
            record.value[c] += 1  // each chunk's own slot
        }
        #expect(Array(seen) == [1, 1, 1, 1, 1, 1])
    }

    /// Skipping the metrics of months nobody reads (a calibration's) must leave the run as it
    /// is: the months recorded equal the same months of a run that records every month, and
    /// the run stops after the last month asked for.
    @Test(arguments: ["baseline", "majority-transfers-crisis", "gradual-reform"])
    func recordingFewMonthsIsTheSameRun(_ variant: String) throws {
        var s = BookkeepingTests.variant(variant); s.horizon = 90
        var every: [Int: MetricsRecord] = [:]
        let reached = try Simulation(scenario: s, seed: 9, threads: 2).runWhile { every[$0.month] = $0; return true }
        #expect(reached && every.count == 91)
        let months: Set<Int> = [0, 7, 36, 37, 80]
        var few: [MetricsRecord] = []
        let sim = try Simulation(scenario: s, seed: 9, threads: 2)
        let fewReached = sim.runWhile(recording: months) { few.append($0); return true }
        #expect(few.map(\.month) == [0, 7, 36, 37, 80])
        for m in few { #expect(m == every[m.month], "month \(m.month)") }
        #expect(!fewReached && sim.month == 80)
        // A month past the horizon runs to the horizon; stopping early still stops.
        var late: [Int] = []
        #expect(try Simulation(scenario: s, seed: 9).runWhile(recording: [5, 500]) { late.append($0.month); return true })
        #expect(late == [5])
        var stopped: [Int] = []
        #expect(try !Simulation(scenario: s, seed: 9).runWhile(recording: [5, 20, 60]) { stopped.append($0.month); return $0.month < 20 })
        #expect(stopped == [5, 20])
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
    /// 3,000 persons with the mechanisms that move people and money switched on in turn.
    static func variant(_ name: String) -> Scenario {
        var s = Scenario()
        s.population.persons = 3_000
        switch name {
        case "majority-transfers-crisis":
            s.voting.rule = .majority; s.path.allowTransfers = true; s.state.support = .constant(1)
            s.owners.resistanceMean = 4; s.crisis.enabled = true; s.crisis.start = 10
        case "prefigurative-alliance":
            s.path.transformExisting = false; s.volunteers.alliance = true; s.newFirms.rate = 2
        case "backlash":
            s.shocks.enabled = true; s.shocks.meanInterval = 20
        case "training-backlash":
            s.voting.rule = .majority; s.shocks.enabled = true; s.shocks.meanInterval = 20
            s.training.productivityDip = 0.3
        case "gradual-reform":
            s.voting.rule = .majority
            s.reform.payCeiling = .constant(1.8); s.reform.minimumWage = .ramp(from: 0, to: 1.1, start: 0, end: 60)
            s.reform.taxRate = .constant(0.4); s.reform.basicIncome = .constant(0.2)
        default: precondition(name == "baseline", "unknown test variant \(name)")
        }
        return s
    }

    /// Every change of stance, membership or activity is booked into the group counts as it
    /// happens; after any month they must equal a full recount.
    @Test(arguments: ["baseline", "majority-transfers-crisis", "prefigurative-alliance", "backlash"])
    func incrementalCountsEqualAFullRecount(_ variant: String) throws {
        let sim = try Simulation(scenario: Self.variant(variant), seed: 3, threads: 2)
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

    /// The income tally adds whole classes of a workplace at once where pay is conventional;
    /// it must equal adding every active person's income singly, by its definition. At 40,000
    /// persons (three chunks) on three threads each thread tallies its own share of the
    /// workplaces and of the chunks, and the merged result must still be the single sum.
    @Test(arguments: [
        ("majority-transfers-crisis", 3_000, 150, 2), ("prefigurative-alliance", 3_000, 150, 2),
        ("training-backlash", 3_000, 150, 2), ("gradual-reform", 3_000, 150, 2),
        ("gradual-reform", 40_000, 40, 3), ("majority-transfers-crisis", 40_000, 40, 3),
    ])
    func incomeTallyEqualsEveryIncomeAddedSingly(_ variant: String, persons: Int, months: Int, threads: Int) throws {
        var scenario = Self.variant(variant)
        scenario.population.persons = persons
        let sim = try Simulation(scenario: scenario, seed: 5, threads: threads)
        var equitableMonths = 0, taxedMonths = 0
        while sim.month < months {
            sim.step()
            let factors = sim.incomeFactors()
            let fast = sim.incomeTally(factors)
            var single = IncomeHistogram()
            var byClass: [Int64] = [0, 0, 0, 0]
            var taxed: Int64 = 0
            var equitable = 0
            let pop = sim.population
            for i in 0..<pop.count where pop.isActive(i) {
                let c = pop.personClass[i], w = Int(pop.workplace[i])
                var x = factors.income(class: c, workplace: w, effort: pop.effort[i])
                if let rule = factors.rule {
                    let g = rule.gross(x, owner: c == .owner)
                    taxed &+= IncomeHistogram.fixedPoint(rule.taxed(g))
                    x = rule.disposable(g)
                }
                single.add(x)
                byClass[Int(c.rawValue)] &+= IncomeHistogram.fixedPoint(x)
                if c != .owner && factors.effortRate[w] >= 0 { equitable += 1 }
            }
            #expect(fast.gini == single.gini(), "month \(sim.month)")
            #expect(fast.lowestDecileShare == single.giniAndLowestShare(0.1).lowest, "month \(sim.month)")
            #expect(fast.byClass == byClass, "month \(sim.month)")
            #expect(fast.taxed == Double(taxed) / IncomeHistogram.scale, "month \(sim.month)")
            if equitable > 0 { equitableMonths += 1 }
            if taxed > 0 { taxedMonths += 1 }
        }
        // The check covered months with persons under equitable pay (visited one by one), and
        // under the gradual path months with a tax base.
        #expect(equitableMonths > months / 3, "\(equitableMonths) of \(months) months with equitable pay")
        if variant == "gradual-reform" { #expect(taxedMonths == months) }
    }

    /// The group counts keep solidarities and efforts in fixed point, summed in parallel and
    /// updated person by person; their conversion skips Swift's range check, so it must give
    /// Swift's own number for every value a person can hold (truncation toward zero).
    @Test func fixedPointIsSwiftsOwnConversion() {
        var values: [Float] = [0, -0, .leastNonzeroMagnitude, .leastNormalMagnitude, 0x1p-21, 0x1p-20,
                               Float(0x1p-20).nextDown, Float(0x1p-20).nextUp, 0.5, Float(1).nextDown, 1,
                               -0.3, -Float(0x1p-20).nextDown, 0.05, 7.25, 1e6]
        let stream = RandomStream(seed: 5, stream: 0)
        for _ in 0..<20_000 { values.append(Float(stream.uniform())) }
        for _ in 0..<2_000 { values.append(Float(stream.uniform() * 60 - 10)) }
        var differing: [Float] = []
        for x in values where GroupCounts.fixed(x) != Int64(Double(x) * GroupCounts.fixedScale) { differing.append(x) }
        #expect(differing.isEmpty, "fixed(x) differs from Int64(Double(x) * 2^20) at \(differing.prefix(5))")
        // Truncation, not rounding: just below one unit is 0, just above −1 unit is 0.
        #expect(GroupCounts.fixed(Float(0x1p-20).nextDown) == 0)
        #expect(GroupCounts.fixed(-Float(0x1p-20).nextDown) == 0)
        #expect(GroupCounts.fixed(0.75) == 786_432)
    }

    /// The conversion's range rests on σ staying in [0, 1], which needs rates in [0, 1]: a
    /// scenario made in code with a larger rate is refused by the model itself.
    @Test func solidarityRatesOutsideZeroOneAreRefused() {
        for (rise, back) in [(1.5, 0.1), (0.1, -0.2)] {
            var s = Scenario()
            s.population.persons = 200
            s.solidarity.riseRate = rise
            s.solidarity.returnRate = back
            #expect { try Simulation(scenario: s, seed: 1) } throws: { error in
                "\(error)".contains(rise > 1 ? "solidarity.rise_rate must lie in [0, 1]" : "solidarity.return_rate must lie in [0, 1]")
            }
        }
    }
}
