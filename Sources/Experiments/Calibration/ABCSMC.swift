import Dispatch
import Foundation
import Stochastic

/// A prior over one calibrated parameter.
public struct Prior: Sendable, Equatable, Codable {
    public enum Shape: String, Sendable, Codable, CaseIterable {
        /// Uniform on [from, to].
        case uniform
        /// Uniform in log on [from, to] (from > 0): every order of magnitude equally likely.
        case logUniform = "log-uniform"
    }
    public var shape: Shape
    public var from: Double
    public var to: Double

    public init(_ shape: Shape, from: Double, to: Double) {
        precondition(from < to, "a prior needs from < to")
        precondition(shape == .uniform || from > 0, "a log-uniform prior needs from > 0")
        self.shape = shape; self.from = from; self.to = to
    }

    /// The sampler works in internal coordinates in which every prior is uniform: the value
    /// itself, or its logarithm.
    func internalValue(_ x: Double) -> Double { shape == .logUniform ? log(x) : x }
    func value(internal z: Double) -> Double { shape == .logUniform ? exp(z) : z }
    var internalBounds: (lo: Double, hi: Double) { (internalValue(from), internalValue(to)) }
}

/// Approximate Bayesian computation by sequential Monte Carlo (population Monte Carlo ABC:
/// Beaumont et al. 2009; Toni et al. 2009).
///
/// Generation 0 draws `particles` parameter vectors from the prior. Each later generation sets
/// its tolerance ε to the `quantile` of the previous generation's distances, proposes by
/// picking a previous particle by weight and moving it with a Gaussian kernel (twice the
/// weighted variance per parameter, in internal coordinates), simulates, and keeps proposals
/// whose distance is at most ε, weighted by prior / mixture-of-kernels. Candidates are numbered
/// and each draws from its own random stream and simulation seed, evaluated in parallel batches
/// and accepted in number order: the result is identical for any thread count.
public struct ABCSMC: Sendable {
    public struct Settings: Sendable, Equatable, Codable {
        public var particles = 100
        public var generations = 5
        public var quantile = 0.5
        public var seed: UInt64 = 1
        /// Stop when a generation accepts fewer than this share of its simulations.
        public var minimumAcceptance = 0.01
        /// Largest number of simulations one generation may use (it then stops, keeping the last
        /// complete generation).
        public var maximumSimulations = 100_000
        /// How a proposal is kept inside the priors' box.
        public var kernel = Kernel.rejection
        /// The shape of the Gaussian that moves a particle.
        public var covariance = Covariance.diagonal
        public init() {}
    }

    /// The shape of the Gaussian that moves a picked particle (in internal coordinates).
    public enum Covariance: String, Sendable, Codable, CaseIterable {
        /// Each parameter on its own: twice its weighted variance (Beaumont et al. 2009).
        case diagonal
        /// Twice the weighted covariance matrix of the previous population (the multivariate
        /// normal kernel of Filippi et al. 2013): moves along a ridge of correlated parameters
        /// instead of across it.
        case full
    }

    /// How a moved particle is kept inside its priors.
    public enum Kernel: String, Sendable, Codable, CaseIterable {
        /// Redraw (a new particle and a new move) until every coordinate lies inside its prior,
        /// at most ``ABCSMC/maximumRedraws`` times; a candidate that never does is rejected
        /// unsimulated. Its chance falls geometrically with the number of parameters: for a few.
        case rejection
        /// Move each coordinate by a Gaussian truncated to its prior (drawn by inverse CDF), with
        /// weights that divide each kernel by its mass inside the box: one draw, any number of
        /// parameters.
        case truncated
    }

    /// Redraws a rejection kernel tries before it gives a candidate up.
    public static let maximumRedraws = 10_000

    /// One population: parameter vectors (natural scale), normalised weights, distances.
    public struct Generation: Sendable, Equatable, Codable {
        public var index: Int
        /// The tolerance the particles met (∞ for generation 0).
        public var epsilon: Double
        public var simulations: Int
        public var particles: [[Double]]
        public var weights: [Double]
        public var distances: [Double]
        public var seconds: Double

        public var acceptance: Double { Double(particles.count) / Double(max(simulations, 1)) }
        /// Kish's effective sample size 1 / Σw².
        public var effectiveSampleSize: Double { 1 / weights.reduce(0) { $0 + $1 * $1 } }
    }

