import Foundation
import Testing
import TestSupport
@testable import Experiments
import TransitionModel
import Yams

@Suite("Sweep files")
struct SweepFileTests {
    func write(_ text: String) throws -> String {
        let dir = try temporaryFolder("sweep")
        try "population:\n  persons: 1000\n".write(to: dir.appendingPathComponent("base.yaml"), atomically: true, encoding: .utf8)
        let path = dir.appendingPathComponent("sweep.yaml")
        try text.write(to: path, atomically: true, encoding: .utf8)
        return path.path
    }

    /// What would be lost unseen is refused with the keys named: a point that sets a pair and
    /// its component, a --set on a component of a varied pair, a varied or --set seed (every
    /// run's seed comes from sweep.seed).
    @Test func overlappingKeysAndSeedsAreRefusedNotLost() throws {
        func problems(_ body: String, set: [String] = []) throws -> String {
            let path = try write("sweep:\n  base: base.yaml\n  replicates: 1\n" + body)
            do { _ = try SweepFile.load(path: path, baseOverrides: set); return "" } catch { return error.description }
        }
        let both = try problems(
            "  design: combinations\n  combinations:\n    - {opinion.field_worker.bjc: 5, opinion.field_worker: [0.1, -0.1]}\n    - {opinion.field_worker: [0.2, 0]}\n")
        #expect(both.contains("point 1 sets both opinion.field_worker.bjc and opinion.field_worker, which overlap"), "\(both)")
        #expect(!both.contains("point 2"))
        let half = try problems("  design: grid\n  parameters:\n    opinion.field_worker: [[0.1, -0.1], [0.2, 0]]\n", set: ["opinion.field_worker.bjc=5"])
        #expect(half.contains("--set") && half.contains("the sweep's design varies opinion.field_worker, which opinion.field_worker.bjc is part of"), "\(half)")
        let seed = try problems("  design: grid\n  parameters:\n    seed: [1, 2]\n")
        #expect(seed.contains("the design varies seed, which would change nothing"), "\(seed)")
        let setSeed = try problems("  design: grid\n  parameters:\n    opinion.beta: [1, 2]\n", set: ["seed=9"])
        #expect(setSeed.contains("a sweep seeds every run from its own sweep.seed"), "\(setSeed)")
        // Both halves of one pair do not overlap: varied together, they are fine.
        #expect(try problems("  design: grid\n  parameters:\n    opinion.field_worker.bjc: [1, 2]\n    opinion.field_worker.pay: [0, 1]\n") == "")
    }

