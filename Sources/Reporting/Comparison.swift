import Experiments
import Foundation
import TransitionModel

/// Transition paths side by side: adoption, time to 50% as survival, the opposition measure
/// (the same for every path) at every strength, owners expropriated kept apart, paired
/// differences on common seeds, and the adoption-versus-opposition trade-off.
public struct Comparison {
    public struct Path: Sendable {
        public var name: String
        public var runs: [RunRow]
        public init(name: String, runs: [RunRow]) { self.name = name; self.runs = runs }
        public var adoption: Band { Quantiles.band(runs.map(\.finalBoth))! }
        /// Persons adopted over while leaning against (u < 0), per 1,000.
        public var opposition: Band { Quantiles.band(runs.map(\.oppositionPerThousand))! }
        public func opposition(level: Int) -> Band { Quantiles.band(runs.map { $0.adoptedOverPerThousand[level] })! }
        /// The mean workforce share under BJC, equitable pay or both at the end.
        public var adopted: Double { mean(\.finalAdopted) }
        /// Opposition set against what was adopted: persons adopted over while leaning against,
        /// per 1,000 persons who ended under an adopted institution (the mean opposition per
        /// 1,000 persons over the mean share adopted, the workforce counted as everyone at month
        /// 0); nil when nothing was adopted. A path that adopts twice as widely over as many
        /// opponents scores half.
        public var oppositionPerAdopted: Double? { Self.perAdopted(opposition: mean(\.oppositionPerThousand), adopted: adopted) }
        static func perAdopted(opposition: Double, adopted: Double) -> Double? { adopted > 0 ? opposition / adopted : nil }
        /// The population at month 0 when every run of the path had the same one; nil when not
        /// known or mixed.
        public var persons: Int? {
            guard let first = runs.first?.persons, first > 0, runs.allSatisfy({ $0.persons == first }) else { return nil }
            return first
        }
        /// Mean owners expropriated per 1,000 persons; nil when a run's population is not known.
        public var ownersPerThousand: Double? {
            let xs = runs.compactMap(\.ownersExpropriatedPerThousand)
            return xs.count == runs.count ? xs.reduce(0, +) / Double(xs.count) : nil
        }
        /// Coercion-free at the verdict level, in every run.
        public var coercionFree: Bool { runs.allSatisfy(\.coercionFree) }
        public var survivalBJC: SurvivalCurve { SurvivalCurve(reached: runs.map(\.monthsTo50BJC), observedUntil: runs.map(\.finalMonth)) }
        public var survivalPay: SurvivalCurve { SurvivalCurve(reached: runs.map(\.monthsTo50Pay), observedUntil: runs.map(\.finalMonth)) }
        /// The mean over the path's runs of one per-run figure.
        public func mean(_ figure: (RunRow) -> Double) -> Double { runs.map(figure).reduce(0, +) / Double(runs.count) }
    }

    /// One path's figures as numbers, shared by paths.csv and comparison.json.
    struct Figures {
        var path: Path
        var medianMonths: Int?, interval: (lower: Int?, upper: Int?)
        var bjc: Double, pay: Double, owners: Double, ownersPerThousand: Double?, jobsLost: Double, unheard: Double
        var onFront: Bool
        init(_ p: Path, onFront: Bool) {
            let curve = p.survivalBJC
            path = p; medianMonths = curve.median; interval = curve.medianInterval
            bjc = p.mean { $0.finalBJC }; pay = p.mean { $0.finalPay }; owners = p.mean { $0.ownersExpropriated }
            ownersPerThousand = p.ownersPerThousand
            jobsLost = p.mean { $0.jobsLostPerThousand }; unheard = p.mean { $0.unheardPerThousand }
            self.onFront = onFront
        }
    }

    var figures: [Figures] { let f = front; return paths.enumerated().map { Figures($1, onFront: f.contains($0)) } }

