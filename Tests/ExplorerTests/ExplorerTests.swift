import Dispatch
import Experiments
@testable import Explorer
import Foundation
import Testing
import TestSupport
import TransitionModel

private let scenariosPath = scenariosFolder.path

private func small(persons: Int = 1_500, horizon: Int = 36, _ more: [String] = []) throws -> LoadedScenario {
    try ScenarioLoader.defaults(overrides: ["population.persons=\(persons)", "horizon=\(horizon)"] + more)
}

/// Collects what a session sends, and waits for a message.
final class Inbox: @unchecked Sendable {
    private let condition = NSCondition()
    private var messages: [[String: Any]] = []

    func take(_ text: String) {
        let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? ["type": "unparsable", "text": text]
        condition.withLock {
            messages.append(object); condition.broadcast()
        }
    }

    var all: [[String: Any]] { condition.withLock { messages } }

    /// Waits (up to `timeout` s) for a message satisfying `match`; returns it.
    func wait(timeout: Double = 60, _ match: ([String: Any]) -> Bool) -> [String: Any]? {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock(); defer { condition.unlock() }
        while true {
            if let m = messages.first(where: match) { return m }
            if !condition.wait(until: deadline) { return nil }
        }
    }

    func waitFor(type: String, timeout: Double = 60) -> [String: Any]? { wait(timeout: timeout) { $0["type"] as? String == type } }
}

@Suite("Explorer: live runs")
struct LiveRunTests {
    /// A finished live run's series are those of `parecon-sim run` on the same scenario, byte
    /// for byte: the download reproduces the run.
    @Test func aLiveRunReproducesTheBatchRun() throws {
        let loaded = try small(["voting.rule=majority"])
        var finished: FinishedRun?
        var months: [Int] = []
        try LiveRun(scenario: loaded, replicates: 3).run { event in
            if case .month(let f) = event { months.append(f.month) }
            if case .finished(let f) = event { finished = f }
        }
        let batch = try ReplicateRunner.run(loaded.scenario, replicates: 3, threads: 2)
        let live = try #require(finished)
        #expect(months == Array(0...36))
        #expect(live.seriesCSV == ResultFolder.seriesCSV(batch))
        #expect(live.results.map(\.seed) == batch.map(\.seed))
        // The resolved YAML loads back to the same scenario.
        #expect(try ScenarioLoader.load(text: live.scenarioYAML).sha256 == loaded.sha256)
    }

    /// Each month's frame is the mean and 5–95% band over the replicates of that month.
    @Test func aMonthFrameSummarisesTheReplicates() throws {
        let loaded = try small()
        var frames: [MonthFrame] = []
        try LiveRun(scenario: loaded, replicates: 4).run { if case .month(let f) = $0 { frames.append(f) } }
        let batch = try ReplicateRunner.run(loaded.scenario, replicates: 4, threads: 1)
        let column = try #require(MetricsRecord.columns.firstIndex { $0.name == "workforce_both" })
        for month in [0, 12, 36] {
            let xs = batch.map { MetricsRecord.columns[column].value($0.series[month]) }
            let v = frames[month].values[column]
            #expect(abs(v[0] - xs.reduce(0, +) / 4) < 1e-12)
            #expect(v[1] >= xs.min()! - 1e-12 && v[2] <= xs.max()! + 1e-12 && v[1] <= v[0] && v[0] <= v[2])
        }
    }

    /// Started paused, a run advances one month per step and stops where it is told to.
    @Test func pausedRunsAdvanceByStepsAndStop() throws {
        let live = LiveRun(scenario: try small(), replicates: 2, startPaused: true)
        let inbox = Inbox()
        let done = DispatchSemaphore(value: 0)
        Thread {
            try? live.run { event in
                switch event {
                case .month(let f): inbox.take("{\"type\":\"month\",\"month\":\(f.month)}")
                case .paused(let m): inbox.take("{\"type\":\"paused\",\"month\":\(m)}")
                case .stopped(let m): inbox.take("{\"type\":\"stopped\",\"month\":\(m)}")
                case .finished: inbox.take("{\"type\":\"finished\"}")
                case .workplaces: break
                }
            }
            done.signal()
        }.start()
        #expect(inbox.wait { $0["type"] as? String == "month" && $0["month"] as? Int == 0 } != nil)
        Thread.sleep(forTimeInterval: 0.2)
        #expect(!inbox.all.contains { $0["month"] as? Int == 1 }, "a paused run must not advance")
        for n in 1...3 {
            live.step()
            #expect(inbox.wait { $0["type"] as? String == "paused" && $0["month"] as? Int == n } != nil, "step \(n)")
        }
        live.stop()
        #expect(done.wait(timeout: .now() + 30) == .success)
        #expect(inbox.all.last?["type"] as? String == "stopped" && inbox.all.last?["month"] as? Int == 3)
        #expect(!inbox.all.contains { $0["type"] as? String == "finished" })
    }

