import Foundation
import Stochastic

extension Simulation {
    /// Step 3: each person revises with probability ν; a reviser supports institution k with
    /// probability 1/(1 + exp(−2βu)). Synchronous: reads the flags of month t, writes t + 1.
    ///
    /// Terms shared by a group are computed once per group; revisers are found by geometric
    /// skips, so a month costs one draw per reviser rather than one per person.
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
        let changes = ChangeLists(count: chunkStreams.count)
        let size = Self.chunkSize
        next.withUnsafeMutableBufferPointer { buffer in
            let out = buffer
            // Revisers are found by geometric skips (one draw per reviser, not per person).
            let logKeep = nu < 1 ? log1p(-nu) : 0
            Self.forEachChunk(persons: flags.count, streams: chunkStreams, threads: threads) { range, stream in
                for i in range { out[i] = flags[i] }
                var i = range.lowerBound - 1
                var changed: [Int32] = []
                defer { changes.store(range.lowerBound / size, changed) }
                while true {
                    if nu < 1 {
                        let gap = log(stream.uniformPositive()) / logKeep
                        i += gap >= Double(range.count) ? range.count : Int(gap)
                    }
                    i += 1
                    if i >= range.upperBound { break }
                    let f = flags[i]
                    let cls = classes[i]
                    if f & Population.Flag.active == 0 || cls == .owner { continue }
                    let w = Int(work[i]), n = Int(home[i])
                    var result = f & ~(Population.Flag.bjc | Population.Flag.pay)
                    for k in 0..<2 {
                        let u = terms.utility(k: k, flags: f, personClass: cls, solidarity: solidarity[i],
                                              aversion: aversion[i], workplace: w, neighbourhood: n, counts: c)
                        if stream.uniform() < OpinionRule.supportProbability(u: u, beta: beta) { result |= UInt8(1 << k) }
                    }
                    out[i] = result
                    if result != f { changed.append(Int32(i)) }
                }
            }
        }
        nextFlags = population.flags
        population.flags = next
        counts.applyStanceChanges(changes.all(), old: nextFlags, new: population.flags, population)
    }
}

/// Per-chunk lists of persons whose stance changed, filled in parallel (one slot per chunk).
final class ChangeLists: @unchecked Sendable {
    private var slots: [[Int32]]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: [], count: count) }
    func store(_ chunk: Int, _ list: [Int32]) { lock.lock(); slots[chunk] = list; lock.unlock() }
    /// All changed persons, in chunk order.
    func all() -> [Int32] { slots.flatMap { $0 } }
}