    /// What the coercion axis of the trade-off counts.
    public enum CoercionAxis: String, Sendable, CaseIterable {
        /// The coercion of change: persons adopted over while leaning against (u < 0), per 1,000.
        case change
        /// The coercion of the status quo: jobs lost to failures plus the mean persons with no
        /// say over an institution they want, per 1,000.
        case statusQuo = "status-quo"
        /// Both added up, per 1,000 (each part is in the tables).
        case both

        public var label: String {
            switch self {
            case .change: return "persons adopted over while leaning against (u < 0) per 1,000"
            case .statusQuo: return "jobs lost + persons with no say (mean), per 1,000"
            case .both: return "adopted over (u < 0) + jobs lost + persons with no say, per 1,000"
            }
        }

        func value(_ r: RunRow) -> Double {
            switch self {
            case .change: return r.oppositionPerThousand
            case .statusQuo: return r.jobsLostPerThousand + r.unheardPerThousand
            case .both: return r.oppositionPerThousand + r.jobsLostPerThousand + r.unheardPerThousand
            }
        }
    }

    public var paths: [Path]
    /// The coercion axis of the Pareto front and the chart.
    public var axis = CoercionAxis.change
    public init(paths: [Path]) {
        precondition(paths.allSatisfy { !$0.runs.isEmpty }, "every compared path needs at least one run")
        self.paths = paths
    }

    /// Indices of the points on the Pareto front when `adoption` is maximised and `coercion`
    /// minimised: no other point is at least as good on both and better on one. Equal points
    /// are all on the front.
    public static func paretoFront(adoption: [Double], coercion: [Double]) -> [Int] {
        precondition(adoption.count == coercion.count, "one adoption and one coercion figure per point")
        return adoption.indices.filter { i in
            !adoption.indices.contains { j in
                j != i && adoption[j] >= adoption[i] && coercion[j] <= coercion[i]
                    && (adoption[j] > adoption[i] || coercion[j] < coercion[i])
            }
        }
    }

    /// The front of adoption against the coercion axis (by default opposition, u < 0);
    /// expropriations are shown beside it, never merged into it.
    public var front: Set<Int> {
        Set(Self.paretoFront(adoption: paths.map(\.adoption.mean), coercion: paths.map { coercion($0) }))
    }

    /// Mean of the coercion axis over a path's runs.
    func coercion(_ p: Path) -> Double { p.runs.map { axis.value($0) }.reduce(0, +) / Double(p.runs.count) }

    /// Both sides of the coercion argument, by the same counting rules for every path: the
    /// coercion of change beside the coercion of the status quo.
    public func bothSidesTable(heading: String = "path") -> String {
        func band(_ xs: [Double]) -> String {
            let b = Quantiles.band(xs)!
            return String(format: "%.1f [%.1f–%.1f]", b.mean, b.p5, b.p95)
        }
        var s =
            "| \(heading) | change: adopted over, u < 0 /1,000 | change: owners expropriated /1,000 (count) | status quo: jobs lost to failures /1,000 | status quo: persons with no say /1,000 (mean) |\n"
        s += "|---|---|---|---|---|\n"
        for p in paths {
            s += "| \(p.name) | \(band(p.runs.map(\.oppositionPerThousand))) | " + ownersCell(p)
            s += " | \(band(p.runs.map(\.jobsLostPerThousand))) | \(band(p.runs.map(\.unheardPerThousand))) |\n"
        }
        return s
    }

