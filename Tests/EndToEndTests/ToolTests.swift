import Foundation
import Experiments
import FoundationXML
import GRDB
import Testing
import TestSupport

/// Runs the built `parecon-sim` and returns (exit status, stdout, stderr).
func tool(
    _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]
) throws -> (status: Int32, out: String, err: String) {
    let process = Process()
    process.executableURL = toolURL
    process.arguments = arguments
    if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    if let directory { process.currentDirectoryURL = directory }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
}

/// Starts the built tool in the background, output discarded (for tests that kill or race it).
func startTool(_ arguments: [String]) throws -> Process {
    let process = Process()
    process.executableURL = toolURL
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    return process
}

let toolURL: URL = {
    // The test bundle lies beside the built products.
    let beside = Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("parecon-sim")
    if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
    for config in ["debug", "release"] {
        let candidate = packageRoot.appendingPathComponent(".build/\(config)/parecon-sim")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    }
    return beside
}()

@Suite("The built tool, end to end")
struct ToolTests {
    @Test func runWritesATidySeriesAndASummary() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("run").path
        let r = try tool([
            "run", packageRoot.appendingPathComponent("Scenarios/baseline.yaml").path,
            "--set", "population.persons=1000", "--set", "horizon=36", "--replicates", "2",
            "--out", out, "--quiet",
        ])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("Final adoption") && r.out.contains("people overruled") && r.out.contains("50% of the workforce"))
        let csv = try String(contentsOfFile: out + "/series.csv", encoding: .utf8)
        let lines = csv.split(separator: "\n")
        let header = lines[0].split(separator: ",").map(String.init)
        #expect(Array(header.prefix(4)) == ["replicate", "seed", "month", "workplaces_bjc"])
        for column in ["workforce_bjc", "workforce_pay", "overruled_distinct", "exits_worker", "income_gini", "pressure"] {
            #expect(header.contains(column), "missing column \(column)")
        }
        #expect(lines.count == 1 + 2 * 37)
        let month = header.firstIndex(of: "month")!, share = header.firstIndex(of: "workforce_bjc")!
        for line in lines.dropFirst() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            #expect(cells.count == header.count)
            #expect((0...36).contains(Int(cells[month])!))
            let x = Double(cells[share])!
            #expect(x >= 0 && x <= 1)
        }
        let runs = try String(contentsOfFile: out + "/runs.csv", encoding: .utf8).split(separator: "\n")
        #expect(runs.count == 3)
        let manifest =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/manifest.json"))) as! [String: Any]
        #expect((manifest["scenario_sha256"] as? String)?.count == 64)
        #expect((manifest["replicate_seeds"] as? [Any])?.count == 2)
        #expect(FileManager.default.fileExists(atPath: out + "/scenario.yaml"))
    }

    @Test func seriesIsByteIdenticalForOneAndTwoThreads() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        var files: [Data] = []
        for (threads, replicates) in [(1, 3), (2, 3), (1, 1), (2, 1)] {
            let out = dir.appendingPathComponent("t\(threads)r\(replicates)").path
            let r = try tool([
                "run", "--set", "population.persons=20000", "--set", "horizon=12", "--replicates", "\(replicates)",
                "--threads", "\(threads)", "--out", out, "--quiet",
            ])
            #expect(r.status == 0, "\(r.err)")
            files.append(try Data(contentsOf: URL(fileURLWithPath: out + "/series.csv")))
        }
        #expect(files[0] == files[1])
        #expect(files[2] == files[3])
    }

    @Test func malformedScenarioGivesAClearErrorAndNonZeroExit() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("bad.yaml")
        try "opinion:\n  beta: lots\n".write(to: bad, atomically: true, encoding: .utf8)
        let r = try tool(["run", bad.path, "--out", dir.appendingPathComponent("out").path])
        #expect(r.status != 0)
        #expect(r.err.contains("bad.yaml:2:9") && r.err.contains("opinion.beta") && r.err.contains("expected a number"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/series.csv").path))
        let check = try tool(["check", bad.path])
        #expect(check.status != 0 && check.out.contains("opinion.beta"))
    }

    @Test func existingResultsAreNotOverwrittenWithoutForce() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("r").path
        let args = ["run", "--set", "population.persons=500", "--set", "horizon=6", "--out", out, "--quiet"]
        #expect(try tool(args).status == 0)
        let again = try tool(args)
        #expect(again.status != 0 && again.err.contains("--force"))
        #expect(try tool(args + ["--force"]).status == 0)
    }

    @Test func badArgumentsAreRefused() throws {
        let r = try tool(["run", "--replicates", "0"])
        #expect(r.status != 0 && r.err.contains("--replicates"))
        let s = try tool(["run", "--set", "no.such.key=1"])
        #expect(s.status != 0 && s.err.contains("unknown key"))
        let b = try tool(["bench", "core", "--persons", "101", "--group", "10"])
        #expect(b.status != 0 && b.err.contains("multiple"))
        let f = try tool(["bench", "full", "--persons", "100", "--threads", "0"])
        #expect(f.status != 0 && f.err.contains("--threads"), "a run on 0 threads is refused, not reported as one")
        // Each limit is within its range, together they would let pages ask for ~600 GB.
        let serve = try tool(["serve", "--max-persons", "10000000", "--max-replicates", "1000", "--port", "0"])
        #expect(serve.status != 0 && serve.err.contains("would let pages ask for about") && serve.err.contains("MiB at once"), "\(serve.err)")
    }

    @Test func jsonSummaryIsMachineReadable() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try tool([
            "run", "--set", "population.persons=500", "--set", "horizon=12", "--summary-format", "json",
            "--quiet", "--out", dir.appendingPathComponent("j").path,
        ])
        #expect(r.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any]
        #expect(object?["replicates"] as? Int == 1)
        #expect((object?["final_workforce_bjc"] as? [String: Double])?["mean"] != nil)
    }

    /// Every command's help has examples, and on a 60-column terminal no example is wrapped
    /// mid-command (a wrapped line would start at column 0 and could not be pasted).
    @Test(arguments: [
        [], ["run"], ["report"], ["compare"], ["sweep"], ["calibrate"], ["export"], ["merge"], ["check"],
        ["params"], ["validate"], ["bench", "core"], ["bench", "full"], ["bench", "scaling"],
    ])
    func helpHasExamplesThatFitANarrowTerminal(command: [String]) throws {
        let r = try tool(command + ["--help"], environment: ["COLUMNS": "60"])
        #expect(r.status == 0 && r.out.contains("USAGE: parecon-sim"), "\(command)")
        let lines = r.out.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(of: "Examples:") else { Issue.record("\(command): no examples"); return }
        let examples = lines[(start + 1)...].prefix { !$0.isEmpty }
        #expect(examples.count >= 1, "\(command)")
        for line in examples { #expect(line.hasPrefix("  "), "\(command): example wrapped mid-command: '\(line)'") }
    }

    /// `params FILTER` shows the parameters whose key or meaning contains the text, and says so
    /// when none does.
    @Test func paramsFiltersByKeyOrMeaning() throws {
        let all = try tool(["params"]), councils = try tool(["params", "COUNCIL"])
        #expect(councils.status == 0, "\(councils.err)")
        let keys = { (text: String) in text.split(separator: "\n").filter { $0.hasPrefix("  ") && !$0.hasPrefix("      ") } }
        #expect(keys(councils.out).contains { $0.contains("workers_councils.rate") }, "\(councils.out)")
        #expect(!keys(councils.out).contains { $0.contains("opinion.beta") })
        #expect(keys(councils.out).count < keys(all.out).count && keys(councils.out).count >= 3)
        let none = try tool(["params", "no-such-thing-at-all"])
        #expect(none.status != 0 && none.err.contains("no parameter's key or meaning contains 'no-such-thing-at-all'"))
        let both = try tool(["params", "voting", "--markdown"])
        #expect(both.status != 0 && both.err.contains("FILTER selects parameters of the plain list"))
    }

    /// `--seed` means one thing: `bench full --seed S` is replicate 0 of `run --seed S`.
    @Test func benchFullSeedIsTheRunsMasterSeed() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bench = try tool(["bench", "full", "--persons", "2000", "--steps", "24", "--seed", "3", "--json"])
        let run = try tool([
            "run", "--set", "population.persons=2000", "--set", "horizon=24", "-r", "1", "--seed", "3",
            "--summary-format", "json", "-q", "--out", dir.appendingPathComponent("r").path,
        ])
        let b = try #require(try JSONSerialization.jsonObject(with: Data(bench.out.utf8)) as? [String: Any])
        let r = try #require(try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [String: Any])
        let runBJC = try #require((r["final_workforce_bjc"] as? [String: Any])?["mean"] as? Double)
        #expect(b["final_workforce_bjc"] as? Double == runBJC && b["seed"] as? Int == 3)
        #expect(runBJC > 0, "a run where something happened, so that equal figures mean something")
    }

    /// `bench scaling` as a user sees it: every thread count measured, results identical, a
    /// serial share and projections that follow from it; bad thread counts refused by name.
    @Test func benchScalingReportsPhasesSerialShareAndProjections() throws {
        let r = try tool(["bench", "scaling", "--persons", "40000", "--steps", "6", "--threads", "2", "--json"])
        #expect(r.status == 0, "\(r.err)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        #expect(object["identical_results"] as? Bool == true)
        let measured = try #require(object["measurements"] as? [[String: Any]])
        #expect(measured.compactMap { $0["threads"] as? Int } == [1, 2])
        #expect(measured.allSatisfy { (($0["phases"] as? [String: Double])?["opinion"] ?? 0) > 0 })
        let s = try #require(object["serial_share"] as? Double)
        #expect((0...1).contains(s))
        #expect((0...1).contains(try #require(object["unscaled_phase_share"] as? Double)))
        let projected = try #require(object["projected_speed_up"] as? [String: Double])
        let sixteen = try #require(projected["16"]), four = try #require(projected["4"])
        #expect(four <= sixteen + 1e-12 && abs(sixteen - 1 / (s + (1 - s) / 16)) < 1e-9)
        let text = try tool(["bench", "scaling", "--persons", "2000", "--steps", "3", "--threads", "1", "2"])
        #expect(text.status == 0 && text.out.contains("results identical on 1, 2 threads") && text.out.contains("projected speed-up"))
        #expect(text.out.contains("  opinion") && text.err.contains("measuring 2 threads"))
        for bad in [["--threads", "0"], ["--threads", "two"], ["--repeats", "0"], ["--persons", "5"]] {
            let b = try tool(["bench", "scaling"] + bad)
            #expect(b.status != 0 && b.err.contains(bad[0]), "\(bad): \(b.err)")
        }
    }

    @Test func benchCorePrintsJSON() throws {
        let r = try tool(["bench", "core", "--persons", "10000", "--group", "50", "--steps", "5", "--json"])
        #expect(r.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any]
        for key in ["persons", "group", "steps", "seed", "threads", "final_share", "seconds", "agent_steps_per_second"] {
            #expect(object?[key] != nil, "missing \(key)")
        }
    }
}

