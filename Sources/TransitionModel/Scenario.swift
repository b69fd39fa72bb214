import Stochastic

/// A complete, resolved description of one simulated economy and transition path.
///
/// Every default lives here, in the property initialisers; the scenario schema (in
/// `Experiments`) reads them from `Scenario()`, so there is one source of truth. Units: time in
/// months, probabilities per month unless a name says otherwise, pressure in units of
/// "ordinary organising" (B = 1, M = 1).
public struct Scenario: Sendable, Equatable {
    /// Short name, used in reports.
    public var name = "baseline"
    /// Months simulated (one step is one month).
    public var horizon = 240
    /// Master seed: replicate r uses `SeedMixing.childSeed(master: seed, index: r)`.
    public var seed: UInt64 = 1
    /// The GSL generator algorithm for every stream of the run.
    public var generator: GeneratorKind = .taus2

    public var population = PopulationParameters()
    public var path = PathParameters()
    public var opinion = OpinionParameters()
    public var influence = InfluenceParameters()
    public var solidarity = SolidarityParameters()
    public var movement = MovementParameters()
    public var shocks = ShockParameters()
    public var councils = CouncilParameters()
    public var workersCouncils = WorkersCouncilParameters()
    public var voting = VotingParameters()
    public var owners = OwnerParameters()
    public var state = StateParameters()
    public var exits = ExitParameters()
    public var training = TrainingParameters()
    public var reversion = ReversionParameters()
    public var failure = FailureParameters()
    public var crisis = CrisisParameters()
    public var planning = PlanningParameters()
    public var degeneration = DegenerationParameters()
    public var payDrift = PayDriftParameters()
    public var reform = ReformParameters()
    public var newFirms = NewFirmParameters()
    public var volunteers = VolunteerParameters()
    public var pay = PayParameters()
    public var statusQuo = StatusQuoParameters()

    public init() {}
}

/// The economy at month 0: persons, workplaces and neighbourhoods.
public struct PopulationParameters: Sendable, Equatable {
    /// Number of persons at month 0 (owners included).
    public var persons = 20_000
    /// Shares of workplaces by kind: private, state, cooperative, p2p project (sum to 1).
    public var privateShare = 0.70
    public var stateShare = 0.20
    public var cooperativeShare = 0.04
    public var p2pShare = 0.06
    /// Lognormal workplace size (members, owner excluded): median and log-scale spread.
    public var sizeMedian = 10.0
    public var sizeSigma = 1.0
    /// Largest workplace allowed (members).
    public var sizeMax = 5_000
    /// Share of coordinators among the members of private, state and cooperative workplaces.
    public var coordinatorShare = 0.20
    /// Share of cooperative and p2p workplaces that start with equitable pay (and a workers'
    /// council) at month 0: economies of equal-pay communities, such as the kibbutzim.
    public var initialEquitablePay = 0.0
    /// Persons per neighbourhood (≈ 200 families in the Venezuelan law's urban councils).
    public var neighbourhoodSize = 200
    /// Spread of effort (duration × intensity × onerousness) around 1, as a standard deviation.
    public var effortSD = 0.10
    public init() {}
}

/// Which routes to adoption a transition path allows.
public struct PathParameters: Sendable, Equatable {
    /// Whether existing workplaces vote on the institutions at all (false: new firms only).
    public var transformExisting = true
    /// Whether the state may transfer private workplaces whose owner refused (expropriation).
    public var allowTransfers = false
    public init() {}
}

/// A class of person.
public enum PersonClass: UInt8, CaseIterable, Sendable, Codable {
    case worker = 0, coordinator, owner, volunteer
    /// Lower-case name used in column names and files.
    public var label: String { String(describing: self) }
}

/// One of the two institutions a movement pushes for.
public enum Institution: Int, CaseIterable, Sendable {
    case bjc = 0, pay
    /// Short name used in column names.
    public var label: String { self == .bjc ? "bjc" : "pay" }
}

/// How a person's initial stance is set.
public enum InitialStance: Sendable, Equatable {
    /// Drawn from the opinion rule itself, after `burnIn` full revisions before month 0.
    case rule(burnIn: Int)
    /// Everyone supports with this probability (validation runs: start low or high).
    case fixed(share: Double)
}

