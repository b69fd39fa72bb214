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
    /// Whether a decided change waits on a refusing owner (a dispute).
    public internal(set) var pending: [[Bool]] = [[], []]

    public var count: Int { kind.count }

    public func isAdopted(_ w: Int, _ k: Institution) -> Bool { adoptedSince[k.rawValue][w] >= 0 }

    @discardableResult
    mutating func append(kind k: WorkplaceKind, neighbourhood n: Int32, owner o: Int32, resistance r: Float) -> Int {
        kind.append(k); neighbourhood.append(n); owner.append(o); resistance.append(r)
        open.append(true); hasCouncil.append(false); trainingLeft.append(0)
        for j in 0..<2 {
            adoptedSince[j].append(-1); adoptedBy[j].append(.none); passStreak[j].append(0)
            lowSupportStreak[j].append(0); pending[j].append(false)
        }
        return kind.count - 1
    }

    mutating func adopt(_ w: Int, _ k: Institution, month: Int, by path: AdoptionPath) {
        adoptedSince[k.rawValue][w] = Int32(month)
        adoptedBy[k.rawValue][w] = path
        pending[k.rawValue][w] = false
        passStreak[k.rawValue][w] = 0
        lowSupportStreak[k.rawValue][w] = 0
    }

    mutating func revert(_ w: Int, _ k: Institution) {
        adoptedSince[k.rawValue][w] = -1
        adoptedBy[k.rawValue][w] = .none
        lowSupportStreak[k.rawValue][w] = 0
        if k == .bjc { trainingLeft[w] = 0 }
    }
}
