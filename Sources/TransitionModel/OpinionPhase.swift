import Foundation
import Stochastic

extension Simulation {
    /// Step 3: each person revises with probability ν; a reviser supports institution k with
    /// probability 1/(1 + exp(−2βu)). Synchronous: reads the flags of month t, writes t + 1.
    ///
    /// Terms shared by a group are computed once per group; one uniform draw decides both
    /// whether a person revises (r < ν) and, rescaled (r/ν), the BJC stance.
    func reviseOpinions(revisionRate: Double? = nil) {
        let o = scenario.opinion
        let nu = revisionRate ?? o.revisionRate
        guard nu > 0 else { return }
        let homes = neighbourhoodCount
        var homeTerm = [[Double]](repeating: [Double](repeating: 0, count: homes), count: 2)
        for n in 0..<homes {
            let pressure = o.wMovement * globals.pressure * reach(n)
            homeTerm[0][n] = pressure + o.wDemonstration * demonstration(n, .bjc)
            homeTerm[1][n] = pressure + o.wDemonstration * demonstration(n, .pay)
        }
        var workTerm = [[Double]](repeating: [Double](repeating: 0, count: workplaces.count), count: 2)
        for w in 0..<workplaces.count {
            workTerm[0][w] = o.wExperience * experience(w, .bjc)
            workTerm[1][w] = o.wExperience * experience(w, .pay)
        }
        var fields = [[Double]](repeating: [0, 0], count: 4)
        for c in PersonClass.allCases { fields[Int(c.rawValue)] = [o.field(c, .bjc), o.field(c, .pay)] }
        let alliance = scenario.volunteers.alliance ? scenario.volunteers.allianceField : 0
        let beta = o.beta, coupling = o.coupling, wSol = o.wSolidarity, wDis = o.wDisruption, wSelf = o.wSelf
        let weight = o.workplaceWeight
        let c = counts
        let pop = population

        var next = nextFlags
        nextFlags = []
        next.withUnsafeMutableBufferPointer { buffer in
            let out = buffer
            Self.forEachChunk(persons: pop.count, streams: chunkStreams, threads: threads) { range, stream in
                for i in range {
                    let f = pop.flags[i]
                    out[i] = f
                    let cls = pop.personClass[i]
                    if f & Population.Flag.active == 0 || cls == .owner { continue }
                    let r = stream.uniform()
                    if r >= nu { continue }
                    let w = Int(pop.workplace[i]), n = Int(pop.neighbourhood[i])
                    let sigma = wSol * Double(pop.solidarity[i])
                    let allied = cls == .volunteer && f & Population.Flag.socialConcern != 0 ? alliance : 0
                    var result = f & ~(Population.Flag.bjc | Population.Flag.pay)
                    for k in 0..<2 {
                        let bit: UInt8 = k == 0 ? Population.Flag.bjc : Population.Flag.pay
                        let own: Int32 = f & bit != 0 ? 1 : 0
                        let m = Simulation.mix(
                            workplace: c.workplaceSupport[k][w] - own, of: c.workplaceMembers[w] - 1,
                            neighbourhood: c.neighbourhoodSupport[k][n] - own, of: c.neighbourhoodMembers[n] - 1,
                            weight: weight)
                        var u = fields[Int(cls.rawValue)][k] + allied + sigma + homeTerm[k][n] + workTerm[k][w]
                        u += coupling * (2 * m - 1) + wSelf * (own == 1 ? 1 : -1)
                        if k == 0 { u -= wDis * Double(pop.aversion[i]) }
                        let draw = k == 0 ? r / nu : stream.uniform()
                        if draw < OpinionRule.supportProbability(u: u, beta: beta) { result |= bit }
                    }
                    out[i] = result
                }
            }
        }
        nextFlags = population.flags
        population.flags = next
    }
}
