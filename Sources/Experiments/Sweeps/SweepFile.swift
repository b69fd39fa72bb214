import Foundation
import Stochastic
import TransitionModel
import Yams

/// A parameter sweep: a base scenario, the parameters varied by key path, a design that turns
/// them into points, replicates per point and a master seed.
///
/// ```yaml
/// sweep:
///   base: baseline.yaml            # relative to this file
///   design: grid                   # grid, combinations, latin-hypercube or saltelli (samples: n), csv (design_file:)
///   replicates: 10
///   seed: 7
///   parameters:
///     voting.blocking_level: [-2.0, -1.5, -1.0, -0.5]
///     movement.base: {from: 0.5, to: 2.0, steps: 4, scale: log}
/// ```
public struct SweepFile: Sendable {
    public enum Design: String, Sendable, CaseIterable {
        /// Every combination of the listed values or range steps.
        case grid
        /// Hand-picked points (`combinations:` a list of mappings).
        case combinations
        /// `samples` points, each parameter's range cut into that many equal strata, one point
        /// per stratum, strata paired at random (McKay et al. 1979).
        case latinHypercube = "latin-hypercube"
        /// Points read from a CSV (`design_file:`; header = key paths), e.g. written by SALib or scipy.qmc.
        case csv
        /// Saltelli's design for Sobol indices without second-order terms (`samples: N`, ranges
        /// only): N × (D + 2) points from a 2D-dimensional Sobol sequence (GSL's, digitally
        /// shifted by the seed), in SALib's order (for each base row: A, then A with column k
        /// taken from B for each k, then B), so SALib's `sobol.analyze` reads the results as is.
        /// With `second_order: true`, B with column k taken from A follows for each k.
        case saltelli
    }

    public var source: String
    public var base: LoadedScenario
    public var design: Design
    public var replicates: Int
    public var seed: UInt64
    /// When runs may end early (`stop: {adoption_above: 0.9, unchanged_months: 24}`).
    public var stop = StopCondition()
    /// Varied key paths, in file order.
    public var parameters: [String]
    /// Each point: the overrides (KEY.PATH=VALUE, as `--set` takes them) and the resolved scenario.
    public var points: [(overrides: [String], scenario: Scenario)]
    /// SHA-256 of the file's resolved content (base scenario hash, design, points).
    public var sha256: String
    /// Saltelli's design with the extra rows for second-order indices (`second_order: true`).
    public var secondOrder = false

    /// The design as recorded in results: its name, and "second-order" for such a Saltelli design.
    public var designLabel: String { Experiments.designLabel(design, secondOrder) }

    /// The points as CSV: `point` (from 1) and one column per varied key path, values as the
    /// overrides give them (empty where a point leaves a parameter at the base value).
    public func pointsCSV() -> String {
        var out = (["point"] + parameters).map(csvQuoted).joined(separator: ",") + "\n"
        for n in points.indices {
            out += (["\(n + 1)"] + parameters.map { csvQuoted(value(of: $0, atPoint: n) ?? "") }).joined(separator: ",") + "\n"
        }
        return out
    }

