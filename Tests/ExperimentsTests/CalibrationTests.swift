import Foundation
import Stochastic
import Testing
import TestSupport
@testable import Experiments
import TransitionModel

/// A folder with a small scenario, a data file and a calibration file written from `body`.
func calibrationFolder(_ body: String, data: String? = nil) throws -> (dir: String, file: String) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cal-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    try """
    population: {persons: 2000}
    horizon: 48
    voting: {rule: majority}
    crisis: {enabled: true, start: 0, duration: 48, abandon_rate: 0.01}
    """.write(toFile: dir + "/base.yaml", atomically: true, encoding: .utf8)
    try
        (data ?? """
            date,firms,councils,source
            2001-01,1,0.1,"placeholder figures, replaced by synthetic data"
            2002-01,2,0.2,placeholder
            2003-01,3,0.3,placeholder
            2004-01,4,0.4,placeholder
            """).write(toFile: dir + "/data.csv", atomically: true, encoding: .utf8)
    try body.write(toFile: dir + "/calibration.yaml", atomically: true, encoding: .utf8)
    return (dir, dir + "/calibration.yaml")
}

let recoveryCalibration = """
    calibration:
      scenario: base.yaml
      start: 2000-01
      parameters:
        crisis.abandon_rate: {prior: uniform, from: 0.002, to: 0.05}
        workers_councils.rate: {prior: uniform, from: 0.005, to: 0.08}
      observations:
        abandoned:
          data: data.csv
          value: firms
          model: firms_abandoned
          scale: {per: persons, national: 2000}
          error: {relative: 0.1, absolute: 2}
        councils:
          data: data.csv
          value: councils
          model: workers_councils
          scale: {per: share}
          error: {relative: 0.1, absolute: 0.01}
      sampler: {particles: 40, generations: 4, replicates: 1, seed: 3, predictive_draws: 40}
    """

@Suite("ABC-SMC")
struct ABCSMCTests {
    /// y ~ Normal(θ, 1), 25 observations with mean 1.3; flat prior on [−5, 5]: the exact posterior
    /// is Normal(1.3, 0.2).
    static let observedMean = 1.3
    static func distance(_ theta: [Double], _ seed: UInt64) -> Double {
        let stream = RandomStream(kind: .taus2, seed: seed, stream: 0)
        var sum = 0.0
        for _ in 0..<25 { sum += theta[0] + stream.gaussian(sd: 1) }
        return abs(sum / 25 - observedMean)
    }

    func sampler(generations: Int) -> ABCSMC {
        var s = ABCSMC.Settings()
        s.particles = 300; s.generations = generations; s.seed = 9
        return ABCSMC(priors: [Prior(.uniform, from: -5, to: 5)], settings: s)
    }

    @Test func posteriorMatchesTheConjugateAnswer() {
        let (gens, stop) = sampler(generations: 6).run(threads: 2, distance: Self.distance, finished: { _ in })
        #expect(stop == .generations && gens.count == 6)
        let last = gens.last!
        let mean = zip(last.particles, last.weights).reduce(0) { $0 + $1.0[0] * $1.1 }
        let sd = zip(last.particles, last.weights).reduce(0) { $0 + $1.1 * ($1.0[0] - mean) * ($1.0[0] - mean) }.squareRoot()
        #expect(abs(mean - 1.3) < 0.06, "posterior mean \(mean), exact 1.3")
        #expect(sd > 0.16 && sd < 0.3, "posterior sd \(sd), exact 0.2 (ABC with ε > 0 is a little wider)")
        // Tolerances fall and acceptance falls with them.
        #expect(zip(gens.dropFirst(2), gens.dropFirst()).allSatisfy { $0.epsilon < $1.epsilon })
        #expect(gens.last!.acceptance < gens[1].acceptance)
        #expect(abs(last.weights.reduce(0, +) - 1) < 1e-9)
    }

    @Test func sameSeedSameGenerationsOnAnyThreadCount() {
        let one = sampler(generations: 3).run(threads: 1, distance: Self.distance, finished: { _ in }).generations
        let two = sampler(generations: 3).run(threads: 2, distance: Self.distance, finished: { _ in }).generations
        #expect(one.map(\.particles) == two.map(\.particles) && one.map(\.weights) == two.map(\.weights))
    }

    @Test func resumingAfterAGenerationGivesTheSameResult() {
        let straight = sampler(generations: 4).run(threads: 2, distance: Self.distance, finished: { _ in }).generations
        let firstTwo = sampler(generations: 2).run(threads: 2, distance: Self.distance, finished: { _ in }).generations
        let resumed = sampler(generations: 4).run(resumingAfter: firstTwo, threads: 2, distance: Self.distance, finished: { _ in })
            .generations
        #expect(resumed.map(\.particles) == straight.map(\.particles))
        #expect(resumed.map(\.epsilon) == straight.map(\.epsilon))
    }

