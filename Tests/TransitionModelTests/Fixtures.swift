@testable import TransitionModel

/// A small economy for fast behavioural tests.
func smallScenario(persons: Int = 2_000, horizon: Int = 120) -> Scenario {
    var s = Scenario()
    s.population.persons = persons
    s.horizon = horizon
    return s
}

/// Runs `replicates` seeds and returns their summaries.
func summaries(_ s: Scenario, replicates: Int, firstSeed: UInt64 = 1) throws -> [RunSummary] {
    try (0..<replicates).map { r in try Simulation(scenario: s, seed: firstSeed + UInt64(r)).run() }
}

func mean(_ xs: [Double]) -> Double { xs.reduce(0, +) / Double(max(xs.count, 1)) }
