import Experiments
import Foundation
import TransitionModel

/// Paths compared over parameter uncertainty: for every pair of paths, the probability over
/// the draws that one adopts more, is less coercive, or is faster than the other. A headline
/// such as "consensus adopts less than two thirds" is then stated with the share of plausible
/// parameter values under which it holds.
public struct UncertainComparison {
    public let uncertainty: PathUncertainty

    public init(_ uncertainty: PathUncertainty) {
        precondition(
            !uncertainty.draws.isEmpty && uncertainty.cells.allSatisfy { $0.allSatisfy { !$0.runs.isEmpty } },
            "every path needs runs at every draw")
        self.uncertainty = uncertainty
    }

    /// Per path and draw: mean final share with both institutions.
    public func adoption(_ p: Int, _ k: Int) -> Double { mean(uncertainty.cells[p][k].runs.map(\.final.workforceBoth)) }
    /// Per path and draw: mean persons adopted over while leaning against (u < 0) per 1,000.
    public func opposition(_ p: Int, _ k: Int) -> Double { mean(uncertainty.cells[p][k].runs.map { $0.adoptedOverPerThousand() }) }
    /// Per path and draw: mean workforce share under BJC, equitable pay or both at the end.
    public func adopted(_ p: Int, _ k: Int) -> Double {
        mean(uncertainty.cells[p][k].runs.map { max(0, $0.final.workforceBJC + $0.final.workforcePay - $0.final.workforceBoth) })
    }
    /// Per path and draw: opposition per 1,000 persons under an adopted institution
    /// (``Comparison/Path/oppositionPerAdopted``); nil when nothing was adopted.
    public func oppositionPerAdopted(_ p: Int, _ k: Int) -> Double? {
        Comparison.Path.perAdopted(opposition: opposition(p, k), adopted: adopted(p, k))
    }
    /// Per path and draw: mean owners expropriated.
    public func expropriated(_ p: Int, _ k: Int) -> Double {
        mean(uncertainty.cells[p][k].runs.map { Double($0.ledger.ownersExpropriated) })
    }
    /// Per path and draw: restricted mean months to 50% BJC (Kaplan–Meier up to the horizon).
    public func timeTo50(_ p: Int, _ k: Int) -> Double {
        let runs = uncertainty.cells[p][k].runs
        let curve = SurvivalCurve(reached: runs.map { $0.monthsToBJC[1] }, observedUntil: runs.map(\.final.month))
        return curve.restrictedMean(upTo: runs.map(\.final.month).max() ?? 0)
    }

    func mean(_ xs: [Double]) -> Double { xs.isEmpty ? 0 : xs.reduce(0, +) / Double(xs.count) }

    /// The share of draws in which `better(a, b)` holds (ties count one half).
    func probability(_ a: [Double], _ b: [Double], _ better: (Double, Double) -> Bool) -> Double {
        let wins = zip(a, b).map { better($0, $1) ? 1.0 : (better($1, $0) ? 0.0 : 0.5) }
        return mean(wins)
    }

    /// One pair of paths over the draws.
    public struct Pair: Sendable {
        public var a: String, b: String
        /// Over the draws: P(A adopts more), P(A adopts over fewer who lean against), P(A reaches 50% BJC sooner).
        public var adoptsMore: Double, lessOpposition: Double, faster: Double
        /// P(A adopts over fewer who lean against per 1,000 under an adopted institution), over
        /// the draws where both paths adopted something; nil where there are none.
        public var lessOppositionPerAdopted: Double?
        /// Median and 5–95% over draws of A − B.
        public var adoptionDifference: Band, oppositionDifference: Band, monthsDifference: Band
    }