    /// The value point `n` (0-based) gives key path `key`, as written; nil where it leaves the
    /// parameter at the base value.
    public func value(of key: String, atPoint n: Int) -> String? {
        points[n].overrides.first { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.count + 1)) }
    }

    /// Whether a YAML document is a sweep file (its top level has a `sweep` key).
    public static func isSweep(text: String) -> Bool {
        guard let node = try? Yams.compose(yaml: text), case .mapping(let m) = node else { return false }
        return m.keys.contains { $0.string == "sweep" }
    }

    public static let maximumPoints = 1_000_000
    /// Largest CSV design accepted (about a million points of a few parameters).
    public static let maximumDesignBytes = 64 << 20

    /// A list of strings encoded so that no two different lists encode alike (JSON: quotes,
    /// separators and line breaks inside a value are escaped), for the sweep's digest.
    static func canonical(_ items: [String]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: items, options: [.withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// Reads and checks a sweep file; all problems are reported together.
    ///
    /// `baseOverrides` ("key.path=value", as `--set` takes them) change the base scenario before
    /// the design is applied; a key the design varies is refused (the design would overwrite it).
    /// `replicates` replaces the file's replicate count. Both enter the sweep's SHA-256, so a
    /// database started without them is not resumed with them.
    public static func load(
        path: String, baseOverrides: [String] = [], replicates replicatesOverride: Int? = nil
    ) throws(ScenarioError) -> SweepFile {
        var reader = try SweepReader(path: path)
        let base = reader.base(overrides: baseOverrides)
        let header = reader.header(replicatesOverride: replicatesOverride)
        // The design reads its own keys even when others are wrong: every problem is reported at once.
        let design = header.design.builder.points(&reader, seed: header.seed)
        // A pair (KEY) and its components (KEY.bjc, KEY.pay) overlap: setting one part and
        // varying the other would lose one of them unseen.
        func overlaps(_ a: String, _ b: String) -> Bool { a == b || a.hasPrefix(b + ".") || b.hasPrefix(a + ".") }
        for o in baseOverrides {
            let key = String(o.prefix { $0 != "=" })
            if let varied = design.parameters.first(where: { overlaps(key, $0) }) {
                reader.issues.append(
                    ScenarioIssue(
                        file: "--set", keyPath: key,
                        message: varied == key
                            ? "the sweep's design varies \(key); --set may change only parameters the design leaves at the base value"
                            : "the sweep's design varies \(varied), which \(key) is part of (or holds); --set may change only parameters the design leaves at the base value"))
            }
            if key == "seed" {
                reader.issues.append(
                    ScenarioIssue(file: "--set", keyPath: key, message: "a sweep seeds every run from its own sweep.seed; set that instead"))
            }
        }
        for a in design.parameters {
            if a == "seed" {
                reader.issues.append(
                    ScenarioIssue(
                        file: path, keyPath: "sweep",
                        message: "the design varies seed, which would change nothing: every run's seed comes from sweep.seed and the point and replicate (use replicates for more runs)"))
            }
        }
        // Within one point, a pair and its component would overwrite one another.
        var reported = Set<String>()
        for (n, overrides) in design.overrides.enumerated() {
            let keys = overrides.map { String($0.prefix { $0 != "=" }) }
            for (i, a) in keys.enumerated() {
                for b in keys[(i + 1)...] where a != b && overlaps(a, b) && reported.insert(a + " " + b).inserted {
                    reader.issues.append(
                        ScenarioIssue(
                            file: path, keyPath: "sweep",
                            message: "point \(n + 1) sets both \(a) and \(b), which overlap (a pair and its component): one would overwrite the other; give the pair or its components"))
                }
            }
        }
        var points: [(overrides: [String], scenario: Scenario)] = []
        if let base {
            // Checked even when the file has other problems, so that all are reported at once;
            // a key already reported (unknown keys always are, by the design's reader) is not
            // reported again for every point.
            let reportedKeys = Set(reader.issues.map(\.keyPath))
            var refusedValues: [String: (node: Node, key: String, message: String, points: [Int])] = [:]
            var refusedOrder: [String] = []
            // Problems of one point (a value computed from a range, values that do not fit
            // together): after the values written in the file, which are reported where written.
            var pointProblems: [ScenarioIssue] = []
            for (n, overrides) in design.overrides.enumerated() {
                var s = base.scenario
                var pointIssues: [ScenarioIssue] = []
                let fresh = overrides.filter { o in
                    let key = String(o.prefix { $0 != "=" })
                    return ScenarioSchema.byPath[key] != nil && !reportedKeys.contains(key)
                }
                ScenarioLoader.applyOverrides(fresh, to: &s, issues: &pointIssues)
                for i in pointIssues {
                    // A value written in the file is the culprit wherever it is used: one
                    // message at the value, naming the points that use it.
                    if let key = i.keyPath, let value = overrides.first(where: { $0.hasPrefix(key + "=") }),
                        let nodes = design.written[value], let node = nodes.first
                    {
                        let id = value + "\n" + i.message
                        if refusedValues[id] == nil {
                            // Written more than once (a repeated list item, or in several
                            // combinations): the message stands at the first, naming the others.
                            let others = nodes.dropFirst().compactMap(\.mark).map { "\($0.line):\($0.column)" }
                            let message = others.isEmpty ? i.message : "\(i.message) (also written at \(others.prefix(5).joined(separator: ", "))\(others.count > 5 ? ", …" : ""))"
                            refusedValues[id] = (node, key, message, [])
                            refusedOrder.append(id)
                        }
                        refusedValues[id]!.points.append(n + 1)
                        continue
                    }
                    var i = i
                    i.file = path
                    i.message = "point \(n + 1) (\(overrides.joined(separator: ", "))): \(i.message)"
                    pointProblems.append(i)
                }
                if pointIssues.isEmpty && fresh.count == overrides.count {
                    for var i in ScenarioLoader.crossChecks(s, file: path) {
                        i.file = path
                        i.message = "point \(n + 1) (\(overrides.joined(separator: ", "))): \(i.message)"
                        pointProblems.append(i)
                    }
                }
                points.append((overrides, s))
            }
            // In the file's order.
            let byPosition = refusedOrder.sorted { a, b in
                let (x, y) = (refusedValues[a]!.node.mark, refusedValues[b]!.node.mark)
                return ((x?.line ?? 0), (x?.column ?? 0)) < ((y?.line ?? 0), (y?.column ?? 0))
            }
            for id in byPosition {
                let (node, key, message, used) = refusedValues[id]!
                let which = used.count == 1 ? "point \(used[0])" : "points " + Self.someNumbers(used)
                reader.issue(node, key, "in \(which): \(message)")
            }
            reader.issues += pointProblems
        }
        guard reader.issues.isEmpty, let base else { throw ScenarioError(reader.issues) }
        let label = Experiments.designLabel(header.design, design.secondOrder)
        var digestText = "base \(base.sha256)\ndesign \(label)\nreplicates \(header.replicates)\nseed \(header.seed)\n"
        if !header.stop.isNever {
            digestText +=
                "stop \(header.stop.adoptionAbove.map { String($0) } ?? "-") \(header.stop.unchangedMonths.map { String($0) } ?? "-")\n"
        }
        digestText += "parameters " + Self.canonical(design.parameters) + "\n"
        for p in points { digestText += Self.canonical(p.overrides) + "\n" }
        return SweepFile(
            source: path, base: base, design: header.design, replicates: header.replicates, seed: header.seed,
            stop: header.stop, parameters: design.parameters, points: points, sha256: ScenarioLoader.sha256(digestText),
            secondOrder: design.secondOrder)
    }

    /// "3, 4 and 7", or the first five and how many more.
    static func someNumbers(_ numbers: [Int]) -> String {
        let shown = numbers.prefix(5).map(String.init)
        if numbers.count > 5 { return shown.joined(separator: ", ") + " and \(numbers.count - 5) more" }
        return shown.dropLast().joined(separator: ", ") + " and " + shown.last!
    }
}

/// A YAML node written back as flow-style text (for --set style overrides).
func yamlText(_ node: Node) -> String {
    switch node {
    // A quoted value is written back single-quoted: no escapes there, a quote doubled, so that
    // 'say "hi"' and 'C:\temp\new' read back exactly as written.
    case .scalar(let s): return s.style == .plain ? s.string : "'" + s.string.replacingOccurrences(of: "'", with: "''") + "'"
    case .sequence(let seq): return "[" + seq.map(yamlText).joined(separator: ", ") + "]"
    case .mapping(let m): return "{" + m.map { "\(yamlText($0.key)): \(yamlText($0.value))" }.joined(separator: ", ") + "}"
    case .alias: return ""
    }
}

/// A design's name as recorded (see ``SweepFile/designLabel``).
func designLabel(_ design: SweepFile.Design, _ secondOrder: Bool) -> String {
    design.rawValue + (secondOrder ? " second-order" : "")
}
