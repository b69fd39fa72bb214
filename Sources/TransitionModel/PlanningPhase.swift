extension Simulation {
    /// Participatory planning in reduced form (after training, before failures): workplaces
    /// with both institutions and a workers' council join the federation at a monthly rate,
    /// faster where a communal council can speak for the consumers; a workplace that lost
    /// either institution leaves it. The share of a federated workplace's exchange negotiated in
    /// the federation follows from the federated workforce and the council coverage
    /// (``PlanningParameters/plannedShare(federatedWorkforce:councilCoverage:)``).
    func updatePlanning() {
        let p = scenario.planning
        var federatedWorkforce = 0, workforce = 0
        for w in 0..<workplaces.count where workplaces.open[w] {
            let m = Int(counts.workplaceMembers[w])
            workforce += m
            let both = adopted(w, .bjc) && adopted(w, .pay)
            if workplaces.federated[w] {
                if !both { workplaces.setFederated(w, false); continue }
            } else if both && workplaces.hasCouncil[w] {
                let rate = neighbourhoodHasCouncil[Int(workplaces.neighbourhood[w])] ? p.joinRate * p.councilMultiplier : p.joinRate
                guard rng.bernoulli(min(1, rate)) else { continue }
                workplaces.setFederated(w, true)
                events.joinedFederation += 1
            } else {
                continue
            }
            federatedWorkforce += m
        }
        let f = workforce > 0 ? Double(federatedWorkforce) / Double(workforce) : 0
        plannedShare = p.plannedShare(federatedWorkforce: f, councilCoverage: globals.councilCoverage)
    }
}