/// The opinion rule: who supports which institution, and how strongly.
public struct OpinionParameters: Sendable, Equatable {
    /// Choice intensity β: 1/(1 + exp(−2βu)).
    public var beta = 1.0
    /// Revision rate ν: probability per month that a person reconsiders.
    public var revisionRate = 0.10
    /// Class interest h[class][institution] (bjc, pay).
    /// For equitable pay, h is the interest net of the pay stake (`wPayStake`): at the default
    /// pay structure, h + stake equals the interest the model had before the stake was explicit
    /// (workers +0.10, coordinators −1.80).
    public var fieldWorker = [0.10, -0.10]
    public var fieldCoordinator = [-1.05, -1.40]
    public var fieldVolunteer = [0.0, -0.8]
    /// Owners revise too (their peers are their workplace's members); an owner who supports an
    /// institution concedes it once the members decide.
    public var fieldOwner = [-10.0, -10.0]
    /// Weights of solidarity, movement pressure, peers, demonstration, disruption, experience, inertia.
    public var wSolidarity = 0.6
    public var wMovement = 0.3
    public var coupling = 0.6
    public var wDemonstration = 0.3
    public var wDisruption = 1.0
    public var wExperience = 0.4
    public var wSelf = 0.0
    /// Weight of the pay stake in equitable pay: the relative change of one's own pay if the
    /// members' pool were shared by effort, (pool · effort − pay) / pay, with the pool the mean
    /// conventional pay of a workplace of the default class mix. What coordinators stand to lose
    /// (and workers and hard workers to gain) enters their stance through it.
    public var wPayStake = 1.0
    /// Weight of the workplace (vs the neighbourhood) in the peer share m.
    public var workplaceWeight = 0.5
    /// Movement reach without and with a communal council in the neighbourhood.
    public var reachBase = 0.5
    public var reachCouncil = 1.0
    /// Disruption aversion ρ ~ Beta(a, b).
    public var aversionA = 2.0
    public var aversionB = 2.0
    /// Initial stances.
    public var initial = InitialStance.rule(burnIn: 12)
    public init() {}

    /// Class interest of `personClass` in `institution`.
    public func field(_ personClass: PersonClass, _ institution: Institution) -> Double {
        switch personClass {
        case .worker: return fieldWorker[institution.rawValue]
        case .coordinator: return fieldCoordinator[institution.rawValue]
        case .volunteer: return fieldVolunteer[institution.rawValue]
        case .owner: return fieldOwner[institution.rawValue]
        }
    }
}

/// Solidarity σ: drifts up with exposure, back towards its initial value without.
public struct SolidarityParameters: Sendable, Equatable {
    /// Initial σ ~ Beta(a, b) by class.
    public var workerA = 2.0, workerB = 6.0
    public var coordinatorA = 1.5, coordinatorB = 9.0
    public var volunteerA = 2.0, volunteerB = 5.0
    /// Monthly rate of rise towards 1 per unit exposure, and of return towards the initial σ.
    public var riseRate = 0.012
    public var returnRate = 0.004
    public init() {}
}

/// A time schedule of a scalar (movement base pressure B(t), state support L(t)).
public enum Schedule: Sendable, Equatable {
    case constant(Double)
    /// Linear from `from` at `start` to `to` at `end`, flat outside.
    case ramp(from: Double, to: Double, start: Int, end: Int)
    /// `base`, raised by `height` for `duration` months every `every` months from month 0.
    case pulses(base: Double, height: Double, every: Int, duration: Int)
    /// Piecewise linear through (month, value) points, increasing months; flat outside.
    case table([(month: Int, value: Double)])

    /// The largest value the schedule takes.
    public var maximum: Double {
        switch self {
        case .constant(let v): return v
        case let .ramp(from, to, _, _): return max(from, to)
        case let .pulses(base, height, _, _): return base + max(height, 0)
        case .table(let points): return points.map(\.value).max() ?? 0
        }
    }

    /// The smallest value the schedule takes.
    public var minimum: Double {
        switch self {
        case .constant(let v): return v
        case let .ramp(from, to, _, _): return min(from, to)
        case let .pulses(base, height, _, _): return base + min(height, 0)
        case .table(let points): return points.map(\.value).min() ?? 0
        }
    }

    /// The value at `month`.
    public func value(at month: Int) -> Double {
        switch self {
        case .constant(let v): return v
        case let .ramp(from, to, start, end):
            if month <= start { return from }
            if month >= end { return to }
            return from + (to - from) * Double(month - start) / Double(end - start)
        case let .pulses(base, height, every, duration):
            return base + (month % every < duration ? height : 0)
        case .table(let points):
            guard let first = points.first, let last = points.last else { return 0 }
            if month <= first.month { return first.value }
            if month >= last.month { return last.value }
            var k = 1
            while points[k].month < month { k += 1 }
            let (a, b) = (points[k - 1], points[k])
            return a.value + (b.value - a.value) * Double(month - a.month) / Double(b.month - a.month)
        }
    }

