extension Simulation {
    /// Step 7: institution `k` is adopted in workplace `w`, by any route. Every member who did
    /// not support it is booked in the opposition measure with their u (the same for every
    /// path), then either leaves (class-dependent exit probability, higher for strong
    /// opponents, lower for those who stood aside) or stays: overruled under a threshold rule,
    /// stood aside under consensus. BJC starts training.
    func adopt(_ w: Int, _ k: Institution, by path: AdoptionPath, members: ArraySlice<Int32>, terms: UtilityTerms) {
        var record = AdoptionRecord(
            workplace: w, institution: k, month: month, path: path,
            membersBefore: members.count, membersAfter: members.count,
            opponents: [], opponentUtilities: [], overruled: [], exited: [], stoodAside: [])
        let standAside = scenario.voting.rule.opponentsStandAside
        let exits = scenario.exits
        let bit = Population.Flag.support(k)
        for m in members {
            let i = Int(m)
            guard population.flags[i] & bit == 0 else { continue }
            let u = utility(i, k, terms: terms)
            adoptedOverMin[i] = ledger.recordAdoptedOver(u: u, previous: adoptedOverMin[i])
            if auditAdoptions { record.opponents.append(i); record.opponentUtilities.append(u) }
            let strong = u < scenario.voting.blockingLevel
            let c = population.personClass[i]
            var pExit = min(1, exits.probability(c) * (strong ? exits.strongMultiplier : 1))
            if standAside { pExit *= exits.standAsideFactor }
            if pExit > 0 && rng.bernoulli(pExit) {
                ledger.exits[Int(c.rawValue)] += 1
                if standAside { ledger.exitsAfterStandingAside += 1; ledger.stoodAside += 1 }
                moveToLabourMarket(i, avoiding: w, institution: k)
                if auditAdoptions { record.exited.append(i); record.membersAfter -= 1 }
            } else if standAside {
                ledger.stoodAside += 1
                if auditAdoptions { record.stoodAside.append(i) }
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
            if let k = institution, adopted(j, k) { continue }
            move(i, to: j)
            hire(i, into: j)
            return
        }
        removeFromEconomy(i)
    }

    /// A person hired into a worker-run workplace (not a private firm) that adopted an
    /// institution joins as a non-member with probability `degeneration.hireNonMember` (a draw only there).
    func hire(_ i: Int, into w: Int) {
        let p = scenario.degeneration.hireNonMember
        guard p > 0, population.personClass[i] != .owner, workplaces.kind[w] != .privateFirm,
            adopted(w, .bjc) || adopted(w, .pay),
            rng.bernoulli(p)
        else { return }
        population.flags[i] |= Population.Flag.nonMember
        workplaces.nonMembers[w] += 1
    }

    /// BJC training counts down; the productivity dip and felt disruption end with it.
    func advanceTraining() {
        for w in 0..<workplaces.count where workplaces.trainingLeft[w] > 0 {
            workplaces.trainingLeft[w] -= 1
        }
    }
}
