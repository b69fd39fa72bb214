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
        let own = Int32((f >> UInt8(k)) & 1)
        return Simulation.mix(
            workplace: workplaceSupport[k][w] - own, of: workplaceMembers[w] - 1,
            neighbourhood: neighbourhoodSupport[k][n] - own, of: neighbourhoodMembers[n] - 1,
            weight: workplaceWeight)
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
/// (``Simulation/withInfluence(stances:counts:_:)``), so choosing a structure costs nothing
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
    /// Runs `user` with the concrete influence of this case, so that its loop is specialised.
    func dispatch<U: InfluenceUser>(_ user: U) -> U.Result {
        switch self {
        case .groups(let g): user.run(with: g)
        case .personTies(let b): user.run(with: b)
        case .federation(let b): user.run(with: b)
        }
    }
}

extension Simulation {
    /// The influence of this run's scenario over the given stances and group counts.
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
