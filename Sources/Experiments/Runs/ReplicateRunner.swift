import Dispatch
import Foundation
import Synchronization
import Stochastic
import TransitionModel

/// One finished replicate: its seed, monthly series and per-run summary.
public struct ReplicateResult: Sendable, Codable {
    public var replicate: Int
    public var seed: UInt64
    public var series: [MetricsRecord]
    public var summary: RunSummary
    /// Wall-clock seconds the run took (set-up included); not part of the results proper.
    public var seconds: Double = 0

    public init(replicate: Int, seed: UInt64, series: [MetricsRecord], summary: RunSummary, seconds: Double = 0) {
        self.replicate = replicate; self.seed = seed; self.series = series; self.summary = summary; self.seconds = seconds
    }
}

/// Runs replicates of a scenario in parallel. Replicate r always uses the seed
/// `SeedMixing.childSeed(master:index: r)`, so results do not depend on the thread count.
public enum ReplicateRunner {
    /// The seed of replicate `r` of a run with master seed `master`.
    public static func seed(master: UInt64, replicate r: Int) -> UInt64 {
        SeedMixing.childSeed(master: master, index: UInt64(r))
    }

    /// Runs `replicates` replicates on `threads` threads. With one replicate to run, the threads
    /// split that run's persons instead. Replicates in `done` (an interrupted run's) are taken
    /// as they are; `finished` receives each new one as it ends, and `progress` the count (both
    /// from any thread).
    public static func run(
        _ scenario: Scenario, replicates: Int, threads: Int,
        keepSeries: Bool = true, stop: StopCondition = StopCondition(),
        done: [Int: ReplicateResult] = [:],
        finished: @escaping @Sendable (ReplicateResult) -> Void = { _ in },
        progress: @escaping @Sendable (_ finished: Int) -> Void = { _ in },
        month: (@Sendable (_ month: Int) -> Void)? = nil
    ) throws(ModelError) -> [ReplicateResult] {
        precondition(replicates >= 1, "replicates must be at least 1")
        let pending = (0..<replicates).filter { done[$0] == nil }
        let results = ResultSlots<ReplicateResult>(count: replicates)
        for (r, result) in done where r < replicates { results.store(r, .success(result)) }
        // Each replicate in flight holds a whole simulation (with a network, possibly gigabytes):
        // no more run at once than memory holds. Same results: replicate r's seed is fixed.
        let workers = max(1, min(threads, pending.count, simultaneous(scenario)))
        let innerThreads = pending.count == 1 ? max(1, threads) : 1
        let next = TicketCounter()
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let k = next.take(below: pending.count) {
                let r = pending[k]
                let result = runOne(scenario, replicate: r, threads: innerThreads, stop: stop, every: keepSeries ? 1 : 0, month: month)
                if case .success(let done) = result { finished(done) }
                results.store(r, result)
                progress(results.finished)
            }
        }
        var out: [ReplicateResult] = []
        for slot in results.all() {
            switch slot {
            case .success(let x): out.append(x)
            case .failure(let e): throw e
            case nil: preconditionFailure("every replicate slot is filled once the loop ends")
            }
        }
        return out
    }
}

extension ReplicateRunner {
    /// How many simulations of `scenario` fit in memory at once (80% of the limit
    /// ``MemoryLimit/effective()`` finds); `run` runs no more replicates than that side by side.
    public static func simultaneous(_ scenario: Scenario) -> Int {
        MemoryEstimate.simulationsThatFit([scenario])
    }

    /// Runs replicate `r` of `scenario` (seeded from the scenario's seed and r alone), keeping
    /// its monthly series every `every` months, month 0 and the last month always (0: none,
    /// 1: all).
    static func runOne(
        _ scenario: Scenario, replicate r: Int, threads: Int, stop: StopCondition,
        every: Int, month: (@Sendable (Int) -> Void)? = nil
    ) -> Result<ReplicateResult, ModelError> {
        let seed = Self.seed(master: scenario.seed, replicate: r)
        let clock = DispatchTime.now().uptimeNanoseconds
        do throws(ModelError) {
            let simulation = try Simulation(scenario: scenario, seed: seed, threads: threads)
            var series: [MetricsRecord] = []
            if every == 1 { series.reserveCapacity(scenario.horizon + 1) }
            var last: MetricsRecord?
            // The metrics of incomes only where a kept series row or the summary reads them.
            let summary = simulation.run(until: stop, incomesEvery: max(0, every)) { m in
                month?(m.month)
                guard every > 0 else { return }
                if m.month % every == 0 { series.append(m) }
                last = m
            }
            if let last, series.last?.month != last.month { series.append(last) }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - clock) / 1e9
            return .success(ReplicateResult(replicate: r, seed: seed, series: series, summary: summary, seconds: seconds))
        } catch {
            return .failure(error)
        }
    }
}

/// Hands out 0, 1, 2, … to concurrent workers.
final class TicketCounter: Sendable {
    private let next = Mutex(0)

    func take(below limit: Int) -> Int? {
        next.withLock { n in
            guard n < limit else { return nil }
            defer { n += 1 }
            return n
        }
    }
}

/// Thread-safe slots for results, filled once each.
final class ResultSlots<Value: Sendable>: Sendable {
    private let state: Mutex<(slots: [Result<Value, ModelError>?], done: Int)>

    init(count: Int) { state = Mutex((Array(repeating: nil, count: count), 0)) }

    func store(_ index: Int, _ value: Result<Value, ModelError>) {
        state.withLock {
            $0.slots[index] = value; $0.done += 1
        }
    }

    var finished: Int { state.withLock { $0.done } }

    func all() -> [Result<Value, ModelError>?] { state.withLock { $0.slots } }
}
