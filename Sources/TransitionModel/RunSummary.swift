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
    /// Incomes at 10, 20 and 40 years (``incomeYears``; nil where the run ended before).
    public var incomeAt: [IncomeSnapshot?] = [nil, nil, nil]
    /// Highest workforce share with equitable pay reached, for how much of it lasted.
    public var peakWorkforcePay = 0.0
    /// An empty summary (a run's tracker fills it in; tests build their own).
    public init() {}
    /// Coercion-free at the verdict level (``CoercionLedger/verdictLevel``), the same for every path.
    public var coercionFree: Bool { ledger.isCoercionFree() }

    /// Levels for the time-to-X figures.
    public static let levels = [0.10, 0.50, 0.90]
    /// Years at which incomes are recorded.
    public static let incomeYears = [10, 20, 40]

    /// Whether the summary reads the metrics of incomes at `month` (the end of an income year;
    /// it also reads them at the run's last month).
    public static func readsIncomes(atMonth month: Int) -> Bool {
        month > 0 && month % 12 == 0 && incomeYears.contains(month / 12)
    }

    /// The share of the highest workforce share with equitable pay still there at the end (1
    /// when equitable pay never spread).
    public var payRetained: Double { peakWorkforcePay > 0 ? final.workforcePay / peakWorkforcePay : 1 }

    /// Jobs lost to workplace failures (all kinds) per 1,000 persons at month 0.
    public var jobsLostPerThousand: Double { persons == 0 ? 0 : 1000 * Double(statusQuo.totalJobsLost) / Double(persons) }
    /// Mean persons with no say over an institution they want, per 1,000 persons at month 0.
    public var unheardPerThousand: Double { persons == 0 ? 0 : 1000 * statusQuo.meanUnheard / Double(persons) }

    /// Distinct persons adopted over at opposition level `level`, per 1,000 persons at month 0.
    public func adoptedOverPerThousand(level: Int = CoercionLedger.verdictLevel) -> Double {
        persons == 0 ? 0 : 1000 * Double(ledger.adoptedOverPersons[level]) / Double(persons)
    }
}

/// The income distribution at one month: inequality, the coordinator/worker pay ratio and the
/// poorest tenth's share of income.
public struct IncomeSnapshot: Sendable, Equatable, Codable {
    public var gini: Double
    public var payRatio: Double
    public var lowestDecileShare: Double
    public init(gini: Double, payRatio: Double, lowestDecileShare: Double) {
        self.gini = gini; self.payRatio = payRatio; self.lowestDecileShare = lowestDecileShare
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
        summary.peakWorkforcePay = max(summary.peakWorkforcePay, m.workforcePay)
        if RunSummary.readsIncomes(atMonth: m.month), let j = RunSummary.incomeYears.firstIndex(of: m.month / 12) {
            summary.incomeAt[j] = IncomeSnapshot(
                gini: m.incomeGini, payRatio: m.coordinatorWorkerPayRatio, lowestDecileShare: m.lowestDecileShare)
        }
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