    /// Incomes beside adoption and opposition: Gini, coordinator/worker pay ratio and the
    /// poorest tenth's share at 10, 20 and 40 years (means over runs; "—" where no run got
    /// there), and how much of the equitable pay reached was still there at the end. Empty when
    /// no path has income figures (result folders written before they existed).
    public func incomeTable() -> String {
        guard paths.contains(where: { $0.runs.contains { $0.incomeAt.contains { $0 != nil } } }) else { return "" }
        let years = RunSummary.incomeYears
        func cell(_ p: Path, _ j: Int, _ f: (IncomeSnapshot) -> Double, _ format: String) -> String {
            let xs = p.runs.compactMap { $0.incomeAt[j] }.map(f)
            return xs.isEmpty ? "—" : String(format: format, xs.reduce(0, +) / Double(xs.count))
        }
        var s = "| path | both adopted | opposed adopted over /1,000 "
        s += years.map { "| Gini \($0) y " }.joined() + years.map { "| pay ratio \($0) y " }.joined()
        s += years.map { "| poorest 10% share \($0) y " }.joined() + "| equitable pay: peak → end (retained) |\n"
        s += "|---|---|---|" + String(repeating: "---|", count: 3 * years.count + 1) + "\n"
        for p in paths {
            s += "| \(p.name) | " + String(format: "%.1f%%", 100 * p.adoption.mean) + " | " + String(format: "%.1f", p.opposition.mean)
            for j in years.indices { s += " | " + cell(p, j, \.gini, "%.3f") }
            for j in years.indices { s += " | " + cell(p, j, \.payRatio, "%.2f") }
            for j in years.indices { s += " | " + cell(p, j, { 100 * $0.lowestDecileShare }, "%.1f%%") }
            let retained = p.runs.compactMap(\.payRetained), peaks = p.runs.compactMap(\.peakPay)
            let end = String(format: "%.0f%%", 100 * p.mean(\.finalPay))
            s += peaks.isEmpty ? " | — → \(end)" : " | " + String(format: "%.0f%%", 100 * peaks.reduce(0, +) / Double(peaks.count)) + " → \(end)"
            s += retained.isEmpty ? " |\n" : String(format: " (%.0f%%) |\n", 100 * retained.reduce(0, +) / Double(retained.count))
        }
        return s
    }

    func meanExpropriated(_ p: Path) -> Double { p.runs.map(\.ownersExpropriated).reduce(0, +) / Double(p.runs.count) }

    /// Owners expropriated per 1,000 persons with the count beside it ("0.95 (18.9)"): only
    /// the rate compares paths of different sizes. "– (18.9)" when the population is not known.
    func ownersCell(_ p: Path) -> String {
        (p.ownersPerThousand.map { String(format: "%.2f", $0) } ?? "–") + String(format: " (%.1f)", meanExpropriated(p))
    }

    /// "20,000", or "–" when the path's runs do not share one known population.
    static func personsCell(_ p: Path) -> String {
        guard let n = p.persons else { return "–" }
        return groupedThousands(n)
    }

    /// "12,500,000": an integer with its thousands grouped by commas.
    public static func groupedThousands(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (k, c) in digits.enumerated() {
            if k > 0 && (digits.count - k) % 3 == 0 { out += "," }
            out.append(c)
        }
        return out
    }

    /// The paths' populations when they do not all share one known population (every figure of
    /// the tables is then a share or a rate per 1,000; counts do not compare); nil when they do.
    public var populationsDiffer: [Int?]? {
        let all = paths.map(\.persons)
        return Set(all.map { $0 ?? -1 }).count > 1 ? all : nil
    }

    /// The coercion-free verdict with how much was adopted beside it: a path that transforms
    /// nothing is coercion-free by definition, and the verdict must not read as an achievement.
    static func verdict(_ p: Path) -> String {
        (p.coercionFree ? "yes" : "no") + String(format: " (%.1f%% under BJC or pay)", 100 * p.adopted)
    }

