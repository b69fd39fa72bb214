import Foundation

extension Simulation {
    /// Step 8: every open workplace faces the market's failure hazard for its kind of
    /// governance (``FailureParameters``); worker-run ones face the hostile market besides, less
    /// the share of their exchange planned in the federation. During a shock, owners retract
    /// concessions; during a crisis, owners abandon private workplaces. The members of an
    /// abandoned workplace, or of a private one closing in churn, may recover it.
    func applyFailuresAndCrisis() {
        let f = scenario.failure
        let s = adoptedWorkforceShare()
        let hostile = f.hostileMarket * 4 * s * (1 - s)
        let shockMultiplier = shockInForce ? scenario.shocks.failureMultiplier : 1
        let trainingMultiplier = scenario.training.failureMultiplier
        let planned = plannedShare
        let attempt = recoveryAttemptProbability()
        var terms: UtilityTerms? = nil
        let crisis = scenario.crisis
        let inCrisis = crisis.enabled && month >= crisis.start && month < crisis.start + crisis.duration
        var federation: [Int]? = nil
        for w in 0..<workplaces.count where workplaces.open[w] {
            if workerRun(w) {
                // A state workplace keeps its owner's shelter: no hostile market either.
                let exposed = workplaces.kind[w] != .state
                var hazard = (f.conventional * hazardRatio(w) + (exposed ? hostile : 0)) * shockMultiplier
                if workplaces.trainingLeft[w] > 0 { hazard *= trainingMultiplier }
                if workplaces.federated[w] { hazard *= 1 - planned }
                if hazard > 0 && rng.bernoulli(min(1, hazard)) {
                    fail(w, federation: &federation)
                    continue
                }
                if shockInForce && workplaces.kind[w] == .privateFirm {
                    for k in Institution.allCases
                    where adopted(w, k)
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
            } else {
                let hazard = f.conventional * hazardRatio(w) * shockMultiplier
                guard hazard > 0 && rng.bernoulli(min(1, hazard)) else { continue }
                if attempt > 0 && workplaces.kind[w] == .privateFirm && workplaces.owner[w] >= 0 && rng.bernoulli(attempt) {
                    if terms == nil { terms = UtilityTerms(self) }
                    events.conventionalFailures += 1
                    abandon(w, members: currentMembers(of: w), terms: terms!)
                } else {
                    churn(w)
                }
            }
        }
    }

    /// A workplace's market hazard relative to a conventional private one's, by governance
    /// (``FailureParameters``): a state workplace keeps the state's ratio whatever its
    /// institutions; a worker-run one has the ratio of how it came to be run by its workers.
    func hazardRatio(_ w: Int) -> Double {
        let f = scenario.failure
        if workplaces.kind[w] == .state { return f.ratioState }
        guard workerRun(w) else { return 1 }
        switch workplaces.origin[w] {
        case .recovered: return f.ratioRecovered
        case .founded: return f.ratioFounded
        case .original, .transferred: return f.ratioAdopted
        }
    }

    /// This month's probability that the members of a private workplace closing in churn try
    /// to recover it: the base attempt, raised by the recoveries made so far (the repertoire),
    /// times the government's stance.
    func recoveryAttemptProbability() -> Double {
        let f = scenario.failure
        guard f.recoveryAttempt > 0 else { return 0 }
        let perThousand = initialPrivateWorkplaces > 0 ? 1000 * Double(recoveredTotal) / Double(initialPrivateWorkplaces) : 0
        let climate = max(0, f.recoveryClimate.value(at: month))
        return min(1, f.recoveryAttempt * (1 + f.recoveryRepertoire * perThousand) * climate)
    }

    /// A worker-run workplace fails. Members of a federated one are relocated inside the
    /// federation where there is room; otherwise, by `failure.successor`, a conventional
    /// successor hires them back or the workplace closes.
    private func fail(_ w: Int, federation: inout [Int]?) {
        events.failures += 1
        if workplaces.federated[w] { events.federatedFailures += 1 }
        let kind: StatusQuoLedger.FailedKind =
            switch workplaces.origin[w] {
            case .recovered: .recovered
            case .founded: .founded
            case .original, .transferred: .adopted
            }
        if auditFirmLives { firmLives.append(FirmLife(origin: workplaces.origin[w], started: Int(workplaces.startedMonth[w]), ended: month)) }
        let members = currentMembers(of: w)
        if workplaces.federated[w] && scenario.planning.relocate {
            if federation == nil { federation = (0..<workplaces.count).filter { workplaces.open[$0] && workplaces.federated[$0] } }
            let partners = federation!.filter { $0 != w && workplaces.open[$0] }
            workplaces.open[w] = false
            if workplaces.owner[w] >= 0 { removeFromEconomy(Int(workplaces.owner[w])); workplaces.owner[w] = -1 }
            for m in members where Int(population.workplace[Int(m)]) == w {
                if partners.isEmpty {
                    bookJobLoss(Int(m), as: kind)
                    moveToLabourMarket(Int(m), avoiding: w, institution: nil)
                } else {
                    move(Int(m), to: partners[rng.index(below: partners.count)])
                    events.relocated += 1; relocatedTotal += 1
                }
            }
            return
        }
        switch scenario.failure.successor {
        case .none:
            close(w, members: members, jobsLostAs: kind)
        case .conventional:
            for m in members { bookJobLoss(Int(m), as: kind) }
            restartSuccessor(w)
        }
    }

    /// Ordinary market churn: a conventional workplace fails; a successor of the same kind
    /// opens in its place and hires the members back (their jobs were lost all the same).
    private func churn(_ w: Int) {
        events.conventionalFailures += 1
        if auditFirmLives { firmLives.append(FirmLife(origin: nil, started: Int(workplaces.startedMonth[w]), ended: month)) }
        for m in currentMembers(of: w) {
            bookJobLoss(Int(m), as: .conventional)
            events.jobsLostInChurn += 1
        }
        restartSuccessor(w)
    }

    /// A successor of the same kind opens in `w`'s place with the same members and nothing of
    /// what was built there. A private successor has a new owner, with freshly drawn
    /// resistance, who starts opposed.
    private func restartSuccessor(_ w: Int) {
        if workplaces.nonMembers[w] > 0 {
            // A conventional successor has employees only: nobody is a member any more.
            for m in currentMembers(of: w) { population.flags[Int(m)] &= ~Population.Flag.nonMember }
            workplaces.nonMembers[w] = 0
        }
        var r: Float = 0
        let owner = Int(workplaces.owner[w])
        if owner >= 0 {
            r = Float(rng.gaussian(mean: scenario.owners.resistanceMean, sd: scenario.owners.resistanceSD))
            clearOwnerStance(owner)
        }
        workplaces.restartAsSuccessor(w, resistance: r, month: month)
    }

    /// The owner leaves (nobody is expropriated). The members vote, under the scenario's rule,
    /// on running the workplace themselves — a member for it is one who supports either
    /// institution; if it passes they recover it as a cooperative with a workers' council, and
    /// decide equitable pay and BJC later by their own votes; otherwise it closes.
    private func abandon(_ w: Int, members: ArraySlice<Int32>, terms: UtilityTerms) {
        events.abandoned += 1
        abandonedTotal += 1
        removeFromEconomy(Int(workplaces.owner[w]))
        workplaces.owner[w] = -1
        let tally = tallyVote(members, .pay, terms: terms, supportMask: Population.Flag.bjc | Population.Flag.pay)
        if scenario.path.transformExisting
            && scenario.voting.rule.passes(tally, consensusMinimumSupport: scenario.voting.consensusMinimumSupport)
        {
            workplaces.kind[w] = .cooperative
            workplaces.setOrigin(w, .recovered)
            workplaces.setStarted(w, month: month)
            workplaces.hasCouncil[w] = true
            events.recovered += 1
            recoveredTotal += 1
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
