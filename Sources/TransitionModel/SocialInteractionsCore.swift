import Stochastic

/// The social-interactions core of the model on its own (the validation reductions): N persons in
/// equal groups of G, each revising with probability ν and then supporting with probability
/// 1/(1 + exp(−2β(h + J(2m − 1)))), m the share of the *other* members of the group who support.
///
/// Used by `parecon-sim bench core` and the mean-field validation. Groups are contiguous, chunks
/// hold whole groups and have their own streams, so results do not depend on the thread count.
/// Per group the support probability is tabulated for every count of supporting others, so a
/// step costs one uniform draw and one table look-up per person.
public final class SocialInteractionsCore {
    public struct Parameters: Sendable, Equatable {
        public var persons: Int
        public var groupSize: Int
        public var beta = 1.0
        public var coupling = 0.6
        public var field = 0.0
        public var revisionRate = 0.5
        public var initialShare = 0.2
        public var generator = GeneratorKind.taus2
        public init(persons: Int, groupSize: Int) { self.persons = persons; self.groupSize = groupSize }
    }

    public let parameters: Parameters
    public let threads: Int
    private var support: [UInt8]
    private var groupCount: [Int32]
    private var nextCount: [Int32]
    private let table: [Double]
    private let streams: [RandomStream]
    private let groupsPerChunk: Int
    public private(set) var steps = 0

    /// Fails with a message when the parameters are not usable.
    public init(_ p: Parameters, seed: UInt64, threads: Int = 1) throws(ModelError) {
        guard p.groupSize >= 2 else { throw .invalidParameter("group size must be at least 2, got \(p.groupSize)") }
        guard p.persons >= p.groupSize, p.persons % p.groupSize == 0 else {
            throw .invalidParameter("persons (\(p.persons)) must be a positive multiple of the group size (\(p.groupSize))")
        }
        guard p.revisionRate >= 0 && p.revisionRate <= 1 else {
            throw .invalidParameter("revision rate must lie in [0, 1], got \(p.revisionRate)")
        }
        guard p.initialShare >= 0 && p.initialShare <= 1 else {
            throw .invalidParameter("initial share must lie in [0, 1], got \(p.initialShare)")
        }
        guard p.beta >= 0 && p.beta.isFinite && p.coupling.isFinite && p.field.isFinite else {
            throw .invalidParameter("beta must be finite and ≥ 0, coupling and field finite")
        }
        parameters = p
        self.threads = max(1, threads)
        let groups = p.persons / p.groupSize
        groupsPerChunk = max(1, Simulation.chunkSize / p.groupSize)
        let chunks = (groups + groupsPerChunk - 1) / groupsPerChunk
        streams = (0..<chunks).map { RandomStream(kind: p.generator, seed: seed, stream: StreamID.chunk($0)) }
        let others = Double(p.groupSize - 1)
        table = (0..<p.groupSize).map { c in
            OpinionRule.supportProbability(u: p.field + p.coupling * (2 * Double(c) / others - 1), beta: p.beta)
        }
        support = [UInt8](repeating: 0, count: p.persons)
        groupCount = [Int32](repeating: 0, count: groups)
        nextCount = groupCount
        let initial = RandomStream(kind: p.generator, seed: seed, stream: StreamID.run)
        for g in 0..<groups {
            var c: Int32 = 0
            for i in g * p.groupSize..<(g + 1) * p.groupSize where initial.bernoulli(p.initialShare) {
                support[i] = 1; c += 1
            }
            groupCount[g] = c
        }
    }

    /// Share of persons supporting.
    public var share: Double {
        Double(groupCount.reduce(0) { $0 + Int($1) }) / Double(parameters.persons)
    }

    /// Advances `count` synchronous steps.
    public func run(steps count: Int) {
        for _ in 0..<count { step() }
    }

    public func step() {
        let g = parameters.groupSize, nu = parameters.revisionRate
        let groups = groupCount.count, perChunk = groupsPerChunk
        let chunks = streams.count
        var s = support, next = nextCount
        support = []; nextCount = []
        let current = groupCount
        s.withUnsafeMutableBufferPointer { sBuf in
            next.withUnsafeMutableBufferPointer { nBuf in
                table.withUnsafeBufferPointer { tBuf in
                    current.withUnsafeBufferPointer { cBuf in
                        let (sp, np, tp, cp) = (sBuf, nBuf, tBuf, cBuf)
                        let body = { (chunk: Int, stream: RandomStream) in
                            let firstGroup = chunk * perChunk, lastGroup = min(groups, firstGroup + perChunk)
                            for group in firstGroup..<lastGroup {
                                let c = cp[group]
                                var newCount: Int32 = 0
                                for i in group * g..<(group + 1) * g {
                                    let own = sp[i]
                                    let r = stream.uniform()
                                    // Branch-free: whether a person revises is a coin toss the processor
                                    // cannot predict, so both outcomes are computed and one is selected
                                    // with bit operations (a select would be turned back into a branch).
                                    let revises = unsafeBitCast(r < nu, to: UInt8.self)
                                    let chosen = unsafeBitCast(r < nu * tp[Int(c &- Int32(own))], to: UInt8.self)
                                    let stance = own ^ ((own ^ chosen) & (0 &- revises))
                                    sp[i] = stance
                                    newCount &+= Int32(stance)
                                }
                                np[group] = newCount
                            }
                        }
                        Self.parallel(chunks: chunks, threads: threads, streams: streams, body)
                    }
                }
            }
        }
        support = s
        nextCount = groupCount
        groupCount = next
        steps += 1
    }

    private static func parallel(chunks: Int, threads: Int, streams: [RandomStream], _ body: (Int, RandomStream) -> Void) {
        let workers = min(threads, chunks)
        onWorkers(workers) { w in
            var c = w
            while c < chunks { body(c, streams[c]); c += workers }
        }
    }
}

import Dispatch
