import TransitionModel
import Yams

/// What kind of node this is, without its content: for files that may not be the user's own
/// (a scenario's `extends:` pointing at any file must not print that file).
func kind(of node: Node) -> String {
    switch node {
    case .scalar: return "plain text"
    case .mapping: return "a mapping"
    case .sequence: return "a list"
    case .alias: return "an alias"
    }
}

/// Describes what a YAML node is, for "expected …, found …" messages.
func describe(_ node: Node) -> String {
    switch node {
    case .scalar(let s):
        if s.style != .plain { return "the string \"\(s.string.prefix(40))\"" }
        if s.string.isEmpty || s.string == "~" || s.string == "null" { return "nothing (null)" }
        return "'\(s.string.prefix(40))'"
    case .mapping: return "a mapping"
    case .sequence: return "a list"
    case .alias: return "an alias"
    }
}

extension ParameterSpec {
    func readNumber(_ node: Node, min lo: Double, max hi: Double, minExclusive: Bool = false) throws(ScenarioIssue) -> Double {
        guard case .scalar(let s) = node, s.style == .plain else {
            throw issue(node, "expected a number, found \(describe(node))")
        }
        let text = s.string.lowercased()
        if [".nan", ".inf", "-.inf", "+.inf", "nan", "inf", "-inf", "infinity", "-infinity"].contains(text) {
            throw issue(node, "expected a finite number, found \(s.string) (NaN and infinity are not allowed)")
        }
        guard let x = Double(s.string.replacingOccurrences(of: "_", with: "")), x.isFinite else {
            throw issue(node, "expected a number, found \(describe(node))")
        }
        let below = minExclusive ? x <= lo : x < lo
        if below || x > hi {
            throw issue(node, "\(s.string) is out of range: expected a number in \(minExclusive ? "(" : "[")\(format(lo)), \(format(hi))]")
        }
        return x
    }

    func readInteger(_ node: Node, min lo: Int, max hi: Int) throws(ScenarioIssue) -> Int {
        guard case .scalar(let s) = node, s.style == .plain else {
            throw issue(node, "expected an integer, found \(describe(node))")
        }
        guard let x = Int(s.string.replacingOccurrences(of: "_", with: "")) else {
            if let d = Double(s.string.replacingOccurrences(of: "_", with: "")), d.isFinite {
                if d != d.rounded() { throw issue(node, "expected an integer, found the fraction \(s.string)") }
                if abs(d) >= 9.2e18 { throw issue(node, "\(s.string) is out of range: expected an integer in [\(lo), \(hi)]") }
                throw issue(node, "expected an integer written with digits only, found \(s.string) (write \(Int(d)))")
            }
            throw issue(node, "expected an integer, found \(describe(node))")
        }
        if x < lo || x > hi { throw issue(node, "\(x) is out of range: expected an integer in [\(lo), \(hi)]") }
        return x
    }

    func readBool(_ node: Node) throws(ScenarioIssue) -> Bool {
        guard case .scalar(let s) = node, s.style == .plain else {
            throw issue(node, "expected true or false, found \(describe(node))")
        }
        switch s.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw issue(node, "expected true or false, found \(describe(node))")
        }
    }

    func readWord(_ node: Node) throws(ScenarioIssue) -> String {
        guard case .scalar(let s) = node, !s.string.isEmpty else {
            throw issue(node, "expected a word, found \(describe(node))")
        }
        return s.string
    }

    func readList(_ node: Node) throws(ScenarioIssue) -> [Node] {
        guard case .sequence(let seq) = node else { throw issue(node, "expected a list, found \(describe(node))") }
        return Array(seq)
    }

    /// A mapping with exactly the keys `required`, in any order.
    func readFields(_ node: Node, _ required: [String], optional: [String] = []) throws(ScenarioIssue) -> [String: Node] {
        guard case .mapping(let map) = node else {
            let keys = required.isEmpty ? "any of " + optional.joined(separator: ", ") : required.joined(separator: ", ")
            throw issue(node, "expected a mapping with \(keys), found \(describe(node))")
        }
        var out: [String: Node] = [:]
        for (k, v) in map {
            guard let key = k.string else { throw issue(k, "keys must be words") }
            guard required.contains(key) || optional.contains(key) else {
                let fields = required + optional
                throw issue(k, "unknown field '\(key)'" + suggestion(for: key, among: fields) + ": expected \(fields.joined(separator: ", "))")
            }
            if out[key] != nil { throw issue(k, "duplicate key '\(key)'") }
            out[key] = v
        }
        for key in required where out[key] == nil {
            throw issue(node, "missing field '\(key)' (needs \(required.joined(separator: ", ")))")
        }
        return out
    }

    /// A table of [month, value] rows with strictly increasing months.
    func readTable(_ node: Node, valueMin: Double, valueMax: Double) throws(ScenarioIssue) -> [(month: Int, value: Double)] {
        let rows = try readList(node)
        guard !rows.isEmpty else { throw issue(node, "the table is empty: expected rows [month, value]") }
        var out: [(month: Int, value: Double)] = []
        for row in rows {
            let cells = try readList(row)
            guard cells.count == 2 else { throw issue(row, "expected a row [month, value], found \(cells.count) cells") }
            let m = try readInteger(cells[0], min: 0, max: 100_000)
            let v = try readNumber(cells[1], min: valueMin, max: valueMax)
            if let last = out.last, m <= last.month {
                throw issue(row, "the table is out of order: month \(m) follows month \(last.month) (months must increase)")
            }
            out.append((m, v))
        }
        return out
    }
}

func renderTable(_ rows: [(month: Int, value: Double)]) -> String {
    "[" + rows.map { "[\($0.month), \(format($0.value))]" }.joined(separator: ", ") + "]"
}
