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
        let (_, root) = try ScenarioLoader.readDocument(path)
        var issues: [ScenarioIssue] = []
        func issue(_ node: Node?, _ key: String?, _ message: String) {
            issues.append(ScenarioIssue(file: path, line: node?.mark?.line, column: node?.mark?.column, keyPath: key, message: message))
        }
        guard let root, case .mapping(let top) = root, let sweepNode = top["sweep"], case .mapping(let sweep) = sweepNode else {
            throw ScenarioError([ScenarioIssue(file: path, message: "expected a mapping with a top-level 'sweep:' section")])
        }
        for (k, _) in top where k.string != "sweep" { issue(k, k.string, "unknown key: a sweep file holds only 'sweep:'") }
        let known = [
            "base", "design", "replicates", "seed", "parameters", "combinations", "samples", "design_file", "stop", "second_order",
        ]
        for (k, _) in sweep where !known.contains(k.string ?? "") {
            issue(k, "sweep.\(k.string ?? "?")", "unknown key" + suggestion(for: k.string ?? "", among: known))
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var base: LoadedScenario? = nil
        if let baseNode = sweep["base"], let b = baseNode.string {
            let basePath = b.hasPrefix("/") ? b : directory + "/" + b
            do { base = try ScenarioLoader.load(path: basePath, overrides: baseOverrides) } catch {
                for i in error.issues {
                    if i.file == basePath && i.line == nil { issue(baseNode, "sweep.base", "\(b): \(i.message)") } else { issues.append(i) }
                }
            }
        } else {
            issue(sweepNode, "sweep.base", "missing: the base scenario file")
        }
        var design = Design.grid
        if let d = sweep["design"] {
            if let word = d.string, let parsed = Design(rawValue: word) {
                design = parsed
            } else {
                issue(d, "sweep.design", "expected grid, combinations, latin-hypercube, saltelli or csv, found \(describe(d))")
            }
        }
        let spec = ParameterSpec.reader("sweep")
        var replicates = 1, seed: UInt64 = 1
        if let r = sweep["replicates"] {
            do throws(ScenarioIssue) { replicates = try spec.readInteger(r, min: 1, max: 100_000) } catch {
                var e = error; e.file = path; e.keyPath = "sweep.replicates"; issues.append(e)
            }
        }
        if let s = sweep["seed"] {
            do throws(ScenarioIssue) { seed = UInt64(try spec.readInteger(s, min: 0, max: Int.max)) } catch {
                var e = error; e.file = path; e.keyPath = "sweep.seed"; issues.append(e)
            }
        }
        if let replicatesOverride {
            if (1...100_000).contains(replicatesOverride) {
                replicates = replicatesOverride
            } else {
                issues.append(ScenarioIssue(file: "--replicates", message: "expected 1 to 100000 replicates, found \(replicatesOverride)"))
            }
        }
        var stop = StopCondition()
        if let node = sweep["stop"] {
            do throws(ScenarioIssue) {
                let f = try spec.readFields(node, [], optional: ["adoption_above", "unchanged_months"])
                if f.isEmpty { throw spec.issue(node, "expected adoption_above and/or unchanged_months") }
                if let a = f["adoption_above"] { stop.adoptionAbove = try spec.readNumber(a, min: 0, max: 1, minExclusive: true) }
                if let u = f["unchanged_months"] { stop.unchangedMonths = try spec.readInteger(u, min: 1, max: 12_000) }
            } catch { var e = error; e.file = path; e.keyPath = "sweep.stop"; issues.append(e) }
        }
        // Values per parameter, each kept as YAML text so that points read exactly like --set.
        var parameters: [String] = []
        var values: [[String]] = []
        var ranges: [String: (from: Double, to: Double, log: Bool)] = [:]
        if case .mapping(let params)? = sweep["parameters"], design == .latinHypercube || design == .saltelli {
            if params.isEmpty { issue(sweep["parameters"], "sweep.parameters", "is empty: name at least one key path to vary") }
            for (k, v) in params {
                guard let key = k.string, ScenarioSchema.byPath[key] != nil else {
                    issue(k, k.string, "unknown parameter" + suggestion(for: k.string ?? "", among: ScenarioSchema.parameters.map(\.path)))
                    continue
                }
                if parameters.contains(key) { issue(k, key, "duplicate parameter"); continue }
                parameters.append(key)
                switch v {
                case .sequence(let seq) where !seq.isEmpty && design == .latinHypercube: values.append(seq.map(yamlText))
                case .mapping:
                    do throws(ScenarioIssue) { ranges[key] = try span(v, key: key); values.append([]) } catch {
                        var e = error; e.file = path; issues.append(e)
                    }
                default:
                    issue(
                        v, key,
                        design == .saltelli
                            ? "expected a range {from, to[, scale: linear|log]} (Saltelli's design samples ranges), found \(describe(v))"
                            : "expected a list of values or {from, to[, scale: linear|log]}, found \(describe(v))")
                }
            }
        } else if case .mapping(let params)? = sweep["parameters"], design != .csv {
            if params.isEmpty { issue(sweep["parameters"], "sweep.parameters", "is empty: name at least one key path to vary") }
            for (k, v) in params {
                guard let key = k.string, ScenarioSchema.byPath[key] != nil else {
                    issue(k, k.string, "unknown parameter" + suggestion(for: k.string ?? "", among: ScenarioSchema.parameters.map(\.path)))
                    continue
                }
                if parameters.contains(key) { issue(k, key, "duplicate parameter"); continue }
                switch v {
                case .sequence(let seq) where !seq.isEmpty:
                    parameters.append(key); values.append(seq.map(yamlText))
                case .mapping:
                    do throws(ScenarioIssue) { parameters.append(key); values.append(try rangeValues(v, key: key)) } catch {
                        var e = error; e.file = path; issues.append(e)
                    }
                default:
                    issue(v, key, "expected a list of values or {from, to, steps[, scale: linear|log]}, found \(describe(v))")
                }
            }
        } else if design == .grid || design == .latinHypercube || design == .saltelli {
            issue(sweepNode, "sweep.parameters", "missing: a mapping of key paths to lists or ranges")
        }
        var pointOverrides: [[String]] = []
        var secondOrder = false
        if design != .saltelli, let node = sweep["second_order"] {
            issue(node, "sweep.second_order", "only a saltelli design has second-order rows")
        }
        switch design {
        case .grid:
            // Saturating: a product beyond Int.max is simply "too many", never a wrapped-around count.
            let total = values.reduce(1) { acc, list in
                let (product, overflow) = acc.multipliedReportingOverflow(by: list.count)
                return overflow ? Int.max : product
            }
            if total > maximumPoints {
                issue(sweepNode, "sweep.parameters", "the grid has \(total) points, more than \(maximumPoints)")
            } else if !values.isEmpty {
                pointOverrides = [[]]
                for (key, vs) in zip(parameters, values) {
                    pointOverrides = pointOverrides.flatMap { p in vs.map { p + ["\(key)=\($0)"] } }
                }
            }
        case .latinHypercube:
            var samples = 0
            if let node = sweep["samples"] {
                do throws(ScenarioIssue) { samples = try spec.readInteger(node, min: 1, max: maximumPoints) } catch {
                    var e = error; e.file = path; e.keyPath = "sweep.samples"; issues.append(e)
                }
            } else {
                issue(sweepNode, "sweep.samples", "missing: the number of points of the Latin hypercube")
            }
            guard samples > 0, issues.isEmpty else { break }
            let stream = RandomStream(seed: seed, stream: StreamID.latinHypercube)
            var columns: [[String]] = []
            for (j, key) in parameters.enumerated() {
                var strata = Array(0..<samples)
                for a in stride(from: samples - 1, to: 0, by: -1) { strata.swapAt(a, stream.index(below: a + 1)) }
                if let r = ranges[key] {
                    columns.append(
                        strata.map { s in
                            let t = (Double(s) + stream.uniform()) / Double(samples)
                            return format(r.log ? exp(log(r.from) + t * (log(r.to) - log(r.from))) : r.from + t * (r.to - r.from))
                        })
                } else {
                    let list = values[j]
                    columns.append(strata.map { list[min(list.count - 1, $0 * list.count / samples)] })
                }
            }
            pointOverrides = (0..<samples).map { i in parameters.indices.map { "\(parameters[$0])=\(columns[$0][i])" } }
        case .saltelli:
            if let node = sweep["second_order"] {
                do throws(ScenarioIssue) { secondOrder = try spec.readBool(node) } catch {
                    var e = error; e.file = path; e.keyPath = "sweep.second_order"; issues.append(e)
                }
            }
            var samples = 0
            if let node = sweep["samples"] {
                do throws(ScenarioIssue) { samples = try spec.readInteger(node, min: 2, max: maximumPoints) } catch {
                    var e = error; e.file = path; e.keyPath = "sweep.samples"; issues.append(e)
                }
            } else {
                issue(sweepNode, "sweep.samples", "missing: the base sample size N (a power of two balances best)")
            }
            let d = parameters.count
            if 2 * d > SobolSequence.maximumDimensions {
                issue(
                    sweep["parameters"], "sweep.parameters",
                    "Saltelli's design takes at most \(SobolSequence.maximumDimensions / 2) parameters (GSL's Sobol sequence has \(SobolSequence.maximumDimensions) dimensions), found \(d)"
                )
            }
            let rowsPerSample = secondOrder ? 2 * d + 2 : d + 2
            if samples * rowsPerSample > maximumPoints {
                issue(
                    sweep["samples"], "sweep.samples",
                    "\(samples) × \(rowsPerSample) = \(samples * rowsPerSample) points, more than \(maximumPoints)")
            }
            guard samples > 0, d > 0, issues.isEmpty else { break }
            let sequence = SobolSequence(dimensions: 2 * d)
            // A seeded digital shift (XOR of each coordinate's bits) keeps the sequence's even
            // cover and breaks the equal coordinates the plain sequence has across dimensions,
            // which would make A and B agree in a column (what SALib gets from scrambling).
            let stream = RandomStream(seed: seed, stream: StreamID.saltelliShift)
            let shifts = (0..<(2 * d)).map { _ in UInt32(stream.index(below: 1 << 30)) }
            func value(_ key: String, _ t: Double) -> String {
                let r = ranges[key]!
                return format(r.log ? exp(log(r.from) + t * (log(r.to) - log(r.from))) : r.from + t * (r.to - r.from))
            }
            for _ in 0..<samples {
                let u = zip(sequence.next(), shifts).map { x, shift in
                    (Double(UInt32(x * 0x1p30) ^ shift) + 0.5) / 0x1p30
                }
                let a = Array(u[..<d]), b = Array(u[d...])
                var rows = [a]
                for k in 0..<d { var ab = a; ab[k] = b[k]; rows.append(ab) }
                if secondOrder { for k in 0..<d { var ba = b; ba[k] = a[k]; rows.append(ba) } }
                rows.append(b)
                pointOverrides += rows.map { row in parameters.indices.map { "\(parameters[$0])=\(value(parameters[$0], row[$0]))" } }
            }
        case .csv:
            guard let fileNode = sweep["design_file"], let name = fileNode.string else {
                issue(sweepNode, "sweep.design_file", "missing: the CSV of points (header: key paths)"); break
            }
            let csvPath = name.hasPrefix("/") ? name : directory + "/" + name
            let text: String
            do { text = try InputFile.text(csvPath, limit: maximumDesignBytes) } catch {
                issue(fileNode, "sweep.design_file", "'\(name)' (looked at \(csvPath)) \(error.description)"); break
            }
            let rows = text.split(whereSeparator: \.isNewline).map {
                $0.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            }
            guard let header = rows.first, !header.isEmpty else { issue(fileNode, "sweep.design_file", "\(name) is empty"); break }
            if rows.count - 1 > maximumPoints {
                issue(fileNode, "sweep.design_file", "\(name) has \(rows.count - 1) points, more than \(maximumPoints)"); break
            }
            for key in header where ScenarioSchema.byPath[key] == nil {
                // Only a short excerpt is echoed: the file may not be a design at all.
                let shown = key.count > 60 ? String(key.prefix(60)) + "…" : key
                issue(
                    fileNode, "sweep.design_file",
                    "\(name):1: unknown parameter '\(shown)'"
                        + (key.count > 60 ? "" : suggestion(for: key, among: ScenarioSchema.parameters.map(\.path))))
            }
            var seen = Set<String>()
            for key in header where !seen.insert(key).inserted {
                issue(fileNode, "sweep.design_file", "\(name):1: column '\(key.prefix(60))' appears twice: each parameter gets one column")
            }
            parameters = header
            for (n, row) in rows.dropFirst().enumerated() {
                guard row.count == header.count else {
                    issue(fileNode, "sweep.design_file", "\(name):\(n + 2): expected \(header.count) cells, found \(row.count)"); continue
                }
                pointOverrides.append(zip(header, row).map { "\($0)=\($1)" })
            }
            if rows.count < 2 { issue(fileNode, "sweep.design_file", "\(name) has no points") }
        case .combinations:
            guard case .sequence(let combos)? = sweep["combinations"], !combos.isEmpty else {
                issue(sweepNode, "sweep.combinations", "missing: a list of mappings, one per point"); break
            }
            for combo in combos {
                guard case .mapping(let m) = combo else { issue(combo, "sweep.combinations", "expected a mapping per point"); continue }
                var point: [String] = []
                for (k, v) in m {
                    guard let key = k.string, ScenarioSchema.byPath[key] != nil else {
                        issue(
                            k, k.string, "unknown parameter" + suggestion(for: k.string ?? "", among: ScenarioSchema.parameters.map(\.path))
                        )
                        continue
                    }
                    if !parameters.contains(key) { parameters.append(key) }
                    point.append("\(key)=\(yamlText(v))")
                }
                pointOverrides.append(point)
            }
        }
        for o in baseOverrides {
            let key = String(o.prefix { $0 != "=" })
            if parameters.contains(key) {
                issues.append(
                    ScenarioIssue(
                        file: "--set", keyPath: key,
                        message: "the sweep's design varies \(key); --set may change only parameters the design leaves at the base value"))
            }
        }
        var points: [(overrides: [String], scenario: Scenario)] = []
        if let base, issues.isEmpty {
            for (n, overrides) in pointOverrides.enumerated() {
                var s = base.scenario
                var pointIssues: [ScenarioIssue] = []
                ScenarioLoader.applyOverrides(overrides, to: &s, issues: &pointIssues)
                if pointIssues.isEmpty { pointIssues = ScenarioLoader.crossChecks(s, file: path) }
                for var i in pointIssues {
                    i.file = path
                    i.message = "point \(n + 1) (\(overrides.joined(separator: ", "))): \(i.message)"
                    issues.append(i)
                }
                points.append((overrides, s))
            }
        }
        guard issues.isEmpty, let base else { throw ScenarioError(issues) }
        var digestText =
            "base \(base.sha256)\ndesign \(Experiments.designLabel(design, secondOrder))\nreplicates \(replicates)\nseed \(seed)\n"
        if !stop.isNever {
            digestText += "stop \(stop.adoptionAbove.map { String($0) } ?? "-") \(stop.unchangedMonths.map { String($0) } ?? "-")\n"
        }
        digestText += "parameters " + Self.canonical(parameters) + "\n"
        for p in points { digestText += Self.canonical(p.overrides) + "\n" }
        let sha = ScenarioLoader.sha256(digestText)
        return SweepFile(
            source: path, base: base, design: design, replicates: replicates, seed: seed,
            stop: stop, parameters: parameters, points: points, sha256: sha, secondOrder: secondOrder)
    }

    /// A range {from, to[, scale]} for a Latin hypercube.
    static func span(_ node: Node, key: String) throws(ScenarioIssue) -> (from: Double, to: Double, log: Bool) {
        let spec = ParameterSpec.reader(key)
        let f = try spec.readFields(node, ["from", "to"], optional: ["scale"])
        let from = try spec.readNumber(f["from"]!, min: -1e12, max: 1e12)
        let to = try spec.readNumber(f["to"]!, min: -1e12, max: 1e12)
        let scale = f["scale"]?.string ?? "linear"
        guard scale == "linear" || scale == "log" else { throw spec.issue(f["scale"]!, "expected linear or log, found \(scale)") }
        if scale == "log" && (from <= 0 || to <= 0) { throw spec.issue(node, "a log scale needs from and to above 0") }
        return (from, to, scale == "log")
    }

    /// Values of {from, to, steps, scale}.
    static func rangeValues(_ node: Node, key: String) throws(ScenarioIssue) -> [String] {
        let spec = ParameterSpec.reader(key)
        let f = try spec.readFields(node, ["from", "to", "steps"], optional: ["scale"])
        let from = try spec.readNumber(f["from"]!, min: -1e12, max: 1e12)
        let to = try spec.readNumber(f["to"]!, min: -1e12, max: 1e12)
        let steps = try spec.readInteger(f["steps"]!, min: 1, max: 100_000)
        let scale = f["scale"]?.string ?? "linear"
        guard scale == "linear" || scale == "log" else { throw spec.issue(f["scale"]!, "expected linear or log, found \(scale)") }
        if scale == "log" && (from <= 0 || to <= 0) { throw spec.issue(node, "a log scale needs from and to above 0") }
        if steps == 1 { return [format(from)] }
        return (0..<steps).map { k in
            let t = Double(k) / Double(steps - 1)
            return format(scale == "log" ? exp(log(from) + t * (log(to) - log(from))) : from + t * (to - from))
        }
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
