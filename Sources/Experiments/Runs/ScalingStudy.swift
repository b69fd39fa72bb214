import Dispatch
import TransitionModel

/// How one run's time falls with threads, phase by phase, and what Amdahl's law then says of
/// machines with more cores.
///
/// The same scenario and seed run once per thread count (identical results are required, and
/// checked); the serial share s of T(p) = T(1)·(s + (1 − s)/p) is fitted to the measured times
/// by least squares. The fitted s counts everything that does not speed up — code that is
/// serial by design and loops held back by memory bandwidth alike — so it describes this
/// machine: one with more bandwidth per core can beat the projection.
public struct ScalingStudy: Sendable, Equatable {
    /// One thread count's run: its wall-clock time (the run, without set-up) and each phase's.
    public struct Measurement: Sendable, Equatable {
        public var threads: Int
        public var seconds: Double
        public var phases: [String: Double]

        public init(threads: Int, seconds: Double, phases: [String: Double]) {
            self.threads = threads; self.seconds = seconds; self.phases = phases
        }
    }

    /// The measurements, by thread count; the first is the single-thread run.
    public let measurements: [Measurement]
    /// Whether every thread count gave the same results (it must: chunks and streams are fixed).
    public let identicalResults: Bool

    /// A study of `measurements`, which must include exactly one single-thread run.
    public init(measurements: [Measurement], identicalResults: Bool = true) {
        let sorted = measurements.sorted { $0.threads < $1.threads }
        precondition(
            sorted.first?.threads == 1 && sorted.filter({ $0.threads == 1 }).count == 1,
            "a scaling study needs exactly one single-thread measurement as its reference")
        self.measurements = sorted
        self.identicalResults = identicalResults
    }

    /// The single-thread time.
    public var reference: Double { measurements[0].seconds }

    /// Measured speed-up of the whole run on `m.threads` threads.
    public func speedUp(_ m: Measurement) -> Double { reference / m.seconds }

    /// Measured speed-up of one phase on `m.threads` threads (nil: the phase did not run).
    public func speedUp(ofPhase name: String, _ m: Measurement) -> Double? {
        guard let one = measurements[0].phases[name], let many = m.phases[name], many > 0 else { return nil }
        return one / many
    }

    /// The least-squares serial share s in [0, 1]: with a_p = 1 − 1/p and b_p = T(p)/T(1) − 1/p,
    /// Amdahl's law reads b_p = s·a_p, so s = Σ a·b / Σ a² (nil with only one thread count).
    public var serialShare: Double? {
        var ab = 0.0, aa = 0.0
        for m in measurements where m.threads > 1 {
            let p = Double(m.threads), a = 1 - 1 / p, b = m.seconds / reference - 1 / p
            ab += a * b; aa += a * a
        }
        return aa > 0 ? min(1, max(0, ab / aa)) : nil
    }

    /// Amdahl's speed-up on `threads` threads with serial share `s`.
    public static func amdahl(serialShare s: Double, threads: Int) -> Double {
        1 / (s + (1 - s) / Double(threads))
    }

    /// The projected speed-up on `threads` threads from the fitted serial share.
    public func projectedSpeedUp(threads: Int) -> Double? {
        serialShare.map { Self.amdahl(serialShare: $0, threads: threads) }
    }

    /// The share of the single-thread time spent in phases that did not speed up by at least
    /// `threshold` on the most threads measured: the part that is serial by design, as opposed
    /// to the fitted share, which also counts parallel loops that scale poorly (nil with one
    /// thread count).
    public func unscaledShare(threshold: Double = 1.1) -> Double? {
        guard let most = measurements.last, most.threads > 1, reference > 0 else { return nil }
        let serial = measurements[0].phases.filter { name, _ in (speedUp(ofPhase: name, most) ?? 1) < threshold }
        return serial.values.reduce(0, +) / reference
    }

    /// Phases in order of their single-thread time, longest first.
    public var phaseNames: [String] {
        measurements[0].phases.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }.map(\.key)
    }

    /// Thread counts the projection is reported for.
    public static let projectedThreads = [4, 8, 16, 64]
}

extension ScalingStudy {
    /// Runs `scenario` with `seed` once per thread count in `threads` (1 is added if missing),
    /// each `repeats` times keeping the fastest, timing every phase.
    public static func measure(
        scenario: Scenario, seed: UInt64, threads: [Int], repeats: Int = 1,
        progress: (Int) -> Void = { _ in }
    ) throws(ModelError) -> ScalingStudy {
        precondition(repeats >= 1 && threads.allSatisfy { $0 >= 1 }, "thread counts and repeats must be positive")
        let counts = Array(Set(threads + [1])).sorted()
        var measurements: [Measurement] = [], finals: [MetricsRecord] = []
        for t in counts {
            progress(t)
            var best: Measurement? = nil
            for _ in 0..<repeats {
                let sim = try Simulation(scenario: scenario, seed: seed, threads: t)
                sim.timePhases = true
                let t0 = DispatchTime.now().uptimeNanoseconds
                let summary = sim.run()
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
                finals.append(summary.final)
                if best == nil || seconds < best!.seconds {
                    best = Measurement(threads: t, seconds: seconds, phases: sim.phaseSeconds)
                }
            }
            measurements.append(best!)
        }
        return ScalingStudy(measurements: measurements, identicalResults: finals.allSatisfy { $0 == finals[0] })
    }
}
