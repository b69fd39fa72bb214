import Stochastic

extension Simulation {
    /// Workplaces of lognormal size and their members, neighbourhoods filled in order of
    /// creation (so a workplace's members mostly live in the same neighbourhood).
    func buildEconomy() {
        let p = scenario.population
        let kinds =
            CategoricalTable(weights: [p.privateShare, p.stateShare, p.cooperativeShare, p.p2pShare])
            ?? CategoricalTable(weights: [1])!
        population.reserve(p.persons)
        let perHome = max(1, p.neighbourhoodSize)
        var remaining = p.persons
        while remaining > 0 {
            let kind = WorkplaceKind(rawValue: UInt8(kinds.draw(using: rng)))!
            var size = Int(rng.lognormal(median: p.sizeMedian, sigma: p.sizeSigma).rounded())
            size = min(max(size, 1), p.sizeMax)
            let needsOwner = kind == .privateFirm
            size = min(size, remaining - (needsOwner ? 1 : 0))
            if size < 1 {
                // One person left over: a one-person cooperative.
                addWorkplace(kind: .cooperative, members: remaining, perHome: perHome)
                remaining = 0
                break
            }
            addWorkplace(kind: kind, members: size, perHome: perHome)
            remaining -= size + (needsOwner ? 1 : 0)
        }
        let homes = (population.count + perHome - 1) / perHome
        neighbourhoodHasCouncil = [Bool](repeating: false, count: homes)
        if case let .logistic(seedShare, _, _) = scenario.councils.rollout, seedShare > 0 {
            // A fixed number of seed councils (at least one), so that small populations do
            // not lose the rollout by drawing none.
            let seeded = min(homes, max(1, Int((seedShare * Double(homes)).rounded())))
            var order = Array(0..<homes)
            for k in 0..<seeded {
                order.swapAt(k, k + rng.index(below: homes - k))
                neighbourhoodHasCouncil[order[k]] = true
            }
        }
        if p.initialEquitablePay > 0 {
            for w in 0..<workplaces.count
            where (workplaces.kind[w] == .cooperative || workplaces.kind[w] == .p2p) && rng.bernoulli(p.initialEquitablePay) {
                workplaces.adopt(w, .pay, month: 0, by: .vote)
                workplaces.hasCouncil[w] = true
            }
        }
        globals.momentum = scenario.movement.momentumStart
        globals.stateSupport = scenario.state.support.value(at: 0)
        globals.pressure = scenario.movement.base.value(at: 0) * globals.momentum
        globals.councilCoverage = councilCoverage()
    }

    private func addWorkplace(kind: WorkplaceKind, members: Int, perHome: Int) {
        let p = scenario.population
        let w = Int32(workplaces.count)
        let home = Int32(population.count / perHome)
        var owner: Int32 = -1
        var resistance: Float = 0
        if kind == .privateFirm {
            owner = Int32(population.count)
            resistance = Float(rng.gaussian(mean: scenario.owners.resistanceMean, sd: scenario.owners.resistanceSD))
            appendPerson(.owner, workplace: w, perHome: perHome)
        }
        workplaces.append(kind: kind, neighbourhood: home, owner: owner, resistance: resistance)
        for _ in 0..<members {
            let c: PersonClass = kind == .p2p ? .volunteer : (rng.bernoulli(p.coordinatorShare) ? .coordinator : .worker)
            appendPerson(c, workplace: w, perHome: perHome)
        }
    }

    private func appendPerson(_ c: PersonClass, workplace w: Int32, perHome: Int) {
        let s = scenario.solidarity
        let sigma: Double
        switch c {
        case .worker: sigma = rng.beta(s.workerA, s.workerB)
        case .coordinator: sigma = rng.beta(s.coordinatorA, s.coordinatorB)
        case .volunteer: sigma = rng.beta(s.volunteerA, s.volunteerB)
        case .owner: sigma = 0
        }
        var flags = Population.Flag.active
        if c == .volunteer && rng.bernoulli(scenario.volunteers.socialConcernShare) {
            flags |= Population.Flag.socialConcern
        }
        let effort = max(0.05, rng.gaussian(mean: 1, sd: scenario.population.effortSD))
        population.append(
            c, workplace: w, neighbourhood: Int32(population.count / perHome), flags: flags,
            solidarity: Float(sigma),
            aversion: Float(rng.beta(scenario.opinion.aversionA, scenario.opinion.aversionB)),
            effort: Float(effort))
    }

    /// Initial stances: from the opinion rule itself (burn-in of full revisions at month 0) or,
    /// for validation runs, Bernoulli draws at a fixed share.
    func initialiseStances() {
        switch scenario.opinion.initial {
        case .fixed(let share):
            for i in 0..<population.count where population.isActive(i) && population.personClass[i] != .owner {
                var f = population.flags[i] & ~(Population.Flag.bjc | Population.Flag.pay)
                if rng.bernoulli(share) { f |= Population.Flag.bjc }
                if rng.bernoulli(share) { f |= Population.Flag.pay }
                population.flags[i] = f
            }
        case .rule(let burnIn):
            counts.recount(population, workplaces, neighbourhoods: neighbourhoodCount, threads: threads)
            for _ in 0..<burnIn { reviseOpinions(revisionRate: 1) }
        }
    }
}
