import Experiments
import Foundation

/// Transition paths side by side, and the adoption-versus-coercion trade-off.
public struct Comparison {
    public struct Path: Sendable {
        public var name: String
        public var runs: [RunRow]
        public init(name: String, runs: [RunRow]) { self.name = name; self.runs = runs }
        public var adoption: Band { Quantiles.band(runs.map(\.finalBoth))! }
        public var coercion: Band { Quantiles.band(runs.map(\.coercionPerThousand))! }
        /// Coercion-free: every run ended with nobody overruled and no owner expropriated.
        public var coercionFree: Bool { runs.allSatisfy(\.coercionFree) }
    }

    public var paths: [Path]
    public init(paths: [Path]) {
        precondition(paths.allSatisfy { !$0.runs.isEmpty }, "every compared path needs at least one run")
        self.paths = paths
    }

    /// Indices of the points on the Pareto front when `adoption` is maximised and `coercion`
    /// minimised: no other point is at least as good on both and better on one. Equal points
    /// are all on the front.
    public static func paretoFront(adoption: [Double], coercion: [Double]) -> [Int] {
        precondition(adoption.count == coercion.count, "one adoption and one coercion figure per point")
        return adoption.indices.filter { i in
            !adoption.indices.contains { j in
                j != i && adoption[j] >= adoption[i] && coercion[j] <= coercion[i]
                    && (adoption[j] > adoption[i] || coercion[j] < coercion[i])
            }
        }
    }

    public var front: Set<Int> {
        Set(Self.paretoFront(adoption: paths.map(\.adoption.mean), coercion: paths.map(\.coercion.mean)))
    }

    /// The side-by-side table (Markdown; fits 80 columns for up to a few paths per line);
    /// `heading` names the first column (a path, or a sweep's point).
    public func table(heading: String = "path") -> String {
        func pct(_ b: Band) -> String { String(format: "%.1f%% [%.1f–%.1f]", 100 * b.mean, 100 * b.p5, 100 * b.p95) }
        func years(_ xs: [Int?]) -> String {
            let reached = xs.compactMap { $0 }.map(Double.init)
            guard let b = Quantiles.band(reached) else { return "not reached" }
            return String(format: "%.1f y (%d%%)", b.p50 / 12, Int((100 * Double(reached.count) / Double(xs.count)).rounded()))
        }
        var s = "| \(heading) | runs | both adopted | BJC 50% | pay 50% | coercion /1,000 | expropriated | coercion-free | Pareto |\n"
        s += "|---|---|---|---|---|---|---|---|---|\n"
        let f = front
        for (k, p) in paths.enumerated() {
            let expro = Quantiles.band(p.runs.map(\.ownersExpropriated))!
            s += "| \(p.name) | \(p.runs.count) | \(pct(p.adoption)) | \(years(p.runs.map(\.monthsTo50BJC))) | "
            s += "\(years(p.runs.map(\.monthsTo50Pay))) | " + String(format: "%.1f [%.1f–%.1f]", p.coercion.mean, p.coercion.p5, p.coercion.p95)
            s += " | " + String(format: "%.1f", expro.mean) + " | \(p.coercionFree ? "yes" : "no") | \(f.contains(k) ? "front" : "") |\n"
        }
        return s
    }

    /// Final adoption against coercion: Pareto front ringed, coercion-free paths filled. With
    /// more than `labelAll` paths only the front is labelled (the rest would be unreadable).
    public func chart(labelAll: Int = 30) -> String {
        let f = front
        let points = paths.enumerated().map { k, p in
            SVGChart.Point(label: paths.count <= labelAll || f.contains(k) ? p.name : "",
                           x: p.coercion.mean, y: 100 * p.adoption.mean, filled: p.coercionFree, ring: f.contains(k))
        }
        return SVGChart(title: "Adoption against coercion", xLabel: "people overruled + owners expropriated per 1,000 persons",
                        yLabel: "final workforce share with both (%)")
            .scatter(points, legend: ["filled: coercion-free", "ringed: Pareto front"])
    }
}