    public static func == (lhs: Schedule, rhs: Schedule) -> Bool {
        switch (lhs, rhs) {
        case let (.constant(a), .constant(b)): return a == b
        case let (.ramp(a, b, c, d), .ramp(e, f, g, h)): return a == e && b == f && c == g && d == h
        case let (.pulses(a, b, c, d), .pulses(e, f, g, h)): return a == e && b == f && c == g && d == h
        case let (.table(a), .table(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.month == $1.month && $0.value == $1.value }
        default: return false
        }
    }
}

/// Movement pressure P = B(t) · M(t) · (1 − shock penalty) and momentum M.
public struct MovementParameters: Sendable, Equatable {
    public var base = Schedule.constant(1.0)
    public var momentumStart = 1.0
    public var momentumFloor = 0.5
    public var momentumCap = 2.0
    /// Momentum gained per unit rise of the adopted workforce share in a month.
    public var gainPerWin = 3.5
    /// Momentum gained per month per unit of the population's mean supporting share.
    public var gainPerSupport = 0.03
    /// Monthly decay towards the floor (in months without a win only, under `.legacy`).
    public var decay = 0.02
    /// Monthly momentum cost per unit share of council workplaces where a change waits: an
    /// owner or the state refused, or a majority supports but the voting rule holds it back.
    /// Under `.aged` and `.saturating` only disputes older than `pendingAge` months count.
    public var pendingCost = 0.01
    /// Months a dispute must have waited before it costs momentum (`.aged`, `.saturating`).
    public var pendingAge = 12
    /// How momentum responds to wins, support, decay and disputes.
    public var formulation = MomentumFormulation.saturating
    public init() {}
}

/// Who influences whom: the workplace and neighbourhood (always), and optionally ties between
/// persons that cross them (friends, kin, federations).
public struct InfluenceParameters: Sendable, Equatable {
    /// The network of person-to-person ties; `none` keeps influence within the groups.
    public var network = NetworkKind.none
    /// Mean number of ties per person (per workplace for a federation).
    public var meanDegree = 10.0
    /// Watts–Strogatz: probability that a tie of the ring is rewired to a random person.
    public var rewiring = 0.1
    /// Weight of the network in the peer share m: m = (1 − weight)·m_groups + weight·m_network.
    public var weight = 0.5
    public init() {}
}

/// Networks of influence (built once at month 0 on their own stream): between persons, or
/// between workplaces (a federation of firms).
public enum NetworkKind: String, Sendable, Equatable, CaseIterable {
    case none
    case erdosRenyi = "erdos_renyi"
    case randomRegular = "random_regular"
    case wattsStrogatz = "watts_strogatz"
    case barabasiAlbert = "barabasi_albert"
    /// Ties between workplaces: a person's network peers are the members of the workplaces
    /// their own is federated with.
    case federation

    /// Whether the ties join persons (their stances are then read from a copy of month t's).
    public var tiesPersons: Bool { self != .none && self != .federation }
}

/// Formulations of the momentum feedback. Which results survive all of them is a finding.
public enum MomentumFormulation: String, Sendable, Equatable, CaseIterable {
    /// The first model's: every waiting dispute costs at once, decay only in months without a
    /// win, M clamped to [floor, cap] (the cap can bind for years).
    case legacy
    /// Disputes cost only once older than `pendingAge` months; decay acts every month; M clamped.
    case aged
    /// As `aged`, and gains shrink as M nears the cap ((cap − M)/(cap − floor)) while losses
    /// shrink as it nears the floor: M approaches its bounds without sitting on them.
    case saturating
}

/// Backlash and external intervention: shocks arriving as a Poisson process.
public struct ShockParameters: Sendable, Equatable {
    public var enabled = false
    /// Mean months between shocks.
    public var meanInterval = 48.0
    /// Pressure penalty at arrival, fading linearly to zero over `fadeMonths`.
    public var pressureCut = 0.7
    public var fadeMonths = 24
    /// Relative fall of everyone's solidarity at arrival.
    public var solidarityLoss = 0.15
    /// Failure hazard multiplier while a shock lasts.
    public var failureMultiplier = 3.0
    /// Monthly probability that an owner retracts a concession while a shock lasts.
    public var retractRate = 0.02
    public init() {}
}

/// How communal councils spread over neighbourhoods.
public enum CouncilRollout: Sendable, Equatable {
    case none
    /// dc/dt = rate · c · (1 − c/target), from a seed coverage.
    case logistic(seed: Double, rate: Double, target: Double)
    /// Registered counts over time, divided by `total` (the count that covers every neighbourhood).
    case table(points: [(month: Int, count: Double)], total: Double)

