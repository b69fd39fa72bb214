import Experiments
import Foundation
import TransitionModel

/// The report of one result folder: curves with bands, fitted diffusion curves, the ledger.
public struct RunReport {
    public let results: ResultSet
    public let bands: [String: CurveBands]
    public let logistic: [String: LogisticFit]
    public let bass: [String: BassFit]

    public init(_ results: ResultSet) {
        self.results = results
        var b: [String: CurveBands] = [:]
        for c in results.columns {
            if let curves = results.curves(c) { b[c] = CurveBands(column: c, months: results.months, curves: curves) }
        }
        bands = b
        var l: [String: LogisticFit] = [:], f: [String: BassFit] = [:]
        let t = results.months.map(Double.init)
        for c in ["workforce_bjc", "workforce_pay"] {
            guard let mean = b[c]?.bands.map(\.mean) else { continue }
            l[c] = CurveFitting.logistic(times: t, values: mean)
            f[c] = CurveFitting.bass(times: t, values: mean)
        }
        logistic = l; bass = f
    }

    /// Colours that stay apart: BJC blue, equitable pay red, both dark purple.
    static let institutionColours = ["#1b6ca8", "#d1495b", "#4b2a6e"]

    func chart(
        _ title: String, _ yLabel: String, _ columns: [(String, String)], percent: Bool, range: (Double, Double)? = nil,
        colours: [String] = SVGChart.palette, dashes: [String?] = []
    ) -> String {
        let scale = percent ? 100.0 : 1.0
        let series = columns.enumerated().compactMap { k, item -> SVGChart.Series? in
            guard let b = bands[item.0] else { return nil }
            let years = b.months.map { Double($0) / 12 }
            let many = results.series.count > 1
            return SVGChart.Series(
                label: item.1, x: years, y: b.bands.map { $0.mean * scale },
                low: many ? b.bands.map { $0.p5 * scale } : nil, high: many ? b.bands.map { $0.p95 * scale } : nil,
                colour: colours[k % colours.count], dash: k < dashes.count ? dashes[k] : nil)
        }
        return SVGChart(title: title, xLabel: "years", yLabel: yLabel).lines(series, yRange: range)
    }

    /// The charts of the report, by file stem.
    public func charts() -> [(String, String)] {
        [
            (
                "adoption",
                chart(
                    "Adoption in the workforce", "share of the workforce (%)",
                    [("workforce_bjc", "BJC"), ("workforce_pay", "equitable pay"), ("workforce_both", "both")],
                    percent: true, range: (0, 100), colours: Self.institutionColours)
            ),
            (
                "support",
                chart(
                    "Support by class", "supporting share (%)",
                    [
                        ("support_worker_bjc", "workers: BJC"), ("support_worker_pay", "workers: pay"),
                        ("support_coordinator_bjc", "coordinators: BJC"), ("support_coordinator_pay", "coordinators: pay"),
                    ],
                    percent: true, range: (0, 100))
            ),
            // P = B·M: while the base pressure B is 1 the two curves coincide, so momentum is dashed over pressure.
            (
                "movement",
                chart(
                    "Movement pressure P = B·M and momentum M", "P, M (1 = ordinary organising)",
                    [("pressure", "pressure P"), ("momentum", "momentum M (dashed)")], percent: false,
                    colours: ["#e9a23b", "#1b6ca8"], dashes: [nil, "7 5"])
            ),
            (
                "ledger",
                chart(
                    "Persons adopted over (cumulative, the same measure on every path)", "persons",
                    [
                        ("adopted_over_persons_any", "any non-supporter"), ("adopted_over_persons_u0", "leaning against (u < 0)"),
                        ("adopted_over_persons_u_neg1", "strongly against (u < −1)"), ("overruled_distinct", "overruled (rule-specific)"),
                        ("owners_expropriated", "owners expropriated"),
                    ], percent: false)
            ),
            (
                "status-quo",
                chart(
                    "The status quo's coercion: jobs lost to workplace failures", "jobs lost since month 0 (cumulative)",
                    [("jobs_lost_conventional", "conventional workplaces"), ("jobs_lost_adopted", "adopted workplaces")],
                    percent: false)
            ),
            (
                // Persons this month, not a running total: on its own axis.
                "no-say",
                chart(
                    "The status quo's coercion: persons with no say", "persons (this month)",
                    [("unheard_persons", "no say over an institution they support")], percent: false)
            ),
            ("gini", chart("Income inequality", "Gini coefficient", [("income_gini", "income Gini")], percent: false)),
            (
                "councils",
                chart(
                    "Communal councils and workers' councils", "share (%)",
                    [
                        ("council_coverage", "neighbourhoods with a communal council"),
                        ("workers_councils", "workplaces with a workers' council"),
                    ],
                    percent: true, range: (0, 100))
            ),
            (
                "firms",
                chart(
                    "Workplaces by route (open, staffed)", "workplaces",
                    [
                        ("firms_recovered", "recovered"), ("firms_comanaged", "co-managed"), ("firms_transferred", "transferred"),
                        ("firms_new", "founded by the movement"),
                    ], percent: false)
            ),
        ] + scenarioLevers()
            + (results.runs.isEmpty
                ? []
                : [
                    ("opposition", Comparison(paths: [Comparison.Path(name: results.scenarioName, runs: results.runs)]).oppositionChart())
                ])
    }