    public var pairs: [Pair] {
        let n = uncertainty.pathNames.count, draws = uncertainty.draws.indices
        var out: [Pair] = []
        for i in 0..<n {
            for j in (i + 1)..<max(i + 1, n) {
                let ai = draws.map { adoption(i, $0) }, aj = draws.map { adoption(j, $0) }
                let oi = draws.map { opposition(i, $0) }, oj = draws.map { opposition(j, $0) }
                let ti = draws.map { timeTo50(i, $0) }, tj = draws.map { timeTo50(j, $0) }
                let both = draws.compactMap { k in oppositionPerAdopted(i, k).flatMap { x in oppositionPerAdopted(j, k).map { (x, $0) } } }
                var pair = Pair(
                        a: uncertainty.pathNames[i], b: uncertainty.pathNames[j],
                        adoptsMore: probability(ai, aj, >), lessOpposition: probability(oi, oj, <),
                        faster: probability(ti, tj, <),
                        adoptionDifference: Quantiles.band(zip(ai, aj).map { 100 * ($0 - $1) })!,
                        oppositionDifference: Quantiles.band(zip(oi, oj).map { $0 - $1 })!,
                    monthsDifference: Quantiles.band(zip(ti, tj).map { $0 - $1 })!)
                if !both.isEmpty { pair.lessOppositionPerAdopted = probability(both.map(\.0), both.map(\.1), <) }
                out.append(pair)
            }
        }
        return out
    }

    /// Each path over the draws: mean [5–95%] of adoption, opposition, time to 50%, expropriations.
    public func pathTable() -> String {
        let draws = uncertainty.draws.indices
        var s =
            "| path | draws × runs | both adopted, % [5–95% over draws] | under BJC or pay, % | opposed adopted over /1,000 | per 1,000 under adopted | restricted mean years to 50% BJC | owners expropriated |\n"
        s += "|---|---|---|---|---|---|---|---|\n"
        func cell(_ b: Band?) -> String { b.map { String(format: "%.1f [%.1f–%.1f]", $0.mean, $0.p5, $0.p95) } ?? "–" }
        for (p, name) in uncertainty.pathNames.enumerated() {
            let a = Quantiles.band(draws.map { 100 * adoption(p, $0) }), o = Quantiles.band(draws.map { opposition(p, $0) })
            let t = Quantiles.band(draws.map { timeTo50(p, $0) / 12 }), e = Quantiles.band(draws.map { expropriated(p, $0) })
            let u = Quantiles.band(draws.map { 100 * adopted(p, $0) })
            let perAdopted = Quantiles.band(draws.compactMap { oppositionPerAdopted(p, $0) })
            s += "| \(name) | \(draws.count) × \(uncertainty.cells[p][0].runs.count) | "
            s += [a, u, o, perAdopted, t, e].map(cell).joined(separator: " | ") + " |\n"
        }
        return s
    }

    /// Pairwise probabilities over the draws, with the spread of the differences.
    public func pairTable() -> String {
        var s =
            "| A vs B | P(A adopts more) | Δ adoption, points [5–95%] | P(A less opposition) | Δ opposition /1,000 [5–95%] | P(A less per adopted) | P(A faster to 50% BJC) | Δ months [5–95%] |\n"
        s += "|---|---|---|---|---|---|---|---|\n"
        for p in pairs {
            s +=
                "| \(p.a) vs \(p.b) | "
                + String(
                    format: "%.2f | %+.1f [%+.1f, %+.1f] | %.2f | %+.1f [%+.1f, %+.1f] | ",
                    p.adoptsMore, p.adoptionDifference.p50, p.adoptionDifference.p5, p.adoptionDifference.p95,
                    p.lessOpposition, p.oppositionDifference.p50, p.oppositionDifference.p5, p.oppositionDifference.p95)
                + (p.lessOppositionPerAdopted.map { String(format: "%.2f", $0) } ?? "–")
                + String(
                    format: " | %.2f | %+.0f [%+.0f, %+.0f] |\n",
                    p.faster, p.monthsDifference.p50, p.monthsDifference.p5, p.monthsDifference.p95)
        }
        return s
    }

    /// Tidy CSV: one row per path per draw, with the draw's parameter values.
    public func drawsCSV() -> String {
        var s =
            "path,draw,parameters,both_adopted,adopted,opposition_per_1000,opposition_per_1000_adopted,restricted_mean_months_to_50_bjc,owners_expropriated\n"
        for (p, name) in uncertainty.pathNames.enumerated() {
            for k in uncertainty.draws.indices {
                s += "\(csvQuoted(name)),\(k + 1),\(csvQuoted(uncertainty.draws[k].joined(separator: ";"))),"
                s += String(format: "%.6g,%.6g,%.6g,", adoption(p, k), adopted(p, k), opposition(p, k))
                s += oppositionPerAdopted(p, k).map { String(format: "%.6g", $0) } ?? ""
                s += String(format: ",%.6g,%.6g\n", timeTo50(p, k), expropriated(p, k))
            }
        }
        return s
    }
}
