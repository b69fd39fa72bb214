import Dispatch
import Stochastic

/// Errors a scenario can cause when a model is built from it.
public enum ModelError: Error, Equatable, CustomStringConvertible {
    case populationTooSmall(Int)
    case invalidParameter(String)

    public var description: String {
        switch self {
        case .populationTooSmall(let n): return "population.persons must be at least 10, got \(n)"
        case .invalidParameter(let s): return s
        }
    }
}

/// The movement and state at the level of the whole economy.
public struct Globals: Sendable, Equatable {
    public var pressure = 1.0
    public var momentum = 1.0
    public var stateSupport = 0.0
    /// Months since the last shock began (nil: no shock yet).
    public var shockAge: Int? = nil
    public var shockPenalty = 0.0
    public var councilCoverage = 0.0
}

/// Events of the current month, reset at the start of each step.
public struct StepEvents: Sendable, Equatable {
    public var adoptions = 0
    public var reversions = 0
    public var failures = 0
    public var newFirms = 0
    public var transfers = 0
    public var abandoned = 0
    public var recovered = 0
    /// Conventional workplaces that failed in ordinary market churn, and their members.
    public var conventionalFailures = 0
    public var jobsLostInChurn = 0
    /// Federated workplaces that failed, workplaces that joined the federation, and members of
    /// failed federated workplaces relocated inside it.
    public var federatedFailures = 0
    public var joinedFederation = 0
    public var relocated = 0
    /// Institutions voted away by the members of a workplace with hired non-members.
    public var degenerations = 0
    /// Workplaces whose members re-differentiated pay (``PayDriftParameters``).
    public var payDrifts = 0
}

/// The life of one workplace that failed, for survival analyses (``Simulation/auditFirmLives``).
public struct FirmLife: Sendable, Equatable {
    /// How the worker-run workplace came to be; nil for a conventional one.
    public var origin: WorkplaceOrigin?
    /// Month it (or its current successor) opened (0: there at month 0), and month it failed.
    public var started: Int
    public var ended: Int
}

/// One vote that decided an adoption, for audits and tests of the ledger's identities.
public struct AdoptionRecord: Sendable, Equatable {
    public var workplace: Int
    public var institution: Institution
    public var month: Int
    public var path: AdoptionPath
    public var membersBefore: Int
    public var membersAfter: Int
    /// Members who did not support the institution, and their u at the adoption.
    public var opponents: [Int]
    public var opponentUtilities: [Double]
    public var overruled: [Int]
    public var exited: [Int]
    public var stoodAside: [Int]
}

/// One run of the transition model: the state (data) and the monthly step functions.
///
/// The model is pure: it reads no files and prints nothing. Persons update synchronously and
/// are split into fixed chunks of ``chunkSize`` persons, each with its own random stream, so the
/// result does not depend on `threads`.
public final class Simulation {
    /// Persons per chunk: fixed, so results are independent of the number of threads.
    public static let chunkSize = 16_384

    public let scenario: Scenario
    public let seed: UInt64
    public let threads: Int
    public internal(set) var month = 0
    public internal(set) var population = Population()
    public internal(set) var workplaces = Workplaces()
    public internal(set) var neighbourhoodHasCouncil: [Bool] = []
    /// Ties that carry influence (`influence.network`): between persons, or between workplaces
    /// for a federation; nil: the groups only.
    public internal(set) var network: InfluenceNetwork? = nil
    public internal(set) var globals = Globals()
    public internal(set) var ledger = CoercionLedger()
    public internal(set) var statusQuo = StatusQuoLedger()
    public internal(set) var events = StepEvents()
    /// Set to keep an ``AdoptionRecord`` of every adoption decided by a vote.
    public var auditAdoptions = false
    public internal(set) var adoptionAudit: [AdoptionRecord] = []
    /// Persons who left the economy (exits with nowhere to go, departed owners).
    public internal(set) var departed = 0
    /// Per person: the lowest u at which a change was adopted over them (+∞: never).
    public internal(set) var adoptedOverMin: [Float] = []
    /// Cumulative count of workplaces abandoned by their owners.
    public internal(set) var abandonedTotal = 0
    /// Workplaces founded by the movement since month 0, open or since closed.
    public internal(set) var foundedTotal = 0
    /// Cumulative workplaces recovered by their members (the repertoire of recoveries).
    public internal(set) var recoveredTotal = 0
    /// Cumulative workplaces whose members re-differentiated pay.
    public internal(set) var payDriftedTotal = 0
    /// Cumulative members of failed federated workplaces relocated inside the federation.
    public internal(set) var relocatedTotal = 0
    /// Set to keep a ``FirmLife`` of every workplace failure (survival analyses).
    public var auditFirmLives = false
    public internal(set) var firmLives: [FirmLife] = []
    /// Share of a federated workplace's exchange negotiated in the federation this month.
    public internal(set) var plannedShare = 0.0
    /// Owners currently supporting BJC, equitable pay, both (owners are outside the group counts).
    var ownerSupport = [0, 0, 0]