@Suite("Reports and comparisons, end to end")
struct ReportToolTests {
    @Test func reportWritesParsableHTMLAndChartsMatchingTheSummary() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("r").path
        #expect(
            try tool(["run", "--set", "population.persons=2000", "--set", "horizon=48", "-r", "3", "--out", out, "--quiet"]).status == 0)
        let r = try tool(["report", out])
        #expect(r.status == 0, "\(r.err)")
        for name in [
            "report.md", "report.html", "bands.csv", "adoption.svg", "support.svg", "movement.svg", "ledger.svg", "gini.svg",
            "status-quo.svg", "no-say.svg", "opposition.svg",
        ] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + name), "missing \(name)")
        }
        let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        #expect((try? XMLDocument(xmlString: html.replacingOccurrences(of: "<!DOCTYPE html>", with: ""), options: [])) != nil)
        for svg in ["adoption.svg", "ledger.svg"] {
            #expect((try? XMLDocument(contentsOf: URL(fileURLWithPath: out + "/" + svg), options: [])) != nil)
        }
        // The bands' final mean of workforce_pay equals the mean of runs.csv's final values.
        let bands = try String(contentsOfFile: out + "/bands.csv", encoding: .utf8).split(separator: "\n")
        let last = bands.first { $0.hasPrefix("workforce_pay,48,") }!.split(separator: ",")
        let runs = try String(contentsOfFile: out + "/runs.csv", encoding: .utf8).split(separator: "\n")
        let header = runs[0].split(separator: ",").map(String.init)
        let j = header.firstIndex(of: "final_workforce_pay")!
        let finals = runs.dropFirst().map { Double($0.split(separator: ",")[j])! }
        #expect(abs(Double(last[2])! - finals.reduce(0, +) / 3) < 1e-5)
    }

    @Test func compareRunsScenarioFilesAndMarksCoercionFreePaths() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try tool([
            "compare", packageRoot.appendingPathComponent("Scenarios/consensus-only.yaml").path,
            packageRoot.appendingPathComponent("Scenarios/majority.yaml").path,
            packageRoot.appendingPathComponent("Scenarios/prefigurative.yaml").path,
            "--set", "population.persons=1500", "--set", "horizon=60", "-r", "2",
            "--out", dir.appendingPathComponent("c").path,
        ])
        #expect(r.status == 0, "\(r.err)")
        let lines = r.out.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("| prefigurative") && $0.contains("| yes (") })
        #expect(lines.contains { $0.hasPrefix("| majority") && $0.contains("| no (") && $0.contains("% under BJC or pay) |") })
        // Opposition at every strength, one row a path, and the paired differences on common seeds.
        #expect(lines.contains { $0.hasPrefix("| path | any non-supporter | u < 0 |") })
        #expect(lines.contains { $0.hasPrefix("| consensus-only − majority | 2 pairs | paired |") })
        #expect(r.out.contains("same seed and population (master seed 1)"))
        #expect(lines.contains { $0.hasPrefix("| majority | 1,500 | 2 |") } && !r.out.contains("populations differ"))
        for svg in ["comparison.svg", "opposition.svg", "speed.svg", "ledger.svg"] {
            #expect((try? XMLDocument(contentsOf: dir.appendingPathComponent("c/" + svg), options: [])) != nil)
        }
        // The tables as numbers: one row a path, one row a run.
        let paths = try String(contentsOf: dir.appendingPathComponent("c/paths.csv"), encoding: .utf8).split(separator: "\n")
        #expect(paths.count == 4 && paths[0].hasPrefix("path,persons,runs,both_mean,"))
        #expect(paths.contains { $0.hasPrefix("prefigurative,1500,2,") && $0.hasSuffix(",true,true") })
        let runs = try String(contentsOf: dir.appendingPathComponent("c/runs.csv"), encoding: .utf8).split(separator: "\n")
        #expect(runs.count == 1 + 3 * 2)
        let json =
            try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("c/comparison.json"))) as? [String: Any]
        let objects = json?["paths"] as? [[String: Any]] ?? []
        #expect(
            objects.map { $0["path"] as? String } == ["consensus-only", "majority", "prefigurative"]
                && json?["master_seed"] as? String == "1")
        #expect(objects.last?["coercion_free"] as? Bool == true && (objects.first?["final_workforce_both_by_run"] as? [Double])?.count == 2)
        let html = try String(contentsOf: dir.appendingPathComponent("c/comparison.html"), encoding: .utf8)
        #expect((try? XMLDocument(xmlString: html.replacingOccurrences(of: "<!DOCTYPE html>", with: ""), options: [])) != nil)
        // Each path's runs kept as a result folder: comparing the folders gives the same table,
        // and report draws a path's curves from its series.
        for name in ["consensus-only", "majority", "prefigurative"] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("c/paths/\(name)/manifest.json").path), "\(name)")
        }
        let again = try tool([
            "compare", dir.appendingPathComponent("c/paths/consensus-only").path, dir.appendingPathComponent("c/paths/majority").path,
            dir.appendingPathComponent("c/paths/prefigurative").path,
        ])
        let table = { (text: String) in
            text.split(separator: "\n").filter { $0.hasPrefix("| consensus-only |") || $0.hasPrefix("| majority |") }
        }
        #expect(again.status == 0 && !table(again.out).isEmpty && table(again.out) == table(r.out), "\(again.err)")
        // Result folders carry their seeds and population: the differences are paired as before.
        #expect(again.out.contains("| consensus-only − majority | 2 pairs | paired |"), "\(again.out)")
        let report = try tool(["report", dir.appendingPathComponent("c/paths/majority").path])
        #expect(
            report.status == 0 && FileManager.default.fileExists(atPath: dir.appendingPathComponent("c/paths/majority/adoption.svg").path),
            "\(report.err)")
    }

    @Test func compareOfDifferentPopulationsSaysSoAndDoesNotPair() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let state = packageRoot.appendingPathComponent("Scenarios/state-led.yaml").path
        for (name, persons) in [("small", 1000), ("large", 2500)] {
            let r = try tool([
                "run", state, "--set", "population.persons=\(persons)", "--set", "horizon=60", "--set", "name=\(name)", "-r", "3",
                "--out", dir.appendingPathComponent(name).path, "--quiet",
            ])
            #expect(r.status == 0, "\(r.err)")
        }
        let c = try tool(["compare", dir.appendingPathComponent("small").path, dir.appendingPathComponent("large").path])
        #expect(c.status == 0, "\(c.err)")
        #expect(c.out.contains("**The paths' populations differ** (small: 1,000 persons, large: 2,500 persons)"), "\(c.out)")
        #expect(c.out.contains("| small − large | 3, 3 | unpaired: populations differ |"), "\(c.out)")
        // Owners expropriated as a rate per 1,000 with the count beside it.
        let row = c.out.split(separator: "\n").first { $0.hasPrefix("| large | 2,500 | 3 |") }
        #expect(row != nil && row!.range(of: #"\| [0-9]+\.[0-9]{2} \([0-9]+\.[0-9]\) \|"#, options: .regularExpression) != nil, "\(c.out)")
        // Two inputs of the same scenario name are told apart in the table by their input.
        let again = try tool(["compare", dir.appendingPathComponent("small").path, dir.appendingPathComponent("small").path])
        #expect(again.out.contains("| small (\(dir.appendingPathComponent("small").path)) |"), "\(again.out)")
    }

    @Test func comparePathFoldersAreNamedApart() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let majority = packageRoot.appendingPathComponent("Scenarios/majority.yaml").path
        let r = try tool([
            "compare", majority, majority, "--set", "population.persons=500", "--set", "horizon=12", "-r", "1", "-q",
            "--out", dir.appendingPathComponent("c").path,
        ])
        #expect(r.status == 0, "\(r.err)")
        let kept = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("c/paths").path).sorted()
        #expect(kept == ["majority", "majority-2"])
    }

    /// A runs.csv with no rows, or with a damaged month, is refused with where and what; the
    /// tool never traps and never reads damage as "never reached".
    @Test func compareRefusesEmptyOrDamagedRunTables() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = dir.appendingPathComponent("good").path
        let made = try tool(["run", "--set", "population.persons=500", "--set", "horizon=12", "-r", "2", "--out", good, "-q"])
        #expect(made.status == 0, "\(made.err)")
        let runs = try String(contentsOfFile: good + "/runs.csv", encoding: .utf8)
        let lines = runs.split(separator: "\n").map(String.init)
        func damaged(_ name: String, _ text: String) throws -> String {
            let folder = dir.appendingPathComponent(name).path
            try FileManager.default.copyItem(atPath: good, toPath: folder)
            try text.write(toFile: folder + "/runs.csv", atomically: true, encoding: .utf8)
            return folder
        }
        let empty = try damaged("empty", lines[0] + "\n")
        let r1 = try tool(["compare", empty, good])
        #expect(r1.status != 0 && r1.err.contains("runs.csv") && r1.err.contains("no runs"), "\(r1.err)")
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        var cells = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        cells[header.firstIndex(of: "months_to_50_bjc")!] = "abc"
        let bad = try damaged("bad", ([lines[0], cells.joined(separator: ",")] + lines.dropFirst(2)).joined(separator: "\n") + "\n")
        let r2 = try tool(["compare", bad, good])
        #expect(r2.status != 0 && r2.err.contains("line 2") && r2.err.contains("months_to_50_bjc") && r2.err.contains("'abc'"), "\(r2.err)")
    }

    @Test func benchAndCompareRefuseSizesThatCannotFit() throws {
        let core = try tool(["bench", "core", "--persons", "1000000000000", "--group", "50"])
        #expect(core.status != 0 && core.err.contains("MiB allowed"), "\(core.err)")
        let full = try tool(["bench", "full", "--persons", "4000000000"])
        // Named as the option typed, not as a --set the user never gave.
        #expect(full.status != 0 && full.err.contains("--persons: 4000000000 persons need about"), "\(full.err)")
        #expect(!full.err.contains("--set"), "\(full.err)")
        let steps = try tool(["bench", "full", "--persons", "100", "--steps", "20000"])
        #expect(steps.status != 0 && steps.err.contains("--steps: ") && !steps.err.contains("--set"), "\(steps.err)")
        let compare = try tool(["compare", "a.yaml", "b.yaml", "-r", "2000000000"])
        #expect(compare.status != 0 && compare.err.contains("--replicates must be between"), "\(compare.err)")
        let sweepCheck = try tool([
            "check", packageRoot.appendingPathComponent("Scenarios/sweep-blocking-level.yaml").path, "--set", "horizon=12",
        ])
        #expect(sweepCheck.status == 0 && sweepCheck.out.contains(": ok, sweep of 6 points"), "\(sweepCheck.out)")
        // --set on a sweep changes its base, as `sweep --set` would; a varied key is refused.
        let varied = try tool([
            "check", packageRoot.appendingPathComponent("Scenarios/sweep-blocking-level.yaml").path,
            "--set", "voting.blocking_level=-1",
        ])
        #expect(varied.status != 0 && varied.out.contains("voting.blocking_level") && varied.out.contains("design"), "\(varied.out)")
        let tooSmall = try tool([
            "check", packageRoot.appendingPathComponent("Scenarios/sweep-blocking-level.yaml").path,
            "--set", "population.persons=5",
        ])
        #expect(tooSmall.status != 0 && tooSmall.out.contains("population.persons"), "\(tooSmall.out)")
        let calibrationCheck = try tool([
            "check", packageRoot.appendingPathComponent("Scenarios/calibrate-recovery.yaml").path, "--set", "horizon=12",
        ])
        #expect(calibrationCheck.status != 0 && calibrationCheck.out.contains("a calibration file sets its sites with set:"), "\(calibrationCheck.out)")
        // A seed the scenario format cannot hold is refused, not written into a scenario.yaml that fails `check`.
        let seed = try tool(["run", "--seed", "18446744073709551615", "--set", "population.persons=100", "--set", "horizon=1"])
        #expect(seed.status != 0 && seed.err.contains("--seed must be between 0 and 9223372036854775807"), "\(seed.err)")
    }

    /// `run --force` over a reported folder leaves no old report beside the new results, and
    /// every chart `report` writes is among the files a new run removes.
    @Test func forcedRunLeavesNoStaleDerivedFiles() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("r").path
        let args = ["run", "--set", "population.persons=500", "--set", "horizon=12", "-r", "2", "--out", out, "-q"]
        #expect(try tool(args).status == 0)
        #expect(try tool(["report", out]).status == 0)
        let written = try FileManager.default.contentsOfDirectory(atPath: out).filter {
            $0.hasSuffix(".svg") || $0.hasPrefix("report") || $0 == "bands.csv"
        }
        #expect(Set(written).isSubset(of: Set(ResultFolder.derivedFiles)), "\(Set(written).subtracting(ResultFolder.derivedFiles))")
        #expect(try tool(args + ["--force"]).status == 0)
        let after = try FileManager.default.contentsOfDirectory(atPath: out)
        #expect(!after.contains("report.md") && !after.contains("bands.csv") && after.contains("manifest.json"))
    }

    @Test func compareOverUncertaintyGivesPairwiseProbabilities() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let design = dir.appendingPathComponent("draws.yaml")
        try """
        sweep:
          base: \(packageRoot.appendingPathComponent("Scenarios/baseline.yaml").path)
          design: latin-hypercube
          samples: 4
          seed: 3
          parameters:
            opinion.coupling: {from: 0.45, to: 0.75}
            movement.gain_per_win: {from: 2.6, to: 4.4}
        """.write(to: design, atomically: true, encoding: .utf8)
        let r = try tool([
            "compare", packageRoot.appendingPathComponent("Scenarios/consensus-only.yaml").path,
            packageRoot.appendingPathComponent("Scenarios/majority.yaml").path,
            "--set", "population.persons=1000", "--set", "horizon=48", "-r", "1",
            "--uncertainty", design.path, "--out", dir.appendingPathComponent("u").path,
        ])
        #expect(r.status == 0, "\(r.err)")
        let row = r.out.split(separator: "\n").first { $0.hasPrefix("| consensus-only vs majority |") }
        let cells = row?.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) } ?? []
        #expect(cells.count == 8)
        if cells.count == 8 {
            for j in [1, 3, 5, 6] { #expect(Double(cells[j]).map { $0 >= 0 && $0 <= 1 } == true, "\(cells[j]) is a probability") }
        }
        #expect(r.out.contains("Every path runs in the economy of") && r.out.contains("baseline.yaml"))
        #expect(r.out.contains("Every key of the design changes every path's runs."))
        // A missing design is found before any path runs, and nothing is written.
        let missing = try tool([
            "compare", packageRoot.appendingPathComponent("Scenarios/consensus-only.yaml").path,
            packageRoot.appendingPathComponent("Scenarios/majority.yaml").path, "--set", "population.persons=1000",
            "--uncertainty", dir.appendingPathComponent("nowhere.yaml").path, "--out", dir.appendingPathComponent("m").path,
        ])
        #expect(missing.status != 0 && missing.err.contains("invalid uncertainty design"))
        #expect(!missing.out.contains("| consensus-only |"), "no path ran")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("m").path))
        let draws = try String(contentsOf: dir.appendingPathComponent("u/draws.csv"), encoding: .utf8)
        #expect(draws.split(separator: "\n").count == 1 + 2 * 4)
        let refused = try tool([
            "compare", dir.path, packageRoot.appendingPathComponent("Scenarios/majority.yaml").path,
            "--uncertainty", design.path,
        ])
        #expect(refused.status != 0 && refused.err.contains("is a result folder"))
    }

    @Test func reportRefusesAFolderThatIsNotAResult() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try tool(["report", dir.path])
        #expect(r.status != 0 && r.err.contains("manifest.json is missing"))
    }

    @Test func inconsistentResultFoldersAreRefused() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = dir.appendingPathComponent("good").path
        #expect(try tool(["run", "--set", "population.persons=800", "--set", "horizon=12", "-r", "3", "--out", good, "-q"]).status == 0)
        let fm = FileManager.default
        func damaged(_ name: String, _ file: String, _ change: (String) -> String) throws -> String {
            let copy = dir.appendingPathComponent(name).path
            try fm.copyItem(atPath: good, toPath: copy)
            let path = copy + "/" + file
            try change(try String(contentsOfFile: path, encoding: .utf8)).write(toFile: path, atomically: true, encoding: .utf8)
            return copy
        }
        func lines(_ t: String) -> [String] { t.split(separator: "\n").map(String.init) }
        let cases: [(String, String, (String) -> String, String)] = [
            (
                "fewer", "runs.csv", { lines($0).dropLast().joined(separator: "\n") + "\n" },
                "holds 2 runs but series.csv holds 3 replicates"
            ),
            (
                "duplicate", "runs.csv",
                { t in
                    let l = lines(t); return (l + [l[1]]).joined(separator: "\n") + "\n"
                }, "appears twice"
            ),
            (
                "share", "runs.csv",
                { t in
                    var l = lines(t)
                    let j = l[0].split(separator: ",").firstIndex(of: "final_workforce_pay")!
                    var c = l[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                    c[j] = "5"; l[1] = c.joined(separator: ","); return l.joined(separator: "\n") + "\n"
                }, "line 2: column final_workforce_pay holds '5', expected a number in [0, 1]"
            ),
            (
                "maybe", "runs.csv",
                { $0.replacingOccurrences(of: ",false,", with: ",maybe,").replacingOccurrences(of: ",true,", with: ",maybe,") },
                "coercion_free holds 'maybe'"
            ),
            (
                "hex", "series.csv",
                { t in
                    var l = lines(t); var c = l[2].split(separator: ",", omittingEmptySubsequences: false).map(String.init);
                    c[5] = "0x1p-2"; l[2] = c.joined(separator: ","); return l.joined(separator: "\n") + "\n"
                }, "'0x1p-2' is not a finite decimal number"
            ),
            (
                "reversed", "series.csv",
                { t in
                    var l = lines(t); l.swapAt(2, 3); return l.joined(separator: "\n") + "\n"
                }, "months must increase"
            ),
            (
                "resolved", "manifest.json", { $0.replacingOccurrences(of: "\"scenario_resolved\"", with: "\"scenario_unresolved\"") },
                "scenario_resolved"
            ),
        ]
        for (name, file, change, message) in cases {
            let folder = try damaged(name, file, change)
            let r = try tool(["report", folder])
            #expect(r.status != 0 && r.err.contains(message), "\(name): \(r.err)")
        }
        // Windows line endings read as the same results.
        let crlf = try damaged("crlf", "runs.csv") { $0.replacingOccurrences(of: "\n", with: "\r\n") }
        try String(contentsOfFile: crlf + "/series.csv", encoding: .utf8).replacingOccurrences(of: "\n", with: "\r\n")
            .write(toFile: crlf + "/series.csv", atomically: true, encoding: .utf8)
        #expect(try tool(["report", crlf]).status == 0)
        // An unfinished run beside the results is named.
        let partial = try damaged("partial", "runs.csv") { $0 }
        try fm.createDirectory(atPath: partial + "/.partial", withIntermediateDirectories: true)
        let r = try tool(["report", partial])
        #expect(r.status != 0 && r.err.contains("holds an unfinished run (.partial)"), "\(r.err)")
    }

    @Test func reportNamesTheBadLineOfACorruptSeries() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("r").path
        #expect(try tool(["run", "--set", "population.persons=500", "--set", "horizon=6", "--out", out, "--quiet"]).status == 0)
        var lines = try String(contentsOfFile: out + "/series.csv", encoding: .utf8).split(separator: "\n").map(String.init)
        lines[3] = lines[3].replacingOccurrences(of: ",", with: ",x", options: [], range: lines[3].range(of: ","))
        try (lines.joined(separator: "\n") + "\n").write(toFile: out + "/series.csv", atomically: true, encoding: .utf8)
        let r = try tool(["report", out])
        #expect(r.status != 0 && r.err.contains("series.csv") && r.err.contains("line 4"), "\(r.err)")
        #expect(!FileManager.default.fileExists(atPath: out + "/report.md"))
    }

    @Test func compareAndSweepRefuseBadArguments() throws {
        let one = try tool(["compare", packageRoot.appendingPathComponent("Scenarios/baseline.yaml").path])
        #expect(one.status != 0 && one.err.contains("at least two"))
        let missing = try tool(["compare", "no-such.yaml", "also-missing.yaml"])
        #expect(missing.status != 0 && missing.err.contains("no-such.yaml") && missing.err.contains("no such file"))
        let every = try tool([
            "sweep", packageRoot.appendingPathComponent("Scenarios/sweep-paths.yaml").path, "--out", "/tmp/never.sqlite", "--every", "-1",
        ])
        #expect(every.status != 0 && every.err.contains("--every"))
        let sweepFile = packageRoot.appendingPathComponent("Scenarios/sweep-blocking-level.yaml").path
        let zero = try tool(["sweep", sweepFile, "--out", "/tmp/never.sqlite", "--replicates", "0"])
        #expect(zero.status != 0 && zero.err.contains("--replicates must be at least 1"), "\(zero.err)")
        let varied = try tool(["sweep", sweepFile, "--out", "/tmp/never.sqlite", "--set", "voting.blocking_level=-1"])
        #expect(varied.status != 0 && varied.err.contains("design varies voting.blocking_level"), "\(varied.err)")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never.sqlite"))
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = dir.appendingPathComponent("notes.sqlite").path
        try "not a database".write(toFile: text, atomically: true, encoding: .utf8)
        let export = try tool(["export", text, "--to", dir.appendingPathComponent("csv").path])
        #expect(export.status != 0 && export.err.contains("notes.sqlite: not a parecon-sim sweep database"), "\(export.err)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("csv").path))
        let report = try tool(["report", dir.appendingPathComponent("none.sqlite").path])
        #expect(report.status != 0 && report.err.contains("none.sqlite: not a parecon-sim sweep database: no such file"))
        let points = try tool(["check", packageRoot.appendingPathComponent("Scenarios/baseline.yaml").path, "--points"])
        #expect(points.status != 0 && points.out.contains("--points needs a sweep file"))
        let merge = try tool(["merge", text, "--out", dir.appendingPathComponent("all.csv").path])
        #expect(merge.status != 0 && merge.err.contains("must end in .sqlite or .db"))
        // An empty output folder is an argument error (status 64) for every command that writes one.
        let base = packageRoot.appendingPathComponent("Scenarios/baseline.yaml").path
        for (args, option) in [
            (["run", base, "--out", ""], "--out"), (["compare", base, base, "--out", ""], "--out"),
            (["export", text, "--to", ""], "--to"),
        ] {
            let r = try tool(args)
            #expect(r.status == 64 && r.err.contains("\(option) must name a folder"), "\(args): \(r.status) \(r.err)")
        }
    }
}