    /// The side-by-side table (Markdown); `heading` names the first column (a path, or a sweep's point).
    public func table(heading: String = "path") -> String {
        func pct(_ b: Band) -> String { String(format: "%.1f%% [%.1f–%.1f]", 100 * b.mean, 100 * b.p5, 100 * b.p95) }
        let horizon = paths.flatMap(\.runs).map(\.finalMonth).max() ?? 0
        let by = min(120, horizon)
        var s =
            "| \(heading) | persons | runs | both adopted | BJC 50%: median [95% CI] | P(BJC 50% by \(by / 12) y) | pay 50% | opposed adopted over /1,000 | per 1,000 under adopted | owners expropriated /1,000 (count) | exits | coercion-free | Pareto |\n"
        s += "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
        let f = front
        for (k, p) in paths.enumerated() {
            let bjc = p.survivalBJC
            s += "| \(p.name) | \(Self.personsCell(p)) | \(p.runs.count) | \(pct(p.adoption)) | \(bjc.medianText()) | "
            s += String(format: "%.0f%%", 100 * bjc.reachedProbability(by: by)) + " | \(p.survivalPay.medianText()) | "
            let opposition = p.opposition
            s += String(format: "%.1f [%.1f–%.1f]", opposition.mean, opposition.p5, opposition.p95)
            s += " | " + (p.oppositionPerAdopted.map { String(format: "%.0f", $0) } ?? "–")
            s += " | " + ownersCell(p)
            s += " | " + String(format: "%.0f", p.runs.map(\.exits).reduce(0, +) / Double(p.runs.count))
            s += " | \(Self.verdict(p)) | \(f.contains(k) ? "front" : "") |\n"
        }
        return s
    }

    /// Opposition as a curve over strength: persons adopted over per 1,000 at each level.
    public func oppositionTable() -> String {
        var s = "| path | " + CoercionLedger.levelLabels.joined(separator: " | ") + " |\n"
        s += "|---|" + String(repeating: "---|", count: CoercionLedger.levels.count) + "\n"
        for p in paths {
            s +=
                "| \(p.name) | "
                + CoercionLedger.levels.indices.map { String(format: "%.1f", p.opposition(level: $0).mean) }.joined(separator: " | ")
                + " |\n"
        }
        return s
    }

    /// The probability of having reached 50% BJC by each year (Kaplan–Meier), one row a path.
    public func reachedTable(everyYears step: Int = 2) -> String {
        let horizon = paths.flatMap(\.runs).map(\.finalMonth).max() ?? 0
        let years = Array(stride(from: step, through: max(step, horizon / 12), by: step))
        var s = "| path | " + years.map { "\($0) y" }.joined(separator: " | ") + " |\n"
        s += "|---|" + String(repeating: "---|", count: years.count) + "\n"
        for p in paths {
            let curve = p.survivalBJC
            s +=
                "| \(p.name) | "
                + years.map { String(format: "%.0f%%", 100 * curve.reachedProbability(by: 12 * $0)) }.joined(separator: " | ") + " |\n"
        }
        return s
    }

    /// Whether two paths' runs share random numbers: the same number of runs, one known
    /// population, and replicate r of each on the same seed. Only then is a difference paired.
    public static func arePaired(_ a: Path, _ b: Path) -> Bool {
        a.runs.count == b.runs.count && a.persons != nil && a.persons == b.persons
            && zip(a.runs, b.runs).allSatisfy { $0.seed != nil && $0.seed == $1.seed }
    }

    /// Why two paths' runs cannot be paired; nil when they can.
    static func unpairedReason(_ a: Path, _ b: Path) -> String? {
        if arePaired(a, b) { return nil }
        if a.persons == nil || b.persons == nil { return "population not known" }
        if a.persons != b.persons { return "populations differ" }
        if a.runs.count != b.runs.count { return "run counts differ" }
        return "seeds differ or not known"
    }

