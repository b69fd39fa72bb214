/// Why the explorer refused a request: the message is the one the command line would give for
/// the same mistake, and the status says whose mistake it is.
public struct ExplorerError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Malformed: not JSON, a wrong field type, an unknown message type (HTTP 400).
        case malformed
        /// Well-formed but refused by the scenario schema (HTTP 422).
        case invalid
        /// No such preset or finished run (HTTP 404).
        case notFound
        /// Over one of the server's limits (HTTP 413 for sizes, 429 for concurrent runs).
        case tooLarge, busy
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) { self.kind = kind; self.message = message }

    public var description: String { message }

    /// The HTTP status code for this kind of refusal.
    public var status: Int {
        switch kind {
        case .malformed: return 400
        case .invalid: return 422
        case .notFound: return 404
        case .tooLarge: return 413
        case .busy: return 429
        }
    }
}
