import Foundation
import Testing
@testable import Experiments
@testable import Reporting
@testable import TransitionModel

@Suite("Kaplan–Meier time to a level, paired differences, comparisons over uncertainty")
struct SurvivalAndPairingTests {
    @Test func kaplanMeierWithoutCensoringIsTheEmpiricalCurve() {
        let c = SurvivalCurve(reached: [10, 20, 20, 40], observedUntil: [240, 240, 240, 240])
        #expect(c.survival(at: 9) == 1)
        #expect(c.survival(at: 10) == 0.75)
        #expect(c.survival(at: 25) == 0.25)
        #expect(c.survival(at: 40) == 0)
        #expect(c.median == 20)
        #expect(c.reachedProbability(by: 20) == 0.75)
    }

    /// Runs that never got there do not vanish from the median: with three of five censored at
    /// the horizon, the median lies beyond it, whereas a median over the two that got there
    /// would say "month 15".
    @Test func censoredRunsKeepTheMedianHonest() {
        let c = SurvivalCurve(reached: [10, 20, nil, nil, nil], observedUntil: [240, 240, 240, 240, 240])
        #expect(c.median == nil)
        #expect(abs(c.reachedProbability(by: 240) - 0.4) < 1e-12)
        #expect(c.medianText().hasPrefix("> 20.0 y"))
    }

    /// One run has a time, not an interval: no "[11.2–11.2]" that reads like certainty.
    @Test func oneRunShowsNoInterval() {
        #expect(SurvivalCurve(reached: [135], observedUntil: [240]).medianText() == "11.2 y (one run)")
        #expect(SurvivalCurve(reached: [135, 140], observedUntil: [240, 240]).medianText().contains("["))
    }

    /// Early censoring (a stop condition) removes a run from the risk set from then on.
    @Test func earlyCensoringShrinksTheRiskSet() {
        // Run 2 stopped at month 5 without reaching; at month 10, 2 runs are at risk, one reaches.
        let c = SurvivalCurve(reached: [10, nil, 30], observedUntil: [240, 5, 240])
        #expect(c.survival(at: 10) == 0.5)
        #expect(c.survival(at: 30) == 0)
    }

    @Test func greenwoodVarianceAndMedianInterval() {
        let reached: [Int?] = Array(1...20)
        let c = SurvivalCurve(reached: reached, observedUntil: Array(repeating: 240, count: 20))
        // Without censoring Greenwood's variance is the binomial one, S(1 − S)/n.
        let at10 = c.steps.first { $0.month == 10 }!
        #expect(abs(at10.variance - 0.5 * 0.5 / 20) < 1e-12)
        let (lo, hi) = c.medianInterval
        #expect(lo! < c.median! && c.median! < hi!)
    }

    @Test func restrictedMeanIsTheAreaUnderTheCurve() {
        let c = SurvivalCurve(reached: [10, 30], observedUntil: [100, 100])
        // S = 1 on [0, 10), 0.5 on [10, 30), 0 after: area 10 + 10 = 20.
        #expect(abs(c.restrictedMean(upTo: 100) - 20) < 1e-12)
        let never = SurvivalCurve(reached: [nil, nil], observedUntil: [100, 100])
        #expect(never.restrictedMean(upTo: 100) == 100)
    }

    @Test func pairedDifferenceUsesStudentsT() {
        let d = PairedDifference([3, 5, 7], [1, 2, 3])!  // differences 2, 3, 4: mean 3, sd 1
        #expect(d.mean == 3 && d.pairs == 3)
        #expect(abs(d.high - (3 + 4.303 / 3.0.squareRoot())) < 1e-9)
        #expect(PairedDifference([], []) == nil)
        #expect(PairedDifference([1], [0])!.low == 1)
    }

    @Test func unpairedDifferenceIsWelchsAndWiderThanPairedOnCorrelatedRuns() {
        // a: mean 4, variance 4 (n 3); b: mean 1, variance 1 (n 3): se = sqrt(4/3 + 1/3) = 1.291,
        // Welch df = (5/3)^2 / ((4/3)^2/2 + (1/3)^2/2) = 2.94 → 2, t = 4.303.
        let a: [Double] = [2, 4, 6], b: [Double] = [0, 1, 2]
        let unpaired = Difference(a, b, paired: false)
        #expect(unpaired.mean == 3)
        #expect(abs(unpaired.high! - (3 + 4.303 * (5.0 / 3).squareRoot())) < 1e-9)
        // The same runs paired (b moves with a): differences 2, 3, 4, a narrower interval.
        let paired = Difference(a, b, paired: true)
        #expect(paired.mean == 3 && paired.high! - paired.low! < unpaired.high! - unpaired.low!)
        // No interval from one run on a side.
        #expect(Difference([5], [1, 2], paired: false).low == nil && Difference([5], [1], paired: true).high == nil)
    }