    /// Charts of what only some scenarios move, drawn when they move: state support, and owners
    /// expropriated on an axis of their own (beside the ledger's thousands they vanish).
    func scenarioLevers() -> [(String, String)] {
        func moves(_ column: String) -> Bool { bands[column]?.bands.contains { $0.p95 > 0 } ?? false }
        var out: [(String, String)] = []
        if moves("state_support") {
            out.append(("state", chart("State support L(t)", "L (0 = none)", [("state_support", "state support")], percent: false)))
        }
        if moves("workforce_federated") {
            out.append(
                (
                    "planning",
                    chart(
                        "Participatory planning", "share (%)",
                        [
                            ("workforce_federated", "workforce in federated workplaces"),
                            ("planned_share", "economy's exchange negotiated in the federation"),
                        ], percent: true, range: (0, 100))
                ))
            out.append(
                (
                    "federation-survival",
                    chart(
                        "Failures of worker-run workplaces (per month)", "workplaces",
                        [("failures", "all worker-run"), ("federated_failures", "federated")], percent: false)
                ))
        }
        if moves("owners_expropriated") {
            out.append(
                (
                    "expropriations",
                    chart(
                        "Owners expropriated (cumulative)", "owners",
                        [("owners_expropriated", "owners expropriated")], percent: false)
                ))
        }
        return out
    }

    /// bands.csv: every output column's mean and 5/50/95% band by month.
    public func bandsCSV() -> String {
        "column,month,mean,p5,p50,p95\n" + results.columns.compactMap { bands[$0]?.csvRows() }.joined(separator: "\n") + "\n"
    }

