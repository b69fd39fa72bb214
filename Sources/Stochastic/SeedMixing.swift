/// Seed derivation: turns (run seed, stream index) into generator state.
///
/// GSL's own seeding has two traps: seed 0 gives the generator's default stream,
/// and only the low 32 bits of a seed count. parecon-sim therefore never passes user seeds to
/// `gsl_rng_set` directly. Instead:
///
/// 1. `key = fmix64(seed ^ fmix64(stream &+ 0x9E3779B97F4A7C15))`, where `fmix64` is the
///    MurmurHash3 64-bit finaliser. `fmix64` is a bijection on 64-bit words, so for one run seed
///    distinct stream indices give distinct keys: no run ever holds two equal streams.
/// 2. A SplitMix64 sequence started at `key` fills the generator's state words
///    (taus2, mt19937), respecting each generator's rules for valid states. The state space is
///    then reached through all 64 bits of the run seed, so seeds that differ only above bit 32
///    give different streams, and sweeps of millions of runs do not collide.
/// 3. For `ranlxd2`, whose state cannot be filled safely from outside, the run seed alone is
///    mixed and folded into a non-zero 32-bit seed `1 + (fmix64(seed ⊕ c)_hi32 + stream) mod (2³² − 1)`
///    (``ranlxdSeed(seed:stream:)``): within one run distinct stream indices give distinct seeds
///    (for fewer than 2³² − 1 streams), since the part that comes from the seed is the same for
///    all of them.
public enum SeedMixing {
    /// MurmurHash3's 64-bit finaliser: a bijection with full avalanche.
    @inlinable
    public static func fmix64(_ value: UInt64) -> UInt64 {
        var x = value
        x ^= x >> 33
        x &*= 0xff51_afd7_ed55_8ccd
        x ^= x >> 33
        x &*= 0xc4ce_b9fe_1a85_ec53
        x ^= x >> 33
        return x
    }

    /// The key of stream `stream` of run seed `seed` (step 1 above).
    public static func key(seed: UInt64, stream: UInt64) -> UInt64 {
        fmix64(seed ^ fmix64(stream &+ 0x9E37_79B9_7F4A_7C15))
    }

    /// The 32-bit seed of `ranlxd2` for one stream of a run (never 0; distinct for distinct
    /// streams of one run below 2³² − 1).
    public static func ranlxdSeed(seed: UInt64, stream: UInt64) -> UInt {
        // The constant keeps seed 0 away from fmix64's fixed point 0 (which would give GSL's default seed 1).
        let folded = (fmix64(seed ^ 0xD6E8_FEB8_6659_FD93) >> 32) &+ (stream & 0xFFFF_FFFF)
        return UInt(1 + folded % 0xFFFF_FFFF)
    }

    /// A child seed, e.g. the seed of replicate `index` of a run with master seed `seed`.
    /// Distinct indices give distinct child seeds for one master seed.
    public static func childSeed(master: UInt64, index: UInt64) -> UInt64 {
        fmix64(key(seed: master, stream: index) ^ 0x5851_F42D_4C95_7F2D)
    }
}

/// SplitMix64 (Steele, Lea & Flood 2014): used only to expand a 64-bit key into state words.
struct SplitMix64 {
    private var state: UInt64
    init(key: UInt64) { state = key }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SeedMixing.fmix64(state)
    }
}
