import Foundation

/// Time to an adoption level as survival: the Kaplan–Meier estimate of the probability of
/// *not yet* having reached the level, with runs that never reached it censored where they
/// ended (the horizon, or an earlier stop). A median taken over only the runs that got there
/// would flatter a path that rarely does; this one does not.
public struct SurvivalCurve: Sendable, Equatable {
    /// One step of the curve: at `month`, S drops to `survival`; `variance` is Greenwood's.
    public struct Step: Sendable, Equatable {
        public var month: Int
        public var survival: Double
        public var variance: Double
    }

    public let steps: [Step]
    public let runs: Int
    /// The last month any run was observed.
    public let lastMonth: Int

    /// `reached[r]`: month run r reached the level (nil: never); `observedUntil[r]`: its last month.
    public init(reached: [Int?], observedUntil: [Int]) {
        precondition(reached.count == observedUntil.count, "one observation end per run")
        runs = reached.count
        lastMonth = observedUntil.max() ?? 0
        let events = reached.compactMap { $0 }
        var s = 1.0, greenwood = 0.0
        var out: [Step] = []
        for t in Set(events).sorted() {
            // At risk: runs that had neither reached nor been censored before t.
            let atRisk = zip(reached, observedUntil).filter { r, end in (r ?? Int.max) >= t && (r != nil || end >= t) }.count
            let d = events.filter { $0 == t }.count
            guard atRisk > 0 else { continue }
            s *= 1 - Double(d) / Double(atRisk)
            if atRisk > d { greenwood += Double(d) / Double(atRisk * (atRisk - d)) }
            out.append(Step(month: t, survival: s, variance: s * s * greenwood))
        }
        steps = out
    }

    /// S(month): the probability of not having reached the level by `month`.
    public func survival(at month: Int) -> Double {
        steps.last { $0.month <= month }?.survival ?? 1
    }

    /// The probability of having reached the level by `month` (1 − S).
    public func reachedProbability(by month: Int) -> Double { 1 - survival(at: month) }

    /// First month at which S ≤ 0.5; nil when it never falls that far within the runs observed.
    public var median: Int? { steps.first { $0.survival <= 0.5 }?.month }

    /// A 95% interval of the median (Brookmeyer–Crowley with Greenwood's variance): the months
    /// where 0.5 lies within S ± 1.96 SE. An end that is nil lies beyond the last month observed.
    public var medianInterval: (lower: Int?, upper: Int?) {
        let z = 1.959964
        let lower = steps.first { $0.survival - z * $0.variance.squareRoot() <= 0.5 }?.month
        let upper = steps.first { $0.survival + z * $0.variance.squareRoot() <= 0.5 }?.month
        return (lower, upper)
    }

    /// The restricted mean time to the level up to `tau` months: ∫₀^τ S(t) dt. Defined even
    /// when most runs never get there (then it is close to τ), so paths can be ranked by speed.
    public func restrictedMean(upTo tau: Int) -> Double {
        var area = 0.0, s = 1.0, t = 0
        for step in steps where step.month <= tau {
            area += s * Double(step.month - t)
            s = step.survival; t = step.month
        }
        return area + s * Double(max(0, tau - t))
    }

    /// "9.9 y [8.5–11.2]", or "> 20 y" when fewer than half the runs got there.
    public func medianText() -> String {
        func y(_ m: Int) -> String { String(format: "%.1f", Double(m) / 12) }
        guard let m = median else { return "> " + y(lastMonth) + " y" }
        // One run gives a time, not a distribution: no interval to show.
        guard runs >= 2 else { return "\(y(m)) y (one run)" }
        let (lo, hi) = medianInterval
        return "\(y(m)) y [\(lo.map(y) ?? "?")–\(hi.map(y) ?? "> " + y(lastMonth))]"
    }
}

/// Paired differences between two paths run on the same seeds (common random numbers).
public struct PairedDifference: Sendable, Equatable {
    public var mean: Double
    public var low: Double
    public var high: Double
    public var pairs: Int

    /// Mean of a[r] − b[r] with a 95% t interval; nil without at least one pair.
    public init?(_ a: [Double], _ b: [Double]) {
        let n = min(a.count, b.count)
        guard n >= 1 else { return nil }
        let d = (0..<n).map { a[$0] - b[$0] }
        let m = d.reduce(0, +) / Double(n)
        mean = m
        pairs = n
        guard n >= 2 else { low = m; high = m; return }
        let sd = (d.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(n - 1)).squareRoot()
        let half = Self.t975(df: n - 1) * sd / Double(n).squareRoot()
        low = m - half; high = m + half
    }

    /// The 97.5% quantile of Student's t with `df` degrees of freedom.
    static func t975(df: Int) -> Double {
        let table = [
            12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
            2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
            2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
        ]
        if df >= 1 && df <= table.count { return table[df - 1] }
        return df <= 60 ? 2.000 : (df <= 120 ? 1.980 : 1.960)
    }
}

/// A − B with a 95% interval: paired (the mean of a[r] − b[r], t interval) when the runs share
/// random numbers, unpaired (Welch's t interval on the two means) when they do not. No
/// interval (nil bounds) from fewer than two runs on a side, or two pairs.
public struct Difference: Sendable, Equatable {
    public var mean: Double
    public var low: Double?
    public var high: Double?

    public init(_ a: [Double], _ b: [Double], paired: Bool) {
        precondition(!a.isEmpty && !b.isEmpty, "a difference needs at least one run on each side")
        if paired {
            precondition(a.count == b.count, "paired runs come in pairs")
            let d = PairedDifference(a, b)!
            mean = d.mean
            if d.pairs >= 2 { low = d.low; high = d.high }
            return
        }
        func moments(_ x: [Double]) -> (mean: Double, variance: Double) {
            let m = x.reduce(0, +) / Double(x.count)
            return (m, x.count < 2 ? 0 : x.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(x.count - 1))
        }
        let (ma, va) = moments(a), (mb, vb) = moments(b)
        mean = ma - mb
        guard a.count >= 2 && b.count >= 2 else { return }
        let qa = va / Double(a.count), qb = vb / Double(b.count)
        let se = (qa + qb).squareRoot()
        guard se > 0 else { low = mean; high = mean; return }
        // Welch–Satterthwaite degrees of freedom, rounded down (a wider interval).
        let df = (qa + qb) * (qa + qb) / (qa * qa / Double(a.count - 1) + qb * qb / Double(b.count - 1))
        let half = PairedDifference.t975(df: max(1, Int(df))) * se
        low = mean - half; high = mean + half
    }
}
