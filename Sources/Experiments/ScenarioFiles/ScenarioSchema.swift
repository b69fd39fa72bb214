import Foundation
import Stochastic
import TransitionModel
import Yams

/// Every settable parameter of a scenario, in documentation order.
///
/// This list is the single source for reading files, `--set`, `parecon-sim params`, the resolved
/// scenario written beside results, and docs/SCENARIOS.md. Defaults come from `Scenario()`.
public enum ScenarioSchema {
    public static let parameters: [ParameterSpec] =
        general + population + opinion + influence + solidarity + movement
        + councils + voting + owners + consequences + newFirms + pay

    /// Keys of earlier versions that are gone, with what replaced them (shown for old files).
    public static let removed: [String: String] = [
        "failure.base":
            "failure.base (an excess hazard of adopted workplaces over churn) was replaced by failure.ratio_adopted, failure.ratio_recovered and failure.ratio_founded (hazards relative to a conventional workplace, which may be below 1) and failure.hostile_market (capital's reaction, a separate term)",
        "failure.exponent":
            "failure.exponent was removed: the hostile market's term is failure.hostile_market · 4s(1 − s), s the adopted workforce share",
        "training.failure_multiplier":
            "training.failure_multiplier was replaced by training.failure_per_dip: the hazard during training is × (1 + failure_per_dip · productivity_dip); 6.67 gives the old × 2 at a 15% dip"
    ]

    /// Parameters by key path, with the numbers inside pairs (`opinion.field_coordinator.bjc`)
    /// that sweeps, calibrations and `--set` may move on their own.
    public static let byPath: [String: ParameterSpec] = Dictionary(
        uniqueKeysWithValues: parameters.flatMap { [$0] + $0.components }.map { ($0.path, $0) })

    /// The top-level section names (and top-level keys).
    public static let sections: [String] = {
        var seen: [String] = []
        for p in parameters {
            let head = String(p.path.split(separator: ".").first!)
            if !seen.contains(head) { seen.append(head) }
        }
        return seen
    }()

    static let general: [ParameterSpec] = [
        ParameterSpec(
            path: "name", type: .structured("text"), unit: "", meaning: "short name used in reports",
            render: { yamlString($0.name) },
            write: { (s: inout Scenario, node: Node, spec: ParameterSpec, _: ReadContext) throws(ScenarioIssue) in
                if case .scalar(let s) = node, s.style == .plain, ["null", "~", "Null", "NULL"].contains(s.string) {
                    throw spec.issue(node, "expected a name, found nothing (null)")
                }
                let name = try spec.readWord(node)
                // The name becomes part of a folder name: a plain file-name component only.
                let allowed = name.unicodeScalars.allSatisfy {
                    CharacterSet.alphanumerics.contains($0) || "-_. ".unicodeScalars.contains($0)
                }
                guard allowed, !name.hasPrefix("."), !name.hasPrefix(" "), name.count <= 100 else {
                    throw spec.issue(
                        node,
                        "a name may hold letters, digits, '-', '_', '.' and spaces (not first), at most 100 characters: it names the result folder"
                    )
                }
                s.name = name
            }),
        .integer("horizon", \.horizon, 1, 12_000, unit: "months", "months simulated (one step is one month)"),
        ParameterSpec(
            path: "seed", type: .integer(min: 0, max: Int.max), unit: "",
            meaning: "master seed; replicate r runs with a seed mixed from (seed, r)",
            render: { String($0.seed) },
            write: { (s: inout Scenario, node: Node, spec: ParameterSpec, _: ReadContext) throws(ScenarioIssue) in
                s.seed = UInt64(try spec.readInteger(node, min: 0, max: Int.max))
            }),
        .choice("generator", \.generator, noun: "generator", "GSL generator for every stream (taus2 is fastest)"),
        .boolean(
            "path.transform_existing", \.path.transformExisting,
            "whether existing workplaces vote on the institutions (false: new firms only, the prefigurative path)"),
        .boolean(
            "path.allow_transfers", \.path.allowTransfers,
            "whether the state may take over private workplaces whose owner refused (expropriation, counted as coercion)"),
    ]

