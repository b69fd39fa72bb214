import Foundation

/// The binary choice with social interactions (Brock & Durlauf 2001) used by every person.
///
/// A person with utility difference u supports with probability 1 / (1 + exp(−2βu)). The factor
/// 2 makes the mean-field equation for x = 2m − 1 the textbook x = tanh(β(h + J·x)).
public enum OpinionRule {
    /// Probability of support for utility difference `u` at choice intensity `beta`.
    /// `beta = .infinity` is the deterministic limit (support iff u ≥ 0).
    @inline(__always)
    public static func supportProbability(u: Double, beta: Double) -> Double {
        if beta.isInfinite { return u >= 0 ? 1 : 0 }
        return 1 / (1 + exp(-2 * beta * u))
    }

    /// Whether a person with utility difference `u` who drew `uniform` supports: exactly
    /// `uniform < supportProbability(u: u, beta: beta)` for every input, but without `exp` in
    /// nearly every case.
    ///
    /// exp(z) is bracketed by reading z/ln 2 into the bits of a Double (the mantissa then
    /// interpolates 2^f linearly, which overestimates it by at most 6.2%): a draw outside the
    /// bracket's band is decided by it; only a draw inside the band (at most about 1.5% of
    /// draws) pays for the exact computation. Margins of 10⁻⁹ cover every rounding, so the
    /// answer, and with it every run, is the same as the exact comparison's.
    @inline(__always)
    public static func supports(u: Double, beta: Double, uniform x: Double) -> Bool {
        let z = -2 * beta * u
        if abs(z) < 700 {  // false for ±∞ and NaN (an infinite beta), which take the exact path
            let a = Double(bitPattern: UInt64(Int64(z * 6_497_320_848_556_798.5 + 4_607_182_418_800_017_408)))
            // e^z lies in [a / 1.0615, a]: a·0.94 is below it, a·1.0001 above.
            let surelyYes = x * (1 + a * 1.0001) < 1 - 1e-9, surelyNo = x * (1 + a * 0.94) > 1 + 1e-9
            // One branch, nearly always taken (the answer itself is a coin flip the processor
            // cannot predict, so it is returned, not branched on).
            if surelyYes != surelyNo { return surelyYes }
        }
        return x < supportProbability(u: u, beta: beta)
    }
}
