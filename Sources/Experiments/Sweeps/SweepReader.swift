import Foundation
import TransitionModel
import Yams

/// Reads the `sweep:` section of a sweep file, collecting every problem with its line and key
/// path instead of stopping at the first; the design builders read their own keys through it.
struct SweepReader {
    let path: String
    /// The folder of the sweep file: `base:` and `design_file:` are relative to it.
    let directory: String
    let sweepNode: Node
    let sweep: Node.Mapping
    var issues: [ScenarioIssue] = []
    let spec = ParameterSpec.reader("sweep")

    /// The keys of `sweep:`, and which designs read them (nil: every design).
    static let keys: [(key: String, designs: [SweepFile.Design]?)] = [
        ("base", nil), ("design", nil), ("replicates", nil), ("seed", nil), ("stop", nil),
        ("parameters", [.grid, .latinHypercube, .saltelli]), ("combinations", [.combinations]),
        ("samples", [.latinHypercube, .saltelli]), ("second_order", [.saltelli]), ("design_file", [.csv]),
    ]

    init(path: String) throws(ScenarioError) {
        let (_, root) = try ScenarioLoader.readDocument(path)
        guard let root, case .mapping(let top) = root, let sweepNode = top["sweep"], case .mapping(let sweep) = sweepNode else {
            throw ScenarioError([ScenarioIssue(file: path, message: "expected a mapping with a top-level 'sweep:' section")])
        }
        self.path = path
        directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        self.sweepNode = sweepNode
        self.sweep = sweep
        for (k, _) in top where k.string != "sweep" { issue(k, k.string, "unknown key: a sweep file holds only 'sweep:'") }
        let known = Self.keys.map(\.key)
        for (k, _) in sweep where !known.contains(k.string ?? "") {
            issue(k, "sweep.\(k.string ?? "?")", "unknown key" + suggestion(for: k.string ?? "", among: known))
        }
    }

    subscript(key: String) -> Node? { sweep[key] }

    mutating func issue(_ node: Node?, _ key: String?, _ message: String) {
        issues.append(ScenarioIssue(file: path, line: node?.mark?.line, column: node?.mark?.column, keyPath: key, message: message))
    }

    /// Runs a read of one key, filing its issue under the sweep file and `key`.
    mutating func read<T>(_ key: String, _ body: () throws(ScenarioIssue) -> T) -> T? {
        do throws(ScenarioIssue) { return try body() } catch {
            var e = error; e.file = path; e.keyPath = key; issues.append(e)
            return nil
        }
    }

    /// A path named in the file, relative to the file's folder unless absolute.
    func resolve(_ name: String) -> String { name.hasPrefix("/") ? name : directory + "/" + name }

    /// The base scenario with `overrides` applied; nil (and issues) when it cannot be read.
    mutating func base(overrides: [String]) -> LoadedScenario? {
        guard let baseNode = sweep["base"], let b = baseNode.string else {
            issue(sweepNode, "sweep.base", "missing: the base scenario file")
            return nil
        }
        guard !b.trimmingCharacters(in: .whitespaces).isEmpty else {
            issue(baseNode, "sweep.base", "is empty: name the base scenario file, e.g. base: Scenarios/baseline.yaml")
            return nil
        }
        let basePath = resolve(b)
        do { return try ScenarioLoader.load(path: basePath, overrides: overrides) } catch {
            for i in error.issues {
                if i.file == basePath && i.line == nil { issue(baseNode, "sweep.base", "\(b): \(i.message)") } else { issues.append(i) }
            }
            return nil
        }
    }

    /// What every design shares: the design, replicates, seed and stop condition.
    struct Header {
        var design = SweepFile.Design.grid
        var replicates = 1
        var seed: UInt64 = 1
        var stop = StopCondition()
    }

    mutating func header(replicatesOverride: Int?) -> Header {
        var h = Header()
        if let d = sweep["design"] {
            if let word = d.string, let parsed = SweepFile.Design(rawValue: word) {
                h.design = parsed
            } else {
                issue(d, "sweep.design", "expected grid, combinations, latin-hypercube, saltelli or csv, found \(describe(d))")
            }
        }
        let spec = spec
        if let r = sweep["replicates"], let n = read("sweep.replicates", { () throws(ScenarioIssue) in try spec.readInteger(r, min: 1, max: 100_000) }) {
            h.replicates = n
        }
        if let s = sweep["seed"], let n = read("sweep.seed", { () throws(ScenarioIssue) in try spec.readInteger(s, min: 0, max: Int.max) }) {
            h.seed = UInt64(n)
        }
        if let replicatesOverride {
            if (1...100_000).contains(replicatesOverride) {
                h.replicates = replicatesOverride
            } else {
                issues.append(ScenarioIssue(file: "--replicates", message: "expected 1 to 100000 replicates, found \(replicatesOverride)"))
            }
        }
        if let node = sweep["stop"] {
            h.stop =
                read("sweep.stop") { () throws(ScenarioIssue) in
                    var stop = StopCondition()
                    let f = try spec.readFields(node, [], optional: ["adoption_above", "unchanged_months"])
                    if f.isEmpty { throw spec.issue(node, "expected adoption_above and/or unchanged_months") }
                    if let a = f["adoption_above"] { stop.adoptionAbove = try spec.readNumber(a, min: 0, max: 1, minExclusive: true) }
                    if let u = f["unchanged_months"] { stop.unchangedMonths = try spec.readInteger(u, min: 1, max: 12_000) }
                    return stop
                } ?? StopCondition()
        }
        for (key, designs) in Self.keys {
            guard let designs, !designs.contains(h.design), let node = sweep[key] else { continue }
            if key == "second_order" {
                issue(node, "sweep.second_order", "only a saltelli design has second-order rows")
            } else {
                let names = designs.map(\.rawValue)
                let takers = names.count <= 2 ? names.joined(separator: " and ") : names.dropLast().joined(separator: ", ") + " and " + names.last!
                issue(node, "sweep.\(key)", "a \(h.design.rawValue) design does not read '\(key)' (only \(takers))")
            }
        }
        return h
    }