    static let population: [ParameterSpec] = [
        .integer("population.persons", \.population.persons, 10, 4_000_000_000, unit: "persons", "persons at month 0, owners included"),
        .number(
            "population.private_share", \.population.privateShare, 0, 1, unit: "share",
            "share of workplaces that are private (one owner each)"),
        .number("population.state_share", \.population.stateShare, 0, 1, unit: "share", "share of workplaces that are state-owned"),
        .number(
            "population.cooperative_share", \.population.cooperativeShare, 0, 1, unit: "share", "share of workplaces that are cooperatives"),
        .number(
            "population.p2p_share", \.population.p2pShare, 0, 1, unit: "share",
            "share of workplaces that are peer-to-peer projects (volunteers, no owner)"),
        .number("population.size_median", \.population.sizeMedian, 1, 100_000, unit: "members", "median workplace size (lognormal)"),
        .number("population.size_sigma", \.population.sizeSigma, 0, 5, unit: "log-scale", "spread of the lognormal workplace size"),
        .integer("population.size_max", \.population.sizeMax, 1, 10_000_000, unit: "members", "largest workplace [inert in small runs: no shipped scenario at 2,000 persons reaches it]"),
        .number(
            "population.coordinator_share", \.population.coordinatorShare, 0, 1, unit: "share",
            "share of coordinators among members (the 80/20 split)"),
        .number(
            "population.initial_equitable_pay", \.population.initialEquitablePay, 0, 1, unit: "share",
            "share of cooperative and p2p workplaces that start with equitable pay and a workers' council (economies of equal-pay communities)"
        ),
        .integer(
            "population.neighbourhood_size", \.population.neighbourhoodSize, 1, 1_000_000, unit: "persons",
            "persons per neighbourhood (a communal council's area)"),
        .number(
            "population.effort_sd", \.population.effortSD, 0, 1, unit: "relative",
            "spread of effort around 1 (duration × intensity × onerousness)"),
    ]

    static let opinion: [ParameterSpec] = [
        .number("opinion.beta", \.opinion.beta, 0, 1000, open: true, unit: "1/utility", "choice intensity β in 1/(1 + exp(−2βu)) [guess]"),
        .number(
            "opinion.revision_rate", \.opinion.revisionRate, 0, 1, unit: "per month", "probability ν that a person reconsiders in a month"),
        .pair(
            "opinion.field_worker", \.opinion.fieldWorker, -20, 20, unit: "utility",
            "workers' class interest h in BJC and in equitable pay (for pay: net of the pay stake) [guess]"),
        .pair("opinion.field_coordinator", \.opinion.fieldCoordinator, -20, 20, unit: "utility", "coordinators' class interest [guess]"),
        .pair("opinion.field_volunteer", \.opinion.fieldVolunteer, -20, 20, unit: "utility", "volunteers' class interest [guess]"),
        .pair(
            "opinion.field_owner", \.opinion.fieldOwner, -20, 20, unit: "utility",
            "owners' class interest; owners revise like everyone, and one who supports concedes [guess]"),
        .number("opinion.w_solidarity", \.opinion.wSolidarity, 0, 10, unit: "utility", "weight of solidarity σ"),
        .number("opinion.w_movement", \.opinion.wMovement, 0, 10, unit: "utility/P", "weight of movement pressure × reach"),
        .number("opinion.coupling", \.opinion.coupling, 0, 10, unit: "utility", "peer coupling J on 2m − 1"),
        .number("opinion.w_demonstration", \.opinion.wDemonstration, 0, 10, unit: "utility", "weight of nearby adopted workplaces d"),
        .number("opinion.w_disruption", \.opinion.wDisruption, 0, 10, unit: "utility", "weight of disruption aversion ρ (BJC only)"),
        .number("opinion.w_experience", \.opinion.wExperience, 0, 10, unit: "utility", "weight of own experience ξ"),
        .number("opinion.w_self", \.opinion.wSelf, 0, 10, unit: "utility", "inertia: weight of the current stance"),
        .number(
            "opinion.w_pay_stake", \.opinion.wPayStake, 0, 10, unit: "utility",
            "weight of one's relative pay change under equitable pay, (pool · effort − pay)/pay, in the stance on pay"),
        .number(
            "opinion.workplace_weight", \.opinion.workplaceWeight, 0, 1, unit: "share",
            "weight of the workplace (vs the neighbourhood) in the peer share m"),
        .number("opinion.reach_base", \.opinion.reachBase, 0, 10, unit: "factor", "movement reach without a communal council"),
        .number("opinion.reach_council", \.opinion.reachCouncil, 0, 10, unit: "factor", "movement reach with a communal council"),
        .number("opinion.aversion_a", \.opinion.aversionA, 0, 100, open: true, unit: "", "disruption aversion ρ ~ Beta(a, b): a"),
        .number("opinion.aversion_b", \.opinion.aversionB, 0, 100, open: true, unit: "", "disruption aversion ρ ~ Beta(a, b): b"),
        ParameterSpec(
            path: "opinion.initial", type: .structured("'rule' or a share in [0, 1]"), unit: "",
            meaning: "initial stances: drawn from the opinion rule (burn-in), or Bernoulli at a fixed share (validation)",
            render: { if case .fixed(let x) = $0.opinion.initial { return format(x) } else { return "rule" } },
            write: { (s: inout Scenario, node: Node, spec: ParameterSpec, _: ReadContext) throws(ScenarioIssue) in
                if node.string == "rule" {
                    let burn: Int
                    if case .rule(let b) = s.opinion.initial { burn = b } else { burn = 12 }
                    s.opinion.initial = .rule(burnIn: burn)
                } else {
                    s.opinion.initial = .fixed(share: try spec.readNumber(node, min: 0, max: 1))
                }
            }),
        ParameterSpec(
            path: "opinion.burn_in", type: .integer(min: 0, max: 1000), unit: "revisions",
            meaning: "full revisions before month 0 when initial stances come from the rule",
            render: { if case .rule(let b) = $0.opinion.initial { return String(b) } else { return "12" } },
            write: { (s: inout Scenario, node: Node, spec: ParameterSpec, _: ReadContext) throws(ScenarioIssue) in
                let b = try spec.readInteger(node, min: 0, max: 1000)
                guard case .rule = s.opinion.initial else {
                    throw spec.issue(node, "has no effect: opinion.initial is a fixed share here (a burn-in applies only to initial: rule)")
                }
                s.opinion.initial = .rule(burnIn: b)
            }),
    ]

