extension Simulation {
    /// Step 7: institution `k` is adopted in workplace `w`. Each member who opposed at the vote
    /// either leaves (class-dependent exit probability, higher for strong opponents) or stays
    /// overruled; under consensus, opponents stood aside and are neither. BJC starts training.
    func adopt(_ w: Int, _ k: Institution, by path: AdoptionPath, members: ArraySlice<Int32>, terms: UtilityTerms) {
        var record = AdoptionRecord(workplace: w, institution: k, month: month, path: path,
                                    membersBefore: members.count, membersAfter: members.count,
                                    opponents: [], overruled: [], exited: [], stoodAside: [])
        let standAside = scenario.voting.rule.opponentsStandAside
        let exits = scenario.exits
        let bit = Population.Flag.support(k)
        for m in members {
            let i = Int(m)
            guard population.flags[i] & bit == 0 else { continue }
            if auditAdoptions { record.opponents.append(i) }
            if standAside {
                ledger.stoodAside += 1
                if auditAdoptions { record.stoodAside.append(i) }
                continue
            }
            let strong = utility(i, k, terms: terms) < scenario.voting.blockingLevel
            let c = population.personClass[i]
            let pExit = min(1, exits.probability(c) * (strong ? exits.strongMultiplier : 1))
            if rng.bernoulli(pExit) {
                ledger.exits[Int(c.rawValue)] += 1
                moveToLabourMarket(i, avoiding: w, institution: k)
                if auditAdoptions { record.exited.append(i); record.membersAfter -= 1 }
            } else {
                if strong { ledger.overruledStrong[Int(c.rawValue)] += 1 } else { ledger.overruledMild[Int(c.rawValue)] += 1 }
                if population.flags[i] & Population.Flag.everOverruled == 0 {
                    population.flags[i] |= Population.Flag.everOverruled
                    ledger.distinctOverruled += 1
                }
                if auditAdoptions { record.overruled.append(i) }
            }
        }
        workplaces.adopt(w, k, month: month, by: path)
        if k == .bjc { workplaces.trainingLeft[w] = Int16(scenario.training.months) }
        events.adoptions += 1
        if auditAdoptions { adoptionAudit.append(record) }
    }

    /// A person who leaves (or loses) a workplace looks for another open one that has not
    /// adopted `institution` (any open one when `institution` is nil); with none to be found
    /// after a bounded search, the person leaves the economy.
    func moveToLabourMarket(_ i: Int, avoiding w: Int, institution: Institution?) {
        let total = workplaces.count
        for _ in 0..<32 {
            let j = rng.index(below: total)
            guard j != w, workplaces.open[j] else { continue }
            if let k = institution, workplaces.isAdopted(j, k) { continue }
            move(i, to: j)
            return
        }
        removeFromEconomy(i)
    }

    /// BJC training counts down; the productivity dip and felt disruption end with it.
    func advanceTraining() {
        for w in 0..<workplaces.count where workplaces.trainingLeft[w] > 0 {
            workplaces.trainingLeft[w] -= 1
        }
    }
}
