import Foundation
import Testing
import TestSupport

/// Exact-output tests: what users read, compared with the recorded text in Snapshots/. A change
/// of wording or of the model's numbers shows here as a diff; re-record on purpose with
/// `UPDATE_SNAPSHOTS=1 swift test --filter SnapshotTests` and review the diff.
@Suite("Exact output")
struct SnapshotTests {
    static let folder = packageRoot.appendingPathComponent("Tests/EndToEndTests/Snapshots")

    func expectSnapshot(_ text: String, named name: String) throws {
        let file = Self.folder.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["UPDATE_SNAPSHOTS"] == "1" {
            try text.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        let recorded = try String(contentsOf: file, encoding: .utf8)
        guard recorded != text else { return }
        let a = recorded.split(separator: "\n", omittingEmptySubsequences: false),
            b = text.split(separator: "\n", omittingEmptySubsequences: false)
        let first = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
        Issue.record(
            """
            \(name) differs from the recorded output at line \(first + 1):
              recorded: \(first < a.count ? String(a[first]) : "(end)")
              now:      \(first < b.count ? String(b[first]) : "(end)")
            (UPDATE_SNAPSHOTS=1 re-records it)
            """)
    }

    @Test func theRunSummary() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try tool(["run", "--set", "population.persons=2000", "--set", "horizon=24", "-r", "2", "--out", dir.path, "-q"])
        #expect(r.status == 0, "\(r.err)")
        try expectSnapshot(r.out.replacingOccurrences(of: dir.path, with: "OUT"), named: "run-summary.txt")
    }

    @Test(arguments: [["--help"], ["run", "--help"], ["serve", "--help"], ["compare", "--help"]])
    func helpText(command: [String]) throws {
        let r = try tool(command, environment: ["COLUMNS": "100"])
        #expect(r.status == 0)
        // Defaults that depend on the machine (the core count) are not part of the snapshot.
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let text = r.out.replacingOccurrences(of: "(default: \(cores))", with: "(default: CORES)")
        try expectSnapshot(text, named: "help-" + (command.count > 1 ? command[0] : "main") + ".txt")
    }
}
