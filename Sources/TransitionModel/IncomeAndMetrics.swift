import Dispatch
import Foundation

extension Simulation {
    /// Step 10: incomes under conventional and equitable pay (``IncomeFactors``), and this
    /// month's metrics. An owner who conceded equitable pay keeps the profit until the
    /// workplace is transferred or becomes a cooperative.
    public func metrics() -> MetricsRecord { metrics(incomes: true) }

    /// This month's metrics; with `incomes` false, without the ones that need every person's
    /// income (Gini, lowest decile, budget balance, coordinator/worker pay ratio are left at 0),
    /// which cost most of the metrics. The model never reads its metrics, so a caller that
    /// needs incomes only at some months (``addIncomes(to:)``) gets the same run.
    public func metrics(incomes: Bool) -> MetricsRecord {
        var r = MetricsRecord()
        r.month = month
        let wpCount = workplaces.count
        // Counts are current: the last recount closed the month.
        let classCount = counts.classCount
        let classSupport = (0..<4).map { [counts.classSupport[2 * $0], counts.classSupport[2 * $0 + 1]] }
        let coordinatorSolidarity = counts.coordinatorSolidarity, supportBoth = counts.supportBoth
        func share(_ c: PersonClass, _ k: Int) -> Double {
            let n = classCount[Int(c.rawValue)]
            return n == 0 ? 0 : Double(classSupport[Int(c.rawValue)][k]) / Double(n)
        }
        r.supportWorkerBJC = share(.worker, 0); r.supportWorkerPay = share(.worker, 1)
        r.supportCoordinatorBJC = share(.coordinator, 0); r.supportCoordinatorPay = share(.coordinator, 1)
        r.supportVolunteerBJC = share(.volunteer, 0); r.supportVolunteerPay = share(.volunteer, 1)
        let active = classCount.reduce(0, +)
        if active > 0 {
            let supportB = classSupport.reduce(0) { $0 + $1[0] } + ownerSupport[0]
            let supportP = classSupport.reduce(0) { $0 + $1[1] } + ownerSupport[1]
            r.opposedBJC = 1 - Double(supportB) / Double(active)
            r.opposedPay = 1 - Double(supportP) / Double(active)
            r.opposedAny = 1 - Double(supportBoth + ownerSupport[2]) / Double(active)
        }
        let coordinators = classCount[Int(PersonClass.coordinator.rawValue)]
        r.meanSolidarityCoordinator = coordinators == 0 ? 0 : coordinatorSolidarity / Double(coordinators)

        // Workplace shares.
        var staffed = 0, withCouncil = 0, wpAdopted = (0, 0, 0), workforce = 0, wfAdopted = (0, 0, 0), pending = 0
        // Open staffed workplaces recovered, transferred, co-managed, new; and their workforce.
        var firms = (0, 0, 0, 0), firmWorkforce = (0, 0, 0, 0)
        var unheard = 0
        var recoveredPay = 0, federated = 0, federatedWorkforce = 0
        var adoptedCoopStaff = 0, adoptedCoopHired = 0, memberMinority = 0
        let hired = workplaces.nonMembers, kinds = workplaces.kind
        let votesPossible = scenario.path.transformExisting
        let open = workplaces.open, members = counts.workplaceMembers, origin = workplaces.origin
        let inFederation = workplaces.federated
        let council = workplaces.hasCouncil, since = workplaces.adoptedSince, by = workplaces.adoptedBy
        let waiting = workplaces.pendingSince, support = counts.workplaceSupport, both = counts.workplaceBoth
        for w in 0..<wpCount where open[w] && members[w] > 0 {
            let m = Int(members[w])
            staffed += 1; workforce += m
            let b = since[0][w] >= 0, p = since[1][w] >= 0
            let hasCouncil = council[w], pendingB = waiting[0][w] >= 0, pendingP = waiting[1][w] >= 0
            switch origin[w] {
            case .recovered:
                firms.0 += 1; firmWorkforce.0 += m
                if since[1][w] >= 0 { recoveredPay += 1 }
            case .transferred: firms.1 += 1; firmWorkforce.1 += m
            case .founded: firms.3 += 1; firmWorkforce.3 += m
            case .original: break
            }
            if by[0][w] == .comanagement || by[0][w] == .transfer || by[1][w] == .comanagement || by[1][w] == .transfer {
                firms.2 += 1; firmWorkforce.2 += m
            }
            // No say: wants an institution the workplace lacks, and no vote can grant it.
            let noVote = !votesPossible || !hasCouncil
            let noSayB = !b && (noVote || pendingB), noSayP = !p && (noVote || pendingP)
            if noSayB && noSayP {
                unheard += Int(support[0][w]) + Int(support[1][w]) - Int(both[w])
            } else if noSayB {
                unheard += Int(support[0][w])
            } else if noSayP {
                unheard += Int(support[1][w])
            }
            if hasCouncil { withCouncil += 1 }
            if inFederation[w] { federated += 1; federatedWorkforce += m }
            if (b || p) && kinds[w] != .privateFirm {
                adoptedCoopStaff += m; adoptedCoopHired += Int(hired[w])
                if 2 * Int(hired[w]) > m { memberMinority += 1 }
            }
            if pendingB || pendingP { pending += 1 }
            if b { wpAdopted.0 += 1; wfAdopted.0 += m }
            if p { wpAdopted.1 += 1; wfAdopted.1 += m }
            if b && p { wpAdopted.2 += 1; wfAdopted.2 += m }
        }
        let sw = Double(max(staffed, 1)), wf = Double(max(workforce, 1))
        r.workplacesBJC = Double(wpAdopted.0) / sw; r.workplacesPay = Double(wpAdopted.1) / sw
        r.workplacesBoth = Double(wpAdopted.2) / sw
        r.workforceBJC = Double(wfAdopted.0) / wf; r.workforcePay = Double(wfAdopted.1) / wf
        r.workforceBoth = Double(wfAdopted.2) / wf
        r.workersCouncils = Double(withCouncil) / sw
        r.firmsRecovered = firms.0; r.firmsTransferred = firms.1; r.firmsComanaged = firms.2; r.firmsNew = firms.3
        r.workforceRecovered = Double(firmWorkforce.0) / wf; r.workforceTransferred = Double(firmWorkforce.1) / wf
        r.workforceComanaged = Double(firmWorkforce.2) / wf; r.workforceNew = Double(firmWorkforce.3) / wf
        r.firmsAbandoned = abandonedTotal
        r.firmsFounded = foundedTotal
        r.firmsRecoveredPay = recoveredPay
        r.firmsFederated = federated
        r.workforceFederated = Double(federatedWorkforce) / wf
        r.plannedShare = r.workforceFederated * plannedShare
        r.federatedFailures = events.federatedFailures
        r.relocatedPersons = relocatedTotal
        r.memberShareAdopted = adoptedCoopStaff > 0 ? 1 - Double(adoptedCoopHired) / Double(adoptedCoopStaff) : 1
        r.workplacesMemberMinority = memberMinority
        r.degenerations = events.degenerations
        r.payDrifts = events.payDrifts
        r.payDriftedTotal = payDriftedTotal
        r.unheardPersons = unheard
        r.jobsLost = statusQuo.jobsLost; r.incomeLost = statusQuo.incomeLost
        r.conventionalFailures = events.conventionalFailures; r.jobsLostInChurn = events.jobsLostInChurn
        r.councilCoverage = globals.councilCoverage
        r.pressure = globals.pressure; r.momentum = globals.momentum; r.stateSupport = globals.stateSupport
        r.pendingDisputes = pending

        if incomes { addIncomes(to: &r) }

        r.adoptions = events.adoptions; r.reversions = events.reversions; r.failures = events.failures
        r.newFirms = events.newFirms; r.transfers = events.transfers
        r.overruledWorker = ledger.overruled(.worker); r.overruledCoordinator = ledger.overruled(.coordinator)
        r.overruledVolunteer = ledger.overruled(.volunteer)
        r.overruledDistinct = ledger.distinctOverruled; r.stoodAside = ledger.stoodAside
        r.exitsWorker = ledger.exits[0]; r.exitsCoordinator = ledger.exits[1]; r.exitsVolunteer = ledger.exits[3]
        r.ownersExpropriated = ledger.ownersExpropriated
        r.adoptedOverPersons = ledger.adoptedOverPersons
        r.adoptedOverEvents = ledger.adoptedOverEvents[0]
        r.exitsAfterStandingAside = ledger.exitsAfterStandingAside
        r.activePersons = classCount.reduce(0, +)
        r.departedPersons = departed
        return r
    }

