import Foundation
import Stochastic
import TransitionModel

/// The survival pattern: new worker-run firms against new conventional ones, in an economy
/// where worker-run firms are few (as where the survival studies measured), compared with the
/// hazard ratios the studies imply.
///
/// The studies report survival shares at an age (3, 5, 10 years) for new co-operatives and new
/// firms; under proportional hazards a pair (w, c) implies the hazard ratio ln w / ln c, which
/// does not depend on how risky new firms are in a given economy. The model's new worker-run
/// firms are those the movement founds; its new conventional firms are the successors opened
/// after churn. Survival is the Kaplan–Meier estimate over firms opened during the runs, with
/// open ones censored at the horizon. This checks that the named hazard terms together (the
/// ratio by kind, the hostile market, training, shocks) land where the evidence is; the ratio
/// is an input, so agreement is consistency, not an independent finding.
public enum SurvivalPattern {
    /// One study's figure: survival shares at an age, or a hazard ratio given directly.
    public struct Study: Sendable {
        public var label: String
        public var years: Int?
        public var workerRun: Double?, conventional: Double?
        public var hazardRatio: Double
    }

    /// Reads `worker-firm-survival.csv` (columns place, period, years, worker_run,
    /// conventional, hazard_ratio, source).
    public static func studies(file: String) throws -> [Study] {
        let text = try InputFile.text(file, limit: 1 << 20)
        let table = try CSVTable(parsing: text)
        func column(_ name: String) throws -> Int {
            guard let i = table.header.firstIndex(of: name) else { throw ValidationDataError(file: file, message: "no column '\(name)'") }
            return i
        }
        let place = try column("place"), years = try column("years"), w = try column("worker_run")
        let c = try column("conventional"), hr = try column("hazard_ratio")
        _ = try column("source")
        return try table.rows.map { line, cells in
            let label = cells[place] + (cells[years].isEmpty ? "" : ", \(cells[years]) years")
            if let ratio = Double(cells[hr]) {
                guard ratio > 0 && ratio.isFinite else { throw ValidationDataError(file: file, message: "line \(line): hazard_ratio must be above 0") }
                return Study(label: label, years: nil, workerRun: nil, conventional: nil, hazardRatio: ratio)
            }
            guard let y = Int(cells[years]), let a = Double(cells[w]), let b = Double(cells[c]), a > 0, a < 1, b > 0, b < 1 else {
                throw ValidationDataError(file: file, message: "line \(line): expected years and two survival shares in (0, 1), or a hazard_ratio")
            }
            return Study(label: label, years: y, workerRun: a, conventional: b, hazardRatio: log(a) / log(b))
        }
    }

    /// Kaplan–Meier survival at `age` months of firms with (age at failure or censoring, failed).
    static func survival(_ lives: [(age: Int, failed: Bool)], at age: Int) -> Double {
        var s = 1.0
        let failureAges = Set(lives.filter(\.failed).map(\.age)).sorted()
        for t in failureAges where t <= age {
            let atRisk = lives.filter { $0.age >= t }.count
            let d = lives.filter { $0.failed && $0.age == t }.count
            if atRisk > 0 { s *= 1 - Double(d) / Double(atRisk) }
        }
        return s
    }

    /// Simulated survival of new worker-run (founded) and new conventional firms at each age.
    public struct Measured: Sendable {
        public var ages: [Int]
        public var workerRun: [Double], conventional: [Double]
        public var firms: (workerRun: Int, conventional: Int)
        public func hazardRatio(_ j: Int) -> Double { log(workerRun[j]) / log(conventional[j]) }
    }

    public static func measure(_ scenario: Scenario, replicates: Int, ages: [Int] = [36, 60, 120]) throws -> Measured {
        var founded: [(age: Int, failed: Bool)] = [], conventional: [(age: Int, failed: Bool)] = []
        for r in 0..<replicates {
            let sim = try Simulation(scenario: scenario, seed: SeedMixing.childSeed(master: scenario.seed, index: UInt64(r)))
            sim.auditFirmLives = true
            sim.run()
            for life in sim.firmLives where life.started > 0 {
                if life.origin == .founded { founded.append((life.ended - life.started, true)) }
                if life.origin == nil { conventional.append((life.ended - life.started, true)) }
            }
            for w in 0..<sim.workplaces.count where sim.workplaces.open[w] && sim.workplaces.startedMonth[w] > 0 {
                let age = sim.month - Int(sim.workplaces.startedMonth[w])
                if sim.workplaces.origin[w] == .founded {
                    founded.append((age, false))
                } else if !sim.workplaces.isWorkerRun(w) && sim.workplaces.kind[w] != .state {
                    conventional.append((age, false))
                }
            }
        }
        return Measured(
            ages: ages, workerRun: ages.map { survival(founded, at: $0) }, conventional: ages.map { survival(conventional, at: $0) },
            firms: (founded.count, conventional.count))
    }
}

/// A validation data file that cannot be used.
public struct ValidationDataError: Error, CustomStringConvertible {
    public var file: String
    public var message: String
    public var description: String { "\(file): \(message)" }
}