    @Test func logUniformPriorSpreadsOverOrdersOfMagnitude() {
        var s = ABCSMC.Settings(); s.particles = 2000; s.generations = 1
        let g = ABCSMC(priors: [Prior(.logUniform, from: 0.001, to: 1)], settings: s)
            .run(threads: 2, distance: { _, _ in 0 }, finished: { _ in }).generations[0]
        let below = g.particles.filter { $0[0] < 0.01 }.count, above = g.particles.filter { $0[0] > 0.1 }.count
        #expect(abs(Double(below) / 2000 - 1.0 / 3) < 0.04 && abs(Double(above) / 2000 - 1.0 / 3) < 0.04)
        #expect(g.particles.allSatisfy { $0[0] >= 0.001 && $0[0] <= 1 })
    }

    @Test func weightedQuantileHonoursWeights() {
        #expect(weightedQuantile([1, 2, 3, 4], [0.25, 0.25, 0.25, 0.25], 0.5) == 2)
        #expect(weightedQuantile([1, 2, 3, 4], [0.1, 0.1, 0.1, 0.7], 0.5) == 4)
        #expect(weightedQuantile([5, 1], [1, 1], 0.05) == 1)
    }
}

@Suite("Calibration")
struct CalibrationTests {
    @Test func syntheticDataRecoverKnownParameters() throws {
        let (dir, file) = try calibrationFolder(recoveryCalibration)
        let truth = [0.015, 0.03]
        let calibration = Calibration(file: try Calibration(file: try CalibrationFile.load(path: file)).synthetic(truth: truth, seed: 4))
        let state = try calibration.run(folder: dir + "/out", force: false, threads: 2)
        #expect(state.generations.count == 4)
        let summaries = calibration.summaries(state.generations.last!)
        for (p, t) in zip(summaries, truth) {
            #expect(p.p5 <= t && t <= p.p95, "\(p.path): true \(t) outside the 90% interval \(p.p5)–\(p.p95)")
            #expect(p.widthShare < 0.6, "\(p.path): the data should narrow the prior (interval is \(p.widthShare) of it)")
        }
        let predictive = try calibration.predictive(state.generations.last!, draws: 40, threads: 2)
        #expect(predictive.count == 8)
        #expect(predictive.filter(\.inside).count >= 6, "synthetic points mostly inside their 90% predictive band")
        #expect(predictive.allSatisfy { $0.p5 <= $0.p50 && $0.p50 <= $0.p95 })
    }

    /// Candidates run side by side only as far as the memory holds them: judged by the largest
    /// site, and by the largest population a calibrated population.persons may draw.
    @Test func candidatesAtATimeFollowTheLargestSimulation() throws {
        let gib = 1 << 30
        let (dir, file) = try calibrationFolder(
            recoveryCalibration.replacingOccurrences(of: "  scenario: base.yaml\n", with: "  scenario: base.yaml\n  set: {population.persons: 5000000}\n"))
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let large = Calibration(file: try CalibrationFile.load(path: file))
        let each = MemoryEstimate.simulationsThatFit(try [large.scenario(at: [0.01, 0.01])], limit: 4 * gib)
        #expect(each >= 1 && each < 64, "a 5-million-person simulation is not small: \(each) fit in 4 GiB")
        #expect(large.simultaneous(limit: 4 * gib) == each)
        #expect(large.simultaneous(limit: 1 << 20) == 1, "at least one, whatever the limit")
        // A calibrated population size counts at the top of its prior.
        let (dir2, file2) = try calibrationFolder(
            recoveryCalibration.replacingOccurrences(
                of: "    crisis.abandon_rate:", with: "    population.persons: {prior: uniform, from: 1000, to: 5000000}\n    crisis.abandon_rate:"))
        defer { try? FileManager.default.removeItem(atPath: dir2) }
        let drawn = Calibration(file: try CalibrationFile.load(path: file2))
        #expect(drawn.simultaneous(limit: 4 * gib) == each)
        let small = Calibration(file: try CalibrationFile.load(path: try calibrationFolder(recoveryCalibration).file))
        #expect(small.simultaneous(limit: 4 * gib) > 100 * each, "2,000 persons: many at once")
    }

