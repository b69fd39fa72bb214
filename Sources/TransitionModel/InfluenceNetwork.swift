import Foundation
import Stochastic

/// Who is whose peer when influence runs through person-to-person ties rather than (or as well as)
/// the workplace and neighbourhood: an undirected graph over persons, in compressed sparse rows
/// with 32-bit ids (4 bytes per person for the offsets, 8 per tie for the two directions).
public struct InfluenceNetwork: Sendable, Equatable {
    /// `offsets[i] ..< offsets[i + 1]` index person i's neighbours in `neighbours`.
    public let offsets: [UInt32]
    public let neighbours: [Int32]

    public var persons: Int { offsets.count - 1 }
    public var ties: Int { neighbours.count / 2 }
    public var meanDegree: Double { persons > 0 ? Double(neighbours.count) / Double(persons) : 0 }
    /// Bytes held per person.
    public var bytesPerPerson: Double { persons > 0 ? Double(offsets.count * 4 + neighbours.count * 4) / Double(persons) : 0 }

    @inline(__always)
    public func neighbours(of i: Int) -> ArraySlice<Int32> { neighbours[Int(offsets[i])..<Int(offsets[i + 1])] }

    @inline(__always)
    public func degree(_ i: Int) -> Int { Int(offsets[i + 1] &- offsets[i]) }

    /// The share of person i's active neighbours supporting institution k (0.5 with none, as in
    /// the groups), read from `flags` (month t's, so that updates stay synchronous).
    @inline(__always)
    public func supportShare(of i: Int, _ k: Int, flags: [UInt8]) -> Double {
        var active = 0, supporting = 0
        let bit = UInt8(1 << k)
        for j in neighbours[Int(offsets[i])..<Int(offsets[i + 1])] {
            let f = flags[Int(j)]
            if f & Population.Flag.active != 0 {
                active += 1
                if f & bit != 0 { supporting += 1 }
            }
        }
        return active > 0 ? Double(supporting) / Double(active) : 0.5
    }

    /// The graph from a list of undirected ties (self-ties and repeated ties dropped). The list
    /// is consumed and released as soon as the rows hold it, and rows are sorted and
    /// de-duplicated in place, so that building needs little more than the graph itself.
    public init(persons n: Int, ties: consuming [(Int32, Int32)]) {
        precondition(n >= 0 && n < Int(Int32.max), "a network holds at most 2³¹ − 1 persons, got \(n)")
        var offsets = [UInt32](repeating: 0, count: n + 1)
        for t in ties.indices where ties[t].0 != ties[t].1 { offsets[Int(ties[t].0) + 1] += 1; offsets[Int(ties[t].1) + 1] += 1 }
        var total = 0
        for i in 0..<n {
            total += Int(offsets[i + 1])
            precondition(total < Int(UInt32.max), "a network holds fewer than 2³² tie ends, got \(total)")
            offsets[i + 1] = UInt32(total)
        }
        var fill = offsets
        var list = [Int32](repeating: 0, count: total)
        for t in ties.indices where ties[t].0 != ties[t].1 {
            let (a, b) = ties[t]
            list[Int(fill[Int(a)])] = b; fill[Int(a)] += 1
            list[Int(fill[Int(b)])] = a; fill[Int(b)] += 1
        }
        ties = []
        fill = []
        // Sorted neighbour lists without repeats (a graph, not a multigraph), compacted in place:
        // a row's write position never passes its read position.
        var write = 0
        list.withUnsafeMutableBufferPointer { rows in
            for i in 0..<n {
                let start = Int(offsets[i]), end = Int(offsets[i + 1])
                offsets[i] = UInt32(write)
                rows[start..<end].sort()
                var last: Int32 = -1
                for r in start..<end where rows[r] != last {
                    last = rows[r]
                    rows[write] = last
                    write += 1
                }
            }
        }
        offsets[n] = UInt32(write)
        list.removeLast(total - write)
        self.offsets = offsets
        self.neighbours = list
    }