@Suite("Interrupted runs")
struct RunResumeTests {
    @Test func reportOfOneReplicateSaysSoAndListsItsParameters() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("r").path
        #expect(
            try tool([
                "run", "--set", "population.persons=1500", "--set", "horizon=36", "--set", "opinion.beta=1.3",
                "-r", "1", "--out", out, "--quiet",
            ]).status == 0)
        #expect(try tool(["report", out]).status == 0)
        let md = try String(contentsOfFile: out + "/report.md", encoding: .utf8)
        let finals = md.components(separatedBy: "## Final values")[1].components(separatedBy: "##")[0]
        #expect(md.contains("## Final values (one replicate: no interval)") && !finals.contains("["), "no [a – a] intervals")
        #expect(md.contains("| `opinion.beta` | 1.3 | 1 |") && md.contains("| `population.persons` | 1500 | 20000 |"))
        #expect(md.contains("logistic midpoint (years)") && md.contains("Bass ceiling") && md.contains("logistic R²"))
        // Momentum is dashed over pressure (they coincide while the base pressure is 1).
        let movement = try String(contentsOfFile: out + "/movement.svg", encoding: .utf8)
        #expect(movement.contains("stroke-dasharray=\"7 5\""))
        // The baseline has no state support and expropriates nobody: those charts are left out.
        #expect(
            !FileManager.default.fileExists(atPath: out + "/state.svg")
                && !FileManager.default.fileExists(atPath: out + "/expropriations.svg"))
        #expect(FileManager.default.fileExists(atPath: out + "/councils.svg") && FileManager.default.fileExists(atPath: out + "/firms.svg"))
        let stateLed = dir.appendingPathComponent("s").path
        #expect(
            try tool([
                "run", packageRoot.appendingPathComponent("Scenarios/state-led.yaml").path, "--set", "population.persons=3000",
                "--set", "horizon=60", "-r", "2", "--out", stateLed, "--quiet",
            ]).status == 0)
        #expect(try tool(["report", stateLed]).status == 0)
        let charts = try FileManager.default.contentsOfDirectory(atPath: stateLed).filter { $0.hasSuffix(".svg") }
        #expect(
            Set(charts).isSubset(of: Set(ResultFolder.derivedFiles)),
            "--force must know every chart: \(Set(charts).subtracting(ResultFolder.derivedFiles))")
        let expropriations = try String(contentsOfFile: stateLed + "/expropriations.svg", encoding: .utf8)
        #expect(
            expropriations.contains("Owners expropriated (cumulative)") && FileManager.default.fileExists(atPath: stateLed + "/state.svg"))
        // BJC, equitable pay and both are drawn in three distinct colours.
        let adoption = try String(contentsOfFile: out + "/adoption.svg", encoding: .utf8)
        let strokes = adoption.components(separatedBy: "<polyline").dropFirst().map { $0.components(separatedBy: "stroke=\"")[1].prefix(7) }
        #expect(strokes.count == 3 && Set(strokes).count == 3)
    }

    @Test func shellCompletionOffersScenarioFilesAndParameterKeys() throws {
        let script = try tool(["--generate-completion-script", "bash"])
        #expect(script.status == 0 && script.out.contains("yaml") && script.out.contains("---completion run -- --set"))
        // What bash asks the tool while `parecon-sim run --set opinion.be<TAB>` is typed.
        let keys = try tool(["---completion", "run", "--", "--set", "3", "11", "parecon-sim", "run", "--set", "opinion.be"])
        #expect(keys.out.split(separator: "\n").map(String.init) == ["opinion.beta="], "\(keys.out)")
    }

    @Test func unclearInputsGetClearMessages() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let base = packageRoot.appendingPathComponent("Scenarios/baseline.yaml").path
        let file = dir.appendingPathComponent("plain.txt").path
        try "not a folder".write(toFile: file, atomically: true, encoding: .utf8)
        let cases: [([String], String)] = [
            (["run", base, "--seed", "-1"], "The value '-1' is invalid for '--seed"),
            (["run", base, "-r", "-5"], "--replicates must be between 1 and 1,000,000, got -5"),
            (["run", base, "--out", ""], "--out must name a folder"),
            (["run", base, "--out", file + "/below"], "plain.txt is a file, not a folder"),
            (["report", file], "is a file, not a result folder"),
            (
                ["compare", dir.appendingPathComponent("x.sqlite").path, base],
                "is a sweep database: compare takes result folders or scenario files"
            ),
        ]
        for (arguments, message) in cases {
            let r = try tool(arguments)
            #expect(r.status != 0 && r.err.contains(message), "\(arguments): \(r.err)")
        }
        let loop = dir.appendingPathComponent("loop.yaml").path
        try FileManager.default.createSymbolicLink(atPath: loop, withDestinationPath: loop)
        let r = try tool(["check", loop])
        #expect(r.status != 0 && (r.out + r.err).contains("leads nowhere"), "\(r.out)\(r.err)")
    }

    @Test func aCheckpointFolderWithoutItsMarkerDoesNotBlockTheRun() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("r")
        try FileManager.default.createDirectory(at: out.appendingPathComponent(".partial"), withIntermediateDirectories: true)
        try "{}".write(to: out.appendingPathComponent(".partial/replicate-0000000.json"), atomically: true, encoding: .utf8)
        let r = try tool(["run", "--set", "population.persons=800", "--set", "horizon=12", "-r", "2", "--out", out.path, "-q"])
        #expect(r.status == 0, "\(r.err)")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("manifest.json").path))
    }

    /// Kept replicates that cannot be removed once the results are written are said, with the
    /// reason, and the results stand. The checkpoint is made unremovable by a file in it that
    /// cannot be deleted: immutable (`chattr +i`) as root, whom permissions do not bind, or in
    /// a folder without write permission otherwise.
    @Test func aCheckpointThatCannotBeRemovedIsSaidAndTheResultsStand() throws {
        let dir = try temporaryFolder()
        let out = dir.appendingPathComponent("r"), partial = out.appendingPathComponent(".partial")
        let stuck = partial.appendingPathComponent("stuck")
        try FileManager.default.createDirectory(at: partial, withIntermediateDirectories: true)
        try "x".write(to: stuck, atomically: true, encoding: .utf8)
        func chattr(_ flag: String) -> Bool {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/chattr")
            p.arguments = [flag, stuck.path]
            p.standardError = FileHandle.nullDevice
            guard (try? p.run()) != nil else { return false }
            p.waitUntilExit()
            return p.terminationStatus == 0
        }
        defer {
            if getuid() == 0 { _ = chattr("-i") } else { chmod(partial.path, 0o755) }
            try? FileManager.default.removeItem(at: dir)
        }
        if getuid() == 0 {
            guard chattr("+i") else { return }  // a file system without the immutable flag: nothing to test
        } else {
            chmod(partial.path, 0o555)
        }
        let r = try tool(["run", "--set", "population.persons=500", "--set", "horizon=12", "-r", "2", "--out", out.path, "-q", "--force"])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.err.contains("the results are complete, but \(out.path)/.partial could not be removed ("), "\(r.err)")
        #expect(r.err.contains("remove it by hand"), "\(r.err)")
        for name in ["manifest.json", "series.csv", "runs.csv", "summary.json", "scenario.yaml"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), "\(name) written")
        }
    }

    @Test func aSingleReplicateReportsProgressByMonth() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try tool([
            "run", "--set", "population.persons=1000", "--set", "horizon=30", "-r", "1", "--out", dir.appendingPathComponent("r").path,
        ])
        #expect(r.status == 0 && r.err.contains("running 30 months") && r.err.contains("30/30 months"), "\(r.err)")
        let many = try tool([
            "run", "--set", "population.persons=1000", "--set", "horizon=12", "-r", "3", "--out", dir.appendingPathComponent("m").path,
        ])
        #expect(many.err.contains("3/3 replicates"), "\(many.err)")
    }

    @Test func interruptionsSayWhatWasKeptAndExitNonZero() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        for (sig, status, word) in [(SIGINT, 130, "interrupted"), (SIGQUIT, 131, "quit"), (SIGHUP, 129, "hung up")] {
            let out = dir.appendingPathComponent("r\(sig)").path
            let process = Process()
            process.executableURL = toolURL
            process.arguments = [
                "run", "--set", "population.persons=3000", "--set", "horizon=120", "-r", "50", "--threads", "1", "--out", out, "-q",
            ]
            let err = Pipe()
            process.standardError = err
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline && !FileManager.default.fileExists(atPath: out + "/.partial/run.json") { usleep(20_000) }
            usleep(200_000)
            kill(process.processIdentifier, sig)
            let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == Int32(status), "\(word): exit \(process.terminationStatus)")
            #expect(text.contains("\(word): every replicate finished so far is kept in \(out)/.partial"), "\(text)")
            #expect(!FileManager.default.fileExists(atPath: out + "/manifest.json"))
        }
    }

    @Test func killedRunResumesToTheSameFiles() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let arguments = ["run", "--set", "population.persons=3000", "--set", "horizon=60", "-r", "8", "--threads", "2"]
        let whole = dir.appendingPathComponent("whole").path, killed = dir.appendingPathComponent("killed").path
        #expect(try tool(arguments + ["--out", whole, "-q"]).status == 0)

        let process = try startTool(arguments + ["--out", killed, "-q"])
        let kept = {
            ((try? FileManager.default.contentsOfDirectory(atPath: killed + "/.partial")) ?? []).filter { $0.hasPrefix("replicate-") }.count
        }
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline && process.isRunning && kept() < 3 { usleep(20_000) }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let before = kept()
        #expect(before >= 3 && before < 8, "replicates kept when killed: \(before)")
        #expect(!FileManager.default.fileExists(atPath: killed + "/manifest.json"), "no results before the end")

        // Another seed is a different run: refused, the kept replicates stay.
        let other = try tool(arguments + ["--seed", "99", "--out", killed])
        #expect(other.status != 0 && other.err.contains("interrupted run of another scenario, seed or replicate count"), "\(other.err)")
        // A kept file damaged meanwhile is named and its replicate run again.
        let damaged = try #require(
            try FileManager.default.contentsOfDirectory(atPath: killed + "/.partial").filter { $0.hasPrefix("replicate-") }.sorted().first)
        try "x".write(toFile: killed + "/.partial/" + damaged, atomically: false, encoding: .utf8)
        let resumed = try tool(arguments + ["--out", killed])
        #expect(resumed.status == 0 && resumed.err.contains("resuming an interrupted run, \(before - 1) of 8"), "\(resumed.err)")
        #expect(resumed.err.contains("1 kept replicate file in \(killed)/.partial did not read back whole (\(damaged)); its replicate runs again"), "\(resumed.err)")
        for name in ["series.csv", "runs.csv", "summary.json"] {
            #expect(
                try String(contentsOfFile: killed + "/" + name, encoding: .utf8)
                    == String(contentsOfFile: whole + "/" + name, encoding: .utf8), "\(name)")
        }
        #expect(!FileManager.default.fileExists(atPath: killed + "/.partial"), "kept replicates go once the results are written")
    }

    /// A folder is one run's while it runs: a second run into it, even with --force, is refused
    /// and names the holder, and so are a report on it and a `compare --force` whose paths/
    /// folder holds it; none of them touches the first run's kept replicates.
    @Test func aFolderInUseIsRefusedEvenWithForce() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let arguments = ["run", "--set", "population.persons=3000", "--set", "horizon=120", "-r", "12", "--threads", "1", "-q"]
        let comparison = dir.appendingPathComponent("cmp").path
        let busy = comparison + "/paths/baseline"
        let first = try startTool(arguments + ["--out", busy])
        let deadline = Date().addingTimeInterval(60)
        let kept = {
            ((try? FileManager.default.contentsOfDirectory(atPath: busy + "/.partial")) ?? []).filter { $0.hasPrefix("replicate-") }.count
        }
        while Date() < deadline && first.isRunning && kept() < 1 { usleep(20_000) }
        #expect(first.isRunning, "the first run must still be running for the check to mean anything")
        let holder = "another run is writing into this folder right now (process \(first.processIdentifier))"
        let second = try tool(arguments + ["--out", busy, "--force"])
        #expect(second.status != 0 && second.err.contains(holder), "\(second.err)")
        let report = try tool(["report", busy])
        #expect(report.status != 0 && report.err.contains(holder), "\(report.err)")
        let compare = try tool([
            "compare", packageRoot.appendingPathComponent("Scenarios/baseline.yaml").path,
            packageRoot.appendingPathComponent("Scenarios/majority.yaml").path, "--set", "population.persons=2000", "--set", "horizon=12", "-r", "1", "--out", comparison, "--force", "-q"])
        #expect(compare.status != 0 && compare.err.contains(holder), "\(compare.err)")
        #expect(FileManager.default.fileExists(atPath: busy + "/.partial/run.json"), "the first run's checkpoint is untouched")
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)
        #expect(FileManager.default.fileExists(atPath: busy + "/manifest.json"), "the first run finished its results")
        // Released when the holder ends: a third run (with --force) may now replace the results.
        #expect(try tool(arguments + ["--out", busy, "--force"]).status == 0)
        // A lock file that is a symbolic link is refused, not written through.
        let linked = dir.appendingPathComponent("linked").path, victim = dir.appendingPathComponent("victim.txt").path
        try "keep me".write(toFile: victim, atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: linked, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: linked + "/" + FolderLock.fileName, withDestinationPath: victim)
        let throughLink = try tool(arguments + ["--out", linked])
        #expect(throughLink.status != 0 && throughLink.err.contains("is a symbolic link"), "\(throughLink.err)")
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "keep me")
        // Earlier results and no --force: refused before anything is written into the folder.
        let done = dir.appendingPathComponent("done").path
        #expect(try tool(arguments + ["-r", "1", "--out", done]).status == 0)
        try FileManager.default.removeItem(atPath: done + "/" + FolderLock.fileName)
        let again = try tool(arguments + ["-r", "1", "--out", done])
        #expect(again.status != 0 && again.err.contains("already holds results"), "\(again.err)")
        #expect(!FileManager.default.fileExists(atPath: done + "/" + FolderLock.fileName))
    }

    /// A folder whose names cannot be listed (write and search permission only) may hold
    /// results: a run refuses it without --force instead of taking it for empty. As root,
    /// where permissions do not bind, the tool is run as the unprivileged user `nobody`.
    @Test func aFolderThatCannotBeListedIsNotTakenForEmpty() throws {
        let dir = try temporaryFolder()
        defer {
            chmod(dir.appendingPathComponent("r").path, 0o755)
            chmod(dir.appendingPathComponent("p/.partial").path, 0o755)
            try? FileManager.default.removeItem(at: dir)
        }
        chmod(dir.path, 0o777)
        var executable = toolURL.path, prefix: [String] = []
        if getuid() == 0 {
            guard FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else { return }
            // A copy nobody can reach (the build folder may lie in a private checkout).
            let copy = dir.appendingPathComponent("parecon-sim").path
            try FileManager.default.copyItem(atPath: toolURL.path, toPath: copy)
            chmod(copy, 0o755)
            prefix = ["--reuid=65534", "--regid=65534", "--clear-groups", copy]
            executable = "/usr/bin/setpriv"
        }
        func runAs(_ arguments: [String]) throws -> (status: Int32, err: String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = prefix + arguments
            let err = Pipe()
            process.standardError = err
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, text)
        }
        let out = dir.appendingPathComponent("r").path
        let arguments = ["run", "--set", "population.persons=500", "--set", "horizon=12", "-r", "1", "-q", "--out", out]
        let first = try runAs(arguments)
        #expect(first.status == 0, "\(first.err)")
        chmod(out, 0o333)
        let refused = try runAs(arguments)
        #expect(
            refused.status != 0 && refused.err.contains("cannot list the folder to check it for earlier results (Permission denied)"),
            "\(refused.err)")
        chmod(out, 0o755)
        #expect(FileManager.default.fileExists(atPath: out + "/manifest.json"), "the earlier results are left alone")

        // An interrupted run whose kept replicates cannot be listed: an error, not a fresh start
        // that would leave them behind.
        let interrupted = dir.appendingPathComponent("p").path
        let long = ["run", "--set", "population.persons=3000", "--set", "horizon=120", "-r", "50", "--threads", "1", "-q", "--out", interrupted]
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = prefix + long
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline && !FileManager.default.fileExists(atPath: interrupted + "/.partial/run.json") { usleep(20_000) }
        usleep(200_000)
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        chmod(interrupted + "/.partial", 0o333)
        defer { chmod(interrupted + "/.partial", 0o755) }
        let resumed = try runAs(long)
        #expect(resumed.status != 0 && resumed.err.contains(".partial: cannot list the folder (Permission denied)"), "\(resumed.err)")
        #expect(!FileManager.default.fileExists(atPath: interrupted + "/manifest.json"))
    }
}