    public static func == (lhs: CouncilRollout, rhs: CouncilRollout) -> Bool {
        switch (lhs, rhs) {
        case (.none, .none): return true
        case let (.logistic(a, b, c), .logistic(d, e, f)): return a == d && b == e && c == f
        case let (.table(p, t), .table(q, u)):
            return t == u && p.count == q.count && zip(p, q).allSatisfy { $0.month == $1.month && $0.count == $1.count }
        default: return false
        }
    }
}

public struct CouncilParameters: Sendable, Equatable {
    public var rollout = CouncilRollout.logistic(seed: 0.02, rate: 0.05, target: 0.5)
    public init() {}
}

/// Formation of workers' councils (only workplaces with one hold votes).
public struct WorkersCouncilParameters: Sendable, Equatable {
    public var enabled = true
    /// Share of members supporting either institution needed before a council can form.
    public var supportThreshold = 0.35
    /// Monthly formation probability once the threshold holds, and its multiplier where the
    /// neighbourhood has a communal council.
    public var rate = 0.03
    public var communalMultiplier = 3.0
    public init() {}
}

/// A decision rule for workplace votes.
public struct VotingParameters: Sendable, Equatable {
    public var rule = VotingRule.supermajority
    /// Months between votes.
    public var interval = 3
    /// Consecutive passing votes needed before a change is decided.
    public var confirmations = 2
    /// Under consensus: an opponent whose u is below this blocks; milder ones stand aside.
    /// Also the line between strong and mild opposition in the ledger.
    public var blockingLevel = -1.0
    /// Under consensus: share of members who must support.
    public var consensusMinimumSupport = 0.5
    public init() {}
}

/// Owners of private workplaces.
public struct OwnerParameters: Sendable, Equatable {
    /// Concession: logistic(κ · (S · P + λ · L − R)) per month.
    public var kappa = 3.0
    public var lambda = 1.5
    /// Resistance R ~ Normal(mean, sd), in units of P.
    public var resistanceMean = 1.5
    public var resistanceSD = 0.4
    public init() {}
}

/// State support L(t) and what it does.
public struct StateParameters: Sendable, Equatable {
    public var support = Schedule.constant(0)
    /// Monthly probability that a state workplace whose members passed a vote gets
    /// co-management: base + (1 − base) · L.
    public var comanagementBase = 0.05
    /// Monthly probability of transferring a refusing owner's workplace, per unit L.
    public var transferRate = 0.05
    public init() {}
}

/// Leaving a workplace that adopted against one's stance.
public struct ExitParameters: Sendable, Equatable {
    public var worker = 0.03
    public var coordinator = 0.15
    public var volunteer = 0.25
    /// Multiplier for strong opponents (u below the blocking level), capped at probability 1.
    public var strongMultiplier = 2.0
    /// Exit chance of a non-supporter who stood aside under consensus, relative to an
    /// overruled one: consent given with voice lowers exit, but the institution is as unwelcome.
    public var standAsideFactor = 0.5
    public init() {}

    public func probability(_ c: PersonClass) -> Double {
        switch c {
        case .worker: return worker
        case .coordinator: return coordinator
        case .volunteer: return volunteer
        case .owner: return 0
        }
    }
}

public struct TrainingParameters: Sendable, Equatable {
    /// Months of BJC training after adoption.
    public var months = 12
    /// Productivity dip during training (lowers the pay pool).
    public var productivityDip = 0.15
    /// How much the dip raises the failure hazard during training: × (1 + failurePerDip · dip)
    /// (6.67 gives × 2 at a 15% dip). 0 at the defaults: new co-operatives show no excess
    /// hazard in their first years (Quebec, 1-year survival 98.8% against 75.4%), and no study
    /// measures a BJC training period; a lever for testing that cost.
    public var failurePerDip = 0.0
    public init() {}

