import Testing
@testable import Experiments
@testable import Reporting
@testable import TransitionModel

@Suite("Reporter: quantiles, bands and summaries")
struct QuantileTests {
    @Test func quantilesMatchAnIndependentComputation() {
        // numpy.quantile([3, 1, 4, 1, 5, 9, 2, 6], [0.05, 0.5, 0.95]) = [1.0, 3.5, 7.95]
        let xs: [Double] = [3, 1, 4, 1, 5, 9, 2, 6]
        #expect(abs(Quantiles.quantile(xs, 0.05)! - 1.0) < 1e-12)
        #expect(abs(Quantiles.quantile(xs, 0.5)! - 3.5) < 1e-12)
        #expect(abs(Quantiles.quantile(xs, 0.95)! - 7.95) < 1e-12)
        #expect(Quantiles.quantile([], 0.5) == nil)
        #expect(Quantiles.quantile([7], 0.95) == 7)
    }

    @Test func bandsAreOrdered() {
        var state: UInt64 = 5
        for _ in 0..<200 {
            let xs = (0..<Int(1 + state % 50)).map { _ -> Double in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return Double(state >> 40) / 1000
            }
            let b = Quantiles.band(xs)!
            #expect(b.p5 <= b.p50 && b.p50 <= b.p95)
            #expect(b.mean >= xs.min()! && b.mean <= xs.max()!)
        }
    }

    @Test func summaryCountsReachedLevelsAndCoercionFreeRuns() {
        func result(_ r: Int, bjcAt50: Int?, overruled: Int) -> ReplicateResult {
            var s = RunSummary()
            s.monthsToBJC = [5, bjcAt50, nil]
            s.ledger.overruledMild[0] = overruled
            s.ledger.distinctOverruled = overruled
            s.ledger.adoptedOverPersons = [overruled, overruled, 0, 0, 0, 0]
            s.persons = 1000
            return ReplicateResult(replicate: r, seed: UInt64(r), series: [], summary: s)
        }
        let results = [
            result(0, bjcAt50: 100, overruled: 0), result(1, bjcAt50: 120, overruled: 5),
            result(2, bjcAt50: nil, overruled: 0), result(3, bjcAt50: 140, overruled: 0),
        ]
        let summary = ReplicateSummary(scenario: Scenario(), results: results)
        #expect(summary.timeToBJC[1].reachedShare == 0.75)
        #expect(summary.timeToBJC[1].months?.p50 == 120)
        #expect(summary.timeToBJC[2].reachedShare == 0)
        #expect(summary.timeToBJC[2].months == nil)
        #expect(summary.coercionFreeShare == 0.75)
        #expect(summary.overruledDistinct.mean == 1.25)
        let wide = summary.text().split(separator: "\n").filter { $0.count > 80 }
        #expect(wide.isEmpty, "lines wider than 80 columns: \(wide)")
    }
}