    static let solidarity: [ParameterSpec] = [
        .number("solidarity.worker_a", \.solidarity.workerA, 0, 100, open: true, unit: "", "workers' initial σ ~ Beta(a, b): a"),
        .number("solidarity.worker_b", \.solidarity.workerB, 0, 100, open: true, unit: "", "workers' initial σ: b"),
        .number("solidarity.coordinator_a", \.solidarity.coordinatorA, 0, 100, open: true, unit: "", "coordinators' initial σ: a"),
        .number("solidarity.coordinator_b", \.solidarity.coordinatorB, 0, 100, open: true, unit: "", "coordinators' initial σ: b"),
        .number("solidarity.volunteer_a", \.solidarity.volunteerA, 0, 100, open: true, unit: "", "volunteers' initial σ: a"),
        .number("solidarity.volunteer_b", \.solidarity.volunteerB, 0, 100, open: true, unit: "", "volunteers' initial σ: b"),
        .number("solidarity.rise_rate", \.solidarity.riseRate, 0, 1, unit: "per month", "rise of σ towards 1 per unit exposure"),
        .number(
            "solidarity.return_rate", \.solidarity.returnRate, 0, 1, unit: "per month",
            "return of σ towards its initial value without exposure"),
    ]

    static let influence: [ParameterSpec] = [
        .choice(
            "influence.network", \.influence.network, noun: "network",
            "ties that carry influence beside the workplace and neighbourhood: none, between persons erdos_renyi (random), random_regular (everyone the same number), watts_strogatz (small world), barabasi_albert (hubs), or federation (ties between workplaces: the members of federated firms)"
        ),
        .number(
            "influence.mean_degree", \.influence.meanDegree, 0, 1_000, unit: "ties",
            "mean number of ties per person, or partner workplaces per workplace for a federation (Watts–Strogatz and Barabási–Albert use the nearest even number)"),
        .number(
            "influence.rewiring", \.influence.rewiring, 0, 1, unit: "probability",
            "Watts–Strogatz: probability that a ring tie is rewired to a random person"),
        .number(
            "influence.weight", \.influence.weight, 0, 1, unit: "share",
            "weight of the network in the peer share m (the rest: workplace and neighbourhood)"),
    ]