    /// A symbolic link to a sweep file (or its base) is followed, not refused.
    @Test func aLinkToASweepFileIsFollowed() throws {
        let path = try write("sweep:\n  base: base.yaml\n  design: grid\n  replicates: 1\n  parameters:\n    opinion.beta: [1, 2]\n")
        let link = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("link.yaml").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: path)
        #expect(try SweepFile.load(path: link).points.count == 2)
    }

    @Test func aDesignWithARepeatedColumnIsRefused() throws {
        let path = try write("sweep:\n  base: base.yaml\n  design: csv\n  design_file: d.csv\n")
        try "opinion.beta,opinion.beta\n1,2\n".write(
            toFile: URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("d.csv").path,
            atomically: true, encoding: .utf8)
        do { _ = try SweepFile.load(path: path); Issue.record("a repeated column must be refused") } catch {
            #expect(error.description.contains("d.csv:1: column 'opinion.beta' appears twice"))
        }
    }

    /// Each design reads its own keys; a key another design reads is refused, not ignored
    /// (a grid given `samples:` would otherwise silently run every combination).
    @Test(arguments: [
        ("design: grid\n  samples: 4\n  parameters:\n    opinion.beta: [1, 2]\n", "a grid design does not read 'samples' (only latin-hypercube and saltelli)"),
        ("design: csv\n  design_file: d.csv\n  parameters:\n    opinion.beta: [1, 2]\n", "a csv design does not read 'parameters'"),
        ("design: latin-hypercube\n  samples: 3\n  combinations:\n    - {opinion.beta: 1}\n  parameters:\n    opinion.beta: [1, 2]\n",
         "does not read 'combinations' (only combinations)"),
        ("design: combinations\n  design_file: d.csv\n  combinations:\n    - {opinion.beta: 1}\n", "does not read 'design_file' (only csv)"),
    ])
    func aKeyOfAnotherDesignIsRefused(body: String, message: String) throws {
        let path = try write("sweep:\n  base: base.yaml\n  " + body)
        #expect { try SweepFile.load(path: path) } throws: { "\($0)".contains(message) }
    }

    /// Problems of the header and of the design are reported together, not one per attempt.
    @Test func headerAndDesignProblemsAreReportedTogether() throws {
        let path = try write("sweep:\n  base: base.yaml\n  replicates: 0\n  colour: red\n  parameters:\n    opinion.bta: [1, 2]\n")
        #expect { try SweepFile.load(path: path) } throws: { error in
            let text = "\(error)"
            return text.contains("sweep.replicates") && text.contains("sweep.colour") && text.contains("did you mean 'opinion.beta'")
        }
    }

    /// A point's bad value is reported beside the header's problems (not after they are fixed),
    /// and a key already reported as unknown is not reported again for every point.
    @Test func pointValuesAreCheckedBesideTheHeader() throws {
        let path = try write(
            "sweep:\n  base: base.yaml\n  replicates: 0\n  parameters:\n    voting.rule: [majority, bogus]\n    opinion.bta: [1, 2]\n")
        #expect { try SweepFile.load(path: path) } throws: { error in
            let text = "\(error)"
            let unknown = text.components(separatedBy: "did you mean 'opinion.beta'").count - 1
            return text.contains("sweep.replicates") && text.contains("point 2") && text.contains("found 'bogus'") && unknown == 1
        }
    }

    /// A listed value the scenario refuses is reported once, where it is written, with the
    /// points that use it; a point's combination that fails a cross-check is still named.
    @Test func aRefusedValueIsReportedOnceWhereItIsWritten() throws {
        let grid = try write(
            "sweep:\n  base: base.yaml\n  parameters:\n    voting.rule: [majority, bogus]\n    opinion.beta: [1, -3, 2]\n")
        do {
            _ = try SweepFile.load(path: grid)
            Issue.record("a grid with a bad value must be refused")
        } catch {
            let lines = "\(error)".split(separator: "\n").map(String.init)
            let rule = lines.filter { $0.contains("found 'bogus'") }
            #expect(rule.count == 1 && rule[0].contains(":4:29: voting.rule: in points 4, 5 and 6:"), "\(lines)")
            let beta = lines.filter { $0.contains("-3 is out of range") }
            #expect(beta.count == 1 && beta[0].contains(":5:23: opinion.beta: in points 2 and 5:"), "\(lines)")
            #expect(lines.firstIndex(of: rule[0])! < lines.firstIndex(of: beta[0])!, "in the file's order")
        }
        let combos = try write(
            "sweep:\n  base: base.yaml\n  design: combinations\n  combinations:\n"
                + "    - {voting.rule: bogus}\n    - {population.private_share: 0.99}\n    - {voting.rule: bogus, opinion.beta: 2}\n")
        do {
            _ = try SweepFile.load(path: combos)
            Issue.record("combinations with a bad value must be refused")
        } catch {
            let text = "\(error)"
            #expect(text.contains(":5:21: voting.rule: in points 1 and 3:") && text.contains("found 'bogus' (also written at 7:21)"), "\(text)")
            #expect(text.contains("point 2 (population.private_share=0.99)") && text.contains("expected 1"), "\(text)")
        }
    }

    /// A CSV design is read by the same reader as every CSV the tool writes: quoted cells keep
    /// their commas, `#` lines are comments, cells are trimmed.
    @Test func csvDesignHonoursQuotingAndComments() throws {
        let path = try write("sweep:\n  base: base.yaml\n  design: csv\n  design_file: d.csv\n")
        try "# points written by hand\nvoting.rule, movement.base\nmajority, \"{ramp: {from: 1, to: 2, start: 0, end: 60}}\"\n 0.6 ,3\n".write(
            toFile: URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("d.csv").path,
            atomically: true, encoding: .utf8)
        let s = try SweepFile.load(path: path)
        #expect(s.parameters == ["voting.rule", "movement.base"])
        #expect(s.points.count == 2)
        #expect(s.points[0].overrides == ["voting.rule=majority", "movement.base={ramp: {from: 1, to: 2, start: 0, end: 60}}"])
        #expect(s.points[0].scenario.movement.base != s.points[1].scenario.movement.base)
        #expect(s.points[1].overrides == ["voting.rule=0.6", "movement.base=3"])
        try "voting.rule,movement.base\nmajority,\"{ramp: 1\n".write(
            toFile: URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("d.csv").path,
            atomically: true, encoding: .utf8)
        #expect { try SweepFile.load(path: path) } throws: { "\($0)".contains("d.csv:2: a quoted cell is never closed") }
    }

    /// The one parameter reader serves all three forms: steps for a grid, continuous ranges for
    /// a Latin hypercube, ranges only for Saltelli; the values land where the design says.
    @Test func rangesAreSteppedForAGridAndSampledInsideTheRangeOtherwise() throws {
        let grid = try SweepFile.load(
            path: try write("sweep:\n  base: base.yaml\n  parameters:\n    opinion.beta: {from: 1, to: 100, steps: 3, scale: log}\n"))
        #expect(zip(grid.points.map { $0.scenario.opinion.beta }, [1.0, 10, 100]).allSatisfy { abs($0 / $1 - 1) < 1e-12 })
        let lhs = try SweepFile.load(
            path: try write(
                "sweep:\n  base: base.yaml\n  design: latin-hypercube\n  samples: 8\n  parameters:\n    opinion.beta: {from: 2, to: 4}\n    voting.rule: [majority, consensus]\n"))
        let betas = lhs.points.map { $0.scenario.opinion.beta }.sorted()
        // One point in each eighth of [2, 4].
        #expect(betas.enumerated().allSatisfy { k, b in b >= 2 + 0.25 * Double(k) && b < 2 + 0.25 * Double(k + 1) }, "\(betas)")
        #expect(Set(lhs.points.map { $0.overrides[1] }) == ["voting.rule=majority", "voting.rule=consensus"])
        let saltelli = try SweepFile.load(
            path: try write("sweep:\n  base: base.yaml\n  design: saltelli\n  samples: 4\n  parameters:\n    opinion.beta: {from: 2, to: 4}\n    opinion.coupling: {from: 0, to: 1}\n"))
        #expect(saltelli.points.count == 4 * (2 + 2))
        #expect(saltelli.points.allSatisfy { (2...4).contains($0.scenario.opinion.beta) && (0...1).contains($0.scenario.opinion.coupling) })
    }

    @Test func setChangesTheBaseAndReplicatesReplaceTheFilesCount() throws {
        let path = try write("sweep:\n  base: base.yaml\n  replicates: 4\n  parameters:\n    voting.rule: [consensus, majority]\n")
        let plain = try SweepFile.load(path: path)
        let changed = try SweepFile.load(path: path, baseOverrides: ["population.persons=2000"], replicates: 2)
        #expect(plain.replicates == 4 && changed.replicates == 2)
        #expect(changed.points.allSatisfy { $0.scenario.population.persons == 2000 })
        #expect(plain.points.allSatisfy { $0.scenario.population.persons == 1000 })
        #expect(plain.sha256 != changed.sha256, "a database must not resume a sweep run with other options")
        #expect(try SweepFile.load(path: path, replicates: 2).sha256 != plain.sha256)
        // What a database resumes on is the sweep as read, not the file's bytes: a note added
        // to the comments, or another layout, is the same sweep; a changed value is not.
        let annotated = try write(
            "# a note added while the sweep ran\nsweep:\n  base: base.yaml   # the 1,000-person base\n  replicates: 4\n"
                + "  parameters:\n    voting.rule: [ consensus,   majority ]\n")
        #expect(try SweepFile.load(path: annotated).sha256 == plain.sha256)
        let otherValue = try write("sweep:\n  base: base.yaml\n  replicates: 4\n  parameters:\n    voting.rule: [consensus, 0.6]\n")
        #expect(try SweepFile.load(path: otherValue).sha256 != plain.sha256)
        do {
            _ = try SweepFile.load(path: path, baseOverrides: ["voting.rule=0.6"]); Issue.record("--set of a varied key must be refused")
        } catch { #expect(error.description.contains("design varies voting.rule")) }
        do {
            _ = try SweepFile.load(path: path, baseOverrides: ["population.persns=2000"]);
            Issue.record("an unknown --set key must be refused")
        } catch { #expect(error.description.contains("population.persons")) }
        do { _ = try SweepFile.load(path: path, replicates: 0); Issue.record("0 replicates must be refused") } catch {
            #expect(error.description.contains("--replicates"))
        }
    }

    @Test func quotedValuesAreRewrittenSoTheyReadBackTheSame() throws {
        for text in ["say \"hi\"", "C:\\temp\\new", "it's", "a: b", "#not a comment"] {
            let node = try #require(try Yams.compose(yaml: "v: '" + text.replacingOccurrences(of: "'", with: "''") + "'"))
            let value = try #require(node.mapping?["v"])
            let again = try #require(try Yams.compose(yaml: yamlText(value)))
            #expect(again.string == text, "\(text) came back as \(again.string ?? "nothing")")
        }
    }

    @Test func gridExpandsEveryCombinationWithLogRanges() throws {
        let path = try write(
            """
            sweep:
              base: base.yaml
              replicates: 3
              seed: 5
              parameters:
                movement.base: {from: 0.5, to: 2.0, steps: 3, scale: log}
                voting.rule: [majority, 0.75]
            """)
        let s = try SweepFile.load(path: path)
        #expect(s.points.count == 6 && s.replicates == 3 && s.seed == 5)
        #expect(s.points[0].overrides == ["movement.base=0.5", "voting.rule=majority"])
        #expect(s.points[2].overrides == ["movement.base=1", "voting.rule=majority"])
        #expect(s.points[5].overrides == ["movement.base=2", "voting.rule=0.75"])
        #expect(s.points[5].scenario.voting.rule == .threshold(0.75))
        #expect(
            s.pointsCSV().split(separator: "\n").prefix(4) == [
                "point,movement.base,voting.rule", "1,0.5,majority", "2,0.5,0.75", "3,1,majority",
            ])
        #expect(s.points[0].scenario.population.persons == 1000)
        #expect(try SweepFile.load(path: path).sha256 == s.sha256)
        #expect(s.stop.isNever)
        let stopping = try write(
            "sweep:\n  base: base.yaml\n  stop: {adoption_above: 0.9, unchanged_months: 24}\n  parameters:\n    opinion.beta: [1]\n")
        let t = try SweepFile.load(path: stopping)
        #expect(t.stop == StopCondition(adoptionAbove: 0.9, unchangedMonths: 24))
    }

    @Test(arguments: [
        ("sweep:\n  base: base.yaml\n  parameters:\n    opinion.bta: [1, 2]\n", "did you mean 'opinion.beta'"),
        ("sweep:\n  base: base.yaml\n  parameters:\n    opinion.beta: [1, -2]\n", "out of range"),
        ("sweep:\n  base: missing.yaml\n  parameters:\n    opinion.beta: [1]\n", "no such file"),
        ("sweep:\n  base: \"\"\n  parameters:\n    opinion.beta: [1]\n", "sweep.base: is empty: name the base scenario file"),
        (
            "sweep:\n  base: base.yaml\n  design: saltelli\n  samples: 8\n  parameters:\n    opinion.beta: [1]\n",
            "Saltelli's design samples ranges"
        ),
        ("sweep:\n  base: base.yaml\n  design: sobol\n  parameters:\n    opinion.beta: [1]\n", "latin-hypercube, saltelli or csv"),
        ("sweep:\n  base: base.yaml\n  design: latin-hypercube\n  parameters:\n    opinion.beta: {from: 0.5, to: 2}\n", "sweep.samples"),
        ("sweep:\n  base: base.yaml\n  design: csv\n  design_file: nowhere.csv\n", "'nowhere.csv' (looked at"),
        ("sweep:\n  base: base.yaml\n  parameters: {}\n", "sweep.parameters: is empty"),
        ("sweep:\n  base: base.yaml\n  parameters:\n    opinion.beta:\t&a [1, 2]\n    opinion.coupling: *a\n", "anchors, aliases and tags"),
        ("sweep:\n  base: base.yaml\n  design: latin-hypercube\n  samples: 4\n  parameters: {}\n", "sweep.parameters: is empty"),
        ("sweep:\n  base: base.yaml\n  parameters:\n    movement.base: {from: 0, to: 2, steps: 3, scale: log}\n", "log scale needs"),
        ("sweep:\n  base: base.yaml\n  replicates: 0\n  parameters:\n    opinion.beta: [1]\n", "sweep.replicates"),
        ("sweep:\n  base: base.yaml\n  colour: red\n  parameters:\n    opinion.beta: [1]\n", "sweep.colour"),
        ("sweep:\n  base: base.yaml\n", "sweep.parameters"),
        ("sweep:\n  base: base.yaml\n  stop: {adoption_above: 1.5}\n  parameters:\n    opinion.beta: [1]\n", "sweep.stop"),
        ("sweep:\n  base: base.yaml\n  stop: {whenever: 3}\n  parameters:\n    opinion.beta: [1]\n", "unknown field 'whenever'"),
        ("sweep:\n  base: base.yaml\n  parameters:\n    population.private_share: [0.9]\n", "point 1"),
    ])
    func badSweepFilesAreRefusedClearly(text: String, mustSay: String) throws {
        let path = try write(text)
        do {
            _ = try SweepFile.load(path: path)
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.description.contains(mustSay), "\(error.description)")
            #expect(error.description.contains("sweep.yaml"))
        }
    }

    /// 64 parameters with two values each: 2⁶⁴ points must be "too many", not a count that
    /// wrapped around to 0 (which once built points until memory ran out).
    @Test func aGridTooLargeToCountIsRefused() throws {
        let specs = Array(ScenarioSchema.parameters.filter { if case .number = $0.type { return true } else { return false } }.prefix(64))
        #expect(specs.count == 64)
        var text = "sweep:\n  base: base.yaml\n  parameters:\n"
        for spec in specs {
            let v = spec.render(Scenario())
            text += "    \(spec.path): [\(v), \(v)]\n"
        }
        let path = try write(text)
        #expect {
            try SweepFile.load(path: path)
        } throws: { error in
            "\(error)".contains("more than 1000000")
        }
    }

    @Test func latinHypercubePutsOnePointInEachStratum() throws {
        let path = try write(
            """
            sweep:
              base: base.yaml
              design: latin-hypercube
              samples: 20
              seed: 9
              parameters:
                opinion.beta: {from: 0.5, to: 2.5}
                movement.base: {from: 0.5, to: 2.0, scale: log}
                voting.rule: [majority, supermajority]
            """)
        let s = try SweepFile.load(path: path)
        #expect(s.points.count == 20)
        let betas = s.points.map(\.scenario.opinion.beta)
        let strata = Set(betas.map { Int(($0 - 0.5) / 2.0 * 20) })
        #expect(strata == Set(0..<20), "one β per stratum of width 0.1")
        let logs = s.points.map { p -> Double in if case .constant(let b) = p.scenario.movement.base { return b } else { return .nan } }
        #expect(Set(logs.map { Int(log($0 / 0.5) / log(4) * 20) }) == Set(0..<20))
        #expect(s.points.filter { $0.scenario.voting.rule == .majority }.count == 10)
        #expect(try SweepFile.load(path: path).sha256 == s.sha256, "same seed, same design")
    }

    @Test func saltelliDesignCrossesColumnsOfTwoSobolMatrices() throws {
        let path = try write(
            """
            sweep:
              base: base.yaml
              design: saltelli
              samples: 16
              parameters:
                opinion.beta: {from: 0.5, to: 2.5}
                movement.base: {from: 0.5, to: 2.0, scale: log}
                opinion.coupling: {from: 0, to: 1}
            """)
        let s = try SweepFile.load(path: path)
        let d = 3
        #expect(s.design == .saltelli && s.points.count == 16 * (d + 2))
        func row(_ p: Int) -> [Double] {
            let base: Double
            if case .constant(let b) = s.points[p].scenario.movement.base { base = b } else { base = .nan }
            return [s.points[p].scenario.opinion.beta, base, s.points[p].scenario.opinion.coupling]
        }
        for j in 0..<16 {
            let a = row(j * (d + 2)), b = row(j * (d + 2) + d + 1)
            for k in 0..<d {
                var expected = a
                expected[k] = b[k]
                #expect(row(j * (d + 2) + 1 + k) == expected, "row \(j), A with column \(k) from B")
            }
            #expect(zip(a, b).allSatisfy { $0 != $1 }, "A and B differ in every column")
        }
        // The A rows are a digitally shifted Sobol sequence: 16 of them put two β in each of 8
        // equal strata (one point of the 16 is the 17th of the sequence: GSL skips the origin).
        let strata = Dictionary(grouping: (0..<16).map { Int((row($0 * (d + 2))[0] - 0.5) / 2.0 * 8) }, by: { $0 }).mapValues(\.count)
        #expect(strata.count >= 7 && strata.values.allSatisfy { $0 <= 3 }, "\(strata)")
        #expect(try SweepFile.load(path: path).points.map(\.overrides) == s.points.map(\.overrides), "same seed, same design")
        let reseeded = try write(
            String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "samples: 16", with: "samples: 16\n  seed: 2"))
        #expect(try SweepFile.load(path: reseeded).points[0].overrides != s.points[0].overrides, "the shift follows the seed")
        // With second_order: B with column k taken from A, before B, as SALib orders them.
        let second = try write(
            String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "samples: 16", with: "samples: 16\n  second_order: true")
        )
        let s2 = try SweepFile.load(path: second)
        #expect(s2.points.count == 16 * (2 * d + 2) && s2.designLabel == "saltelli second-order" && s.designLabel == "saltelli")
        func row2(_ p: Int) -> [Double] {
            let base: Double
            if case .constant(let b) = s2.points[p].scenario.movement.base { base = b } else { base = .nan }
            return [s2.points[p].scenario.opinion.beta, base, s2.points[p].scenario.opinion.coupling]
        }
        for j in 0..<16 {
            let first = j * (2 * d + 2)
            let a = row2(first), b = row2(first + 2 * d + 1)
            #expect(a == row(j * (d + 2)) && b == row(j * (d + 2) + d + 1), "same A and B as without second order")
            for k in 0..<d {
                var expected = b
                expected[k] = a[k]
                #expect(row2(first + 1 + d + k) == expected, "row \(j), B with column \(k) from A")
            }
        }
        #expect(s2.sha256 != s.sha256)
        let misplaced = try write("sweep:\n  base: base.yaml\n  second_order: true\n  parameters:\n    opinion.beta: [1, 2]\n")
        #expect { try SweepFile.load(path: misplaced) } throws: { "\($0)".contains("only a saltelli design has second-order rows") }
        let lists = try write(
            "sweep:\n  base: base.yaml\n  design: saltelli\n  samples: 4\n  parameters:\n    voting.rule: [majority, 0.6]\n")
        #expect { try SweepFile.load(path: lists) } throws: { "\($0)".contains("Saltelli's design samples ranges") }
        let missing = try write("sweep:\n  base: base.yaml\n  design: saltelli\n  parameters:\n    opinion.beta: {from: 1, to: 2}\n")
        #expect { try SweepFile.load(path: missing) } throws: { "\($0)".contains("base sample size N") }
    }

    @Test func csvDesignReadsPointsAndChecksThem() throws {
        let path = try write("sweep:\n  base: base.yaml\n  design: csv\n  design_file: design.csv\n  replicates: 2\n")
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent()
        try "opinion.beta,opinion.coupling\n0.8,0.4\n1.2,0.9\n1.6,0.2\n".write(
            to: dir.appendingPathComponent("design.csv"), atomically: true, encoding: .utf8)
        let s = try SweepFile.load(path: path)
        #expect(s.points.count == 3 && s.points[1].scenario.opinion.coupling == 0.9)
        try "opinion.beta,opinion.cupling\n0.8,0.4\n-1,0.9\n".write(
            to: dir.appendingPathComponent("design.csv"), atomically: true, encoding: .utf8)
        do {
            _ = try SweepFile.load(path: path)
            Issue.record("accepted a bad design file")
        } catch {
            #expect(error.description.contains("did you mean 'opinion.coupling'"))
        }
    }

    @Test func shippedSweepFilesCheck() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: scenariosFolder.path).filter { $0.hasPrefix("sweep") }
        #expect(files.count >= 2)
        for f in files {
            let s = try SweepFile.load(path: scenariosFolder.appendingPathComponent(f).path)
            #expect(!s.points.isEmpty)
        }
    }

    @Test func shardsPartitionThePoints() throws {
        let s = try SweepFile.load(path: scenariosFolder.appendingPathComponent("sweep-pressure-threshold.yaml").path)
        let shards = (1...3).map { SweepRunner.points(of: s, shard: ($0, 3)) }
        #expect(shards.flatMap { $0 }.sorted() == Array(s.points.indices))
        #expect(Set(shards[0]).isDisjoint(with: shards[1]))
    }
}

