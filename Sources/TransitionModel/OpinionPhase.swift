import Foundation
import Stochastic

extension Simulation {
    /// Step 3: each person revises with probability ν; a reviser supports institution k with
    /// probability 1/(1 + exp(−2βu)). Synchronous: reads the flags of month t, writes t + 1.
    ///
    /// Terms shared by a group are computed once per group; one uniform draw decides both
    /// whether a person revises (r < ν) and, rescaled (r/ν), the BJC stance.
    func reviseOpinions(revisionRate: Double? = nil) {
        let nu = revisionRate ?? scenario.opinion.revisionRate
        guard nu > 0 else { return }
        let terms = UtilityTerms(self)
        let beta = scenario.opinion.beta
        let c = counts
        let flags = population.flags, classes = population.personClass, work = population.workplace
        let home = population.neighbourhood, solidarity = population.solidarity, aversion = population.aversion
        var next = nextFlags
        nextFlags = []
        next.withUnsafeMutableBufferPointer { buffer in
            let out = buffer
            Self.forEachChunk(persons: flags.count, streams: chunkStreams, threads: threads) { range, stream in
                for i in range {
                    let f = flags[i]
                    out[i] = f
                    let cls = classes[i]
                    if f & Population.Flag.active == 0 || cls == .owner { continue }
                    let r = stream.uniform()
                    if r >= nu { continue }
                    let w = Int(work[i]), n = Int(home[i])
                    var result = f & ~(Population.Flag.bjc | Population.Flag.pay)
                    for k in 0..<2 {
                        let u = terms.utility(k: k, flags: f, personClass: cls, solidarity: solidarity[i],
                                              aversion: aversion[i], workplace: w, neighbourhood: n, counts: c)
                        let draw = k == 0 ? r / nu : stream.uniform()
                        if draw < OpinionRule.supportProbability(u: u, beta: beta) { result |= UInt8(1 << k) }
                    }
                    out[i] = result
                }
            }
        }
        nextFlags = population.flags
        population.flags = next
    }
}
