import Dispatch
import Foundation
import Stochastic
import TransitionModel

/// One parameter's posterior: weighted quantiles of the last generation, with its prior.
public struct PosteriorSummary: Sendable, Equatable {
    public var path: String
    public var prior: Prior
    public var p5: Double, median: Double, p95: Double
    /// The posterior's 90% interval width as a share of the prior's: near 1, the data say
    /// little about this parameter.
    public var widthShare: Double
    /// The posterior weight within 5% of the prior's width (in its internal coordinates: log
    /// for a log-uniform prior) of either end: a flat posterior puts 0.10 there.
    public var massNearBounds: Double = 0
    /// Whether the posterior piles against a bound of its prior (more than twice the weight a
    /// flat posterior puts near the bounds): the prior, not the data, then decides it.
    public var pilesAgainstBound: Bool { massNearBounds > 2 * 0.10 }
}

/// The posterior predictive at one observed point: quantiles of what the data would show
/// (model run at posterior draws, plus measurement error).
public struct PredictivePoint: Sendable, Equatable {
    public var point: ObservedPoint
    public var p5: Double, p50: Double, p95: Double
    /// Whether the observed value is a bound rather than a measurement.
    public var bound: ObservationModel.Bound = .none
    /// A measurement: the observed value lies in the 5–95% band. A bound: the predictive median
    /// lies on its allowed side (most draws respect it).
    public var inside: Bool {
        switch bound {
        case .none: return point.value >= p5 && point.value <= p95
        case .upper: return p50 <= point.value
        case .lower: return p50 >= point.value
        }
    }
}

extension Calibration {
    /// Posterior summaries of a generation.
    public func summaries(_ g: ABCSMC.Generation) -> [PosteriorSummary] {
        file.parameters.indices.map { d in
            let xs = g.particles.map { $0[d] }
            let p = file.parameters[d]
            let lo = weightedQuantile(xs, g.weights, 0.05), hi = weightedQuantile(xs, g.weights, 0.95)
            let (a, b) = p.prior.internalBounds
            let near = zip(xs, g.weights).reduce(0.0) { sum, pair in
                let z = p.prior.internalValue(pair.0)
                return sum + (z - a <= 0.05 * (b - a) || b - z <= 0.05 * (b - a) ? pair.1 : 0)
            }
            return PosteriorSummary(
                path: p.path, prior: p.prior, p5: lo, median: weightedQuantile(xs, g.weights, 0.5), p95: hi,
                widthShare: (p.prior.internalValue(hi) - p.prior.internalValue(lo)) / (b - a),
                massNearBounds: near / max(g.weights.reduce(0, +), .leastNonzeroMagnitude))
        }
    }

    /// `count` particle indices drawn by weight with systematic resampling (equal-weight sample).
    public func resample(_ g: ABCSMC.Generation, count: Int) -> [Int] {
        guard count > 0 else { return [] }
        let stream = RandomStream(kind: .taus2, seed: file.settings.seed, stream: StreamID.posteriorSample)
        let u0 = stream.uniform() / Double(count)
        var out: [Int] = [], cumulative = 0.0, j = 0
        for k in 0..<count {
            let u = u0 + Double(k) / Double(count)
            while j < g.weights.count - 1 && cumulative + g.weights[j] < u { cumulative += g.weights[j]; j += 1 }
            out.append(j)
        }
        return out
    }

    /// The posterior predictive: `draws` resampled particles each run once (seeds of their
    /// own), with the measurement error of each point added, on `threads` threads.
    public func predictive(_ g: ABCSMC.Generation, draws: Int, threads: Int) throws(CalibrationError) -> [PredictivePoint] {
        let points = file.points
        guard draws > 0 else { return [] }
        let chosen = resample(g, count: draws)
        let slots = ResultSlots<[Double]>(count: draws)
        let next = TicketCounter()
        let me = self
        let models = file.pointModels
        DispatchQueue.concurrentPerform(iterations: max(1, min(threads, draws))) { _ in
            while let k = next.take(below: draws) {
                let seed = SeedMixing.childSeed(master: me.file.settings.seed ^ 0x5052_4544_4943_5421, index: UInt64(k))
                do throws(CalibrationError) {
                    var values = try me.predictions(g.particles[chosen[k]], seed: seed, replicates: 1)
                    let noise = RandomStream(kind: .taus2, seed: seed, stream: StreamID.syntheticNoise)
                    // Observed figures are never negative: the error is cut at 0.
                    for i in values.indices where models[i].bound == .none {
                        values[i] = max(0, values[i] + noise.gaussian(sd: models[i].sigma(points[i].value)))
                    }
                    slots.store(k, .success(values))
                } catch { slots.store(k, .failure(ModelError.invalidParameter(error.description))) }
            }
        }
        var runs: [[Double]] = []
        for slot in slots.all() {
            switch slot {
            case .success(let v)?: runs.append(v)
            case .failure(let e)?: throw .model(String(describing: e))
            case nil: preconditionFailure("every predictive slot is filled once the loop ends")
            }
        }
        let equal = Array(repeating: 1.0, count: runs.count)
        return points.indices.map { i in
            let xs = runs.map { $0[i] }
            return PredictivePoint(
                point: points[i], p5: weightedQuantile(xs, equal, 0.05),
                p50: weightedQuantile(xs, equal, 0.5), p95: weightedQuantile(xs, equal, 0.95), bound: models[i].bound)
        }
    }