    /// Why the sampler stopped.
    public enum Stop: String, Sendable, Codable {
        case generations = "all generations done"
        case acceptance = "acceptance fell below the minimum"
        case budget = "a generation would need more than the simulation budget"
        case tolerance = "the tolerance stopped falling"
    }

    public var priors: [Prior]
    public var settings: Settings

    public init(priors: [Prior], settings: Settings) {
        precondition(!priors.isEmpty, "ABC-SMC needs at least one parameter")
        precondition(settings.particles >= 2, "ABC-SMC needs at least two particles")
        self.priors = priors; self.settings = settings
    }

    /// Runs generations after `done` (a resumed run passes its finished generations) until a
    /// stopping rule holds. `distance(θ, seed)` simulates and measures; `finished` is called
    /// after each generation (to save it) and may throw to abandon the run.
    public func run<Failure: Error>(
        resumingAfter done: [Generation] = [], threads: Int,
        distance: @escaping @Sendable (_ theta: [Double], _ seed: UInt64) -> Double,
        finished: (Generation) throws(Failure) -> Void,
        progress: @escaping @Sendable (_ generation: Int, _ accepted: Int, _ simulations: Int) -> Void = { _, _, _ in }
    ) throws(Failure) -> (generations: [Generation], stop: Stop) {
        try run(
            resumingAfter: done, threads: threads, distanceWithin: { theta, seed, _ in distance(theta, seed) }, finished: finished,
            progress: progress)
    }

    /// As `run(resumingAfter:threads:distance:finished:progress:)`, with the generation's
    /// tolerance given to `distanceWithin(θ, seed, ε)`: a simulation may stop as soon as its
    /// distance is sure to exceed ε and return any value above it (the candidate is rejected
    /// either way, and rejected distances are never used), which leaves the posterior unchanged.
    public func run<Failure: Error>(
        resumingAfter done: [Generation] = [], threads: Int,
        distanceWithin: @escaping @Sendable (_ theta: [Double], _ seed: UInt64, _ epsilon: Double) -> Double,
        finished: (Generation) throws(Failure) -> Void,
        progress: @escaping @Sendable (_ generation: Int, _ accepted: Int, _ simulations: Int) -> Void = { _, _, _ in }
    ) throws(Failure) -> (generations: [Generation], stop: Stop) {
        let outcome = try run(
            resumingAfter: done, threads: threads, evaluate: { candidate, epsilon in distanceWithin(candidate.theta, candidate.seed, epsilon) },
            finished: finished, progress: progress)
        guard let stop = outcome.stop else { preconditionFailure("a sampler whose every distance is given never waits for one") }
        return (outcome.generations, stop)
    }

    /// A numbered candidate of a generation: its parameter vector (natural scale) and the seed
    /// of its simulation. The same numbers give the same candidates wherever they are computed.
    public struct Candidate: Sendable, Equatable {
        public var generation: Int
        public var number: Int
        public var theta: [Double]
        public var seed: UInt64
    }

    /// Where a run that was given distances from elsewhere (a cluster's) stopped for want of one.
    public struct Pending: Sendable, Equatable {
        public var generation: Int
        /// The first candidate whose distance is needed and was not given.
        public var candidate: Int
        /// Particles the generation had accepted before it.
        public var accepted: Int
    }

    /// What a run came to: the generations made, and either why it stopped or the candidate it waits for.
    public struct Outcome: Sendable {
        public var generations: [Generation]
        public var stop: Stop?
        public var pending: Pending?
    }

    /// The general run: `evaluate(candidate, ε)` gives a candidate's distance, or nil when it is
    /// not available yet (its simulation runs elsewhere). The run then ends at the first
    /// candidate it needs that has none, after saving every finished generation, and says which
    /// (``Outcome/pending``); given that candidate and those after it, a later run continues to
    /// exactly the posterior a run with every distance at hand makes.
    public func run<Failure: Error>(
        resumingAfter done: [Generation] = [], threads: Int,
        evaluate: @escaping @Sendable (_ candidate: Candidate, _ epsilon: Double) -> Double?,
        finished: (Generation) throws(Failure) -> Void,
        progress: @escaping @Sendable (_ generation: Int, _ accepted: Int, _ simulations: Int) -> Void = { _, _, _ in }
    ) throws(Failure) -> Outcome {
        var all = done
        while all.count < settings.generations {
            let g = all.count
            let started = Date()
            let (epsilon, stop) = tolerance(after: all)
            if let stop { return Outcome(generations: all, stop: stop) }
            switch generation(g, epsilon: epsilon, previous: all.last, threads: threads, evaluate: evaluate, progress: progress) {
            case .budget: return Outcome(generations: all, stop: .budget)
            case .pending(let pending): return Outcome(generations: all, pending: pending)
            case .done(var made):
                made.seconds = Date().timeIntervalSince(started)
                try finished(made)
                all.append(made)
                if g > 0 && made.acceptance < settings.minimumAcceptance { return Outcome(generations: all, stop: .acceptance) }
            }
        }
        return Outcome(generations: all, stop: .generations)
    }

