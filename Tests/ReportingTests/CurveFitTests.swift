import Foundation
import Testing
@testable import Reporting

@Suite("Curve fits recover known parameters")
struct CurveFitTests {
    @Test func bassClosedFormLandmarks() {
        #expect(abs(BassCurve.value(5, p: 0.03, q: 0.38) - 0.33120) < 5e-6)
        #expect(abs(BassCurve.value(10, p: 0.03, q: 0.38) - 0.81280) < 5e-6)
        #expect(abs(BassCurve.timeTo(0.5, p: 0.03, q: 0.38) - 6.5502) < 5e-5)
        #expect(abs(BassCurve.peakTime(p: 0.03, q: 0.38) - 6.1926) < 5e-5)
    }

    /// A deterministic pseudo-noise in [−1, 1].
    func noise(_ i: Int) -> Double { sin(Double(i) * 12.9898) * 43758.5453.truncatingRemainder(dividingBy: 1) }

    @Test(arguments: [0.0, 0.01])
    func logisticRecoversMidpointSteepnessCeiling(noiseLevel: Double) throws {
        let times = (0...240).map(Double.init)
        let truth = LogisticFit(midpoint: 130, steepness: 0.05, ceiling: 0.9, rSquared: 1, rmse: 0)
        let values = times.enumerated().map { truth.value(at: $1) + noiseLevel * noise($0) }
        let fit = try #require(CurveFitting.logistic(times: times, values: values))
        #expect(abs(fit.midpoint - 130) < (noiseLevel == 0 ? 0.01 : 1.5), "midpoint \(fit.midpoint)")
        #expect(abs(fit.steepness - 0.05) < (noiseLevel == 0 ? 1e-4 : 0.003), "steepness \(fit.steepness)")
        #expect(abs(fit.ceiling - 0.9) < (noiseLevel == 0 ? 1e-4 : 0.01), "ceiling \(fit.ceiling)")
        #expect(fit.rSquared > (noiseLevel == 0 ? 0.99999 : 0.99))
    }

    @Test(arguments: [0.0, 0.01])
    func bassRecoversPQAndCeiling(noiseLevel: Double) throws {
        let times = (0...120).map { Double($0) / 4 }  // 30 time units, quarter steps
        let values = times.enumerated().map { BassCurve.value($1, p: 0.03, q: 0.38, ceiling: 0.8) + noiseLevel * noise($0) }
        let fit = try #require(CurveFitting.bass(times: times, values: values))
        #expect(abs(fit.p - 0.03) < (noiseLevel == 0 ? 1e-4 : 0.005), "p \(fit.p)")
        #expect(abs(fit.q - 0.38) < (noiseLevel == 0 ? 1e-3 : 0.03), "q \(fit.q)")
        #expect(abs(fit.ceiling - 0.8) < (noiseLevel == 0 ? 1e-4 : 0.01), "ceiling \(fit.ceiling)")
    }

    @Test func fittedCeilingsNeverExceedOne() throws {
        // A share still rising fast at the end: an unconstrained fit puts the ceiling above 1.
        let t = (0...120).map(Double.init)
        let y = t.map { 0.9 * exp(0.03 * ($0 - 120)) }
        let bass = try #require(CurveFitting.bass(times: t, values: y))
        let logistic = try #require(CurveFitting.logistic(times: t, values: y))
        #expect(bass.ceiling <= 1 && logistic.ceiling <= 1)
        #expect(bass.ceiling > 0.99 && logistic.ceiling > 0.99, "the fits press against the bound: \(bass.ceiling), \(logistic.ceiling)")
    }

    @Test func flatSeriesHasNothingToFit() {
        let times = (0..<50).map(Double.init)
        #expect(CurveFitting.logistic(times: times, values: Array(repeating: 0, count: 50)) == nil)
        #expect(CurveFitting.bass(times: times, values: Array(repeating: 0, count: 50)) == nil)
    }
}
