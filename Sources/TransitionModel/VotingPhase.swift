import Foundation

extension Simulation {
    /// Step 6 with step 8's reversion check: every vote interval, each workplace with a workers'
    /// council votes on each institution it has not adopted; a change is decided after
    /// `confirmations` consecutive passing votes. Adopted institutions whose support stays low
    /// revert.
    ///
    /// Tallies come from the group counts, which every change keeps exact; member lists are
    /// read only where they matter: under consensus (who blocks) and when a change is adopted.
    func holdVotes() {
        if movedSinceIndex.count > workplaces.count / 4 { memberIndex = nil }  // rebuilt when next needed
        let terms = UtilityTerms(self)
        let v = scenario.voting
        let interval = v.interval
        for w in 0..<workplaces.count where workplaces.open[w] && workplaces.hasCouncil[w] {
            // Hired non-members do not vote: where there are any, the voters are listed.
            var voters: ArraySlice<Int32>? = nil
            if workplaces.nonMembers[w] > 0 {
                let flags = population.flags
                voters = ArraySlice(currentMembers(of: w).filter { flags[Int($0)] & Population.Flag.nonMember == 0 })
            }
            for k in Institution.allCases {
                let size = voters?.count ?? Int(counts.workplaceMembers[w])
                guard size > 0 else { continue }
                let bit = Population.Flag.support(k)
                var supporters = Int(counts.workplaceSupport[k.rawValue][w])
                if let voters {
                    let flags = population.flags
                    supporters = voters.reduce(0) { $0 + (flags[Int($1)] & bit != 0 ? 1 : 0) }
                }
                if adopted(w, k) {
                    checkReversion(w, k, share: Double(supporters) / Double(size), interval: interval)
                    continue
                }
                guard scenario.path.transformExisting else { continue }  // prefigurative: only founding adopts
                // After a pay drift, the coordinators who carried it block a new vote on equitable
                // pay until the empowering work is shared (BJC).
                if k == .pay && workplaces.payDrifted[w] && !adopted(w, .bjc) { continue }
                var tally = VoteTally(members: size, supporters: supporters, blockers: 0)
                if v.rule.needsMembers { tally = tallyVote(voters ?? currentMembers(of: w), k, terms: terms) }
                guard v.rule.passes(tally, consensusMinimumSupport: v.consensusMinimumSupport) else {
                    workplaces.passStreak[k.rawValue][w] = 0
                    // A majority that the rule holds back is waiting too: it costs momentum.
                    workplaces.setPending(w, k, tally.share > 0.5, month: month)
                    continue
                }
                let streak = min(Int(workplaces.passStreak[k.rawValue][w]) + 1, 255)
                workplaces.passStreak[k.rawValue][w] = UInt8(streak)
                guard streak >= v.confirmations else { continue }
                decide(w, k, tally: tally, interval: interval, terms: terms)
            }
        }
    }

    /// Counts supporters among `members` for institution `k`, and what the rule needs besides:
    /// the blockers, or a panel drawn by lot (on the run's serial stream). `supportMask` counts
    /// as a supporter anyone holding one of its stance bits (default: `k`'s own); blockers are
    /// judged by their u for `k`.
    func tallyVote(_ members: ArraySlice<Int32>, _ k: Institution, terms: UtilityTerms, supportMask: UInt8? = nil) -> VoteTally {
        var t = VoteTally(members: members.count, supporters: 0, blockers: 0)
        let bit = supportMask ?? Population.Flag.support(k), level = scenario.voting.blockingLevel
        let rule = scenario.voting.rule
        let countBlockers = rule.countsBlockers
        // Nothing changes while a vote is counted: one influence serves every member.
        let influence = countBlockers ? influence(stances: population.flags, counts: counts) : nil
        for m in members {
            let i = Int(m)
            if population.flags[i] & bit != 0 {
                t.supporters += 1
            } else if countBlockers && utility(i, k, terms: terms, influence: influence) < level {
                t.blockers += 1
            }
        }
        if case .sortition(let panel) = rule {
            (t.panel, t.panelSupporters) = VotingRule.panelSupporters(
                members: t.members, supporters: t.supporters, panel: panel, stream: rng)
        }
        return t
    }