    static let movement: [ParameterSpec] = [
        .schedule("movement.base", \.movement.base, 0, 100, unit: "P units", "base pressure B(t): 1 is ordinary organising"),
        .number("movement.momentum_start", \.movement.momentumStart, 0, 100, unit: "M units", "momentum M at month 0"),
        .number("movement.momentum_floor", \.movement.momentumFloor, 0, 100, unit: "M units", "lowest momentum"),
        .number("movement.momentum_cap", \.movement.momentumCap, 0, 100, open: true, unit: "M units", "highest momentum"),
        .number(
            "movement.gain_per_win", \.movement.gainPerWin, 0, 1000, unit: "M per share",
            "momentum gained per unit rise of the adopted workforce share"),
        .number(
            "movement.gain_per_support", \.movement.gainPerSupport, 0, 10, unit: "M per month",
            "momentum gained per month per unit supporting share"),
        .choice(
            "movement.formulation", \.movement.formulation, noun: "formulation",
            "momentum feedback: legacy (every dispute costs, decay only without wins, hard cap), aged (old disputes only, decay every month), saturating (aged, and gains fade near the cap)"
        ),
        .number(
            "movement.decay", \.movement.decay, 0, 1, unit: "per month",
            "decay towards the floor (every month; under legacy only in months without a win)"),
        .number(
            "movement.pending_cost", \.movement.pendingCost, 0, 10, unit: "M per month",
            "momentum lost per unit share of council workplaces with a pending dispute (older than pending_age, except under legacy)"),
        .integer(
            "movement.pending_age", \.movement.pendingAge, 0, 1200, unit: "months",
            "age a dispute must reach before it costs momentum (aged, saturating)"),
        .boolean("shocks.enabled", \.shocks.enabled, "whether backlash shocks arrive (Poisson process)"),
        .number("shocks.mean_interval", \.shocks.meanInterval, 1, 100_000, unit: "months", "mean months between shocks"),
        .number(
            "shocks.pressure_cut", \.shocks.pressureCut, 0, 1, unit: "share", "share of pressure cut at a shock's arrival, fading linearly"),
        .integer("shocks.fade_months", \.shocks.fadeMonths, 1, 1000, unit: "months", "months over which a shock fades"),
        .number(
            "shocks.solidarity_loss", \.shocks.solidarityLoss, 0, 1, unit: "share", "relative fall of everyone's solidarity at a shock"),
        .number(
            "shocks.failure_multiplier", \.shocks.failureMultiplier, 0, 100, unit: "factor", "failure hazard multiplier while a shock lasts"
        ),
        .number(
            "shocks.retract_rate", \.shocks.retractRate, 0, 1, unit: "per month",
            "probability that an owner retracts a concession while a shock lasts"),
        .schedule("state.support", \.state.support, 0, 10, unit: "L units", "state support L(t)"),
        .number(
            "state.comanagement_base", \.state.comanagementBase, 0, 1, unit: "per month",
            "co-management probability for a state workplace whose members decided, at L = 0"),
        .number(
            "state.transfer_rate", \.state.transferRate, 0, 1, unit: "per month per L",
            "probability of transferring a refusing owner's workplace, per unit L"),
    ]

    static let councils: [ParameterSpec] = [
        ParameterSpec(
            path: "councils.rollout",
            type: .structured(
                "none, {logistic: {seed, rate, target}}, or {table: [[month, count], …], total: N} / {table_file: CSV, total: N}"),
            unit: "", meaning: "how communal councils spread over neighbourhoods",
            render: { renderRollout($0.councils.rollout) },
            write: { (s: inout Scenario, node: Node, spec: ParameterSpec, ctx: ReadContext) throws(ScenarioIssue) in
                s.councils.rollout = try spec.readRollout(node, ctx)
            }),
        .boolean("workers_councils.enabled", \.workersCouncils.enabled, "whether workers' councils form (only they hold votes)"),
        .number(
            "workers_councils.support_threshold", \.workersCouncils.supportThreshold, 0, 1, open: true, unit: "share",
            "members' support needed before a council can form [guess]"),
        .number("workers_councils.rate", \.workersCouncils.rate, 0, 1, unit: "per month", "formation probability once the threshold holds [guess: the hypothetical strong movement; every shipped calibration puts it at least 12 times lower]"),
        .number(
            "workers_councils.communal_multiplier", \.workersCouncils.communalMultiplier, 0, 100, unit: "factor",
            "formation faster where the neighbourhood has a communal council"),
    ]

