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
    /// Persons adopted over per 1,000, by opposition level (``CoercionLedger/levels``).
    public var adoptedOverPerThousand: [Band]
    public var stoodAside: Band
    /// Status quo: jobs lost to failures per 1,000, mean persons with no say per 1,000.
    public var jobsLostPerThousand: Band
    public var unheardPerThousand: Band
    public var coercionFreeShare: Double
    /// Time to 50% as survival (Kaplan–Meier, censored at the horizon).
    public var survivalBJC: SurvivalCurve
    public var survivalPay: SurvivalCurve
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
        adoptedOverPerThousand = CoercionLedger.levels.indices.map { j in band { $0.adoptedOverPerThousand(level: j) } }
        stoodAside = band { Double($0.ledger.stoodAside) }
        jobsLostPerThousand = band(\.jobsLostPerThousand)
        unheardPerThousand = band(\.unheardPerThousand)
        survivalBJC = SurvivalCurve(reached: s.map { $0.monthsToBJC[1] }, observedUntil: s.map(\.final.month))
        survivalPay = SurvivalCurve(reached: s.map { $0.monthsToPay[1] }, observedUntil: s.map(\.final.month))
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
            "opposition_per_1000": b(adoptedOverPerThousand[CoercionLedger.verdictLevel]),
            "adopted_over_per_1000": Dictionary(
                uniqueKeysWithValues: CoercionLedger.levelNames.enumerated().map { ($1, b(adoptedOverPerThousand[$0])) }),
            "stood_aside": b(stoodAside), "coercion_free_share": coercionFreeShare,
            "jobs_lost_per_1000": b(jobsLostPerThousand), "unheard_per_1000": b(unheardPerThousand),
            "median_months_to_50_bjc": survivalBJC.median.map { $0 as Any } ?? NSNull(),
            "median_months_to_50_pay": survivalPay.median.map { $0 as Any } ?? NSNull(),
            "final_income_gini": b(finalGini), "final_coordinator_worker_pay_ratio": b(finalPayRatio),
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// A readable summary that fits an 80-column terminal.
    public func text() -> String {
        func pct(_ x: Double) -> String { String(format: "%5.1f%%", 100 * x) }
        func bandPct(_ x: Band) -> String {
            replicates == 1
                ? pct(x.mean)
                : "\(pct(x.mean))  [\(pct(x.p5).trimmingCharacters(in: .whitespaces)) – \(pct(x.p95).trimmingCharacters(in: .whitespaces))]"
        }
        func years(_ m: Double) -> String { String(format: "month %.0f (%.1f years)", m, m / 12) }
        func time(_ curve: SurvivalCurve, _ t: TimeTo) -> String {
            if replicates == 1 { return t.months.map { years($0.p50) } ?? "not reached in \(horizon) months" }
            let reached = "in \(Int((100 * t.reachedShare).rounded()))% of runs"
            guard let m = curve.median else { return "after month \(horizon), \(reached)" }
            return "\(years(Double(m))), \(reached)"
        }
        func count(_ x: Band) -> String {
            replicates == 1 ? String(format: "%.0f", x.mean) : String(format: "%.0f  [%.0f – %.0f]", x.mean, x.p5, x.p95)
        }
        var out = ""
        out += "Scenario \(scenarioName): \(persons) persons, \(horizon) months, \(replicates) replicate\(replicates == 1 ? "" : "s")\n"
        if replicates > 1 { out += "(mean [5% – 95%] across replicates)\n" }
        out += "\nFinal adoption              workforce                 workplaces\n"
        out +=
            "  balanced job complexes    \(bandPct(finalWorkforceBJC).padding(toLength: 25, withPad: " ", startingAt: 0)) \(pct(finalWorkplacesBJC.mean))\n"
        out +=
            "  equitable pay             \(bandPct(finalWorkforcePay).padding(toLength: 25, withPad: " ", startingAt: 0)) \(pct(finalWorkplacesPay.mean))\n"
        out += "  both                      \(bandPct(finalWorkforceBoth))\n"
        out += "\n50% of the workforce reached" + (replicates > 1 ? " (Kaplan–Meier median)\n" : "\n")
        out += "  balanced job complexes    \(time(survivalBJC, timeToBJC[1]))\n"
        out += "  equitable pay             \(time(survivalPay, timeToPay[1]))\n"
        out += "\nOpposition (the same measure for every path), persons per 1,000\n"
        out += "  adopted over, any non-supporter   " + String(format: "%.1f", adoptedOverPerThousand[0].mean) + "\n"
        out += "  adopted over, leaning against     " + String(format: "%.1f", adoptedOverPerThousand[1].mean) + "  (u < 0)\n"
        out += "  adopted over, strongly against    " + String(format: "%.1f", adoptedOverPerThousand[3].mean) + "  (u < −1)\n"
        let adopted = max(0, finalWorkforceBJC.mean + finalWorkforcePay.mean - finalWorkforceBoth.mean)
        out +=
            "  per 1,000 under adopted           "
            + (adopted > 0 ? String(format: "%.0f", adoptedOverPerThousand[1].mean / adopted) : "–")
            + String(format: "  (u < 0; %.1f%% under BJC or pay)\n", 100 * adopted)
        out += "  coercion-free runs (u < 0)        \(Int((100 * coercionFreeShare).rounded()))%"
            + String(format: "  (with %.1f%% under BJC or pay)\n", 100 * adopted)
        out += "\nRule-specific ledger (counts)\n"
        out += "  people overruled          \(count(overruledDistinct))\n"
        out += "  stood aside (events)      \(count(stoodAside))\n"
        out += "  people who left           \(count(exits))\n"
        out += "  owners expropriated       \(count(ownersExpropriated))\n"
        out += "\nStatus quo (kept under every path), per 1,000 persons\n"
        out += "  jobs lost to failures             " + String(format: "%.1f", jobsLostPerThousand.mean) + "\n"
        out += "  with no say over what they want   " + String(format: "%.1f", unheardPerThousand.mean) + "  (mean per month)\n"
        out +=
            "\nIncomes at the end: Gini " + String(format: "%.3f", finalGini.mean)
            + ", coordinator/worker pay " + String(format: "%.2f", finalPayRatio.mean) + "\n"
        return out
    }
}
