extension Simulation {
    /// Step 4: σ rises towards 1 with exposure (own adopted workplace, a communal council,
    /// demonstrations nearby) and returns towards the person's initial σ without it.
    func updateSolidarity() {
        let s = scenario.solidarity
        let homes = neighbourhoodCount
        var homeExposure = [Float](repeating: 0, count: homes)
        for n in 0..<homes {
            let council: Double = neighbourhoodHasCouncil[n] ? 0.5 : 0
            homeExposure[n] = Float(council + 0.5 * max(demonstration(n, .bjc), demonstration(n, .pay)))
        }
        var workExposure = [Float](repeating: 0, count: workplaces.count)
        for w in 0..<workplaces.count where workplaces.open[w] && (adopted(w, .bjc) || adopted(w, .pay)) {
            workExposure[w] = 1
        }
        let rise = Float(s.riseRate), back = Float(s.returnRate)
        let flags = population.flags, classes = population.personClass
        let work = population.workplace, home = population.neighbourhood, initial = population.initialSolidarity
        var solidarity = population.solidarity
        population.solidarity = []
        // The coordinators' summed solidarity, per chunk in fixed point (exact in any order).
        var chunkSums = [Int64](repeating: 0, count: chunkStreams.count)
        let size = Self.chunkSize
        let owner = PersonClass.owner, coordinator = PersonClass.coordinator, active = Population.Flag.active
        // Raw buffers: the loop is the phase, and checked subscripts cost it about 30% of its time.
        withBuffers(flags, classes, work, home, initial, workExposure, homeExposure) { flags, classes, work, home, initial, atWork, atHome in
            chunkSums.withUnsafeMutableBufferPointer { sums in
                solidarity.withUnsafeMutableBufferPointer { buffer in
                    let out = buffer, chunkSum = sums
                    Self.forEachChunk(persons: flags.count, streams: chunkStreams, threads: threads) { range, _ in
                        var sum: Int64 = 0
                        for i in range where flags[i] & active != 0 && classes[i] != owner {
                            let e = min(1, atWork[Int(work[i])] + atHome[Int(home[i])])
                            let x = out[i]
                            let y = x + rise * e * (1 - x) + back * (1 - e) * (initial[i] - x)
                            out[i] = y
                            if classes[i] == coordinator { sum &+= GroupCounts.fixed(y) }
                        }
                        chunkSum[range.lowerBound / size] = sum
                    }
                }
            }
        }
        population.solidarity = solidarity
        counts.coordinatorSolidarityFixed = chunkSums.reduce(0, &+)
    }
}