@Suite("Memory limit")
struct MemoryLimitTests {
    @Test func cgroupValuesAreReadAsBytesOrNoLimit() {
        #expect(MemoryLimit.cgroupLimit("2147483648\n") == 2_147_483_648)
        #expect(MemoryLimit.cgroupLimit("max\n") == nil)
        #expect(MemoryLimit.cgroupLimit("9223372036854771712") == nil, "cgroup v1's 'unlimited'")
        #expect(MemoryLimit.cgroupLimit("garbage") == nil && MemoryLimit.cgroupLimit(nil) == nil)
    }

    @Test func effectiveLimitIsNeverAboveTheMachinesRAM() {
        let limit = MemoryLimit.effective()
        #expect(limit.bytes > 0 && UInt64(limit.bytes) <= ProcessInfo.processInfo.physicalMemory)
    }

    @Test func estimateSaturatesInsteadOfOverflowing() {
        #expect(MemoryEstimate.bytes(persons: Int.max / 2) == Int.max)
        #expect(MemoryEstimate.bytes(persons: 1_000_000) == 56_000_000 + (128 << 20))
    }

    /// Replicates in flight each hold a whole simulation: a dense network leaves room for fewer
    /// at once, the fixed part is counted once, and one always "fits" (the scenario check says
    /// whether it does).
    @Test func simulationsThatFitCountNetworksAndTheFixedPartOnce() throws {
        var sparse = Scenario()
        sparse.population.persons = 20_000
        var dense = sparse
        dense.influence.network = .erdosRenyi
        dense.influence.meanDegree = 1_000
        let gib = 1 << 30
        // 20,000 × (56 + 4 + 12,000) bytes ≈ 241 MB each; 80% of 2 GiB less 128 MiB holds 6.
        #expect(MemoryEstimate.simulationsThatFit([dense], limit: 2 * gib) == 6)
        #expect(MemoryEstimate.simulationsThatFit([sparse], limit: 2 * gib) == 1_414)
        #expect(MemoryEstimate.simulationsThatFit([sparse, dense], limit: 2 * gib) == 6, "judged by the largest")
        #expect(MemoryEstimate.simulationsThatFit([dense], limit: 1 << 20) == 1)
        #expect(MemoryEstimate.bytes(scenario: dense, simulations: 6) == (128 << 20) + 6 * 20_000 * (56 + 4 + 12_000))
    }
}

