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
        var m = globals.momentum + mv.gainPerWin * win + mv.gainPerSupport * (movementSupportShare() - 0.5)
        if win <= 0 { m -= mv.decay * (m - mv.momentumFloor) }
        m -= mv.pendingCost * pendingShare()
        globals.momentum = min(max(m, mv.momentumFloor), mv.momentumCap)
        globals.stateSupport = scenario.state.support.value(at: month)
        globals.pressure = mv.base.value(at: month) * globals.momentum * (1 - globals.shockPenalty)
    }

    /// Whether a shock's effects (failure, retractions) are in force this month.
    var shockInForce: Bool { globals.shockPenalty > 0 }

    /// Mean of the workforce shares in workplaces that adopted BJC and equitable pay.
    func adoptedWorkforceShare() -> Double {
        var total = 0, adopted = [0, 0]
        for w in 0..<workplaces.count where workplaces.open[w] {
            let m = Int(counts.workplaceMembers[w])
            total += m
            for k in 0..<2 where workplaces.adoptedSince[k][w] >= 0 { adopted[k] += m }
        }
        return total == 0 ? 0 : Double(adopted[0] + adopted[1]) / Double(2 * total)
    }

    /// Mean supporting share (both institutions) of workers, coordinators and allied volunteers:
    /// the people whose activism carries the movement. Isolated volunteers do not count.
    func movementSupportShare() -> Double {
        counts.movementPersons == 0 ? 0 : Double(counts.movementStances) / Double(2 * counts.movementPersons)
    }

    /// Share of workplaces with a workers' council that have a pending dispute.
    func pendingShare() -> Double {
        var councils = 0, pending = 0
        for w in 0..<workplaces.count where workplaces.open[w] && workplaces.hasCouncil[w] {
            councils += 1
            if workplaces.pending[0][w] || workplaces.pending[1][w] { pending += 1 }
        }
        return councils == 0 ? 0 : Double(pending) / Double(councils)
    }
}