    public func markdown() -> String {
        let r = results
        var s = "# parecon-sim report: \(r.scenarioName)\n\n"
        s += "Result folder `\(r.folder)`; scenario sha256 `\(r.scenarioSHA256.prefix(16))…`; parecon-sim \(r.toolVersion); "
        s += "\(r.series.count) replicate\(r.series.count == 1 ? "" : "s") of \(r.persons) persons over \(r.months.last ?? 0) months.\n\n"
        let single = r.runs.count == 1
        s +=
            single
            ? "## Final values (one replicate: no interval)\n\n| quantity | value |\n|---|---|\n"
            : "## Final values (mean [5% – 95%])\n\n| quantity | value |\n|---|---|\n"
        func row(_ name: String, _ values: [Double], percent: Bool) {
            guard let b = Quantiles.band(values) else { return }
            let f = { (x: Double) in percent ? String(format: "%.1f%%", 100 * x) : String(format: "%.1f", x) }
            s += single ? "| \(name) | \(f(b.mean)) |\n" : "| \(name) | \(f(b.mean)) [\(f(b.p5)) – \(f(b.p95))] |\n"
        }
        row("workforce with BJC", r.runs.map(\.finalBJC), percent: true)
        row("workforce with equitable pay", r.runs.map(\.finalPay), percent: true)
        row("workforce with both", r.runs.map(\.finalBoth), percent: true)
        row("persons overruled", r.runs.map(\.overruledDistinct), percent: false)
        row("persons who left", r.runs.map(\.exits), percent: false)
        row("owners expropriated", r.runs.map(\.ownersExpropriated), percent: false)
        for (j, label) in CoercionLedger.levelLabels.enumerated() {
            row("persons adopted over per 1,000, \(label)", r.runs.map { $0.adoptedOverPerThousand[j] }, percent: false)
        }
        row("status quo: jobs lost to workplace failures per 1,000", r.runs.map(\.jobsLostPerThousand), percent: false)
        row(
            "status quo: persons with no say over an institution they support per 1,000 (mean)", r.runs.map(\.unheardPerThousand),
            percent: false)
        let path = Comparison.Path(name: r.scenarioName, runs: r.runs)
        s +=
            "| persons adopted over while leaning against (u < 0) per 1,000 under BJC or pay at the end | "
            + (path.oppositionPerAdopted.map { String(format: "%.0f", $0) } ?? "– (nothing adopted)") + " |\n"
        s += String(
            format: "| coercion-free runs (nobody with u < 0 adopted over, no owner expropriated) | %.0f%% (with %.1f%% of the workforce under BJC or pay) |\n",
            100 * Double(r.runs.filter(\.coercionFree).count) / Double(max(r.runs.count, 1)), 100 * path.adopted)
        s += "\n## Time to 50% of the workforce (Kaplan–Meier, runs that never got there censored at their last month)\n\n"
        s += "| institution | reached in | median [95% CI] |\n|---|---|---|\n"
        for (name, months) in [("BJC", r.runs.map(\.monthsTo50BJC)), ("equitable pay", r.runs.map(\.monthsTo50Pay))] {
            let curve = SurvivalCurve(reached: months, observedUntil: r.runs.map(\.finalMonth))
            let share = String(format: "%.0f%% of runs", 100 * Double(months.compactMap { $0 }.count) / Double(max(months.count, 1)))
            s += "| \(name) | \(share) | \(curve.medianText()) |\n"
        }
        if !r.runs.isEmpty {
            s += "\nProbability of having reached 50% BJC by year:\n\n"
            s += Comparison(paths: [Comparison.Path(name: r.scenarioName, runs: r.runs)]).reachedTable()
        }
        s += "\n## Fitted diffusion curves (to the mean workforce share)\n\n"
        s +=
            "| institution | logistic midpoint (years) | logistic steepness (1/year) | logistic ceiling | logistic R² | Bass p (1/month) | Bass q (1/month) | Bass ceiling | Bass R² |\n"
        s += "|---|---|---|---|---|---|---|---|---|\n"
        for (c, name) in [("workforce_bjc", "BJC"), ("workforce_pay", "equitable pay")] {
            let l = logistic[c], b = bass[c]
            s +=
                "| \(name) | "
                + (l.map { String(format: "%.1f | %.3f | %.3f | %.4f", $0.midpoint / 12, $0.steepness * 12, $0.ceiling, $0.rSquared) }
                    ?? "— | — | — | —")
            s +=
                " | " + (b.map { String(format: "%.5f | %.4f | %.3f | %.4f", $0.p, $0.q, $0.ceiling, $0.rSquared) } ?? "— | — | — | —")
                + " |\n"
        }
        s += parameterSection()
        s += "\n## Charts\n\n"
        for (stem, _) in charts() { s += "![\(stem)](\(stem).svg)\n\n" }
        s += "Bands: 5–95% of replicates around the mean. All curves month by month: `bands.csv`.\n"
        return s
    }

    /// The parameters that produced these results where they differ from the defaults (all of
    /// them: the folder's scenario.yaml).
    func parameterSection() -> String {
        guard let loaded = try? ScenarioLoader.load(path: results.folder + "/" + ResultFolder.scenarioFile) else { return "" }
        let defaults = Scenario()
        var s = "\n## Parameters that differ from the defaults\n\n"
        let differing = ScenarioSchema.parameters.filter { $0.path != "name" && $0.render(loaded.scenario) != $0.render(defaults) }
        if differing.isEmpty { return s + "None: every parameter has its default (see `scenario.yaml`).\n" }
        s += "| parameter | value | default |\n|---|---|---|\n"
        func cut(_ text: String) -> String { text.count > 60 ? String(text.prefix(57)) + "…" : text }
        for p in differing { s += "| `\(p.path)` | \(cut(p.render(loaded.scenario))) | \(cut(p.render(defaults))) |\n" }
        return s + "\nEvery value: `scenario.yaml` in the result folder.\n"
    }

    /// A self-contained HTML page: the tables and the SVG charts inline.
    public func html() -> String {
        HTMLPage.render(title: "parecon-sim report: \(results.scenarioName)", markdown: markdown(), charts: charts().map(\.1))
    }
}
