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
        RunRow(
            finalBJC: both, finalPay: both, finalBoth: both, monthsTo50BJC: both >= 0.5 ? 100 : nil, monthsTo50Pay: 80,
            finalMonth: 240, overruledDistinct: coercion, exits: 0, ownersExpropriated: 0,
            adoptedOverPerThousand: [2 * coercion, coercion, coercion / 2, coercion / 4, 0, 0])
    }

    @Test func compareChartsShowSpeedIntervalsAndTheLedgersParts() throws {
        var expropriating = row(0.9, 100); expropriating.ownersExpropriated = 39
        let c = Comparison(paths: [
            .init(name: "fast", runs: [row(0.9, 300), row(0.8, 320), row(0.95, 280)]),
            .init(name: "never", runs: [row(0.2, 0), row(0.3, 0)]),
            .init(name: "transfers", runs: [expropriating, expropriating]),
        ])
        // The trade-off has 5–95% whiskers on both axes for paths with several runs, and names its colours.
        let trade = c.chart()
        #expect(trade.components(separatedBy: "class=\"whisker\"").count - 1 == 6)
        #expect(trade.components(separatedBy: "class=\"key\"").count - 1 == 3)
        // Speed: one bar per path; a path that never reaches 50% is a pale bound, labelled so.
        let speed = c.speedChart()
        #expect(
            speed.components(separatedBy: "class=\"bar\"").count - 1 == 2
                && speed.components(separatedBy: "class=\"bar bound\"").count - 1 == 1)
        #expect(speed.contains("not in 20 y") && speed.contains(">8.3 y<"))
        // The ledger keeps its parts apart, each kind of quantity on its own axis: a panel of
        // distinct persons adopted over (two bars a path), one of cumulative jobs lost and one of
        // monthly persons with no say (one bar a path each); owners named with their path.
        let ledger = c.ledgerChart()
        let document = try XMLDocument(xmlString: ledger, options: [])
        let panels = try document.nodes(forXPath: "/*[local-name()='svg']/*[local-name()='svg'][@class='panel']")
        #expect(panels.count == 3)
        let bars = try panels.map { try $0.nodes(forXPath: ".//*[local-name()='rect'][@class='bar']").count }
        #expect(bars == [6, 3, 3])
        let axes = panels.map { $0.stringValue ?? "" }
        #expect(axes[0].contains("distinct persons per 1,000") && axes[1].contains("(cumulative)") && axes[2].contains("mean per month"))
        #expect(ledger.contains("transfers (39.0 owners expropriated)") && ledger.contains(">never<"))
        // Panels stack without overlapping: each starts where the one above ends.
        func attribute(_ node: XMLNode, _ name: String) throws -> Double? {
            try node.nodes(forXPath: "@\(name)").first?.stringValue.flatMap(Double.init)
        }
        let ys = try panels.compactMap { try attribute($0, "y") }, heights = try panels.compactMap { try attribute($0, "height") }
        #expect(ys.count == 3 && ys[1] == ys[0] + heights[0] && ys[2] == ys[1] + heights[1], "\(ys) \(heights)")
    }

    @Test func tableMarksFrontAndCoercionFreePaths() {
        let c = Comparison(paths: [
            .init(name: "gentle", runs: [row(0.4, 0), row(0.5, 0)]),
            .init(name: "fast", runs: [row(0.9, 300), row(0.9, 320)]),
            .init(name: "worse", runs: [row(0.3, 50), row(0.3, 60)]),
        ])
        let lines = c.table().split(separator: "\n").map(String.init)
        #expect(lines[2].hasPrefix("| gentle") && lines[2].contains("| yes (45.0% under BJC or pay) |") && lines[2].hasSuffix("| front |"))
        #expect(lines[3].hasPrefix("| fast") && lines[3].contains("| no (90.0% under BJC or pay) |") && lines[3].hasSuffix("| front |"))
        #expect(lines[4].hasPrefix("| worse") && lines[4].hasSuffix("|  |"))
        #expect(lines[2].contains("45.0%"))
        let svg = try? XMLDocument(xmlString: c.chart(), options: [])
        #expect(svg != nil)
        #expect(c.chart().contains(">gentle<") && c.chart().contains("ringed: Pareto front"))
    }

    /// Opposition set against what was adopted: a path that adopts twice as widely over as many
    /// opponents scores half, and one that adopts nothing has no figure (not zero).
    @Test func oppositionPerAdoptedHalvesWhenAdoptionDoubles() {
        let narrow = Comparison.Path(name: "narrow", runs: [row(0.2, 100), row(0.2, 100)])
        let wide = Comparison.Path(name: "wide", runs: [row(0.4, 100), row(0.4, 100)])
        let none = Comparison.Path(name: "none", runs: [row(0, 0)])
        #expect(narrow.opposition.mean == wide.opposition.mean)
        #expect(abs(narrow.oppositionPerAdopted! - 500) < 1e-9, "100 per 1,000 over 20% adopted")
        #expect(abs(wide.oppositionPerAdopted! - 250) < 1e-9)
        #expect(none.oppositionPerAdopted == nil)
        // Either institution counts once: BJC 30%, pay 20%, both 10% is 40% under an adopted one.
        var mixed = row(0.1, 100); mixed.finalBJC = 0.3; mixed.finalPay = 0.2
        #expect(abs(mixed.finalAdopted - 0.4) < 1e-12)
        let table = Comparison(paths: [narrow, wide, none]).table()
        #expect(table.contains("| per 1,000 under adopted |"))
        #expect(table.contains("| 100.0 [100.0–100.0] | 500 |") && table.contains("| 100.0 [100.0–100.0] | 250 |"))
        #expect(table.contains("| 0.0 [0.0–0.0] | – |"))
        let csv = Comparison(paths: [narrow, none]).pathsCSV().split(separator: "\n")
        #expect(csv[0].contains(",adopted_mean,opposition_per_1000_adopted,"))
        #expect(csv[1].contains(",0.2,500,") && csv[2].contains(",0,,"))
    }

    @Test func oppositionChartHasOneLinePerPathOverTheStrengthLadder() throws {
        let c = Comparison(paths: [.init(name: "gentle", runs: [row(0.4, 10)]), .init(name: "fast", runs: [row(0.9, 300)])])
        let svg = c.oppositionChart()
        _ = try XMLDocument(xmlString: svg, options: [])
        let lines = svg.split(separator: "\n").filter { $0.hasPrefix("<polyline") }
        #expect(lines.count == 2)
        // Five levels (u < 0 … u < −2), so five points per line.
        #expect(lines.allSatisfy { $0.split(separator: "\"")[1].split(separator: " ").count == 5 })
        #expect(svg.contains(">gentle<") && svg.contains(">fast<"))
    }

    @Test func bothSidesAndTheCoercionAxis() {
        var quiet = row(0.0, 0); quiet.jobsLostPerThousand = 900; quiet.unheardPerThousand = 500
        var busy = row(0.9, 200); busy.jobsLostPerThousand = 400; busy.unheardPerThousand = 100
        var c = Comparison(paths: [.init(name: "status-quo", runs: [quiet]), .init(name: "change", runs: [busy])])
        #expect(c.bothSidesTable().contains("| status-quo | 0.0 [0.0–0.0] | – (0.0) | 900.0 [900.0–900.0] | 500.0 [500.0–500.0] |"))
        // Counting only the coercion of change, doing nothing is on the front; counting the
        // status quo's too, the path that changes dominates it.
        #expect(c.front == [0, 1])
        c.axis = .both
        #expect(c.front == [1])
        #expect(c.chart().contains("adopted over (u &lt; 0) + jobs lost"))
    }

    /// Points that crowd together (two at the origin, two close at the top) get labels that do
    /// not overlap one another.
    @Test func scatterLabelsDoNotOverlap() throws {
        let points = [
            ("status-quo", 0.0, 0.0), ("prefigurative", 0.0, 2.2), ("state-led", 176, 93.7), ("majority", 211, 96.0),
            ("supermajority", 159, 59.8), ("consensus-only", 99, 26.6),
        ]
        let svg = SVGChart(title: "t", xLabel: "x", yLabel: "y").scatter(
            points.map { SVGChart.Point(label: $0.0, x: $0.1, y: $0.2, filled: false, ring: false) }, legend: [])
        _ = try XMLDocument(xmlString: svg, options: [])
        // Read each label's drawn position back from the SVG and check the boxes pairwise.
        var boxes: [(String, SVGChart.LabelBox)] = []
        let plotRight = 720.0 - 170 + 8  // the colour key in the right margin repeats the names
        for line in svg.split(separator: "\n") where line.hasPrefix("<text x=") && (Double(line.split(separator: "\"")[1]) ?? 0) < plotRight
        {
            let parts = line.split(separator: "\"")
            guard parts.count >= 5, let x = Double(parts[1]), let y = Double(parts[3]),
                let name = points.first(where: { line.contains(">\($0.0)<") })?.0
            else { continue }
            boxes.append((name, SVGChart.LabelBox(x: x, y: y - 11, width: 7 * Double(name.count) + 2, height: 14)))
        }
        #expect(boxes.count == points.count)
        for i in boxes.indices {
            for j in boxes.indices where j > i {
                #expect(!boxes[i].1.overlaps(boxes[j].1), "\(boxes[i].0) and \(boxes[j].0) overlap")
            }
        }
        // In the drawn chart, too: every label's text element is there once, and once in the colour key.
        for p in points { #expect(svg.components(separatedBy: ">\(p.0)<").count == 3) }
    }

    /// Points at 0 lie inside the frame and clear of the axis' tick labels; the colour key is
    /// filled only for coercion-free points, as the marks are; no two of many points share a colour.
    @Test func scatterKeepsPointsOffTheAxesAndKeysThemAsDrawn() throws {
        let points = [("status-quo", 0.0, 0.0, true), ("prefigurative", 0.0, 6.3, true), ("majority", 200.8, 80.2, false)]
        let svg = SVGChart(title: "t", xLabel: "x", yLabel: "y").scatter(
            points.map { SVGChart.Point(label: $0.0, x: $0.1, y: $0.2, filled: $0.3, ring: false) }, legend: [])
        let document = try XMLDocument(xmlString: svg, options: [])
        func numbers(_ node: XMLNode, _ names: [String]) throws -> [Double] {
            try names.map { try Double(node.nodes(forXPath: "@\($0)").first?.stringValue ?? "") ?? .nan }
        }
        let frame = try #require(try document.nodes(forXPath: "//*[local-name()='rect'][@fill='none']").first)
        let f = try numbers(frame, ["x", "y", "width", "height"])
        let marks = try document.nodes(forXPath: "//*[local-name()='circle'][@r='6']")
        #expect(marks.count == 3)
        for mark in marks {
            let c = try numbers(mark, ["cx", "cy"])
            #expect(c[0] - 6 > f[0] && c[0] + 6 < f[0] + f[2] && c[1] - 6 > f[1] && c[1] + 6 < f[1] + f[3], "\(c) outside \(f)")
        }
        // The "0" tick labels sit outside the frame, left of it and below it: no mark covers them.
        let zeros = try document.nodes(forXPath: "//*[local-name()='text'][.='0']")
        #expect(zeros.count == 2)
        for zero in zeros {
            let t = try numbers(zero, ["x", "y"])
            #expect(t[0] < f[0] || t[1] > f[1] + f[3], "\(t)")
        }
        let keys = try document.nodes(forXPath: "//*[local-name()='circle'][@class='key']").map { try $0.nodes(forXPath: "@fill").first?.stringValue }
        #expect(keys[0] != "white" && keys[1] != "white" && keys[2] == "white")
        // Many points: one colour each.
        #expect(Set(SVGChart.colours(20)).count == 20 && SVGChart.colours(3) == Array(SVGChart.palette.prefix(3)))
    }

    @Test func lineChartIsWellFormedAndPlotsTheData() throws {
        let chart = SVGChart(title: "T & <test>", xLabel: "years", yLabel: "share (%)")
        let svg = chart.lines(
            [SVGChart.Series(label: "a", x: [0, 1, 2], y: [0, 50, 100], low: [0, 40, 90], high: [0, 60, 100], colour: "#000000")],
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

    @Test func longLegendLabelsWrapInsideTheCanvas() throws {
        let label = "neighbourhoods with a communal council"
        let svg = SVGChart(title: "t", xLabel: "x", yLabel: "y").lines([
            SVGChart.Series(label: label, x: [0, 1], y: [0, 1], colour: "#000000"),
            SVGChart.Series(label: "short", x: [0, 1], y: [1, 0], colour: "#111111"),
        ])
        _ = try XMLDocument(xmlString: svg, options: [])
        let legend = svg.split(separator: "\n").first { $0.contains("class=\"legend\"") && $0.contains("neighbourhoods") }!
        let pieces = legend.components(separatedBy: "<tspan").dropFirst().map {
            $0.components(separatedBy: ">")[1].components(separatedBy: "<")[0]
        }
        #expect(pieces.count >= 2 && pieces.joined(separator: " ") == label, "\(pieces)")
        // Every piece fits between the legend's x and the canvas edge (about 7 px a character).
        #expect(pieces.allSatisfy { 720 - 170 + 38 + 7 * Double($0.count) <= 720 })
        // The next entry starts below the wrapped one.
        let ys = svg.split(separator: "\n").filter { $0.contains("class=\"legend\"") }.map {
            Double($0.components(separatedBy: "y=\"")[1].components(separatedBy: "\"")[0])!
        }
        #expect(ys.count == 2 && ys[1] - ys[0] >= 18 + 14)
    }

    @Test func ticksAreRoundAndCoverTheRange() {
        #expect(SVGChart.ticks(0, 100) == [0, 20, 40, 60, 80, 100])
        let unit = SVGChart.ticks(0, 1), expected: [Double] = [0, 0.2, 0.4, 0.6, 0.8, 1]
        #expect(unit.count == 6 && zip(unit, expected).allSatisfy { abs($0 - $1) < 1e-9 })
    }

    @Test func aPredictiveOfOneDateIsDrawnAsAnIntervalWithItsMedian() {
        func attribute(_ name: String, of element: String, in svg: String) -> Double? {
            guard let line = svg.split(separator: "\n").first(where: { $0.contains(element) }),
                let value = line.components(separatedBy: "\(name)=\"").dropFirst().first?.prefix(while: { $0 != "\"" })
            else { return nil }
            return Double(value)
        }
        let chart = SVGChart(title: "bound", xLabel: "year", yLabel: "share")
        let one = chart.predictive(x: [2013.9], low: [0.013], median: [0.019], high: [0.069], observed: [(2013.9, 0.05, false)])
        let top = attribute("y", of: "class=\"interval\"", in: one), height = attribute("height", of: "class=\"interval\"", in: one)
        let mark = attribute("y1", of: "class=\"median-mark\"", in: one)
        let dot = attribute("cy", of: "class=\"fitted\"", in: one)
        #expect(top != nil && height != nil && mark != nil && dot != nil)
        if let top, let height, let mark, let dot {
            // Higher values lie higher on the page: 0.069 above the observed 0.05, above the median 0.019, above 0.013.
            #expect(top < dot && dot < mark && mark < top + height)
            // The interval is drawn to scale: (0.069 − 0.019) / (0.019 − 0.013) of the bar lies above the median.
            #expect(abs((mark - top) / (top + height - mark) - 0.050 / 0.006) < 0.2)
        }
        // Several dates keep the band and the line, without intervals.
        let two = chart.predictive(
            x: [2004, 2010], low: [1, 2], median: [2, 3], high: [3, 4], observed: [(2004, 2, false), (2010, 3, true)])
        #expect(!two.contains("class=\"interval\"") && two.contains("<polygon class=\"band\""))
    }

    /// Series whose names clean to one file name get one chart each, not one chart between them.
    @Test func seriesNamesThatCleanAlikeKeepTheirOwnCharts() {
        let names = CalibrationReport.chartNames(["x/y", "x,y", "x-y-2", "x-y", "firms"])
        #expect(Set(names).count == names.count, "\(names)")
        #expect(names == ["predictive-x-y.svg", "predictive-x-y-2.svg", "predictive-x-y-2-2.svg", "predictive-x-y-3.svg", "predictive-firms.svg"])
    }

    @Test func tickLabelsTakeTheirDecimalsFromTheSpacing() {
        // Years every two and a half: the half-years once printed as "2e+03", alike.
        let years = SVGChart.ticks(2002, 2013), step = SVGChart.tickStep(2002, 2013)
        #expect(years.map { SVGChart.label($0, step: step) } == ["2002.5", "2005", "2007.5", "2010", "2012.5"])
        #expect(SVGChart.ticks(0, 1).map { SVGChart.label($0, step: 0.2) } == ["0", "0.2", "0.4", "0.6", "0.8", "1"])
        #expect(SVGChart.label(0.125, step: 0.025) == "0.125")
        #expect(SVGChart.label(-0.0000001, step: 0.5) == "0")
        #expect(SVGChart.label(1_250_000, step: 250_000) == "1.25e+6" && SVGChart.label(3_000_000, step: 1_000_000) == "3e+6")
        // Over many ranges: every label reads back as its tick, and neighbours never print alike.
        var lo = -3.7, width = 0.00013
        for _ in 0..<400 {
            let ticks = SVGChart.ticks(lo, lo + width), step = SVGChart.tickStep(lo, lo + width)
            let labels = ticks.map { SVGChart.label($0, step: step) }
            #expect(Set(labels).count == labels.count, "\(labels) for [\(lo), \(lo + width)]")
            for (t, text) in zip(ticks, labels) {
                #expect(abs(Double(text)! - t) <= step * 1e-3, "\(text) for \(t)")
                #expect(abs(t) >= 1e6 || !text.contains("e"), "\(text) for \(t)")
            }
            lo = lo * 1.37 + 11.3
            width *= 1.09
            if lo > 5e5 { lo = -lo / 1e5 }
        }
    }
}

@Suite("Sweep report")
struct SweepReportTests {
    func provenance(recorded: Int) -> SweepProvenance {
        SweepProvenance(
            sha256: String(repeating: "ab", count: 32), source: "", baseSHA256: "", design: "grid", points: 3,
            replicates: 2, seed: "1", parameters: ["voting.rule"], seriesEvery: 0, generator: "taus2",
            gslVersion: "2.7", tool: .unknown, hosts: "a,b", started: "2026-01-01T00:00:00Z",
            lastRunFinished: "2026-01-01T01:00:00Z", pointsRecorded: recorded, runsRecorded: 2 * recorded,
            runsFailed: 2, pointsFailed: 1)
    }

    func row(_ both: Double, _ coercion: Double) -> RunRow {
        ComparisonAndChartTests().row(both, coercion)
    }

    @Test func pointsSideBySideWithFrontAndFailures() {
        let points = [
            SweepDatabase.PointRuns(point: 1, values: [("voting.rule", "majority")], runs: [row(0.9, 300), row(0.8, 310)], failed: 0),
            SweepDatabase.PointRuns(point: 2, values: [("voting.rule", "consensus")], runs: [row(0.4, 0), row(0.5, 0)], failed: 0),
            SweepDatabase.PointRuns(point: 3, values: [("voting.rule", "0.6")], runs: [], failed: 2),
        ]
        let text = SweepReport(provenance: provenance(recorded: 3), points: points).markdown()
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("| point | persons | runs |") })
        #expect(lines.contains { $0.hasPrefix("| P1 rule=majority | – | 2 | 85.0%") && $0.hasSuffix("| no (85.0% under BJC or pay) | front |") })
        #expect(lines.contains { $0.hasPrefix("| P2 rule=consensus | – | 2 | 45.0%") && $0.hasSuffix("| yes (45.0% under BJC or pay) | front |") })
        #expect(!lines.contains { $0.hasPrefix("| P3") }, "a point with no successful run has no row")
        #expect(text.contains("Failed runs (status `failed` in table runs): P3 (2)"))
        #expect(text.contains("finished 2026-01-01T01:00:00Z"))
        let unfinished = SweepReport(provenance: provenance(recorded: 2), points: points).markdown()
        #expect(unfinished.contains("not finished: 2 of 3 points recorded"))
        let empty = SweepReport(provenance: provenance(recorded: 0), points: [points[2]])
        #expect(empty.markdown().hasSuffix("No point has a successful run yet.\n") && empty.chart() == nil)
    }

    @Test func theDesignChoosesTheChart() throws {
        var one = provenance(recorded: 3); one.parameters = ["voting.blocking_level"]
        let levels = [("-2", 0.2), ("-1", 0.4), ("-0.5", 0.6)]
        let onePoints = levels.enumerated().map { k, v in
            SweepDatabase.PointRuns(
                point: k + 1, values: [("voting.blocking_level", v.0)], runs: [row(v.1, 10), row(v.1 + 0.1, 20)], failed: 0)
        }
        let report = SweepReport(provenance: one, points: onePoints)
        #expect(report.shape == .oneNumber("voting.blocking_level"))
        let charts = report.charts()
        #expect(charts.map(\.suffix) == ["outcome", "opposition", "points"])
        let outcome = charts[0].svg
        #expect(outcome.contains("Final adoption against voting.blocking_level") && outcome.contains(">-0.5<") && outcome.contains(">-2<"))
        #expect(outcome.components(separatedBy: "<polygon").count - 1 == 1, "one band (both), over replicates")
        // Two numeric parameters on a grid: a heatmap with one cell per point.
        var two = provenance(recorded: 4); two.parameters = ["movement.base", "voting.rule"]
        let grid = [("1", "0.6"), ("1", "0.8"), ("2", "0.6"), ("2", "0.8")].enumerated().map { k, v in
            SweepDatabase.PointRuns(
                point: k + 1, values: [("movement.base", v.0), ("voting.rule", v.1)], runs: [row(0.1 * Double(k), 5)], failed: 0)
        }
        let heat = SweepReport(provenance: two, points: grid)
        #expect(heat.shape == .twoNumbers("movement.base", "voting.rule"))
        let map = try #require(heat.charts().first { $0.suffix == "heatmap" }).svg
        #expect(map.components(separatedBy: "class=\"cell\"").count - 1 == 4 && map.contains(">30%<"))
        // Words (rules by name) fall back to adoption against opposition.
        var words = provenance(recorded: 2); words.parameters = ["voting.rule"]
        let named = [("majority", 0.9), ("consensus", 0.3)].enumerated().map { k, v in
            SweepDatabase.PointRuns(point: k + 1, values: [("voting.rule", v.0)], runs: [row(v.1, 5)], failed: 0)
        }
        #expect(SweepReport(provenance: words, points: named).charts().map(\.suffix) == ["points"])
    }

    @Test func anAxisOfZerosRunsToOne() {
        let svg = SVGChart(title: "t", xLabel: "x", yLabel: "y")
            .scatter(
                [
                    SVGChart.Point(label: "a", x: 0, y: 50, filled: true, ring: false),
                    SVGChart.Point(label: "b", x: 0, y: 20, filled: true, ring: false),
                ], legend: [])
        #expect(svg.range(of: ">[0-9.]+e-[0-9]+<", options: .regularExpression) == nil && svg.contains(">1<"), "ticks of 0–1, not 0–1e-9")
    }

    @Test func bigChartsLabelOnlyTheFront() {
        let many = (0..<40).map { k in Comparison.Path(name: "P\(k + 1)", runs: [row(Double(k) / 40, Double(k))]) }
        let svg = Comparison(paths: many).chart()
        // Every path is on the front here (more adoption costs more coercion), so all are labelled…
        #expect(svg.components(separatedBy: ">P").count - 1 == 40)
        // …but a dominated path is not.
        let dominated = many + [Comparison.Path(name: "P99", runs: [row(0.01, 500)])]
        #expect(!Comparison(paths: dominated).chart().contains(">P99<"))
        #expect(Comparison(paths: Array(dominated.suffix(3))).chart().contains(">P99<"), "few paths: all labelled")
    }
}

@Suite("HTML pages")
struct HTMLPageTests {
    @Test func headingsTablesAndCodeSpansAreMarkedUpNotShownAsMarkdown() throws {
        let page = HTMLPage.render(
            title: "t",
            markdown: """
                # Title
                ### Both sides
                | parameter | value |
                |---|---|
                | `path.allow_transfers` | a < b |
                Every value: `scenario.yaml`; an odd ` stays.
                """, charts: [])
        #expect(page.contains("<h3>Both sides</h3>") && !page.contains("###"))
        #expect(page.contains("<td><code>path.allow_transfers</code></td><td>a &lt; b</td>"))
        #expect(page.contains("<p>Every value: <code>scenario.yaml</code>; an odd ` stays.</p>"))
        let xml = try XMLDocument(xmlString: page.replacingOccurrences(of: "<!DOCTYPE html>", with: ""), options: [])
        #expect(try xml.nodes(forXPath: "//table/tr").count == 2)
    }
}
