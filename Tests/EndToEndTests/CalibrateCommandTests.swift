import Foundation
import Testing
@testable import Experiments
import TestSupport

@Suite("calibrate, end to end")
struct CalibrateCommandTests {
    /// A small calibration: 1,000 persons, two parameters, four dates, a few particles.
    func folder(sampler: String = "{particles: 12, generations: 2, replicates: 1, seed: 5, predictive_draws: 12}") throws -> URL {
        let dir = try temporaryFolder()
        try """
        population: {persons: 1000}
        horizon: 36
        voting: {rule: majority}
        crisis: {enabled: true, start: 0, duration: 36, abandon_rate: 0.01}
        """.write(to: dir.appendingPathComponent("base.yaml"), atomically: true, encoding: .utf8)
        try """
        date,firms,source
        2000-12,5,"a survey, first round"
        2001-12,9,a survey
        2002-12,12,a survey
        """.write(to: dir.appendingPathComponent("data.csv"), atomically: true, encoding: .utf8)
        try """
        calibration:
          scenario: base.yaml
          start: 2000-01
          fit_until: 2001-12
          parameters:
            crisis.abandon_rate: {prior: log-uniform, from: 0.001, to: 0.05}
            workers_councils.rate: {prior: uniform, from: 0.01, to: 0.05}
          observations:
            abandoned:
              data: data.csv
              value: firms
              model: firms_abandoned
              scale: {per: persons, national: 1000}
              error: {relative: 0.2, absolute: 2}
          sampler: \(sampler)
        """.write(to: dir.appendingPathComponent("cal.yaml"), atomically: true, encoding: .utf8)
        return dir
    }

