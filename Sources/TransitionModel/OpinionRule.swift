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

    /// The inputs of u that vary by person; weights come from ``OpinionParameters``.
    public struct Inputs {
        public var field: Double
        public var solidarity: Double
        /// P(t) · reach of the person's neighbourhood.
        public var reachedPressure: Double
        /// Share of peers supporting (workplace and neighbourhood mix, self excluded).
        public var peerShare: Double
        public var demonstration: Double
        public var aversion: Double
        public var experience: Double
        public var currentlySupports: Bool
    }

    /// u for institution `k` (DESIGN §3 step 3).
    @inline(__always)
    public static func utility(_ x: Inputs, _ k: Institution, _ p: OpinionParameters) -> Double {
        var u = x.field + p.wSolidarity * x.solidarity + p.wMovement * x.reachedPressure
        u += p.coupling * (2 * x.peerShare - 1) + p.wDemonstration * x.demonstration
        if k == .bjc { u -= p.wDisruption * x.aversion }
        u += p.wExperience * x.experience + p.wSelf * (x.currentlySupports ? 1 : -1)
        return u
    }
}