    var counts = GroupCounts()
    /// Member lists, rebuilt at vote months, with the workplaces changed and persons moved since
    /// (see `currentMembers`).
    var memberIndex: MemberIndex? = nil
    var membershipChanged: [Bool] = []
    var movedSinceIndex: [Int: [Int32]] = [:]
    let chunkStreams: [RandomStream]
    /// Income histograms reused every month (see ``incomeTally``).
    let incomeScratch = IncomeScratch()
    let rng: RandomStream
    var previousAdoptedShare = 0.0
    var initialWorkplaceCount = 0
    var initialPrivateWorkplaces = 0

    public var neighbourhoodCount: Int { neighbourhoodHasCouncil.count }

    /// Builds the economy at month 0 from `scenario`, seeded by `seed`.
    public init(scenario: Scenario, seed: UInt64, threads: Int = 1) throws(ModelError) {
        guard scenario.population.persons >= 10 else {
            throw .populationTooSmall(scenario.population.persons)
        }
        if let problem = scenario.violatedInvariant() { throw .invalidParameter(problem) }
        self.scenario = scenario
        self.seed = seed
        self.threads = max(1, threads)
        rng = RandomStream(kind: scenario.generator, seed: seed, stream: StreamID.run)
        let chunks = (scenario.population.persons + Self.chunkSize - 1) / Self.chunkSize
        chunkStreams = (0..<chunks).map {
            RandomStream(kind: scenario.generator, seed: seed, stream: StreamID.chunk($0))
        }
        counts.alliance = scenario.volunteers.alliance
        counts.conventionalPay = PersonClass.allCases.map { scenario.pay.conventional($0) }
        buildEconomy()
        // A federation ties workplaces, whose number is known only once the economy is built.
        let others = max(workplaces.count - 1, 0)
        if scenario.influence.network == .federation && scenario.influence.meanDegree > Double(others) {
            throw .invalidParameter(
                "influence.mean_degree (\(scenario.influence.meanDegree)) must be at most the \(others) other workplaces a federation can tie each workplace to at month 0"
            )
        }
        network = InfluenceNetwork.build(
            scenario.influence, persons: population.count, workplaces: workplaces.count,
            stream: RandomStream(kind: scenario.generator, seed: seed, stream: StreamID.network))
        initialWorkplaceCount = workplaces.count
        initialPrivateWorkplaces = workplaces.kind.lazy.filter { $0 == .privateFirm }.count
        adoptedOverMin = [Float](repeating: .infinity, count: population.count)
        initialiseStances()
        counts.recount(population, workplaces, neighbourhoods: neighbourhoodCount, threads: threads)
    }

    /// Wall-clock seconds spent in each phase so far, when `timePhases` is set (for `bench`).
    public var timePhases = false
    public internal(set) var phaseSeconds: [String: Double] = [:]

    @inline(__always)
    private func timed(_ name: String, _ body: () -> Void) {
        guard timePhases else { body(); return }
        let t0 = DispatchTime.now().uptimeNanoseconds
        body()
        phaseSeconds[name, default: 0] += Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
    }

    /// Advances one month through the phases of the monthly schedule (docs/MODEL.md, section 3), in order.
    public func step() {
        month += 1
        events = StepEvents()
        timed("councils") { rollOutCouncils() }
        timed("movement") { updateMovement() }
        // Counts are current: the last recount followed the last change of stances or members.
        timed("opinion") { reviseOpinions() }  // keeps the supporter counts current
        timed("solidarity") { updateSolidarity() }
        timed("workers councils") { formWorkersCouncils() }
        if scenario.voting.interval > 0 && month % scenario.voting.interval == 0 {
            timed("votes") { holdVotes() }
        }
        if scenario.payDrift.base > 0 { timed("pay drift") { applyPayDrift() } }
        timed("training") { advanceTraining() }
        if scenario.planning.enabled { timed("planning") { updatePlanning() } }
        timed("failure and crisis") { applyFailuresAndCrisis() }
        timed("new firms") { foundNewFirms() }
        // Person-level counts were kept current by every change; only workplace-level ones remain.
        timed("recount") { counts.recountWorkplaces(workplaces, neighbourhoods: neighbourhoodCount) }
    }

