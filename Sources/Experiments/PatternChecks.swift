import Foundation
import TransitionModel

/// The patterns of DESIGN §11, checked over replicates of the shipped scenarios
/// (pattern-oriented modelling: the defaults must reproduce all of them at once).
public enum PatternChecks {
    /// One scenario's replicated runs, reduced to what the patterns need.
    struct Runs {
        var summaries: [RunSummary]
        var series: [[MetricsRecord]]
        var meanFinalBJC: Double { summaries.map(\.final.workforceBJC).reduce(0, +) / Double(summaries.count) }
        func median(_ f: (RunSummary) -> Int?) -> Double? {
            let xs = summaries.compactMap(f).map(Double.init).sorted()
            return xs.count * 2 > summaries.count ? xs[xs.count / 2] : nil
        }
        var medianBJC50: Double? { median { $0.monthsToBJC[1] } }
        var medianPay50: Double? { median { $0.monthsToPay[1] } }
        var meanCoercion: Double { summaries.map { $0.adoptedOverPerThousand() }.reduce(0, +) / Double(summaries.count) }
    }

    static func run(_ path: String, persons: Int, replicates: Int, threads: Int) throws -> Runs {
        let loaded = try ScenarioLoader.load(path: path, overrides: ["population.persons=\(persons)"])
        let results = try ReplicateRunner.run(loaded.scenario, replicates: replicates, threads: threads)
        return Runs(summaries: results.map(\.summary), series: results.map(\.series))
    }

    /// Runs the pattern checks on the scenarios in `folder`.
    public static func checks(folder: String, persons: Int = 5_000, replicates: Int = 6, threads: Int = 2) throws -> [ValidationCheck] {
        func load(_ name: String) throws -> Runs { try run(folder + "/" + name + ".yaml", persons: persons, replicates: replicates, threads: threads) }
        let baseline = try load("baseline"), consensus = try load("consensus-only"), majority = try load("majority")
        let prefigurative = try load("prefigurative"), stateLed = try load("state-led"), backlash = try load("backlash")
        var out: [ValidationCheck] = []
        func years(_ m: Double?) -> String { m.map { String(format: "%.1f years", $0 / 12) } ?? "not reached" }
        func add(_ n: Int, _ name: String, _ expected: String, _ measured: String, _ ok: Bool) {
            out.append(ValidationCheck(group: "patterns (DESIGN §11, \(replicates) replicates of \(persons) persons)",
                                       name: "\(n). \(name)", expected: expected, measured: measured, tolerance: "—", passed: ok))
        }
        let b50 = baseline.medianBJC50, p50 = baseline.medianPay50
        add(1, "baseline: BJC reaches 50% in years 5–15, equitable pay first", "BJC in 5–15 years, pay earlier",
            "BJC \(years(b50)), pay \(years(p50))",
            b50.map { $0 >= 60 && $0 <= 180 } == true && p50 != nil && p50! < b50!)
        let cFree = consensus.summaries.allSatisfy { $0.ledger.overruledEvents == 0 }
        add(2, "consensus-only: far lower adoption, nobody overruled", "final BJC < 75% of baseline's, 0 overruled",
            String(format: "%.0f%% vs %.0f%%, %@", 100 * consensus.meanFinalBJC, 100 * baseline.meanFinalBJC, cFree ? "0 overruled" : "some overruled"),
            consensus.meanFinalBJC < 0.75 * baseline.meanFinalBJC && cFree)
        let m50 = majority.medianBJC50
        add(3, "majority: faster than two thirds, more overruled per 1,000", "earlier 50% BJC, higher coercion",
            String(format: "%@ vs %@; %.0f vs %.0f per 1,000", years(m50), years(b50), majority.meanCoercion, baseline.meanCoercion),
            m50 != nil && (b50 == nil || m50! < b50!) && majority.meanCoercion > baseline.meanCoercion)
        let preFree = prefigurative.summaries.allSatisfy(\.coercionFree)
        add(4, "prefigurative: slow growth, coercion-free", "final adoption < 25%, no coercion",
            String(format: "%.1f%% both, %@", 100 * prefigurative.summaries.map(\.final.workforceBoth).reduce(0, +) / Double(replicates), preFree ? "coercion-free" : "coercion"),
            preFree && prefigurative.summaries.allSatisfy { $0.final.workforceBoth < 0.25 } && prefigurative.summaries.contains { $0.final.workforceBoth > 0 })
        let s50 = stateLed.medianBJC50
        let expropriated = stateLed.summaries.map(\.ledger.ownersExpropriated).reduce(0, +)
        let others = [b50, consensus.medianBJC50, prefigurative.medianBJC50].map { $0 ?? .infinity }
        add(5, "state-led with transfers: the fastest, owners expropriated", "earliest 50% BJC of the four paths, expropriations > 0",
            "\(years(s50)) (baseline \(years(b50))), \(expropriated) owners expropriated",
            s50 != nil && others.allSatisfy { s50! <= $0 } && expropriated > 0)
        let dents = backlash.series.filter { series in
            var peak = 0.0, fall = 0.0
            for m in series { peak = max(peak, m.workforcePay); fall = max(fall, peak - m.workforcePay) }
            return fall >= 0.02
        }.count
        add(6, "backlash: curves visibly fall for a while", "a fall of ≥ 2 points in half the runs",
            "\(dents) of \(replicates) runs", 2 * dents >= replicates)
        let finals = baseline.summaries.map(\.final)
        let opposed = finals.map(\.opposedAny).reduce(0, +) / Double(finals.count)
        let firstCoordinator = baseline.series.map { $0.first!.supportCoordinatorBJC }.reduce(0, +) / Double(replicates)
        let lastCoordinator = finals.map(\.supportCoordinatorBJC).reduce(0, +) / Double(replicates)
        add(7, "baseline long run: about a fifth opposed; coordinators' support rises from about 5%",
            "15–30% of the population (owners included) not supporting both; coordinators < 10% → > 25%",
            String(format: "%.0f%% opposed; coordinators %.0f%% → %.0f%%", 100 * opposed, 100 * firstCoordinator, 100 * lastCoordinator),
            opposed >= 0.15 && opposed <= 0.30 && firstCoordinator < 0.10 && lastCoordinator > 0.25)
        return out
    }
}
