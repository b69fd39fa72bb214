import Testing

@testable import TransitionModel

/// Does pay equity last? Pay drift (with and without BJC) and the gradual path's levers on
/// incomes, tested by what they do.
@Suite("Pay drift and the gradual path")
struct PayEquityTests {
    /// Equal-pay communities with no movement: only pay drift can change their pay.
    func equalPayEconomy(horizon: Int = 480) -> Scenario {
        var s = smallScenario(persons: 8_000, horizon: horizon)
        s.population.privateShare = 0; s.population.stateShare = 0; s.population.p2pShare = 0
        s.population.cooperativeShare = 1; s.population.sizeMedian = 40; s.population.sizeSigma = 0.5
        s.population.initialEquitablePay = 1
        s.path.transformExisting = false; s.movement.base = .constant(0)
        s.councils.rollout = .none; s.newFirms.enabled = false
        s.failure.conventional = 0; s.failure.hostileMarket = 0
        return s
    }

    /// Share of workplaces whose pay drifted back by the horizon, with BJC everywhere or nowhere.
    func driftedShare(_ s: Scenario, bjc: Bool, seed: UInt64 = 1) throws -> Double {
        let sim = try Simulation(scenario: s, seed: seed)
        if bjc { for w in 0..<sim.workplaces.count { sim.workplaces.adopt(w, .bjc, month: 0, by: .vote) } }
        sim.run()
        let open = (0..<sim.workplaces.count).filter { sim.workplaces.open[$0] }
        #expect(sim.bookkeepingIsExact())
        return Double(open.filter { !sim.workplaces.isAdopted($0, .pay) }.count) / Double(open.count)
    }

    @Test func payDriftsBackInPartOfTheWorkplacesWithoutBJCAndLessWithIt() throws {
        let s = equalPayEconomy()
        let without = try driftedShare(s, bjc: false), with = try driftedShare(s, bjc: true)
        #expect(without > 0.1 && without < 0.99, "without BJC \(without) of the workplaces re-differentiated")
        #expect(with < 0.5 * without, "with BJC \(with), without \(without)")
        var off = s
        off.payDrift.base = 0
        #expect(try driftedShare(off, bjc: false) == 0, "switched off: nothing drifts")
    }

    /// A sheltered market and a pay ceiling that removes coordinators' outside premium both stop
    /// the drift.
    @Test func shelterAndACeilingStopTheDrift() throws {
        var sheltered = equalPayEconomy(horizon: 240)
        sheltered.payDrift.exposure = .constant(0)
        #expect(try driftedShare(sheltered, bjc: false) == 0)
        var capped = equalPayEconomy(horizon: 240)
        capped.reform.payCeiling = .constant(1)  // the highest pay is a worker's: no premium to gain
        capped.reform.taxRate = .constant(0)
        #expect(try driftedShare(capped, bjc: false) == 0)
        let exposed = try driftedShare(equalPayEconomy(horizon: 240), bjc: false)
        #expect(exposed > 0)
    }

    /// After a drift the coordinators block a new vote on equitable pay until BJC is adopted.
    @Test func driftedWorkplacesDoNotVoteEquitablePayBackWithoutBJC() throws {
        var s = equalPayEconomy(horizon: 240)
        s.path.transformExisting = true
        let sim = try Simulation(scenario: s, seed: 3)
        sim.run()
        let drifted = (0..<sim.workplaces.count).filter { sim.workplaces.payDrifted[$0] && sim.workplaces.open[$0] }
        #expect(!drifted.isEmpty)
        #expect(drifted.allSatisfy { sim.workplaces.isAdopted($0, .bjc) || !sim.workplaces.isAdopted($0, .pay) })
    }

    @Test func incomeRuleFloorsCapsTaxesAndPays() throws {
        var r = ReformParameters()
        #expect(IncomeRule(r, month: 0, workerPay: 1) == nil, "no lever, no rule")
        r.minimumWage = .constant(1.2); r.payCeiling = .constant(3); r.taxRate = .constant(0.5); r.taxThreshold = 2
        r.basicIncome = .constant(0.1)
        let rule = try #require(IncomeRule(r, month: 0, workerPay: 1))
        #expect(rule.gross(1, owner: false) == 1.2)
        #expect(rule.gross(0.5, owner: true) == 0.5, "owners have no minimum wage")
        #expect(rule.gross(10, owner: true) == 3)
        #expect(abs(rule.disposable(2.5) - (2.5 - 0.25 + 0.1)) < 1e-12)
        #expect(abs(rule.disposable(1.5) - 1.6) < 1e-12, "below the threshold: no tax")
    }

    /// The gradual path's levers move the income distribution the way they say, and the budget
    /// balance is what the tax raised minus what the basic income paid.
    @Test func gradualLeversMoveIncomesAndTheBudget() throws {
        var s = smallScenario(persons: 6_000, horizon: 60)
        s.movement.base = .constant(0); s.path.transformExisting = false; s.newFirms.enabled = false
        s.payDrift.base = 0
        let plain = try Simulation(scenario: s, seed: 2).run().final
        var reformed = s
        reformed.reform.minimumWage = .constant(1.2); reformed.reform.payCeiling = .constant(1.6)
        reformed.reform.taxRate = .constant(0.3); reformed.reform.taxThreshold = 1.2
        reformed.reform.basicIncome = .constant(0.05)
        let sim = try Simulation(scenario: reformed, seed: 2)
        let after = sim.run().final
        #expect(after.incomeGini < plain.incomeGini - 0.02, "Gini \(after.incomeGini) vs \(plain.incomeGini)")
        #expect(after.coordinatorWorkerPayRatio < plain.coordinatorWorkerPayRatio)
        #expect(after.lowestDecileShare > plain.lowestDecileShare)
        // Workers earn the minimum 1.2 (untaxed), coordinators the ceiling 1.6 (0.3 · 0.4 tax),
        // owners at most 1.6 (taxed likewise); the basic income 0.05 goes to everyone.
        let pop = sim.population
        var taxed = 0.0, active = 0.0
        let bills = sim.counts.workplaceWageBill
        for i in 0..<pop.count where pop.isActive(i) {
            active += 1
            switch pop.personClass[i] {
            case .coordinator: taxed += 0.4
            case .owner:
                let w = Int(pop.workplace[i])
                let profit = 0.3 * bills[w]
                taxed += max(0, min(profit, 1.6) - 1.2)
            case .volunteer: taxed += 0.4  // volunteer pay 1.6 is at the ceiling
            case .worker: break
            }
        }
        let expected = (0.3 * taxed - 0.05 * active) / active
        #expect(abs(after.budgetBalance - expected) < 1e-3, "budget \(after.budgetBalance) vs \(expected)")
    }
}
