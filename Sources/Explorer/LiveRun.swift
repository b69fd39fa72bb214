import Dispatch
import Experiments
import Foundation
import Reporting
import TransitionModel

/// A replicated run stepped month by month, for watching: every replicate advances one month,
/// then the month's curves (mean and 5–95% over replicates) and, now and then, the first
/// replicate's workplaces are handed out. It can be paused, stepped, slowed and stopped from
/// another thread.
///
/// Replicate r is seeded exactly as `parecon-sim run` seeds it, and replicates are independent,
/// so a finished run's series equal those of `parecon-sim run` on the same resolved scenario.
public final class LiveRun: @unchecked Sendable {
    /// What the run hands out, in order: month 0 first, then each month, then `finished` or `stopped`.
    public enum Event: Sendable {
        case month(MonthFrame)
        case workplaces(WorkplaceSnapshot)
        case paused(month: Int)
        case finished(FinishedRun)
        case stopped(month: Int)
    }

    public let scenario: LoadedScenario
    public let replicates: Int

    private let condition = NSCondition()
    private var paused = false
    private var stepsAllowed = 0
    private var stopRequested = false
    private var monthsPerSecond: Double

    /// How often the workplaces are sent while running freely (they are always sent on a pause,
    /// a step and at the end).
    public var workplaceInterval: TimeInterval = 0.1

    public init(scenario: LoadedScenario, replicates: Int, monthsPerSecond: Double = 0, startPaused: Bool = false) {
        precondition(replicates >= 1, "a live run needs at least one replicate")
        self.scenario = scenario
        self.replicates = replicates
        self.monthsPerSecond = Self.paced(monthsPerSecond)
        self.paused = startPaused
    }

    // MARK: control, from any thread

    public func pause() { condition.lock(); paused = true; condition.broadcast(); condition.unlock() }
    public func resume() { condition.lock(); paused = false; condition.broadcast(); condition.unlock() }
    /// While paused: advance one month.
    public func step() { condition.lock(); paused = true; stepsAllowed += 1; condition.broadcast(); condition.unlock() }
    public func stop() { condition.lock(); stopRequested = true; condition.broadcast(); condition.unlock() }
    /// Months per second; 0 runs as fast as the machine allows.
    /// 0 (unpaced) or a speed within ``RunRequest/speeds``: a wait of 1/speed must stay a date.
    static func paced(_ value: Double) -> Double {
        value > 0 && value.isFinite ? min(max(value, RunRequest.speeds.lowerBound), RunRequest.speeds.upperBound) : 0
    }

    public func setSpeed(_ value: Double) { condition.lock(); monthsPerSecond = Self.paced(value); condition.broadcast(); condition.unlock() }

    /// What the run loop does next.
    private enum Next { case go(afterPause: Bool), stop, announcePause }

    /// Waits until the next month may run. A pause not yet announced (`announced` false) returns
    /// at once so that the loop can say where it paused; then it waits for a step or resume.
    private func next(lastMonthAt: Date, announced: Bool) -> Next {
        condition.lock(); defer { condition.unlock() }
        while true {
            if stopRequested { return .stop }
            if paused {
                if stepsAllowed > 0 { stepsAllowed -= 1; return .go(afterPause: true) }
                if !announced { return .announcePause }
                condition.wait()
                continue
            }
            if monthsPerSecond > 0 {
                let due = lastMonthAt.addingTimeInterval(1 / monthsPerSecond)
                if Date() < due { _ = condition.wait(until: due); continue }
            }
            return .go(afterPause: announced)
        }
    }

    // MARK: running

