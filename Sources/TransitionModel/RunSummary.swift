/// The per-run summary: final values, times to adoption levels, the ledger.
public struct RunSummary: Sendable, Equatable, Codable {
    public var final = MetricsRecord()
    /// First month the workforce share with BJC (pay) reached 10, 50, 90%; nil: not reached.
    public var monthsToBJC: [Int?] = [nil, nil, nil]
    public var monthsToPay: [Int?] = [nil, nil, nil]
    public var peakMomentum = 0.0
    public var ledger = CoercionLedger()
    /// The coercion of staying put: jobs lost to failures, income lost, persons with no say.
    public var statusQuo = StatusQuoLedger()
    public var persons = 0
    /// Coercion-free at the verdict level (``CoercionLedger/verdictLevel``), the same for every path.
    public var coercionFree: Bool { ledger.isCoercionFree() }

    /// Levels for the time-to-X figures.
    public static let levels = [0.10, 0.50, 0.90]

    /// Jobs lost to workplace failures (all kinds) per 1,000 persons at month 0.
    public var jobsLostPerThousand: Double { persons == 0 ? 0 : 1000 * Double(statusQuo.totalJobsLost) / Double(persons) }
    /// Mean persons with no say over an institution they want, per 1,000 persons at month 0.
    public var unheardPerThousand: Double { persons == 0 ? 0 : 1000 * statusQuo.meanUnheard / Double(persons) }

    /// Distinct persons adopted over at opposition level `level`, per 1,000 persons at month 0.
    public func adoptedOverPerThousand(level: Int = CoercionLedger.verdictLevel) -> Double {
        persons == 0 ? 0 : 1000 * Double(ledger.adoptedOverPersons[level]) / Double(persons)
    }
}

/// Folds a run's monthly records into its ``RunSummary``.
public struct RunSummaryTracker {
    private var summary = RunSummary()
    public init() {}

    public mutating func observe(_ m: MetricsRecord) {
        summary.final = m
        summary.statusQuo.unheardPersonMonths += m.unheardPersons
        summary.statusQuo.monthsObserved += 1
        summary.peakMomentum = max(summary.peakMomentum, m.momentum)
        for (j, level) in RunSummary.levels.enumerated() {
            if summary.monthsToBJC[j] == nil && m.workforceBJC >= level { summary.monthsToBJC[j] = m.month }
            if summary.monthsToPay[j] == nil && m.workforcePay >= level { summary.monthsToPay[j] = m.month }
        }
    }

    public func summary(ledger: CoercionLedger, statusQuo: StatusQuoLedger = StatusQuoLedger(), persons: Int) -> RunSummary {
        var s = summary
        s.ledger = ledger
        s.statusQuo.jobsLost = statusQuo.jobsLost
        s.statusQuo.incomeLost = statusQuo.incomeLost
        s.persons = persons
        return s
    }
}
