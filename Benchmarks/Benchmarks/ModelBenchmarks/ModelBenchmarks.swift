import Benchmark
import Experiments
import TransitionModel

/// The performance targets of docs/PERFORMANCE.md, each with the threshold a regression must
/// not cross. Wall-clock thresholds are relative to a recorded baseline (`baseline check`).
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident],
        warmupIterations: 1, maxDuration: .seconds(20), maxIterations: 20,
        thresholds: [.wallClock: .relaxed, .peakMemoryResident: .relaxed])

    // The social-interactions core: 10⁶ persons in groups of 50, 20 steps, 2 threads
    // (docs/PERFORMANCE.md compares it with the hand-written C reference).
    Benchmark("core 1M × 20 steps", configuration: .init(maxIterations: 5)) { benchmark in
        var p = SocialInteractionsCore.Parameters(persons: 1_000_000, groupSize: 50)
        p.revisionRate = 0.5; p.initialShare = 0.2
        let core = try SocialInteractionsCore(p, seed: 1, threads: 2)
        benchmark.startMeasurement()
        core.run(steps: 20)
        blackHole(core.share)
    }

    // Runs per minute at 20,000 persons (the figure calibration and sweeps wait on): one whole
    // baseline run, set-up included.
    Benchmark("baseline run, 20k persons × 240 months") { _ in
        var s = Scenario(); s.population.persons = 20_000
        let sim = try Simulation(scenario: s, seed: 1, threads: 1)
        blackHole(sim.run().final.workforceBJC)
    }

    // The full model at 10⁶ persons, 24 months, 2 threads: groups only, and with a small world.
    for network in [NetworkKind.none, .wattsStrogatz] {
        Benchmark("full 1M × 24 months, network \(network.rawValue)", configuration: .init(maxIterations: 3)) { benchmark in
            var s = Scenario(); s.population.persons = 1_000_000; s.horizon = 24
            s.influence.network = network; s.influence.meanDegree = 10
            let sim = try Simulation(scenario: s, seed: 1, threads: 2)
            benchmark.startMeasurement()
            blackHole(sim.run().final.workforceBJC)
        }
    }
}
