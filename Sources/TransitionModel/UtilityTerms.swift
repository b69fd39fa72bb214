/// The utility difference u of the opinion rule, with every term shared by a group computed
/// once: a person's u is then a few loads and multiplications. Built once per phase and used by
/// the opinion phase, votes (who blocks) and the ledger (who opposes strongly), so all three
/// read the same formula.
///
///     u = h[class, k] + w_sol·σ + w_move·P·reach + J·(2m − 1) + w_demo·d − w_dis·ρ·[k = bjc]
///         + w_exp·ξ + w_self·(2s − 1)
struct UtilityTerms {
    /// h by class (index class·2 + k), with the alliance's boost kept apart.
    let fields: [Double]
    let alliance: Double
    /// w_move·P·reach + w_demo·d, per neighbourhood (index k·homes + n).
    let homeTerm: [Double]
    /// w_exp·ξ, per workplace (index k·workplaces + w).
    let workTerm: [Double]
    let homes: Int
    let workplaceCount: Int
    let wSolidarity, wDisruption, wSelf, coupling, workplaceWeight: Double
    /// w_stake · (pool/pay_c) per class: the pay stake is this times effort, minus w_stake.
    let stakeScale: [Double]
    let wPayStake: Double

    init(_ sim: Simulation) {
        let o = sim.scenario.opinion
        var fields = [Double](repeating: 0, count: 8)
        for c in PersonClass.allCases {
            fields[Int(c.rawValue) * 2] = o.field(c, .bjc)
            fields[Int(c.rawValue) * 2 + 1] = o.field(c, .pay)
        }
        self.fields = fields
        alliance = sim.scenario.volunteers.alliance ? sim.scenario.volunteers.allianceField : 0
        homes = sim.neighbourhoodCount
        workplaceCount = sim.workplaces.count
        var home = [Double](repeating: 0, count: 2 * homes)
        for n in 0..<homes {
            let pressure = o.wMovement * sim.globals.pressure * sim.reach(n)
            home[n] = pressure + o.wDemonstration * sim.demonstration(n, .bjc)
            home[homes + n] = pressure + o.wDemonstration * sim.demonstration(n, .pay)
        }
        homeTerm = home
        var work = [Double](repeating: 0, count: 2 * workplaceCount)
        for w in 0..<workplaceCount {
            work[w] = o.wExperience * sim.experience(w, .bjc)
            work[workplaceCount + w] = o.wExperience * sim.experience(w, .pay)
        }
        workTerm = work
        wSolidarity = o.wSolidarity; wDisruption = o.wDisruption; wSelf = o.wSelf
        coupling = o.coupling; workplaceWeight = o.workplaceWeight
        wPayStake = o.wPayStake
        // The stake is linear in effort: w · ((pool/pay) · e − 1), and (pool/pay) = change at e = 1, + 1.
        stakeScale = PersonClass.allCases.map { c in
            sim.scenario.pay.conventional(c) > 0 ? o.wPayStake * (PayStake.relativeChange(c, effort: 1, sim.scenario) + 1) : 0
        }
    }

    /// u of an owner for institution k: class interest, the movement's reach and demonstration
    /// around the workplace, own experience, and the owner's own members as peers (J·(2m − 1)).
    func ownerUtility(k: Int, workplace w: Int, neighbourhood n: Int, counts: GroupCounts) -> Double {
        let members = counts.workplaceMembers[w]
        let m = members > 0 ? Double(counts.workplaceSupport[k][w]) / Double(members) : 0.5
        return fields[Int(PersonClass.owner.rawValue) * 2 + k] + homeTerm[k * homes + n]
            + workTerm[k * workplaceCount + w] + coupling * (2 * m - 1)
    }

    /// u of an active, non-owner person for institution k (0 = BJC, 1 = pay), given their peer
    /// share m (from the scenario's ``PeerInfluence``).
    @inline(__always)
    func utility(
        k: Int, flags f: UInt8, personClass c: PersonClass, solidarity: Float, aversion: Float, effort: Float,
        workplace w: Int, neighbourhood n: Int, peerShare m: Double
    ) -> Double {
        let own = (f >> UInt8(k)) & 1
        var u = fields[Int(c.rawValue) * 2 + k] + wSolidarity * Double(solidarity)
        if c == .volunteer && f & Population.Flag.socialConcern != 0 { u += alliance }
        u += homeTerm[k * homes + n] + workTerm[k * workplaceCount + w]
        u += coupling * (2 * m - 1) + wSelf * (own == 1 ? 1 : -1)
        if k == 0 { u -= wDisruption * Double(aversion) } else { u += stakeScale[Int(c.rawValue)] * Double(effort) - wPayStake }
        return u
    }
}

extension Simulation {
    /// u of active non-owner person i for institution k in the current state (votes, ledger).
    /// `influence`: the current one when the caller already holds it (it must have been built
    /// after the last change to stances or counts).
    func utility(_ i: Int, _ k: Institution, terms: UtilityTerms, influence current: InfluenceStructure? = nil) -> Double {
        let f = population.flags[i], w = Int(population.workplace[i]), n = Int(population.neighbourhood[i])
        let m = (current ?? influence(stances: population.flags, counts: counts))
            .peerShare(of: i, k.rawValue, flags: f, workplace: w, neighbourhood: n)
        return terms.utility(
            k: k.rawValue, flags: f, personClass: population.personClass[i],
            solidarity: population.solidarity[i], aversion: population.aversion[i], effort: population.effort[i],
            workplace: w, neighbourhood: n, peerShare: m)
    }
}

/// The pay stake of equitable pay: what a person of each class would earn, per unit effort,
/// if the members' pool were shared by effort.
public enum PayStake {
    /// Mean conventional pay of a workplace of the default class mix: workers and coordinators
    /// at `population.coordinator_share`; volunteers' projects are volunteers only.
    public static func pool(_ c: PersonClass, _ s: Scenario) -> Double {
        switch c {
        case .volunteer: return s.pay.volunteer
        case .owner: return 0
        case .worker, .coordinator:
            let q = s.population.coordinatorShare
            return (1 - q) * s.pay.worker + q * s.pay.coordinator
        }
    }

    /// The relative change of pay, (pool · effort − pay) / pay, of a person of class `c`.
    public static func relativeChange(_ c: PersonClass, effort: Double, _ s: Scenario) -> Double {
        let pay = s.pay.conventional(c)
        return pay > 0 ? pool(c, s) * effort / pay - 1 : 0
    }
}