    // MARK: generators (all serial on one stream: the same seed gives the same graph)

    /// Erdős–Rényi G(n, p) with p = z/(n − 1), by geometric skips over the pairs (Batagelj &
    /// Brandes 2005): time proportional to n + ties.
    public static func erdosRenyi(persons n: Int, meanDegree z: Double, stream: RandomStream) -> InfluenceNetwork {
        guard n >= 2, z > 0 else { return InfluenceNetwork(persons: max(n, 0), ties: []) }
        let p = min(1, z / Double(n - 1))
        var ties: [(Int32, Int32)] = []
        ties.reserveCapacity(Int(Double(n) * z / 2 * 1.05))
        if p >= 1 {
            for v in 1..<n { for w in 0..<v { ties.append((Int32(v), Int32(w))) } }
            return InfluenceNetwork(persons: n, ties: ties)
        }
        let logQ = log1p(-p)
        var v = 1, w = -1
        while v < n {
            w += 1 + Int(log(stream.uniformPositive()) / logQ)
            while w >= v && v < n { w -= v; v += 1 }
            if v < n { ties.append((Int32(v), Int32(w))) }
        }
        return InfluenceNetwork(persons: n, ties: ties)
    }

    /// Watts–Strogatz small world: a ring where everyone is tied to the K = z/2 nearest on each
    /// side, each tie's far end rewired with probability `rewiring` to a person drawn at random.
    public static func wattsStrogatz(persons n: Int, meanDegree z: Double, rewiring beta: Double, stream: RandomStream) -> InfluenceNetwork
    {
        let k = max(1, Int((z / 2).rounded()))
        guard n > 2 * k else { return erdosRenyi(persons: n, meanDegree: Double(n - 1), stream: stream) }
        var ties: [(Int32, Int32)] = []
        ties.reserveCapacity(n * k)
        for i in 0..<n {
            for j in 1...k {
                var target = (i + j) % n
                if beta > 0 && stream.uniform() < beta {
                    repeat { target = stream.index(below: n) } while target == i
                }
                ties.append((Int32(i), Int32(target)))
            }
        }
        return InfluenceNetwork(persons: n, ties: ties)
    }

    /// Barabási–Albert preferential attachment: persons join one by one, each tied to m = z/2
    /// earlier persons drawn in proportion to their degree (a list of tie ends, Batagelj & Brandes 2005).
    public static func barabasiAlbert(persons n: Int, meanDegree z: Double, stream: RandomStream) -> InfluenceNetwork {
        let m = max(1, Int((z / 2).rounded()))
        guard n > m + 1 else { return erdosRenyi(persons: n, meanDegree: Double(max(n - 1, 0)), stream: stream) }
        var ends: [Int32] = []
        ends.reserveCapacity(2 * n * m)
        var ties: [(Int32, Int32)] = []
        ties.reserveCapacity(n * m)
        // A small complete core of m + 1 persons.
        for v in 1...m { for w in 0..<v { ties.append((Int32(v), Int32(w))); ends.append(Int32(v)); ends.append(Int32(w)) } }
        for v in (m + 1)..<n {
            var chosen: [Int32] = []
            while chosen.count < m {
                let t = ends[stream.index(below: ends.count)]
                if !chosen.contains(t) { chosen.append(t) }
            }
            for t in chosen { ties.append((Int32(v), t)); ends.append(Int32(v)); ends.append(t) }
        }
        return InfluenceNetwork(persons: n, ties: ties)
    }

