import Dispatch
import Foundation
import TransitionModel

/// A short digest of what the model does: every shipped scenario run once, small, on fixed
/// seeds, month by month. Two builds with the same fingerprint give the same runs of every
/// shipped scenario at that size; a change to a mechanism, a default or a shipped scenario that
/// alters any number of any month changes it.
///
/// Generated documents (docs/ROBUSTNESS.md, the tables of docs/FINDINGS.md, calibration reports) record
/// the fingerprint of the model that made them, so a test can tell a document made by an older
/// model from a current one. A refactoring that changes no number keeps the fingerprint, so it
/// does not make documents stale.
public enum ModelFingerprint {
    /// The size every scenario is run at.
    public static let persons = 2_000

    /// The digest (16 hexadecimal digits) of `scenarios`, in the order given, each run once
    /// (replicate 0) at ``persons`` persons over its own horizon.
    public static func digest(
        of scenarios: [(name: String, loaded: LoadedScenario)], threads: Int
    ) throws(ScenarioError) -> String {
        var built: [Scenario] = []
        for (_, loaded) in scenarios {
            var s = loaded.scenario
            var issues: [ScenarioIssue] = []
            ScenarioLoader.applyOverrides(["population.persons=\(persons)"], to: &s, issues: &issues)
            if issues.isEmpty { issues = ScenarioLoader.crossChecks(s, file: "") }
            if !issues.isEmpty { throw ScenarioError(issues) }
            built.append(s)
        }
        let runs = built
        let texts = ResultSlots<String>(count: runs.count)
        let next = TicketCounter()
        DispatchQueue.concurrentPerform(iterations: max(1, min(threads, runs.count))) { _ in
            while let j = next.take(below: runs.count) {
                let series = LivenessStudy.monthByMonth(runs[j], replicate: 0)
                let rows = series.map { m in
                    "\(m.month)," + MetricsRecord.columns.map { formatValue($0.value(m), count: $0.isCount) }.joined(separator: ",")
                }
                texts.store(j, .success(rows.joined(separator: "\n")))
            }
        }
        var material = "columns " + MetricsRecord.columns.map(\.name).joined(separator: ",") + "\n"
        for (j, slot) in texts.all().enumerated() {
            guard case .success(let text)? = slot else { continue }
            material += "scenario \(scenarios[j].name)\n\(text)\n"
        }
        return String(ScenarioLoader.sha256(material).prefix(16))
    }

    /// The shipped scenarios of `folder` (not sweep or calibration files), by name.
    public static func shipped(in folder: String) throws(ScenarioError) -> [(name: String, loaded: LoadedScenario)] {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasSuffix(".yaml") && !$0.hasPrefix("sweep-") && !$0.hasPrefix("calibrate-") }.sorted()
        var out: [(name: String, loaded: LoadedScenario)] = []
        for f in files { out.append((f, try ScenarioLoader.load(path: folder + "/" + f))) }
        return out
    }
}
