import Foundation
import Testing
import TestSupport
@testable import Experiments
import TransitionModel

/// `compare --uncertainty` over a calibrated economy: every path is the design's economy with
/// its own levers, and every key of the design either changes a path's runs or is reported.
@Suite("Paths over a calibrated economy")
struct PathUncertaintyTests {
    /// A folder with an economy (crisis on, 1,500 persons), a path that extends a different
    /// file (400 persons, no crisis) and sets only its voting rule, and a design of two
    /// abandonment rates over the economy.
    func folder(crisis: Bool = true) throws -> URL {
        let dir = try temporaryFolder("paths-over")
        func put(_ name: String, _ text: String) throws {
            try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        try put("other.yaml", "population:\n  persons: 400\nhorizon: 12\n")
        try put(
            "economy.yaml",
            "name: economy\nhorizon: 48\npopulation:\n  persons: 1500\ncrisis:\n  enabled: \(crisis)\n  start: 0\n  duration: 36\n")
        try put("path.yaml", "extends: other.yaml\nname: a-path\nvoting:\n  rule: majority\n")
        try put("draws.csv", "crisis.abandon_rate\n0.00001\n0.08\n")
        try put("posterior.yaml", "sweep:\n  base: economy.yaml\n  design: csv\n  design_file: draws.csv\n  seed: 7\n")
        return dir
    }

    @Test func aPathIsTheEconomyWithItsOwnSettings() throws {
        let dir = try folder()
        let s = try ScenarioLoader.load(
            path: dir.appendingPathComponent("path.yaml").path, over: dir.appendingPathComponent("economy.yaml").path
        ).scenario
        #expect(s.population.persons == 1500, "the economy's size, not that of the file the path extends")
        #expect(s.horizon == 48)
        #expect(s.crisis.enabled)
        #expect(s.voting.rule == .majority, "the path's own lever")
        #expect(s.name == "a-path")
        // The economy itself, or a file it extends, adds nothing over it.
        let itself = try ScenarioLoader.load(
            path: dir.appendingPathComponent("economy.yaml").path, over: dir.appendingPathComponent("economy.yaml").path)
        #expect(itself.sha256 == (try ScenarioLoader.load(path: dir.appendingPathComponent("economy.yaml").path)).sha256)
    }

    @Test func aPosteriorOnlyKeyChangesTheResults() throws {
        let dir = try folder()
        let design = try SweepFile.load(path: dir.appendingPathComponent("posterior.yaml").path)
        let runs = try PathUncertainty.run(
            paths: [dir.appendingPathComponent("path.yaml").path], overrides: [], design: design, replicates: 2, threads: 2)
        let low = runs.cells[0][0].runs, high = runs.cells[0][1].runs
        #expect(low.map(\.persons) == [1500, 1500])
        let abandonedLow = low.map(\.final.firmsAbandoned).reduce(0, +)
        let abandonedHigh = high.map(\.final.firmsAbandoned).reduce(0, +)
        #expect(abandonedHigh > abandonedLow + 5, "a higher abandonment rate abandons more firms (\(abandonedLow) → \(abandonedHigh))")
        #expect(runs.inertKeys == [[]])
        #expect(PathUncertainty.runCount(paths: 1, design: design, replicates: 2) == 2 * 2 + 2)
    }

    /// A path whose own lever is also a key of the design does not run as written: reported.
    @Test func aLeverTheDrawsOverrideIsReported() throws {
        let dir = try folder()
        try "extends: other.yaml\nname: own-rate\ncrisis:\n  abandon_rate: 0.5\n"
            .write(to: dir.appendingPathComponent("own.yaml"), atomically: true, encoding: .utf8)
        let design = try SweepFile.load(path: dir.appendingPathComponent("posterior.yaml").path)
        let runs = try PathUncertainty.run(
            paths: [dir.appendingPathComponent("own.yaml").path, dir.appendingPathComponent("path.yaml").path],
            overrides: [], design: design, replicates: 1, threads: 2)
        #expect(runs.overriddenLevers == [["crisis.abandon_rate"], []])
    }

    @Test func aKeyDeadForAPathIsReported() throws {
        let dir = try folder(crisis: false)
        let design = try SweepFile.load(path: dir.appendingPathComponent("posterior.yaml").path)
        let runs = try PathUncertainty.run(
            paths: [dir.appendingPathComponent("path.yaml").path, dir.appendingPathComponent("economy.yaml").path],
            overrides: [], design: design, replicates: 1, threads: 2)
        #expect(runs.inertKeys == [["crisis.abandon_rate"], ["crisis.abandon_rate"]], "without a crisis the abandonment rate is dead")
    }
}
