import TransitionModel
import Yams

extension ParameterSpec {
    static func number(
        _ path: String, _ keyPath: WritableKeyPath<Scenario, Double> & Sendable,
        _ lo: Double, _ hi: Double, open: Bool = false, unit: String, _ meaning: String
    ) -> ParameterSpec {
        ParameterSpec(
            path: path, type: .number(min: lo, max: hi, minExclusive: open), unit: unit, meaning: meaning,
            render: { format($0[keyPath: keyPath]) },
            write: { (s: inout Scenario, node: Node, spec: ParameterSpec, _: ReadContext) throws(ScenarioIssue) in
                s[keyPath: keyPath] = try spec.readNumber(node, min: lo, max: hi, minExclusive: open)
            })
    }

    static func integer(
        _ path: String, _ keyPath: WritableKeyPath<Scenario, Int> & Sendable,
        _ lo: Int, _ hi: Int, unit: String, _ meaning: String
    ) -> ParameterSpec {
        ParameterSpec(
            path: path, type: .integer(min: lo, max: hi), unit: unit, meaning: meaning,
            render: { String($0[keyPath: keyPath]) },
            write: { (s: inout Scenario, node: Node, spec: ParameterSpec, _: ReadContext) throws(ScenarioIssue) in
                s[keyPath: keyPath] = try spec.readInteger(node, min: lo, max: hi)
            })
    }

    /// One of the words of a `CaseIterable` enum (its raw values); another word is refused with
    /// "unknown NOUN 'word': expected one of …".
    static func choice<E: RawRepresentable & CaseIterable & Sendable>(
        _ path: String, _ keyPath: WritableKeyPath<Scenario, E> & Sendable, noun: String, _ meaning: String
    ) -> ParameterSpec where E.RawValue == String {
        let words = E.allCases.map(\.rawValue)
        return ParameterSpec(
            path: path, type: .choice(words), unit: "", meaning: meaning,
            render: { $0[keyPath: keyPath].rawValue },
            write: { (s: inout Scenario, node: Node, spec: ParameterSpec, _: ReadContext) throws(ScenarioIssue) in
                let word = try spec.readWord(node)
                guard let value = E(rawValue: word) else {
                    throw spec.issue(node, "unknown \(noun) '\(word)': expected one of \(words.joined(separator: ", "))")
                }
                s[keyPath: keyPath] = value
            })
    }

    static func boolean(_ path: String, _ keyPath: WritableKeyPath<Scenario, Bool> & Sendable, _ meaning: String) -> ParameterSpec {
        ParameterSpec(
            path: path, type: .boolean, unit: "", meaning: meaning,
            render: { $0[keyPath: keyPath] ? "true" : "false" },
            write: { (s: inout Scenario, node: Node, spec: ParameterSpec, _: ReadContext) throws(ScenarioIssue) in
                s[keyPath: keyPath] = try spec.readBool(node)
            })
    }

    /// A pair [BJC, pay] of numbers.
    static func pair(
        _ path: String, _ keyPath: WritableKeyPath<Scenario, [Double]> & Sendable,
        _ lo: Double, _ hi: Double, unit: String, _ meaning: String
    ) -> ParameterSpec {
        var spec = ParameterSpec(
            path: path, type: .structured("[bjc, pay]: two numbers in [\(format(lo)), \(format(hi))]"),
            unit: unit, meaning: meaning,
            render: { "[" + $0[keyPath: keyPath].map(format).joined(separator: ", ") + "]" },
            write: { (s: inout Scenario, node: Node, spec: ParameterSpec, _: ReadContext) throws(ScenarioIssue) in
                let items = try spec.readList(node)
                guard items.count == 2 else {
                    throw spec.issue(node, "expected two numbers [bjc, pay], found \(items.count)")
                }
                s[keyPath: keyPath] = [
                    try spec.readNumber(items[0], min: lo, max: hi),
                    try spec.readNumber(items[1], min: lo, max: hi),
                ]
            })
        spec.components = ["bjc", "pay"].enumerated().map { index, name in
            ParameterSpec(
                path: "\(path).\(name)", type: .number(min: lo, max: hi, minExclusive: false), unit: unit,
                meaning: "the \(name == "bjc" ? "BJC" : "pay") half of \(path): \(meaning)",
                render: { format($0[keyPath: keyPath][index]) },
                write: { (s: inout Scenario, node: Node, spec: ParameterSpec, _: ReadContext) throws(ScenarioIssue) in
                    s[keyPath: keyPath][index] = try spec.readNumber(node, min: lo, max: hi)
                })
        }
        return spec
    }