    @Test func aStoppedCalibrationResumesAndAnotherIsRefused() throws {
        let (dir, file) = try calibrationFolder(recoveryCalibration.replacingOccurrences(of: "generations: 4", with: "generations: 2"))
        let calibration = Calibration(file: try CalibrationFile.load(path: file))
        let out = dir + "/out"
        let first = try calibration.run(folder: out, force: false, threads: 2)
        // Simulate a stop after generation 0: keep only that generation in the saved state.
        var partial = first; partial.generations = [first.generations[0]]; partial.stop = nil
        try Calibration.save(partial, to: out)
        var seen: [Int] = []
        let resumed = try calibration.run(folder: out, force: false, threads: 1, generationDone: { seen.append($0.index) })
        #expect(seen == [1], "only the missing generation is run again")
        #expect(resumed.generations.map(\.particles) == first.generations.map(\.particles))
        // The same folder with other inputs is refused; --force starts over.
        try recoveryCalibration.replacingOccurrences(of: "seed: 3", with: "seed: 4")
            .write(toFile: file, atomically: true, encoding: .utf8)
        let other = Calibration(file: try CalibrationFile.load(path: file))
        #expect(throws: CalibrationError.self) { try other.run(folder: out, force: false, threads: 2) }
        try "{not json".write(toFile: out + "/state.json", atomically: true, encoding: .utf8)
        do { _ = try other.run(folder: out, force: false, threads: 2); Issue.record("a damaged state must be refused") } catch {
            #expect(error.description.contains("cannot resume"))
        }
        // A state that is not a file is refused with what it is, not called bad JSON.
        try FileManager.default.removeItem(atPath: out + "/state.json")
        try FileManager.default.createDirectory(atPath: out + "/state.json", withIntermediateDirectories: false)
        do { _ = try other.run(folder: out, force: false, threads: 2); Issue.record("a state that is a folder must be refused") } catch {
            #expect(error.description.contains("state.json") && error.description.contains("is not a regular file"), "\(error)")
        }
        try FileManager.default.removeItem(atPath: out + "/state.json")
    }

    @Test(arguments: shippedCalibrations())
    func shippedCalibrationsAreValidAndSourced(_ name: String) throws {
        let c = try CalibrationFile.load(path: scenariosFolder.appendingPathComponent(name).path)
        #expect(c.points.contains { !$0.heldOut })
        #expect(c.points.allSatisfy { !$0.source.isEmpty })
        #expect(CalibrationFile.isCalibration(text: try String(contentsOfFile: c.path, encoding: .utf8)))
    }

    @Test func observationModelScalesAndBounds() {
        let m = ObservationModel(
            column: "firms_recovered", scale: .perPersons(national: 15_000_000), activeShare: 0.25,
            relativeError: 0.2, absoluteError: 10, bound: .none)
        #expect(m.observed(model: 2, persons: 100_000) == 2 * 150 / 0.25)
        #expect(m.sigma(100) == 30)
        #expect(m.residual(predicted: 160, observed: 100) == 2)
        var upper = m; upper.bound = .upper
        #expect(upper.residual(predicted: 40, observed: 100) == 0 && upper.residual(predicted: 160, observed: 100) == 2)
        var lower = m; lower.bound = .lower
        #expect(lower.residual(predicted: 160, observed: 100) == 0 && lower.residual(predicted: 40, observed: 100) == -2)
        // A bound is "inside" when the predictive median respects it, not when it falls in the band.
        let point = ObservedPoint(series: "s", date: "2009-12", month: 44, value: 274_000, heldOut: false, source: "x")
        #expect(PredictivePoint(point: point, p5: 0, p50: 2_310, p95: 46_300, bound: .upper).inside)
        #expect(!PredictivePoint(point: point, p5: 0, p50: 300_000, p95: 400_000, bound: .upper).inside)
        #expect(!PredictivePoint(point: point, p5: 0, p50: 2_310, p95: 46_300).inside, "as a measurement it is outside")
    }

    @Test func heldOutRowsAreNotFittedButPredicted() throws {
        let (_, file) = try calibrationFolder(recoveryCalibration)
        let c = try CalibrationFile.load(path: file, fitUntil: "2002-06")
        #expect(c.points.map(\.heldOut) == [false, false, true, true, false, false, true, true])
        #expect(c.points.map(\.month) == [12, 24, 36, 48, 12, 24, 36, 48])
        let calibration = Calibration(file: c)
        let far = calibration.distance([1, 2, 1000, 1000, 0.1, 0.2, 9, 9])
        let near = calibration.distance([1, 2, 3, 4, 0.1, 0.2, 0.3, 0.4])
        #expect(far == 0 && near == 0, "held-out points do not enter the distance")
    }

