import TransitionModel

/// The economy as its open workplaces at one month: what each has adopted, how it came to be,
/// and its members' stances by class, for the explorer's view of the workplaces.
public struct WorkplaceSnapshot: Sendable, Equatable {
    /// What a workplace has: the colour of its cell.
    public enum State: Int, Sendable, CaseIterable {
        case conventional = 0, workersCouncil, bjc, pay, both

        public var label: String {
            switch self {
            case .conventional: return "conventional"
            case .workersCouncil: return "workers' council"
            case .bjc: return "BJC"
            case .pay: return "equitable pay"
            case .both: return "both"
            }
        }
    }

    /// One open workplace.
    public struct Cell: Sendable, Equatable {
        public var index: Int
        public var neighbourhood: Int
        public var kind: WorkplaceKind
        public var origin: WorkplaceOrigin
        public var state: State
        /// An institution came by state co-management or transfer.
        public var comanaged: Bool
        /// Per class (workers, coordinators, volunteers): active members, supporting BJC, supporting pay.
        public var stances: [[Int]]
        /// The owner's stance: nil without an owner, else (supports BJC, supports pay).
        public var owner: (bjc: Bool, pay: Bool)?

        /// Active members, owner excluded.
        public var members: Int { stances.reduce(0) { $0 + $1[0] } }

        public static func == (a: Cell, b: Cell) -> Bool {
            a.index == b.index && a.neighbourhood == b.neighbourhood && a.kind == b.kind && a.origin == b.origin
                && a.state == b.state && a.comanaged == b.comanaged && a.stances == b.stances
                && a.owner?.bjc == b.owner?.bjc && a.owner?.pay == b.owner?.pay
        }
    }

    public var month: Int
    public var cells: [Cell]

    /// The classes in `Cell.stances`, in order.
    public static let classes: [PersonClass] = [.worker, .coordinator, .volunteer]

    public init(_ simulation: Simulation) {
        month = simulation.month
        let w = simulation.workplaces, p = simulation.population
        var stances = [[[Int]]](repeating: [[0, 0, 0], [0, 0, 0], [0, 0, 0]], count: w.count)
        for i in 0..<p.count where p.isActive(i) {
            let c: Int
            switch p.personClass[i] {
            case .worker: c = 0
            case .coordinator: c = 1
            case .volunteer: c = 2
            case .owner: continue
            }
            let place = Int(p.workplace[i])
            guard place >= 0 && place < w.count else { continue }
            stances[place][c][0] += 1
            if p.supports(i, .bjc) { stances[place][c][1] += 1 }
            if p.supports(i, .pay) { stances[place][c][2] += 1 }
        }
        cells = (0..<w.count).filter { w.open[$0] }.map { k in
            let bjc = w.isAdopted(k, .bjc), pay = w.isAdopted(k, .pay)
            let state: State = bjc && pay ? .both : bjc ? .bjc : pay ? .pay : w.hasCouncil[k] ? .workersCouncil : .conventional
            let comanaged = Institution.allCases.contains { [.comanagement, .transfer].contains(w.adoptedBy[$0.rawValue][k]) }
            let o = Int(w.owner[k])
            let owner: (Bool, Bool)? = o >= 0 && o < p.count && p.isActive(o) ? (p.supports(o, .bjc), p.supports(o, .pay)) : nil
            return Cell(
                index: k, neighbourhood: Int(w.neighbourhood[k]), kind: w.kind[k], origin: w.origin[k], state: state,
                comanaged: comanaged, stances: stances[k], owner: owner)
        }
    }

    /// Shares of open workplaces in each state (for checks against the model's own metrics).
    public func share(_ state: State) -> Double {
        cells.isEmpty ? 0 : Double(cells.filter { $0.state == state }.count) / Double(cells.count)
    }
}