    /// The tolerance of the generation after `done` (∞ for generation 0), or why there is none
    /// (the tolerance stopped falling).
    public func tolerance(after done: [Generation]) -> (epsilon: Double, stop: Stop?) {
        guard let previous = done.last else { return (.infinity, nil) }
        let epsilon = weightedQuantile(previous.distances, previous.weights, settings.quantile)
        return (epsilon, done.count > 1 && epsilon >= previous.epsilon ? .tolerance : nil)
    }

    /// Candidates `numbers` of the generation after `done`, as any run would propose them;
    /// a candidate the rejection kernel could not place inside the priors is left out (it is
    /// rejected unsimulated).
    public func candidates(_ numbers: Range<Int>, after done: [Generation]) -> [Candidate] {
        let g = done.count, previous = done.last
        let kernel = previous.map(move(from:))
        return numbers.compactMap { k in
            propose(generation: g, candidate: k, previous: previous, kernel: kernel).natural.map {
                Candidate(generation: g, number: k, theta: $0, seed: simulationSeed(generation: g, candidate: k))
            }
        }
    }

    /// The seed of the simulation behind candidate `k` of generation `g`.
    public func simulationSeed(generation g: Int, candidate k: Int) -> UInt64 {
        SeedMixing.childSeed(master: settings.seed, index: UInt64(g) << 32 | UInt64(k))
    }

    private enum GenerationOutcome {
        case done(Generation), budget, pending(Pending)
    }

