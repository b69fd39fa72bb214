import Foundation
import FoundationXML
import Testing
@testable import Experiments
@testable import Reporting

@Suite("Comparison, Pareto front and charts")
struct ComparisonAndChartTests {
    @Test func paretoFrontWithTiesAndDominatedPoints() {
        // adoption (maximise), coercion (minimise)
        let adoption: [Double] = [0.9, 0.9, 0.5, 0.5, 0.95, 0.2, 0.5]
        let coercion: [Double] = [300, 300, 0, 10, 400, 0, 0]
        // 0 and 1 tie (both on the front); 3 is dominated by 2; 5 is dominated by 2 (same coercion,
        // less adoption); 6 ties with 2; 4 is on the front (most adoption).
        #expect(Comparison.paretoFront(adoption: adoption, coercion: coercion) == [0, 1, 2, 4, 6])
        #expect(Comparison.paretoFront(adoption: [0.5], coercion: [3]) == [0])
    }

    func row(_ both: Double, _ coercion: Double) -> RunRow {
        RunRow(finalBJC: both, finalPay: both, finalBoth: both, monthsTo50BJC: both >= 0.5 ? 100 : nil, monthsTo50Pay: 80,
               overruledDistinct: coercion, exits: 0, ownersExpropriated: 0, coercionPerThousand: coercion, coercionFree: coercion == 0)
    }

    @Test func tableMarksFrontAndCoercionFreePaths() {
        let c = Comparison(paths: [
            .init(name: "gentle", runs: [row(0.4, 0), row(0.5, 0)]),
            .init(name: "fast", runs: [row(0.9, 300), row(0.9, 320)]),
            .init(name: "worse", runs: [row(0.3, 50), row(0.3, 60)]),
        ])
        let lines = c.table().split(separator: "\n").map(String.init)
        #expect(lines[2].hasPrefix("| gentle") && lines[2].contains("| yes |") && lines[2].hasSuffix("| front |"))
        #expect(lines[3].hasPrefix("| fast") && lines[3].contains("| no |") && lines[3].hasSuffix("| front |"))
        #expect(lines[4].hasPrefix("| worse") && lines[4].hasSuffix("|  |"))
        #expect(lines[2].contains("45.0%"))
        let svg = try? XMLDocument(xmlString: c.chart(), options: [])
        #expect(svg != nil)
        #expect(c.chart().contains(">gentle<") && c.chart().contains("ringed: Pareto front"))
    }

    @Test func lineChartIsWellFormedAndPlotsTheData() throws {
        let chart = SVGChart(title: "T & <test>", xLabel: "years", yLabel: "share (%)")
        let svg = chart.lines([SVGChart.Series(label: "a", x: [0, 1, 2], y: [0, 50, 100], low: [0, 40, 90], high: [0, 60, 100], colour: "#000000")],
                              yRange: (0, 100))
        _ = try XMLDocument(xmlString: svg, options: [])
        let polylines = svg.split(separator: "\n").filter { $0.hasPrefix("<polyline") }
        #expect(polylines.count == 1)
        // The last point (x = 2, y = 100) sits at the plot's top-right corner.
        let points = polylines.first.flatMap { $0.split(separator: "\"").dropFirst().first } ?? ""
        let last = points.split(separator: " ").last?.split(separator: ",").compactMap { Double($0) } ?? []
        #expect(last.count == 2)
        if last.count == 2 { #expect(abs(last[0] - (chart.width - 170)) < 0.1 && abs(last[1] - 40) < 0.1) }
        #expect(svg.contains("T &amp; &lt;test&gt;"))
    }

    @Test func ticksAreRoundAndCoverTheRange() {
        #expect(SVGChart.ticks(0, 100) == [0, 20, 40, 60, 80, 100])
        let unit = SVGChart.ticks(0, 1), expected: [Double] = [0, 0.2, 0.4, 0.6, 0.8, 1]
        #expect(unit.count == 6 && zip(unit, expected).allSatisfy { abs($0 - $1) < 1e-9 })
    }
}
