import Dispatch
import Foundation
import Stochastic
import TransitionModel

/// Transition paths run over a design of parameter draws (a sweep file's points: e.g. a ±25%
/// Latin hypercube, or a posterior sample), every path on the same draws and the same seeds,
/// so that for each draw the paths can be compared pairwise.
public struct PathUncertainty: Sendable {
    /// The runs of one path at one draw.
    public struct Cell: Sendable {
        public var runs: [RunSummary]
    }

    public var pathNames: [String]
    /// The overrides of each draw (key path = value), in design order.
    public var draws: [[String]]
    /// cells[path][draw]
    public var cells: [[Cell]]

    /// Loads every path at every draw (the draw's values override each path's own), then runs
    /// `replicates` replicates of each on `threads` threads. Draw k runs with master seed
    /// `SeedMixing.childSeed(master: seed, index: k)` for every path: common random numbers.
    public static func run(
        paths: [String], overrides: [String], design: SweepFile, replicates: Int, threads: Int,
        progress: @escaping @Sendable (_ done: Int, _ total: Int) -> Void = { _, _ in }
    )
        throws(ScenarioError) -> PathUncertainty
    {
        precondition(replicates >= 1, "replicates must be at least 1")
        var scenarios: [[Scenario]] = []
        var names: [String] = []
        for path in paths {
            var row: [Scenario] = []
            for (k, point) in design.points.enumerated() {
                var s = try ScenarioLoader.load(path: path, overrides: overrides + point.overrides).scenario
                s.seed = SeedMixing.childSeed(master: design.seed, index: UInt64(k))
                row.append(s)
            }
            names.append(row.first?.name ?? path)
            scenarios.append(row)
        }
        let draws = design.points.count
        let loaded = scenarios
        let total = paths.count * draws * replicates
        let slots = ResultSlots<RunSummary>(count: total)
        let next = TicketCounter()
        DispatchQueue.concurrentPerform(iterations: max(1, min(threads, total))) { _ in
            while let t = next.take(below: total) {
                let p = t / (draws * replicates), k = (t / replicates) % draws, r = t % replicates
                let result = ReplicateRunner.runOne(loaded[p][k], replicate: r, threads: 1, stop: StopCondition(), every: 0)
                slots.store(t, result.map(\.summary))
                progress(slots.finished, total)
            }
        }
        let all = slots.all()
        var cells: [[Cell]] = []
        for p in paths.indices {
            var row: [Cell] = []
            for k in 0..<draws {
                var runs: [RunSummary] = []
                for r in 0..<replicates {
                    switch all[(p * draws + k) * replicates + r] {
                    case .success(let s)?: runs.append(s)
                    case .failure(let e)?:
                        throw ScenarioError([
                            ScenarioIssue(
                                file: paths[p],
                                message: "the model refused draw \(k + 1) (\(design.points[k].overrides.joined(separator: ", "))): \(e)")
                        ])
                    case nil: preconditionFailure("every run slot is filled once the loop ends")
                    }
                }
                row.append(Cell(runs: runs))
            }
            cells.append(row)
        }
        return PathUncertainty(pathNames: names, draws: design.points.map(\.overrides), cells: cells)
    }
}
