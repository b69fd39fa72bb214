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
        s += provenance.isComplete ? ", finished \(provenance.lastRunFinished ?? "?").\n\n"
                                   : "; **not finished: \(provenance.pointsRecorded) of \(provenance.points) points recorded**.\n\n"
        let failed = points.filter { $0.failed > 0 }
        if !failed.isEmpty {
            s += "Failed runs (status `failed` in table runs): " + failed.map { "P\($0.point) (\($0.failed))" }.joined(separator: ", ") + ".\n\n"
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
        return Comparison(paths: usable.map { Comparison.Path(name: "P\($0.point)", runs: $0.runs) }).chart()
    }
}
