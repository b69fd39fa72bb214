import Experiments
import Foundation
import TransitionModel

/// The reporter's view of replicated runs: bands of the per-run figures, the share of runs that
/// reached each adoption level and the time it took them.
public struct ReplicateSummary: Sendable {
    public struct TimeTo: Sendable, Equatable {
        public var level: Double
        /// Share of runs that reached the level within the horizon.
        public var reachedShare: Double
        /// Band of the month it was reached, over the runs that reached it.
        public var months: Band?
    }

    public var scenarioName: String
    public var replicates: Int
    public var persons: Int
    public var horizon: Int
    public var finalWorkforceBJC: Band
    public var finalWorkforcePay: Band
    public var finalWorkforceBoth: Band
    public var finalWorkplacesBJC: Band
    public var finalWorkplacesPay: Band
    public var timeToBJC: [TimeTo]
    public var timeToPay: [TimeTo]
    public var overruledDistinct: Band
    public var exits: Band
    public var ownersExpropriated: Band
    public var coercionPerThousand: Band
    public var coercionFreeShare: Double
    public var finalGini: Band
    public var finalPayRatio: Band

    public init(scenario: Scenario, results: [ReplicateResult]) {
        precondition(!results.isEmpty, "a summary needs at least one replicate")
        let s = results.map(\.summary)
        func band(_ f: (RunSummary) -> Double) -> Band { Quantiles.band(s.map(f))! }
        func times(_ f: (RunSummary) -> [Int?]) -> [TimeTo] {
            RunSummary.levels.enumerated().map { j, level in
                let reached = s.compactMap { f($0)[j] }.map(Double.init)
                return TimeTo(level: level, reachedShare: Double(reached.count) / Double(s.count), months: Quantiles.band(reached))
            }
        }
        scenarioName = scenario.name
        replicates = results.count
        persons = scenario.population.persons
        horizon = scenario.horizon
        finalWorkforceBJC = band { $0.final.workforceBJC }
        finalWorkforcePay = band { $0.final.workforcePay }
        finalWorkforceBoth = band { $0.final.workforceBoth }
        finalWorkplacesBJC = band { $0.final.workplacesBJC }
        finalWorkplacesPay = band { $0.final.workplacesPay }
        timeToBJC = times(\.monthsToBJC)
        timeToPay = times(\.monthsToPay)
        overruledDistinct = band { Double($0.ledger.distinctOverruled) }
        exits = band { Double($0.ledger.totalExits) }
        ownersExpropriated = band { Double($0.ledger.ownersExpropriated) }
        coercionPerThousand = band { $0.coercionPerThousand }
        coercionFreeShare = Double(s.filter(\.coercionFree).count) / Double(s.count)
        finalGini = band { $0.final.incomeGini }
        finalPayRatio = band { $0.final.coordinatorWorkerPayRatio }
    }

    /// summary.json: the same figures, machine-readable.
    public func json() -> String {
        func b(_ x: Band) -> [String: Double] { ["mean": x.mean, "p5": x.p5, "p50": x.p50, "p95": x.p95] }
        func t(_ xs: [TimeTo]) -> [[String: Any]] {
            xs.map { x in
                var o: [String: Any] = ["level": x.level, "reached_share": x.reachedShare]
                if let m = x.months { o["months"] = b(m) }
                return o
            }
        }
        let object: [String: Any] = [
            "scenario": scenarioName, "replicates": replicates, "persons": persons, "horizon_months": horizon,
            "final_workforce_bjc": b(finalWorkforceBJC), "final_workforce_pay": b(finalWorkforcePay),
            "final_workforce_both": b(finalWorkforceBoth),
            "final_workplaces_bjc": b(finalWorkplacesBJC), "final_workplaces_pay": b(finalWorkplacesPay),
            "time_to_bjc": t(timeToBJC), "time_to_pay": t(timeToPay),
            "overruled_distinct": b(overruledDistinct), "exits": b(exits), "owners_expropriated": b(ownersExpropriated),
            "coercion_per_1000": b(coercionPerThousand), "coercion_free_share": coercionFreeShare,
            "final_income_gini": b(finalGini), "final_coordinator_worker_pay_ratio": b(finalPayRatio),
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// A readable summary that fits an 80-column terminal.
    public func text() -> String {
        func pct(_ x: Double) -> String { String(format: "%5.1f%%", 100 * x) }
        func bandPct(_ x: Band) -> String {
            replicates == 1 ? pct(x.mean) : "\(pct(x.mean))  [\(pct(x.p5).trimmingCharacters(in: .whitespaces)) – \(pct(x.p95).trimmingCharacters(in: .whitespaces))]"
        }
        func years(_ m: Double) -> String { String(format: "month %.0f (%.1f years)", m, m / 12) }
        func time(_ t: TimeTo) -> String {
            guard let m = t.months else { return "not reached" }
            if replicates == 1 { return years(m.p50) }
            return "\(years(m.p50)) median, in \(Int((100 * t.reachedShare).rounded()))% of runs"
        }
        func count(_ x: Band) -> String {
            replicates == 1 ? String(format: "%.0f", x.mean) : String(format: "%.0f  [%.0f – %.0f]", x.mean, x.p5, x.p95)
        }
        var out = ""
        out += "Scenario \(scenarioName): \(persons) persons, \(horizon) months, \(replicates) replicate\(replicates == 1 ? "" : "s")\n"
        if replicates > 1 { out += "(mean [5% – 95%] across replicates)\n" }
        out += "\nFinal adoption              workforce                 workplaces\n"
        out += "  balanced job complexes    \(bandPct(finalWorkforceBJC).padding(toLength: 25, withPad: " ", startingAt: 0)) \(pct(finalWorkplacesBJC.mean))\n"
        out += "  equitable pay             \(bandPct(finalWorkforcePay).padding(toLength: 25, withPad: " ", startingAt: 0)) \(pct(finalWorkplacesPay.mean))\n"
        out += "  both                      \(bandPct(finalWorkforceBoth))\n"
        out += "\n50% of the workforce reached\n"
        out += "  balanced job complexes    \(time(timeToBJC[1]))\n"
        out += "  equitable pay             \(time(timeToPay[1]))\n"
        out += "\nCoercion ledger\n"
        out += "  people overruled          \(count(overruledDistinct))\n"
        out += "  people who left           \(count(exits))\n"
        out += "  owners expropriated       \(count(ownersExpropriated))\n"
        out += "  per 1,000 persons         " + String(format: "%.1f", coercionPerThousand.mean) + " (overruled + expropriated)\n"
        out += "  coercion-free runs        \(Int((100 * coercionFreeShare).rounded()))%\n"
        out += "\nIncomes at the end: Gini " + String(format: "%.3f", finalGini.mean)
            + ", coordinator/worker pay " + String(format: "%.2f", finalPayRatio.mean) + "\n"
        return out
    }
}