    /// The exact shortcuts of a particle's distance (stop after the last fitted month; with one
    /// replicate, stop once the residuals seen exceed ε) change no accepted distance and no
    /// posterior: every generation equals the one simulated in full, bit for bit.
    @Test func shortcutDistancesLeaveThePosteriorExactlyAsItWas() throws {
        let (_, file) = try calibrationFolder(recoveryCalibration)
        let calibration = Calibration(file: try CalibrationFile.load(path: file, fitUntil: "2003-06"))
        var thetas: [[Double]] = []
        for k in 0..<24 {
            let abandon: Double = 0.002 + 0.048 * Double(k % 6) / 5
            let councils: Double = 0.005 + 0.075 * Double(k / 6) / 3
            thetas.append([abandon, councils])
        }
        var full: [Double] = []
        for (k, t) in thetas.enumerated() {
            full.append(calibration.distance(try calibration.predictions(t, seed: UInt64(k), replicates: 1)))
        }
        let sorted = full.sorted()
        var abandoned = 0
        let tolerances: [Double] = [sorted[3], sorted[12], sorted[20], Double.infinity]
        for epsilon in tolerances {
            for (k, t) in thetas.enumerated() {
                let quick = try calibration.distance(t, seed: UInt64(k), replicates: 1, within: epsilon)
                if full[k] <= epsilon { #expect(quick == full[k], "θ \(t), ε \(epsilon)") } else { #expect(quick > epsilon) }
                if quick.isInfinite { abandoned += 1 }
            }
        }
        #expect(abandoned > 0, "some runs stop early, or the shortcut does nothing")
        var settings = calibration.file.settings
        settings.particles = 20; settings.generations = 3
        let sampler = ABCSMC(priors: calibration.file.parameters.map(\.prior), settings: settings)
        let plain = sampler.run(
            threads: 2,
            distance: { t, seed in (try? calibration.distance(calibration.predictions(t, seed: seed, replicates: 1))) ?? .infinity },
            finished: { _ in }
        ).generations
        let quick = sampler.run(
            threads: 2,
            distanceWithin: { t, seed, e in (try? calibration.distance(t, seed: seed, replicates: 1, within: e)) ?? .infinity },
            finished: { _ in }
        ).generations
        #expect(plain.count == quick.count && plain.count >= 2)
        for (a, b) in zip(plain, quick) {
            #expect(a.particles == b.particles && a.weights == b.weights && a.distances == b.distances && a.epsilon == b.epsilon)
            #expect(a.simulations == b.simulations)
        }
    }

    /// A draw gets the cross-checks a scenario file gets: a momentum floor drawn above the start
    /// is refused (the candidate rejected), not run.
    @Test func drawsGetTheScenarioChecks() throws {
        let (_, file) = try calibrationFolder(
            recoveryCalibration.replacingOccurrences(
                of: "workers_councils.rate: {prior: uniform, from: 0.005, to: 0.08}",
                with: "movement.momentum_floor: {prior: uniform, from: 0.1, to: 3}"))
        let calibration = Calibration(file: try CalibrationFile.load(path: file))
        #expect(throws: CalibrationError.self) { try calibration.scenario(at: [0.01, 2.5]) }
        #expect(throws: Never.self) { try calibration.scenario(at: [0.01, 0.5]) }
    }

    func issues(_ body: String, data: String? = nil) throws -> [String] {
        let (dir, file) = try calibrationFolder(body, data: data)
        do { _ = try CalibrationFile.load(path: file); return [] } catch {
            #expect(!FileManager.default.fileExists(atPath: dir + "/out"))
            return error.issues.map(\.description)
        }
    }

    @Test func badCalibrationFilesSayWhereAndWhat() throws {
        let unknown = try issues(recoveryCalibration.replacingOccurrences(of: "  start: 2000-01", with: "  start: 2000-01\n  particles: 3"))
        #expect(unknown.contains { $0.contains("calibration.yaml:4") && $0.contains("calibration.particles: unknown key") })
        let outside = try issues(recoveryCalibration.replacingOccurrences(of: "from: 0.002, to: 0.05", with: "from: 0.002, to: 1.5"))
        #expect(outside.contains { $0.contains("crisis.abandon_rate") && $0.contains("leaves the parameter's range") })
        let unknownParameter = try issues(
            recoveryCalibration.replacingOccurrences(of: "workers_councils.rate:", with: "workers_council.rate:"))
        #expect(unknownParameter.contains { $0.contains("unknown parameter") && $0.contains("workers_councils.rate") })
        let noSource = try issues(recoveryCalibration, data: "date,firms,councils,source\n2001-01,1,0.1,\n")
        #expect(noSource.contains { $0.contains("data.csv:2: the row has no source") })
        let missing = try issues(recoveryCalibration.replacingOccurrences(of: "data: data.csv", with: "data: nowhere.csv"))
        #expect(missing.contains { $0.contains("nowhere.csv") && $0.contains("looked at") })
        let column = try issues(recoveryCalibration.replacingOccurrences(of: "model: firms_abandoned", with: "model: firms_abandon"))
        #expect(column.contains { $0.contains("unknown series column 'firms_abandon'") && $0.contains("firms_abandoned") })
        let beyond = try issues(recoveryCalibration, data: "date,firms,councils,source\n2009-01,1,0.1,a survey\n")
        #expect(beyond.contains { $0.contains("beyond the scenario's horizon of 48 months") })
        let badDate = try issues(recoveryCalibration, data: "date,firms,councils,source\n2001-13,1,0.1,a survey\n")
        #expect(badDate.contains { $0.contains("data.csv:2") && $0.contains("YYYY-MM") })
        let structured = try issues(recoveryCalibration.replacingOccurrences(of: "workers_councils.rate:", with: "councils.rollout:"))
        #expect(structured.contains { $0.contains("only numbers, integers and schedules that take a number can be calibrated") })
        let schedule = try issues(
            recoveryCalibration.replacingOccurrences(
                of: "workers_councils.rate: {prior: uniform, from: 0.005, to: 0.08}",
                with: "state.support: {prior: uniform, from: 0.005, to: 0.08}"))
        #expect(schedule.isEmpty, "a schedule may be calibrated as a constant: \(schedule)")
        // Data cells are decimal numbers, never negative; a column is named once.
        let hex = try issues(recoveryCalibration, data: "date,firms,councils,source\n2001-01,0x10,0.1,a survey\n")
        #expect(hex.contains { $0.contains("data.csv:2: expected a decimal number in 'firms', found '0x10'") }, "\(hex)")
        let negative = try issues(recoveryCalibration, data: "date,firms,councils,source\n2001-01,-3,0.1,a survey\n")
        #expect(negative.contains { $0.contains("data.csv:2") && $0.contains("cannot be negative") }, "\(negative)")
        let tiny = try issues(
            recoveryCalibration.replacingOccurrences(of: "error: {relative: 0.1, absolute: 2}", with: "error: {relative: 0.1}"),
            data: "date,firms,councils,source\n2001-01,0.0000000000000000000000000000000000000000000000001,0.1,a survey\n")
        #expect(tiny.contains { $0.contains("data.csv:2") && $0.contains("almost no spread") }, "\(tiny)")
        let twice = try issues(recoveryCalibration, data: "date,firms,firms,councils,source\n2001-01,3,4,0.1,a survey\n")
        #expect(twice.contains { $0.contains("the column 'firms' appears more than once") }, "\(twice)")
        // A name with a control character is refused, and the message shows it escaped, not raw.
        let escape = try issues(recoveryCalibration.replacingOccurrences(of: "calibration:\n", with: "calibration:\n  name: \"x\\e[2Jy\"\n"))
        #expect(escape.contains { $0.contains("calibration.name") && $0.contains("x\\u{1b}[2Jy") && !$0.contains("\u{1B}") }, "\(escape)")
        // The horizon is where the observations sit: a draw shorter than the data would predict 0.
        let horizon = try issues(
            recoveryCalibration.replacingOccurrences(
                of: "workers_councils.rate: {prior: uniform, from: 0.005, to: 0.08}", with: "horizon: {prior: uniform, from: 12, to: 48}"))
        #expect(horizon.contains { $0.contains("horizon") && $0.contains("cannot be calibrated: observations sit at fixed months") }, "\(horizon)")
    }
}

@Suite("CSV reading")
struct CSVTableTests {
    @Test func quotedCellsKeepCommasQuotesAndLineBreaks() throws {
        let t = try CSVTable(parsing: "a,b,c\n1,\"x, y\",\"say \"\"hi\"\"\"\n# a comment\n\n2,\"two\nlines\", z \n")
        #expect(t.header == ["a", "b", "c"])
        #expect(t.rows.map(\.cells) == [["1", "x, y", "say \"hi\""], ["2", "two\nlines", "z"]])
        #expect(t.rows.map(\.line) == [2, 5])
        // A spreadsheet's byte-order mark is not part of the first column's name.
        let marked = try CSVTable(parsing: "\u{FEFF}date,firms\r\n2001-12,3\r\n")
        #expect(marked.header == ["date", "firms"] && marked.column("date") == 0)
    }

