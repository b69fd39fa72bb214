import Testing
@testable import Experiments
import TransitionModel

@Suite("Scaling study: Amdahl's law fitted to measured times")
struct ScalingStudyTests {
    /// Times that follow Amdahl's law exactly give back their serial share and projections.
    @Test(arguments: [0.0, 0.28, 0.6, 1.0])
    func exactAmdahlTimesGiveBackTheirSerialShare(_ s: Double) throws {
        let t1 = 8.0
        let study = ScalingStudy(
            measurements: [4, 1, 2].map { p in
                ScalingStudy.Measurement(threads: p, seconds: t1 * (s + (1 - s) / Double(p)), phases: [:])
            })
        #expect(study.measurements.map(\.threads) == [1, 2, 4], "sorted by thread count")
        let fitted = try #require(study.serialShare)
        #expect(abs(fitted - s) < 1e-12)
        for p in ScalingStudy.projectedThreads {
            let projected = try #require(study.projectedSpeedUp(threads: p))
            #expect(abs(projected - 1 / (s + (1 - s) / Double(p))) < 1e-9)
        }
    }

    /// A second thread that makes the run slower is a serial share of 1 (no speed-up on any
    /// number of threads), not a negative speed-up; one that beats 2× is clamped to 0.
    @Test func sharesOutsideTheLawAreClamped() throws {
        let slower = ScalingStudy(measurements: [.init(threads: 1, seconds: 2, phases: [:]), .init(threads: 2, seconds: 2.4, phases: [:])])
        #expect(slower.serialShare == 1)
        #expect(slower.projectedSpeedUp(threads: 64) == 1)
        let superlinear = ScalingStudy(measurements: [.init(threads: 1, seconds: 2, phases: [:]), .init(threads: 2, seconds: 0.9, phases: [:])])
        #expect(superlinear.serialShare == 0)
        let alone = ScalingStudy(measurements: [.init(threads: 1, seconds: 2, phases: [:])])
        #expect(alone.serialShare == nil && alone.projectedSpeedUp(threads: 4) == nil)
    }

    /// Phases: their speed-ups are their own time ratios, and they are listed longest first.
    @Test func phaseSpeedUpsAndOrder() throws {
        let study = ScalingStudy(measurements: [
            .init(threads: 1, seconds: 10, phases: ["opinion": 4, "votes": 1, "metrics": 2]),
            .init(threads: 2, seconds: 7, phases: ["opinion": 2.5, "votes": 1, "metrics": 1.6]),
        ])
        #expect(study.phaseNames == ["opinion", "metrics", "votes"])
        let two = study.measurements[1]
        #expect(study.speedUp(ofPhase: "opinion", two) == 1.6)
        #expect(study.speedUp(ofPhase: "votes", two) == 1)
        #expect(study.speedUp(ofPhase: "training", two) == nil)
        #expect(study.speedUp(two) == 10.0 / 7)
        // Only votes (1.0×) stayed below 1.1×: 1 s of the 10 s.
        #expect(study.unscaledShare() == 0.1)
        #expect(study.unscaledShare(threshold: 1.3) == 0.3, "metrics (1.25×) joins votes")
    }

    /// Measuring runs the model on each thread count (1 added), with identical results.
    @Test func measuringRunsEveryThreadCountWithIdenticalResults() throws {
        var s = Scenario()
        s.population.persons = 40_000  // three chunks, so that two threads really share the work
        s.horizon = 6
        var seen: [Int] = []
        let study = try ScalingStudy.measure(scenario: s, seed: 9, threads: [2], progress: { seen.append($0) })
        #expect(seen == [1, 2] && study.measurements.map(\.threads) == [1, 2])
        #expect(study.identicalResults)
        #expect(study.measurements.allSatisfy { $0.seconds > 0 && $0.phases["opinion"] != nil && $0.phases["metrics"] != nil })
        #expect(study.serialShare != nil)
    }
}
