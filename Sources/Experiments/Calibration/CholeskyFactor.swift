import Foundation
import Stochastic

/// The lower-triangular Cholesky factor L of a symmetric positive-definite matrix Σ = L Lᵀ:
/// what a multivariate normal kernel needs to draw a step (L ξ) and to evaluate its density
/// (|L⁻¹ v|², log √det Σ). Small dimensions only (the parameters of a calibration).
struct CholeskyFactor: Sendable, Equatable {
    let dimension: Int
    /// Row-major, the upper triangle zero.
    private(set) var lower: [Double]

    /// Factors `symmetric` (row-major, only the lower triangle is read). A matrix that is not
    /// positive definite in floating point (a population collapsed onto a line, say) gets a
    /// growing multiple of its mean diagonal added until it is: the kernel never degenerates.
    init(symmetric matrix: [Double], dimension d: Int) {
        precondition(d >= 1 && matrix.count == d * d, "a Cholesky factor needs a d × d matrix")
        precondition(matrix.allSatisfy(\.isFinite), "a Cholesky factor needs a finite matrix")
        dimension = d
        let meanDiagonal = max((0..<d).reduce(0) { $0 + abs(matrix[$1 * d + $1]) } / Double(d), .leastNormalMagnitude)
        var jitter = 0.0
        // At 10⁻¹² … 10¹⁵ of the mean diagonal the jitter dominates any finite matrix.
        for _ in 0..<30 {
            if let l = Self.factor(matrix, d, jitter: jitter) { lower = l; return }
            jitter = jitter == 0 ? 1e-12 * meanDiagonal : jitter * 10
        }
        // Unreachable for finite entries; the diagonal alone, should rounding say otherwise.
        lower = (0..<(d * d)).map { $0 / d == $0 % d ? max(abs(matrix[$0]), meanDiagonal).squareRoot() : 0 }
    }

    private static func factor(_ a: [Double], _ d: Int, jitter: Double) -> [Double]? {
        var l = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            for j in 0...i {
                var sum = a[i * d + j] + (i == j ? jitter : 0)
                for k in 0..<j { sum -= l[i * d + k] * l[j * d + k] }
                if i == j {
                    guard sum > 0, sum.isFinite else { return nil }
                    l[i * d + i] = sum.squareRoot()
                } else {
                    l[i * d + j] = sum / l[j * d + j]
                }
            }
        }
        return l
    }

    /// L x.
    func times(_ x: [Double]) -> [Double] {
        precondition(x.count == dimension, "a vector of the factor's dimension")
        return (0..<dimension).map { i in (0...i).reduce(0) { $0 + lower[i * dimension + $1] * x[$1] } }
    }

    /// L⁻¹ v (forward substitution): |L⁻¹ v|² is the quadratic form vᵀ Σ⁻¹ v.
    func solve(_ v: [Double]) -> [Double] {
        precondition(v.count == dimension, "a vector of the factor's dimension")
        var u = [Double](repeating: 0, count: dimension)
        for i in 0..<dimension {
            var sum = v[i]
            for k in 0..<i { sum -= lower[i * dimension + k] * u[k] }
            u[i] = sum / lower[i * dimension + i]
        }
        return u
    }

    /// A draw of Normal(`centre`, Σ) kept inside `bounds` coordinate by coordinate (the GHK
    /// construction): coordinate i given the earlier ones is normal with sd L_ii, and its
    /// standard draw is truncated to where the coordinate stays inside its bounds (inverse CDF
    /// of `uniform()`). One draw whatever the number of coordinates; its density is the
    /// normal's divided by ``logSequentialMass(around:step:bounds:)``.
    func truncatedStep(from centre: [Double], bounds: [(lo: Double, hi: Double)], uniform: () -> Double) -> [Double] {
        let d = dimension
        var xi = [Double](repeating: 0, count: d), z = [Double](repeating: 0, count: d)
        for i in 0..<d {
            var mean = centre[i]
            for k in 0..<i { mean += lower[i * d + k] * xi[k] }
            let sd = lower[i * d + i]
            // Far in the upper tail Φ(hi) − Φ(lo) cancels to nothing; the mirrored interval
            // lies in the lower tail, where Φ keeps its digits (same law, drawn from the other side).
            let (a, b, mirrored) = Self.interval(lo: (bounds[i].lo - mean) / sd, hi: (bounds[i].hi - mean) / sd)
            let p = min(max(a + uniform() * (b - a), 1e-300), 1 - 1e-16)
            xi[i] = mirrored ? -StandardNormal.quantile(p) : StandardNormal.quantile(p)
            z[i] = min(max(mean + sd * xi[i], bounds[i].lo), bounds[i].hi)
        }
        return z
    }

    /// Φ at the ends of the standardised interval [lo, hi], taken from the side where it is
    /// accurate: mirrored (Φ(−hi), Φ(−lo)) when the whole interval lies above the mean.
    private static func interval(lo: Double, hi: Double) -> (Double, Double, mirrored: Bool) {
        lo > 0 ? (StandardNormal.cdf(-hi), StandardNormal.cdf(-lo), true) : (StandardNormal.cdf(lo), StandardNormal.cdf(hi), false)
    }

    /// log of the product, over coordinates, of the mass inside its bounds that
    /// ``truncatedStep(from:bounds:uniform:)`` drew coordinate i from, for the draw whose
    /// standardised step is `step` (= L⁻¹ (z − centre)).
    func logSequentialMass(around centre: [Double], step u: [Double], bounds: [(lo: Double, hi: Double)]) -> Double {
        let d = dimension
        var total = 0.0
        for i in 0..<d {
            var mean = centre[i]
            for k in 0..<i { mean += lower[i * d + k] * u[k] }
            let sd = lower[i * d + i]
            let (a, b, _) = Self.interval(lo: (bounds[i].lo - mean) / sd, hi: (bounds[i].hi - mean) / sd)
            total += log(max(b - a, 1e-300))
        }
        return total
    }

    /// log √det Σ = Σ log L_ii.
    var halfLogDeterminant: Double { (0..<dimension).reduce(0) { $0 + log(lower[$1 * dimension + $1]) } }

    /// Σ = L Lᵀ, row-major.
    var matrix: [Double] {
        let d = dimension
        return (0..<(d * d)).map { ij in
            let i = ij / d, j = ij % d
            return (0...min(i, j)).reduce(0) { $0 + lower[i * d + $1] * lower[j * d + $1] }
        }
    }
}
