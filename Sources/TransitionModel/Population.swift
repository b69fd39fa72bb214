/// Persons as a struct of arrays: flat, contiguous, small types.
///
/// About 26 bytes a person: class and flags 1 byte each, workplace and neighbourhood 4 each,
/// four `Float` traits.
public struct Population: Sendable {
    /// Bits of `flags`.
    public enum Flag {
        public static let bjc: UInt8 = 1 << 0
        public static let pay: UInt8 = 1 << 1
        public static let active: UInt8 = 1 << 2
        public static let socialConcern: UInt8 = 1 << 3
        public static let everOverruled: UInt8 = 1 << 4
        /// Hired into a worker-run workplace as an employee who does not vote (degeneration).
        public static let nonMember: UInt8 = 1 << 5
        static func support(_ k: Institution) -> UInt8 { k == .bjc ? bjc : pay }
    }

    public internal(set) var personClass: [PersonClass] = []
    public internal(set) var workplace: [Int32] = []
    public internal(set) var neighbourhood: [Int32] = []
    public internal(set) var flags: [UInt8] = []
    public internal(set) var solidarity: [Float] = []
    public internal(set) var initialSolidarity: [Float] = []
    public internal(set) var aversion: [Float] = []
    public internal(set) var effort: [Float] = []

    public var count: Int { personClass.count }

    public func isActive(_ i: Int) -> Bool { flags[i] & Flag.active != 0 }
    public func supports(_ i: Int, _ k: Institution) -> Bool { flags[i] & Flag.support(k) != 0 }

    mutating func append(
        _ c: PersonClass, workplace w: Int32, neighbourhood n: Int32,
        flags f: UInt8, solidarity s: Float, aversion a: Float, effort e: Float
    ) {
        personClass.append(c); workplace.append(w); neighbourhood.append(n); flags.append(f)
        solidarity.append(s); initialSolidarity.append(s); aversion.append(a); effort.append(e)
    }

    mutating func reserve(_ n: Int) {
        personClass.reserveCapacity(n); workplace.reserveCapacity(n); neighbourhood.reserveCapacity(n)
        flags.reserveCapacity(n); solidarity.reserveCapacity(n); initialSolidarity.reserveCapacity(n)
        aversion.reserveCapacity(n); effort.reserveCapacity(n)
    }
}