    private func generation(
        _ g: Int, epsilon: Double, previous: Generation?, threads: Int,
        evaluate: @escaping @Sendable (Candidate, Double) -> Double?,
        progress: @escaping @Sendable (Int, Int, Int) -> Void
    ) -> GenerationOutcome {
        let n = settings.particles
        let kernel = previous.map(move(from:))
        var particles: [[Double]] = [], distances: [Double] = [], internals: [[Double]] = []
        var simulated = 0
        let batch = max(n, 4 * threads)
        while particles.count < n {
            if simulated >= settings.maximumSimulations { return .budget }
            let start = simulated, count = min(batch, settings.maximumSimulations - simulated)
            let proposals = (0..<count).map { propose(generation: g, candidate: start + $0, previous: previous, kernel: kernel) }
            let slots = ResultSlots<Double?>(count: count)
            let next = TicketCounter()
            let seeds = (0..<count).map { simulationSeed(generation: g, candidate: start + $0) }
            let thetas = proposals.map(\.natural)
            DispatchQueue.concurrentPerform(iterations: max(1, min(threads, count))) { _ in
                while let i = next.take(below: count) {
                    guard let theta = thetas[i] else { slots.store(i, .success(.infinity)); continue }
                    let d = evaluate(Candidate(generation: g, number: start + i, theta: theta, seed: seeds[i]), epsilon)
                    slots.store(i, .success(d.map { $0.isNaN ? .infinity : $0 }))
                }
            }
            let results = slots.all().map { slot -> Double? in if case .success(let d)? = slot { d } else { .infinity } }
            // A candidate the rejection kernel could not place inside the priors was not simulated: it counts, rejected.
            for i in 0..<count where particles.count < n {
                guard let d = results[i] else { return .pending(Pending(generation: g, candidate: start + i, accepted: particles.count)) }
                simulated += 1
                if let natural = proposals[i].natural, let z = proposals[i].internal, d <= epsilon || previous == nil {
                    particles.append(natural); internals.append(z)
                    distances.append(d)
                }
            }
            progress(g, particles.count, simulated)
        }
        var weights: [Double]
        if let previous, let kernel, let f = kernel.factor {
            // prior ÷ Σ_j w_j N(z; z_j, Σ): the priors are flat in internal coordinates, and
            // N's normaliser is common to every term (one Σ for all).
            let previousInternal = internalValues(of: previous)
            // A truncated kernel's density is also divided by the mass its sequential draw
            // found inside the box, coordinate by coordinate (which depends on z as well).
            let bounds = priors.map(\.internalBounds), truncated = settings.kernel == .truncated
            let exponents = internals.map { z in
                previousInternal.indices.map { j -> Double in
                    let u = f.solve(z.indices.map { z[$0] - previousInternal[j][$0] })
                    let mass = truncated ? f.logSequentialMass(around: previousInternal[j], step: u, bounds: bounds) : 0
                    return -0.5 * u.reduce(0) { $0 + $1 * $1 } - mass
                }
            }
            // In logs, each mixture about its own largest term, then scaled by the largest
            // weight: no mixture underflows to zero (and no weight to ∞) whatever the spread.
            let logWeights = exponents.map { e -> Double in
                let top = zip(e, previous.weights).filter { $0.1 > 0 }.map(\.0).max() ?? 0
                var mixture = 0.0
                for (j, x) in e.enumerated() { mixture += previous.weights[j] * exp(x - top) }
                return -(top + log(mixture))
            }
            let largest = logWeights.filter(\.isFinite).max() ?? 0
            weights = logWeights.map { $0.isFinite ? exp($0 - largest) : 0 }
        } else if let previous, let kernel = kernel?.scales {
            let previousInternal = internalValues(of: previous)
            // A truncated kernel's density is divided by its mass inside the box, which depends
            // on the particle it moves (in logs: a product over many coordinates underflows).
            let logMass = previousInternal.map { zj in
                settings.kernel == .rejection ? 0 : zj.indices.reduce(0.0) { $0 + log(max(boxMass(zj[$1], kernel[$1], $1), 1e-300)) }
            }
            let exponents = internals.map { z in
                previousInternal.indices.map { j -> Double in
                    var exponent = 0.0
                    for d in z.indices { let u = (z[d] - previousInternal[j][d]) / kernel[d]; exponent += u * u }
                    return -0.5 * exponent - logMass[j]
                }
            }
            // Weights are relative: with a truncated kernel every mixture is scaled by one common
            // factor so that none underflows (the rejection kernel keeps its arithmetic as it was).
            let top = settings.kernel == .rejection ? 0 : exponents.flatMap { $0 }.max() ?? 0
            weights = exponents.map { e in
                var mixture = 0.0
                for (j, x) in e.enumerated() { mixture += previous.weights[j] * exp(x - top) }
                return mixture > 0 ? 1 / mixture : 0
            }
        } else {
            weights = Array(repeating: 1, count: particles.count)
        }
        let total = weights.reduce(0, +)
        weights = total > 0 ? weights.map { $0 / total } : Array(repeating: 1 / Double(weights.count), count: weights.count)
        return .done(
            Generation(
                index: g, epsilon: epsilon, simulations: simulated, particles: particles,
                weights: weights, distances: distances, seconds: 0))
    }

    /// How a generation moves the particles it picks: per-parameter standard deviations
    /// (diagonal), or the Cholesky factor of twice the weighted covariance (full).
    struct Move: Sendable {
        var scales: [Double]
        var factor: CholeskyFactor?
    }

    /// Every particle of `generation` in internal coordinates (where the priors are flat and
    /// the kernel moves).
    func internalValues(of generation: Generation) -> [[Double]] {
        generation.particles.map { internalValues(of: $0) }
    }

    /// One particle in internal coordinates.
    func internalValues(of particle: [Double]) -> [Double] {
        particle.enumerated().map { priors[$0.offset].internalValue($0.element) }
    }

    /// The move of the generation after `previous`.
    func move(from previous: Generation) -> Move {
        let scales = kernelScales(previous)
        guard settings.covariance == .full else { return Move(scales: scales) }
        let z = internalValues(of: previous)
        let d = priors.count
        let mean = (0..<d).map { a in z.indices.reduce(0) { $0 + previous.weights[$1] * z[$1][a] } }
        var matrix = [Double](repeating: 0, count: d * d)
        for (k, w) in previous.weights.enumerated() {
            for a in 0..<d {
                for b in 0...a { matrix[a * d + b] += 2 * w * (z[k][a] - mean[a]) * (z[k][b] - mean[b]) }
            }
        }
        // Never degenerate: at least the diagonal kernel's floor on each variance.
        for a in 0..<d {
            let b = priors[a].internalBounds, floor = 1e-6 * (b.hi - b.lo)
            matrix[a * d + a] = max(matrix[a * d + a], floor * floor)
        }
        return Move(scales: scales, factor: CholeskyFactor(symmetric: matrix, dimension: d))
    }

