/// Who had a change adopted over them, who left, and which owners were expropriated.
///
/// The **opposition measure** is the same for every path: whenever an institution is adopted
/// in a workplace — by a vote under any rule, an owner's concession, state co-management, a
/// transfer or a recovery — every member who did not support it is recorded with their utility
/// u for it at that moment. The ledger counts those members at a ladder of opposition strengths
/// (``levels``), as events and as distinct persons, so that a consensus path whose opponents
/// stood aside and a majority path whose opponents were overruled are read in the same columns.
/// The rule-specific split (overruled, stood aside) is kept beside it.
public struct CoercionLedger: Sendable, Equatable, Codable {
    /// Opposition strengths: a non-supporter counts at level L when u < L. The first level
    /// (+∞) counts every non-supporter; 0 counts those who lean against (more likely to say no
    /// than yes); the negative levels count ever stronger opponents.
    public static let levels: [Double] = [.infinity, 0, -0.5, -1, -1.5, -2]
    /// Column-name suffixes of ``levels``.
    public static let levelNames = ["any", "u0", "u_neg0p5", "u_neg1", "u_neg1p5", "u_neg2"]
    /// Readable names of ``levels``, for reports.
    public static let levelLabels = ["any non-supporter", "u < 0", "u < −0.5", "u < −1", "u < −1.5", "u < −2"]
    /// The level at which a run's verdict "coercion-free" is given, the same for every path:
    /// nobody who leaned against a change (u < 0) had it adopted over them.
    public static let verdictLevel = 1

    /// Events by level: one per non-supporting member per institution adopted.
    public var adoptedOverEvents = [Int](repeating: 0, count: levels.count)
    /// Distinct persons by level: persons who ever had a change adopted over them at that strength.
    public var adoptedOverPersons = [Int](repeating: 0, count: levels.count)

    /// Rule-specific split. Overruled events by class (index = PersonClass.rawValue) and
    /// intensity (strong: u below the voting blocking level).
    public var overruledMild = [Int](repeating: 0, count: 4)
    public var overruledStrong = [Int](repeating: 0, count: 4)
    /// Non-supporters who left a workplace after it adopted, by class (stood-aside ones included).
    public var exits = [Int](repeating: 0, count: 4)
    /// Persons ever overruled (each counted once).
    public var distinctOverruled = 0
    /// Non-supporters who stood aside under consensus (events), and those of them who then left.
    public var stoodAside = 0
    public var exitsAfterStandingAside = 0
    public var ownersExpropriated = 0

    public init() {}

    public var overruledEvents: Int { overruledMild.reduce(0, +) + overruledStrong.reduce(0, +) }
    public func overruled(_ c: PersonClass) -> Int { overruledMild[Int(c.rawValue)] + overruledStrong[Int(c.rawValue)] }
    public var totalExits: Int { exits.reduce(0, +) }

    /// Whether no person with u below `levels[level]` had a change adopted over them and no
    /// owner was expropriated: the same verdict for every path.
    public func isCoercionFree(atLevel level: Int = verdictLevel) -> Bool {
        adoptedOverPersons[level] == 0 && ownersExpropriated == 0
    }

    /// Books one non-supporter adopted over with utility `u`; `previous` is the lowest u at
    /// which this person was adopted over before (+∞ if never). Returns the new lowest u.
    mutating func recordAdoptedOver(u: Double, previous: Float) -> Float {
        let old = Double(previous)
        for (j, level) in Self.levels.enumerated() where u < level {
            adoptedOverEvents[j] += 1
            if old >= level { adoptedOverPersons[j] += 1 }
        }
        // Rounded towards −∞, so a person booked below a level stays below it.
        var f = Float(min(old, u))
        if Double(f) > min(old, u) { f = f.nextDown }
        return f
    }
}
