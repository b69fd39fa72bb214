/// What one explorer server accepts: it runs on a laptop shared with its user, so a request may
/// not ask for a national run, and a page left open may not hold every core.
public struct ExplorerLimits: Sendable, Equatable {
    /// Largest population a run may have.
    public var maxPersons = 200_000
    /// Most replicates a run may have.
    public var maxReplicates = 50
    /// Longest horizon, in months.
    public var maxHorizon = 1_200
    /// Runs going on at once, over all connections.
    public var maxRuns = 2
    /// Largest request body or WebSocket message, in bytes.
    public var maxBody = 64 * 1024
    /// Finished runs kept for download (the oldest is forgotten first).
    public var keptRuns = 16

    public init() {}
}
