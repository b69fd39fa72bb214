import Experiments
import Foundation

/// What the page asks for: a preset (or the built-in defaults), parameter values set on top of
/// it exactly as `--set KEY.PATH=VALUE` sets them, and how many replicates to run.
///
/// ```json
/// {"preset": "majority", "set": {"voting.rule": "0.6", "population.persons": 5000}, "replicates": 10}
/// ```
public struct RunRequest: Sendable, Equatable {
    public var preset: String?
    /// The `set` field: key path → value as YAML text, applied in key order.
    public var values: [String: String] = [:]
    public var replicates = 10
    /// Months per second while running; 0: as fast as the machine allows.
    public var speed = 0.0
    /// Start paused (for stepping from month 0).
    public var paused = false

    public init(preset: String? = nil, values: [String: String] = [:], replicates: Int = 10, speed: Double = 0, paused: Bool = false) {
        self.preset = preset; self.values = values; self.replicates = replicates; self.speed = speed; self.paused = paused
    }

    /// The fields a request may have, besides `type` in WebSocket messages.
    static let fields = ["type", "preset", "set", "replicates", "speed", "paused"]

    /// Reads a request from a JSON object; every problem is named by its field.
    public init(json object: [String: JSONValue]) throws(ExplorerError) {
        for key in object.keys.sorted() where !Self.fields.contains(key) {
            throw ExplorerError(.malformed, "unknown field '\(key)': a request has \(Self.fields.dropFirst().joined(separator: ", "))")
        }
        switch object["preset"] {
        case nil, .null?: break
        case .string(let name)?: preset = name
        default: throw ExplorerError(.malformed, "field 'preset' must be a preset's name (text) or null")
        }
        switch object["set"] {
        case nil: break
        case .object(let map)?:
            for (key, value) in map {
                switch value {
                case .string(let text): values[key] = text
                case .number(let x): values[key] = format(x)
                case .bool(let b): values[key] = b ? "true" : "false"
                default: throw ExplorerError(.malformed, "set.\(key): expected a value as text, a number or true/false")
                }
            }
        default: throw ExplorerError(.malformed, "field 'set' must be an object of KEY.PATH: value")
        }
        if let r = object["replicates"] {
            guard case .number(let x) = r, x == x.rounded(), abs(x) < 1e9 else {
                throw ExplorerError(.malformed, "field 'replicates' must be a whole number")
            }
            replicates = Int(x)
        }
        if let v = object["speed"] { speed = try Self.speed(v) }
        if let v = object["paused"] {
            guard case .bool(let b) = v else { throw ExplorerError(.malformed, "field 'paused' must be true or false") }
            paused = b
        }
    }

    /// A speed field: months per second, 0 or more.
    static func speed(_ value: JSONValue) throws(ExplorerError) -> Double {
        guard case .number(let x) = value, x.isFinite, x >= 0 else {
            throw ExplorerError(.malformed, "field 'speed' must be a number of months per second, 0 or more")
        }
        return x
    }

    /// Parses a JSON body, refusing what is not one JSON object.
    public static func object(from data: Data) throws(ExplorerError) -> [String: JSONValue] {
        guard let parsed = try? JSONDecoder().decode(JSONValue.self, from: data), case .object(let object) = parsed else {
            throw ExplorerError(.malformed, "expected one JSON object")
        }
        return object
    }

    /// The overrides as the command line takes them, in key order.
    public var overrides: [String] { values.keys.sorted().map { "\($0)=\(values[$0]!)" } }

    /// The scenario this request asks for, checked by the same schema as scenario files and
    /// `--set`, and against the server's limits.
    public func resolve(_ catalogue: PresetCatalogue, limits: ExplorerLimits) throws(ExplorerError) -> LoadedScenario {
        guard (1...limits.maxReplicates).contains(replicates) else {
            throw ExplorerError(
                replicates < 1 ? .invalid : .tooLarge,
                "replicates: expected 1 to \(limits.maxReplicates) (this server's limit, serve --max-replicates), found \(replicates)")
        }
        var path: String? = nil
        if let preset {
            guard let p = catalogue.preset(named: preset) else {
                let names = catalogue.presets.map(\.name)
                throw ExplorerError(
                    .notFound,
                    "unknown preset '\(preset)'"
                        + (names.isEmpty ? ": this server has none" : ": expected one of " + names.joined(separator: ", ")))
            }
            path = p.path
        }
        let loaded: LoadedScenario
        do throws(ScenarioError) {
            if let path {
                loaded = try ScenarioLoader.load(path: path, overrides: overrides)
            } else {
                loaded = try ScenarioLoader.defaults(overrides: overrides)
            }
        } catch { throw ExplorerError(.invalid, error.description) }
        let s = loaded.scenario
        if s.population.persons > limits.maxPersons {
            throw ExplorerError(
                .tooLarge,
                "population.persons: \(s.population.persons) is above this server's limit of \(limits.maxPersons) (serve --max-persons); use `parecon-sim run` for larger runs"
            )
        }
        if s.horizon > limits.maxHorizon {
            throw ExplorerError(.tooLarge, "horizon: \(s.horizon) months is above this server's limit of \(limits.maxHorizon)")
        }
        return loaded
    }
}

/// A JSON value, as a request's fields are read.
public enum JSONValue: Sendable, Equatable, Decodable {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let x = try? c.decode(Double.self) {
            self = .number(x)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let o = try? c.decode([String: JSONValue].self) {
            self = .object(o)
        } else {
            self = .array(try c.decode([JSONValue].self))
        }
    }
}
