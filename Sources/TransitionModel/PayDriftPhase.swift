extension Simulation {
    /// Pay that drifts back (after the votes): in each workplace with equitable pay a proposal
    /// to re-differentiate pay arises at the monthly hazard of ``PayDriftParameters`` and passes
    /// when the members against equitable pay carry `voteShare` of the weighted vote
    /// (coordinators weigh `coordinatorPower` without BJC; hired non-members do not vote);
    /// equitable pay then reverts (a reversion, counted as a pay drift).
    func applyPayDrift() {
        let d = scenario.payDrift
        let exposure = max(0, d.exposure.value(at: month))
        let premium = marketCoordinatorPremium()
        guard exposure > 0, premium > 0 else { return }
        var equitable = 0
        for w in 0..<workplaces.count where workplaces.open[w] && adopted(w, .pay) { equitable += 1 }
        let drifted = Double(payDriftedTotal) / Double(max(1, payDriftedTotal + equitable))
        let hazard = d.base * exposure * premium * (1 + d.imitation * drifted)
        let coordinator = PersonClass.coordinator.rawValue
        for w in 0..<workplaces.count where workplaces.open[w] && adopted(w, .pay) {
            guard hazard > 0, rng.bernoulli(min(1, hazard)) else { continue }
            // The members' weighted vote: a coordinator's voice weighs `coordinatorPower` where
            // the empowering work is theirs alone (no BJC); hired non-members have none.
            let power = adopted(w, .bjc) ? 1 : d.coordinatorPower
            var weight = 0.0, against = 0.0
            let flags = population.flags, classes = population.personClass
            for m in currentMembers(of: w) where flags[Int(m)] & Population.Flag.nonMember == 0 {
                let v = classes[Int(m)].rawValue == coordinator ? power : 1
                weight += v
                if flags[Int(m)] & Population.Flag.pay == 0 { against += v }
            }
            guard weight > 0, against >= d.voteShare * weight else { continue }
            workplaces.revert(w, .pay)
            workplaces.setPayDrifted(w, true)
            events.reversions += 1
            events.payDrifts += 1
            payDriftedTotal += 1
        }
    }

    /// The premium the market pays coordinators over workers, as a share of a worker's pay,
    /// under the pay ceiling in force: what a coordinator forgoes under equitable pay.
    func marketCoordinatorPremium() -> Double {
        let pay = scenario.pay
        var coordinator = pay.coordinator
        let ceiling = scenario.reform.payCeiling.value(at: month)
        if ceiling > 0 { coordinator = min(coordinator, ceiling * pay.worker) }
        return max(0, coordinator - pay.worker) / pay.worker
    }
}
