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
}