    /// Fills the metrics of this month that need every person's income into `r` (see
    /// ``metrics(incomes:)``); called in the month `r` was recorded.
    public func addIncomes(to r: inout MetricsRecord) {
        let classCount = counts.classCount
        let incomes = incomeTally(incomeFactors())
        let incomeByClass = incomes.byClass
        r.incomeGini = incomes.gini
        r.lowestDecileShare = incomes.lowestDecileShare
        if let rule = IncomeRule(scenario.reform, month: month, workerPay: scenario.pay.worker) {
            let persons = Double(classCount.reduce(0, +))  // owners included
            r.budgetBalance = persons > 0 ? (rule.rate * incomes.taxed - rule.basic * persons) / persons : 0
        }
        let workers = classCount[Int(PersonClass.worker.rawValue)]
        let coordinators = classCount[Int(PersonClass.coordinator.rawValue)]
        if workers > 0 && coordinators > 0 {
            r.coordinatorWorkerPayRatio = (Double(incomeByClass[1]) / Double(coordinators)) / (Double(incomeByClass[0]) / Double(workers))
        }
    }
}

/// What each active person earns this month: the definition of income, from per-workplace
/// factors.
///
/// Conventional pay: worker 1, coordinator premium, volunteer stipend, lowered by BJC training's
/// productivity dip; an owner takes a profit share of the wage bill. Equitable pay shares the
/// members' pay pool by effort.
struct IncomeFactors {
    var productivity: [Double]
    /// Pay pool per unit of effort; −1 where pay is conventional.
    var effortRate: [Double]
    var ownerIncome: [Double]
    var conventional: [Double]
    /// The gradual path's levers this month (nil: none in force).
    var rule: IncomeRule? = nil

