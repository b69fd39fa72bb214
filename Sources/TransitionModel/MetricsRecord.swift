/// The per-month observations of one run: one row of the tidy series.
public struct MetricsRecord: Sendable, Equatable, Codable {
    public var month = 0
    /// Shares of open, staffed workplaces with BJC, with equitable pay, with both.
    public var workplacesBJC = 0.0, workplacesPay = 0.0, workplacesBoth = 0.0
    /// Shares of the workforce (active persons but owners) in such workplaces.
    public var workforceBJC = 0.0, workforcePay = 0.0, workforceBoth = 0.0
    public var workersCouncils = 0.0
    public var councilCoverage = 0.0
    /// Supporting share by class, for BJC and for equitable pay.
    public var supportWorkerBJC = 0.0, supportWorkerPay = 0.0
    public var supportCoordinatorBJC = 0.0, supportCoordinatorPay = 0.0
    public var supportVolunteerBJC = 0.0, supportVolunteerPay = 0.0
    /// Share of all active persons, owners included, who do not support BJC (equitable pay).
    public var opposedBJC = 0.0, opposedPay = 0.0
    /// Share of all active persons, owners included, who do not support both institutions.
    public var opposedAny = 0.0
    public var meanSolidarityCoordinator = 0.0
    public var pressure = 0.0, momentum = 0.0, stateSupport = 0.0
    public var adoptions = 0, reversions = 0, failures = 0, newFirms = 0, transfers = 0
    public var pendingDisputes = 0
    /// Cumulative ledger.
    public var overruledWorker = 0, overruledCoordinator = 0, overruledVolunteer = 0
    public var overruledDistinct = 0, stoodAside = 0
    public var exitsWorker = 0, exitsCoordinator = 0, exitsVolunteer = 0
    public var ownersExpropriated = 0
    /// Cumulative persons adopted over, by opposition level (``CoercionLedger/levels``), and
    /// cumulative events at the first level (every non-supporter).
    public var adoptedOverPersons = [Int](repeating: 0, count: CoercionLedger.levels.count)
    public var adoptedOverEvents = 0
    public var exitsAfterStandingAside = 0
    /// Open staffed workplaces recovered by their members, transferred to the state, under
    /// co-management (by a state decision or a transfer), founded by the movement; and the
    /// workforce shares in them.
    public var firmsRecovered = 0, firmsTransferred = 0, firmsComanaged = 0, firmsNew = 0
    public var workforceRecovered = 0.0, workforceTransferred = 0.0, workforceComanaged = 0.0, workforceNew = 0.0
    /// Cumulative workplaces abandoned by their owners (in a crisis, or closing in churn when the
    /// members tried to recover them).
    public var firmsAbandoned = 0
    /// Cumulative workplaces founded by the movement (open or since closed).
    public var firmsFounded = 0
    /// Open staffed recovered workplaces that adopted equitable pay (by their members' vote).
    public var firmsRecoveredPay = 0
    /// Open staffed workplaces in the planning federation, and the workforce share in them.
    public var firmsFederated = 0, workforceFederated = 0.0
    /// Share of the economy's exchange negotiated in the federation instead of the market:
    /// the federated workforce share × the planned share of a federated workplace's exchange.
    public var plannedShare = 0.0
    /// Federated workplaces that failed this month; members of failed federated workplaces
    /// relocated inside the federation (cumulative).
    public var federatedFailures = 0, relocatedPersons = 0
    /// Members' share of the persons in worker-run workplaces (not private firms) that adopted
    /// an institution (1 where nobody was hired as a non-member); such workplaces where members
    /// are a minority; institutions voted away there this month (degeneration).
    public var memberShareAdopted = 1.0
    public var workplacesMemberMinority = 0
    public var degenerations = 0
    /// Workplaces whose members re-differentiated pay this month, and in all so far.
    public var payDrifts = 0, payDriftedTotal = 0
    /// Share of all income received by the poorest tenth of active persons.
    public var lowestDecileShare = 0.0
    /// The gradual path's budget this month per active person, in pay units: tax raised minus
    /// basic income paid (0 without those levers).
    public var budgetBalance = 0.0
    /// Conventional workplaces that failed this month (market churn), and their members.
    public var conventionalFailures = 0, jobsLostInChurn = 0
    /// Status quo: persons with no say over an institution they support (this month), jobs lost
    /// to workplace failures by kind (cumulative, index = StatusQuoLedger.FailedKind), income lost.
    public var unheardPersons = 0
    public var jobsLost = [Int](repeating: 0, count: StatusQuoLedger.FailedKind.allCases.count)
    public var incomeLost = 0.0
    public var incomeGini = 0.0
    public var coordinatorWorkerPayRatio = 0.0
    public var activePersons = 0
    public var departedPersons = 0

