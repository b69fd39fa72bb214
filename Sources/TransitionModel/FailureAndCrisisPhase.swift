import Foundation

extension Simulation {
    /// Step 8: adopted workplaces face a market failure hazard that falls as more of the
    /// economy has adopted; during a shock, owners retract concessions; during a crisis, owners
    /// abandon private workplaces, whose members may recover them as cooperatives.
    func applyFailuresAndCrisis() {
        let f = scenario.failure
        let adopted = adoptedWorkforceShare()
        // Adopted workplaces face ordinary churn too, plus the excess of a hostile market: an
        // adopted firm never fails less often than a conventional one.
        let baseHazard = f.conventional + f.base * pow(max(0, 1 - adopted), f.exponent)
        let shockMultiplier = shockInForce ? scenario.shocks.failureMultiplier : 1
        var terms: UtilityTerms? = nil
        let crisis = scenario.crisis
        let inCrisis = crisis.enabled && month >= crisis.start && month < crisis.start + crisis.duration
        for w in 0..<workplaces.count where workplaces.open[w] {
            let hasBJC = workplaces.isAdopted(w, .bjc), hasPay = workplaces.isAdopted(w, .pay)
            if hasBJC || hasPay {
                var hazard = baseHazard * shockMultiplier
                if workplaces.trainingLeft[w] > 0 { hazard *= scenario.training.failureMultiplier }
                if rng.bernoulli(min(1, hazard)) {
                    let kind: StatusQuoLedger.FailedKind =
                        switch workplaces.origin[w] {
                        case .recovered: .recovered
                        case .founded: .founded
                        case .original, .transferred: .adopted
                        }
                    close(w, members: currentMembers(of: w), jobsLostAs: kind)
                    events.failures += 1
                    continue
                }
                if shockInForce && workplaces.kind[w] == .privateFirm {
                    for k in Institution.allCases
                    where workplaces.isAdopted(w, k)
                        && workplaces.adoptedBy[k.rawValue][w] == .ownerConcession
                        && rng.bernoulli(scenario.shocks.retractRate)
                    {
                        workplaces.revert(w, k)
                        events.reversions += 1
                    }
                }
            } else if inCrisis && workplaces.kind[w] == .privateFirm && workplaces.owner[w] >= 0
                && rng.bernoulli(crisis.abandonRate)
            {
                if terms == nil { terms = UtilityTerms(self) }
                abandon(w, members: currentMembers(of: w), terms: terms!)
            } else if f.conventional > 0 && workplaces.kind[w] != .state
                && rng.bernoulli(min(1, f.conventional * shockMultiplier))
            {
                if f.recoveryAttempt > 0 && workplaces.kind[w] == .privateFirm && workplaces.owner[w] >= 0
                    && rng.bernoulli(f.recoveryAttempt)
                {
                    if terms == nil { terms = UtilityTerms(self) }
                    events.conventionalFailures += 1
                    abandon(w, members: currentMembers(of: w), terms: terms!)
                } else {
                    churn(w)
                }
            }
        }
    }

    /// Ordinary market churn: a conventional workplace fails; a successor of the same kind
    /// opens in its place and hires the members back (their jobs were lost all the same). A
    /// private successor has a new owner, with freshly drawn resistance, who starts opposed.
    private func churn(_ w: Int) {
        events.conventionalFailures += 1
        for m in currentMembers(of: w) {
            bookJobLoss(Int(m), as: .conventional)
            events.jobsLostInChurn += 1
        }
        var r: Float = 0
        let owner = Int(workplaces.owner[w])
        if owner >= 0 {
            r = Float(rng.gaussian(mean: scenario.owners.resistanceMean, sd: scenario.owners.resistanceSD))
            clearOwnerStance(owner)
        }
        workplaces.restartAsSuccessor(w, resistance: r)
    }

    /// The owner leaves (nobody is expropriated). The members vote on recovering the workplace
    /// as a cooperative under the scenario's rule, on equitable pay; if it passes they recover
    /// it with equitable pay, otherwise it closes.
    private func abandon(_ w: Int, members: ArraySlice<Int32>, terms: UtilityTerms) {
        events.abandoned += 1
        abandonedTotal += 1
        removeFromEconomy(Int(workplaces.owner[w]))
        workplaces.owner[w] = -1
        let tally = tallyVote(members, .pay, terms: terms)
        if scenario.path.transformExisting
            && scenario.voting.rule.passes(tally, consensusMinimumSupport: scenario.voting.consensusMinimumSupport)
        {
            workplaces.kind[w] = .cooperative
            workplaces.setOrigin(w, .recovered)
            workplaces.hasCouncil[w] = true
            adopt(w, .pay, by: .recovered, members: members, terms: terms)
            events.recovered += 1
        } else {
            close(w, members: members, jobsLostAs: .conventional)
        }
    }

    /// A workplace closes; its members lose their jobs (booked as `kind`) and go back to the
    /// labour market.
    func close(_ w: Int, members: ArraySlice<Int32>, jobsLostAs kind: StatusQuoLedger.FailedKind) {
        workplaces.open[w] = false
        if workplaces.owner[w] >= 0 { removeFromEconomy(Int(workplaces.owner[w])); workplaces.owner[w] = -1 }
        for m in members where Int(population.workplace[Int(m)]) == w {
            bookJobLoss(Int(m), as: kind)
            moveToLabourMarket(Int(m), avoiding: w, institution: nil)
        }
    }

    /// Books a job lost to a workplace failure in the status-quo ledger.
    func bookJobLoss(_ i: Int, as kind: StatusQuoLedger.FailedKind) {
        statusQuo.jobsLost[kind.rawValue] += 1
        statusQuo.incomeLost += scenario.statusQuo.searchMonths * scenario.pay.conventional(population.personClass[i])
    }
}
