import Dispatch
import Foundation
import TransitionModel

/// Which parameters change anything: each parameter is moved away from its value in a scenario
/// (doubled or halved, 0 moved to 0.1 or 1, a switch flipped, the next choice) and the runs at
/// the two values, on the same seeds, are compared month by month. A parameter whose runs are
/// identical in every scenario tried is inert there: whatever a document says its mechanism
/// does, it does nothing at these settings.
///
/// Identity under common random numbers is exact, not statistical: a parameter that changes a
/// single draw anywhere in a run is live. It cannot tell a large effect from a tiny one; the
/// robustness study measures sizes.
public enum LivenessStudy {
    /// One parameter's verdict.
    public struct Finding: Sendable, Equatable {
        public var key: String
        /// The first scenario (in the order given) in which moving the parameter changed the
        /// runs, and the value it was moved to; nil when it changed nothing anywhere.
        public var liveIn: String?
        public var movedTo: String?
        /// Scenarios where it was moved and changed nothing.
        public var inertIn: [String]
        /// Why it was not moved at all (structured values, or every move refused by the checks).
        public var notMoved: String?
        /// Where it is live: whether the move changed a headline output beyond replicate noise
        /// (``detectable(_:_:)``), and the largest change in units of that noise.
        public var detectable: Bool?
        public var largestEffect: Double?
        public var isInert: Bool { liveIn == nil && notMoved == nil }
        /// Live, but without an effect on the headline outputs beyond replicate noise.
        public var isWeak: Bool { liveIn != nil && detectable == false }
    }

    /// The outputs a move must change to count as detectable: final workforce shares with BJC
    /// and with equitable pay, persons adopted over while leaning against and jobs lost (both
    /// per 1,000), and the income Gini.
    static func headline(_ s: RunSummary) -> [Double] {
        [s.final.workforceBJC, s.final.workforcePay, s.adoptedOverPerThousand(), s.jobsLostPerThousand, s.final.incomeGini]
    }

    /// Whether runs `b` differ from runs `a` (the same seeds) in some headline output by more
    /// than twice the standard error of the difference of two means over replicates (outputs
    /// that do not vary over replicates count when they differ at all); and the largest
    /// difference in those units.
    public static func detectable(_ a: [RunSummary], _ b: [RunSummary]) -> (Bool, Double) {
        precondition(a.count == b.count && a.count >= 2, "replicate noise needs two or more runs a side")
        let n = Double(a.count)
        var largest = 0.0, found = false
        for k in headline(a[0]).indices {
            let x = a.map { headline($0)[k] }, y = b.map { headline($0)[k] }
            let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
            let vx = x.reduce(0) { $0 + ($1 - mx) * ($1 - mx) } / (n - 1), vy = y.reduce(0) { $0 + ($1 - my) * ($1 - my) } / (n - 1)
            let se = ((vx + vy) / n).squareRoot()
            let d = abs(my - mx)
            if se == 0 {
                if d > 1e-12 { found = true; largest = .infinity }
                continue
            }
            largest = max(largest, d / se)
            if d > 2 * se { found = true }
        }
        return (found, largest)
    }

    /// Replicates of the noise test.
    public static let noiseReplicates = 6

    /// The values to try in place of `value` (as the scenario renders it), nearest first.
    public static func moves(of type: ParameterType, value: String) -> [String] {
        switch type {
        case let .number(lo, hi, open):
            guard let v = Double(value) else { return [] }
            let candidates = v == 0 ? [0.1, 1, lo + (hi - lo) / 2] : [v * 2, v / 2, -v]
            return candidates.filter { c in c != v && c.isFinite && c <= hi && (open ? c > lo : c >= lo) }.map { format($0) }
        case let .integer(lo, hi):
            guard let v = Int(value) else { return [] }
            return [v == 0 ? 1 : 2 * v, v + 1, v - 1].filter { $0 != v && $0 >= lo && $0 <= hi }.map(String.init)
        case .boolean:
            return value == "true" ? ["false"] : ["true"]
        case .choice(let words):
            guard let i = words.firstIndex(of: value) else { return [] }
            return [words[(i + 1) % words.count]].filter { $0 != value }
        case .structured:
            // A schedule written as one number is moved like a number.
            guard let v = Double(value), v.isFinite else { return [] }
            return (v == 0 ? [0.1, 1] : [v * 2, v / 2]).map { format($0) }
        }
    }