    /// After the members decided: who else must agree depends on the kind of workplace.
    private func decide(_ w: Int, _ k: Institution, tally: VoteTally, interval: Int, terms: UtilityTerms) {
        let L = globals.stateSupport
        var members: ArraySlice<Int32> { currentMembers(of: w) }
        switch workplaces.kind[w] {
        case .cooperative, .p2p:
            adopt(w, k, by: .vote, members: members, terms: terms)
        case .state:
            let p = scenario.state.comanagementBase + (1 - scenario.state.comanagementBase) * L
            if rng.bernoulli(Self.overMonths(p, interval)) {
                adopt(w, k, by: .comanagement, members: members, terms: terms)
            } else {
                workplaces.setPending(w, k, true, month: month)
            }
        case .privateFirm:
            let o = scenario.owners
            // A basic income may strengthen the members against the owner (a stated assumption).
            let backing = 1 + scenario.reform.bargainingWeight * max(0, scenario.reform.basicIncome.value(at: month))
            let x = o.kappa * (tally.share * globals.pressure * backing + o.lambda * L - Double(workplaces.resistance[w]))
            let concede = 1 / (1 + exp(-x))
            // An owner who has come to support the institution concedes it.
            let owner = Int(workplaces.owner[w])
            let convinced = owner >= 0 && population.flags[owner] & Population.Flag.support(k) != 0
            if convinced || rng.bernoulli(Self.overMonths(concede, interval)) {
                adopt(w, k, by: .ownerConcession, members: members, terms: terms)
            } else if scenario.path.allowTransfers && L > 0
                && rng.bernoulli(Self.overMonths(scenario.state.transferRate * L, interval))
            {
                transfer(w)
                adopt(w, k, by: .transfer, members: members, terms: terms)
            } else {
                workplaces.setPending(w, k, true, month: month)
            }
        }
    }

    /// The state takes over a private workplace whose owner refused: it becomes a state
    /// workplace under co-management, and the owner leaves (one owner expropriated).
    func transfer(_ w: Int) {
        let owner = Int(workplaces.owner[w])
        if owner >= 0 { removeFromEconomy(owner) }
        workplaces.kind[w] = .state
        workplaces.owner[w] = -1
        workplaces.setOrigin(w, .transferred)
        ledger.ownersExpropriated += 1
        events.transfers += 1
    }

    /// Step 8 (reversion): support below the threshold for `votes` consecutive votes; or, where
    /// hired non-members work beside the members, the members vote the institution away with a
    /// hazard that grows as they become a minority (degeneration).
    private func checkReversion(_ w: Int, _ k: Institution, share: Double, interval: Int) {
        let r = scenario.reversion
        let hired = Int(workplaces.nonMembers[w])
        if hired > 0 && scenario.degeneration.reversionRate > 0 {
            let staff = Int(counts.workplaceMembers[w])
            let memberShare = staff > 0 ? 1 - Double(hired) / Double(staff) : 1
            let p = scenario.degeneration.reversionRate * (1 - memberShare)
            if rng.bernoulli(Self.overMonths(p, interval)) {
                workplaces.revert(w, k)
                events.reversions += 1
                events.degenerations += 1
                return
            }
        }
        if share < r.threshold {
            let streak = Int(workplaces.lowSupportStreak[k.rawValue][w]) + 1
            workplaces.lowSupportStreak[k.rawValue][w] = UInt8(min(streak, 255))
            if streak >= r.votes {
                workplaces.revert(w, k)
                events.reversions += 1
            }
        } else {
            workplaces.lowSupportStreak[k.rawValue][w] = 0
        }
    }

    func removeFromEconomy(_ i: Int) {
        if population.personClass[i] == .owner { clearOwnerStance(i) }
        if population.flags[i] & Population.Flag.nonMember != 0 {
            population.flags[i] &= ~Population.Flag.nonMember
            workplaces.nonMembers[Int(population.workplace[i])] -= 1
        }
        noteMembershipChange(Int(population.workplace[i]))
        counts.personRemoved(
            flags: population.flags[i], personClass: population.personClass[i],
            effort: population.effort[i], solidarity: population.solidarity[i],
            workplace: Int(population.workplace[i]), neighbourhood: Int(population.neighbourhood[i]))
        population.flags[i] &= ~Population.Flag.active
        departed += 1
    }
}