    /// Differences path A minus path B: both adopted (points) and opposition per 1,000, with
    /// 95% intervals. Paired over replicates where the runs share seeds and population (then
    /// also the share of replicates in which A reached 50% BJC first, a replicate that never
    /// got there counting as last); otherwise unpaired (Welch), and the table says why.
    public func differencesTable() -> String {
        func cell(_ d: Difference) -> String {
            d.low == nil ? String(format: "%+.1f (one run: no interval)", d.mean) : String(format: "%+.1f [%+.1f, %+.1f]", d.mean, d.low!, d.high!)
        }
        var s = "| A − B | runs | kind | Δ both adopted (points) [95% CI] | Δ opposed adopted over /1,000 [95% CI] | A reached 50% BJC first |\n"
        s += "|---|---|---|---|---|---|\n"
        for i in paths.indices {
            for j in paths.indices where j > i {
                let pa = paths[i], pb = paths[j], a = pa.runs, b = pb.runs
                let paired = Self.arePaired(pa, pb)
                let adopt = Difference(a.map { 100 * $0.finalBoth }, b.map { 100 * $0.finalBoth }, paired: paired)
                let opp = Difference(a.map(\.oppositionPerThousand), b.map(\.oppositionPerThousand), paired: paired)
                s += "| \(pa.name) − \(pb.name) | " + (paired ? "\(a.count) pairs" : "\(a.count), \(b.count)")
                s += " | " + (Self.unpairedReason(pa, pb).map { "unpaired: \($0)" } ?? "paired")
                s += " | \(cell(adopt)) | \(cell(opp)) | "
                if paired {
                    let first = a.indices.filter { r in
                        guard let ta = a[r].monthsTo50BJC else { return false }
                        return b[r].monthsTo50BJC.map { ta < $0 } ?? true
                    }.count
                    s += "\(first) of \(a.count) |\n"
                } else {
                    s += "– |\n"
                }
            }
        }
        return s
    }

    /// Final adoption against the coercion axis: Pareto front ringed, coercion-free paths
    /// filled. With more than `labelAll` paths only the front is labelled (the rest would be
    /// unreadable).
    public func chart(labelAll: Int = 30, keys: [String]? = nil) -> String {
        let f = front
        let points = paths.enumerated().map { k, p in
            let x = Quantiles.band(p.runs.map(axis.value))!, y = p.adoption
            let many = p.runs.count > 1
            return SVGChart.Point(
                label: paths.count <= labelAll || f.contains(k) ? p.name : "",
                x: coercion(p), y: 100 * y.mean, filled: p.coercionFree, ring: f.contains(k),
                xInterval: many ? (x.p5, x.p95) : nil, yInterval: many ? (100 * y.p5, 100 * y.p95) : nil, key: keys?[k])
        }
        return SVGChart(
            title: axis == .change ? "Adoption against opposition" : "Adoption against coercion (\(axis.rawValue))",
            xLabel: axis.label,
            yLabel: "final workforce share with both (%)"
        )
        .scatter(points, legend: ["filled: coercion-free", "ringed: Pareto front", "lines: 5–95% of runs"])
    }

    /// How fast: the median time to 50% of the workforce with BJC (Kaplan–Meier), with its 95%
    /// interval; a path that most runs never bring there is drawn to the horizon, marked so.
    public func speedChart() -> String {
        let horizon = paths.flatMap { $0.runs.map(\.finalMonth) }.max() ?? 0
        var values: [Double] = [], low: [Double] = [], high: [Double] = [], texts: [String] = [], faded: [Bool] = []
        for p in paths {
            let curve = p.survivalBJC
            if let m = curve.median {
                values.append(Double(m) / 12)
                let (lo, hi) = curve.medianInterval
                low.append(Double(lo ?? m) / 12); high.append(Double(hi ?? horizon) / 12)
                texts.append(String(format: "%.1f y", Double(m) / 12)); faded.append(false)
            } else {
                values.append(Double(horizon) / 12); low.append(Double(horizon) / 12); high.append(Double(horizon) / 12)
                texts.append(String(format: "not in %.0f y", Double(horizon) / 12)); faded.append(true)
            }
        }
        var bars = SVGChart.Bars(
            label: "median, 95% interval", colour: RunReport.institutionColours[0], values: values, low: low, high: high)
        bars.texts = texts; bars.faded = faded
        return SVGChart(title: "How fast: years to 50% of the workforce with BJC", xLabel: "years (Kaplan–Meier median)", yLabel: "")
            .bars(categories: paths.map(\.name), [bars], format: { String(format: "%.1f y", $0) })
    }

