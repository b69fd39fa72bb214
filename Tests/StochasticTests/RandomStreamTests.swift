import Testing
@testable import Stochastic

@Suite("GSL generators and stream derivation")
struct RandomStreamTests {
    /// The n-th `gsl_rng_get` after `gsl_rng_set(seed)`, from GSL's own rng test suite.
    @Test(arguments: [
        (GeneratorKind.mt19937, UInt(4357), 1000, UInt(1_186_927_261)),
        (GeneratorKind.taus2, UInt(1), 10000, UInt(2_733_957_125)),
        (GeneratorKind.ranlxd2, UInt(1), 10000, UInt(3_949_287_736)),
    ])
    func gslReferenceValues(kind: GeneratorKind, seed: UInt, n: Int, expected: UInt) {
        let stream = RandomStream(kind: kind, gslSeed: seed)
        var value: UInt = 0
        for _ in 0..<n { value = stream.nextRaw() }
        #expect(value == expected)
    }

    private func prefix(_ stream: RandomStream, _ count: Int = 16) -> [UInt] {
        (0..<count).map { _ in stream.nextRaw() }
    }

    @Test(arguments: GeneratorKind.allCases)
    func equalSeedsGiveEqualStreams(kind: GeneratorKind) {
        let a = RandomStream(kind: kind, seed: 42, stream: 7)
        let b = RandomStream(kind: kind, seed: 42, stream: 7)
        #expect(prefix(a, 1000) == prefix(b, 1000))
    }

    @Test(arguments: GeneratorKind.allCases)
    func distinctStreamIndicesGiveDistinctStreams(kind: GeneratorKind) {
        var seen = Set<[UInt]>()
        for index in 0..<200 {
            seen.insert(prefix(RandomStream(kind: kind, seed: 42, stream: UInt64(index)), 4))
        }
        #expect(seen.count == 200)
    }

    @Test func ranlxdSeedsOfOneRunNeverCoincide() {
        // The fold of a per-stream key could map two streams to one seed; the run seed's part is
        // the same for every stream, so the stream index alone separates them.
        for seed: UInt64 in [0, 1, 42, 1 << 40, .max] {
            let seeds = (0..<100_000 as Range<UInt64>).map { SeedMixing.ranlxdSeed(seed: seed, stream: $0) }
            #expect(Set(seeds).count == seeds.count, "seed \(seed)")
            #expect(!seeds.contains(0))
        }
        #expect(SeedMixing.ranlxdSeed(seed: 1, stream: 0) != SeedMixing.ranlxdSeed(seed: 1 + (1 << 32), stream: 0))
    }

    @Test(arguments: GeneratorKind.allCases)
    func seedsDifferingAboveBit32GiveDistinctStreams(kind: GeneratorKind) {
        // GSL's own seeding only reads the low 32 bits: 1 and 1 + 2³² collide there.
        let gslA = RandomStream(kind: kind, gslSeed: 1)
        let gslB = RandomStream(kind: kind, gslSeed: 1 + (1 << 32))
        #expect(prefix(gslA) == prefix(gslB), "the trap this derivation avoids")
        let a = RandomStream(kind: kind, seed: 1, stream: 0)
        let b = RandomStream(kind: kind, seed: 1 + (1 << 32), stream: 0)
        #expect(prefix(a) != prefix(b))
    }

    @Test(arguments: GeneratorKind.allCases)
    func seedZeroIsAnOrdinarySeed(kind: GeneratorKind) {
        // In GSL seed 0 means "the default seed"; here it is a seed like any other.
        let zero = prefix(RandomStream(kind: kind, seed: 0, stream: 0))
        #expect(zero != prefix(RandomStream(kind: kind, seed: 1, stream: 0)))
        #expect(zero != prefix(RandomStream(kind: kind, gslSeed: 0)))
        #expect(zero != prefix(RandomStream(kind: kind, gslSeed: 1)))
    }

    @Test func childSeedsAreDistinct() {
        let seeds = (0..<10_000).map { SeedMixing.childSeed(master: 2026, index: UInt64($0)) }
        #expect(Set(seeds).count == seeds.count)
    }

    @Test func fmix64IsABijectionOnASample() {
        // A bijection maps distinct inputs to distinct outputs; check a structured sample.
        let inputs = (0..<65_536).map { UInt64($0) << 20 }
        #expect(Set(inputs.map(SeedMixing.fmix64)).count == inputs.count)
    }

    @Test(arguments: GeneratorKind.allCases)
    func uniformStaysInItsInterval(kind: GeneratorKind) {
        let s = RandomStream(kind: kind, seed: 9, stream: 3)
        for _ in 0..<100_000 {
            let u = s.uniform(); #expect(u >= 0 && u < 1)
            let p = s.uniformPositive(); #expect(p > 0 && p < 1)
        }
    }
}

@Suite("Stream ids")
struct StreamIDTests {
    /// No two uses share a stream under one seed: the fixed ids differ from each other, from any
    /// chunk of a run of up to 2³² persons (2¹⁸ chunks) and from the first ABC-SMC candidates.
    @Test func fixedStreamsAreDistinctFromEachOtherAndFromChunks() {
        let fixed: [UInt64] = [StreamID.run, StreamID.network, StreamID.latinHypercube, StreamID.saltelliShift]
        #expect(Set(fixed).count == fixed.count)
        let chunks = StreamID.chunk(0)...StreamID.chunk(1 << 18)
        #expect(!fixed.contains { chunks.contains($0) })
        #expect(StreamID.abcCandidate(generation: 1, candidate: 0) != StreamID.abcCandidate(generation: 0, candidate: 1))
        #expect(RandomStream(seed: 3, stream: StreamID.network).uniform() != RandomStream(seed: 3, stream: StreamID.run).uniform())
    }
}
