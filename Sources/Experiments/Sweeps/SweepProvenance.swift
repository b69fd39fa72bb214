/// The provenance and progress of a sweep database.
public struct SweepProvenance: Sendable, Equatable {
    public var sha256: String
    public var source: String
    public var baseSHA256: String
    public var design: String
    public var points: Int
    public var replicates: Int
    public var seed: String
    public var parameters: [String]
    public var seriesEvery: Int
    public var generator: String
    public var gslVersion: String
    public var tool: ToolIdentity
    /// The machines that ran it (several after a merge of shards), comma-separated.
    public var hosts: String
    /// When the first run of the sweep (of its earliest shard) started.
    public var started: String
    /// When the last recorded run finished; nil before any run.
    public var lastRunFinished: String?
    public var pointsRecorded: Int
    public var runsRecorded: Int
    public var runsFailed: Int
    public var pointsFailed: Int

    public var isComplete: Bool { pointsRecorded == points }

    /// Comment lines that start every exported CSV file: tool and commit, sweep, hosts, times.
    public var commentLines: String {
        var lines = [
            "# \(tool.label)",
            "# sweep sha256 \(sha256)",
            "# hosts \(hosts)",
            "# started \(started)",
        ]
        lines.append(
            isComplete
                ? "# finished \(lastRunFinished ?? started)"
                : "# not finished: \(pointsRecorded) of \(points) points recorded (last run \(lastRunFinished ?? "none"))")
        return lines.joined(separator: "\n") + "\n"
    }
}