    /// The ledger's parts, kept apart and each on its own axis, since they are different kinds
    /// of quantity: distinct persons adopted over while leaning against and strongly against;
    /// jobs lost to failures over the run (a cumulative count of events: a person can lose
    /// several); persons with no say, a mean per month. All per 1,000 persons; owners
    /// expropriated are a bar of the first panel (or, population unknown, counted in the labels).
    public func ledgerChart() -> String {
        let strong = CoercionLedger.levels.firstIndex(of: -1) ?? CoercionLedger.verdictLevel
        // Owners expropriated are distinct persons per 1,000 too: a bar of their own where the
        // population is known, else their count in the path's label.
        let perThousand = paths.allSatisfy { $0.ownersPerThousand != nil } && paths.contains { meanExpropriated($0) > 0 }
        let names = paths.map { p in
            perThousand || meanExpropriated(p) == 0 ? p.name : "\(p.name) (\(String(format: "%.1f", meanExpropriated(p))) owners expropriated)"
        }
        let format = { (x: Double) in String(format: x < 10 ? "%.1f" : "%.0f", x) }
        var changeBars = [
            SVGChart.Bars(
                label: "leaning against, u < 0", colour: SVGChart.palette[1], values: paths.map { $0.mean { $0.oppositionPerThousand } }),
            SVGChart.Bars(
                label: "strongly against, u < −1", colour: "#7a1f2b", values: paths.map { $0.mean { $0.adoptedOverPerThousand[strong] } }),
        ]
        if perThousand {
            changeBars.append(
                SVGChart.Bars(label: "owners expropriated", colour: SVGChart.palette[3], values: paths.map { $0.ownersPerThousand ?? 0 }))
        }
        let change = SVGChart(
            title: "The coercion of change: persons adopted over", xLabel: "distinct persons per 1,000 (mean over runs)", yLabel: ""
        ).bars(categories: names, changeBars, format: format)
        let jobs = SVGChart(
            title: "The status quo: jobs lost to workplace failures", xLabel: "jobs lost over the run per 1,000 persons (cumulative)",
            yLabel: ""
        ).bars(
            categories: paths.map(\.name),
            [SVGChart.Bars(label: "jobs lost", colour: SVGChart.palette[5], values: paths.map { $0.mean { $0.jobsLostPerThousand } })],
            format: format)
        let unheard = SVGChart(
            title: "The status quo: persons with no say", xLabel: "persons per 1,000, mean per month", yLabel: ""
        ).bars(
            categories: paths.map(\.name),
            [SVGChart.Bars(label: "no say over an institution they support", colour: "#9a9a9a", values: paths.map { $0.mean { $0.unheardPerThousand } })],
            format: format)
        return SVGChart.stacked([change, jobs, unheard])
    }

    /// One row per path: what the tables show, as numbers (for R, pandas, spreadsheets).
    public func pathsCSV() -> String {
        var out =
            "path,persons,runs,both_mean,both_p5,both_p95,bjc_mean,pay_mean,median_months_to_50_bjc,median_ci_low,median_ci_high,"
            + "opposition_per_1000_mean,opposition_per_1000_p5,opposition_per_1000_p95,owners_expropriated_mean,owners_expropriated_per_1000_mean,"
            + "jobs_lost_per_1000_mean,unheard_per_1000_mean,adopted_mean,opposition_per_1000_adopted,coercion_free,pareto_front\n"
        func n(_ x: Double) -> String { formatValue(x, count: false) }
        for g in figures {
            let p = g.path
            let cells: [String] = [
                csvQuoted(p.name), p.persons.map(String.init) ?? "", String(p.runs.count), n(p.adoption.mean), n(p.adoption.p5), n(p.adoption.p95), n(g.bjc), n(g.pay),
                g.medianMonths.map(String.init) ?? "", g.interval.lower.map(String.init) ?? "", g.interval.upper.map(String.init) ?? "",
                n(p.opposition.mean), n(p.opposition.p5), n(p.opposition.p95), n(g.owners), g.ownersPerThousand.map(n) ?? "", n(g.jobsLost), n(g.unheard),
                n(p.adopted), p.oppositionPerAdopted.map(n) ?? "", String(p.coercionFree), String(g.onFront),
            ]
            out += cells.joined(separator: ",") + "\n"
        }
        return out
    }