    /// Runs to the horizon, handing each month's metrics to `record` (month 0 included).
    ///
    /// `incomesEvery` K: the records of months 0, K, 2K, … hold the metrics of incomes
    /// (``metrics(incomes:)``), 1 (the default) every month, 0 none. The run's summary gets
    /// them wherever it reads them (the years it reports and the last month) whatever K is, so
    /// the summary is the same for any K; a caller that keeps no monthly series passes 0.
    @discardableResult
    public func run(
        until stop: StopCondition = StopCondition(), incomesEvery: Int = 1, record: (MetricsRecord) -> Void = { _ in }
    ) -> RunSummary {
        precondition(incomesEvery >= 0, "incomesEvery must be 0 (none) or a number of months, got \(incomesEvery)")
        var tracker = RunSummaryTracker()
        var watch = StopWatch(stop)
        let horizon = scenario.horizon
        let incomeMonth: (Int) -> Bool = { month in
            (incomesEvery > 0 && month % incomesEvery == 0) || RunSummary.readsIncomes(atMonth: month)
        }
        runWhile(recording: nil, incomes: incomeMonth) { m in
            var m = m
            let stopping = watch.shouldStop(after: m)  // reads adoption shares only
            if (stopping || m.month >= horizon) && !incomeMonth(m.month) { addIncomes(to: &m) }
            tracker.observe(m); record(m)
            return !stopping
        }
        return tracker.summary(ledger: ledger, statusQuo: statusQuo, persons: population.count)
    }

    /// Runs towards the horizon while `keepGoing` returns true for each month's metrics (month
    /// 0 included); returns whether the horizon was reached. A calibration stops a run whose
    /// distance to the data already exceeds its tolerance.
    @discardableResult
    public func runWhile(_ keepGoing: (MetricsRecord) -> Bool) -> Bool {
        runWhile(recording: nil, keepGoing)
    }

    /// As ``runWhile(_:)``, but the metrics are computed, and `keepGoing` asked, only at
    /// `months` (nil: every month); the run stops after the last of them. The model never
    /// reads its own metrics, so the run is the same one: a caller who needs a few dates (a
    /// calibration's fitted points) skips the income tally and the workplace census of every
    /// other month.
    ///
    /// `incomes` (nil: at every month computed) says at which months the metrics of incomes
    /// are computed too (``metrics(incomes:)``).
    @discardableResult
    public func runWhile(
        recording months: Set<Int>?, incomes: ((Int) -> Bool)? = nil, _ keepGoing: (MetricsRecord) -> Bool
    ) -> Bool {
        let last = months.map { $0.max() ?? -1 } ?? scenario.horizon
        guard last >= 0 else { return month >= scenario.horizon }
        if months?.contains(0) ?? true, !keepGoing(metrics(incomes: incomes?(0) ?? true)) { return false }
        while month < min(scenario.horizon, last) {
            step()
            guard months?.contains(month) ?? true else { continue }
            var m = MetricsRecord()
            timed("metrics") { m = metrics(incomes: incomes?(month) ?? true) }
            if !keepGoing(m) { return false }
        }
        return month >= scenario.horizon
    }

    // MARK: helpers shared by the phases

    /// The monthly hazard `p` applied over `months` months.
    @inline(__always)
    static func overMonths(_ p: Double, _ months: Int) -> Double {
        let q = min(max(p, 0), 1)
        return 1 - pow(1 - q, Double(max(months, 1)))
    }

    @inline(__always)
    static func mix(workplace ws: Int32, of wm: Int32, neighbourhood ns: Int32, of nm: Int32, weight: Double) -> Double {
        switch (wm > 0, nm > 0) {
        case (true, true): return weight * Double(ws) / Double(wm) + (1 - weight) * Double(ns) / Double(nm)
        case (true, false): return Double(ws) / Double(wm)
        case (false, true): return Double(ns) / Double(nm)
        case (false, false): return 0.5
        }
    }

    /// Own experience ξ of workplace `w` with institution `k`.
    @inline(__always)
    func experience(_ w: Int, _ k: Institution) -> Double {
        guard workplaces.open[w], adopted(w, k) else { return 0 }
        if k == .bjc && workplaces.trainingLeft[w] > 0 { return -1 }
        return 1
    }

    /// Demonstration d in neighbourhood `n`: share of its workplaces showing `k` working.
    @inline(__always)
    func demonstration(_ n: Int, _ k: Institution) -> Double {
        let total = counts.neighbourhoodWorkplaces[n]
        return total > 0 ? Double(counts.neighbourhoodDemonstrating[k.rawValue][n]) / Double(total) : 0
    }

    @inline(__always)
    func reach(_ n: Int) -> Double {
        neighbourhoodHasCouncil[n] ? scenario.opinion.reachCouncil : scenario.opinion.reachBase
    }

    /// Whether the group counts kept up incrementally equal a full recount (a self-check for
    /// tests: every change of stance, membership or activity must have been booked).
    public func bookkeepingIsExact() -> Bool {
        var full = GroupCounts()
        full.alliance = counts.alliance
        full.conventionalPay = counts.conventionalPay
        full.recount(population, workplaces, neighbourhoods: neighbourhoodCount, threads: 1)
        var hired = [Int32](repeating: 0, count: workplaces.count)
        for i in 0..<population.count where population.flags[i] & Population.Flag.nonMember != 0 {
            guard population.isActive(i) else { return false }
            hired[Int(population.workplace[i])] += 1
        }
        return counts.personTalliesEqual(full) && hired == workplaces.nonMembers
    }
}

import Foundation