@Suite("Sweeps, end to end")
struct SweepToolTests {
    func sweepFile(in dir: URL) throws -> String {
        try "population:\n  persons: 3000\nhorizon: 60\n".write(
            to: dir.appendingPathComponent("base.yaml"), atomically: true, encoding: .utf8)
        let path = dir.appendingPathComponent("s.yaml")
        try
            "sweep:\n  base: base.yaml\n  replicates: 2\n  seed: 3\n  parameters:\n    voting.rule: [majority, 0.6, supermajority, 0.8]\n    opinion.beta: [0.8, 1.2]\n"
            .write(to: path, atomically: true, encoding: .utf8)
        return path.path
    }

    /// The rows of an exported table, without the provenance comment lines (they name times and hosts).
    func exported(_ database: String, _ table: String = "runs.csv") throws -> [Substring] {
        let folder = database + ".export"
        let r = try tool(["export", database, "--to", folder, "--force"])
        #expect(r.status == 0, "\(r.err)")
        return try String(contentsOfFile: folder + "/" + table, encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("#") }
    }

    /// Points recorded so far (read while the sweep may be writing). Opened for writing so
    /// that SQLite can roll back the journal a killed sweep left behind.
    func recordedPoints(_ database: String) -> Int {
        guard FileManager.default.fileExists(atPath: database) else { return 0 }
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        guard let queue = try? DatabaseQueue(path: database, configuration: configuration) else { return 0 }
        defer { try? queue.close() }
        return (try? queue.read { db in try Int.fetchOne(db, sql: "SELECT count(DISTINCT point) FROM runs") ?? 0 }) ?? 0
    }