    static let voting: [ParameterSpec] = [
        ParameterSpec(
            path: "voting.rule",
            type: .structured(
                "consensus, majority, supermajority, a threshold q in (0, 1], or sortition ({sortition: N}: a panel of N drawn by lot, 15 by default)"
            ),
            unit: "", meaning: "decision rule of workplace votes",
            render: { renderRule($0.voting.rule) },
            write: { (s: inout Scenario, node: Node, spec: ParameterSpec, _: ReadContext) throws(ScenarioIssue) in
                let expected = "expected consensus, majority, supermajority, sortition, {sortition: N} or a threshold in (0, 1]"
                if case .mapping(let m) = node {
                    guard m.count == 1, let panel = m["sortition"] else { throw spec.issue(node, "\(expected), found \(describe(node))") }
                    s.voting.rule = .sortition(panel: try spec.readInteger(panel, min: 1, max: 100_000))
                    return
                }
                switch node.string {
                case "consensus": s.voting.rule = .consensus
                case "majority": s.voting.rule = .majority
                case "supermajority": s.voting.rule = .supermajority
                case "sortition": s.voting.rule = .sortition(panel: VotingRule.defaultPanel)
                default:
                    guard case .scalar(let sc) = node, sc.style == .plain, Double(sc.string) != nil else {
                        throw spec.issue(node, "\(expected), found \(describe(node))")
                    }
                    s.voting.rule = .threshold(try spec.readNumber(node, min: 0, max: 1, minExclusive: true))
                }
            }),
        .integer("voting.interval", \.voting.interval, 1, 120, unit: "months", "months between votes"),
        .integer(
            "voting.confirmations", \.voting.confirmations, 1, 12, unit: "votes", "consecutive passing votes before a change is decided"),
        .number(
            "voting.blocking_level", \.voting.blockingLevel, -20, 20, unit: "utility",
            "an opponent with u below this blocks under consensus (and counts as a strong opponent) [guess]"),
        .number(
            "voting.consensus_minimum_support", \.voting.consensusMinimumSupport, 0, 1, unit: "share",
            "share of members who must support under consensus"),
    ]

    static let owners: [ParameterSpec] = [
        .number("owners.kappa", \.owners.kappa, 0, 100, unit: "1/P", "steepness κ of the owner's concession logistic(κ(S·P + λL − R))"),
        .number("owners.lambda", \.owners.lambda, 0, 100, unit: "P/L", "weight λ of state support in the concession"),
        .number("owners.resistance_mean", \.owners.resistanceMean, -100, 100, unit: "P units", "mean owner resistance R"),
        .number("owners.resistance_sd", \.owners.resistanceSD, 0, 100, unit: "P units", "spread of owner resistance R"),
    ]