    /// Random regular graph: everyone has degree z (rounded; n·z even), by the configuration
    /// model with self-ties and repeats dropped (so a few persons end with z − 1 or z − 2).
    public static func randomRegular(persons n: Int, meanDegree z: Double, stream: RandomStream) -> InfluenceNetwork {
        var d = max(0, Int(z.rounded()))
        if (n * d) % 2 == 1 { d -= 1 }
        guard n >= 2, d > 0 else { return InfluenceNetwork(persons: max(n, 0), ties: []) }
        var stubs = [Int32](); stubs.reserveCapacity(n * d)
        for i in 0..<n { for _ in 0..<d { stubs.append(Int32(i)) } }
        // Fisher–Yates on the stubs, then pair neighbours.
        for i in stride(from: stubs.count - 1, to: 0, by: -1) { stubs.swapAt(i, stream.index(below: i + 1)) }
        var ties: [(Int32, Int32)] = []
        ties.reserveCapacity(stubs.count / 2)
        for p in stride(from: 0, to: stubs.count - 1, by: 2) { ties.append((stubs[p], stubs[p + 1])) }
        return InfluenceNetwork(persons: n, ties: ties)
    }

    /// The network a scenario asks for, nil for `none`: over the `persons`, or for a federation
    /// over the `workplaces` open at month 0 (random partners, `mean_degree` each on average).
    public static func build(_ s: InfluenceParameters, persons: Int, workplaces: Int, stream: RandomStream) -> InfluenceNetwork? {
        switch s.network {
        case .none: return nil
        case .federation: return erdosRenyi(persons: workplaces, meanDegree: s.meanDegree, stream: stream)
        case .erdosRenyi: return erdosRenyi(persons: persons, meanDegree: s.meanDegree, stream: stream)
        case .randomRegular: return randomRegular(persons: persons, meanDegree: s.meanDegree, stream: stream)
        case .wattsStrogatz: return wattsStrogatz(persons: persons, meanDegree: s.meanDegree, rewiring: s.rewiring, stream: stream)
        case .barabasiAlbert: return barabasiAlbert(persons: persons, meanDegree: s.meanDegree, stream: stream)
        }
    }
}

/// Watts's (2002) cascade on a network in the opinion rule's deterministic limit: a person joins
/// when the share of their neighbours who joined reaches their threshold φ (u = J(1 − 2φ) +
/// J(2m − 1) ≥ 0); joiners stay. Synchronous rounds: a person joining in round t is seen by
/// their neighbours in round t + 1.
public enum NetworkCascade {
    /// Persons joined at the end, from the `seeds` (who join first and stay).
    public static func finalJoiners(_ g: InfluenceNetwork, threshold phi: Double, seeds: [Int]) -> Int {
        var joined = [Bool](repeating: false, count: g.persons)
        for s in seeds { joined[s] = true }
        var count = seeds.count
        var frontier = Set(seeds.flatMap { g.neighbours(of: $0).map(Int.init) })
        let field = 1 - 2 * phi
        while !frontier.isEmpty {
            var joining: [Int] = []
            for i in frontier where !joined[i] {
                let d = g.degree(i)
                guard d > 0 else { continue }
                let active = g.neighbours(of: i).reduce(0) { $0 + (joined[Int($1)] ? 1 : 0) }
                let m = Double(active) / Double(d)
                if OpinionRule.supportProbability(u: field + (2 * m - 1) + 1e-12, beta: .infinity) == 1 { joining.append(i) }
            }
            for i in joining { joined[i] = true }
            count += joining.count
            frontier = Set(joining.flatMap { g.neighbours(of: $0).map(Int.init) })
        }
        return count
    }

    /// The share of single random seeds whose cascade reaches more than `global` of the persons.
    public static func globalCascadeFrequency(
        persons n: Int, meanDegree z: Double, threshold phi: Double,
        trials: Int, global: Double = 0.1, seed: UInt64
    ) -> Double {
        var hits = 0
        for t in 0..<trials {
            let stream = RandomStream(seed: SeedMixing.childSeed(master: seed, index: UInt64(t)), stream: 0)
            let g = InfluenceNetwork.erdosRenyi(persons: n, meanDegree: z, stream: stream)
            let start = stream.index(below: n)
            if Double(finalJoiners(g, threshold: phi, seeds: [start])) > global * Double(n) { hits += 1 }
        }
        return Double(hits) / Double(max(trials, 1))
    }
}
