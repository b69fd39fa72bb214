import Foundation
import Stochastic
import TransitionModel

/// What went wrong in a calibration, with where.
public enum CalibrationError: Error, CustomStringConvertible {
    case folder(ResultFolderError)
    case otherCalibration(folder: String, found: String, expected: String)
    case damagedState(String, String)
    /// A candidate task on a calibration that has no generation left to run.
    case nothingLeft(String, String)
    /// Candidate numbers a generation can never reach: each generation stops at the sampler's
    /// budget of `max_simulations` candidates.
    case beyondBudget(from: Int, to: Int, budget: Int)
    case model(String)

    public var description: String {
        switch self {
        case .folder(let e): return e.description
        case let .otherCalibration(folder, found, expected):
            return
                "\(folder): holds a calibration of different inputs (digest \(found.prefix(12)), this file and its data give \(expected.prefix(12))); choose another folder or pass --force to start over"
        case let .damagedState(path, why): return "\(path): cannot resume: \(why); pass --force to start over"
        case let .nothingLeft(path, why):
            return "\(path): \(why): a candidate task has nothing left to simulate; the calibration's results are in its folder"
        case let .beyondBudget(from, to, budget):
            return
                "--candidates \(from)-\(to) reaches beyond the sampler's budget: a generation simulates at most \(budget) candidates (sampler.max_simulations), numbered 0 to \(budget - 1)"
        case .model(let why): return "the model refused a parameter draw: \(why)"
        }
    }
}

/// Runs a calibration: ABC-SMC over the calibration file's priors, each particle simulated
/// through the observation model; saved after every generation so that a stopped calibration
/// resumes where it was (the generation in progress is redone, with the same seeds).
public struct Calibration: Sendable {
    public let file: CalibrationFile

    public init(file: CalibrationFile) { self.file = file }

    /// The finished state: generations so far and why the sampler stopped.
    public struct State: Codable, Sendable {
        public var digest: String
        public var parameters: [String]
        public var generations: [ABCSMC.Generation]
        public var stop: ABCSMC.Stop?
        /// SHA-256 of the state without this field: a state edited by hand, or damaged, is
        /// refused on resume instead of moving the posterior silently.
        public var checksum: String?
    }

    /// The checksum of `state` (its JSON without the checksum, keys sorted).
    static func checksum(_ state: State) -> String {
        var bare = state
        bare.checksum = nil
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = floatStrings
        return ScenarioLoader.sha256(String(decoding: (try? encoder.encode(bare)) ?? Data(), as: UTF8.self))
    }

    /// Why a saved state cannot be resumed with this file, naming the field; nil when it can.
    func problem(with saved: State) -> String? {
        guard let sum = saved.checksum else { return "it has no checksum (written by an older version, or edited)" }
        guard sum == Self.checksum(saved) else { return "its checksum does not match its content (edited or damaged)" }
        guard saved.parameters == file.parameters.map(\.path) else {
            return "parameters: it calibrates \(saved.parameters.joined(separator: ", ")), this file \(file.parameters.map(\.path).joined(separator: ", "))"
        }
        let n = file.settings.particles
        for (i, g) in saved.generations.enumerated() {
            let at = "generations[\(i)]"
            guard g.index == i else { return "\(at).index is \(g.index), expected \(i)" }
            guard g.particles.count == n, g.weights.count == n, g.distances.count == n else {
                return "\(at): \(g.particles.count) particles, \(g.weights.count) weights and \(g.distances.count) distances, expected \(n) of each"
            }
            guard g.simulations >= n else { return "\(at).simulations is \(g.simulations), fewer than its \(n) particles" }
            guard i == 0 ? g.epsilon == .infinity : (g.epsilon.isFinite && g.epsilon >= 0) else {
                return "\(at).epsilon is \(g.epsilon): generation 0 has ∞, later ones a finite tolerance"
            }
            for (k, theta) in g.particles.enumerated() {
                guard theta.count == file.parameters.count else { return "\(at).particles[\(k)] has \(theta.count) values, expected \(file.parameters.count)" }
                for (d, x) in theta.enumerated() {
                    let prior = file.parameters[d].prior
                    guard x.isFinite, x >= prior.from, x <= prior.to else {
                        return "\(at).particles[\(k)][\(d)] is \(x), outside the prior of \(file.parameters[d].path) [\(format(prior.from)), \(format(prior.to))]"
                    }
                }
            }
            guard g.weights.allSatisfy({ $0.isFinite && $0 >= 0 }) else { return "\(at).weights: a weight is negative or not finite" }
            let total = g.weights.reduce(0, +)
            guard abs(total - 1) < 1e-6 else { return "\(at).weights sum to \(total), not 1" }
            guard g.distances.allSatisfy({ !$0.isNaN && $0 >= 0 && (i == 0 || $0 <= g.epsilon) }) else {
                return "\(at).distances: a distance is negative, NaN or above the generation's tolerance"
            }
        }
        return nil
    }