    @Test func killedSweepResumesWithNoRunLostOrRepeated() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try sweepFile(in: dir)
        let whole = dir.appendingPathComponent("whole.sqlite").path
        #expect(try tool(["sweep", file, "--out", whole, "-q"]).status == 0)
        let expected = try exported(whole)
        #expect(expected.count == 1 + 8 * 2)

        // Kill at two different moments (SIGKILL: no chance to clean up), then resume.
        let killed = dir.appendingPathComponent("killed.sqlite").path
        var seen: [Int] = []
        for wanted in [1, 4] {
            let process = try startTool(["sweep", file, "--out", killed, "-q"])
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline && process.isRunning && recordedPoints(killed) < wanted { usleep(20_000) }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            seen.append(recordedPoints(killed))
        }
        #expect(seen[0] >= 1 && seen[1] >= seen[0] && seen[1] < 8, "points recorded when killed: \(seen)")
        let resumed = try tool(["sweep", file, "--out", killed, "-q"])
        #expect(resumed.status == 0, "\(resumed.err)")
        #expect(resumed.out.contains("\(seen[1]) already recorded"), "\(resumed.out)")
        #expect(try exported(killed) == expected)
    }

    @Test func twoProcessesCanShareOneDatabase() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try sweepFile(in: dir)
        let whole = dir.appendingPathComponent("whole.sqlite").path, shared = dir.appendingPathComponent("shared.sqlite").path
        #expect(try tool(["sweep", file, "--out", whole, "-q"]).status == 0)
        // Both start on a missing file: one creates it, the other joins (no swapping files).
        let processes = try (0..<2).map { _ in try startTool(["sweep", file, "--out", shared, "--threads", "1", "-q"]) }
        processes.forEach { $0.waitUntilExit() }
        #expect(processes.allSatisfy { $0.terminationStatus == 0 })
        #expect(try exported(shared) == exported(whole), "each point recorded once, whoever ran it")
        // The two shared the work: the database names both processes' claims.
        let queue = try DatabaseQueue(path: shared)
        let claimants = try queue.read { try Int.fetchOne($0, sql: "SELECT count(DISTINCT pid) FROM claims") } ?? 0
        let claims = try queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM claims") } ?? 0
        try queue.close()
        #expect(claims == 8, "every point claimed once")
        #expect(claimants >= 1)
    }

    @Test func shardsTogetherEqualTheWholeSweep() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try sweepFile(in: dir)
        let whole = dir.appendingPathComponent("whole.sqlite").path, sharded = dir.appendingPathComponent("sharded.sqlite").path
        #expect(try tool(["sweep", file, "--out", whole, "-q"]).status == 0)
        let first = try tool(["sweep", file, "--out", sharded, "--shard", "1/2", "-q"])
        #expect(first.status == 0 && first.out.contains("4 of 8 points not yet in"))
        #expect(first.out.contains("this shard is done: run the other shards and merge them"))
        #expect(try tool(["sweep", file, "--out", sharded, "--shard", "2/2", "-q"]).out.contains("Complete"))
        #expect(try exported(whole) == exported(sharded))
        let points = try tool(["check", file, "--points"])
        #expect(
            points.status == 0 && points.out.hasPrefix("point,voting.rule,opinion.beta\n1,majority,0.8\n")
                && points.out.split(separator: "\n").count == 9)
        let outside = try tool(["sweep", file, "--out", sharded, "--shard", "3/2"])
        #expect(outside.status != 0 && outside.err.contains("--shard must be i/n with 1 ≤ i ≤ n"))
        let folder = try tool(["sweep", file, "--out", dir.path, "-q"])
        #expect(folder.status != 0 && folder.err.contains("must end in .sqlite or .db"))
    }

    @Test func changedSweepFileIsRefusedOnResume() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try sweepFile(in: dir)
        let out = dir.appendingPathComponent("o.sqlite").path
        #expect(try tool(["sweep", file, "--out", out, "--shard", "1/4", "-q"]).status == 0)
        try String(contentsOfFile: file, encoding: .utf8).replacingOccurrences(of: "seed: 3", with: "seed: 4")
            .write(toFile: file, atomically: true, encoding: .utf8)
        let r = try tool(["sweep", file, "--out", out, "-q"])
        #expect(r.status != 0 && r.err.contains("the sweep file (or --replicates) changed"))
    }
}

