import Foundation
import Testing
@testable import Experiments
@testable import TransitionModel

let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let scenariosFolder = packageRoot.appendingPathComponent("Scenarios")

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
        for required in ["baseline", "venezuela-councils", "consensus-only", "supermajority", "majority", "prefigurative",
                         "state-led", "p2p-alliance", "backlash", "argentina-recovered"] {
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

    @Test func extendsCyclesAreDetected() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cycle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
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