    @Test func calibrationWritesPosteriorPredictiveAndReportAndResumesFinished() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out").path
        let r = try tool(["calibrate", dir.appendingPathComponent("cal.yaml").path, "--out", out, "-q"])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("crisis.abandon_rate") && r.out.contains("held-out points inside the 90% predictive band"))
        for name in [
            "posterior.csv", "posterior-sample.csv", "posterior-sweep.yaml", "predictive.csv", "diagnostics.csv",
            "calibrated.yaml", "report.md", "calibration.json", "state.json", "predictive-abandoned.svg",
        ] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + name), "\(name) is written")
        }
        let posterior = try String(contentsOfFile: out + "/posterior.csv", encoding: .utf8).split(separator: "\n")
        #expect(posterior.first == "particle,crisis.abandon_rate,workers_councils.rate,weight,distance" && posterior.count == 13)
        let predictive = try String(contentsOfFile: out + "/predictive.csv", encoding: .utf8).split(separator: "\n")
        #expect(predictive.first == "series,date,month,observed,held_out,p5,p50,p95,inside")
        #expect(predictive.dropFirst().map { $0.split(separator: ",")[4] } == ["false", "false", "true"])
        // The calibrated scenario runs as it is.
        let run = try tool(["run", out + "/calibrated.yaml", "-r", "1", "--out", dir.appendingPathComponent("run").path, "-q"])
        #expect(run.status == 0, "\(run.err)")
        // The posterior sample is a valid sweep design.
        let check = try tool(["check", out + "/posterior-sweep.yaml"])
        #expect(check.status == 0, "\(check.out)\(check.err)")
        // Running again finds the finished calibration and writes the same posterior.
        let again = try tool(["calibrate", dir.appendingPathComponent("cal.yaml").path, "--out", out, "-q"])
        #expect(again.status == 0)
        #expect(try String(contentsOfFile: out + "/posterior.csv", encoding: .utf8).split(separator: "\n") == posterior)
        // Comments and layout are not inputs: the finished calibration is still found after a note is added.
        let calPath = dir.appendingPathComponent("cal.yaml").path
        let original = try String(contentsOfFile: calPath, encoding: .utf8)
        try ("# fitted on 2026-12-07; see report.md\n" + original.replacingOccurrences(of: "  scenario: base.yaml", with: "  scenario: base.yaml   # the economy"))
            .write(toFile: calPath, atomically: true, encoding: .utf8)
        let noted = try tool(["calibrate", calPath, "--out", out, "-q"])
        #expect(noted.status == 0, "\(noted.err)")
        #expect(try String(contentsOfFile: out + "/posterior.csv", encoding: .utf8).split(separator: "\n") == posterior)
        // A value is an input: a changed seed is another calibration.
        try original.replacingOccurrences(of: "seed: 5", with: "seed: 6").write(toFile: calPath, atomically: true, encoding: .utf8)
        let changed = try tool(["calibrate", calPath, "--out", out, "-q"])
        #expect(changed.status != 0 && changed.err.contains("holds a calibration of different inputs"), "\(changed.err)")
        try original.write(toFile: calPath, atomically: true, encoding: .utf8)
        // Keys in another order are the same calibration.
        let lines = original.split(separator: "\n", omittingEmptySubsequences: false)
        if let startLine = lines.firstIndex(where: { $0.hasPrefix("  start:") }), let scenarioLine = lines.firstIndex(where: { $0.hasPrefix("  scenario:") }) {
            var swapped = lines
            swapped.swapAt(startLine, scenarioLine)
            try swapped.joined(separator: "\n").write(toFile: calPath, atomically: true, encoding: .utf8)
            let reordered = try tool(["calibrate", calPath, "--out", out, "-q"])
            #expect(reordered.status == 0, "\(reordered.err)")
            try original.write(toFile: calPath, atomically: true, encoding: .utf8)
        } else { Issue.record("the test's calibration file has no start: and scenario: lines") }
        // The same files reached by another path (a moved project, a cluster node's mount) are the same calibration.
        let elsewhere = dir.deletingLastPathComponent().appendingPathComponent(dir.lastPathComponent + "-link")
        try? FileManager.default.removeItem(at: elsewhere)
        try FileManager.default.createSymbolicLink(at: elsewhere, withDestinationURL: dir)
        defer { try? FileManager.default.removeItem(at: elsewhere) }
        #expect(try CalibrationFile.load(path: elsewhere.appendingPathComponent("cal.yaml").path).digest == CalibrationFile.load(path: calPath).digest)
        let moved = try tool(["calibrate", elsewhere.appendingPathComponent("cal.yaml").path, "--out", out, "-q"])
        #expect(moved.status == 0, "\(moved.err)")
        // Folders started by earlier versions (their digests: the file's bytes, then its unsorted
        // meaning, with the data paths) are resumed, and carry the new digest.
        let file = try CalibrationFile.load(path: calPath)
        #expect(file.earlierDigests.count == 2 && !file.earlierDigests.contains(file.digest))
        for earlier in file.earlierDigests {
            var old = try Calibration.decoder.decode(Calibration.State.self, from: Data(contentsOf: URL(fileURLWithPath: out + "/state.json")))
            old.digest = earlier
            try Calibration.save(old, to: out)
            let legacy = try tool(["calibrate", calPath, "--out", out, "-q"])
            #expect(legacy.status == 0, "\(legacy.err)")
            #expect(try String(contentsOfFile: out + "/posterior.csv", encoding: .utf8).split(separator: "\n") == posterior)
            let resaved = try Calibration.decoder.decode(Calibration.State.self, from: Data(contentsOf: URL(fileURLWithPath: out + "/state.json")))
            #expect(resaved.digest == file.digest && resaved.generations.count == old.generations.count)
        }
        // A cluster task sent to the finished calibration is told so, not to start over.
        let late = try tool(["calibrate", dir.appendingPathComponent("cal.yaml").path, "--out", out, "--candidates", "0-3", "-q"])
        #expect(late.status != 0 && late.err.contains("has all its 2 generations: a candidate task has nothing left to simulate"), "\(late.err)")
        #expect(!late.err.contains("--force"))
        // The SVG chart draws the band, the median and one point per observation.
        let svg = try String(contentsOfFile: out + "/predictive-abandoned.svg", encoding: .utf8)
        #expect(svg.components(separatedBy: "class=\"band\"").count == 2 && svg.components(separatedBy: "class=\"held-out\"").count == 2)
        #expect(svg.components(separatedBy: "class=\"fitted\"").count == 3)
    }

    @Test func aKilledCalibrationResumesToTheSamePosterior() throws {
        let dir = try folder(sampler: "{particles: 30, generations: 4, replicates: 1, seed: 8, predictive_draws: 5}")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("cal.yaml").path
        let whole = dir.appendingPathComponent("whole").path, killed = dir.appendingPathComponent("killed").path
        #expect(try tool(["calibrate", file, "--out", whole, "-q"]).status == 0)
        let process = try startTool(["calibrate", file, "--out", killed, "-q"])
        let deadline = Date().addingTimeInterval(120)
        func generations() -> Int {
            guard let data = FileManager.default.contents(atPath: killed + "/state.json"),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            else { return 0 }
            return (object["generations"] as? [Any])?.count ?? 0
        }
        while Date() < deadline && process.isRunning && generations() < 1 { usleep(10_000) }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let saved = generations()
        #expect(saved >= 1 && !FileManager.default.fileExists(atPath: killed + "/posterior.csv"), "killed after \(saved) generations")
        let resumed = try tool(["calibrate", file, "--out", killed, "-q"])
        #expect(resumed.status == 0, "\(resumed.err)")
        for name in ["posterior.csv", "diagnostics.csv", "predictive.csv"] {
            let a = try String(contentsOfFile: whole + "/" + name, encoding: .utf8)
            let b = try String(contentsOfFile: killed + "/" + name, encoding: .utf8)
            if name == "diagnostics.csv" {
                // The seconds column differs; everything else is the same.
                let strip = { (t: String) in t.split(separator: "\n").map { $0.split(separator: ",").dropLast().joined(separator: ",") } }
                #expect(strip(a) == strip(b))
            } else {
                #expect(a == b, "\(name) differs after the resume")
            }
        }
    }

    /// The cluster protocol, as an array job would follow it (tasks out of order, on other
    /// thread counts, in blocks of any size): the posterior is the local run's byte for byte.
    @Test func candidatesSimulatedElsewhereGiveTheLocalPosterior() throws {
        let dir = try folder(sampler: "{particles: 16, generations: 3, replicates: 1, seed: 6, predictive_draws: 4}")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("cal.yaml").path
        let local = dir.appendingPathComponent("local").path, cluster = dir.appendingPathComponent("cluster").path
        #expect(try tool(["calibrate", file, "--out", local, "-q", "--threads", "2"]).status == 0)
        var rounds = 0, waited = 0
        while rounds < 40 {
            rounds += 1
            let driver = try tool(["calibrate", file, "--out", cluster, "-q", "--from-candidates"])
            if driver.status == 0 { break }
            #expect(driver.status == 75 && driver.err.contains("waits for candidates from"), "\(driver.status) \(driver.err)")
            guard driver.status == 75 else { return }
            waited += 1
            let needed = try String(contentsOfFile: cluster + "/candidates/needed", encoding: .utf8)
            let fields = needed.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
            try #require(fields.count == 3 && fields[2] >= 1, "needed: '\(needed)'")
            // Two tasks, the later block first, each smaller than the suggestion once in a while.
            let from = fields[1], count = max(2, rounds % 3 == 0 ? fields[2] / 2 : fields[2])
            let middle = from + count / 2
            for (a, b, threads) in [(middle, from + count - 1, 1), (from, middle - 1, 2)] {
                let task = try tool(["calibrate", file, "--out", cluster, "-q", "--candidates", "\(a)-\(b)", "--threads", "\(threads)"])
                #expect(task.status == 0, "\(task.err)")
            }
        }
        #expect(waited >= 3, "every generation waited for the cluster at least once")
        for name in ["posterior.csv", "predictive.csv"] {
            let a = try String(contentsOfFile: local + "/" + name, encoding: .utf8)
            let b = try String(contentsOfFile: cluster + "/" + name, encoding: .utf8)
            #expect(a == b, "\(name) differs between the local run and the candidates simulated elsewhere")
        }
        // A task file of other inputs is refused by name, not mixed in.
        let first = try #require(try FileManager.default.contentsOfDirectory(atPath: cluster + "/candidates").first { $0.hasPrefix("g0-") })
        let stale = cluster + "/candidates/" + first
        let refused = try tool(["calibrate", file, "--out", cluster, "-q", "--from-candidates", "--force"])
        #expect(refused.status == 75, "--force clears the candidates too, so it waits for generation 0: \(refused.err)")
        #expect(!FileManager.default.fileExists(atPath: stale))
        let task = try tool(["calibrate", file, "--out", cluster, "-q", "--candidates", "0-3"])
        #expect(task.status == 0)
        let other = try String(contentsOfFile: cluster + "/candidates/g0-0-3.csv", encoding: .utf8)
        try other.replacingOccurrences(of: "digest=", with: "digest=0").write(
            toFile: cluster + "/candidates/g0-0-3.csv", atomically: true, encoding: .utf8)
        let mixed = try tool(["calibrate", file, "--out", cluster, "-q", "--from-candidates"])
        #expect(mixed.status == 1 && mixed.err.contains("g0-0-3.csv") && mixed.err.contains("simulated for other inputs"), "\(mixed.err)")
        let bad = try tool(["calibrate", file, "--out", cluster, "--candidates", "5-2"])
        #expect(bad.status != 0 && bad.err.contains("--candidates expects FROM-TO"))
    }

    /// Priors that cannot work are refused before anything runs, at --check too: a box whose
    /// upper end needs more memory than there is, and priors none of whose draws the scenario
    /// checks accept (every candidate would be refused, generation after generation).
    @Test func priorsThatCannotWorkAreRefusedAtCheck() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = try String(contentsOf: dir.appendingPathComponent("cal.yaml"), encoding: .utf8)
        let rate = "workers_councils.rate: {prior: uniform, from: 0.01, to: 0.05}"
        for (replacement, message) in [
            ("population.persons: {prior: uniform, from: 1000000000, to: 4000000000}", "at the upper ends of the priors, draw: population.persons"),
            ("reform.basic_income: {prior: uniform, from: 0.1, to: 0.5}", "not one of 200 draws from the priors passes the scenario checks"),
        ] {
            try text.replacingOccurrences(of: rate, with: replacement).write(
                to: dir.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
            let r = try tool(["calibrate", dir.appendingPathComponent("bad.yaml").path, "--out", dir.appendingPathComponent("o").path, "--check"])
            #expect(r.status != 0 && r.err.contains("the priors cannot work") && r.err.contains(message), "\(r.err)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("o").path))
    }

    /// A folder is one calibration's: a second one while the first runs is refused, and --force
    /// does not turn a run's folder into a calibration's.
    @Test func aFolderInUseOrHoldingARunIsRefused() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("cal.yaml").path
        let busy = dir.appendingPathComponent("busy").path
        try FileManager.default.createDirectory(atPath: busy, withIntermediateDirectories: true)
        do {
            let held = try FolderLock(folder: busy, holder: "calibration")
            let second = try tool(["calibrate", file, "--out", busy, "-q"])
            #expect(second.status != 0 && second.err.contains("another calibration is writing into this folder"), "\(second.err)")
            #expect(!FileManager.default.fileExists(atPath: busy + "/state.json"), "the refused calibration wrote nothing")
            let loud = try tool(["calibrate", file, "--out", busy])
            #expect(
                loud.status != 0 && loud.err.contains("another calibration") && !loud.err.contains("particles ×"),
                "a refused folder is the whole answer, with no header of a calibration that does not start: \(loud.err)")
            withExtendedLifetime(held) {}
        }
        // Released (here by the holder going away; a killed process releases it too): it runs.
        #expect(try tool(["calibrate", file, "--out", busy, "-q"]).status == 0)
        // --force on another calibration's folder leaves none of its files (a chart of a series
        // this calibration does not observe would read as one of its own).
        try "<svg/>".write(toFile: busy + "/predictive-other-series.svg", atomically: true, encoding: .utf8)
        #expect(try tool(["calibrate", file, "--out", busy, "--force", "-q"]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: busy + "/predictive-other-series.svg"))
        #expect(FileManager.default.fileExists(atPath: busy + "/predictive-abandoned.svg"))

        let run = dir.appendingPathComponent("run").path
        #expect(try tool(["run", dir.appendingPathComponent("base.yaml").path, "-r", "1", "--out", run, "-q"]).status == 0)
        let forced = try tool(["calibrate", file, "--out", run, "--force", "-q"])
        #expect(forced.status != 0 && forced.err.contains("holds files that are not a calibration's"), "\(forced.err)")
        #expect(!FileManager.default.fileExists(atPath: run + "/posterior.csv"))
        #expect(FileManager.default.fileExists(atPath: run + "/summary.json"), "the run's results are left as they were")
    }

    /// Candidate tasks of one cluster job share the folder with each other, not with the
    /// driver: a task is refused while the driver (or a run) holds the folder, and the driver
    /// while a task does; the refusal names the holder.
    @Test func candidateTasksShareTheFolderOnlyWithEachOther() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("cal.yaml").path
        let out = dir.appendingPathComponent("cluster").path
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        do {
            let driver = try FolderLock(folder: out, holder: "calibration")
            let task = try tool(["calibrate", file, "--out", out, "--candidates", "0-1", "-q"])
            #expect(task.status != 0 && task.err.contains("another calibration is writing into this folder right now (process \(getpid()))"), "\(task.err)")
            #expect(!FileManager.default.fileExists(atPath: out + "/candidates"), "the refused task wrote nothing")
            withExtendedLifetime(driver) {}
        }
        do {
            let other = try FolderLock(folder: out, holder: "calibration task", shared: true)
            let task = try tool(["calibrate", file, "--out", out, "--candidates", "0-1", "-q"])
            #expect(task.status == 0, "a second task runs beside the first: \(task.err)")
            // (the note names the task that claimed last: here the second one, already ended)
            let driver = try tool(["calibrate", file, "--out", out, "--from-candidates", "-q"])
            #expect(
                driver.status != 0 && driver.err.contains("another calibration task is writing into this folder right now (process "),
                "\(driver.err)")
            #expect(!FileManager.default.fileExists(atPath: out + "/state.json"), "the refused driver wrote nothing")
            withExtendedLifetime(other) {}
        }
        // A task never writes beside a run's results; a run --force never replaces a calibration.
        let runFolder = dir.appendingPathComponent("run").path
        #expect(try tool(["run", dir.appendingPathComponent("base.yaml").path, "-r", "1", "--out", runFolder, "-q"]).status == 0)
        let beside = try tool(["calibrate", file, "--out", runFolder, "--candidates", "0-1", "-q"])
        #expect(beside.status != 0 && beside.err.contains("holds files that are not a calibration's"), "\(beside.err)")
        #expect(!FileManager.default.fileExists(atPath: runFolder + "/candidates"))
        let calibrated = dir.appendingPathComponent("calibrated").path
        #expect(try tool(["calibrate", file, "--out", calibrated, "-q"]).status == 0)
        let replaced = try tool(["run", dir.appendingPathComponent("base.yaml").path, "-r", "1", "--out", calibrated, "--force", "-q"])
        #expect(replaced.status != 0 && replaced.err.contains("holds a calibration (state.json)"), "\(replaced.err)")
        #expect(FileManager.default.fileExists(atPath: calibrated + "/report.md"), "the calibration is left whole")
        // Before the driver's first state, the tasks' candidates/ alone mark the folder as a calibration's.
        #expect(!FileManager.default.fileExists(atPath: out + "/state.json"))
        let early = try tool(["run", dir.appendingPathComponent("base.yaml").path, "-r", "1", "--out", out, "--force", "-q"])
        #expect(early.status != 0 && early.err.contains("holds a calibration (candidates)"), "\(early.err)")
        #expect(!FileManager.default.fileExists(atPath: out + "/runs.csv"))
        // In one process too: shared claims coexist, an exclusive one is refused beside them.
        do {
            let a = try FolderLock(folder: out, holder: "calibration task", shared: true)
            let b = try FolderLock(folder: out, holder: "calibration task", shared: true)
            #expect(throws: ResultFolderError.self) { try FolderLock(folder: out, holder: "run") }
            withExtendedLifetime((a, b)) {}
        }
        // Released: the driver takes the tasks' distances (and waits for the rest, status 75).
        let driver = try tool(["calibrate", file, "--out", out, "--from-candidates", "-q"])
        #expect(driver.status == 75 && FileManager.default.fileExists(atPath: out + "/candidates/needed"), "\(driver.err)")
    }

    @Test func syntheticDataReportRecovery() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out").path
        let r = try tool([
            "calibrate", dir.appendingPathComponent("cal.yaml").path, "--out", out, "-q",
            "--synthetic", "crisis.abandon_rate=0.01", "--synthetic", "workers_councils.rate=0.03",
        ])
        #expect(r.status == 0, "\(r.err)")
        let report = try String(contentsOfFile: out + "/report.md", encoding: .utf8)
        #expect(report.contains("## Parameter recovery") && report.contains("| `crisis.abandon_rate` | 0.01 |"))
        // The folder's two records name the same inputs: the file with its synthetic data.
        let json = { (name: String) throws -> [String: Any] in
            try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/" + name))) as? [String: Any])
        }
        let manifest = try json("calibration.json"), state = try json("state.json")
        #expect(manifest["digest"] as? String == state["digest"] as? String, "calibration.json and state.json disagree on the digest")
        #expect(manifest["observed_digest"] as? String != manifest["digest"] as? String)
        #expect(manifest["kernel"] as? String == "rejection" && manifest["covariance"] as? String == "diagonal", "the sampler's shape is recorded")
        let missing = try tool([
            "calibrate", dir.appendingPathComponent("cal.yaml").path, "--out", out + "2", "--synthetic", "crisis.abandon_rate=0.01",
        ])
        #expect(missing.status != 0 && missing.err.contains("missing: workers_councils.rate"))
        let outside = try tool([
            "calibrate", dir.appendingPathComponent("cal.yaml").path, "--out", out + "2",
            "--synthetic", "crisis.abandon_rate=0.5", "--synthetic", "workers_councils.rate=0.03",
        ])
        #expect(outside.status != 0 && outside.err.contains("outside its prior"))
        // Found only once the file is read, but an argument error all the same: calibrate's usage, status 64.
        #expect(outside.status == 64 && outside.err.contains("Usage: parecon-sim calibrate <file>"), "\(outside.err)")
        let twice = try tool([
            "calibrate", dir.appendingPathComponent("cal.yaml").path, "--out", out + "2",
            "--synthetic", "crisis.abandon_rate=0.01", "--synthetic", "crisis.abandon_rate=0.02", "--synthetic", "workers_councils.rate=0.03",
        ])
        #expect(twice.status != 0 && twice.err.contains("--synthetic gives crisis.abandon_rate twice"), "\(twice.err)")
        #expect(!FileManager.default.fileExists(atPath: out + "2"))
    }

    /// The edges of a calibration's inputs: a summary with no finite tolerance is still valid
    /// JSON; a cluster task beyond the budget, or an error too small to divide by, is refused
    /// before anything is simulated; a reader that goes away does not end the work.
    @Test func edgesOfACalibrationAreRefusedOrWrittenWhole() throws {
        let one = try folder(sampler: "{particles: 4, generations: 1, replicates: 1, seed: 5, predictive_draws: 4, max_simulations: 10}")
        defer { try? FileManager.default.removeItem(at: one) }
        let cal = one.appendingPathComponent("cal.yaml").path
        let out = one.appendingPathComponent("out").path
        let only = try tool(["calibrate", cal, "--out", out, "-q"])
        #expect(only.status == 0, "\(only.err)")
        // Generation 0 alone has no finite ε: JSON has no infinity, so it is null, not a broken file.
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/calibration.json"))) as? [String: Any]
        #expect(manifest?["epsilon"] is NSNull && manifest?["digest"] is String, "\(String(describing: manifest))")
        // Candidate numbers past max_simulations can never be needed.
        let tasks = one.appendingPathComponent("tasks").path
        let beyond = try tool(["calibrate", cal, "--out", tasks, "--candidates", "5-10", "-q"])
        #expect(beyond.status != 0 && beyond.err.contains("budget") && beyond.err.contains("numbered 0 to 9"), "\(beyond.err)")
        #expect(!FileManager.default.fileExists(atPath: tasks + "/candidates"))
        // An error so small that a residual divided by it overflows is refused where it is written.
        let text = try String(contentsOfFile: cal, encoding: .utf8)
        try text.replacingOccurrences(of: "error: {relative: 0.2, absolute: 2}", with: "error: {absolute: 1e-170}")
            .write(toFile: cal, atomically: true, encoding: .utf8)
        let tiny = try tool(["calibrate", cal, "--check"])
        #expect(tiny.status != 0 && tiny.err.contains("below 1e-9") && tiny.err.contains("cal.yaml:"), "\(tiny.err)")
        try text.write(toFile: cal, atomically: true, encoding: .utf8)
        // A budget below the first generation's particles is refused by --check, its key named.
        let small = try folder(sampler: "{particles: 4, generations: 2, seed: 5, max_simulations: 3}")
        defer { try? FileManager.default.removeItem(at: small) }
        let budget = try tool(["calibrate", small.appendingPathComponent("cal.yaml").path, "--check"])
        #expect(budget.status != 0 && budget.err.contains("calibration.sampler.max_simulations") && budget.err.contains("particles"), "\(budget.err)")
        // Progress to a reader that has gone (`… | head -c 1`): the calibration finishes all the
        // same (two generations: the second's line meets the closed pipe).
        let two = try folder()
        defer { try? FileManager.default.removeItem(at: two) }
        let process = Process()
        process.executableURL = toolURL
        process.arguments = ["calibrate", two.appendingPathComponent("cal.yaml").path, "--out", two.appendingPathComponent("piped").path]
        let err = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        try process.run()
        _ = err.fileHandleForReading.availableData  // the first progress line, then the reader goes
        try err.fileHandleForReading.close()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0, "ended by \(process.terminationReason == .uncaughtSignal ? "signal" : "exit") \(process.terminationStatus)")
        #expect(FileManager.default.fileExists(atPath: two.appendingPathComponent("piped/posterior.csv").path))
    }

    @Test func badCalibrationFilesWriteNothingAndExitNonZero() throws {
        let dir = try folder(sampler: "{particles: 1}")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out").path
        let r = try tool(["calibrate", dir.appendingPathComponent("cal.yaml").path, "--out", out])
        #expect(r.status != 0 && r.err.contains("cal.yaml:15") && r.err.contains("calibration.sampler"))
        #expect(!FileManager.default.fileExists(atPath: out))
        let fit = try tool(["calibrate", dir.appendingPathComponent("cal.yaml").path, "--out", out, "--fit-until", "2001"])
        #expect(fit.status != 0 && fit.err.contains("--fit-until") && fit.err.contains("YYYY-MM"))
        let valid = try folder()
        defer { try? FileManager.default.removeItem(at: valid) }
        let check = try tool(["calibrate", valid.appendingPathComponent("cal.yaml").path, "--out", out, "--check"])
        #expect(check.status == 0 && check.out.contains("2 points fitted, 1 held out"))
        #expect(!FileManager.default.fileExists(atPath: out), "--check writes nothing")
        // --check needs no folder; anything else does, and says so.
        let bare = try tool(["calibrate", valid.appendingPathComponent("cal.yaml").path, "--check"])
        #expect(bare.status == 0 && bare.out.contains("2 points fitted, 1 held out"))
        let noOut = try tool(["calibrate", valid.appendingPathComponent("cal.yaml").path])
        #expect(noOut.status != 0 && noOut.err.contains("--out"))
        let empty = try tool(["calibrate", valid.appendingPathComponent("cal.yaml").path, "--out", ""])
        #expect(empty.status != 0 && empty.err.contains("--out must name a folder"))
    }
}