    /// Synthetic data: what the observation model would record for the model at `truth`
    /// (one run, measurement error added), in place of the file's observed values. Used to
    /// check that a calibration recovers known parameters.
    public func synthetic(truth: [Double], seed: UInt64) throws(CalibrationError) -> CalibrationFile {
        var values = try predictions(truth, seed: seed, replicates: 1)
        let noise = RandomStream(kind: .taus2, seed: seed, stream: StreamID.predictiveNoise)
        var f = file
        var i = 0
        for s in f.series.indices {
            for p in f.series[s].points.indices {
                if f.series[s].model.bound == .none {
                    values[i] += noise.gaussian(sd: f.series[s].model.sigma(values[i]))
                }
                f.series[s].points[p].value = max(0, values[i])
                f.series[s].points[p].source = "synthetic: the model at known parameters"
                i += 1
            }
        }
        let synthetic = "synthetic" + values.map { String($0) }.joined(separator: ",")
        f.digest = ScenarioLoader.sha256(f.digest + synthetic)
        f.earlierDigests = f.earlierDigests.map { ScenarioLoader.sha256($0 + synthetic) }
        return f
    }

    // MARK: files

    public func posteriorCSV(_ g: ABCSMC.Generation) -> String {
        var out = (["particle"] + file.parameters.map(\.path) + ["weight", "distance"]).map(csvQuoted).joined(separator: ",") + "\n"
        for (k, theta) in g.particles.enumerated() {
            out += (["\(k + 1)"] + theta.map(format) + [String(g.weights[k]), String(g.distances[k])]).joined(separator: ",") + "\n"
        }
        return out
    }

    /// An equal-weight posterior sample of the parameters of site `site`, whose header is key
    /// paths: a sweep's `design: csv`.
    public func posteriorSampleCSV(_ g: ABCSMC.Generation, count: Int, site: Int = 0) -> String {
        var out = file.parameters.indices.filter { file.parameterSites[$0].contains(site) }.map { file.parameterKeys[$0] }
            .joined(separator: ",") + "\n"
        for j in resample(g, count: count) {
            out += overrides(g.particles[j], site: site).map { String($0.split(separator: "=", maxSplits: 1)[1]) }
                .joined(separator: ",") + "\n"
        }
        return out
    }

    /// The name of an output file of site `site`: `stem.ext` for a file without sites,
    /// `stem-SITE.ext` with them.
    public func siteFileName(_ stem: String, _ ext: String, site: Int) -> String {
        file.isMultiSite ? "\(stem)-\(file.sites[site].name).\(ext)" : "\(stem).\(ext)"
    }

    public func diagnosticsCSV(_ generations: [ABCSMC.Generation]) -> String {
        var out = "generation,epsilon,simulations,accepted,acceptance,effective_sample_size,seconds\n"
        for g in generations {
            out +=
                "\(g.index),\(g.epsilon.isInfinite ? "inf" : String(g.epsilon)),\(g.simulations),\(g.particles.count),"
                + "\(String(format: "%.4f", g.acceptance)),\(String(format: "%.1f", g.effectiveSampleSize)),\(String(format: "%.1f", g.seconds))\n"
        }
        return out
    }

    public func predictiveCSV(_ points: [PredictivePoint]) -> String {
        var out = "series,date,month,observed,held_out,p5,p50,p95,inside\n"
        for p in points {
            out +=
                [
                    csvQuoted(p.point.series), p.point.date, String(p.point.month), format(p.point.value), String(p.point.heldOut),
                    formatValue(p.p5, count: false), formatValue(p.p50, count: false), formatValue(p.p95, count: false),
                    String(p.inside),
                ].joined(separator: ",") + "\n"
        }
        return out
    }

    /// The base scenario of site `site` at the posterior medians, resolved (runs anywhere with `run`).
    public func calibratedYAML(_ summaries: [PosteriorSummary], site: Int = 0) throws(CalibrationError) -> String {
        var s = try scenario(at: summaries.map(\.median), site: site)
        let siteName = file.sites[site].name
        let label = file.name + (file.isMultiSite ? "-\(siteName)" : "")
        if let named = try? ScenarioLoader.defaults(overrides: ["name=\(label)-calibrated"]) { s.name = named.scenario.name }
        var head = "# \(label), calibrated: the posterior medians of `parecon-sim calibrate \(file.path)`\n"
        for (d, p) in summaries.enumerated() where file.parameterSites[d].contains(site) {
            head +=
                "#   \(p.path) = \(String(format: "%.3g", p.median))  (90% interval \(String(format: "%.3g", p.p5))–\(String(format: "%.3g", p.p95)))\n"
        }
        return head + ScenarioLoader.render(s)
    }

    /// A sweep file over the posterior sample of site `site`, for `compare --uncertainty`.
    public func posteriorSweepYAML(samples: Int, site: Int = 0) -> String {
        """
        # The posterior of \(file.name)\(file.isMultiSite ? " (site \(file.sites[site].name))" : "") as a sweep design: `parecon-sim compare PATHS… --uncertainty \(siteFileName("posterior-sweep", "yaml", site: site))`
        # runs every path in the calibrated economy (the path file's own settings over it) at every posterior draw.
        sweep:
          base: \(siteFileName("calibrated", "yaml", site: site))
          design: csv
          design_file: \(siteFileName("posterior-sample", "csv", site: site))
          replicates: 1
          seed: \(file.settings.seed)

        """
    }
}
