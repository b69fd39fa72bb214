import Foundation

extension Simulation {
    /// Step 10: incomes under conventional and equitable pay, and this month's metrics.
    ///
    /// Conventional pay: worker 1, coordinator premium, volunteer stipend; an owner takes a
    /// profit share of the wage bill. Equitable pay shares the members' pay pool by effort; an
    /// owner who conceded equitable pay keeps the profit until the workplace is transferred or
    /// becomes a cooperative. BJC training lowers the pool by the productivity dip.
    public func metrics() -> MetricsRecord {
        var r = MetricsRecord()
        r.month = month
        let wpCount = workplaces.count
        let pay = scenario.pay
        let dip = scenario.training.productivityDip
        var wageBill = [Double](repeating: 0, count: wpCount)
        var effortSum = [Double](repeating: 0, count: wpCount)
        var classCount = [0, 0, 0, 0], classSupport = [[0, 0], [0, 0], [0, 0], [0, 0]]
        var coordinatorSolidarity = 0.0, supportBoth = 0
        for i in 0..<population.count where population.isActive(i) {
            let c = population.personClass[i], ci = Int(c.rawValue)
            classCount[ci] += 1
            if c == .owner { continue }
            classSupport[ci][0] += Int(population.flags[i] & 1)
            classSupport[ci][1] += Int((population.flags[i] >> 1) & 1)
            if population.flags[i] & 3 == 3 { supportBoth += 1 }
            if c == .coordinator { coordinatorSolidarity += Double(population.solidarity[i]) }
            let w = Int(population.workplace[i])
            wageBill[w] += pay.conventional(c)
            effortSum[w] += Double(population.effort[i])
        }
        func share(_ c: PersonClass, _ k: Int) -> Double {
            let n = classCount[Int(c.rawValue)]
            return n == 0 ? 0 : Double(classSupport[Int(c.rawValue)][k]) / Double(n)
        }
        r.supportWorkerBJC = share(.worker, 0); r.supportWorkerPay = share(.worker, 1)
        r.supportCoordinatorBJC = share(.coordinator, 0); r.supportCoordinatorPay = share(.coordinator, 1)
        r.supportVolunteerBJC = share(.volunteer, 0); r.supportVolunteerPay = share(.volunteer, 1)
        let active = classCount.reduce(0, +)
        if active > 0 {
            let supportB = classSupport.reduce(0) { $0 + $1[0] }, supportP = classSupport.reduce(0) { $0 + $1[1] }
            r.opposedBJC = 1 - Double(supportB) / Double(active)
            r.opposedPay = 1 - Double(supportP) / Double(active)
            r.opposedAny = 1 - Double(supportBoth) / Double(active)
        }
        let coordinators = classCount[Int(PersonClass.coordinator.rawValue)]
        r.meanSolidarityCoordinator = coordinators == 0 ? 0 : coordinatorSolidarity / Double(coordinators)

        // Workplace shares.
        var staffed = 0, withCouncil = 0, wpAdopted = [0, 0, 0], workforce = 0, wfAdopted = [0, 0, 0], pending = 0
        for w in 0..<wpCount where workplaces.open[w] && counts.workplaceMembers[w] > 0 {
            let m = Int(counts.workplaceMembers[w])
            staffed += 1; workforce += m
            if workplaces.hasCouncil[w] { withCouncil += 1 }
            if workplaces.pending[0][w] || workplaces.pending[1][w] { pending += 1 }
            let b = workplaces.isAdopted(w, .bjc), p = workplaces.isAdopted(w, .pay)
            if b { wpAdopted[0] += 1; wfAdopted[0] += m }
            if p { wpAdopted[1] += 1; wfAdopted[1] += m }
            if b && p { wpAdopted[2] += 1; wfAdopted[2] += m }
        }
        let sw = Double(max(staffed, 1)), wf = Double(max(workforce, 1))
        r.workplacesBJC = Double(wpAdopted[0]) / sw; r.workplacesPay = Double(wpAdopted[1]) / sw
        r.workplacesBoth = Double(wpAdopted[2]) / sw
        r.workforceBJC = Double(wfAdopted[0]) / wf; r.workforcePay = Double(wfAdopted[1]) / wf
        r.workforceBoth = Double(wfAdopted[2]) / wf
        r.workersCouncils = Double(withCouncil) / sw
        r.councilCoverage = globals.councilCoverage
        r.pressure = globals.pressure; r.momentum = globals.momentum; r.stateSupport = globals.stateSupport
        r.pendingDisputes = pending

        // Incomes.
        var histogram = IncomeHistogram()
        var incomeByClass = [0.0, 0.0, 0.0, 0.0]
        for i in 0..<population.count where population.isActive(i) {
            let c = population.personClass[i]
            let w = Int(population.workplace[i])
            let productivity = workplaces.trainingLeft[w] > 0 ? 1 - dip : 1
            let income: Double
            if c == .owner {
                income = workplaces.open[w] ? pay.ownerProfitShare * wageBill[w] * productivity : 0
            } else if workplaces.isAdopted(w, .pay) && effortSum[w] > 0 {
                income = wageBill[w] * productivity * Double(population.effort[i]) / effortSum[w]
            } else {
                income = pay.conventional(c) * productivity
            }
            incomeByClass[Int(c.rawValue)] += income
            histogram.add(income)
        }
        r.incomeGini = histogram.gini()
        let workers = classCount[Int(PersonClass.worker.rawValue)]
        if workers > 0 && coordinators > 0 {
            r.coordinatorWorkerPayRatio = (incomeByClass[1] / Double(coordinators)) / (incomeByClass[0] / Double(workers))
        }

        r.adoptions = events.adoptions; r.reversions = events.reversions; r.failures = events.failures
        r.newFirms = events.newFirms; r.transfers = events.transfers
        r.overruledWorker = ledger.overruled(.worker); r.overruledCoordinator = ledger.overruled(.coordinator)
        r.overruledVolunteer = ledger.overruled(.volunteer)
        r.overruledDistinct = ledger.distinctOverruled; r.stoodAside = ledger.stoodAside
        r.exitsWorker = ledger.exits[0]; r.exitsCoordinator = ledger.exits[1]; r.exitsVolunteer = ledger.exits[3]
        r.ownersExpropriated = ledger.ownersExpropriated
        r.activePersons = classCount.reduce(0, +)
        r.departedPersons = departed
        return r
    }
}

