import Experiments
import Foundation

/// The report of a calibration: what was fitted to what, the posterior against the prior,
/// how the sampler went, and the data drawn over the posterior predictive bands, with the
/// coverage of held-out points stated whatever it is.
public struct CalibrationReport {
    public var calibration: Calibration
    public var state: Calibration.State
    public var summaries: [PosteriorSummary]
    public var predictive: [PredictivePoint]

    public init(calibration: Calibration, state: Calibration.State, summaries: [PosteriorSummary], predictive: [PredictivePoint]) {
        self.calibration = calibration; self.state = state; self.summaries = summaries; self.predictive = predictive
    }

    /// The share of points whose observed value lies in the 5–95% predictive band, for fitted
    /// or held-out points; nil when there are none.
    public func coverage(heldOut: Bool) -> (inside: Int, of: Int)? {
        let points = predictive.filter { $0.point.heldOut == heldOut }
        return points.isEmpty ? nil : (points.filter(\.inside).count, points.count)
    }

    /// A chart per observed series: file name → SVG.
    public func charts() -> [(name: String, svg: String)] {
        let file = calibration.file
        let names = Self.chartNames(file.series.map(\.name))
        return zip(file.series, names).map { series, name in
            let points = predictive.filter { $0.point.series == series.name }
            let start = file.site(ofSeries: series.name)?.start ?? file.start
            let startYear = Int(start.prefix(4)) ?? 0, startMonth = (Int(start.suffix(2)) ?? 1) - 1
            func year(_ p: ObservedPoint) -> Double { Double(startYear) + (Double(startMonth) + Double(p.month)) / 12 }
            var chart = SVGChart(
                title: "\(series.name): data and posterior predictive", xLabel: "year",
                yLabel: series.model.column + (series.model.bound == .none ? "" : " (\(series.model.bound.rawValue) bound)"))
            chart.width = 720
            let svg = chart.predictive(
                x: points.map { year($0.point) }, low: points.map(\.p5), median: points.map(\.p50),
                high: points.map(\.p95),
                observed: points.map { (year($0.point), $0.point.value, $0.point.heldOut) })
            return (name, svg)
        }
    }

    /// One file name per series, `predictive-NAME.svg`; names that clean to the same file
    /// ("x/y" and "x,y") are told apart by a number, so that no chart overwrites another.
    static func chartNames(_ series: [String]) -> [String] {
        var used = Set<String>()
        return series.map { name in
            let stem = "predictive-" + safeName(name)
            var candidate = stem + ".svg", k = 2
            while used.contains(candidate) { candidate = stem + "-\(k).svg"; k += 1 }
            used.insert(candidate)
            return candidate
        }
    }

    /// Three significant digits: posterior and predictive figures carry no more precision.
    func g3(_ x: Double) -> String { String(format: "%.3g", x) }

