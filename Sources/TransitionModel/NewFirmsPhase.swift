extension Simulation {
    /// Step 9: allied volunteers and organisers found cooperatives with both institutions from
    /// the start; they recruit supporters not yet in adopted workplaces, who choose to move
    /// (nobody is overruled), and grow by voluntary recruitment.
    func foundNewFirms() {
        let nf = scenario.newFirms
        guard nf.enabled else { return }
        // Growth of the firms founded so far.
        for w in initialWorkplaceCount..<workplaces.count
        where workplaces.open[w] && workplaces.adoptedBy[0][w] == .newFirm {
            let recruits = rng.poisson(mean: Double(counts.workplaceMembers[w]) * nf.growthRate)
            if recruits > 0 { recruit(recruits, into: w) }
        }
        // Foundings, at a rate per 10,000 persons.
        let scale = Double(population.count) / 10_000
        let rate =
            nf.rate * scale * globals.pressure * (1 + nf.alliedBoost * alliedVolunteerShare())
            * 2 * unadoptedSupporterShare()
        let foundings = rng.poisson(mean: max(0, rate))
        for _ in 0..<foundings {
            let target = max(2, Int(rng.lognormal(median: nf.sizeMedian, sigma: nf.sizeSigma).rounded()))
            let home = Int32(rng.index(below: neighbourhoodCount))
            let w = workplaces.append(kind: .cooperative, neighbourhood: home, owner: -1, resistance: 0)
            counts.workplaceAdded()
            workplaces.hasCouncil[w] = true
            workplaces.setOrigin(w, .founded)
            workplaces.setStarted(w, month: month)
            let joined = recruit(target, into: w)
            if joined == 0 { workplaces.open[w] = false; continue }
            workplaces.adopt(w, .bjc, month: month, by: .newFirm)
            workplaces.adopt(w, .pay, month: month, by: .newFirm)
            workplaces.trainingLeft[w] = Int16(scenario.training.months)
            events.newFirms += 1
            foundedTotal += 1
        }
    }

    /// Approaches random persons; supporters of both institutions whose workplace has not
    /// adopted both may choose to move. Returns how many joined.
    @discardableResult
    private func recruit(_ wanted: Int, into w: Int) -> Int {
        var joined = 0
        let p = scenario.newFirms.joinProbability
        for _ in 0..<wanted * 20 where joined < wanted {
            let i = rng.index(below: population.count)
            let f = population.flags[i]
            guard f & Population.Flag.active != 0, population.personClass[i] != .owner,
                f & 3 == 3
            else { continue }
            let current = Int(population.workplace[i])
            if current == w || (workplaces.open[current] && adopted(current, .bjc) && adopted(current, .pay)) {
                continue
            }
            if rng.bernoulli(p) {
                move(i, to: w)
                joined += 1
            }
        }
        return joined
    }

    /// Share of volunteers who are allied with the movement (0 without the alliance).
    func alliedVolunteerShare() -> Double {
        counts.volunteers == 0 ? 0 : Double(counts.alliedVolunteers) / Double(counts.volunteers)
    }

    /// Share of the workforce that supports both institutions but works where they are not adopted.
    func unadoptedSupporterShare() -> Double {
        var n = 0, s = 0
        for w in 0..<workplaces.count {
            let m = Int(counts.workplaceMembers[w])
            guard m > 0 else { continue }
            n += m
            if !(adopted(w, .bjc) && adopted(w, .pay)) { s += Int(counts.workplaceBoth[w]) }
        }
        return n == 0 ? 0 : Double(s) / Double(n)
    }
}
