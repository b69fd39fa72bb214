import Foundation
import Testing
import TestSupport
@testable import Experiments
@testable import TransitionModel

func shippedScenarios() -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: scenariosFolder.path)) ?? [])
        .filter { $0.hasSuffix(".yaml") && !$0.hasPrefix("sweep") && !$0.hasPrefix("calibrate") }.sorted()
}

/// The shipped calibration files (Scenarios/calibrate-*.yaml).
func shippedCalibrations() -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: scenariosFolder.path)) ?? [])
        .filter { $0.hasSuffix(".yaml") && $0.hasPrefix("calibrate") }.sorted()
}

@Suite("Scenario files: library, composition, resolution")
struct ScenarioFileTests {
    @Test func libraryHoldsTheScenariosOfTheDesign() {
        let names = Set(shippedScenarios())
        for required in [
            "baseline", "venezuela-councils", "consensus-only", "supermajority", "majority", "prefigurative",
            "state-led", "p2p-alliance", "backlash", "argentina-recovered",
        ] {
            #expect(names.contains(required + ".yaml"), "missing Scenarios/\(required).yaml")
        }
    }

    @Test(arguments: shippedScenarios())
    func shippedScenarioChecksAndRunsAShortHorizon(_ name: String) throws {
        let path = scenariosFolder.appendingPathComponent(name).path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("#"), "\(name) must start with a comment saying what question it answers")
        let loaded = try ScenarioLoader.load(path: path, overrides: ["population.persons=1500", "horizon=24"])
        let summary = try Simulation(scenario: loaded.scenario, seed: 1).run()
        #expect(summary.final.month == 24)
    }

    @Test func extendsOverridesOnlyWhatDiffers() throws {
        let loaded = try ScenarioLoader.load(path: scenariosFolder.appendingPathComponent("majority.yaml").path)
        var expected = Scenario()
        expected.name = "majority"
        expected.voting.rule = .majority
        #expect(loaded.scenario == expected)
    }

    /// A burn-in given beside `initial: rule` applies, wherever it stands among many other keys,
    /// even when a base file fixed the initial share; a burn-in that can have no effect is refused.
    @Test func aBurnInBesideInitialRuleIsKeptWhateverTheOrder() throws {
        let dir = try temporaryFolder("burn")
        defer { try? FileManager.default.removeItem(at: dir) }
        try "opinion:\n  initial: 0.3\n".write(to: dir.appendingPathComponent("base.yaml"), atomically: true, encoding: .utf8)
        // burn_in first, then 30 other keys, then initial: an order a comparator sort could leave alone.
        let others = [
            "beta: 1.1", "revision_rate: 0.2", "w_solidarity: 0.5", "w_movement: 0.2", "coupling: 0.5", "w_demonstration: 0.2",
            "w_disruption: 0.9", "w_experience: 0.3", "w_self: 0.1", "w_pay_stake: 0.9", "workplace_weight: 0.4",
            "reach_base: 0.4", "reach_council: 0.9", "aversion_a: 2.5", "aversion_b: 2.5",
        ]
        let child = "extends: base.yaml\nopinion:\n  burn_in: 5\n" + others.map { "  " + $0 + "\n" }.joined() + "  initial: rule\n"
        try child.write(to: dir.appendingPathComponent("child.yaml"), atomically: true, encoding: .utf8)
        let loaded = try ScenarioLoader.load(path: dir.appendingPathComponent("child.yaml").path)
        #expect(loaded.scenario.opinion.initial == .rule(burnIn: 5))
        let set = try ScenarioLoader.load(
            path: dir.appendingPathComponent("base.yaml").path,
            overrides: ["opinion.burn_in=7", "opinion.initial=rule"])
        #expect(set.scenario.opinion.initial == .rule(burnIn: 7), "--set applies initial first too")
        do {
            _ = try ScenarioLoader.load(path: dir.appendingPathComponent("base.yaml").path, overrides: ["opinion.burn_in=7"])
            Issue.record("a burn-in on a fixed initial share must be refused, not dropped")
        } catch { #expect(error.description.contains("opinion.burn_in: has no effect")) }
    }

    @Test func sortitionReadsAndRoundTrips() throws {
        #expect(try ScenarioLoader.load(text: "voting:\n  rule: sortition\n").scenario.voting.rule == .sortition(panel: 15))
        let seven = try ScenarioLoader.load(text: "voting:\n  rule: {sortition: 7}\n")
        #expect(seven.scenario.voting.rule == .sortition(panel: 7))
        #expect(try ScenarioLoader.load(text: seven.resolvedYAML).sha256 == seven.sha256)
        #expect(try ScenarioLoader.defaults(overrides: ["voting.rule={sortition: 9}"]).scenario.voting.rule == .sortition(panel: 9))
    }

    @Test func oneNumberOfAPairCanBeMovedAlone() throws {
        let moved = try ScenarioLoader.defaults(overrides: ["opinion.field_coordinator.bjc=-1.3"]).scenario
        #expect(moved.opinion.fieldCoordinator == [-1.3, Scenario().opinion.fieldCoordinator[1]])
        let pay = try ScenarioLoader.defaults(overrides: ["opinion.field_worker.pay=0.25"]).scenario
        #expect(pay.opinion.fieldWorker == [Scenario().opinion.fieldWorker[0], 0.25])
        #expect { try ScenarioLoader.defaults(overrides: ["opinion.field_coordinator.bjc=-25"]) } throws: {
            "\($0)".contains("opinion.field_coordinator.bjc")
        }
        // A file names the pair, never one half of it; params lists the pair only.
        #expect(!ScenarioSchema.parameters.contains { $0.path == "opinion.field_coordinator.bjc" })
        #expect { try ScenarioLoader.load(text: "opinion:\n  field_coordinator: {bjc: -1}\n") } throws: {
            "\($0)".contains("opinion.field_coordinator")
        }
    }

    @Test func extendsCyclesAreDetected() throws {
        let dir = try temporaryFolder("cycle")
        defer { try? FileManager.default.removeItem(at: dir) }
        try "extends: b.yaml\n".write(to: dir.appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)
        try "extends: a.yaml\n".write(to: dir.appendingPathComponent("b.yaml"), atomically: true, encoding: .utf8)
        do {
            _ = try ScenarioLoader.load(path: dir.appendingPathComponent("a.yaml").path)
            Issue.record("a cycle was accepted")
        } catch {
            #expect(error.description.contains("cycle") && error.description.contains("a.yaml → b.yaml → a.yaml"))
        }
    }

    @Test func venezuelaRolloutComesFromTheDataFile() throws {
        let loaded = try ScenarioLoader.load(path: scenariosFolder.appendingPathComponent("venezuela-councils.yaml").path)
        guard case let .table(points, total) = loaded.scenario.councils.rollout else {
            Issue.record("expected a table rollout"); return
        }
        #expect(total == 50_000)
        #expect(points.first { $0.month == 8 }?.count == 16_000)
        #expect(points.last?.count == 49_183)
    }

    /// A count table is read like every other CSV: a quoted source keeps its commas, comment
    /// and blank lines are skipped, and a message names the file's own line.
    @Test func countTablesHonourQuotingAndNameTheirLines() throws {
        let dir = try temporaryFolder("table")
        defer { try? FileManager.default.removeItem(at: dir) }
        try "councils:\n  rollout: {table_file: t.csv, total: 100}\n".write(
            to: dir.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
        func load(_ csv: String) throws -> Scenario {
            try csv.write(to: dir.appendingPathComponent("t.csv"), atomically: true, encoding: .utf8)
            return try ScenarioLoader.load(path: dir.appendingPathComponent("s.yaml").path).scenario
        }
        let s = try load("month,count,source\n# from the ministry\n0,0,start\n\n12,40,\"about 40, press\nreports\"\n")
        guard case let .table(points, _) = s.councils.rollout else { Issue.record("expected a table"); return }
        #expect(points.map(\.month) == [0, 12] && points.map(\.count) == [0, 40])
        #expect { try load("month,count\n0,0\n\n5,x\n") } throws: { "\($0)".contains("t.csv:4: expected a month") }
        #expect { try load("month,count\n0,0\n7,3\n7,4\n") } throws: { "\($0)".contains("t.csv:4: months must increase (7 follows 7)") }
        #expect { try load("month,count\n0,\"3\n") } throws: { "\($0)".contains("t.csv:2: a quoted cell is never closed") }
        // A count above the total would cap coverage at 100% unseen: refused, at the total's line.
        #expect { try load("month,count\n0,0\n12,140\n") } throws: {
            "\($0)".contains("s.yaml:2:") && "\($0)".contains("total 100 is below the table's count 140 at month 12")
        }
    }

    @Test func resolvedScenarioRoundTrips() throws {
        for name in shippedScenarios() {
            let loaded = try ScenarioLoader.load(path: scenariosFolder.appendingPathComponent(name).path)
            let again = try ScenarioLoader.load(text: loaded.resolvedYAML, file: "resolved.yaml")
            #expect(again.scenario == loaded.scenario, "\(name)")
            #expect(again.sha256 == loaded.sha256)
        }
    }

    @Test func scenariosReferenceIsNotStale() throws {
        let doc = try String(contentsOf: packageRoot.appendingPathComponent("docs/SCENARIOS.md"), encoding: .utf8)
        #expect(doc == ScenarioReference.markdown(), "docs/SCENARIOS.md is stale: run `parecon-sim params --markdown > docs/SCENARIOS.md`")
        let outputs = try String(contentsOf: packageRoot.appendingPathComponent("docs/OUTPUTS.md"), encoding: .utf8)
        #expect(outputs == OutputReference.markdown(), "docs/OUTPUTS.md is stale: run `parecon-sim params --outputs > docs/OUTPUTS.md`")
    }

    @Test func everyParameterIsDocumentedInModelDoc() throws {
        let doc = try String(contentsOf: packageRoot.appendingPathComponent("docs/MODEL.md"), encoding: .utf8)
        for spec in ScenarioSchema.parameters {
            #expect(doc.contains("`\(spec.path)`"), "docs/MODEL.md does not mention \(spec.path)")
        }
    }
}