    /// A schedule: a number (constant), or {ramp: …}, {pulses: …}, {table: [[month, value], …]}.
    static func schedule(
        _ path: String, _ keyPath: WritableKeyPath<Scenario, Schedule> & Sendable,
        _ lo: Double, _ hi: Double, unit: String, _ meaning: String
    ) -> ParameterSpec {
        ParameterSpec(
            path: path,
            type: .structured(
                "schedule: a number, {ramp: {from, to, start, end}}, {pulses: {base, height, every, duration}} or {table: [[month, value], …]}; values in [\(format(lo)), \(format(hi))]"
            ),
            unit: unit, meaning: meaning,
            render: { renderSchedule($0[keyPath: keyPath]) },
            write: { (s: inout Scenario, node: Node, spec: ParameterSpec, _: ReadContext) throws(ScenarioIssue) in
                s[keyPath: keyPath] = try spec.readSchedule(node, lo, hi)
            })
    }

    func readSchedule(_ node: Node, _ lo: Double, _ hi: Double) throws(ScenarioIssue) -> Schedule {
        if case .scalar = node { return .constant(try readNumber(node, min: lo, max: hi)) }
        guard case .mapping = node else {
            throw issue(node, "expected a number or a mapping with one of ramp, pulses, table, found \(describe(node))")
        }
        let outer = try readFields(node, [], optional: ["ramp", "pulses", "table"])
        guard outer.count == 1, let (kind, body) = outer.first else {
            throw issue(node, "expected exactly one of ramp, pulses, table")
        }
        switch kind {
        case "ramp":
            let f = try readFields(body, ["from", "to", "start", "end"])
            let start = try readInteger(f["start"]!, min: 0, max: 100_000)
            let end = try readInteger(f["end"]!, min: 0, max: 100_000)
            guard end > start else { throw issue(f["end"]!, "a ramp must end after it starts (start \(start), end \(end))") }
            return .ramp(
                from: try readNumber(f["from"]!, min: lo, max: hi), to: try readNumber(f["to"]!, min: lo, max: hi),
                start: start, end: end)
        case "pulses":
            let f = try readFields(body, ["base", "height", "every", "duration"])
            let every = try readInteger(f["every"]!, min: 1, max: 100_000)
            let duration = try readInteger(f["duration"]!, min: 0, max: every)
            let base = try readNumber(f["base"]!, min: lo, max: hi)
            let height = try readNumber(f["height"]!, min: lo - hi, max: hi - lo)
            guard base + height >= lo && base + height <= hi else {
                throw issue(f["height"]!, "base + height = \(format(base + height)) leaves the range [\(format(lo)), \(format(hi))]")
            }
            return .pulses(base: base, height: height, every: every, duration: duration)
        default:
            return .table(try readTable(body, valueMin: lo, valueMax: hi))
        }
    }
}

func renderSchedule(_ s: Schedule) -> String {
    switch s {
    case .constant(let v): return format(v)
    case let .ramp(from, to, start, end): return "{ramp: {from: \(format(from)), to: \(format(to)), start: \(start), end: \(end)}}"
    case let .pulses(base, height, every, duration):
        return "{pulses: {base: \(format(base)), height: \(format(height)), every: \(every), duration: \(duration)}}"
    case .table(let rows): return "{table: \(renderTable(rows))}"
    }
}
