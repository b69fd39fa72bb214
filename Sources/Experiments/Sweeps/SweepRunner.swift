import Dispatch
import Foundation
import Stochastic
import TransitionModel

/// Runs a sweep into a ``SweepDatabase``. Every run (point × replicate) is a task for the
/// threads; a point is recorded, whole, within ``commitDelay`` of its last run's end. Killing the
/// process at any moment loses at most the points in flight, and running the same command
/// again finishes the sweep: no run lost, none done twice. Runs are seeded from (sweep seed,
/// point, replicate) alone, so a shard, a resumed sweep and a single uninterrupted one record
/// identical runs, whatever the thread count.
public enum SweepRunner {
    public struct Outcome: Sendable {
        public var pointsRun = 0
        public var pointsSkipped = 0
        public var pointsFailed = 0
        /// Points another live process had claimed (it runs and records them).
        public var pointsElsewhere = 0
        public var runs = 0
        public var runsFailed = 0
        public var seconds = 0.0

        /// Finished runs per minute of wall time.
        public var runsPerMinute: Double { seconds > 0 ? Double(runs) / seconds * 60 : 0 }
    }

    /// How long a finished point may wait to share a transaction with others (seconds).
    public static let commitDelay = 0.2

    /// Which points a shard i/n takes: those with index ≡ i − 1 (mod n).
    public static func points(of sweep: SweepFile, shard: (index: Int, count: Int)) -> [Int] {
        sweep.points.indices.filter { $0 % shard.count == shard.index - 1 }
    }

    /// The seed of point p: replicate r of it then runs with `childSeed(pointSeed, r)`.
    public static func pointSeed(_ sweep: SweepFile, _ p: Int) -> UInt64 {
        SeedMixing.childSeed(master: sweep.seed, index: UInt64(p) &+ 0x5EE9)
    }

    /// Runs the points of `shard` not yet recorded in `database` on `threads` threads.
    /// With `every` > 0 each run's monthly series is kept every `every` months (month 0 and
    /// the last month always). `progress` is called (from any thread) as points are recorded.
    public static func run(
        _ sweep: SweepFile, into database: SweepDatabase, shard: (index: Int, count: Int),
        threads: Int, every: Int = 0,
        progress: @escaping @Sendable (_ done: Int, _ total: Int) -> Void = { _, _ in }
    ) throws(SweepStoreError) -> Outcome {
        let start = DispatchTime.now().uptimeNanoseconds
        let mine = points(of: sweep, shard: shard)
        let recorded = try database.recordedPoints()
        let candidates = mine.filter { !recorded.contains($0) }
        // Points are claimed a block at a time, so that another process on the same database
        // takes other points instead of computing the same ones.
        let block = max(4, 2 * threads)
        let board = TaskBoard(replicates: sweep.replicates) { cursor throws(SweepStoreError) in
            var taken: [Int] = [], skipped: [Int] = []
            while taken.isEmpty && cursor < candidates.count {
                let (claimed, elsewhere, examined) = try database.claim(candidates[cursor...], limit: block)
                cursor += examined
                taken += claimed; skipped += elsewhere
            }
            return (taken, skipped.count)
        }
        board.alreadyRecorded(mine.count - candidates.count)
        // No more simulations side by side than memory holds, sized by the largest point left.
        let fit = MemoryEstimate.simulationsThatFit(candidates.map { sweep.points[$0].scenario })
        let workers = max(1, min(threads, candidates.count * sweep.replicates, fit))
        // Few runs left: give each run several threads (same results: chunks have their own streams).
        let innerThreads = max(1, threads / workers)
        progress(mine.count - candidates.count, mine.count)
        let writer = BatchWriter(database: database, board: board, keepSeries: every > 0, delay: commitDelay) { done in
            progress(done, mine.count)
        }
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let (slot, replicate) = board.nextTask() {
                let p = board.point(slot)
                var scenario = sweep.points[p].scenario
                scenario.seed = pointSeed(sweep, p)
                let result = ReplicateRunner.runOne(scenario, replicate: replicate, threads: innerThreads, stop: sweep.stop, every: every)
                let run = SweepDatabase.RunOutcome(
                    replicate: replicate, seed: ReplicateRunner.seed(master: scenario.seed, replicate: replicate), result: result)
                guard let outcomes = board.finish(slot: slot, run) else { continue }
                writer.add(SweepDatabase.FinishedPoint(point: p, outcomes: outcomes))
            }
        }
        writer.drain()
        if let error = board.error { throw error }
        var outcome = board.result
        outcome.seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return outcome
    }
}

/// Records finished points in batches: a point waits at most `delay` seconds before its
/// transaction, and points finished within that time share one (one commit and sync instead of
/// one per point: sweeps of very short runs were bound by it). So a kill loses at most the
/// points in flight and those of the last `delay` seconds, which a resumed sweep runs again.
final class BatchWriter: @unchecked Sendable {
    private let database: SweepDatabase
    private let board: TaskBoard
    private let keepSeries: Bool
    private let delay: Double
    private let recorded: @Sendable (Int) -> Void
    private let queue = DispatchQueue(label: "parecon-sim.sweep-writer")
    private let lock = NSLock()
    private var waiting: [SweepDatabase.FinishedPoint] = []
    private var scheduled = false