    @Test func pathsPairOnlyWithTheSameSeedsAndPopulation() {
        func row(_ persons: Int, _ seed: UInt64?, owners: Double = 0) -> RunRow {
            var r = RunRow(
                finalBJC: 0.5, finalPay: 0.5, finalBoth: 0.5, monthsTo50BJC: nil, monthsTo50Pay: nil, finalMonth: 60,
                overruledDistinct: 0, exits: 0, ownersExpropriated: owners, adoptedOverPerThousand: [0, 0, 0, 0, 0, 0])
            r.persons = persons; r.seed = seed
            return r
        }
        let a = Comparison.Path(name: "a", runs: [row(1000, 1), row(1000, 2)])
        #expect(Comparison.arePaired(a, .init(name: "b", runs: [row(1000, 1), row(1000, 2)])))
        #expect(!Comparison.arePaired(a, .init(name: "b", runs: [row(2000, 1), row(2000, 2)])))
        #expect(!Comparison.arePaired(a, .init(name: "b", runs: [row(1000, 1), row(1000, 3)])))
        #expect(!Comparison.arePaired(a, .init(name: "b", runs: [row(1000, nil), row(1000, nil)])))
        // 10 owners of 2,000 persons and 5 of 1,000 are the same rate, whatever the counts say.
        let big = Comparison.Path(name: "big", runs: [row(2000, 1, owners: 10)])
        let small = Comparison.Path(name: "small", runs: [row(1000, 1, owners: 5)])
        #expect(big.ownersPerThousand == 5 && small.ownersPerThousand == 5)
        let c = Comparison(paths: [big, small])
        #expect(c.populationsDiffer != nil && c.table().contains("| 5.00 (10.0) |") && c.table().contains("| 5.00 (5.0) |"))
        #expect(c.differencesTable().contains("| big − small | 1, 1 | unpaired: populations differ |"))
        #expect(Comparison(paths: [a, a]).populationsDiffer == nil)
        // With populations known, the ledger chart draws owners as a rate, a bar of their own.
        let ledger = c.ledgerChart()
        #expect(ledger.contains(">owners expropriated<") && !ledger.contains("(10.0 owners expropriated)"), "\(ledger)")
        #expect(ledger.contains(">5.0<"))
    }

    func summary(both: Double, opposed: Int, reached: Int?) -> RunSummary {
        var s = RunSummary()
        s.persons = 1_000
        s.final.workforceBoth = both
        s.final.month = 240
        s.monthsToBJC = [nil, reached, nil]
        s.ledger.adoptedOverPersons = [opposed, opposed, 0, 0, 0, 0]
        return s
    }

    @Test func probabilitiesOverDrawsCountWinsAndTies() {
        // Path A adopts more at 3 of 4 draws; B has less opposition at every draw; A is faster
        // at 2, slower at 1, tied (both never) at 1.
        let a: [PathUncertainty.Cell] = [(0.6, 10, 50), (0.6, 10, 60), (0.6, 10, nil), (0.2, 10, 200)].map {
            .init(runs: [summary(both: $0.0, opposed: $0.1, reached: $0.2)])
        }
        let b: [PathUncertainty.Cell] = [(0.5, 5, 100), (0.5, 5, 100), (0.5, 5, nil), (0.5, 5, 100)].map {
            .init(runs: [summary(both: $0.0, opposed: $0.1, reached: $0.2)])
        }
        let u = UncertainComparison(PathUncertainty(pathNames: ["A", "B"], draws: [[], [], [], []], cells: [a, b]))
        let p = u.pairs[0]
        #expect(p.adoptsMore == 0.75)
        #expect(p.lessOpposition == 0)
        #expect(p.faster == (2 + 0.5) / 4)
        #expect(u.pairTable().contains("| A vs B | 0.75 |"))
        #expect(u.drawsCSV().split(separator: "\n").count == 1 + 8)
    }
}
