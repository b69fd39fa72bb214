/// The kind of a workplace.
public enum WorkplaceKind: UInt8, CaseIterable, Sendable {
    case privateFirm = 0, state, cooperative, p2p
    public var label: String {
        switch self {
        case .privateFirm: return "private"
        case .state: return "state"
        case .cooperative: return "cooperative"
        case .p2p: return "p2p"
        }
    }
}

/// How an institution came to be adopted in a workplace.
public enum AdoptionPath: UInt8, Sendable {
    case none = 0, vote, ownerConcession, comanagement, transfer, newFirm, recovered
}

/// How a workplace came to be what it is, for the firm-count outputs.
public enum WorkplaceOrigin: UInt8, Sendable {
    /// There at month 0 (or a successor of such a workplace after ordinary market churn).
    case original = 0
    /// A private workplace the state took over from a refusing owner.
    case transferred
    /// Abandoned by its owner in a crisis and recovered by its members as a cooperative.
    case recovered
    /// Founded by the movement with both institutions.
    case founded
}

/// Workplaces as a struct of arrays. Index 0 ..< count; closed workplaces keep their slot.
public struct Workplaces: Sendable {
    public internal(set) var kind: [WorkplaceKind] = []
    public internal(set) var neighbourhood: [Int32] = []
    /// Owner's person index, or −1.
    public internal(set) var owner: [Int32] = []
    public internal(set) var resistance: [Float] = []
    public internal(set) var open: [Bool] = []
    public internal(set) var hasCouncil: [Bool] = []
    /// Month of adoption per institution (index = Institution.rawValue), −1 when not adopted.
    public internal(set) var adoptedSince: [[Int32]] = [[], []]
    public internal(set) var adoptedBy: [[AdoptionPath]] = [[], []]
    public internal(set) var trainingLeft: [Int16] = []
    /// Consecutive passing votes per institution (confirmation), and consecutive low-support votes.
    var passStreak: [[UInt8]] = [[], []]
    var lowSupportStreak: [[UInt8]] = [[], []]
    /// Month the current wait began per institution (a decided change refused by an owner or
    /// the state, or a majority the rule holds back), −1 when nothing waits.
    public internal(set) var pendingSince: [[Int32]] = [[], []]
    public internal(set) var origin: [WorkplaceOrigin] = []
    /// Whether the workplace belongs to the planning federation.
    public internal(set) var federated: [Bool] = []
    /// Whether the members re-differentiated pay (a pay drift): the coordinators' power that
    /// did it blocks a new vote on equitable pay until BJC is adopted.
    public internal(set) var payDrifted: [Bool] = []
    /// Hired non-members among the workplace's persons (``Population/Flag/nonMember``).
    public internal(set) var nonMembers: [Int32] = []
    /// Month the workplace (or its current successor) opened; 0 for those there at month 0.
    public internal(set) var startedMonth: [Int32] = []

    public var count: Int { kind.count }

    public func isAdopted(_ w: Int, _ k: Institution) -> Bool { adoptedSince[k.rawValue][w] >= 0 }

    @discardableResult
    mutating func append(kind k: WorkplaceKind, neighbourhood n: Int32, owner o: Int32, resistance r: Float) -> Int {
        kind.append(k); neighbourhood.append(n); owner.append(o); resistance.append(r)
        open.append(true); hasCouncil.append(false); trainingLeft.append(0); origin.append(.original)
        federated.append(false); startedMonth.append(0); nonMembers.append(0); payDrifted.append(false)
        for j in 0..<2 {
            adoptedSince[j].append(-1); adoptedBy[j].append(.none); passStreak[j].append(0)
            lowSupportStreak[j].append(0); pendingSince[j].append(-1)
        }
        return kind.count - 1
    }

    mutating func adopt(_ w: Int, _ k: Institution, month: Int, by path: AdoptionPath) {
        adoptedSince[k.rawValue][w] = Int32(month)
        adoptedBy[k.rawValue][w] = path
        setPending(w, k, false, month: month)
        passStreak[k.rawValue][w] = 0
        lowSupportStreak[k.rawValue][w] = 0
    }

    /// Whether a change of `k` waits in `w` (a dispute).
    public func isPending(_ w: Int, _ k: Institution) -> Bool { pendingSince[k.rawValue][w] >= 0 }

    /// Marks whether a change of `k` waits in `w`; a dispute keeps the month it began.
    mutating func setPending(_ w: Int, _ k: Institution, _ waiting: Bool, month: Int) {
        let j = k.rawValue
        if !waiting { pendingSince[j][w] = -1 } else if pendingSince[j][w] < 0 { pendingSince[j][w] = Int32(month) }
    }

    /// Whether a dispute over `k` in `w` has waited at least `months` by `month`.
    func hasDispute(_ w: Int, _ k: Institution, olderThan months: Int, at month: Int) -> Bool {
        isPending(w, k) && month - Int(pendingSince[k.rawValue][w]) >= months
    }

    /// Ordinary market churn: a conventional workplace fails and a successor of the same kind
    /// opens in its place. What was built there (council, disputes, vote streaks) is lost.
    mutating func restartAsSuccessor(_ w: Int, resistance r: Float, month: Int) {
        hasCouncil[w] = false
        resistance[w] = r
        startedMonth[w] = Int32(month)
        federated[w] = false
        payDrifted[w] = false
        origin[w] = .original
        for k in Institution.allCases where isAdopted(w, k) { revert(w, k) }
        for k in Institution.allCases {
            setPending(w, k, false, month: 0)
            passStreak[k.rawValue][w] = 0
            lowSupportStreak[k.rawValue][w] = 0
        }
    }

    mutating func setOrigin(_ w: Int, _ o: WorkplaceOrigin) { origin[w] = o }

    mutating func setStarted(_ w: Int, month: Int) { startedMonth[w] = Int32(month) }

    mutating func setFederated(_ w: Int, _ member: Bool) { federated[w] = member }

    mutating func setPayDrifted(_ w: Int, _ drifted: Bool) { payDrifted[w] = drifted }

    /// Whether `w` is worker-run for the market's hazard: it adopted an institution, or its
    /// members recovered it, or the movement founded it.
    public func isWorkerRun(_ w: Int) -> Bool {
        isAdopted(w, .bjc) || isAdopted(w, .pay) || origin[w] == .recovered || origin[w] == .founded
    }

    mutating func revert(_ w: Int, _ k: Institution) {
        adoptedSince[k.rawValue][w] = -1
        adoptedBy[k.rawValue][w] = .none
        lowSupportStreak[k.rawValue][w] = 0
        if k == .bjc { trainingLeft[w] = 0 }
    }
}

extension Simulation {
    /// ``Workplaces/isAdopted(_:_:)`` read through the fields. Calling a method on the stored
    /// struct makes Swift copy it whole (a retain and a release of each of its arrays): in the
    /// per-workplace loops of a month that was a third of a run's time (perf, 20,000 persons).
    @inline(__always) func adopted(_ w: Int, _ k: Institution) -> Bool { workplaces.adoptedSince[k.rawValue][w] >= 0 }

    /// ``Workplaces/isWorkerRun(_:)`` read through the fields (see ``adopted(_:_:)``).
    @inline(__always) func workerRun(_ w: Int) -> Bool {
        workplaces.adoptedSince[0][w] >= 0 || workplaces.adoptedSince[1][w] >= 0
            || workplaces.origin[w] == .recovered || workplaces.origin[w] == .founded
    }
}
