import CGSL

/// GSL's default error handler aborts the process; parecon-sim validates arguments before
/// calling GSL and so turns the handler off once, before the first generator is made.
private let gslErrorHandlerOff: Void = {
    _ = gsl_set_error_handler_off()
}()

/// One independent stream of pseudo-random numbers, backed by a GSL generator.
///
/// A stream is owned by exactly one chunk of persons or one replicate: it is deliberately not
/// `Sendable`, so the compiler refuses to share it across threads. The GSL generator is freed
/// exactly once, when the stream is released.
public final class RandomStream {
    @usableFromInline let rng: UnsafeMutablePointer<gsl_rng>
    /// The generator's own `get_double` and state: exactly what `gsl_rng_uniform` calls (GSL's
    /// inline definition is `r->type->get_double(r->state)`), without the out-of-line wrapper
    /// call on the hottest path of the model.
    @usableFromInline let getDouble: @convention(c) (UnsafeMutableRawPointer?) -> Double
    @usableFromInline let state: UnsafeMutableRawPointer?
    /// The generator algorithm behind this stream.
    public let kind: GeneratorKind

    /// Stream `stream` of run seed `seed`, with state derived by ``SeedMixing``.
    public init(kind: GeneratorKind = .taus2, seed: UInt64, stream: UInt64) {
        _ = gslErrorHandlerOff
        guard let rng = gsl_rng_alloc(kind.gslType) else {
            preconditionFailure("gsl_rng_alloc failed for \(kind): out of memory")
        }
        self.rng = rng
        self.kind = kind
        (getDouble, state) = Self.uniformSource(rng)
        let key = SeedMixing.key(seed: seed, stream: stream)
        switch kind {
        case .taus2: Self.fillTaus2(rng, key: key)
        case .mt19937: Self.fillMT19937(rng, key: key)
        case .ranlxd2: gsl_rng_set(rng, SeedMixing.ranlxdSeed(seed: seed, stream: stream))
        }
    }

    /// A stream seeded with GSL's own `gsl_rng_set(seed)`, exactly as GSL's test suite does.
    /// Only for checking published reference values: it has the 32-bit and seed-0 traps.
    public init(kind: GeneratorKind, gslSeed: UInt) {
        _ = gslErrorHandlerOff
        guard let rng = gsl_rng_alloc(kind.gslType) else {
            preconditionFailure("gsl_rng_alloc failed for \(kind): out of memory")
        }
        self.rng = rng
        self.kind = kind
        (getDouble, state) = Self.uniformSource(rng)
        gsl_rng_set(rng, gslSeed)
    }

    deinit { gsl_rng_free(rng) }

    private static func uniformSource(
        _ rng: UnsafeMutablePointer<gsl_rng>
    ) -> (@convention(c) (UnsafeMutableRawPointer?) -> Double, UnsafeMutableRawPointer?) {
        guard let getDouble = rng.pointee.type.pointee.get_double else {
            preconditionFailure("a GSL generator type must have get_double")
        }
        return (getDouble, rng.pointee.state)
    }

    // taus2's state is three `unsigned long` words; each must exceed a minimum (1, 7, 15)
    // for the generator to have full period. GSL warms the generator up with six draws.
    private static func fillTaus2(_ rng: UnsafeMutablePointer<gsl_rng>, key: UInt64) {
        precondition(
            gsl_rng_size(rng) == 3 * MemoryLayout<UInt>.size,
            "taus2 state layout must be three unsigned long words")
        var mixer = SplitMix64(key: key)
        let first = mixer.next(), second = mixer.next()
        let words = gsl_rng_state(rng)!.assumingMemoryBound(to: UInt.self)
        words[0] = UInt(first & 0xFFFF_FFFF); if words[0] < 2 { words[0] += 2 }
        words[1] = UInt(first >> 32); if words[1] < 8 { words[1] += 8 }
        words[2] = UInt(second & 0xFFFF_FFFF); if words[2] < 16 { words[2] += 16 }
        for _ in 0..<6 { _ = gsl_rng_get(rng) }
    }

    // mt19937's state is 624 `unsigned long` words followed by the position `mti`; setting
    // mti = 624 makes the next draw regenerate the block. Only the top bit of word 0 enters the
    // recurrence, so setting it guarantees a non-zero state.
    private static func fillMT19937(_ rng: UnsafeMutablePointer<gsl_rng>, key: UInt64) {
        let n = 624
        precondition(
            gsl_rng_size(rng) >= n * MemoryLayout<UInt>.size + MemoryLayout<Int32>.size,
            "mt19937 state layout must hold 624 words and a position")
        var mixer = SplitMix64(key: key)
        let base = gsl_rng_state(rng)!
        let words = base.assumingMemoryBound(to: UInt.self)
        var i = 0
        while i < n {
            let w = mixer.next()
            words[i] = UInt(w & 0xFFFF_FFFF)
            if i + 1 < n { words[i + 1] = UInt(w >> 32) }
            i += 2
        }
        words[0] |= 0x8000_0000
        (base + n * MemoryLayout<UInt>.size).assumingMemoryBound(to: Int32.self).pointee = Int32(n)
    }

    /// The next raw integer of the generator (as `gsl_rng_get`).
    @inlinable public func nextRaw() -> UInt { gsl_rng_get(rng) }

    /// A uniform double in [0, 1).
    @inlinable public func uniform() -> Double { getDouble(state) }

    /// A uniform double in (0, 1): never exactly zero, for logarithms and divisions.
    @inlinable public func uniformPositive() -> Double { gsl_rng_uniform_pos(rng) }

    /// A uniform integer in 0 ..< `bound`.
    public func index(below bound: Int) -> Int {
        precondition(bound > 0 && bound <= Int(UInt32.max), "index(below:) needs 0 < bound ≤ 2³²−1, got \(bound)")
        return Int(gsl_rng_uniform_int(rng, UInt(bound)))
    }
}