    /// Income before the levers.
    @inline(__always)
    func income(class c: PersonClass, workplace w: Int, effort: Float) -> Double {
        if c == .owner { return ownerIncome[w] }
        if effortRate[w] >= 0 { return effortRate[w] * Double(effort) }
        return conventional[Int(c.rawValue)] * productivity[w]
    }
}

/// The gradual path's levers at one month (``ReformParameters``), as a function of income:
/// the minimum wage floors the workforce's incomes, the ceiling caps everyone's, the tax takes
/// `rate` of what lies above the threshold, and the basic income is added.
struct IncomeRule: Sendable {
    var floor: Double, ceiling: Double, rate: Double, threshold: Double, basic: Double

    init?(_ r: ReformParameters, month: Int, workerPay: Double) {
        guard r.isActive else { return nil }
        floor = max(0, r.minimumWage.value(at: month))
        let c = r.payCeiling.value(at: month)
        ceiling = c > 0 ? c * workerPay : .infinity
        rate = min(1, max(0, r.taxRate.value(at: month)))
        threshold = r.taxThreshold
        basic = max(0, r.basicIncome.value(at: month))
    }

    /// Income after the floor and the ceiling, before tax (owners have no minimum wage).
    @inline(__always)
    func gross(_ x: Double, owner: Bool) -> Double { min(owner ? x : max(x, floor), ceiling) }

    /// The part of a gross income the tax applies to.
    @inline(__always)
    func taxed(_ g: Double) -> Double { max(0, g - threshold) }

    @inline(__always)
    func disposable(_ g: Double) -> Double { g - rate * taxed(g) + basic }
}

