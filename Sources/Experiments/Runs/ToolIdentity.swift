/// Which build of the tool wrote a result: its version and the source commit it was built
/// from. Recorded in manifests and sweep databases so that a result can be traced to its code.
public struct ToolIdentity: Sendable, Equatable {
    public var version: String
    /// The git commit (40 hex digits, with "-dirty" when the work tree had changes), or
    /// "unknown" when the tool was built outside a git checkout.
    public var commit: String

    public init(version: String, commit: String) {
        self.version = version; self.commit = commit
    }

    /// For tests and library users who do not build from a checkout.
    public static let unknown = ToolIdentity(version: "0.0.0", commit: "unknown")

    /// "parecon-sim 0.1.0 (commit 1a2b3c4d5e6f)".
    public var label: String { "parecon-sim \(version) (commit \(commit.prefix(12))\(commit.hasSuffix("-dirty") ? "-dirty" : ""))" }
}