    static let consequences: [ParameterSpec] = [
        .number("exits.worker", \.exits.worker, 0, 1, unit: "probability", "chance that an overruled worker leaves"),
        .number("exits.coordinator", \.exits.coordinator, 0, 1, unit: "probability", "chance that an overruled coordinator leaves"),
        .number("exits.volunteer", \.exits.volunteer, 0, 1, unit: "probability", "chance that an overruled volunteer leaves"),
        .number("exits.strong_multiplier", \.exits.strongMultiplier, 0, 100, unit: "factor", "exit chance multiplier for strong opponents"),
        .number(
            "exits.stand_aside_factor", \.exits.standAsideFactor, 0, 1, unit: "factor",
            "exit chance of a non-supporter who stood aside under consensus, relative to an overruled one"),
        .integer("training.months", \.training.months, 0, 240, unit: "months", "BJC training period after adoption"),
        .number("training.productivity_dip", \.training.productivityDip, 0, 1, unit: "share", "productivity lost during training"),
        .number(
            "training.failure_per_dip", \.training.failurePerDip, 0, 1000, unit: "factor per share",
            "failure hazard during training is × (1 + failure_per_dip · productivity_dip) [0 at the defaults: new co-operatives show no first-year excess hazard, Quebec 2022; no study measures BJC training]"
        ),
        .number(
            "reversion.threshold", \.reversion.threshold, 0, 1, open: true, unit: "share",
            "support below which an adopted institution is at risk"),
        .integer("reversion.votes", \.reversion.votes, 1, 100, unit: "votes", "consecutive low-support votes before it reverts"),
        .number(
            "degeneration.hire_nonmember", \.degeneration.hireNonMember, 0, 1, unit: "probability",
            "chance that a person hired into an adopted worker-run workplace (not a private firm) joins as a non-member who does not vote [guess; pattern: Mondragon's members were 32-45% of its employment by sector in 2019, Reuten]"
        ),
        .number(
            "degeneration.reversion_rate", \.degeneration.reversionRate, 0, 1, unit: "per month",
            "chance that the members of a workplace with hired non-members vote an adopted institution away, × (1 − member share) [guess]"
        ),
        .number(
            "failure.conventional", \.failure.conventional, 0, 1, unit: "per month",
            "failure hazard of a conventional non-state workplace (market churn; a successor hires the members back) [guess: about 6% of workplaces a year]"
        ),
        .number(
            "failure.ratio_adopted", \.failure.ratioAdopted, 0, 100, unit: "hazard ratio",
            "hazard of a workplace that adopted an institution, relative to a conventional one (below 1: it outlives it) [anchor: 0.71, worker-managed firms' hazard of dissolution 29% lower, Uruguay, Burdín 2014]"
        ),
        .number(
            "failure.ratio_recovered", \.failure.ratioRecovered, 0, 100, unit: "hazard ratio",
            "hazard of a workplace its members recovered, relative to a conventional one [guess: below the adopted ratio, as recovered firms outlive other worker-managed firms in Uruguay, Dean 2024]"
        ),
        .number(
            "failure.ratio_founded", \.failure.ratioFounded, 0, 100, unit: "hazard ratio",
            "hazard of a workplace the movement founded, relative to a conventional one [anchor: 0.43, new co-operatives' 5-year survival against new firms', Quebec 2022 (63.9% vs 35%); other new-firm studies imply 0.19-0.50]"
        ),
        .number(
            "failure.ratio_state", \.failure.ratioState, 0, 100, unit: "hazard ratio",
            "hazard of a state workplace, whatever its institutions, relative to a private one; state workplaces face no hostile market [modelling choice: 0, the state does not let its workplaces close]"
        ),
        .number(
            "failure.hostile_market", \.failure.hostileMarket, 0, 1, unit: "per month",
            "hostile market: capital's reaction to firms that threaten it, added to worker-run workplaces' hazard as hostile_market · 4s(1 − s), s the adopted workforce share [guess]"
        ),
        .choice(
            "failure.successor", \.failure.successor, noun: "successor",
            "who takes a failed worker-run workplace's place: conventional (a successor of the same kind hires the members back, as in churn) or none (it closes; members to the labour market)"
        ),
        .number(
            "failure.recovery_attempt", \.failure.recoveryAttempt, 0, 1, unit: "probability",
            "chance that the members of a private workplace closing in churn vote on running it themselves (as after an abandonment) instead of waiting for a successor, before repertoire and climate [calibrated: Argentina]"
        ),
        .number(
            "failure.recovery_repertoire", \.failure.recoveryRepertoire, 0, 10_000, unit: "per recovery per 1,000 private workplaces",
            "how recoveries spread: the attempt chance is × (1 + repertoire · recoveries so far per 1,000 private workplaces at month 0) [guess; calibrated: Argentina; inert where recoveries are rare, as in small runs]"
        ),
        .schedule(
            "failure.recovery_climate", \.failure.recoveryClimate, 0, 100, unit: "factor",
            "the government's stance towards recoveries over time: a factor on the attempt chance (1 neutral, 0 blocked) [scenario lever]"),
        .boolean("crisis.enabled", \.crisis.enabled, "whether an economic crisis makes owners abandon workplaces"),
        .integer("crisis.start", \.crisis.start, 0, 12_000, unit: "month", "month the crisis begins"),
        .integer("crisis.duration", \.crisis.duration, 1, 12_000, unit: "months", "months the crisis lasts"),
        .number(
            "crisis.abandon_rate", \.crisis.abandonRate, 0, 1, unit: "per month",
            "probability that an owner abandons a private workplace during the crisis"),
        .number(
            "pay_drift.base", \.payDrift.base, 0, 1, unit: "per month",
            "hazard that a proposal to re-differentiate pay arises in a workplace with equitable pay (with or without BJC: under BJC it meets an unweighted vote), at the default coordinator premium, before imitation; 0 turns pay drift off [fitted: kibbutz 1996 and 2002, 2009 held out]"
        ),
        .number(
            "pay_drift.imitation", \.payDrift.imitation, 0, 100_000, unit: "factor",
            "the hazard is × (1 + imitation · share of workplaces that have re-differentiated) [fitted: kibbutz 1996 and 2002]"),
        .number(
            "pay_drift.coordinator_power", \.payDrift.coordinatorPower, 1, 1000, unit: "votes",
            "weight of a coordinator's voice in a proposal to re-differentiate pay where BJC is not adopted (they hold the empowering work alone); 1 under BJC [fitted: kibbutz 1996 and 2002]"
        ),
        .schedule(
            "pay_drift.exposure", \.payDrift.exposure, 0, 100, unit: "factor",
            "exposure to the market over time (1 exposed, 0 sheltered): a factor on the hazard [scenario lever]"),
        .number(
            "pay_drift.vote_share", \.payDrift.voteShare, 0, 1, unit: "share",
            "share of the weighted vote against equitable pay needed for a proposal to pass"),
        .schedule(
            "reform.pay_ceiling", \.reform.payCeiling, 0, 1000, unit: "× worker pay",
            "gradual path: the highest income as a multiple of a worker's conventional pay (0 none; else at least 1)"),
        .schedule(
            "reform.minimum_wage", \.reform.minimumWage, 0, 1000, unit: "pay units",
            "gradual path: the lowest income of a member of the workforce (0 none) [inert unless raised above the lowest wage]"),
        .schedule(
            "reform.tax_rate", \.reform.taxRate, 0, 1, unit: "share",
            "gradual path: marginal income tax rate above reform.tax_threshold (a two-bracket progressive tax)"),
        .number(
            "reform.tax_threshold", \.reform.taxThreshold, 0, 1000, unit: "pay units", "gradual path: income above which the tax applies"),
        .schedule(
            "reform.basic_income", \.reform.basicIncome, 0, 1000, unit: "pay units",
            "gradual path: basic income paid to every active person each month, financed by the tax (the balance is the series budget_balance)"
        ),
        .number(
            "reform.bargaining_weight", \.reform.bargainingWeight, 0, 100, unit: "factor per pay unit",
            "stated assumption: a basic income strengthens members against owners, S·P × (1 + weight · basic income) in the concession [0: none; inert in the shipped scenarios: only gradual-reform has a basic income, and it asks owners for no concession]"
        ),
        .boolean(
            "planning.enabled", \.planning.enabled,
            "whether worker-run workplaces may join a federation that plans part of their exchanges (participatory planning, reduced form)"),
        .number(
            "planning.join_rate", \.planning.joinRate, 0, 1, unit: "per month",
            "chance that a workplace with both institutions and a workers' council joins the federation [guess]"),
        .number(
            "planning.council_multiplier", \.planning.councilMultiplier, 0, 100, unit: "factor",
            "joining is this much faster where a communal council speaks for the consumers [guess]"),
        .number(
            "planning.consumer_share", \.planning.consumerShare, 0, 1, unit: "share",
            "share of a firm's exchange going to final consumers (planned where communal councils cover them); the rest goes to other producers (planned among federated ones) [guess]"
        ),
        .boolean(
            "planning.relocate", \.planning.relocate,
            "whether members of a failing federated workplace are relocated inside the federation (mutual support, as in Mondragon)"),
    ]