    public static let stateFile = "state.json"
    /// Infinite tolerances and distances are written as "inf" (JSON has no infinity).
    static let floatStrings = JSONEncoder.NonConformingFloatEncodingStrategy.convertToString(
        positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    static var decoder: JSONDecoder {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return d
    }

    /// How many candidates may be simulated at once within `limit` bytes: judged by the largest
    /// site (a candidate's sites and replicates run one after another), at the largest
    /// population a calibrated `population.persons` may draw. At least 1.
    public func simultaneous(limit: Int = MemoryLimit.effective().bytes) -> Int {
        var scenarios = file.sites.map(\.base.scenario)
        for (k, p) in file.parameters.enumerated() where file.parameterKeys[k] == "population.persons" {
            for i in scenarios.indices {
                scenarios[i].population.persons = max(scenarios[i].population.persons, Int(min(p.prior.to, 1e12)))
            }
        }
        return MemoryEstimate.simulationsThatFit(scenarios, limit: limit)
    }

    /// The scenario of site `site` at parameter vector `theta` (natural scale).
    public func scenario(at theta: [Double], site: Int = 0) throws(CalibrationError) -> Scenario {
        var s = file.sites[site].base.scenario
        var issues: [ScenarioIssue] = []
        ScenarioLoader.applyOverrides(overrides(theta, site: site), to: &s, issues: &issues)
        // A draw gets the checks a scenario file gets (e.g. a floor above its cap): one that
        // fails them is refused, and its candidate rejected, rather than run.
        if issues.isEmpty { issues = ScenarioLoader.crossChecks(s, file: "draw") }
        if let first = issues.first { throw .model(first.description) }
        return s
    }

    /// `theta` as key=value overrides for site `site` (integers rounded): the parameters that
    /// apply there, by their scenario key paths.
    public func overrides(_ theta: [Double], site: Int = 0) -> [String] {
        file.parameters.indices.filter { file.parameterSites[$0].contains(site) }.map { d in
            let p = file.parameters[d], x = theta[d]
            return "\(file.parameterKeys[d])=\(p.isInteger ? String(Int(x.rounded())) : format(x))"
        }
    }

    /// What the data would show for the model at `theta`: one value per observed point (fitted
    /// and held out), the mean over `replicates` runs seeded from `seed`. Every site runs on
    /// its own seeds (site k of replicate r: the replicate's seed mixed with k), as far as its
    /// last observed month.
    public func predictions(_ theta: [Double], seed: UInt64, replicates: Int) throws(CalibrationError) -> [Double] {
        try simulate(theta, seed: seed, replicates: replicates, fittedOnly: false, abandonAbove: nil)!
    }

    /// The distance of `theta` to the fitted points: `distance(predictions(θ, …))` whenever
    /// that is at most `epsilon`, and otherwise some value above it. Two exact shortcuts: a
    /// site runs only as far as its last fitted point (held-out points are not needed to
    /// accept or reject), and with one replicate a run stops as soon as the residuals seen so
    /// far exceed the tolerance (a residual is final when its month is simulated, and adding
    /// the others can only raise the sum).
    public func distance(_ theta: [Double], seed: UInt64, replicates: Int, within epsilon: Double) throws(CalibrationError) -> Double {
        let fitted = file.points.filter { !$0.heldOut }.count
        // The sum of squares a distance of ε allows, with a margin far above rounding, so that
        // a candidate the full sum would accept is never abandoned.
        let limit = epsilon.isFinite && replicates == 1 ? Double(max(fitted, 1)) * epsilon * epsilon * (1 + 1e-9) + 1e-300 : nil
        guard let predicted = try simulate(theta, seed: seed, replicates: replicates, fittedOnly: true, abandonAbove: limit) else {
            return .infinity
        }
        return distance(predicted)
    }

    /// The predictions behind `predictions` and `distance(_:seed:replicates:within:)`: nil when
    /// the run was abandoned (its fitted residuals' squares passed `abandonAbove`); points
    /// not needed (held out, with `fittedOnly`) are left at 0.
    func simulate(
        _ theta: [Double], seed: UInt64, replicates: Int, fittedOnly: Bool, abandonAbove limit: Double?
    ) throws(CalibrationError) -> [Double]? {
        let points = file.points
        var sums = Array(repeating: 0.0, count: points.count)
        let models = file.pointModels
        let sitesOfPoints = file.pointSites
        let columns = models.map { m in MetricsRecord.columns.first { $0.name == m.column }! }
        var squares = 0.0
        for site in file.sites.indices {
            var byMonth: [Int: [Int]] = [:]
            for (i, p) in points.enumerated() where sitesOfPoints[i] == site && !(fittedOnly && p.heldOut) {
                byMonth[p.month, default: []].append(i)
            }
            guard !byMonth.isEmpty else { continue }
            let s = try scenario(at: theta, site: site)
            for r in 0..<replicates {
                let replicateSeed = ReplicateRunner.seed(master: seed, replicate: r)
                let simulation: Simulation
                do {
                    simulation = try Simulation(
                        scenario: s, seed: site == 0 ? replicateSeed : SeedMixing.childSeed(master: replicateSeed, index: UInt64(site)))
                } catch {
                    throw .model(String(describing: error))
                }
                var abandoned = false
                // Metrics only at the observed months (the same run, without the census of the others).
                simulation.runWhile(recording: Set(byMonth.keys)) { record in
                    if let indices = byMonth[record.month] {
                        for i in indices {
                            let observed = models[i].observed(model: columns[i].value(record), persons: s.population.persons)
                            sums[i] += observed
                            if let limit, !points[i].heldOut {
                                let residual = models[i].residual(predicted: observed, observed: points[i].value)
                                squares += residual * residual
                                if squares > limit { abandoned = true; return false }
                            }
                        }
                    }
                    return true
                }
                if abandoned { return nil }
            }
        }
        return sums.map { $0 / Double(replicates) }
    }

    /// Root mean square of the standardised residuals over the fitted points.
    public func distance(_ predicted: [Double]) -> Double {
        let points = file.points
        let models = file.pointModels
        var sum = 0.0, n = 0
        for i in points.indices where !points[i].heldOut {
            let r = models[i].residual(predicted: predicted[i], observed: points[i].value)
            sum += r * r; n += 1
        }
        return (sum / Double(max(n, 1))).squareRoot()
    }

    public var sampler: ABCSMC { ABCSMC(priors: file.parameters.map(\.prior), settings: file.settings) }

    /// Runs (or resumes) the calibration into `folder`. The caller holds the folder's
    /// ``FolderLock`` (see ``claim(folder:)``) for as long as it writes there.
    public func run(
        folder: String, force: Bool, threads: Int,
        progress: @escaping @Sendable (_ generation: Int, _ accepted: Int, _ simulations: Int) -> Void = { _, _, _ in },
        generationDone: (ABCSMC.Generation) -> Void = { _ in }
    ) throws(CalibrationError) -> State {
        try run(folder: folder, force: force, threads: threads, fromCandidates: false, progress: progress, generationDone: generationDone).state
    }

    /// As ``run(folder:force:threads:progress:generationDone:)``; with `fromCandidates`, every
    /// distance comes from the folder's candidate files (``CandidateFiles``) instead of a local
    /// simulation, and when one is missing the run saves its finished generations and returns
    /// the candidate it waits for, having written `candidates/needed` for the cluster's script.
    public func run(
        folder: String, force: Bool, threads: Int, fromCandidates: Bool,
        progress: @escaping @Sendable (_ generation: Int, _ accepted: Int, _ simulations: Int) -> Void = { _, _, _ in },
        generationDone: (ABCSMC.Generation) -> Void = { _ in }
    ) throws(CalibrationError) -> (state: State, pending: ABCSMC.Pending?) {
        var state = State(digest: file.digest, parameters: file.parameters.map(\.path), generations: [], stop: nil)
        let fm = FileManager.default
        if !force, var saved = try savedState(folder: folder) {
            if saved.digest != file.digest {
                // Started by an earlier version (``CalibrationFile/earlierDigests``): it carries today's digest from now on.
                saved.digest = file.digest
                try Self.save(saved, to: folder)
            }
            state = saved
            // A calibration that ran all its generations is extended when more are asked for;
            // one that stopped for another reason (tolerance, acceptance, budget) stays stopped.
            if saved.stop == .generations && saved.generations.count < file.settings.generations {
                state.stop = nil
            } else if saved.stop != nil {
                return (saved, nil)
            }
        } else {
            do throws(ResultFolderError) {
                // Candidates simulated for generation 0 come before any state: not earlier results.
                let present = try ResultFolder.listing(folder, missingIsEmpty: true)
                let onlyCandidates = !present.isEmpty && present.allSatisfy { $0.hasPrefix(".") || $0 == CandidateFiles.folderName }
                try ResultFolder.prepare(folder, force: force || onlyCandidates)
                if force {
                    let names = try ResultFolder.listing(folder).sorted()
                    // --force replaces a calibration, not whatever else lives in the folder (a run's
                    // results beside a calibration's would read as one study).
                    let foreign = names.filter { !$0.hasPrefix(".") && !Self.isOutputFile($0) }
                    guard foreign.isEmpty else {
                        throw ResultFolderError.malformed(
                            folder,
                            "holds files that are not a calibration's (\(ResultFolder.someNames(foreign))); --force replaces a calibration's files only: choose another folder"
                        )
                    }
                    for name in names where Self.isOutputFile(name) {
                        try? fm.removeItem(atPath: folder + "/" + name)
                    }
                }
            } catch { throw .folder(error) }
        }
        let me = self
        let replicates = file.replicates
        let save: (ABCSMC.Generation) throws(CalibrationError) -> Void = { g in
            state.generations.append(g)
            try Self.save(state, to: folder)
            generationDone(g)
        }
        let given = fromCandidates ? CandidateDistances(folder: folder, digest: file.digest) : nil
        let outcome = try sampler.run(
            resumingAfter: state.generations, threads: threads,
            evaluate: { candidate, epsilon in
                if let given { return given.distance(candidate, epsilon: epsilon) }
                return (try? me.distance(candidate.theta, seed: candidate.seed, replicates: replicates, within: epsilon)) ?? .infinity
            }, finished: save, progress: progress)
        if let failure = given?.failure { throw failure }
        if let pending = outcome.pending {
            try writeNeeded(pending, after: outcome.generations, folder: folder)
            return (state, pending)
        }
        state.stop = outcome.stop
        try Self.save(state, to: folder)
        return (state, nil)
    }

    /// The largest state file read back (every generation's particles, weights and distances:
    /// far below this for any calibration that fits in memory).
    static let stateLimit = 1 << 30

    /// The state saved in `folder`, checked as a resume checks it; nil when there is none.
    func savedState(folder: String) throws(CalibrationError) -> State? {
        let statePath = folder + "/" + Self.stateFile
        guard FileManager.default.fileExists(atPath: statePath) else { return nil }
        let text: String
        do throws(InputFile.Problem) { text = try InputFile.text(statePath, limit: Self.stateLimit) } catch {
            throw .damagedState(statePath, "\(error)")
        }
        guard let saved = try? Self.decoder.decode(State.self, from: Data(text.utf8)) else {
            throw .damagedState(statePath, "not a calibration state (unreadable JSON, or JSON of another shape)")
        }
        guard saved.digest == file.digest || file.earlierDigests.contains(saved.digest) else {
            throw .otherCalibration(folder: folder, found: saved.digest, expected: file.digest)
        }
        if let why = problem(with: saved) { throw .damagedState(statePath, why) }
        return saved
    }

    /// `candidates/needed`: "GENERATION FROM COUNT", COUNT being how many more candidates the
    /// generation will probably need (the particles still missing over the expected acceptance,
    /// with half as many again): a suggestion for the next array job, not a promise.
    func writeNeeded(_ pending: ABCSMC.Pending, after done: [ABCSMC.Generation], folder: String) throws(CalibrationError) {
        let n = file.settings.particles
        let rate = pending.generation == 0 ? 1 : pending.generation == 1 ? file.settings.quantile : max(done.last?.acceptance ?? 1, 0.01)
        let room = max(1, file.settings.maximumSimulations - pending.candidate)
        let count = min(room, max(1, Int((Double(n - pending.accepted) / max(rate, 0.01) * 1.5).rounded(.up))))
        do throws(ResultFolderError) {
            let dir = folder + "/" + CandidateFiles.folderName
            try ResultFolder.prepare(dir, force: true, room: 0)
            try ResultFolder.write("\(pending.generation) \(pending.candidate) \(count)\n", to: dir, name: CandidateFiles.neededName)
        } catch { throw .folder(error) }
    }

    /// Creates `folder` if need be and claims it: a second calibration on the same folder is
    /// refused while this one runs (it would overwrite the state between generations). A
    /// candidate task (`--candidates`) shares its claim with the other tasks of its job, but
    /// not with the calibration's driver or a run, which would rewrite the state it reads.
    public static func claim(folder: String, candidateTask: Bool = false) throws(CalibrationError) -> FolderLock {
        do throws(ResultFolderError) {
            return try FolderLock.claim(folder, holder: candidateTask ? "calibration task" : "calibration", shared: candidateTask)
        } catch { throw .folder(error) }
    }

    static func save(_ state: State, to folder: String) throws(CalibrationError) {
        var state = state
        state.checksum = checksum(state)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = floatStrings
        guard let data = try? encoder.encode(state) else { throw .damagedState(folder, "cannot encode the state") }
        do throws(ResultFolderError) { try ResultFolder.write(String(decoding: data, as: UTF8.self), to: folder, name: stateFile) } catch {
            throw .folder(error)
        }
    }

    /// Whether `name` is a file a calibration writes (its state, its outputs, per-site outputs
    /// and charts): what --force clears, and nothing else.
    static func isOutputFile(_ name: String) -> Bool {
        if name == stateFile || name == CandidateFiles.folderName || outputFiles.contains(name) { return true }
        let stems = ["posterior-sample-", "posterior-sweep-", "calibrated-", "predictive-"]
        let extensions = [".csv", ".yaml", ".svg"]
        return stems.contains { name.hasPrefix($0) } && extensions.contains { name.hasSuffix($0) }
    }

    /// Files a finished calibration writes beside its state.
    public static let outputFiles = [
        "posterior.csv", "posterior-sample.csv", "posterior-sweep.yaml", "predictive.csv",
        "diagnostics.csv", "calibrated.yaml", "report.md", "calibration.json",
    ]
}

extension Calibration {
    /// What makes the priors unworkable, found before any generation runs (`--check` says it
    /// too): a box whose upper ends need more memory or tie ends than a simulation may have,
    /// or priors of which not one of `samples` draws passes the scenario checks (every
    /// candidate would be refused, generation after generation). Nil when neither holds.
    public func priorProblem(samples: Int = 200) -> String? {
        let upper = file.parameters.map(\.prior.to)
        for site in file.sites.indices {
            do throws(CalibrationError) { _ = try scenario(at: upper, site: site) } catch {
                if case .model(let why) = error, why.contains("population.persons") || why.contains("influence.mean_degree") {
                    return "at the upper ends of the priors, \(why)"
                }
            }
        }
        let stream = RandomStream(seed: file.settings.seed, stream: 0x5052_494F_5253)  // "PRIORS"
        var first: String? = nil
        for _ in 0..<samples {
            let theta = file.parameters.map { p -> Double in
                let (lo, hi) = p.prior.internalBounds
                return p.prior.value(internal: lo + stream.uniform() * (hi - lo))
            }
            var refused = false
            for site in file.sites.indices {
                do throws(CalibrationError) { _ = try scenario(at: theta, site: site) } catch {
                    refused = true
                    if first == nil, case .model(let why) = error { first = why }
                    break
                }
            }
            if !refused { return nil }
        }
        return "not one of \(samples) draws from the priors passes the scenario checks, so every candidate would be refused; the first: \(first ?? "?")"
    }
}
