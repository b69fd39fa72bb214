/// Who was overruled, who left and which owners were expropriated (DESIGN §3 step 7).
///
/// Counted two ways: events (one per opposing member per adopted institution) and distinct
/// persons ever overruled.
public struct CoercionLedger: Sendable, Equatable, Codable {
    /// Overruled events by class (index = PersonClass.rawValue) and intensity.
    public var overruledMild = [Int](repeating: 0, count: 4)
    public var overruledStrong = [Int](repeating: 0, count: 4)
    /// Opponents who left a workplace after it adopted, by class.
    public var exits = [Int](repeating: 0, count: 4)
    /// Persons ever overruled (each counted once).
    public var distinctOverruled = 0
    /// Opponents who stood aside under consensus (not overruled).
    public var stoodAside = 0
    public var ownersExpropriated = 0

    public init() {}

    public var overruledEvents: Int { overruledMild.reduce(0, +) + overruledStrong.reduce(0, +) }
    public func overruled(_ c: PersonClass) -> Int { overruledMild[Int(c.rawValue)] + overruledStrong[Int(c.rawValue)] }
    public var totalExits: Int { exits.reduce(0, +) }
    /// A path is coercion-free when nobody was overruled and no owner expropriated.
    public var isCoercionFree: Bool { overruledEvents == 0 && ownersExpropriated == 0 }
}
