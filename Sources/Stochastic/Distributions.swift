import CGSL
import Foundation

/// The distributions the model draws from. Arguments are validated here, before GSL sees them,
/// because GSL's error handler is off and would otherwise return silently wrong values.
extension RandomStream {
    /// `true` with probability `p` (clamped to [0, 1]).
    @inlinable
    public func bernoulli(_ p: Double) -> Bool { uniform() < p }

    /// Number of successes in `n` trials of probability `p`.
    public func binomial(n: Int, p: Double) -> Int {
        precondition(n >= 0 && n <= Int(UInt32.max), "binomial needs 0 ≤ n ≤ 2³²−1, got \(n)")
        if n == 0 || p <= 0 { return 0 }
        if p >= 1 { return n }
        return Int(gsl_ran_binomial(rng, p, UInt32(n)))
    }

    /// A Poisson count with the given mean (≥ 0).
    public func poisson(mean: Double) -> Int {
        precondition(mean >= 0 && mean.isFinite, "poisson needs a finite mean ≥ 0, got \(mean)")
        if mean == 0 { return 0 }
        return Int(gsl_ran_poisson(rng, mean))
    }

    /// A Beta(a, b) variate in [0, 1].
    public func beta(_ a: Double, _ b: Double) -> Double {
        precondition(a > 0 && b > 0 && a.isFinite && b.isFinite, "beta needs finite a, b > 0, got (\(a), \(b))")
        return gsl_ran_beta(rng, a, b)
    }

    /// A Gaussian variate (ziggurat method: ≈ 8.5 ns a draw).
    @inlinable
    public func gaussian(mean: Double = 0, sd: Double) -> Double {
        mean + gsl_ran_gaussian_ziggurat(rng, sd)
    }

    /// A lognormal variate with the given median (e^μ) and log-scale spread σ.
    public func lognormal(median: Double, sigma: Double) -> Double {
        precondition(median > 0 && sigma >= 0, "lognormal needs median > 0 and sigma ≥ 0, got (\(median), \(sigma))")
        return gsl_ran_lognormal(rng, log(median), sigma)
    }

    /// An exponential waiting time with the given mean.
    public func exponential(mean: Double) -> Double {
        precondition(mean > 0, "exponential needs mean > 0, got \(mean)")
        return gsl_ran_exponential(rng, mean)
    }
}

/// A categorical distribution over 0 ..< weights.count (GSL's Walker alias table: O(1) a draw).
///
/// Immutable after construction, so one table may be read from several threads at once.
public final class CategoricalTable: @unchecked Sendable {
    private let table: UnsafeMutablePointer<gsl_ran_discrete_t>
    /// The normalised probabilities of each category.
    public let probabilities: [Double]

    /// Fails (returns `nil`) when the weights are empty, negative, non-finite or all zero.
    public init?(weights: [Double]) {
        guard !weights.isEmpty, weights.allSatisfy({ $0 >= 0 && $0.isFinite }) else { return nil }
        let total = weights.reduce(0, +)
        guard total > 0,
            let t = weights.withUnsafeBufferPointer({
                gsl_ran_discrete_preproc(weights.count, $0.baseAddress)
            })
        else { return nil }
        table = t
        probabilities = weights.map { $0 / total }
    }

    deinit { gsl_ran_discrete_free(table) }

    /// One draw, using the caller's stream.
    public func draw(using stream: RandomStream) -> Int {
        Int(gsl_ran_discrete(stream.rng, table))
    }
}

/// The standard normal distribution's functions (GSL's cdf module).
public enum StandardNormal {
    /// Φ⁻¹(p) for p in (0, 1).
    public static func quantile(_ p: Double) -> Double {
        precondition(p > 0 && p < 1, "the normal quantile needs 0 < p < 1, got \(p)")
        return gsl_cdf_ugaussian_Pinv(p)
    }

    /// Φ(x).
    public static func cdf(_ x: Double) -> Double { gsl_cdf_ugaussian_P(x) }
}