    @Test func malformedCSVIsRefusedWithItsLine() {
        #expect(throws: CSVTable.Problem.self) { try CSVTable(parsing: "a,b\n1,\"open\n") }
        do { _ = try CSVTable(parsing: "a,b\n1,2\n3\n"); Issue.record("a short row must be refused") } catch { #expect(error.line == 3) }
        do { _ = try CSVTable(parsing: "a,b\n1,x\"y\n"); Issue.record("a stray quote must be refused") } catch { #expect(error.line == 2) }
        #expect(throws: CSVTable.Problem.self) { try CSVTable(parsing: "") }
    }
}

@Suite("ABC-SMC kernels, sites and bounds")
struct CalibrationSitesAndKernelTests {
    /// y ~ Normal(θ, 1), mean 1.3 of 25; flat prior on [1.2, 5]: the exact posterior is
    /// Normal(1.3, 0.2) truncated at 1.2, whose mean is 1.3 + 0.2 φ(−0.5) / (1 − Φ(−0.5)) = 1.402.
    @Test(arguments: [ABCSMC.Kernel.rejection, .truncated], ABCSMC.Covariance.allCases)
    func aPriorBoundNearThePosteriorIsHonoured(kernel: ABCSMC.Kernel, covariance: ABCSMC.Covariance) {
        var s = ABCSMC.Settings()
        s.particles = 300; s.generations = 6; s.seed = 9; s.kernel = kernel; s.covariance = covariance
        let (gens, _) = ABCSMC(priors: [Prior(.uniform, from: 1.2, to: 5)], settings: s)
            .run(threads: 2, distance: ABCSMCTests.distance, finished: { _ in })
        let last = gens.last!
        let mean = zip(last.particles, last.weights).reduce(0) { $0 + $1.0[0] * $1.1 }
        #expect(abs(mean - 1.402) < 0.06, "posterior mean \(mean), exact 1.402 (\(kernel), \(covariance))")
        #expect(last.particles.allSatisfy { $0[0] >= 1.2 && $0[0] <= 5 })
        #expect(abs(last.weights.reduce(0, +) - 1) < 1e-9)
    }

    /// Fifty parameters whose posterior sits against their lower bounds: a truncated kernel
    /// places every candidate at once (a rejection kernel would need each of 50 coordinates
    /// inside its box at once), so every generation finishes.
    @Test func fiftyParametersFinishTheirGenerations() {
        var s = ABCSMC.Settings()
        s.particles = 40; s.generations = 3; s.seed = 2; s.kernel = .truncated; s.maximumSimulations = 2_000
        let priors = Array(repeating: Prior(.uniform, from: 0, to: 1), count: 50)
        let (gens, stop) = ABCSMC(priors: priors, settings: s)
            .run(threads: 2, distance: { theta, _ in theta.reduce(0, +) / 50 }, finished: { _ in })
        #expect(stop == .generations && gens.count == 3)
        #expect(gens.allSatisfy { $0.particles.allSatisfy { $0.allSatisfy { (0...1).contains($0) } } })
        #expect(gens.last!.epsilon < gens[1].epsilon, "the tolerance falls")
        #expect(gens.last!.weights.allSatisfy(\.isFinite) && gens.last!.effectiveSampleSize > 2)
    }

    @Test func aPosteriorAgainstABoundIsFlagged() throws {
        let (_, file) = try calibrationFolder(recoveryCalibration)
        let calibration = Calibration(file: try CalibrationFile.load(path: file))
        let n = 100
        // Abandonment piled at the prior's lower end (0.002–0.0042 is the lowest 5%); councils spread evenly.
        var particles: [[Double]] = []
        for k in 0..<n {
            let abandon: Double = 0.002 + 0.002 * Double(k % 10) / 10
            let councils: Double = 0.005 + 0.075 * (Double(k) + 0.5) / Double(n)
            particles.append([abandon, councils])
        }
        let g = ABCSMC.Generation(
            index: 1, epsilon: 1, simulations: n, particles: particles,
            weights: Array(repeating: 1 / Double(n), count: n), distances: Array(repeating: 0, count: n), seconds: 0)
        let summaries = calibration.summaries(g)
        #expect(summaries[0].massNearBounds > 0.99 && summaries[0].pilesAgainstBound)
        #expect(abs(summaries[1].massNearBounds - 0.10) < 0.011 && !summaries[1].pilesAgainstBound)
    }

    /// Two economies, one distance: a shared parameter moves both sites' predictions, a
    /// parameter of one site only that site's.
    @Test func sitesShareSomeParametersAndKeepOthers() throws {
        let (dir, file) = try calibrationFolder(
            """
            calibration:
              name: two-sites
              parameters:
                crisis.abandon_rate@crisis: {prior: uniform, from: 0.002, to: 0.05}
                workers_councils.rate: {prior: uniform, from: 0.005, to: 0.08}
              sites:
                crisis:
                  scenario: base.yaml
                  start: 2000-01
                  observations:
                    abandoned:
                      data: data.csv
                      value: firms
                      model: firms_abandoned
                      scale: {per: persons, national: 2000}
                      error: {relative: 0.1, absolute: 2}
                calm:
                  scenario: calm.yaml
                  start: 2001-01
                  observations:
                    councils:
                      data: data.csv
                      value: councils
                      model: workers_councils
                      scale: {per: share}
                      error: {relative: 0.1, absolute: 0.01}
              sampler: {particles: 20, generations: 2, replicates: 1, seed: 3, predictive_draws: 10, kernel: truncated}
            """)
        try "extends: base.yaml\ncrisis: {enabled: false}\npopulation: {persons: 1500}\n"
            .write(toFile: dir + "/calm.yaml", atomically: true, encoding: .utf8)
        let f = try CalibrationFile.load(path: file)
        #expect(f.sites.map(\.name) == ["crisis", "calm"] && f.isMultiSite)
        #expect(f.parameterKeys == ["crisis.abandon_rate", "workers_councils.rate"] && f.parameterSites == [[0], [0, 1]])
        #expect(f.pointSites == [0, 0, 0, 0, 1, 1, 1, 1], "four dated rows observed in each site")
        #expect(f.sites[1].series[0].points.first?.month == 0)
        let c = Calibration(file: f)
        #expect(c.overrides([0.01, 0.02], site: 1) == ["workers_councils.rate=0.02"])
        let base = try c.predictions([0.01, 0.02], seed: 5, replicates: 1)
        let moreAbandoned = try c.predictions([0.04, 0.02], seed: 5, replicates: 1)
        let moreCouncils = try c.predictions([0.01, 0.07], seed: 5, replicates: 1)
        #expect(Array(moreAbandoned[4...]) == Array(base[4...]), "a parameter of the crisis site leaves the calm site alone")
        #expect(moreAbandoned[3] > base[3], "and moves its own site")
        #expect(moreCouncils[6] > base[6], "a shared parameter moves the calm site")
        let state = try c.run(folder: dir + "/out", force: false, threads: 2)
        #expect(state.generations.count == 2)
        #expect(c.posteriorSampleCSV(state.generations[1], count: 5, site: 1).hasPrefix("workers_councils.rate\n"))
        #expect(c.siteFileName("calibrated", "yaml", site: 1) == "calibrated-calm.yaml")
        #expect(try c.calibratedYAML(c.summaries(state.generations[1]), site: 1).contains("name: two-sites-calm-calibrated"))
    }

    @Test(arguments: [
        ("parameters:\n    workers_councils.rate@nowhere: {prior: uniform, from: 0.01, to: 0.02}\n  scenario: base.yaml\n  start: 2000-01\n  observations: {}\n",
         "names a site, but the file has no 'sites:'"),
        ("scenario: base.yaml\n  parameters:\n    workers_councils.rate: {prior: uniform, from: 0.01, to: 0.02}\n  sites:\n    a: {scenario: base.yaml, start: 2000-01, observations: {c: {data: data.csv, value: councils, model: workers_councils, scale: {per: share}, error: {absolute: 0.1}}}}\n",
         "with 'sites:', each site gives its own scenario"),
        ("parameters:\n    workers_councils.rate@b: {prior: uniform, from: 0.01, to: 0.02}\n  sites:\n    a: {scenario: base.yaml, start: 2000-01, observations: {c: {data: data.csv, value: councils, model: workers_councils, scale: {per: share}, error: {absolute: 0.1}}}}\n",
         "no site named 'b' (sites: a)"),
        ("parameters:\n    workers_councils.rate: {prior: uniform, from: 0.01, to: 0.02}\n  sites:\n    a: {scenario: base.yaml, start: 2000-01, observations: {c: {data: data.csv, value: councils, model: workers_councils, scale: {per: share}, error: {absolute: 0.1}}}}\n    b: {scenario: base.yaml, start: 2000-01, observations: {c: {data: data.csv, value: councils, model: workers_councils, scale: {per: share}, error: {absolute: 0.1}}}}\n",
         "two sites observe a series named 'c'"),
        ("parameters:\n    workers_councils.rate: {prior: uniform, from: 0.01, to: 0.02}\n  sites:\n    a: {scenario: base.yaml, begin: 2000-01}\n",
         "calibration.sites.a.begin: unknown key"),
        ("parameters:\n    workers_councils.rate: {prior: uniform, from: 0.01, to: 0.02}\n    workers_councils.rate@a: {prior: uniform, from: 0.01, to: 0.02}\n  sites:\n    a: {scenario: base.yaml, start: 2000-01, observations: {c: {data: data.csv, value: councils, model: workers_councils, scale: {per: share}, error: {absolute: 0.1}}}}\n",
         "calibrated twice in one site"),
        ("parameters:\n    workers_councils.rate: {prior: uniform, from: 0.01, to: 0.02}\n  scenario: base.yaml\n  start: 2000-01\n  observations: {c: {data: data.csv, value: councils, model: workers_councils, scale: {per: share}, error: {absolute: 0.1}}}\n  sampler: {kernel: gaussian}\n",
         "calibration.sampler.kernel: expected rejection or truncated, found 'gaussian'"),
        ("parameters:\n    workers_councils.rate: {prior: uniform, from: 0.01, to: 0.02}\n  scenario: base.yaml\n  start: 2000-01\n  observations: {c: {data: data.csv, value: councils, model: workers_councils, scale: {per: share}, error: {absolute: 0.1}}}\n  sampler: {covariance: banded}\n",
         "calibration.sampler.covariance: expected diagonal or full, found 'banded'"),
        ("parameters:\n    workers_councils.rate: {prior: uniform, from: 0.01, to: 0.02}\n  scenario: base.yaml\n  start: 2000-01\n  observations: {c: {data: data.csv, value: councils, model: workers_councils, scale: {per: share}, error: {absolute: 0.1}}}\n  sampler: {covarance: full}\n",
         "calibration.sampler: unknown field 'covarance' (did you mean 'covariance'?)"),
    ])
    func badSitesSayWhereAndWhat(body: String, message: String) throws {
        let (_, file) = try calibrationFolder("calibration:\n  " + body)
        do { _ = try CalibrationFile.load(path: file); Issue.record("must be refused: \(message)") } catch {
            #expect(error.description.contains(message), "\(error.description)")
        }
    }
}

@Suite("Extending a calibration")
struct ExtendingACalibrationTests {
    /// A calibration that ran its generations, asked for more, continues; the result is that
    /// of a calibration run with more generations from the start.
    @Test func moreGenerationsExtendAFinishedCalibration() throws {
        let (dir, file) = try calibrationFolder(recoveryCalibration.replacingOccurrences(of: "generations: 4", with: "generations: 2"))
        var f = try CalibrationFile.load(path: file)
        let two = try Calibration(file: f).run(folder: dir + "/out", force: false, threads: 2)
        #expect(two.generations.count == 2 && two.stop == .generations)
        f.settings.generations = 3
        var seen: [Int] = []
        let extended = try Calibration(file: f).run(folder: dir + "/out", force: false, threads: 1, generationDone: { seen.append($0.index) })
        #expect(seen == [2], "only the new generation runs")
        let straight = try Calibration(file: f).run(folder: dir + "/fresh", force: false, threads: 2)
        #expect(extended.generations.map(\.particles) == straight.generations.map(\.particles))
        // Fewer generations than were run: the finished calibration is returned as it is.
        f.settings.generations = 1
        #expect(try Calibration(file: f).run(folder: dir + "/out", force: false, threads: 2).generations.count == 3)
    }
}

@Suite("A calibration's saved state is checked on resume")
struct DamagedStateTests {
    /// Each damage, saved with a correct checksum (as a careful editor would), is refused with
    /// the field named; an edit without one is refused by the checksum.
    @Test func everyKindOfDamageIsRefusedByName() throws {
        let (dir, file) = try calibrationFolder(recoveryCalibration.replacingOccurrences(of: "generations: 4", with: "generations: 2"))
        let calibration = Calibration(file: try CalibrationFile.load(path: file))
        let out = dir + "/out"
        let good = try calibration.run(folder: out, force: false, threads: 2)
        typealias Damage = (String, (inout Calibration.State) -> Void)
        let damages: [Damage] = [
            ("weights sum to 0", { $0.generations[1].weights = $0.generations[1].weights.map { _ in 0 } }),
            ("generations[1].particles[3][0] is nan", { $0.generations[1].particles[3][0] = .nan }),
            ("outside the prior of crisis.abandon_rate", { $0.generations[1].particles[0][0] = 0.9 }),
            ("39 distances, expected 40", { $0.generations[1].distances.removeLast() }),
            ("a distance is negative, NaN", { $0.generations[1].distances[2] = .nan }),
            ("weights: a weight is negative or not finite", { $0.generations[1].weights[0] = .infinity }),
            ("generations[1].epsilon is nan", { $0.generations[1].epsilon = .nan }),
            ("generations[1].index is 7", { $0.generations[1].index = 7 }),
            ("parameters: it calibrates", { $0.parameters = ["opinion.beta", "workers_councils.rate"] }),
        ]
        for (message, damage) in damages {
            var state = good
            state.stop = nil
            damage(&state)
            try Calibration.save(state, to: out)
            do {
                _ = try calibration.run(folder: out, force: false, threads: 2)
                Issue.record("a state with \(message) must be refused")
            } catch {
                #expect(error.description.contains("cannot resume") && error.description.contains(message), "\(error.description)")
            }
        }
        // One value edited by hand, the checksum left as it was.
        try Calibration.save(good, to: out)
        let path = out + "/state.json"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let first = String(format: "%.17g", good.generations[1].particles[0][0])
        let edited = text.replacingOccurrences(of: "\"particles\":[[", with: "\"particles\":[[0.0049,").replacingOccurrences(of: "[[0.0049,\(first)", with: "[[0.0049")
        #expect(edited != text)
        try edited.write(toFile: path, atomically: true, encoding: .utf8)
        do { _ = try calibration.run(folder: out, force: false, threads: 2); Issue.record("an edited state must be refused") } catch {
            #expect(error.description.contains("checksum"), "\(error.description)")
        }
    }
}