    /// Runs the study: every parameter of ``ScenarioSchema`` (or `keys`), tried scenario by
    /// scenario until one shows it live. `size` overrides (e.g. persons) apply to every run.
    public static func run(
        scenarios: [(name: String, loaded: LoadedScenario)], size: [String], keys: [String]? = nil,
        replicates: Int, threads: Int, progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }
    ) throws(ScenarioError) -> [Finding] {
        precondition(replicates >= 1, "the liveness study needs at least one replicate")
        let specs = ScenarioSchema.parameters.filter { keys?.contains($0.path) ?? true }
        var bases: [Scenario] = []
        for (_, loaded) in scenarios {
            var s = loaded.scenario
            var issues: [ScenarioIssue] = []
            ScenarioLoader.applyOverrides(size, to: &s, issues: &issues)
            if !issues.isEmpty { throw ScenarioError(issues) }
            bases.append(s)
        }
        var findings = specs.map { Finding(key: $0.path, liveIn: nil, movedTo: nil, inertIn: [], notMoved: nil) }
        var everMoved = Array(repeating: false, count: specs.count)
        var live: [(spec: Int, base: Scenario, moved: Scenario)] = []
        // Scenario by scenario, only the parameters not yet shown live are tried.
        for (k, base) in bases.enumerated() {
            var jobs: [(spec: Int, value: String, scenario: Scenario)] = []
            for (i, spec) in specs.enumerated() where findings[i].liveIn == nil {
                for value in moves(of: spec.type, value: spec.render(base)) {
                    var moved = base
                    var issues: [ScenarioIssue] = []
                    ScenarioLoader.applyOverrides(["\(spec.path)=\(value)"], to: &moved, issues: &issues)
                    if issues.isEmpty { issues = ScenarioLoader.crossChecks(moved, file: scenarios[k].name) }
                    if issues.isEmpty, (try? Simulation(scenario: moved, seed: 1)) != nil {
                        jobs.append((i, value, moved))
                        break
                    }
                }
            }
            let reference = traces(of: base, replicates: replicates, threads: threads)
            let runs = jobs.map(\.scenario)
            let moved = ResultSlots<Bool>(count: jobs.count)
            let next = TicketCounter()
            DispatchQueue.concurrentPerform(iterations: max(1, min(threads, runs.count))) { _ in
                while let j = next.take(below: runs.count) {
                    moved.store(j, .success(traces(of: runs[j], replicates: replicates, threads: 1) != reference))
                    progress(moved.finished, runs.count)
                }
            }
            for (j, slot) in moved.all().enumerated() {
                let i = jobs[j].spec
                everMoved[i] = true
                if case .success(true)? = slot {
                    findings[i].liveIn = scenarios[k].name
                    findings[i].movedTo = jobs[j].value
                    live.append((i, base, jobs[j].scenario))
                } else {
                    findings[i].inertIn.append(scenarios[k].name)
                }
            }
        }
        // Where each parameter is live: is its effect beyond replicate noise?
        let pairs = live
        let noise = ResultSlots<[Double]>(count: pairs.count)
        let next = TicketCounter()
        DispatchQueue.concurrentPerform(iterations: max(1, min(threads, pairs.count))) { _ in
            while let j = next.take(below: pairs.count) {
                let a = summaries(of: pairs[j].base), b = summaries(of: pairs[j].moved)
                let (found, largest) = a.count == b.count && a.count >= 2 ? detectable(a, b) : (true, Double.infinity)
                noise.store(j, .success([found ? 1 : 0, largest]))
            }
        }
        for (j, slot) in noise.all().enumerated() {
            if case .success(let v)? = slot {
                findings[pairs[j].spec].detectable = v[0] == 1
                findings[pairs[j].spec].largestEffect = v[1]
            }
        }
        for i in findings.indices where !everMoved[i] {
            findings[i].notMoved =
                if case .structured = specs[i].type { "a structured value (a table, a schedule or a list): not moved" } else {
                    "every move was refused by the scenario's checks"
                }
        }
        return findings
    }

    /// ``noiseReplicates`` replicates' summaries (seeds apart from the exact test's).
    static func summaries(of scenario: Scenario) -> [RunSummary] {
        (0..<noiseReplicates).compactMap { r in
            guard case .success(let result) = ReplicateRunner.runOne(scenario, replicate: r, threads: 1, stop: StopCondition(), every: 0)
            else { return nil }
            return result.summary
        }
    }

    /// Every replicate of `scenario`, month by month.
    static func traces(of scenario: Scenario, replicates: Int, threads: Int) -> [[MetricsRecord]] {
        (0..<replicates).map { monthByMonth(scenario, replicate: $0, threads: threads) }
    }

    /// One replicate's every monthly record (none when the model refuses the scenario): two
    /// runs on the same seeds that differ anywhere differ here.
    static func monthByMonth(_ scenario: Scenario, replicate r: Int, threads: Int = 1) -> [MetricsRecord] {
        guard case .success(let result) = ReplicateRunner.runOne(scenario, replicate: r, threads: threads, stop: StopCondition(), every: 1)
        else { return [] }
        return result.series
    }
}