    /// The failure hazard multiplier during training.
    public var failureMultiplier: Double { 1 + failurePerDip * productivityDip }
}

public struct ReversionParameters: Sendable, Equatable {
    /// An adopted institution reverts after `votes` consecutive votes with support below `threshold`.
    public var threshold = 0.30
    public var votes = 4
    public init() {}
}

/// Who takes a failed workplace's place.
public enum FailureSuccessor: String, Sendable, Equatable, CaseIterable {
    /// A conventional successor of the same kind opens in its place and hires the members back
    /// (what was built there — institutions, council, disputes — is lost): the same rule for a
    /// worker-run workplace as for a conventional one.
    case conventional
    /// The workplace closes and its members go back to the labour market (the first model's rule
    /// for worker-run workplaces; conventional ones keep their successor).
    case none
}

/// Firms' lives: the market's failure hazard by kind of governance, the hostile reaction of
/// capital as a separate term, who takes a failed firm's place, and recoveries by the members.
///
/// A workplace's monthly hazard = `conventional` × the ratio for its kind + the hostile market's
/// term for worker-run workplaces (× training, shock and planning factors). Ratios below 1 say
/// that a kind outlives conventional firms, as the survival studies find.
public struct FailureParameters: Sendable, Equatable {
    /// Monthly failure hazard of a conventional non-state workplace: ordinary market churn.
    public var conventional = 0.005
    /// Hazard ratios against a conventional workplace: a workplace that adopted an institution
    /// (by a vote, a concession, co-management or a transfer), one its members recovered, one the
    /// movement founded, a state workplace (whatever its institutions: the state's shelter
    /// does not depend on how its workplaces are run).
    public var ratioAdopted = 0.71
    public var ratioRecovered = 0.5
    public var ratioFounded = 0.43
    public var ratioState = 0.0
    /// The hostile market: capital's reaction to firms that threaten it, added to the hazard of
    /// worker-run workplaces as hostileMarket × 4s(1 − s), s the adopted share of the workforce:
    /// nothing while they threaten nobody (where the survival studies measured), most at s = ½,
    /// fading as the adopted sector takes over.
    public var hostileMarket = 0.002
    /// Who takes a failed worker-run workplace's place.
    public var successor = FailureSuccessor.conventional
    /// Probability that the members of a private workplace closing in churn recover it (the
    /// owner leaves; they vote on running it themselves, as after an abandonment) instead of
    /// waiting for a successor, before the repertoire and the climate act. 0 turns recoveries
    /// outside a crisis off (and draws nothing).
    public var recoveryAttempt = 0.0
    /// How recoveries spread: the attempt probability is × (1 + repertoire · recoveries made so
    /// far per 1,000 private workplaces at month 0) — federations, lawyers, laws, examples.
    public var recoveryRepertoire = 1.0
    /// The government's stance towards recoveries, a factor on the attempt probability over
    /// time (1: neutral, 0: recoveries blocked; a schedule).
    public var recoveryClimate = Schedule.constant(1)
    public init() {}
}

/// Degeneration of worker-run workplaces: hired non-members who do not vote, and members who
/// vote the institutions away, more readily where they have become a minority.
public struct DegenerationParameters: Sendable, Equatable {
    /// Probability that a person hired into a worker-run workplace that adopted an institution
    /// joins as a non-member (an employee who does not vote). Members relocated inside a
    /// federation or recruited by a new firm join as members.
    public var hireNonMember = 0.3
    /// Monthly probability, at a member share of 0, that the members of a workplace with hired
    /// non-members vote an adopted institution away; × (1 − member share), so 0 where everyone
    /// is a member.
    public var reversionRate = 0.01
    public init() {}
}

/// Pay that drifts back: under equitable pay a proposal to re-differentiate pay arises at a
/// monthly hazard (higher where the market pays coordinators' skills more — they can leave —
/// where the workplace is exposed to the market, and where others have already re-differentiated)
/// and passes when the members against equitable pay carry `voteShare` of the weighted vote.
/// Without BJC each coordinator's voice weighs `coordinatorPower` (they hold the empowering work
/// alone); under BJC everyone's weighs 1.
public struct PayDriftParameters: Sendable, Equatable {
    /// Monthly hazard of a proposal at the default coordinator premium, before imitation (0 turns
    /// pay drift off and draws nothing).
    public var base = 0.0003
    /// The hazard is × (1 + imitation · D), D the share of workplaces that ever had equitable pay
    /// and have re-differentiated it.
    public var imitation = 250.0
    /// Weight of a coordinator's voice in the decision where BJC is not adopted.
    public var coordinatorPower = 10.0
    /// Exposure to the market over time (1: exposed; 0: a sheltered market), a schedule.
    public var exposure = Schedule.constant(1)
    /// Share of the weighted vote against equitable pay needed for a proposal to pass.
    public var voteShare = 0.5
    public init() {}
}

/// The gradual path's economy-wide levers on incomes (all off at the defaults), scheduled like
/// state support. Incomes are first floored by the minimum wage and capped by the ceiling, then
/// taxed, and the basic income is added; the tax finances the basic income and the balance is
/// reported.
public struct ReformParameters: Sendable, Equatable {
    /// Highest income as a multiple of a worker's conventional pay (0: no ceiling; else ≥ 1).
    public var payCeiling = Schedule.constant(0)
    /// Lowest income of a member of the workforce, in pay units (0: none).
    public var minimumWage = Schedule.constant(0)
    /// Marginal tax rate on income above `taxThreshold` (a two-bracket progressive tax).
    public var taxRate = Schedule.constant(0)
    public var taxThreshold = 1.5
    /// Basic income paid to every active person each month, in pay units.
    public var basicIncome = Schedule.constant(0)
    /// A stated assumption, not hard-wired: a basic income strengthens members against owners,
    /// raising S·P in the owner's concession by × (1 + bargainingWeight · basic income).
    public var bargainingWeight = 0.0
    public init() {}