    /// `samples:`, the number of points a sampling design draws; 0 (and an issue saying what is
    /// `missing`) when absent or invalid.
    mutating func samples(min: Int, missing: String) -> Int {
        guard let node = sweep["samples"] else {
            issue(sweepNode, "sweep.samples", "missing: " + missing)
            return 0
        }
        let spec = spec
        return read("sweep.samples") { () throws(ScenarioIssue) in try spec.readInteger(node, min: min, max: SweepFile.maximumPoints) } ?? 0
    }

    /// What a varied parameter may be given as, by design.
    enum ParameterForm {
        /// A list of values, or a range stepped into values {from, to, steps[, scale]} (grid).
        case valuesOrSteps
        /// A list of values, or a range {from, to[, scale]} sampled continuously (Latin hypercube).
        case valuesOrRange
        /// A range {from, to[, scale]} only (Saltelli).
        case rangeOnly
    }

    /// A varied parameter: the values it takes (as YAML text, read exactly like `--set`), or the
    /// range it is sampled from.
    struct Parameter {
        var key: String
        var values: [String] = []
        var range: Span? = nil
        /// The nodes the listed values were read from (empty for a range), so that a value the
        /// scenario refuses is reported where it is written.
        var nodes: [Node] = []
    }

    /// `parameters:`, each key path checked against the scenario schema, each value in `form`.
    mutating func parameters(_ form: ParameterForm) -> [Parameter] {
        guard case .mapping(let params)? = sweep["parameters"] else {
            issue(sweepNode, "sweep.parameters", "missing: a mapping of key paths to lists or ranges")
            return []
        }
        if params.isEmpty { issue(sweep["parameters"], "sweep.parameters", "is empty: name at least one key path to vary") }
        var result: [Parameter] = []
        for (k, v) in params {
            guard let key = k.string, ScenarioSchema.byPath[key] != nil else {
                issue(k, k.string, "unknown parameter" + suggestion(for: k.string ?? "", among: ScenarioSchema.parameters.map(\.path)))
                continue
            }
            if result.contains(where: { $0.key == key }) { issue(k, key, "duplicate parameter"); continue }
            switch (v, form) {
            case (.sequence(let seq), .valuesOrSteps) where !seq.isEmpty, (.sequence(let seq), .valuesOrRange) where !seq.isEmpty:
                result.append(Parameter(key: key, values: seq.map(yamlText), nodes: Array(seq)))
            case (.mapping, .valuesOrSteps):
                if let values = read(key, { () throws(ScenarioIssue) in try Span(v, key: key, steps: true).stepped() }) {
                    result.append(Parameter(key: key, values: values))
                }
            case (.mapping, _):
                if let span = read(key, { () throws(ScenarioIssue) in try Span(v, key: key, steps: false) }) {
                    result.append(Parameter(key: key, range: span))
                }
            default:
                let expected =
                    switch form {
                    case .valuesOrSteps: "a list of values or {from, to, steps[, scale: linear|log]}"
                    case .valuesOrRange: "a list of values or {from, to[, scale: linear|log]}"
                    case .rangeOnly: "a range {from, to[, scale: linear|log]} (Saltelli's design samples ranges)"
                    }
                issue(v, key, "expected \(expected), found \(describe(v))")
            }
        }
        return result
    }
}

/// A range of a varied parameter, {from, to[, steps][, scale: linear|log]}.
struct Span {
    var from: Double, to: Double
    var log: Bool
    var steps: Int? = nil

    init(_ node: Node, key: String, steps wantsSteps: Bool) throws(ScenarioIssue) {
        let spec = ParameterSpec.reader(key)
        let f = try spec.readFields(node, wantsSteps ? ["from", "to", "steps"] : ["from", "to"], optional: ["scale"])
        from = try spec.readNumber(f["from"]!, min: -1e12, max: 1e12)
        to = try spec.readNumber(f["to"]!, min: -1e12, max: 1e12)
        if wantsSteps { steps = try spec.readInteger(f["steps"]!, min: 1, max: 100_000) }
        let scale = f["scale"]?.string ?? "linear"
        guard scale == "linear" || scale == "log" else { throw spec.issue(f["scale"]!, "expected linear or log, found \(scale)") }
        if scale == "log" && (from <= 0 || to <= 0) { throw spec.issue(node, "a log scale needs from and to above 0") }
        log = scale == "log"
    }

    /// The value at position t ∈ [0, 1] of the range, on its scale.
    func value(at t: Double) -> Double {
        log ? exp(Foundation.log(from) + t * (Foundation.log(to) - Foundation.log(from))) : from + t * (to - from)
    }

    /// The `steps` values from `from` to `to`, as text.
    func stepped() -> [String] {
        let n = steps ?? 1
        if n == 1 { return [format(from)] }
        return (0..<n).map { k in format(value(at: Double(k) / Double(n - 1))) }
    }
}
