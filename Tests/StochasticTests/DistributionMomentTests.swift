import Foundation
import Testing
@testable import Stochastic

/// Large-sample moments against the exact ones. With n = 200,000 draws the standard error of a
/// mean is sd/√n ≈ 0.0022·sd; the tolerance is 5 standard errors (a false alarm about once in
/// 3 million runs, and the seed is fixed, so the test is deterministic anyway).
@Suite("Distribution moments")
struct DistributionMomentTests {
    let n = 200_000

    private func moments(_ draw: () -> Double) -> (mean: Double, variance: Double) {
        var sum = 0.0, sumSq = 0.0
        for _ in 0..<n { let x = draw(); sum += x; sumSq += x * x }
        let mean = sum / Double(n)
        return (mean, sumSq / Double(n) - mean * mean)
    }

    private func check(_ name: String, _ m: (mean: Double, variance: Double), mean: Double, variance: Double) {
        let se = (variance / Double(n)).squareRoot()
        #expect(abs(m.mean - mean) < 5 * se, "\(name) mean \(m.mean) vs \(mean)")
        // Variance of the sample variance ≈ 2σ⁴/n for near-normal shapes; allow a generous 5%.
        #expect(abs(m.variance - variance) < 0.05 * variance, "\(name) variance \(m.variance) vs \(variance)")
    }

    @Test func uniform() {
        let s = RandomStream(seed: 1, stream: 0)
        check("uniform", moments { s.uniform() }, mean: 0.5, variance: 1.0 / 12)
    }

    @Test func bernoulli() {
        let s = RandomStream(seed: 2, stream: 0)
        check("bernoulli", moments { s.bernoulli(0.3) ? 1 : 0 }, mean: 0.3, variance: 0.21)
    }

    @Test func binomial() {
        let s = RandomStream(seed: 3, stream: 0)
        check("binomial", moments { Double(s.binomial(n: 40, p: 0.25)) }, mean: 10, variance: 7.5)
        #expect(s.binomial(n: 0, p: 0.5) == 0)
        #expect(s.binomial(n: 12, p: 1) == 12)
    }

    @Test func poisson() {
        let s = RandomStream(seed: 4, stream: 0)
        check("poisson", moments { Double(s.poisson(mean: 3.5)) }, mean: 3.5, variance: 3.5)
        #expect(s.poisson(mean: 0) == 0)
    }

    @Test func beta() {
        let s = RandomStream(seed: 5, stream: 0)
        let (a, b) = (2.0, 6.0)
        check(
            "beta", moments { s.beta(a, b) }, mean: a / (a + b),
            variance: a * b / ((a + b) * (a + b) * (a + b + 1)))
    }

    @Test func gaussian() {
        let s = RandomStream(seed: 6, stream: 0)
        check("gaussian", moments { s.gaussian(mean: 1.5, sd: 0.4) }, mean: 1.5, variance: 0.16)
    }

    @Test func lognormal() {
        let s = RandomStream(seed: 7, stream: 0)
        let (median, sigma) = (10.0, 0.5)
        let mu = log(median)
        check(
            "lognormal", moments { s.lognormal(median: median, sigma: sigma) },
            mean: exp(mu + sigma * sigma / 2),
            variance: (exp(sigma * sigma) - 1) * exp(2 * mu + sigma * sigma))
    }

    @Test func exponential() {
        let s = RandomStream(seed: 8, stream: 0)
        check("exponential", moments { s.exponential(mean: 2) }, mean: 2, variance: 4)
    }

    @Test func categorical() throws {
        let weights = [0.7, 0.2, 0.04, 0.06]
        let table = try #require(CategoricalTable(weights: weights))
        let s = RandomStream(seed: 9, stream: 0)
        var counts = [0, 0, 0, 0]
        for _ in 0..<n { counts[table.draw(using: s)] += 1 }
        for (k, w) in weights.enumerated() {
            let se = (w * (1 - w) / Double(n)).squareRoot()
            #expect(abs(Double(counts[k]) / Double(n) - w) < 5 * se, "category \(k)")
        }
    }

    @Test func categoricalRejectsBadWeights() {
        #expect(CategoricalTable(weights: []) == nil)
        #expect(CategoricalTable(weights: [0, 0]) == nil)
        #expect(CategoricalTable(weights: [1, -1]) == nil)
        #expect(CategoricalTable(weights: [1, .nan]) == nil)
    }

    @Test func indexBelowIsUniform() {
        let s = RandomStream(seed: 10, stream: 0)
        check("index", moments { Double(s.index(below: 10)) }, mean: 4.5, variance: 8.25)
    }
}