    init(database: SweepDatabase, board: TaskBoard, keepSeries: Bool, delay: Double, recorded: @escaping @Sendable (Int) -> Void) {
        self.database = database; self.board = board; self.keepSeries = keepSeries; self.delay = delay; self.recorded = recorded
    }

    func add(_ point: SweepDatabase.FinishedPoint) {
        lock.lock(); defer { lock.unlock() }
        waiting.append(point)
        guard !scheduled else { return }
        scheduled = true
        queue.asyncAfter(deadline: .now() + delay) { self.flush() }
    }

    /// Writes what is waiting, then returns (at the end of a sweep).
    func drain() { queue.sync { flush() } }

    private func flush() {
        lock.lock()
        let batch = waiting
        waiting = []
        scheduled = false
        lock.unlock()
        guard !batch.isEmpty, board.error == nil else { return }
        do throws(SweepStoreError) {
            let fresh = try database.record(batch, keepSeries: keepSeries)
            for (point, isNew) in zip(batch, fresh) { recorded(board.recorded(point.outcomes, fresh: isNew)) }
        } catch {
            board.stop(error)
        }
    }
}

/// Hands out the runs of the pending points in order and collects them per point; stops
/// handing out work after a storage error.
final class TaskBoard: @unchecked Sendable {
    /// Claims the next points to run, starting at a cursor into the candidates (which it
    /// advances); returns them and how many points it found claimed by another process.
    typealias Refill = (_ cursor: inout Int) throws(SweepStoreError) -> (points: [Int], elsewhere: Int)

    private let lock = NSLock()
    private let replicates: Int
    private let refill: Refill
    private var cursor = 0
    private var points: [Int] = []
    private var next = 0
    private var collected: [[SweepDatabase.RunOutcome]] = []
    private var stoppedBy: SweepStoreError?
    private var outcome = SweepRunner.Outcome()

    /// The counts so far (read under the lock: workers update them).
    var result: SweepRunner.Outcome { lock.lock(); defer { lock.unlock() }; return outcome }

    /// Points of the shard found recorded before the sweep started.
    func alreadyRecorded(_ n: Int) { lock.lock(); defer { lock.unlock() }; outcome.pointsSkipped = n }

    init(replicates: Int, refill: @escaping Refill) {
        self.replicates = replicates; self.refill = refill
    }

    /// The next run to do (point slot, replicate), or nil when no point is left to claim.
    func nextTask() -> (Int, Int)? {
        lock.lock(); defer { lock.unlock() }
        guard stoppedBy == nil else { return nil }
        if next >= points.count * replicates {
            do throws(SweepStoreError) {
                let (more, elsewhere) = try refill(&cursor)
                outcome.pointsElsewhere += elsewhere
                points += more
                collected += Array(repeating: [], count: more.count)
            } catch {
                if stoppedBy == nil { stoppedBy = error }
                return nil
            }
            guard next < points.count * replicates else { return nil }
        }
        defer { next += 1 }
        return (next / replicates, next % replicates)
    }

    /// The point (0-based index in the sweep) of a slot handed out by ``nextTask()``.
    func point(_ slot: Int) -> Int {
        lock.lock(); defer { lock.unlock() }
        return points[slot]
    }

    /// Adds a finished run; returns the point's runs (by replicate) when it was the last one.
    func finish(slot: Int, _ run: SweepDatabase.RunOutcome) -> [SweepDatabase.RunOutcome]? {
        lock.lock(); defer { lock.unlock() }
        collected[slot].append(run)
        guard collected[slot].count == replicates else { return nil }
        defer { collected[slot] = [] }
        return collected[slot].sorted { $0.replicate < $1.replicate }
    }

    /// Counts a finished point (`fresh`: recorded by this process, not found there already);
    /// returns how many points of the shard are now recorded.
    func recorded(_ outcomes: [SweepDatabase.RunOutcome], fresh: Bool) -> Int {
        lock.lock(); defer { lock.unlock() }
        guard fresh else { outcome.pointsSkipped += 1; return outcome.pointsRun + outcome.pointsSkipped }
        let failed = outcomes.filter { if case .failure = $0.result { return true } else { return false } }.count
        outcome.pointsRun += 1
        outcome.runs += outcomes.count - failed
        outcome.runsFailed += failed
        if failed > 0 { outcome.pointsFailed += 1 }
        return outcome.pointsRun + outcome.pointsSkipped
    }

    /// The storage error that stopped the sweep, if any.
    var error: SweepStoreError? { lock.lock(); defer { lock.unlock() }; return stoppedBy }

    func stop(_ error: SweepStoreError) {
        lock.lock(); defer { lock.unlock() }
        if stoppedBy == nil { stoppedBy = error }
    }
}
