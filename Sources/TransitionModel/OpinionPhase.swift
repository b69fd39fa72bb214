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
        let c = counts
        // Synchronous although written in place: a person's u reads only the person's own
        // stance and the group counts of month t (`c`), never another person's new stance;
        // ties between persons read month t's stances from a copy (1 byte a person).
        var stances = population.flags
        let influence = influence(stances: scenario.influence.network.tiesPersons ? stances : [], counts: c)
        population.flags = []
        let changes = stances.withUnsafeMutableBufferPointer { flags in
            influence.dispatch(NonOwnerRevision(sim: self, nu: nu, terms: terms, flags: flags))
        }
        population.flags = stances
        counts.applyStanceChanges(changes)
        reviseOwners(nu: nu, terms: terms, counts: c)
    }

    /// Active workers, coordinators and volunteers revise, on all threads in fixed chunks, each
    /// chunk on its own stream; returns the stances changed, one list per chunk in chunk order
    /// (not joined into one: in a burn-in revision of a national economy, a joined copy of
    /// millions of changes was the run's peak of memory).
    func reviseNonOwners<I: PeerInfluence>(nu: Double, terms: UtilityTerms, influence: I,
                                            flags: UnsafeMutableBufferPointer<UInt8>) -> [[StanceChange]] {
        let beta = scenario.opinion.beta
        let classes = population.personClass, work = population.workplace
        let home = population.neighbourhood, solidarity = population.solidarity, aversion = population.aversion
        let effort = population.effort
        let changes = ChangeLists(count: chunkStreams.count)
        let size = Self.chunkSize
        let logKeep = nu < 1 ? log1p(-nu) : 0
        Self.forEachChunk(persons: flags.count, streams: chunkStreams, threads: threads) { range, stream in
            // Two passes over the chunk, drawing from the stream in the order one pass would:
            // first the revisers and their two uniforms (a gap, then two uniforms for an active
            // non-owner, none for anyone else), then their decisions. A reviser's draws do not
            // depend on anyone's decision, so the numbers are the same; the second pass's loads
            // no longer wait behind the generator, and the processor overlaps them.
            var revisers: [Reviser] = []
            revisers.reserveCapacity(nu < 1 ? Int(Double(range.count) * nu * 1.25) + 16 : range.count)
            var i = range.lowerBound - 1
            while true {
                if nu < 1 {
                    let gap = log(stream.uniformPositive()) / logKeep
                    i += gap >= Double(range.count) ? range.count : Int(gap)
                }
                i += 1
                if i >= range.upperBound { break }
                if flags[i] & Population.Flag.active == 0 || classes[i] == .owner { continue }
                let first = stream.uniform()
                revisers.append(Reviser(person: Int32(i), uniforms: (first, stream.uniform())))
            }
            var changed: [StanceChange] = []
            defer { changes.store(range.lowerBound / size, changed) }
            for r in revisers {
                let i = Int(r.person)
                let f = flags[i]
                let cls = classes[i]
                let w = Int(work[i]), n = Int(home[i])
                var result = f & ~(Population.Flag.bjc | Population.Flag.pay)
                for k in 0..<2 {
                    let m = influence.peerShare(of: i, k, flags: f, workplace: w, neighbourhood: n)
                    let u = terms.utility(
                        k: k, flags: f, personClass: cls, solidarity: solidarity[i],
                        aversion: aversion[i], effort: effort[i], workplace: w, neighbourhood: n, peerShare: m)
                    // Branch-free: the decision is a coin flip the processor cannot predict.
                    let x = k == 0 ? r.uniforms.0 : r.uniforms.1
                    result |= (OpinionRule.supports(u: u, beta: beta, uniform: x) ? 1 : 0) << UInt8(k)
                }
                if result != f {
                    flags[i] = result
                    changed.append(
                        StanceChange(workplace: Int32(w), neighbourhood: Int32(n), old: f, new: result, personClass: cls))
                }
            }
        }
        return changes.lists()
    }

    /// Owners revise by the same rule, their peers being their workplace's members (month t's
    /// counts, so the update stays synchronous). Serial, on the run's own stream: owners are
    /// few, one per private workplace.
    func reviseOwners(nu: Double, terms: UtilityTerms, counts c: GroupCounts) {
        let beta = scenario.opinion.beta
        for w in 0..<workplaces.count where workplaces.open[w] && workplaces.owner[w] >= 0 {
            let i = Int(workplaces.owner[w])
            guard population.flags[i] & Population.Flag.active != 0, nu >= 1 || rng.uniform() < nu else { continue }
            let n = Int(workplaces.neighbourhood[w])
            var f = population.flags[i] & ~(Population.Flag.bjc | Population.Flag.pay)
            for k in 0..<2 {
                let u = terms.ownerUtility(k: k, workplace: w, neighbourhood: n, counts: c)
                if OpinionRule.supports(u: u, beta: beta, uniform: rng.uniform()) { f |= UInt8(1 << k) }
            }
            setOwnerStance(i, f)
        }
    }

    /// Sets an owner's flags, keeping the count of supporting owners (BJC, pay, both).
    func setOwnerStance(_ i: Int, _ f: UInt8) {
        let old = population.flags[i]
        for (k, bits) in [(0, Population.Flag.bjc), (1, Population.Flag.pay), (2, Population.Flag.bjc | Population.Flag.pay)] {
            if old & bits == bits { ownerSupport[k] -= 1 }
            if f & bits == bits { ownerSupport[k] += 1 }
        }
        population.flags[i] = f
    }

    /// An owner who leaves, or a successor's new owner, supports nothing.
    func clearOwnerStance(_ i: Int) {
        setOwnerStance(i, population.flags[i] & ~(Population.Flag.bjc | Population.Flag.pay))
    }
}

/// The revision of non-owners with a concrete influence (so that the loop is specialised for it).
private struct NonOwnerRevision: InfluenceUser {
    let sim: Simulation
    let nu: Double
    let terms: UtilityTerms
    let flags: UnsafeMutableBufferPointer<UInt8>
    func run<I: PeerInfluence>(with influence: I) -> [[StanceChange]] {
        sim.reviseNonOwners(nu: nu, terms: terms, influence: influence, flags: flags)
    }
}

/// A reviser of the opinion phase and the two uniforms its decisions use (BJC, pay).
private struct Reviser {
    var person: Int32
    var uniforms: (Double, Double)
}

/// A stance the opinion phase changed: the person's flags before and after, and what the
/// group counts need (workplace, neighbourhood, class), read while the person was at hand.
struct StanceChange {
    var workplace: Int32
    var neighbourhood: Int32
    var old: UInt8
    var new: UInt8
    var personClass: PersonClass
}

/// Per-chunk lists of persons whose stance changed, filled in parallel (one slot per chunk).
final class ChangeLists: @unchecked Sendable {
    private var slots: [[StanceChange]]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: [], count: count) }
    func store(_ chunk: Int, _ list: [StanceChange]) { lock.lock(); slots[chunk] = list; lock.unlock() }
    /// Each chunk's changed persons, in chunk order.
    func lists() -> [[StanceChange]] { slots }
}
