import Foundation

/// A fitted logistic adoption curve F(t) = K / (1 + exp(−r(t − t₀))).
public struct LogisticFit: Sendable, Equatable {
    /// Month at which half the ceiling is reached.
    public var midpoint: Double
    /// Steepness r (per month).
    public var steepness: Double
    /// Ceiling K (share).
    public var ceiling: Double
    public var rSquared: Double
    public var rmse: Double

    public func value(at t: Double) -> Double { ceiling / (1 + exp(-steepness * (t - midpoint))) }
}

/// A fitted Bass diffusion curve F(t) = m (1 − e^{−(p+q)t}) / (1 + (q/p) e^{−(p+q)t}).
public struct BassFit: Sendable, Equatable {
    /// Innovation (external influence) coefficient p, per month.
    public var p: Double
    /// Imitation (internal influence) coefficient q, per month.
    public var q: Double
    /// Ceiling m (share, at most 1: the curves fitted are shares).
    public var ceiling: Double
    public var rSquared: Double
    public var rmse: Double

    public func value(at t: Double) -> Double { BassCurve.value(t, p: p, q: q, ceiling: ceiling) }
}

/// The closed-form Bass curve and its landmarks.
public enum BassCurve {
    public static func value(_ t: Double, p: Double, q: Double, ceiling m: Double = 1) -> Double {
        guard t > 0 else { return 0 }
        let e = exp(-(p + q) * t)
        return m * (1 - e) / (1 + (q / p) * e)
    }

    /// Time at which F reaches `level` of the ceiling (level in (0, 1)).
    public static func timeTo(_ level: Double, p: Double, q: Double) -> Double {
        // Solve (1 − e)/(1 + (q/p)e) = level for e = exp(−(p+q)t).
        let e = (1 - level) / (1 + level * q / p)
        return -log(e) / (p + q)
    }

    /// Time of the peak adoption rate, ln(q/p)/(p + q) (0 when q ≤ p).
    public static func peakTime(p: Double, q: Double) -> Double { q > p ? log(q / p) / (p + q) : 0 }
}

/// Least-squares curve fitting (Levenberg–Marquardt with a numerical Jacobian): small, with no
/// dependencies, enough for three-parameter adoption curves.
public enum CurveFitting {
    /// Minimises Σ (model(θ, tᵢ) − yᵢ)² from `start`; `clamp` keeps θ admissible.
    static func levenbergMarquardt(
        times: [Double], values: [Double], start: [Double],
        clamp: ([Double]) -> [Double],
        model: ([Double], Double) -> Double
    ) -> [Double] {
        var theta = clamp(start)
        var lambda = 1e-3
        func cost(_ th: [Double]) -> Double {
            zip(times, values).reduce(0) { s, tv in
                let r = model(th, tv.0) - tv.1; return s + r * r
            }
        }
        var current = cost(theta)
        let k = theta.count
        for _ in 0..<500 {
            var jtj = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
            var jtr = [Double](repeating: 0, count: k)
            for (t, y) in zip(times, values) {
                let f = model(theta, t)
                var grad = [Double](repeating: 0, count: k)
                for j in 0..<k {
                    var th = theta
                    let h = 1e-6 * max(abs(th[j]), 1e-3)
                    th[j] += h
                    grad[j] = (model(th, t) - f) / h
                }
                for a in 0..<k {
                    jtr[a] += grad[a] * (f - y)
                    for b in 0..<k { jtj[a][b] += grad[a] * grad[b] }
                }
            }
            var improved = false
            for _ in 0..<20 {
                var m = jtj
                for a in 0..<k { m[a][a] *= 1 + lambda; m[a][a] += 1e-12 }
                guard let step = solve(m, jtr.map { -$0 }) else { lambda *= 10; continue }
                let candidate = clamp(zip(theta, step).map { $0 + $1 })
                let c = cost(candidate)
                if c < current {
                    let gain = current - c
                    theta = candidate; current = c; lambda = max(lambda / 10, 1e-12); improved = true
                    if gain < 1e-15 * max(current, 1e-30) { return theta }
                    break
                }
                lambda *= 10
            }
            if !improved { break }
        }
        return theta
    }

