/// The coercion of *staying put*, kept under every path by the same counting rules: people who
/// lost their job because their workplace failed, what that cost them, and people who want an
/// institution their workplace lacks and have no say over it.
///
/// Its definitions are modelling choices, not facts (docs/MODEL.md states what they leave out):
/// a job loss costs `StatusQuoParameters.searchMonths` months of the person's conventional pay;
/// a person **has no say** when he or she supports an institution the workplace has not adopted
/// and no vote can grant it — the workplace has no workers' council, or its members decided for
/// it and the owner or the state refused (a dispute), or the path lets no existing workplace vote.
public struct StatusQuoLedger: Sendable, Equatable, Codable {
    /// The kind of workplace a job was lost in.
    public enum FailedKind: Int, CaseIterable, Sendable {
        /// Conventional: market churn, or an abandoned workplace its members did not recover.
        case conventional = 0
        /// One that adopted an institution by a vote, a concession, co-management or a transfer.
        case adopted
        /// One its members recovered after the owner left.
        case recovered
        /// One the movement founded.
        case founded

        public var label: String {
            switch self {
            case .conventional: return "conventional"
            case .adopted: return "adopted"
            case .recovered: return "recovered"
            case .founded: return "new"
            }
        }
    }

    /// Cumulative jobs lost to workplace failure, by kind (index = FailedKind.rawValue).
    public var jobsLost = [Int](repeating: 0, count: FailedKind.allCases.count)
    /// Cumulative income lost by them, in pay units (a worker's monthly conventional pay = 1).
    public var incomeLost = 0.0
    /// Sum over months of the persons with no say (person-months).
    public var unheardPersonMonths = 0
    /// Months observed (for the mean of the persons with no say).
    public var monthsObserved = 0

    public init() {}

    public var totalJobsLost: Int { jobsLost.reduce(0, +) }
    /// Mean persons with no say per month.
    public var meanUnheard: Double { monthsObserved == 0 ? 0 : Double(unheardPersonMonths) / Double(monthsObserved) }
}

/// How a job loss is valued in the status-quo ledger.
public struct StatusQuoParameters: Sendable, Equatable {
    /// Months of conventional pay a person loses with a job (the time to find another).
    public var searchMonths = 3.0
    public init() {}
}