    static func safeName(_ s: String) -> String {
        String(s.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" })
    }

    /// Whether the sampler converged: the tolerance's fall per generation (it should flatten)
    /// and the effective sample size of the last generation.
    func convergence() -> String {
        let g = state.generations.filter { $0.epsilon.isFinite }
        guard g.count >= 2 else { return "Convergence: fewer than two generations with a tolerance; nothing to judge.\n\n" }
        let falls = zip(g, g.dropFirst()).map { 1 - $1.epsilon / $0.epsilon }
        let last = state.generations.last!
        var s = "Convergence: the tolerance fell by " + falls.map { String(format: "%.0f%%", 100 * $0) }.joined(separator: ", ")
        s += " from one generation to the next"
        // Flattening: the last fall is under half the first (a sampler still cutting ε by the
        // same share each generation has not converged).
        let flattening = falls.count >= 2 && falls.last! < 0.5 * falls.first!
        s += flattening ? " (flattening)" : " (not flattening: more generations would still move the posterior)"
        s += String(format: "; the last generation's effective sample size is %.0f of %d particles.\n\n", last.effectiveSampleSize, last.particles.count)
        return s
    }

    public func markdown() -> String {
        let file = calibration.file
        let g = state.generations.last!
        var s = "# Calibration: \(file.name)\n\n"
        func economy(_ site: CalibrationFile.Site) -> String {
            var e =
                "`\(site.base.scenario.name)` (\(site.base.scenario.population.persons) persons, \(site.base.scenario.horizon) months from \(site.start))"
            if !site.fixedOverrides.isEmpty { e += ", fixed: " + site.fixedOverrides.map { "`\($0)`" }.joined(separator: ", ") }
            return e
        }
        if file.isMultiSite {
            s += "Sites, each simulated for every particle (one distance over all their observations):\n\n"
            for site in file.sites {
                s += "- **\(site.name)**: \(economy(site)); observes " + site.series.map { "`\($0.name)`" }.joined(separator: ", ") + "\n"
            }
            s += "\n"
        } else {
            s += "Base scenario " + economy(file.sites[0])
        }
        s += (file.isMultiSite ? "" : ". ") + "ABC-SMC with \(file.settings.particles) particles"
            + (file.settings.covariance == .diagonal ? "" : " (\(file.settings.covariance.rawValue) covariance kernel)")
            + ", \(file.replicates) replicate(s) per particle; "
        s +=
            "stopped after generation \(g.index) (\(state.stop?.rawValue ?? "not finished")), tolerance ε = \(String(format: "%.3g", g.epsilon)) "
        s += "(root mean square of standardised residuals over the fitted points).\n\n"
        s +=
            "## Posterior\n\n| parameter | prior | posterior median | 90% interval | interval / prior width | mass within 5% of a bound |\n|---|---|---|---|---|---|\n"
        for p in summaries {
            s +=
                "| `\(p.path)` | \(p.prior.shape.rawValue) [\(short(p.prior.from)), \(short(p.prior.to))] | \(g3(p.median)) | \(g3(p.p5)) – \(g3(p.p95)) | \(String(format: "%.2f", p.widthShare)) | "
                + String(format: "%.2f", p.massNearBounds) + (p.pilesAgainstBound ? " **piles against a bound**" : "") + " |\n"
        }
        s += "\nA width near 1 means the data say little about that parameter: its posterior is close to its prior. "
        s += "A flat posterior puts 0.10 of its weight within 5% of the bounds; more than 0.20 is flagged: there the prior's bound, not the data, decides the value"
        let piled = summaries.filter(\.pilesAgainstBound).map { "`\($0.path)`" }
        s += piled.isEmpty ? " (none is).\n\n" : " (" + piled.joined(separator: ", ") + ").\n\n"
        s += convergence()
        s += "## Data and posterior predictive\n\n"
        s +=
            "Bands: 5–95% of what the data would show (the model at \(predictive.isEmpty ? 0 : file.predictiveDraws) posterior draws, one run each, plus the measurement error of the observation model; bounds get no error).\n\n"
        s += "| series | date | observed | held out | predictive 5% | median | 95% | inside |\n|---|---|---|---|---|---|---|---|\n"
        for p in predictive {
            s +=
                "| \(p.point.series) | \(p.point.date) | \(short(p.point.value)) | \(p.point.heldOut ? "yes" : "") | \(g3(p.p5)) | \(g3(p.p50)) | \(g3(p.p95)) | \(p.inside ? "yes" : "**no**") |\n"
        }
        for (held, word) in [(false, "Fitted"), (true, "Held-out")] {
            if let c = coverage(heldOut: held) {
                s += "\n\(word) points inside their 90% band (a bound: respected by the predictive median): \(c.inside) of \(c.of)."
            }
        }
        s += "\n\n"
        for c in charts() { s += "![\(c.name)](\(c.name))\n\n" }
        s +=
            "## Observation model\n\n| series | data | model column | scale | active share | error | bound |\n|---|---|---|---|---|---|---|\n"
        for series in file.series {
            let m = series.model
            let scale: String
            switch m.scale {
            case .perPersons(let n): scale = "count × \(short(n)) / persons"
            case .share(let n): scale = n == 1 ? "share" : "share × \(short(n))"
            }
            s +=
                "| \(series.name) | \(URL(fileURLWithPath: series.dataFile).lastPathComponent) | `\(m.column)` | \(scale) | \(short(m.activeShare)) | \(short(m.relativeError)) × observed + \(short(m.absoluteError)) | \(m.bound.rawValue) |\n"
        }
        // Each site's rows before its own month 0.
        let early = file.sites.map { site in (site, site.series.reduce(0) { $0 + $1.rowsBeforeStart }) }.filter { $0.1 > 0 }
        if !early.isEmpty {
            let parts = early.map { site, n in "\(n) dated before \(site.start)" + (site.name.isEmpty ? "" : " (\(site.name))") }
            s += "\nData rows kept in the data files but not fitted, being before the model's month 0: \(parts.joined(separator: ", ")).\n"
        }
        s += "\n## Sampler\n\n| generation | ε | simulations | acceptance | effective sample size | seconds |\n|---|---|---|---|---|---|\n"
        for g in state.generations {
            s +=
                "| \(g.index) | \(g.epsilon.isInfinite ? "∞" : String(format: "%.3g", g.epsilon)) | \(g.simulations) | \(String(format: "%.3f", g.acceptance)) | \(String(format: "%.1f", g.effectiveSampleSize)) | \(String(format: "%.1f", g.seconds)) |\n"
        }
        s +=
            "\nFiles: `posterior.csv` (particles, weights), `posterior-sample.csv` and `posterior-sweep.yaml` (an equal-weight sample as a sweep design, for `compare --uncertainty`), `calibrated.yaml` (the base scenario at the posterior medians), `predictive.csv`, `diagnostics.csv`.\n"
        return s
    }
}