    /// The workplace view agrees with the model's own metrics.
    @Test func workplaceSnapshotMatchesTheMetrics() throws {
        let loaded = try small(persons: 3_000, horizon: 60, ["voting.rule=majority"])
        let sim = try Simulation(scenario: loaded.scenario, seed: 7)
        for _ in 0..<60 { sim.step() }
        let snap = WorkplaceSnapshot(sim)
        let m = sim.metrics()
        let staffed = snap.cells.filter { $0.members > 0 }
        let workforce = Double(staffed.reduce(0) { $0 + $1.members })
        let both = Double(staffed.filter { $0.state == .both }.reduce(0) { $0 + $1.members })
        #expect(abs(both / workforce - m.workforceBoth) < 1e-9, "\(both / workforce) vs \(m.workforceBoth)")
        #expect(abs(Double(staffed.filter { $0.state == .both }.count) / Double(staffed.count) - m.workplacesBoth) < 1e-9)
        #expect(staffed.allSatisfy { c in c.stances.allSatisfy { $0[1] <= $0[0] && $0[2] <= $0[0] } })
        let active = (0..<sim.population.count).filter { sim.population.isActive($0) && sim.population.personClass[$0] != .owner }.count
        #expect(snap.cells.reduce(0) { $0 + $1.members } == active)
        #expect(snap.cells.allSatisfy { sim.workplaces.open[$0.index] })
    }
}

@Suite("Explorer: requests")
struct RunRequestTests {
    let catalogue = PresetCatalogue(directory: scenariosPath)

    func request(_ json: String) throws(ExplorerError) -> RunRequest { try RunRequest(json: RunRequest.object(from: Data(json.utf8))) }