    static let newFirms: [ParameterSpec] = [
        .boolean("new_firms.enabled", \.newFirms.enabled, "whether new cooperatives are founded"),
        .number(
            "new_firms.rate", \.newFirms.rate, 0, 100, unit: "per month per 10,000 persons",
            "founding rate at P = 1 and no allied volunteers [guess; calibrated: Venezuela, not identified]"),
        .number(
            "new_firms.allied_boost", \.newFirms.alliedBoost, 0, 100, unit: "factor", "how much allied volunteers raise the founding rate"),
        .number("new_firms.size_median", \.newFirms.sizeMedian, 1, 10_000, unit: "members", "median size a new firm aims for"),
        .number("new_firms.size_sigma", \.newFirms.sizeSigma, 0, 5, unit: "log-scale", "spread of new firms' target size"),
        .number(
            "new_firms.join_probability", \.newFirms.joinProbability, 0, 1, unit: "probability",
            "chance that an approached supporter chooses to move"),
        .number("new_firms.growth_rate", \.newFirms.growthRate, 0, 1, unit: "per month", "monthly growth by voluntary recruitment [guess]"),
        .boolean("volunteers.alliance", \.volunteers.alliance, "whether volunteers with social concern ally with the movement"),
        .number(
            "volunteers.social_concern_share", \.volunteers.socialConcernShare, 0, 1, unit: "share",
            "share of volunteers with social concern"),
        .number(
            "volunteers.alliance_field", \.volunteers.allianceField, 0, 20, unit: "utility", "added to allied volunteers' class interest"),
    ]

    static let pay: [ParameterSpec] = [
        .number("pay.worker", \.pay.worker, 0.001, 1000, unit: "wage units", "conventional pay of a worker"),
        .number("pay.coordinator", \.pay.coordinator, 0.001, 1000, unit: "wage units", "conventional pay of a coordinator"),
        .number("pay.volunteer", \.pay.volunteer, 0.001, 1000, unit: "wage units", "conventional income of a volunteer"),
        .number("pay.owner_profit_share", \.pay.ownerProfitShare, 0, 100, unit: "share of wage bill", "owner's profit"),
        .number(
            "status_quo.search_months", \.statusQuo.searchMonths, 0, 120, unit: "months",
            "months of conventional pay a person loses with a job lost to a workplace failure (status-quo ledger)"),
    ]
}