extension Simulation {
    /// This month's income factors of every workplace (counts are current).
    func incomeFactors() -> IncomeFactors {
        let pay = scenario.pay, dip = scenario.training.productivityDip
        let wageBill = counts.workplaceWageBill, effortSum = counts.workplaceEffort
        let n = workplaces.count
        var f = IncomeFactors(
            productivity: [Double](repeating: 1, count: n), effortRate: [Double](repeating: -1, count: n),
            ownerIncome: [Double](repeating: 0, count: n), conventional: PersonClass.allCases.map { pay.conventional($0) },
            rule: IncomeRule(scenario.reform, month: month, workerPay: pay.worker))
        for w in 0..<n {
            f.productivity[w] = workplaces.trainingLeft[w] > 0 ? 1 - dip : 1
            if workplaces.open[w] { f.ownerIncome[w] = pay.ownerProfitShare * wageBill[w] * f.productivity[w] }
            if workplaces.adoptedSince[1][w] >= 0 && effortSum[w] > 0 {
                f.effortRate[w] = wageBill[w] * f.productivity[w] / effortSum[w]
            }
        }
        return f
    }

    /// Every active person's income (``IncomeFactors/income(class:workplace:effort:)``) into one
    /// histogram; returns the Gini and the income sum of each class.
    ///
    /// Outside equitable pay a person's income depends only on class and workplace, so owners
    /// and those workplaces enter by their class counts (one histogram entry per class
    /// present, the workplaces split among the threads); only members under equitable pay,
    /// whose income follows their own effort, are added one by one, in a pass over the fixed
    /// chunks on all threads that skips everyone else. Sums are kept in fixed point (exact
    /// integers), so the result equals adding every person singly, in any order and on any
    /// number of threads. The histograms are the
    /// simulation's own, reused month after month.
    func incomeTally(_ factors: IncomeFactors) -> IncomeSummary {
        let workers = max(1, min(threads, chunkStreams.count))
        let rule = factors.rule
        let tally = incomeScratch
        tally.prepare(workers: workers)
        let perClass = counts.workplaceClassMembers, effortRate = factors.effortRate
        let anyEquitable = effortRate.contains { $0 >= 0 }
        let flags = population.flags, classes = population.personClass, work = population.workplace
        let effort = population.effort
        let size = Self.chunkSize, n = flags.count, chunks = chunkStreams.count
        let places = effortRate.count
        onWorkers(workers) { worker in  // each worker writes only its own partial
            let partial = tally.partials[worker]
            // Sums kept in locals and stored once per tally, not per person.
            var taxed: Int64 = 0, sums: (Int64, Int64, Int64, Int64) = (0, 0, 0, 0)
            @inline(__always) func addToClass(_ cls: PersonClass, _ fixed: Int64) {
                switch cls {
                case .worker: sums.0 &+= fixed
                case .coordinator: sums.1 &+= fixed
                case .owner: sums.2 &+= fixed
                case .volunteer: sums.3 &+= fixed
                }
            }
            partial.histogram.withFiller { filler in
                // This worker's share of the workplaces: owners, and everyone where pay is
                // conventional, one entry per class present.
                for w in worker * places / workers..<(worker + 1) * places / workers {
                    let conventional = effortRate[w] < 0
                    for c in PersonClass.allCases where conventional || c == .owner {
                        let persons = perClass[w &<< 2 | Int(c.rawValue)]
                        guard persons > 0 else { continue }
                        var x = factors.income(class: c, workplace: w, effort: 0)
                        if let rule {
                            let g = rule.gross(x, owner: c == .owner)
                            taxed &+= Int64(persons) &* IncomeHistogram.fixedPoint(rule.taxed(g))
                            x = rule.disposable(g)
                        }
                        filler.add(x, count: Int(persons))
                        addToClass(c, Int64(persons) &* IncomeHistogram.fixedPoint(x))
                    }
                }
                guard anyEquitable else { return }
                // This worker's chunks: members under equitable pay, one by one.
                withBuffers(flags, classes, work, effort, effortRate) { flags, classes, work, effort, effortRate in
                    var c = worker
                    while c < chunks {
                        for i in c * size..<min(n, (c + 1) * size) where flags[i] & Population.Flag.active != 0 {
                            let cls = classes[i], rate = effortRate[Int(work[i])]
                            guard cls != .owner && rate >= 0 else { continue }
                            var x = rate * Double(effort[i])  // factors.income under equitable pay
                            if let rule {
                                let g = rule.gross(x, owner: false)
                                taxed &+= IncomeHistogram.fixedPoint(rule.taxed(g))
                                x = rule.disposable(g)
                            }
                            addToClass(cls, IncomeHistogram.fixedPoint(x))
                            filler.add(x)
                        }
                        c += workers
                    }
                }
            }
            partial.taxed &+= taxed
            partial.byClass[0] &+= sums.0; partial.byClass[1] &+= sums.1
            partial.byClass[2] &+= sums.2; partial.byClass[3] &+= sums.3
        }
        return tally.mergedAndCleared(workers: workers)
    }
}