    public init() {}

    public var overruledTotal: Int { overruledWorker + overruledCoordinator + overruledVolunteer }
}

/// One declared output column: its name in files, its meaning, and how to read it.
public struct MetricColumn: Sendable {
    public let name: String
    public let meaning: String
    public let value: @Sendable (MetricsRecord) -> Double
    /// Whether the value is a count (written without decimals).
    public let isCount: Bool

    init(_ name: String, _ meaning: String, count: Bool = false, _ value: @escaping @Sendable (MetricsRecord) -> Double) {
        self.name = name; self.meaning = meaning; self.value = value; self.isCount = count
    }
}

extension MetricsRecord {
    /// Every per-step output column, in file order. Data collection is declared here, once.
    public static let columns: [MetricColumn] =
        [
            MetricColumn("workplaces_bjc", "share of open workplaces with balanced job complexes") { $0.workplacesBJC },
            MetricColumn("workplaces_pay", "share of open workplaces with equitable pay") { $0.workplacesPay },
            MetricColumn("workplaces_both", "share of open workplaces with both") { $0.workplacesBoth },
            MetricColumn("workforce_bjc", "share of the workforce in workplaces with BJC") { $0.workforceBJC },
            MetricColumn("workforce_pay", "share of the workforce in workplaces with equitable pay") { $0.workforcePay },
            MetricColumn("workforce_both", "share of the workforce in workplaces with both") { $0.workforceBoth },
            MetricColumn("workers_councils", "share of open workplaces with a workers' council") { $0.workersCouncils },
            MetricColumn("council_coverage", "share of neighbourhoods with a communal council") { $0.councilCoverage },
            MetricColumn("support_worker_bjc", "share of workers supporting BJC") { $0.supportWorkerBJC },
            MetricColumn("support_worker_pay", "share of workers supporting equitable pay") { $0.supportWorkerPay },
            MetricColumn("support_coordinator_bjc", "share of coordinators supporting BJC") { $0.supportCoordinatorBJC },
            MetricColumn("support_coordinator_pay", "share of coordinators supporting equitable pay") { $0.supportCoordinatorPay },
            MetricColumn("support_volunteer_bjc", "share of volunteers supporting BJC") { $0.supportVolunteerBJC },
            MetricColumn("support_volunteer_pay", "share of volunteers supporting equitable pay") { $0.supportVolunteerPay },
            MetricColumn("opposed_bjc", "share of all active persons, owners included, not supporting BJC") { $0.opposedBJC },
            MetricColumn("opposed_pay", "share of all active persons, owners included, not supporting equitable pay") { $0.opposedPay },
            MetricColumn("opposed_any", "share of all active persons, owners included, not supporting both institutions") { $0.opposedAny },
            MetricColumn("solidarity_coordinator", "mean solidarity of coordinators") { $0.meanSolidarityCoordinator },
            MetricColumn("pressure", "movement pressure P(t)") { $0.pressure },
            MetricColumn("momentum", "movement momentum M(t)") { $0.momentum },
            MetricColumn("state_support", "state support L(t)") { $0.stateSupport },
            MetricColumn("adoptions", "institutions adopted this month", count: true) { Double($0.adoptions) },
            MetricColumn("reversions", "institutions reverted this month", count: true) { Double($0.reversions) },
            MetricColumn("failures", "worker-run workplaces (adopted, recovered, founded) that failed this month", count: true) { Double($0.failures) },
            MetricColumn("new_firms", "cooperatives founded this month", count: true) { Double($0.newFirms) },
            MetricColumn("transfers", "private workplaces transferred to the state this month", count: true) { Double($0.transfers) },
            MetricColumn("pending_disputes", "workplaces whose decided change waits on an owner or the state", count: true) {
                Double($0.pendingDisputes)
            },
            MetricColumn("overruled_worker", "cumulative overruled events, workers", count: true) { Double($0.overruledWorker) },
            MetricColumn("overruled_coordinator", "cumulative overruled events, coordinators", count: true) {
                Double($0.overruledCoordinator)
            },
            MetricColumn("overruled_volunteer", "cumulative overruled events, volunteers", count: true) { Double($0.overruledVolunteer) },
            MetricColumn("overruled_distinct", "persons ever overruled", count: true) { Double($0.overruledDistinct) },
            MetricColumn(
                "stood_aside", "cumulative non-supporters who stood aside under consensus (those who then left included)", count: true
            ) { Double($0.stoodAside) },
            MetricColumn("exits_worker", "cumulative workers who left an adopting workplace", count: true) { Double($0.exitsWorker) },
            MetricColumn("exits_coordinator", "cumulative coordinators who left an adopting workplace", count: true) {
                Double($0.exitsCoordinator)
            },
            MetricColumn("exits_volunteer", "cumulative volunteers who left an adopting workplace", count: true) {
                Double($0.exitsVolunteer)
            },
            MetricColumn("owners_expropriated", "cumulative owners whose workplace was transferred", count: true) {
                Double($0.ownersExpropriated)
            },
            MetricColumn(
                "exits_after_standing_aside", "cumulative non-supporters who stood aside under consensus and then left", count: true
            ) { Double($0.exitsAfterStandingAside) },
            MetricColumn(
                "adopted_over_events",
                "cumulative events: a member who did not support an institution adopted in their workplace, any route, any rule",
                count: true
            ) { Double($0.adoptedOverEvents) },
        ]
        + CoercionLedger.levels.indices.map { j in
            MetricColumn(
                "adopted_over_persons_\(CoercionLedger.levelNames[j])",
                "cumulative distinct persons who had an institution adopted over them with \(CoercionLedger.levelLabels[j])", count: true
            ) { Double($0.adoptedOverPersons[j]) }
        } + [
            MetricColumn("firms_recovered", "open workplaces recovered by their members after the owner left", count: true) {
                Double($0.firmsRecovered)
            },
            MetricColumn("firms_transferred", "open workplaces transferred from a refusing owner to the state", count: true) {
                Double($0.firmsTransferred)
            },
            MetricColumn("firms_comanaged", "open workplaces with an institution adopted by state co-management or transfer", count: true) {
                Double($0.firmsComanaged)
            },
            MetricColumn("firms_new", "open workplaces founded by the movement", count: true) { Double($0.firmsNew) },
            MetricColumn("firms_founded", "cumulative workplaces founded by the movement, open or since closed", count: true) {
                Double($0.firmsFounded)
            },
            MetricColumn(
                "founded_still_open",
                "share of the workplaces founded by the movement that are still open (0 before any is founded)"
            ) { $0.firmsFounded > 0 ? Double($0.firmsNew) / Double($0.firmsFounded) : 0 },
            MetricColumn("workforce_recovered", "share of the workforce in recovered workplaces") { $0.workforceRecovered },
            MetricColumn("workforce_transferred", "share of the workforce in transferred workplaces") { $0.workforceTransferred },
            MetricColumn("workforce_comanaged", "share of the workforce in co-managed workplaces") { $0.workforceComanaged },
            MetricColumn("workforce_new", "share of the workforce in workplaces founded by the movement") { $0.workforceNew },
            MetricColumn(
                "firms_abandoned",
                "cumulative workplaces left by their owner: abandoned in a crisis, or closing in churn with the members trying to recover them",
                count: true
            ) { Double($0.firmsAbandoned) },
            MetricColumn("firms_recovered_pay", "open recovered workplaces whose members adopted equitable pay", count: true) {
                Double($0.firmsRecoveredPay)
            },
            MetricColumn("firms_federated", "open workplaces in the planning federation", count: true) { Double($0.firmsFederated) },
            MetricColumn("workforce_federated", "share of the workforce in federated workplaces") { $0.workforceFederated },
            MetricColumn(
                "planned_share",
                "share of the economy's exchange negotiated in the federation instead of the market (federated workforce × planned share of their exchange)"
            ) { $0.plannedShare },
            MetricColumn("federated_failures", "federated workplaces that failed this month", count: true) { Double($0.federatedFailures) },
            MetricColumn(
                "relocated_persons", "cumulative members of failed federated workplaces relocated inside the federation", count: true
            ) { Double($0.relocatedPersons) },
            MetricColumn(
                "member_share_adopted",
                "members' share of the persons in adopted worker-run workplaces (hired non-members do not vote; 1 without any)"
            ) { $0.memberShareAdopted },
            MetricColumn("workplaces_member_minority", "adopted worker-run workplaces where members are a minority", count: true) {
                Double($0.workplacesMemberMinority)
            },
            MetricColumn(
                "degenerations", "institutions voted away this month by the members of a workplace with hired non-members", count: true
            ) { Double($0.degenerations) },
            MetricColumn(
                "conventional_failures",
                "conventional workplaces that failed this month (market churn; a successor hires the members back)", count: true
            ) { Double($0.conventionalFailures) },
            MetricColumn("jobs_lost_in_churn", "members of conventional workplaces that failed this month", count: true) {
                Double($0.jobsLostInChurn)
            },
            MetricColumn(
                "unheard_persons",
                "status quo: persons supporting an institution their workplace lacks, with no vote that can grant it (no workers' council, a refused decision, or a path without votes)",
                count: true
            ) { Double($0.unheardPersons) },
        ]
        + StatusQuoLedger.FailedKind.allCases.map { kind in
            MetricColumn(
                "jobs_lost_\(kind.label)", "status quo: cumulative jobs lost to the failure of \(kind.label) workplaces", count: true
            ) { Double($0.jobsLost[kind.rawValue]) }
        } + [
            MetricColumn(
                "income_lost", "status quo: cumulative income lost with those jobs, in pay units (search months × conventional pay)"
            ) { $0.incomeLost },
            MetricColumn("income_gini", "Gini coefficient of incomes of active persons") { $0.incomeGini },
            MetricColumn("coordinator_worker_pay_ratio", "mean coordinator income / mean worker income") { $0.coordinatorWorkerPayRatio },
            MetricColumn("lowest_decile_share", "share of all income received by the poorest tenth of active persons") { $0.lowestDecileShare },
            MetricColumn(
                "budget_balance", "gradual path: tax raised minus basic income paid this month, per active person (pay units)"
            ) { $0.budgetBalance },
            MetricColumn("pay_drifts", "workplaces whose members re-differentiated pay this month", count: true) { Double($0.payDrifts) },
            MetricColumn("pay_drifted_total", "cumulative workplaces whose members re-differentiated pay", count: true) {
                Double($0.payDriftedTotal)
            },
            MetricColumn("active_persons", "persons active in the economy", count: true) { Double($0.activePersons) },
            MetricColumn("departed_persons", "persons who left the economy", count: true) { Double($0.departedPersons) },
        ]
}
