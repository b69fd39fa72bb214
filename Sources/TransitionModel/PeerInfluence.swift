/// What the opinion rule needs to know about a person's surroundings: the share m of their peers
/// who support an institution.
///
/// The model asks an influence for m and does not know where it comes from: the person's
/// workplace and neighbourhood, ties between persons, ties between workplaces, or a blend.
/// A new structure of influence is a new conforming type and a case of ``InfluenceStructure``;
/// the opinion phase, votes (who blocks) and the ledger (who opposes strongly) all read m
/// through it, so they cannot disagree about who a person's peers are.
protocol PeerInfluence {
    /// The share of person i's peers supporting institution k (0 = BJC, 1 = pay); 0.5 when i
    /// has no peers. `f` is i's own flags, `w` and `n` i's workplace and neighbourhood.
    func peerShare(of i: Int, _ k: Int, flags f: UInt8, workplace w: Int, neighbourhood n: Int) -> Double
}

/// The groups: supporters of k among the other members of a person's workplace and
/// neighbourhood, mixed by `opinion.workplace_weight`. The person is counted in the group
/// counts and taken out here.
struct GroupInfluence: PeerInfluence {
    let workplaceSupport: [[Int32]], workplaceMembers: [Int32]
    let neighbourhoodSupport: [[Int32]], neighbourhoodMembers: [Int32]
    let workplaceWeight: Double

    init(counts: GroupCounts, workplaceWeight: Double) {
        workplaceSupport = counts.workplaceSupport; workplaceMembers = counts.workplaceMembers
        neighbourhoodSupport = counts.neighbourhoodSupport; neighbourhoodMembers = counts.neighbourhoodMembers
        self.workplaceWeight = workplaceWeight
    }

    @inline(__always)
    func peerShare(of i: Int, _ k: Int, flags f: UInt8, workplace w: Int, neighbourhood n: Int) -> Double {
        Self.share(
            own: Int32((f >> UInt8(k)) & 1), workplace: workplaceSupport[k][w], of: workplaceMembers[w],
            neighbourhood: neighbourhoodSupport[k][n], of: neighbourhoodMembers[n], weight: workplaceWeight)
    }

    /// The groups' m from the counts of a person's workplace and neighbourhood (the person
    /// included in them; `own`: 1 if they support k).
    @inline(__always)
    static func share(own: Int32, workplace ws: Int32, of wm: Int32, neighbourhood ns: Int32, of nm: Int32, weight: Double) -> Double {
        Simulation.mix(workplace: ws - own, of: wm - 1, neighbourhood: ns - own, of: nm - 1, weight: weight)
    }
}

/// A group's members and supporters of each institution side by side (16 bytes): a reviser's
/// workplace costs one cache line instead of three.
struct GroupRecord {
    var members: Int32
    var support: (Int32, Int32)
    var unused: Int32 = 0

    @inline(__always)
    func supporting(_ k: Int) -> Int32 { k == 0 ? support.0 : support.1 }
}

/// ``GroupInfluence`` with the counts packed one record per group, for a pass over many persons
/// (the opinion phase). Packing costs one pass over the groups; the numbers are the same.
struct PackedGroupInfluence: PeerInfluence {
    let workplaces: [GroupRecord], neighbourhoods: [GroupRecord]
    let workplaceWeight: Double

    init(_ g: GroupInfluence) {
        workplaces = g.workplaceMembers.indices.map {
            GroupRecord(members: g.workplaceMembers[$0], support: (g.workplaceSupport[0][$0], g.workplaceSupport[1][$0]))
        }
        neighbourhoods = g.neighbourhoodMembers.indices.map {
            GroupRecord(members: g.neighbourhoodMembers[$0], support: (g.neighbourhoodSupport[0][$0], g.neighbourhoodSupport[1][$0]))
        }
        workplaceWeight = g.workplaceWeight
    }

    @inline(__always)
    func peerShare(of i: Int, _ k: Int, flags f: UInt8, workplace w: Int, neighbourhood n: Int) -> Double {
        let work = workplaces[w], home = neighbourhoods[n]
        return GroupInfluence.share(
            own: Int32((f >> UInt8(k)) & 1), workplace: work.supporting(k), of: work.members,
            neighbourhood: home.supporting(k), of: home.members, weight: workplaceWeight)
    }
}

/// Ties between persons: supporters of k among a person's active neighbours in the network,
/// read from a fixed copy of the stances (month t's in the opinion phase, so that a change in
/// month t reaches neighbours in month t + 1).
struct PersonTieInfluence: PeerInfluence {
    let network: InfluenceNetwork
    let stances: [UInt8]

    @inline(__always)
    func peerShare(of i: Int, _ k: Int, flags f: UInt8, workplace w: Int, neighbourhood n: Int) -> Double {
        network.supportShare(of: i, k, flags: stances)
    }
}