    /// Runs to the horizon (or until stopped) on the calling thread, replicates in parallel,
    /// handing every event to `emit`. Throws the model's refusal of the scenario.
    public func run(emit: (Event) -> Void) throws(ModelError) {
        let s = scenario.scenario
        // A run stopped while its replicates are being built ends without building the rest.
        guard let sims = try Self.build(s, replicates: replicates, stopped: { self.condition.withLock { self.stopRequested } }) else {
            emit(.stopped(month: 0))
            return
        }
        var trackers = [RunSummaryTracker](repeating: RunSummaryTracker(), count: replicates)
        var series = [[MetricsRecord]](repeating: [], count: replicates)
        for r in 0..<replicates { series[r].reserveCapacity(s.horizon + 1) }

        func record(_ records: [MetricsRecord]) {
            for r in 0..<replicates { trackers[r].observe(records[r]); series[r].append(records[r]) }
            emit(.month(MonthFrame(records)))
        }
        record(sims.map { $0.metrics() })
        emit(.workplaces(WorkplaceSnapshot(sims[0])))
        var lastSnapshot = Date()
        var lastMonth = Date()
        var month = 0
        var announced = false
        while month < s.horizon {
            let wasPaused: Bool
            switch next(lastMonthAt: lastMonth, announced: announced) {
            case .stop:
                emit(.workplaces(WorkplaceSnapshot(sims[0])))
                emit(.stopped(month: month))
                return
            case .announcePause:
                emit(.workplaces(WorkplaceSnapshot(sims[0])))
                emit(.paused(month: month))
                announced = true
                continue
            case .go(let afterPause):
                wasPaused = afterPause
            }
            lastMonth = Date()
            let stepped = SimulationBox(sims)
            DispatchQueue.concurrentPerform(iterations: replicates) { r in stepped.stepAndMeasure(r) }
            month += 1
            record(stepped.records)
            let isPaused = condition.withLock { paused }
            if isPaused || wasPaused || month == s.horizon || Date().timeIntervalSince(lastSnapshot) >= workplaceInterval {
                emit(.workplaces(WorkplaceSnapshot(sims[0])))
                lastSnapshot = Date()
            }
            if isPaused { emit(.paused(month: month)) }
            announced = isPaused
        }
        let results = (0..<replicates).map { r in
            ReplicateResult(
                replicate: r, seed: sims[r].seed, series: series[r],
                summary: trackers[r].summary(ledger: sims[r].ledger, statusQuo: sims[r].statusQuo, persons: sims[r].population.count))
        }
        emit(.finished(FinishedRun(scenario: scenario, results: results)))
    }

    /// The replicates' simulations at month 0, built in parallel, seeded as `parecon-sim run`
    /// seeds them; nil when `stopped` said so before all were built.
    static func build(_ s: Scenario, replicates: Int, stopped: @Sendable () -> Bool) throws(ModelError) -> [Simulation]? {
        let slots = BuiltSimulations(count: replicates)
        DispatchQueue.concurrentPerform(iterations: replicates) { r in
            if stopped() { return }
            slots.build(r, s, seed: ReplicateRunner.seed(master: s.seed, replicate: r))
        }
        return try slots.all()
    }
}

/// One month of a live run: every series column's mean and 5–95% over the replicates.
public struct MonthFrame: Sendable {
    public var month: Int
    /// Per column of `MetricsRecord.columns`, in their order: mean, 5% and 95% quantiles.
    public var values: [[Double]]

    init(_ records: [MetricsRecord]) {
        month = records[0].month
        values = MetricsRecord.columns.map { column in
            let xs = records.map(column.value)
            let band = Quantiles.band(xs)
            return [band?.mean ?? .nan, band?.p5 ?? .nan, band?.p95 ?? .nan]
        }
    }
}

/// A finished live run: everything needed to take it home.
public struct FinishedRun: Sendable {
    public var scenario: LoadedScenario
    public var results: [ReplicateResult]

    /// The resolved scenario: `parecon-sim run FILE -r N` gives the same series with it.
    public var scenarioYAML: String { scenario.resolvedYAML }
    /// The series as `parecon-sim run` writes them (series.csv).
    public var seriesCSV: String { ResultFolder.seriesCSV(results) }
}

/// The replicates' simulations during one month's parallel step: replicate r is touched only by
/// iteration r.
private final class SimulationBox: @unchecked Sendable {
    let sims: [Simulation]
    private let lock = NSLock()
    private var measured: [MetricsRecord]
    init(_ sims: [Simulation]) { self.sims = sims; measured = Array(repeating: MetricsRecord(), count: sims.count) }
    func stepAndMeasure(_ r: Int) {
        sims[r].step()
        let m = sims[r].metrics()
        lock.withLock { measured[r] = m }
    }
    var records: [MetricsRecord] { lock.withLock { measured } }
}

/// Simulations built in parallel, one slot each.
private final class BuiltSimulations: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<Simulation, ModelError>?]
    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func build(_ r: Int, _ s: Scenario, seed: UInt64) {
        let result: Result<Simulation, ModelError>
        do throws(ModelError) { result = .success(try Simulation(scenario: s, seed: seed, threads: 1)) } catch { result = .failure(error) }
        lock.withLock { slots[r] = result }
    }

    /// The simulations in replicate order; nil if one was not built (the run was stopped).
    func all() throws(ModelError) -> [Simulation]? {
        var out: [Simulation] = []
        for slot in lock.withLock({ slots }) {
            switch slot {
            case .success(let s): out.append(s)
            case .failure(let e): throw e
            case nil: return nil
            }
        }
        return out
    }
}
