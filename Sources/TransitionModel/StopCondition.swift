/// When a run may end before its horizon (sweeps that only ask "how far, how fast").
public struct StopCondition: Sendable, Equatable {
    /// Stop once the workforce share with both institutions reaches this level (nil: never).
    public var adoptionAbove: Double? = nil
    /// Stop once the workforce shares with BJC and with equitable pay have not changed by more
    /// than 0.001 for this many months (nil: never).
    public var unchangedMonths: Int? = nil

    public init(adoptionAbove: Double? = nil, unchangedMonths: Int? = nil) {
        self.adoptionAbove = adoptionAbove
        self.unchangedMonths = unchangedMonths
    }

    public var isNever: Bool { adoptionAbove == nil && unchangedMonths == nil }
}

/// Follows a run's records against a ``StopCondition``.
struct StopWatch {
    let condition: StopCondition
    private var reference: (bjc: Double, pay: Double)? = nil
    private var still = 0

    init(_ condition: StopCondition) { self.condition = condition }

    mutating func shouldStop(after m: MetricsRecord) -> Bool {
        if let level = condition.adoptionAbove, m.workforceBoth >= level { return true }
        guard let months = condition.unchangedMonths else { return false }
        if let r = reference, abs(m.workforceBJC - r.bjc) <= 0.001, abs(m.workforcePay - r.pay) <= 0.001 {
            still += 1
        } else {
            reference = (m.workforceBJC, m.workforcePay)
            still = 0
        }
        return still >= months
    }
}
