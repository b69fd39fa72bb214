extension Simulation {
    /// Step 1: communal councils appear in neighbourhoods without one, following the rollout.
    /// Arrivals are binomial draws, so the coverage follows the rollout's expected path.
    func rollOutCouncils() {
        let homes = neighbourhoodCount
        let current = neighbourhoodHasCouncil.lazy.filter { $0 }.count
        let without = homes - current
        guard without > 0 else { globals.councilCoverage = councilCoverage(); return }
        let expected: Double
        switch scenario.councils.rollout {
        case .none:
            expected = 0
        case let .logistic(_, rate, target):
            let c = Double(current) / Double(homes)
            expected = max(0, rate * c * (1 - c / target)) * Double(homes)
        case let .table(points, total):
            let schedule = Schedule.table(points.map { ($0.month, $0.count / total) })
            expected = max(0, min(1, schedule.value(at: month)) * Double(homes) - Double(current))
        }
        let arrivals = rng.binomial(n: without, p: min(1, expected / Double(without)))
        if arrivals > 0 {
            var candidates = (0..<homes).filter { !neighbourhoodHasCouncil[$0] }
            for k in 0..<arrivals {
                let j = k + rng.index(below: candidates.count - k)
                candidates.swapAt(k, j)
                neighbourhoodHasCouncil[candidates[k]] = true
            }
        }
        globals.councilCoverage = councilCoverage()
    }

    func councilCoverage() -> Double {
        neighbourhoodCount == 0 ? 0 : Double(neighbourhoodHasCouncil.lazy.filter { $0 }.count) / Double(neighbourhoodCount)
    }
}