func yamlString(_ s: String) -> String {
    let safe = s.allSatisfy { $0.isLetter || $0.isNumber || "-_ .".contains($0) } && !s.isEmpty && s.first != " "
    return safe ? s : "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
}

func renderRule(_ r: VotingRule) -> String {
    switch r {
    case .consensus: return "consensus"
    case .majority: return "majority"
    case .threshold(let q): return q == 2.0 / 3.0 ? "supermajority" : format(q)
    case .sortition(let panel): return "{sortition: \(panel)}"
    }
}

func renderRollout(_ r: CouncilRollout) -> String {
    switch r {
    case .none: return "none"
    case let .logistic(seed, rate, target): return "{logistic: {seed: \(format(seed)), rate: \(format(rate)), target: \(format(target))}}"
    case let .table(points, total):
        return "{table: \(renderTable(points.map { ($0.month, $0.count) })), total: \(format(total))}"
    }
}

extension ParameterSpec {
    func readRollout(_ node: Node, _ ctx: ReadContext) throws(ScenarioIssue) -> CouncilRollout {
        if node.string == "none" { return .none }
        guard case .mapping = node else {
            throw issue(node, "expected none, {logistic: …}, {table: …, total: N} or {table_file: …, total: N}, found \(describe(node))")
        }
        let f = try readFields(node, [], optional: ["logistic", "table", "table_file", "total"])
        if let body = f["logistic"] {
            guard f.count == 1 else { throw issue(node, "logistic takes no other fields") }
            let g = try readFields(body, ["seed", "rate", "target"])
            return .logistic(
                seed: try readNumber(g["seed"]!, min: 0, max: 1),
                rate: try readNumber(g["rate"]!, min: 0, max: 10),
                target: try readNumber(g["target"]!, min: 0, max: 1, minExclusive: true))
        }
        guard let totalNode = f["total"] else {
            throw issue(node, "a council table needs 'total': the count that covers every neighbourhood")
        }
        let total = try readNumber(totalNode, min: 0, max: 1e12, minExclusive: true)
        let points: [(month: Int, count: Double)]
        if let table = f["table"] {
            guard f["table_file"] == nil else { throw issue(node, "give either table or table_file, not both") }
            points = try readTable(table, valueMin: 0, valueMax: 1e12).map { ($0.month, $0.value) }
        } else {
            guard let fileNode = f["table_file"], let name = fileNode.string else {
                throw issue(node, "expected logistic, table or table_file")
            }
            let path = name.hasPrefix("/") ? name : ctx.directory + "/" + name
            points = try readCountTable(path: path, name: name, node: fileNode)
        }
        // Coverage is count / total: a count above the total would be capped at 100% unseen.
        if let most = points.max(by: { $0.count < $1.count }), most.count > total {
            throw issue(
                totalNode,
                "total \(formatValue(total, count: false)) is below the table's count \(formatValue(most.count, count: false)) at month \(most.month): coverage would pass 100%; total is the count that covers every neighbourhood"
            )
        }
        return .table(points: points, total: total)
    }

    /// A CSV with columns month,count[,…] (a header row; further columns, e.g. source, ignored).
    func readCountTable(path: String, name: String, node: Node) throws(ScenarioIssue) -> [(month: Int, count: Double)] {
        let text: String
        do { text = try InputFile.text(path, limit: ScenarioLoader.maximumFileBytes) } catch {
            throw issue(node, "the table file '\(name)' (looked at \(path)) \(error.description)")
        }
        // The same reader as every CSV the tool reads: a quoted source may hold commas.
        let table: CSVTable
        do throws(CSVTable.Problem) { table = try CSVTable(parsing: text) } catch {
            throw issue(node, "\(name):\(error.line): \(error.message)")
        }
        guard table.header.count >= 2, table.header[0] == "month", table.header[1] == "count" else {
            throw issue(node, "\(name):1: expected a header starting month,count")
        }
        var rows: [(month: Int, count: Double)] = []
        for (line, cells) in table.rows {
            guard let m = Int(cells[0]), let c = Double(cells[1]), c.isFinite, c >= 0, m >= 0 else {
                throw issue(node, "\(name):\(line): expected a month (integer ≥ 0) and a count (number ≥ 0)")
            }
            if let last = rows.last, m <= last.month {
                throw issue(node, "\(name):\(line): months must increase (\(m) follows \(last.month))")
            }
            rows.append((m, c))
        }
        guard !rows.isEmpty else { throw issue(node, "\(name) has no rows") }
        return rows
    }
}