    /// Gaussian elimination with partial pivoting; nil when singular.
    static func solve(_ a: [[Double]], _ b: [Double]) -> [Double]? {
        var m = a, v = b
        let n = v.count
        for col in 0..<n {
            guard let pivot = (col..<n).max(by: { abs(m[$0][col]) < abs(m[$1][col]) }), abs(m[pivot][col]) > 1e-300 else { return nil }
            m.swapAt(col, pivot); v.swapAt(col, pivot)
            for row in (col + 1)..<n {
                let f = m[row][col] / m[col][col]
                for c in col..<n { m[row][c] -= f * m[col][c] }
                v[row] -= f * v[col]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for row in stride(from: n - 1, through: 0, by: -1) {
            var s = v[row]
            for c in (row + 1)..<n { s -= m[row][c] * x[c] }
            x[row] = s / m[row][row]
        }
        return x.allSatisfy(\.isFinite) ? x : nil
    }

    static func goodness(_ times: [Double], _ values: [Double], _ f: (Double) -> Double) -> (r2: Double, rmse: Double) {
        let mean = values.reduce(0, +) / Double(values.count)
        var ssRes = 0.0, ssTot = 0.0
        for (t, y) in zip(times, values) { ssRes += (f(t) - y) * (f(t) - y); ssTot += (y - mean) * (y - mean) }
        return (ssTot > 0 ? 1 - ssRes / ssTot : (ssRes == 0 ? 1 : 0), (ssRes / Double(values.count)).squareRoot())
    }

    /// Fits a logistic curve; nil when the series never rises (nothing to fit).
    public static func logistic(times: [Double], values: [Double]) -> LogisticFit? {
        guard times.count == values.count, times.count >= 4, let top = values.max(), top > 1e-6 else { return nil }
        let half = values.firstIndex { $0 >= top / 2 }.map { times[$0] } ?? times[times.count / 2]
        let span = max((times.last! - times.first!), 1)
        let theta = levenbergMarquardt(
            times: times, values: values, start: [half, 8 / span, top],
            clamp: { th in [th[0], min(max(th[1], 1e-6), 10), min(max(th[2], 1e-6), 1)] },
            model: { th, t in th[2] / (1 + exp(-th[1] * (t - th[0]))) })
        let fit = LogisticFit(midpoint: theta[0], steepness: theta[1], ceiling: theta[2], rSquared: 0, rmse: 0)
        let g = goodness(times, values, fit.value)
        return LogisticFit(midpoint: theta[0], steepness: theta[1], ceiling: theta[2], rSquared: g.r2, rmse: g.rmse)
    }

    /// Fits a Bass curve (time measured from the first time given); nil when nothing rises.
    public static func bass(times: [Double], values: [Double]) -> BassFit? {
        guard times.count == values.count, times.count >= 4, let top = values.max(), top > 1e-6 else { return nil }
        let t0 = times.first!
        let shifted = times.map { $0 - t0 }
        var best: [Double]? = nil, bestCost = Double.infinity
        // Several starts: the Bass likelihood surface has long flat valleys.
        for (p0, q0) in [(0.01, 0.1), (0.001, 0.05), (0.03, 0.4), (0.0005, 0.02)] {
            let theta = levenbergMarquardt(
                times: shifted, values: values, start: [p0, q0, top],
                clamp: { th in [min(max(th[0], 1e-7), 1), min(max(th[1], 0), 5), min(max(th[2], 1e-6), 1)] },
                model: { th, t in BassCurve.value(t, p: th[0], q: th[1], ceiling: th[2]) })
            let c = zip(shifted, values).reduce(0.0) { s, tv in
                let r = BassCurve.value(tv.0, p: theta[0], q: theta[1], ceiling: theta[2]) - tv.1; return s + r * r
            }
            if c < bestCost { bestCost = c; best = theta }
        }
        guard let theta = best else { return nil }
        let g = goodness(shifted, values) { BassCurve.value($0, p: theta[0], q: theta[1], ceiling: theta[2]) }
        return BassFit(p: theta[0], q: theta[1], ceiling: theta[2], rSquared: g.r2, rmse: g.rmse)
    }
}