    /// Whether any lever is ever on (no lever, no change to incomes).
    public var isActive: Bool {
        [payCeiling, minimumWage, taxRate, basicIncome].contains { $0.maximum > 0 }
    }
}

/// Participatory planning in reduced form: a federation of worker-run workplaces that
/// negotiates part of its members' exchanges with each other and with consumers' councils,
/// instead of through the market.
public struct PlanningParameters: Sendable, Equatable {
    public var enabled = false
    /// Monthly probability that a workplace with both institutions and a council joins the
    /// federation, × `councilMultiplier` where its neighbourhood has a communal council (the
    /// consumers' side of the negotiation).
    public var joinRate = 0.02
    public var councilMultiplier = 2.0
    /// Share of a firm's exchange that goes to final consumers (the rest to other producers).
    public var consumerShare = 0.5
    /// Whether the members of a failing federated workplace are relocated to other federated
    /// workplaces (mutual support) instead of a successor or the labour market.
    public var relocate = true
    public init() {}

    /// Share of a federated firm's exchange negotiated in the federation: its trade with other
    /// federated producers (their workforce share) and with consumers organised in councils
    /// (communal council coverage).
    public func plannedShare(federatedWorkforce f: Double, councilCoverage c: Double) -> Double {
        guard enabled else { return 0 }
        return min(1, max(0, (1 - consumerShare) * f + consumerShare * c))
    }
}

/// An economic crisis in which owners abandon workplaces (Argentina after 2001).
public struct CrisisParameters: Sendable, Equatable {
    public var enabled = false
    public var start = 24
    public var duration = 24
    /// Monthly probability that an owner abandons a private, non-adopted workplace.
    public var abandonRate = 0.01
    public init() {}
}

/// New cooperatives founded with both institutions from the start.
public struct NewFirmParameters: Sendable, Equatable {
    public var enabled = true
    /// Foundings per month: rate · P · (1 + alliedBoost · allied-volunteer share).
    public var rate = 0.25
    public var alliedBoost = 2.0
    public var sizeMedian = 8.0
    public var sizeSigma = 0.5
    /// Probability that an approached supporter chooses to move.
    public var joinProbability = 0.5
    /// Monthly growth of a new firm by voluntary recruitment.
    public var growthRate = 0.01
    public init() {}
}

/// Peer-to-peer volunteers and their alliance with the movement.
public struct VolunteerParameters: Sendable, Equatable {
    /// Whether volunteers with social concern ally with the movement.
    public var alliance = false
    /// Share of volunteers with social concern.
    public var socialConcernShare = 0.3
    /// Added to the class interest of allied volunteers (both institutions).
    public var allianceField = 0.8
    public init() {}
}

public struct PayParameters: Sendable, Equatable {
    public var worker = 1.0
    public var coordinator = 2.0
    public var volunteer = 1.6
    /// Owner's profit as a share of the workplace's wage bill.
    public var ownerProfitShare = 0.3
    public init() {}

    public func conventional(_ c: PersonClass) -> Double {
        switch c {
        case .worker: return worker
        case .coordinator: return coordinator
        case .volunteer: return volunteer
        case .owner: return 0
        }
    }
}
