/// The opinion rule in its deterministic limit (β → ∞) with person-specific fields: Granovetter's
/// threshold model (1978). Person i with threshold θᵢ (a share of the others) has field
/// hᵢ = J(1 − 2θᵢ), so u = hᵢ + J(2m − 1) ≥ 0 exactly when m ≥ θᵢ. Everyone revises every
/// round, synchronously, until nothing changes.
public enum ThresholdCascade {
    /// Number of persons who end up joining, for thresholds given as counts of other joiners.
    public static func finalJoiners(thresholdCounts: [Int], coupling: Double = 1) -> Int {
        let n = thresholdCounts.count
        precondition(n >= 2, "a cascade needs at least two persons")
        let others = Double(n - 1)
        return finalJoiners(thresholdShares: thresholdCounts.map { Double($0) / others }, coupling: coupling)
    }

    /// Number of persons who end up joining, for thresholds given as shares of the others.
    public static func finalJoiners(thresholdShares: [Double], coupling j: Double = 1) -> Int {
        let n = thresholdShares.count
        let fields = thresholdShares.map { j * (1 - 2 * $0) }
        var joined = [Bool](repeating: false, count: n)
        var count = 0
        for _ in 0...n {
            var next = joined, nextCount = 0
            for i in 0..<n {
                let others = count - (joined[i] ? 1 : 0)
                let m = Double(others) / Double(n - 1)
                // Ties join: a tolerance far below 1/n absorbs rounding in h + J(2m − 1).
                let u = fields[i] + j * (2 * m - 1)
                next[i] = OpinionRule.supportProbability(u: u + 1e-9, beta: .infinity) == 1
                if next[i] { nextCount += 1 }
            }
            if next == joined { break }
            joined = next; count = nextCount
        }
        return count
    }
}