/// The income histograms of ``Simulation/incomeTally``: one partial per worker and a total,
/// kept for the whole run and cleared bin by bin after each use (allocating and clearing them
/// each month cost about a quarter of a 20,000-person run).
final class IncomeScratch: @unchecked Sendable {
    /// One worker's histogram and class sums; only that worker touches it during a tally.
    final class Partial: @unchecked Sendable {
        var histogram = IncomeHistogram()
        var byClass: [Int64] = [0, 0, 0, 0]
        /// Fixed-point sum of the incomes' parts above the tax threshold.
        var taxed: Int64 = 0
    }
    private(set) var partials: [Partial] = []
    private var total = IncomeHistogram()

    func prepare(workers: Int) {
        while partials.count < workers { partials.append(Partial()) }
    }

    func mergedAndCleared(workers: Int) -> IncomeSummary {
        var classes: [Int64] = [0, 0, 0, 0]
        var taxed: Int64 = 0
        for partial in partials.prefix(workers) {
            total.merge(partial.histogram)
            partial.histogram.reset()
            for k in 0..<4 { classes[k] &+= partial.byClass[k] }
            partial.byClass = [0, 0, 0, 0]
            taxed &+= partial.taxed
            partial.taxed = 0
        }
        let (gini, lowest) = total.giniAndLowestShare(0.1)
        total.reset()
        return IncomeSummary(gini: gini, lowestDecileShare: lowest, byClass: classes, taxed: Double(taxed) / IncomeHistogram.scale)
    }
}

/// One month's incomes: inequality, the poorest tenth's share, the class sums (fixed point) and
/// the tax base (pay units).
struct IncomeSummary {
    var gini: Double
    var lowestDecileShare: Double
    var byClass: [Int64]
    var taxed: Double
}

/// Incomes binned on a logarithmic scale with exact sums per bin: the Gini in O(persons)
/// instead of a sort. The bin is read off the bits of the income as a `Float` (exponent and the
/// top 10 bits of the mantissa), so bins are at most 2⁻¹⁰ ≈ 0.1% wide relative to the income and
/// cost no logarithm; incomes below 2⁻¹⁶ share the first bin, above 2³² the last.
public struct IncomeHistogram {
    static let lowExponent: UInt32 = 127 - 16, highExponent: UInt32 = 127 + 32
    static let mantissaBits: UInt32 = 10
    static let binCount = Int((highExponent - lowExponent + 1) << mantissaBits)
    private var counts: [Int]
    /// Sums of incomes per bin in fixed point (income × 2²⁰), exact under any merge order.
    private var sums: [Int64]
    /// The bins that hold someone, in the order first filled: merging and clearing visit only
    /// these (a small run fills a few hundred of the 50,176 bins).
    private var filled: [Int32] = []
    static let scale = Double(1 << 20)

    @inline(__always)
    static func fixedPoint(_ x: Double) -> Int64 { Int64(max(x, 0) * scale) }

    public init() {
        counts = [Int](repeating: 0, count: Self.binCount)
        sums = [Int64](repeating: 0, count: Self.binCount)
    }

