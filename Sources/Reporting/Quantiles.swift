/// Quantiles by linear interpolation between order statistics (type 7 of Hyndman & Fan, the
/// default of R and numpy), so the numbers match what analysts compute from the CSVs.
public enum Quantiles {
    /// The q-quantile of `values` (q in [0, 1]); nil for no values.
    public static func quantile(_ values: [Double], _ q: Double) -> Double? {
        precondition(q >= 0 && q <= 1, "quantile level must lie in [0, 1], got \(q)")
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        return quantile(sorted: sorted, q)
    }

    static func quantile(sorted: [Double], _ q: Double) -> Double {
        let h = Double(sorted.count - 1) * q
        let lo = Int(h.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
    }

    /// Mean and the 5/50/95% band.
    public static func band(_ values: [Double]) -> Band? {
        guard !values.isEmpty else { return nil }
        let s = values.sorted()
        return Band(
            mean: s.reduce(0, +) / Double(s.count),
            p5: quantile(sorted: s, 0.05), p50: quantile(sorted: s, 0.5), p95: quantile(sorted: s, 0.95))
    }
}

/// Mean and 5/50/95% quantiles of one quantity across replicates.
public struct Band: Sendable, Equatable, Codable {
    public var mean: Double
    public var p5: Double
    public var p50: Double
    public var p95: Double
}