/// Incomes binned on a logarithmic scale (0.001 decades a bin, ≈ 0.23% wide) with exact sums
/// per bin: the Gini in O(persons) instead of a sort, with an error far below the bin width.
public struct IncomeHistogram {
    static let low = -3.0, high = 7.0, binsPerDecade = 1000.0
    private var counts: [Int]
    private var sums: [Double]

    public init() {
        let bins = Int((Self.high - Self.low) * Self.binsPerDecade) + 1
        counts = [Int](repeating: 0, count: bins)
        sums = [Double](repeating: 0, count: bins)
    }

    public mutating func add(_ income: Double) {
        let x = max(income, 0)
        let position = x > 0 ? (log10(x) - Self.low) * Self.binsPerDecade : 0
        let bin = min(max(Int(position), 0), counts.count - 1)
        counts[bin] += 1
        sums[bin] += x
    }

    /// Gini = 1 − Σ_k f_k (2·S_{k−1} + s_k), persons within a bin taken as equal.
    public func gini() -> Double {
        let n = Double(counts.reduce(0, +)), total = sums.reduce(0, +)
        guard n > 0, total > 0 else { return 0 }
        var cumulative = 0.0, g = 0.0
        for k in 0..<counts.count where counts[k] > 0 {
            let s = sums[k] / total
            g += Double(counts[k]) / n * (2 * cumulative + s)
            cumulative += s
        }
        return 1 - g
    }
}
