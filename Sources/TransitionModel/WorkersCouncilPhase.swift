extension Simulation {
    /// Step 5: a workplace forms a workers' council once enough members support either
    /// institution; faster where the neighbourhood has a communal council.
    func formWorkersCouncils() {
        let p = scenario.workersCouncils
        guard p.enabled else { return }
        for w in 0..<workplaces.count where workplaces.open[w] && !workplaces.hasCouncil[w] {
            let members = counts.workplaceMembers[w]
            guard members > 0 else { continue }
            let share = Double(max(counts.workplaceSupport[0][w], counts.workplaceSupport[1][w])) / Double(members)
            guard share >= p.supportThreshold else { continue }
            let rate = neighbourhoodHasCouncil[Int(workplaces.neighbourhood[w])] ? p.rate * p.communalMultiplier : p.rate
            if rng.bernoulli(min(1, rate)) { workplaces.hasCouncil[w] = true }
        }
    }
}
