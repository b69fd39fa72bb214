import TransitionModel
import Yams

/// The type of a scenario parameter, with its allowed values.
public enum ParameterType: Sendable {
    /// A real number in [min, max] (or (min, max] when `minExclusive`).
    case number(min: Double, max: Double, minExclusive: Bool)
    case integer(min: Int, max: Int)
    case boolean
    /// One of a fixed set of words.
    case choice([String])
    /// Something richer (a schedule, a rollout, a rule), described in words.
    case structured(String)

    /// How the type reads in `params` and docs/SCENARIOS.md.
    public var summary: String {
        switch self {
        case let .number(lo, hi, open):
            return "number in \(open ? "(" : "[")\(format(lo)), \(format(hi))]"
        case let .integer(lo, hi): return "integer in [\(lo), \(hi)]"
        case .boolean: return "true or false"
        case .choice(let words): return "one of " + words.joined(separator: ", ")
        case .structured(let s): return s
        }
    }
}

/// A number for messages: at most 10 significant digits (1.2, not 1.2000000000000002).
public func short(_ x: Double) -> String { String(format: "%.10g", x) }

/// A number written so that reading it back gives exactly the same Double.
public func format(_ x: Double) -> String {
    if x.isInfinite { return x > 0 ? "∞" : "−∞" }
    if x == x.rounded() && abs(x) < 1e15 { return String(Int(x)) }
    return String(x)
}

/// Reads one YAML node into a scenario, or says what is wrong with it.
typealias NodeWriter = @Sendable (inout Scenario, Node, ParameterSpec, ReadContext) throws(ScenarioIssue) -> Void

/// Where a file being read lies, so that data files can be found relative to it.
public struct ReadContext: Sendable {
    public var file: String
    public var directory: String
    public init(file: String, directory: String) { self.file = file; self.directory = directory }
}

/// One settable parameter: its key path in files, type, meaning, and how to read and write it.
/// Defaults are not stored here: they are read from `Scenario()`.
public struct ParameterSpec: Sendable {
    public let path: String
    public let type: ParameterType
    public let unit: String
    public let meaning: String
    /// The value in a scenario, as YAML (flow style).
    public let render: @Sendable (Scenario) -> String
    let write: NodeWriter
    /// Numbers inside a structured value that sweeps, calibrations and `--set` may address on
    /// their own: `opinion.field_coordinator.bjc` is the first number of that pair. Not listed
    /// by `params` (the pair is), and not written in scenario files (the pair is).
    public var components: [ParameterSpec] = []

    /// A spec used only for its readers (numbers, integers, fields, tables) on keys outside the
    /// scenario schema, such as a sweep file's own keys; issues name `path`.
    static func reader(_ path: String) -> ParameterSpec {
        ParameterSpec(
            path: path, type: .structured(""), unit: "", meaning: "", render: { _ in "" },
            write: { (_: inout Scenario, _: Node, _: ParameterSpec, _: ReadContext) throws(ScenarioIssue) in })
    }

    /// The default value, as YAML.
    public var defaultValue: String { render(Scenario()) }

    func issue(_ node: Node, _ message: String) -> ScenarioIssue {
        ScenarioIssue(file: "", line: node.mark?.line, column: node.mark?.column, keyPath: path, message: message)
    }
}