/// Ties between workplaces (a federation of firms): supporters of k among the members of the
/// workplaces a person's workplace is federated with. Workplaces founded after month 0 have
/// no partners (share 0.5, as for a person without peers).
struct FederationInfluence: PeerInfluence {
    let partners: InfluenceNetwork
    let workplaceSupport: [[Int32]], workplaceMembers: [Int32]

    init(partners: InfluenceNetwork, counts: GroupCounts) {
        self.partners = partners
        workplaceSupport = counts.workplaceSupport; workplaceMembers = counts.workplaceMembers
    }

    @inline(__always)
    func peerShare(of i: Int, _ k: Int, flags f: UInt8, workplace w: Int, neighbourhood n: Int) -> Double {
        guard w < partners.persons else { return 0.5 }
        var members: Int32 = 0, supporting: Int32 = 0
        for p in partners.neighbours(of: w) {
            members &+= workplaceMembers[Int(p)]
            supporting &+= workplaceSupport[k][Int(p)]
        }
        return members > 0 ? Double(supporting) / Double(members) : 0.5
    }
}

/// Two influences mixed: m = (1 − weight)·m_first + weight·m_second (`influence.weight`).
struct BlendedInfluence<First: PeerInfluence, Second: PeerInfluence>: PeerInfluence {
    let first: First, second: Second
    let weight: Double

    @inline(__always)
    func peerShare(of i: Int, _ k: Int, flags f: UInt8, workplace w: Int, neighbourhood n: Int) -> Double {
        (1 - weight) * first.peerShare(of: i, k, flags: f, workplace: w, neighbourhood: n)
            + weight * second.peerShare(of: i, k, flags: f, workplace: w, neighbourhood: n)
    }
}

/// The structures of influence a scenario can choose (`influence.network`), each a concrete
/// ``PeerInfluence``. The hot loop of the opinion phase is generic and specialised per case
/// (``InfluenceStructure/dispatch(_:)``), so choosing a structure costs nothing
/// per person; votes and the ledger ask this enum directly.
enum InfluenceStructure: PeerInfluence {
    case groups(GroupInfluence)
    case personTies(BlendedInfluence<GroupInfluence, PersonTieInfluence>)
    case federation(BlendedInfluence<GroupInfluence, FederationInfluence>)

    func peerShare(of i: Int, _ k: Int, flags f: UInt8, workplace w: Int, neighbourhood n: Int) -> Double {
        switch self {
        case .groups(let g): g.peerShare(of: i, k, flags: f, workplace: w, neighbourhood: n)
        case .personTies(let b): b.peerShare(of: i, k, flags: f, workplace: w, neighbourhood: n)
        case .federation(let b): b.peerShare(of: i, k, flags: f, workplace: w, neighbourhood: n)
        }
    }
}

/// Something to run with whichever concrete influence a scenario has (a generic function
/// cannot be passed as a closure).
protocol InfluenceUser {
    associatedtype Result
    func run<I: PeerInfluence>(with influence: I) -> Result
}

extension InfluenceStructure {
    /// Runs `user` with the concrete influence of this case, so that its loop is specialised,
    /// the groups' counts packed for a pass over many persons (same numbers).
    func dispatch<U: InfluenceUser>(_ user: U) -> U.Result {
        switch self {
        case .groups(let g): user.run(with: PackedGroupInfluence(g))
        case .personTies(let b): user.run(with: b.groupsPacked)
        case .federation(let b): user.run(with: b.groupsPacked)
        }
    }
}

extension BlendedInfluence where First == GroupInfluence {
    /// The same blend with the groups' counts packed (``PackedGroupInfluence``).
    var groupsPacked: BlendedInfluence<PackedGroupInfluence, Second> {
        BlendedInfluence<PackedGroupInfluence, Second>(first: PackedGroupInfluence(first), second: second, weight: weight)
    }
}

extension Simulation {
    /// The influence of this run's scenario over the given stances and group counts. Inlined:
    /// votes and the ledger build one per person asked, and inlining lets the optimiser read
    /// the counts in place instead of copying their references.
    @inline(__always)
    func influence(stances: [UInt8], counts: GroupCounts) -> InfluenceStructure {
        let groups = GroupInfluence(counts: counts, workplaceWeight: scenario.opinion.workplaceWeight)
        guard let network else { return .groups(groups) }
        let weight = scenario.influence.weight
        if scenario.influence.network == .federation {
            return .federation(BlendedInfluence(first: groups, second: FederationInfluence(partners: network, counts: counts), weight: weight))
        }
        return .personTies(BlendedInfluence(first: groups, second: PersonTieInfluence(network: network, stances: stances), weight: weight))
    }
}