    /// The bin of income x ≥ 0 (`last`: the last bin's index, passed in because reading the
    /// lazily initialised `binCount` in the hot loop costs a call).
    @inline(__always)
    static func bin(_ x: Double, last: Int) -> Int {
        let bits = Float(x).bitPattern >> (23 - mantissaBits)
        let low = lowExponent << mantissaBits
        return bits <= low ? 0 : min(Int(bits - low), last)
    }

    /// Adds an income (negative counts as 0).
    public mutating func add(_ income: Double) {
        withFiller { $0.add(income) }
    }

    /// Fills the histogram through `body` without per-income copy-on-write checks.
    mutating func withFiller(_ body: (inout Filler) -> Void) {
        var list: [Int32] = []
        swap(&list, &filled)
        counts.withUnsafeMutableBufferPointer { c in
            sums.withUnsafeMutableBufferPointer { s in
                var filler = Filler(counts: c, sums: s, filled: list)
                list = []
                body(&filler)
                list = filler.filled
            }
        }
        swap(&list, &filled)
    }

    /// Adds incomes straight into a histogram's storage (see ``withFiller(_:)``).
    struct Filler {
        let counts: UnsafeMutableBufferPointer<Int>
        let sums: UnsafeMutableBufferPointer<Int64>
        var filled: [Int32]

        /// Adds `count` persons of income `income` (negative counts as 0): the same as adding
        /// each singly, since the sums are exact.
        @inline(__always)
        mutating func add(_ income: Double, count: Int = 1) {
            let x = max(income, 0), bin = IncomeHistogram.bin(x, last: counts.count - 1)
            if counts[bin] == 0 { filled.append(Int32(bin)) }
            counts[bin] += count
            sums[bin] &+= Int64(count) &* IncomeHistogram.fixedPoint(x)
        }
    }

    /// Adds `other`'s persons and incomes.
    mutating func merge(_ other: IncomeHistogram) {
        for k in other.filled {
            let bin = Int(k)
            if counts[bin] == 0 { filled.append(k) }
            counts[bin] += other.counts[bin]; sums[bin] &+= other.sums[bin]
        }
    }

    /// Empties the histogram, keeping its storage.
    mutating func reset() {
        for k in filled { counts[Int(k)] = 0; sums[Int(k)] = 0 }
        filled.removeAll(keepingCapacity: true)
    }

    /// Gini = 1 − Σ_k f_k (2·S_{k−1} + s_k) over the bins in income order, persons within a
    /// bin taken as equal.
    public func gini() -> Double { giniAndLowestShare(0.1).gini }

    /// The Gini and the share of all income that the poorest `fraction` of persons receive
    /// (persons within a bin taken as equal), from one pass in income order.
    public func giniAndLowestShare(_ fraction: Double) -> (gini: Double, lowest: Double) {
        // The filled bins in income order, from a bitmap of the bins (one bit per bin, 784
        // words): no sort of the filled list (which cost 6% of a 20,000-person run) and no
        // scan of all 50,176 counts.
        var occupied = [UInt64](repeating: 0, count: (counts.count + 63) / 64)
        for k in filled { occupied[Int(k) >> 6] |= 1 << UInt64(k & 63) }
        var order: [Int] = []
        order.reserveCapacity(filled.count)
        for (word, bits) in occupied.enumerated() where bits != 0 {
            var rest = bits
            while rest != 0 {
                order.append(word << 6 | rest.trailingZeroBitCount)
                rest &= rest - 1
            }
        }
        var people = 0, money: Int64 = 0
        for k in order { people += counts[k]; money &+= sums[k] }
        let n = Double(people), total = Double(money)
        guard n > 0, total > 0 else { return (0, 0) }
        var cumulative = 0.0, g = 0.0
        var below = 0.0, lowest = 0.0
        let poorest = fraction * n
        for k in order {
            let s = Double(sums[k]) / total
            g += Double(counts[k]) / n * (2 * cumulative + s)
            cumulative += s
            if below < poorest {
                let take = min(Double(counts[k]), poorest - below)
                lowest += s * take / Double(counts[k])
                below += take
            }
        }
        return (1 - g, lowest)
    }
}
