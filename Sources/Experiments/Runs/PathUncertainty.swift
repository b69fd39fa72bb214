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
    /// For each path, the design's keys that changed nothing in it: runs at the key's lowest and
    /// highest drawn value, all else as at the first draw, were identical month by month.
    public var inertKeys: [[String]] = []
    /// The economy every path runs in: the design's base scenario file.
    public var economy = ""
    /// For each path, its own levers (settings in which the path differs from the economy) that
    /// the design also sets: the draws override them, so the path does not run as written.
    public var overriddenLevers: [[String]] = []

    /// Loads every path at every draw, then runs `replicates` replicates of each on `threads`
    /// threads. Each path is the design's base economy with the path file's own settings over it
    /// (``ScenarioLoader/load(path:over:overrides:)``), then `overrides`, then the draw's values:
    /// so over a calibrated economy each draw is a posterior sample used whole, and the paths
    /// differ only by their levers. Draw k runs with master seed
    /// `SeedMixing.childSeed(master: seed, index: k)` for every path: common random numbers.
    /// Every key of the design is then probed in every path (``inertKeys``).
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
                var s = try ScenarioLoader.load(path: path, over: design.base.source, overrides: overrides + point.overrides).scenario
                s.seed = SeedMixing.childSeed(master: design.seed, index: UInt64(k))
                row.append(s)
            }
            names.append(row.first?.name ?? path)
            scenarios.append(row)
        }
        let probes = try inertnessProbes(paths: paths, overrides: overrides, design: design)
        let draws = design.points.count
        let loaded = scenarios
        let total = paths.count * draws * replicates + probes.count * 2
        let slots = ResultSlots<RunSummary>(count: paths.count * draws * replicates)
        let probeSlots = ResultSlots<[MetricsRecord]>(count: probes.count * 2)
        let next = TicketCounter()
        let workers = max(1, min(threads, total, MemoryEstimate.simulationsThatFit(Array(loaded.joined()))))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let t = next.take(below: total) {
                if t >= paths.count * draws * replicates {
                    let q = t - paths.count * draws * replicates
                    let probe = probes[q / 2]
                    probeSlots.store(q, .success(LivenessStudy.monthByMonth(q % 2 == 0 ? probe.low : probe.high, replicate: 0)))
                } else {
                    let p = t / (draws * replicates), k = (t / replicates) % draws, r = t % replicates
                    let result = ReplicateRunner.runOne(loaded[p][k], replicate: r, threads: 1, stop: StopCondition(), every: 0)
                    slots.store(t, result.map(\.summary))
                }
                progress(slots.finished + probeSlots.finished, total)
            }
        }
        var inert = Array(repeating: [String](), count: paths.count)
        let traces = probeSlots.all()
        for (q, probe) in probes.enumerated() {
            if case .success(let low)? = traces[2 * q], case .success(let high)? = traces[2 * q + 1], low == high {
                inert[probe.path].append(probe.key)
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
        var result = PathUncertainty(pathNames: names, draws: design.points.map(\.overrides), cells: cells)
        result.inertKeys = inert
        result.overriddenLevers = try paths.map { path throws(ScenarioError) in
            let own = try ScenarioLoader.load(path: path, over: design.base.source, overrides: overrides).scenario
            let economy = try ScenarioLoader.load(path: design.base.source, overrides: overrides).scenario
            return design.parameters.filter { key in
                ScenarioSchema.byPath[key].map { $0.render(own) != $0.render(economy) } ?? false
            }
        }
        result.economy = design.base.source
        return result
    }

    /// One key of the design in one path: the path at the first draw with the key at its lowest
    /// and at its highest drawn value.
    struct Probe: Sendable {
        var path: Int
        var key: String
        var low: Scenario
        var high: Scenario
    }

    /// How many runs ``run(paths:overrides:design:replicates:threads:progress:)`` makes.
    public static func runCount(paths: Int, design: SweepFile, replicates: Int) -> Int {
        paths * design.points.count * replicates + 2 * paths * design.parameters.filter { extremes(of: $0, in: design) != nil }.count
    }

    /// The lowest and highest value the design gives `key` (the first two distinct values when
    /// they are not all numbers); nil when it gives fewer than two.
    static func extremes(of key: String, in design: SweepFile) -> (low: String, high: String)? {
        let values = design.points.indices.compactMap { design.value(of: key, atPoint: $0) }
        let numeric = values.compactMap { v in Double(v).map { (v, $0) } }
        let (low, high): (String?, String?) =
            numeric.count == values.count
            ? (numeric.min { $0.1 < $1.1 }?.0, numeric.max { $0.1 < $1.1 }?.0)
            : (values.first, values.first { $0 != values.first })
        guard let low, let high, low != high else { return nil }
        return (low, high)
    }

    /// A probe for every key the design varies over at least two values, in every path.
    static func inertnessProbes(paths: [String], overrides: [String], design: SweepFile) throws(ScenarioError) -> [Probe] {
        guard let first = design.points.first else { return [] }
        var probes: [Probe] = []
        for key in design.parameters {
            guard let (low, high) = extremes(of: key, in: design) else { continue }
            let others = first.overrides.filter { !$0.hasPrefix(key + "=") }
            let seed = SeedMixing.childSeed(master: design.seed, index: 0)
            for (p, path) in paths.enumerated() {
                var a = try ScenarioLoader.load(path: path, over: design.base.source, overrides: overrides + others + ["\(key)=\(low)"]).scenario
                var b = try ScenarioLoader.load(path: path, over: design.base.source, overrides: overrides + others + ["\(key)=\(high)"]).scenario
                a.seed = seed
                b.seed = seed
                probes.append(Probe(path: p, key: key, low: a, high: b))
            }
        }
        return probes
    }
}