    /// The comparison as JSON: the path table's figures as numbers, and each path's runs.
    public func json(seed: UInt64?) -> String {
        let objects: [[String: Any]] = figures.map { g in
            let p = g.path
            var o: [String: Any] = [
                "path": p.name, "runs": p.runs.count, "persons": p.persons.map { $0 as Any } ?? NSNull(),
                "owners_expropriated_per_1000_mean": g.ownersPerThousand.map { $0 as Any } ?? NSNull(),
                "both": ["mean": p.adoption.mean, "p5": p.adoption.p5, "p95": p.adoption.p95],
                "bjc_mean": g.bjc, "pay_mean": g.pay,
                "opposition_per_1000": ["mean": p.opposition.mean, "p5": p.opposition.p5, "p95": p.opposition.p95],
                "owners_expropriated_mean": g.owners, "jobs_lost_per_1000_mean": g.jobsLost, "unheard_per_1000_mean": g.unheard,
                "coercion_free": p.coercionFree, "pareto_front": g.onFront, "adopted_mean": p.adopted,
                "opposition_per_1000_adopted": p.oppositionPerAdopted.map { $0 as Any } ?? NSNull(),
                "final_workforce_both_by_run": p.runs.map(\.finalBoth),
            ]
            o["median_months_to_50_bjc"] = g.medianMonths.map { $0 as Any } ?? NSNull()
            o["median_ci_months"] = [g.interval.lower.map { $0 as Any } ?? NSNull(), g.interval.upper.map { $0 as Any } ?? NSNull()]
            return o
        }
        var top: [String: Any] = ["paths": objects, "coercion_axis": axis.rawValue]
        if let seed { top["master_seed"] = String(seed) }
        let data = (try? JSONSerialization.data(withJSONObject: top, options: [.prettyPrinted, .sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// One row per run of every path (tidy): the per-run figures the tables summarise.
    public func runsCSV() -> String {
        var out =
            "path,run,final_workforce_bjc,final_workforce_pay,final_workforce_both,months_to_50_bjc,months_to_50_pay,final_month,"
            + "opposition_per_1000,owners_expropriated,jobs_lost_per_1000,unheard_per_1000\n"
        func n(_ x: Double) -> String { formatValue(x, count: false) }
        for p in paths {
            for (r, run) in p.runs.enumerated() {
                out +=
                    [
                        csvQuoted(p.name), String(r), n(run.finalBJC), n(run.finalPay), n(run.finalBoth),
                        run.monthsTo50BJC.map(String.init) ?? "", run.monthsTo50Pay.map(String.init) ?? "", String(run.finalMonth),
                        n(run.oppositionPerThousand), n(run.ownersExpropriated), n(run.jobsLostPerThousand), n(run.unheardPerThousand),
                    ]
                    .joined(separator: ",") + "\n"
            }
        }
        return out
    }

    /// Opposition as a curve over strength, one line a path.
    public func oppositionChart() -> String {
        let levels = Array(CoercionLedger.levels.indices.dropFirst())
        let series = paths.enumerated().map { k, p in
            SVGChart.Series(
                label: p.name, x: levels.map { CoercionLedger.levels[$0] },
                y: levels.map { p.opposition(level: $0).mean }, colour: SVGChart.colours(paths.count)[k])
        }
        return SVGChart(
            title: "Persons adopted over, by strength of opposition", xLabel: "utility u below (stronger opposition to the left)",
            yLabel: "persons per 1,000"
        ).lines(series)
    }
}
