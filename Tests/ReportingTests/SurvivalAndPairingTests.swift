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
