import TransitionModel
import Foundation
var s = Scenario()
let args = CommandLine.arguments
if args.count > 1 { s.population.persons = Int(args[1])! }
if args.count > 2 { s.voting.rule = args[2] == "c" ? .consensus : args[2] == "m" ? .majority : .supermajority }
let t0 = Date()
let sim = try Simulation(scenario: s, seed: 1, threads: 2)
print("init", Date().timeIntervalSince(t0))
let summary = sim.run { m in
    if m.month % 24 == 0 { print(m.month, String(format: "bjc %.3f pay %.3f wc %.3f cc %.2f sW %.2f/%.2f sC %.2f/%.2f P %.2f M %.2f gini %.3f ratio %.2f over %d exits %d", m.workforceBJC, m.workforcePay, m.workersCouncils, m.councilCoverage, m.supportWorkerBJC, m.supportWorkerPay, m.supportCoordinatorBJC, m.supportCoordinatorPay, m.pressure, m.momentum, m.incomeGini, m.coordinatorWorkerPayRatio, m.overruledDistinct, m.exitsWorker + m.exitsCoordinator)) }
}
print(summary.monthsToBJC, summary.monthsToPay, summary.ledger)
print("time", Date().timeIntervalSince(t0))
