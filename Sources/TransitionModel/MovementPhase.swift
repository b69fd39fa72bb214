extension Simulation {
    /// Step 2: shocks arrive, momentum responds to last month's wins, support and disputes,
    /// and P(t) = B(t) · M(t) · (1 − shock penalty).
    func updateMovement() {
        let mv = scenario.movement, sh = scenario.shocks
        if sh.enabled {
            if let age = globals.shockAge { globals.shockAge = age + 1 }
            if rng.bernoulli(1 / sh.meanInterval) {
                globals.shockAge = 0
                let keep = Float(1 - sh.solidarityLoss)
                for i in 0..<population.count { population.solidarity[i] *= keep }
            }
            if let age = globals.shockAge, age < sh.fadeMonths {
                globals.shockPenalty = sh.pressureCut * (1 - Double(age) / Double(sh.fadeMonths))
            } else {
                globals.shockPenalty = 0
            }
        }
        let adopted = adoptedWorkforceShare()
        let win = max(0, adopted - previousAdoptedShare)
        previousAdoptedShare = adopted
        globals.momentum = nextMomentum(globals.momentum, win: win)
        globals.stateSupport = scenario.state.support.value(at: month)
        globals.pressure = mv.base.value(at: month) * globals.momentum * (1 - globals.shockPenalty)
    }

    /// Momentum after one month, under the scenario's formulation.
    func nextMomentum(_ m0: Double, win: Double) -> Double {
        let mv = scenario.movement
        let support = mv.gainPerSupport * (movementSupportShare() - 0.5)
        switch mv.formulation {
        case .legacy:
            var m = m0 + mv.gainPerWin * win + support
            if win <= 0 { m -= mv.decay * (m - mv.momentumFloor) }
            m -= mv.pendingCost * pendingShare(olderThan: 0)
            return min(max(m, mv.momentumFloor), mv.momentumCap)
        case .aged:
            let m =
                m0 + mv.gainPerWin * win + support - mv.decay * (m0 - mv.momentumFloor)
                - mv.pendingCost * pendingShare(olderThan: mv.pendingAge)
            return min(max(m, mv.momentumFloor), mv.momentumCap)
        case .saturating:
            let span = mv.momentumCap - mv.momentumFloor
            guard span > 0 else { return mv.momentumFloor }
            let room = max(0, mv.momentumCap - m0) / span, above = max(0, m0 - mv.momentumFloor) / span
            let gain = mv.gainPerWin * win + max(0, support)
            let loss = max(0, -support) + mv.pendingCost * pendingShare(olderThan: mv.pendingAge)
            let m = m0 + room * gain - above * loss - mv.decay * (m0 - mv.momentumFloor)
            return min(max(m, mv.momentumFloor), mv.momentumCap)
        }
    }

    /// Whether a shock's effects (failure, retractions) are in force this month.
    var shockInForce: Bool { globals.shockPenalty > 0 }

    /// Mean of the workforce shares in workplaces that adopted BJC and equitable pay.
    func adoptedWorkforceShare() -> Double {
        // Local references: no access checks on the simulation's properties per workplace.
        let open = workplaces.open, members = counts.workplaceMembers
        let bjcSince = workplaces.adoptedSince[0], paySince = workplaces.adoptedSince[1]
        var total = 0, adopted = 0
        for w in open.indices where open[w] {
            let m = Int(members[w])
            total += m
            if bjcSince[w] >= 0 { adopted += m }
            if paySince[w] >= 0 { adopted += m }
        }
        return total == 0 ? 0 : Double(adopted) / Double(2 * total)
    }

    /// Mean supporting share (both institutions) of workers, coordinators and allied volunteers:
    /// the people whose activism carries the movement. Isolated volunteers do not count.
    func movementSupportShare() -> Double {
        counts.movementPersons == 0 ? 0 : Double(counts.movementStances) / Double(2 * counts.movementPersons)
    }

    /// Share of workplaces with a workers' council that have a dispute at least `age` months old.
    func pendingShare(olderThan age: Int) -> Double {
        var councils = 0, pending = 0
        for w in 0..<workplaces.count where workplaces.open[w] && workplaces.hasCouncil[w] {
            councils += 1
            if workplaces.hasDispute(w, .bjc, olderThan: age, at: month)
                || workplaces.hasDispute(w, .pay, olderThan: age, at: month)
            {
                pending += 1
            }
        }
        return councils == 0 ? 0 : Double(pending) / Double(councils)
    }
}
