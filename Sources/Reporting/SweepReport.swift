import Experiments
import Foundation

/// A sweep's points side by side (final adoption, time to 50% as survival, the opposition
/// measure, Pareto front of adoption against opposition across points), from its database.
public struct SweepReport {
    public var provenance: SweepProvenance
    public var points: [SweepDatabase.PointRuns]

    public init(provenance: SweepProvenance, points: [SweepDatabase.PointRuns]) {
        self.provenance = provenance; self.points = points
    }

    /// Points with at least one successful run, as compared paths named "P3 rule=majority …".
    var comparison: Comparison? {
        let usable = points.filter { !$0.runs.isEmpty }
        guard !usable.isEmpty else { return nil }
        return Comparison(paths: usable.map { Comparison.Path(name: Self.label($0), runs: $0.runs) })
    }

    /// "P3 rule=majority beta=0.8": the point and its values under the last part of each key.
    static func label(_ p: SweepDatabase.PointRuns) -> String {
        (["P\(p.point)"] + p.values.map { "\($0.key.split(separator: ".").last ?? "")=\($0.value)" }).joined(separator: " ")
    }

    public func markdown() -> String {
        var s = "# Sweep \(provenance.sha256.prefix(12))\n\n"
        s += "\(provenance.tool.label); design \(provenance.design), \(provenance.points) points × \(provenance.replicates) "
        s += "replicate\(provenance.replicates == 1 ? "" : "s"); hosts \(provenance.hosts); started \(provenance.started)"
        s +=
            provenance.isComplete
            ? ", finished \(provenance.lastRunFinished ?? "?").\n\n"
            : "; **not finished: \(provenance.pointsRecorded) of \(provenance.points) points recorded**.\n\n"
        let failed = points.filter { $0.failed > 0 }
        if !failed.isEmpty {
            s +=
                "Failed runs (status `failed` in table runs): " + failed.map { "P\($0.point) (\($0.failed))" }.joined(separator: ", ")
                + ".\n\n"
        }
        guard let comparison else { return s + "No point has a successful run yet.\n" }
        s += "Parameters: " + provenance.parameters.map { "`\($0)`" }.joined(separator: ", ") + ". "
        s += "\"both adopted\": final workforce share with both institutions, mean [5–95%] over the point's runs; "
        s += "\"opposed adopted over\": persons who had an institution adopted over them while leaning against it (u < 0), per 1,000; "
        s += "\"Pareto\": on the front of adoption (higher) against that opposition (lower) across points.\n\n"
        return s + comparison.table(heading: "point")
            + "\nBoth sides of the coercion argument, by the same rules at every point (status quo: jobs lost to "
            + "workplace failures, and persons with no say over an institution they support, mean per month):\n\n"
            + comparison.bothSidesTable(heading: "point")
    }

    /// Adoption against opposition, one mark per point (labelled P1, P2, …).
    public func chart() -> String? {
        let usable = points.filter { !$0.runs.isEmpty }
        guard !usable.isEmpty else { return nil }
        return Comparison(paths: usable.map { Comparison.Path(name: "P\($0.point)", runs: $0.runs) }).chart(keys: usable.map(Self.label))
    }

    /// The shape of the design, which decides the chart: what a reader asks of a one-parameter
    /// sweep is "outcome against the value", of a two-parameter grid "where is it high".
    public enum Shape: Equatable {
        case oneNumber(String)
        case twoNumbers(String, String)
        case other
    }

    /// The parameters that vary across the points with runs, and whether their values are numbers.
    public var shape: Shape {
        let usable = points.filter { !$0.runs.isEmpty }
        let varying = provenance.parameters.filter { key in
            Set(usable.map { p in p.values.first { $0.key == key }?.value ?? "" }).count > 1
        }
        func numeric(_ key: String) -> Bool {
            usable.allSatisfy { p in p.values.first { $0.key == key }.flatMap { Double($0.value) } != nil }
        }
        if varying.count == 1, numeric(varying[0]) { return .oneNumber(varying[0]) }
        if varying.count == 2, numeric(varying[0]), numeric(varying[1]) {
            let cells = Set(usable.map { p in varying.map { key in p.values.first { $0.key == key }!.value } })
            if cells.count == usable.count { return .twoNumbers(varying[0], varying[1]) }
        }
        return .other
    }

    /// The charts the design calls for, by file suffix: outcome against the parameter (one
    /// numeric parameter), a heatmap (two), and always the points' adoption against opposition.
    public func charts() -> [(suffix: String, svg: String)] {
        let usable = points.filter { !$0.runs.isEmpty }
        guard !usable.isEmpty else { return [] }
        var out: [(String, String)] = []
        func value(_ p: SweepDatabase.PointRuns, _ key: String) -> Double { Double(p.values.first { $0.key == key }!.value)! }
        switch shape {
        case .oneNumber(let key):
            let sorted = usable.sorted { value($0, key) < value($1, key) }
            let x = sorted.map { value($0, key) }
            let many = sorted.contains { $0.runs.count > 1 }
            func series(_ label: String, _ colour: String, band: Bool, _ f: (RunRow) -> Double) -> SVGChart.Series {
                let bands = sorted.map { Quantiles.band($0.runs.map(f))! }
                return SVGChart.Series(
                    label: label, x: x, y: bands.map(\.mean), low: band && many ? bands.map(\.p5) : nil,
                    high: band && many ? bands.map(\.p95) : nil, colour: colour)
            }
            let adoption = SVGChart(title: "Final adoption against \(key)", xLabel: key, yLabel: "final workforce share (%)")
                .lines(
                    [
                        series("both", RunReport.institutionColours[2], band: true) { 100 * $0.finalBoth },
                        series("BJC", RunReport.institutionColours[0], band: false) { 100 * $0.finalBJC },
                        series("equitable pay", RunReport.institutionColours[1], band: false) { 100 * $0.finalPay },
                    ], yRange: (0, 100))
            out.append(("outcome", adoption))
            let opposition = SVGChart(title: "Opposition against \(key)", xLabel: key, yLabel: "persons per 1,000")
                .lines([
                    series("adopted over while leaning against (u < 0)", SVGChart.palette[1], band: true) { $0.oppositionPerThousand },
                    series("owners expropriated", SVGChart.palette[5], band: false) { $0.ownersExpropriated },
                ])
            out.append(("opposition", opposition))
        case let .twoNumbers(a, b):
            let xs = Array(Set(usable.map { value($0, a) })).sorted(), ys = Array(Set(usable.map { value($0, b) })).sorted()
            var cells = Array(repeating: Array(repeating: Double?.none, count: ys.count), count: xs.count)
            for p in usable {
                cells[xs.firstIndex(of: value(p, a))!][ys.firstIndex(of: value(p, b))!] =
                    p.runs.map(\.finalBoth).reduce(0, +) / Double(p.runs.count)
            }
            var chart = SVGChart(title: "Final workforce share with both", xLabel: a, yLabel: b)
            chart.width = 760
            out.append(
                (
                    "heatmap",
                    chart.heatmap(
                        x: xs.map(short), y: ys.map(short), values: cells, valueLabel: "mean over replicates",
                        format: { String(format: "%.0f%%", 100 * $0) })
                ))
        case .other: break
        }
        if let scatter = chart() { out.append(("points", scatter)) }
        return out
    }

    /// A self-contained HTML page of the report with its charts inline.
    public func html() -> String {
        HTMLPage.render(title: "Sweep \(provenance.sha256.prefix(12))", markdown: markdown(), charts: charts().map(\.svg))
    }
}
