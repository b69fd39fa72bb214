/// One problem found in a scenario or sweep file: where it is and what is wrong.
public struct ScenarioIssue: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file (as given by the user), or "--set" for command-line overrides.
    public var file: String
    /// 1-based line and column, when known.
    public var line: Int?
    public var column: Int?
    /// The key path concerned, e.g. `opinion.beta`, when there is one.
    public var keyPath: String?
    public var message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, keyPath: String? = nil, message: String) {
        self.file = file; self.line = line; self.column = column; self.keyPath = keyPath; self.message = message
    }

    public var description: String {
        var s = file
        if let line { s += ":\(line)"; if let column { s += ":\(column)" } }
        s += ": "
        if let keyPath { s += "\(keyPath): " }
        return escapingControlCharacters(s + message)
    }
}

/// `text` with control characters (terminal escapes, NUL, carriage returns…) shown as \u{…},
/// so that a message quoting a user's file can never retitle, clear or rewrite a terminal.
/// Line feeds and tabs are kept.
public func escapingControlCharacters(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.count)
    for scalar in text.unicodeScalars {
        if (scalar.value < 0x20 && scalar != "\n" && scalar != "\t") || (0x7f...0x9f).contains(scalar.value) {
            out += "\\u{" + String(scalar.value, radix: 16) + "}"
        } else {
            out.unicodeScalars.append(scalar)
        }
    }
    return out
}

/// All problems found in one file (a file is checked completely before it is refused).
public struct ScenarioError: Error, Sendable, CustomStringConvertible {
    public var issues: [ScenarioIssue]
    public init(_ issues: [ScenarioIssue]) { self.issues = issues }
    public var description: String { issues.map(\.description).joined(separator: "\n") }
}
