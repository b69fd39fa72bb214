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
    /// A scenario file's text, uploaded from the page instead of a preset (sealed: it may not
    /// extend or name files).
    public var scenario: String?
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
    static let fields = ["type", "preset", "scenario", "set", "replicates", "speed", "paused"]

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
        switch object["scenario"] {
        case nil, .null?: break
        case .string(let text)?:
            guard preset == nil else { throw ExplorerError(.malformed, "give 'preset' or 'scenario' (an uploaded file), not both") }
            guard !Self.namesAFile(text) else {
                throw ExplorerError(
                    .invalid,
                    "scenario: an uploaded scenario cannot name a file (table_file, design_file …); put such a scenario under the server's --scenarios folder and pick it as a preset")
            }
            scenario = text
        default: throw ExplorerError(.malformed, "field 'scenario' must be a scenario file's text or null")
        }
        switch object["set"] {
        case nil: break
        case .object(let map)?:
            for (key, value) in map {
                guard !key.isEmpty, !key.contains(where: { $0.isWhitespace || $0 == "=" }) else {
                    throw ExplorerError(.malformed, "set: a key path has no spaces or '=' (found \"\(key.prefix(60))\")")
                }
                switch value {
                case .string(let text): values[key] = text
                case .number(let x):
                    // A JSON number is a double: an integer beyond 2^53 has already lost digits
                    // (the largest seed among them), so it must come as text.
                    guard !(x == x.rounded() && abs(x) > 9_007_199_254_740_992) else {
                        throw ExplorerError(
                            .malformed,
                            "set.\(key): \(format(x)) is a whole number too large for a JSON number to hold exactly; send it as text (\"\(key)\": \"…\")")
                    }
                    values[key] = format(x)
                case .bool(let b): values[key] = b ? "true" : "false"
                default: throw ExplorerError(.malformed, "set.\(key): expected a value as text, a number or true/false")
                }
                if Self.namesAFile(values[key]!) {
                    throw ExplorerError(
                        .invalid,
                        "set.\(key): a value that names a file (table_file, design_file …) cannot be set from the page; put it in a scenario file the server offers as a preset (serve --scenarios)")
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

    /// Slowest and fastest paced speeds, months per second (0 means unpaced).
    public static let speeds: ClosedRange<Double> = 0.01...10_000

    /// A speed field: 0 (as fast as the machine allows) or months per second within ``speeds``.
    static func speed(_ value: JSONValue) throws(ExplorerError) -> Double {
        guard case .number(let x) = value, x == 0 || speeds.contains(x) else {
            throw ExplorerError(
                .malformed,
                "field 'speed' must be 0 (unpaced) or a number of months per second from \(format(speeds.lowerBound)) to \(format(speeds.upperBound))")
        }
        return x
    }

    /// Whether a value given as YAML text names a file: a mapping anywhere in it with a key
    /// ending in `_file`. Files are read on the server, so a page must not name them.
    static func namesAFile(_ text: String) -> Bool {
        text.range(of: #"[A-Za-z0-9_]*_file\s*["']?\s*:"#, options: .regularExpression) != nil
    }

    /// Parses a JSON body, refusing what is not one JSON object, and objects that give a key twice
    /// (which value would count is the parser's choice, and a limit could be passed that way).
    public static func object(from data: Data) throws(ExplorerError) -> [String: JSONValue] {
        guard let parsed = try? JSONDecoder().decode(JSONValue.self, from: data), case .object(let object) = parsed else {
            throw ExplorerError(.malformed, "expected one JSON object")
        }
        if let key = DuplicateKeys.first(in: data) {
            throw ExplorerError(.malformed, "the key \"\(key.prefix(60))\" is given twice in one object")
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
            if let scenario {
                // Relative to a folder that does not exist: nothing on the server is in reach.
                loaded = try ScenarioLoader.load(
                    text: scenario, file: "uploaded scenario", directory: "/nonexistent/parecon-sim-upload", overrides: overrides, sealed: true)
            } else if let path {
                loaded = try ScenarioLoader.load(path: path, overrides: overrides)
            } else {
                loaded = try ScenarioLoader.defaults(overrides: overrides)
            }
        } catch {
            // The page's values are not a command line: "--set: voting.rule: …" reads "voting.rule: …".
            let lines = error.description.split(separator: "\n", omittingEmptySubsequences: false).map { line in
                line.hasPrefix("--set: ") ? line.dropFirst(7) : line
            }
            throw ExplorerError(.invalid, lines.joined(separator: "\n"))
        }
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
        // A live run holds every replicate at once, and other runs may be going beside it: the
        // request is judged as if all the runs the server allows were of its size.
        let atOnce = replicates * limits.maxRuns
        let needed = MemoryEstimate.bytes(scenario: s, simulations: atOnce)
        let limit = MemoryLimit.effective()
        if Double(needed) > 0.8 * Double(limit.bytes) {
            throw ExplorerError(
                .tooLarge,
                "\(replicates) replicates of \(s.population.persons) persons"
                    + (s.influence.network == .none ? "" : " with \(format(s.influence.meanDegree)) ties each")
                    + " need about \(needed / (1 << 20)) MiB with \(limits.maxRuns) such runs at once (serve --max-runs), more than 80% of the \(limit.bytes / (1 << 20)) MiB allowed (\(limit.source)); ask for fewer replicates"
                    + (s.influence.network == .none ? " or persons" : " or a sparser network"))
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

/// Finds a key given twice in one object of a JSON text that already parsed.
enum DuplicateKeys {
    /// The first repeated key (as decoded text), or nil.
    static func first(in data: Data) -> String? {
        let bytes = [UInt8](data)
        var i = 0
        // One set of keys per open object; nil for an open array.
        var stack: [Set<String>?] = []
        // Whether the next string in the current object is a key.
        var expectKey = false
        while i < bytes.count {
            let b = bytes[i]
            switch b {
            case UInt8(ascii: "{"): stack.append([]); expectKey = true
            case UInt8(ascii: "["): stack.append(nil); expectKey = false
            case UInt8(ascii: "}"), UInt8(ascii: "]"): if !stack.isEmpty { stack.removeLast() }; expectKey = false
            case UInt8(ascii: ","): if let top = stack.last, top != nil { expectKey = true }
            case UInt8(ascii: "\""):
                let start = i
                i += 1
                while i < bytes.count, bytes[i] != UInt8(ascii: "\"") { i += bytes[i] == UInt8(ascii: "\\") ? 2 : 1 }
                if expectKey, var keys = stack.last ?? nil {
                    let raw = Data(bytes[start...min(i, bytes.count - 1)])
                    let key = (try? JSONDecoder().decode(String.self, from: raw)) ?? String(decoding: raw, as: UTF8.self)
                    if keys.contains(key) { return key }
                    keys.insert(key)
                    stack[stack.count - 1] = keys
                    expectKey = false
                }
            default: break
            }
            i += 1
        }
        return nil
    }
}