    @Test func presetsAreTheShippedScenarioFiles() throws {
        let names = catalogue.presets.map(\.name)
        for name in [
            "baseline", "consensus-only", "supermajority", "majority", "prefigurative", "state-led", "p2p-alliance",
            "backlash", "venezuela-councils", "argentina-recovered",
        ] {
            #expect(names.contains(name), "\(name)")
        }
        #expect(!names.contains { $0.hasPrefix("sweep-") || $0.hasPrefix("calibrate-") }, "sweep and calibration files are not presets")
        #expect(catalogue.preset(named: "majority")?.summary.hasPrefix("does a simple majority") == true)
        // Presets are named by the file name without its extension; names never collide.
        #expect(PresetCatalogue.name(of: "x.two.yaml", taken: []) == "x.two")
        #expect(PresetCatalogue.name(of: "x.yml", taken: ["x"]) == "x.yml" && PresetCatalogue.name(of: "x.yaml", taken: []) == "x")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("presets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for file in ["x.yaml", "x.yml", "x.two.yaml"] {
            try "name: \(file)\n".write(to: folder.appendingPathComponent(file), atomically: true, encoding: .utf8)
        }
        // A file over the input limit is not read whole: it is skipped like any file that does not load.
        try Data(count: 2 << 20).write(to: folder.appendingPathComponent("huge.yaml"))
        let mine = PresetCatalogue(directory: folder.path)
        #expect(Set(mine.presets.map(\.name)) == ["x", "x.yml", "x.two"], "\(mine.presets.map(\.name))")
        // A summary is the opening comment's whole first paragraph, never a line cut mid-sentence.
        let summary = PresetCatalogue.summary(of: "# kibbutz: does equal pay last without\n# BJC once it is gone?\n#\n# More.\nname: k\n", name: "kibbutz")
        #expect(summary == "does equal pay last without BJC once it is gone?")
        for preset in catalogue.presets where !preset.summary.isEmpty {
            #expect(".?!)".contains(preset.summary.last!), "\(preset.name): '\(preset.summary)' ends mid-sentence")
        }
    }

    @Test func aGoodRequestResolvesLikeTheCommandLine() throws {
        let r = try request(
            #"{"preset": "majority", "set": {"voting.rule": "0.6", "population.persons": 5000, "shocks.enabled": true}, "replicates": 4}"#)
        let loaded = try r.resolve(catalogue, limits: ExplorerLimits())
        let cli = try ScenarioLoader.load(
            path: scenariosPath + "/majority.yaml",
            overrides: ["population.persons=5000", "shocks.enabled=true", "voting.rule=0.6"])
        #expect(loaded.sha256 == cli.sha256 && r.replicates == 4)
    }

    /// An uploaded scenario resolves as the same text read by the command line, with the
    /// page's values on top.
    @Test func anUploadedScenarioResolvesLikeTheSameFile() throws {
        let text = "voting: {rule: supermajority}\nhorizon: 36\npopulation: {persons: 3000}\n"
        let json = try String(decoding: JSONSerialization.data(withJSONObject: ["scenario": text, "set": ["opinion.beta": "1.2"]]), as: UTF8.self)
        let loaded = try request(json).resolve(catalogue, limits: ExplorerLimits())
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("upload-\(UUID().uuidString).yaml")
        try text.write(to: dir, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: dir) }
        let cli = try ScenarioLoader.load(path: dir.path, overrides: ["opinion.beta=1.2"])
        #expect(loaded.sha256 == cli.sha256 && loaded.scenario.horizon == 36)
    }

    /// Every kind of bad request gets its status and the command line's message.
    @Test(arguments: [
        (#"{"set": {"voting.rul": "0.6"}}"#, 422, "voting.rul: unknown key (did you mean 'voting.rule'?)"),
        (#"{"set": {"opinion.beta": "-1"}}"#, 422, "opinion.beta"),
        (#"{"set": {"voting.rule": "sometimes"}}"#, 422, "voting.rule"),
        (#"{"preset": "no-such"}"#, 404, "unknown preset 'no-such': expected one of"),
        (#"{"set": {"population.persons": 900000}}"#, 413, "above this server's limit of 200000"),
        (#"{"set": {"horizon": 5000}}"#, 413, "horizon: 5000 months is above"),
        (#"{"replicates": 0}"#, 422, "replicates: expected 1 to 50"),
        (#"{"replicates": 51}"#, 413, "replicates: expected 1 to 50"),
        (
            #"{"set": {"population.persons": 200000, "influence.network": "erdos_renyi", "influence.mean_degree": 1000}, "replicates": 50}"#,
            413, "with 1000 ties each need about"
        ),
        (#"{"replicates": 2.5}"#, 400, "'replicates' must be a whole number"),
        (#"{"preset": 3}"#, 400, "'preset' must be a preset's name"),
        (#"{"set": [1]}"#, 400, "'set' must be an object"),
        (#"{"set": {"horizon": [1]}}"#, 400, "set.horizon: expected a value"),
        (#"{"colour": "red"}"#, 400, "unknown field 'colour'"),
        (#"[1, 2]"#, 400, "expected one JSON object"),
        (#"{"#, 400, "expected one JSON object"),
        // A page on another site must not be able to trap the server, pass a limit, or read files.
        (#"{"speed": 1e-10}"#, 400, "field 'speed' must be 0 (unpaced) or a number of months per second from 0.01"),
        (#"{"speed": 5e-324}"#, 400, "field 'speed' must be 0"),
        (#"{"speed": -1}"#, 400, "field 'speed' must be 0"),
        (#"{"replicates": 2, "replicates": 60}"#, 400, "the key \"replicates\" is given twice"),
        (#"{"set": {"horizon": 12, "horizon": 13}}"#, 400, "the key \"horizon\" is given twice"),
        (#"{"set": {"horizon ": 12}}"#, 400, "a key path has no spaces or '='"),
        (#"{"set": {"seed": 9223372036854775807}}"#, 400, "is a whole number too large for a JSON number to hold exactly; send it as text"),
        (#"{"set": {"councils.rollout": "{table_file: /etc/passwd}"}}"#, 422, "cannot be set from the page"),
        (#"{"set": {"councils.rollout": "{\"table_file\" : ../x.csv}"}}"#, 422, "cannot be set from the page"),
        // An uploaded scenario file: read by the same schema, but it may not reach files.
        (#"{"scenario": "horizn: 3\n"}"#, 422, "horizn: unknown key (did you mean 'horizon'?)"),
        (#"{"scenario": "extends: majority.yaml\nhorizon: 12\n"}"#, 422, "cannot extend a file"),
        (#"{"scenario": "councils:\n  rollout: {table_file: /etc/passwd}\n"}"#, 422, "an uploaded scenario cannot name a file"),
        (#"{"preset": "majority", "scenario": "horizon: 3\n"}"#, 400, "not both"),
        (#"{"scenario": 3}"#, 400, "field 'scenario' must be a scenario file's text"),
    ])
    func badRequestsAreRefusedWithTheirStatus(json: String, status: Int, message: String) {
        do {
            _ = try request(json).resolve(catalogue, limits: ExplorerLimits())
            Issue.record("\(json) must be refused")
        } catch {
            #expect(error.status == status, "\(json): \(error.message)")
            #expect(error.message.contains(message), "\(json): \(error.message)")
            // The page's values are not a command line: no message line starts with "--set:".
            #expect(!error.message.split(separator: "\n").contains { $0.hasPrefix("--set") }, "\(json): \(error.message)")
        }
    }

    /// The schema the page builds its controls from covers every parameter, with its default.
    @Test func theSchemaCoversEveryParameterAndLever() throws {
        let json = ExplorerSchema.json(catalogue: catalogue, limits: ExplorerLimits())
        let parameters = try #require(json["parameters"] as? [[String: Any]])
        #expect(parameters.map { $0["path"] as? String } == ScenarioSchema.parameters.map(\.path))
        #expect(parameters.first { $0["path"] as? String == "voting.blocking_level" }?["type"] as? String == "number")
        #expect(parameters.first { $0["path"] as? String == "horizon" }?["section"] as? String == "general")
        // Every lever has a plain name of its own, shorter than its meaning and not its key.
        let labels = ExplorerSchema.levers.map(\.label)
        #expect(Set(labels).count == labels.count, "two levers share a name")
        for lever in ExplorerSchema.levers {
            let spec = try #require(ScenarioSchema.byPath[lever.path], "\(lever.path) is not a parameter")
            #expect(!lever.label.isEmpty && lever.label.count <= 40 && !lever.label.contains("_"), "\(lever.path): '\(lever.label)'")
            if let range = lever.slider {
                switch spec.type {
                case let .number(lo, hi, _):
                    #expect(range.lowerBound >= lo && range.upperBound <= hi, "\(lever.path): slider outside the schema's range")
                case let .integer(lo, hi): #expect(range.lowerBound >= Double(lo) && range.upperBound <= Double(hi), "\(lever.path)")
                default: Issue.record("\(lever.path): a slider on a parameter that is not a number")
                }
            }
            // Over a scenario with a tax, so that a basic income has a way to be financed (the
            // loader refuses one without: a cross-check, not a bad suggestion).
            for s in lever.suggestions {
                #expect(throws: Never.self, "\(lever.path)=\(s)") {
                    try ScenarioLoader.defaults(overrides: ["reform.tax_rate=0.3", "\(lever.path)=\(s)"])
                }
            }
        }
        // Every value the page shows for a preset reads back to the same scenario.
        let values = ExplorerSchema.values(of: try ScenarioLoader.load(path: scenariosPath + "/state-led.yaml").scenario)
        let again = try ScenarioLoader.defaults(overrides: values.map { "\($0.key)=\($0.value)" })
        #expect(again.sha256 == (try ScenarioLoader.load(path: scenariosPath + "/state-led.yaml")).sha256)
    }
}

@Suite("Explorer: sessions")
struct SessionTests {
    let catalogue = PresetCatalogue(directory: scenariosPath)

    func session(
        gate: RunGate = RunGate(limit: 2), store: RunStore = RunStore(capacity: 4), limits: ExplorerLimits = ExplorerLimits()
    )
        -> (ExplorerSession, Inbox)
    {
        let inbox = Inbox()
        return (ExplorerSession(catalogue: catalogue, limits: limits, gate: gate, store: store, send: { inbox.take($0) }), inbox)
    }

    @Test func aRunStreamsEveryMonthThenFinishesWithDownloads() throws {
        let store = RunStore(capacity: 4), gate = RunGate(limit: 2)
        let (s, inbox) = session(gate: gate, store: store)
        s.receive(#"{"type": "run", "preset": "majority", "set": {"population.persons": 1500, "horizon": 24}, "replicates": 3}"#)
        let started = try #require(inbox.waitFor(type: "started"))
        let finished = try #require(inbox.waitFor(type: "finished"))
        #expect(s.waitForRuns(timeout: 10) && gate.count == 0, "the run's place is given back")
        let months = inbox.all.filter { $0["type"] as? String == "month" }.compactMap { $0["month"] as? Int }
        #expect(months == Array(0...24))
        let columns = try #require(started["columns"] as? [String])
        let last = try #require(inbox.all.last { $0["type"] as? String == "month" }?["v"] as? [[Double]])
        #expect(columns.count == MetricsRecord.columns.count && last.count == columns.count && last.allSatisfy { $0.count == 3 })
        let cells = try #require(inbox.all.last { $0["type"] as? String == "workplaces" }?["cells"] as? [[Int]])
        #expect(!cells.isEmpty && cells.allSatisfy { $0.count == 16 })
        let id = try #require(finished["run"] as? String)
        let yaml = try #require(finished["yaml"] as? String)
        #expect(yaml.hasPrefix("/api/runs/\(id)/scenario.yaml?token="))
        let token = String(yaml.split(separator: "=").last ?? "")
        #expect(token.count == 32, "a 128-bit token")
        // The run is handed out with its token only: its id alone does not open it.
        #expect(store.run(id, token: "") == nil && store.run(id, token: String(repeating: "0", count: 32)) == nil)
        let run = try #require(store.run(id, token: token))
        #expect(run.results.count == 3 && run.scenario.scenario.name == "majority")
    }

    @Test func badMessagesGetAnErrorAndNoRun() throws {
        let gate = RunGate(limit: 2)
        let (s, inbox) = session(gate: gate)
        s.receive("not json")
        s.receive(#"{"type": "fly"}"#)
        s.receive(#"{"type": "run", "set": {"voting.rule": "sometimes"}}"#)
        s.receive(#"{"type": "speed", "speed": -1}"#)
        s.receive(String(repeating: " ", count: 70_000) + "{}")
        let errors = inbox.all.filter { $0["type"] as? String == "error" }
        try #require(errors.count == 5)
        #expect((errors[0]["message"] as? String) == "expected one JSON object")
        #expect((errors[1]["message"] as? String)?.contains("unknown message type 'fly'") == true)
        #expect(errors[2]["status"] as? Int == 422 && (errors[2]["message"] as? String)?.contains("voting.rule") == true)
        #expect((errors[3]["message"] as? String)?.contains("'speed'") == true)
        #expect(errors[4]["status"] as? Int == 413)
        #expect(!inbox.all.contains { $0["type"] as? String == "started" } && gate.count == 0)
    }

    /// Runs at once are limited over all pages; a page that goes away stops its run and frees its place.
    @Test func concurrentRunsAreLimitedAndAClosedPageStopsItsRun() throws {
        let gate = RunGate(limit: 1)
        let (first, inbox1) = session(gate: gate)
        let (second, inbox2) = session(gate: gate)
        first.receive(#"{"type": "run", "set": {"population.persons": 1500, "horizon": 600}, "replicates": 1, "paused": true}"#)
        #expect(inbox1.waitFor(type: "started") != nil && gate.count == 1)
        second.receive(#"{"type": "run", "set": {"population.persons": 1500}, "replicates": 1}"#)
        let busy = try #require(inbox2.waitFor(type: "error"))
        #expect(busy["status"] as? Int == 429 && (busy["message"] as? String)?.contains("--max-runs") == true)
        first.close()
        #expect(first.waitForRuns(timeout: 30) && gate.count == 0)
        #expect(inbox1.waitFor(type: "stopped") != nil && inbox1.waitFor(type: "finished", timeout: 0.1) == nil)
        second.receive(#"{"type": "run", "set": {"population.persons": 1500, "horizon": 12}, "replicates": 1}"#)
        #expect(inbox2.waitFor(type: "finished") != nil)
    }

    /// A new run from the same page replaces the one going on.
    @Test func aNewRunReplacesTheCurrentOne() throws {
        let gate = RunGate(limit: 1)
        let (s, inbox) = session(gate: gate)
        s.receive(#"{"type": "run", "set": {"population.persons": 1500, "horizon": 600}, "replicates": 1, "paused": true}"#)
        let first = try #require(inbox.waitFor(type: "started")?["run"] as? String)
        // With a limit of one run, the old run must leave before the new one takes its place.
        s.receive(#"{"type": "run", "set": {"population.persons": 1500, "horizon": 12}, "replicates": 1}"#)
        let second = try #require(inbox.wait { $0["type"] as? String == "finished" }?["run"] as? String)
        #expect(second != first && !inbox.all.contains { $0["type"] as? String == "error" })
        let types = inbox.all.compactMap { $0["type"] as? String }
        let stopped = try #require(types.firstIndex(of: "stopped")), restarted = try #require(types.lastIndex(of: "started"))
        #expect(stopped < restarted, "the old run's end comes before the new run's start")
    }
}