    /// Kernel standard deviations: √(2 · weighted variance) per parameter, in internal
    /// coordinates (never zero: at least 1e-6 of the prior's width).
    func kernelScales(_ previous: Generation) -> [Double] {
        priors.indices.map { d in
            let z = previous.particles.map { priors[d].internalValue($0[d]) }
            let mean = zip(z, previous.weights).reduce(0) { $0 + $1.0 * $1.1 }
            let variance = zip(z, previous.weights).reduce(0) { $0 + $1.1 * ($1.0 - mean) * ($1.0 - mean) }
            let width = priors[d].internalBounds.hi - priors[d].internalBounds.lo
            return max((2 * variance).squareRoot(), 1e-6 * width)
        }
    }

    /// The mass inside coordinate `d`'s prior of a Gaussian of standard deviation `sd` at `z`.
    func boxMass(_ z: Double, _ sd: Double, _ d: Int) -> Double {
        let (lo, hi) = priors[d].internalBounds
        return StandardNormal.cdf((hi - z) / sd) - StandardNormal.cdf((lo - z) / sd)
    }

    /// A candidate: a parameter vector (natural and internal coordinates), or nil when the
    /// rejection kernel found none inside the priors in ``maximumRedraws`` tries.
    private func propose(
        generation g: Int, candidate k: Int, previous: Generation?, kernel move: Move?
    )
        -> (natural: [Double]?, internal: [Double]?)
    {
        let stream = RandomStream(kind: .taus2, seed: settings.seed, stream: StreamID.abcCandidate(generation: g, candidate: k))
        let bounds = priors.map(\.internalBounds)
        guard let previous, let move else {
            let z = bounds.map { $0.lo + stream.uniform() * ($0.hi - $0.lo) }
            return (zip(priors, z).map { $0.value(internal: $1) }, z)
        }
        for _ in 0..<Self.maximumRedraws {
            var u = stream.uniform(), j = 0
            while j < previous.weights.count - 1 && u >= previous.weights[j] { u -= previous.weights[j]; j += 1 }
            let base = internalValues(of: previous.particles[j])
            let kernel = move.scales
            if let f = move.factor {
                if settings.kernel == .truncated {
                    let z = f.truncatedStep(from: base, bounds: bounds) { stream.uniform() }
                    return (zip(priors, z).map { $0.value(internal: $1) }, z)
                }
                let step = f.times(base.indices.map { _ in stream.gaussian(sd: 1) })
                let z = base.indices.map { base[$0] + step[$0] }
                if z.indices.allSatisfy({ z[$0] >= bounds[$0].lo && z[$0] <= bounds[$0].hi }) {
                    return (zip(priors, z).map { $0.value(internal: $1) }, z)
                }
                continue
            }
            switch settings.kernel {
            case .rejection:
                let z = base.indices.map { base[$0] + stream.gaussian(sd: kernel[$0]) }
                if z.indices.allSatisfy({ z[$0] >= bounds[$0].lo && z[$0] <= bounds[$0].hi }) {
                    return (zip(priors, z).map { $0.value(internal: $1) }, z)
                }
            case .truncated:
                let z = base.indices.map { d -> Double in
                    let a = StandardNormal.cdf((bounds[d].lo - base[d]) / kernel[d])
                    let b = StandardNormal.cdf((bounds[d].hi - base[d]) / kernel[d])
                    let p = min(max(a + stream.uniform() * (b - a), 1e-300), 1 - 1e-16)
                    return min(max(base[d] + kernel[d] * StandardNormal.quantile(p), bounds[d].lo), bounds[d].hi)
                }
                return (zip(priors, z).map { $0.value(internal: $1) }, z)
            }
        }
        return (nil, nil)
    }
}

/// The `q` quantile of values with weights (the smallest value whose cumulative weight reaches q).
public func weightedQuantile(_ values: [Double], _ weights: [Double], _ q: Double) -> Double {
    precondition(values.count == weights.count && !values.isEmpty, "weighted quantile needs one weight per value")
    let order = values.indices.sorted { values[$0] < values[$1] }
    let total = weights.reduce(0, +)
    var cumulative = 0.0
    for i in order {
        cumulative += weights[i] / total
        if cumulative >= q - 1e-12 { return values[i] }
    }
    return values[order.last!]
}