@Suite("Input files are measured before they are read")
struct InputFileTests {
    @Test func aHugeSparseScenarioIsRefusedBySize() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("huge-\(UUID().uuidString).yaml").path
        FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 1 << 31)  // 2 GiB, sparse: nothing is written
        try handle.close()
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect {
            try ScenarioLoader.load(path: path)
        } throws: { error in
            "\(error)".contains("is 2147483648 bytes; such files are limited to 1048576 bytes")
        }
    }

    @Test func aLongForeignHeaderIsEchoedOnlyAsAnExcerpt() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("design-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "population:\n  persons: 1000\n".write(to: dir.appendingPathComponent("base.yaml"), atomically: true, encoding: .utf8)
        // Beside a real parameter the long column reads as a typo, and is shown cut short.
        try ("opinion.beta," + String(repeating: "secret", count: 20_000) + "\n1,1\n").write(
            to: dir.appendingPathComponent("d.csv"), atomically: true, encoding: .utf8)
        let sweep = dir.appendingPathComponent("s.yaml")
        try "sweep:\n  base: base.yaml\n  design: csv\n  design_file: d.csv\n".write(to: sweep, atomically: true, encoding: .utf8)
        #expect {
            try SweepFile.load(path: sweep.path)
        } throws: { error in
            let text = "\(error)"
            return text.contains("unknown parameter 'secretsecret") && text.count < 600
        }
    }
}

@Suite("Sweep digest")
struct SweepDigestTests {
    @Test func listsThatJoinAlikeEncodeDifferently() {
        #expect(SweepFile.canonical(["a=1;b=2"]) != SweepFile.canonical(["a=1", "b=2"]))
        #expect(SweepFile.canonical(["a=1\nb=2"]) != SweepFile.canonical(["a=1", "b=2"]))
        #expect(SweepFile.canonical(["x"]) == SweepFile.canonical(["x"]))
    }
}