@Suite("Merging sweep shards")
struct MergeToolTests {
    @Test func shardsMergeIntoTheWholeSweepAndBadMergesAreRefused() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let sweeps = SweepToolTests()
        let file = try sweeps.sweepFile(in: dir)
        let whole = dir.appendingPathComponent("whole.sqlite").path
        #expect(try tool(["sweep", file, "--out", whole, "-q"]).status == 0)
        var shards: [String] = []
        for i in 1...3 {
            let shard = dir.appendingPathComponent("shard\(i).sqlite").path
            #expect(try tool(["sweep", file, "--out", shard, "--shard", "\(i)/3", "-q"]).status == 0)
            shards.append(shard)
        }
        let merged = dir.appendingPathComponent("merged.sqlite").path
        let r = try tool(["merge"] + shards + ["--out", merged])
        #expect(r.status == 0, "\(r.err)")
        #expect(try sweeps.exported(merged) == sweeps.exported(whole))
        #expect(try String(contentsOfFile: merged + ".export/sweep.json", encoding: .utf8).contains("\"finished\""))
        let report = try tool(["report", merged])
        #expect(report.status == 0 && report.out.contains("| point | persons | runs |"), "\(report.err)")
        let reportText = try String(contentsOfFile: dir.appendingPathComponent("merged-report.md").path, encoding: .utf8)
        #expect((1...8).allSatisfy { p in reportText.contains("| P\(p) rule=") }, "one row per point")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("merged-points.svg").path))
        _ = try sweeps.exported(shards[0])
        #expect(
            try !String(contentsOfFile: shards[0] + ".export/sweep.json", encoding: .utf8).contains("\"finished\""),
            "a lone shard is not finished")

        // A missing shard: refused, nothing written.
        let partial = dir.appendingPathComponent("partial.sqlite").path
        let missing = try tool(["merge", shards[0], shards[1], "--out", partial])
        #expect(missing.status != 0 && missing.err.contains("shard missing"))
        #expect(!FileManager.default.fileExists(atPath: partial))

        // Shards of a different sweep.
        let otherFile = dir.appendingPathComponent("other.yaml").path
        try String(contentsOfFile: file, encoding: .utf8).replacingOccurrences(of: "seed: 3", with: "seed: 5")
            .write(toFile: otherFile, atomically: true, encoding: .utf8)
        let other = dir.appendingPathComponent("other.sqlite").path
        #expect(try tool(["sweep", otherFile, "--out", other, "--shard", "3/3", "-q"]).status == 0)
        let mixed = try tool(["merge", shards[0], shards[1], other, "--out", dir.appendingPathComponent("mixed.sqlite").path])
        #expect(mixed.status != 0 && mixed.err.contains("different sweep"))

        // A corrupt (truncated) shard.
        let data = try Data(contentsOf: URL(fileURLWithPath: shards[2]))
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: shards[2]))
        let corrupt = try tool(["merge"] + shards + ["--out", dir.appendingPathComponent("corrupt.sqlite").path])
        #expect(
            corrupt.status != 0 && corrupt.err.contains(shards[2]) && corrupt.err.contains("not a parecon-sim sweep database"),
            "\(corrupt.err)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("corrupt.sqlite").path))

        // The earlier merge is not overwritten without --force.
        let again = try tool(["merge"] + shards.prefix(2) + [shards[0], "--out", merged])
        #expect(again.status != 0 && again.err.contains("already exists"))
        #expect(try sweeps.exported(merged) == sweeps.exported(whole))
    }
}

@Suite("Sweep series")
struct SweepSeriesTests {
    @Test func everyKeepsThinnedSeriesAndMustMatchOnResume() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let sweeps = SweepToolTests()
        let file = try sweeps.sweepFile(in: dir)
        let out = dir.appendingPathComponent("s.sqlite").path
        #expect(try tool(["sweep", file, "--out", out, "--every", "12", "--shard", "1/2", "-q"]).status == 0)
        let refused = try tool(["sweep", file, "--out", out, "--every", "6", "-q"])
        #expect(refused.status != 0 && refused.err.contains("--every 12"))
        #expect(try tool(["sweep", file, "--out", out, "--every", "12", "-q"]).status == 0)
        let lines = try sweeps.exported(out, "series.csv")
        #expect(lines[0].hasPrefix("point,replicate,month,"))
        let months = Set(lines.dropFirst().map { Int($0.split(separator: ",")[2])! })
        #expect(months == [0, 12, 24, 36, 48, 60])
        #expect(lines.count == 1 + 8 * 2 * 6)  // points × replicates × kept months
    }
}
