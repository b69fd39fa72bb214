import Foundation

/// Minimal, dependency-free SVG charts for reports: line charts with bands, and scatter plots.
/// Every chart has a title, labelled axes with units, ticks and a legend; the output is
/// well-formed XML (a test parses it).
public struct SVGChart {
    public struct Series {
        public var label: String
        public var x: [Double]
        public var y: [Double]
        public var low: [Double]? = nil
        public var high: [Double]? = nil
        public var colour: String
        /// An SVG dash pattern (e.g. "7 4"), so that a line drawn over another stays visible.
        public var dash: String? = nil
        public init(
            label: String, x: [Double], y: [Double], low: [Double]? = nil, high: [Double]? = nil, colour: String, dash: String? = nil
        ) {
            self.label = label; self.x = x; self.y = y; self.low = low; self.high = high; self.colour = colour; self.dash = dash
        }
    }

    public struct Point {
        public var label: String
        public var x: Double
        public var y: Double
        public var filled: Bool
        public var ring: Bool
        /// 5–95% intervals, drawn as whiskers.
        public var xInterval: (Double, Double)? = nil
        public var yInterval: (Double, Double)? = nil
        /// What the colour key says (the label when nil): a sweep's point is labelled "P3" on
        /// the chart and keyed by its values.
        public var key: String? = nil
        public init(
            label: String, x: Double, y: Double, filled: Bool, ring: Bool,
            xInterval: (Double, Double)? = nil, yInterval: (Double, Double)? = nil, key: String? = nil
        ) {
            self.label = label; self.x = x; self.y = y; self.filled = filled; self.ring = ring
            self.xInterval = xInterval; self.yInterval = yInterval; self.key = key
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var width = 720.0, height = 400.0
    let left = 70.0, right = 170.0, top = 40.0, bottom = 55.0

    public init(title: String, xLabel: String, yLabel: String) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel
    }

    public static let palette = ["#1b6ca8", "#d1495b", "#2a9d8f", "#e9a23b", "#6a4c93", "#4d4d4d", "#8ab17d", "#c06014"]

    /// `n` distinct colours: the palette, or for more points than it has, hues spread evenly
    /// round the wheel (so no two points of a big sweep share a colour).
    public static func colours(_ n: Int) -> [String] {
        guard n > palette.count else { return Array(palette.prefix(n)) }
        return (0..<n).map { k in
            // HSL(h, 65%, 42%) to RGB.
            let h = Double(k) / Double(n) * 6, c = (1 - abs(2 * 0.42 - 1)) * 0.65, x = c * (1 - abs(h.truncatingRemainder(dividingBy: 2) - 1))
            let (r, g, b): (Double, Double, Double) =
                h < 1 ? (c, x, 0) : h < 2 ? (x, c, 0) : h < 3 ? (0, c, x) : h < 4 ? (0, x, c) : h < 5 ? (x, 0, c) : (c, 0, x)
            let m = 0.42 - c / 2
            return String(format: "#%02x%02x%02x", Int((r + m) * 255), Int((g + m) * 255), Int((b + m) * 255))
        }
    }

    /// The spacing of the round ticks covering [lo, hi]: 1, 2, 2.5 or 5 times a power of ten.
    static func tickStep(_ lo: Double, _ hi: Double, count: Int = 5) -> Double {
        let span = max(hi - lo, 1e-12)
        let raw = span / Double(count)
        let magnitude = pow(10, floor(log10(raw)))
        return [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
    }

    /// Round tick values covering [lo, hi].
    static func ticks(_ lo: Double, _ hi: Double, count: Int = 5) -> [Double] {
        let step = tickStep(lo, hi, count: count)
        var t = (lo / step).rounded(.up) * step
        var out: [Double] = []
        while t <= hi + step * 1e-9 { out.append(abs(t) < step * 1e-9 ? 0 : t); t += step }
        return out
    }

    /// The round ticks covering [lo, hi], each with its text (``label(_:step:)`` at their spacing).
    static func labelledTicks(_ lo: Double, _ hi: Double) -> [(value: Double, text: String)] {
        let step = tickStep(lo, hi)
        return ticks(lo, hi).map { ($0, label($0, step: step)) }
    }

    /// A tick's text, with as many digits as the ticks' spacing needs, so that neighbouring ticks
    /// never print alike (2007.5 is "2007.5", not "2e+03"); trailing zeros are dropped, and values
    /// of a million or more are written with an exponent.
    static func label(_ v: Double, step: Double) -> String {
        // The lowest decimal place the spacing uses: 2.5 uses the tenths (-1), 20,000 the ten-thousands.
        var place = Int(floor(log10(max(step, 1e-300))))
        while place > -12 {
            let scaled = step / pow(10, Double(place))
            if abs(scaled - scaled.rounded()) <= 1e-6 * max(scaled, 1) { break }
            place -= 1
        }
        if abs(v) >= 1e6 {
            let digits = max(Int(floor(log10(abs(v)))) - place + 1, 1)
            return String(format: "%.\(digits)g", v).replacingOccurrences(of: "e+0", with: "e+")
        }
        var text = String(format: "%.\(max(-place, 0))f", v)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// The frame of a chart: title, grid, ticks, axes. Ticks below `tickFloor` are not drawn (a
    /// scatter's axes start a little below 0 so that points at 0 lie inside the frame).
    private func frame(
        xRange: (Double, Double), yRange: (Double, Double), tickFloor: (x: Double, y: Double) = (-.infinity, -.infinity)
    ) -> (String, (Double) -> Double, (Double) -> Double) {
        let plotW = width - left - right, plotH = height - top - bottom
        let sx = { (x: Double) in left + (x - xRange.0) / max(xRange.1 - xRange.0, 1e-12) * plotW }
        let sy = { (y: Double) in top + plotH - (y - yRange.0) / max(yRange.1 - yRange.0, 1e-12) * plotH }
        var s =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"sans-serif\" font-size=\"12\">\n"
        s += "<rect x=\"0\" y=\"0\" width=\"\(Int(width))\" height=\"\(Int(height))\" fill=\"white\"/>\n"
        s +=
            "<text x=\"\(Int(width / 2))\" y=\"22\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">\(Self.escape(title))</text>\n"
        for (t, text) in Self.labelledTicks(yRange.0, yRange.1) where t >= tickFloor.y - 1e-12 {
            let y = sy(t)
            s += String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#dddddd\"/>\n", left, y, left + plotW, y)
            s += String(format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%@</text>\n", left - 6, y + 4, text)
        }
        for (t, text) in Self.labelledTicks(xRange.0, xRange.1) where t >= tickFloor.x - 1e-12 {
            let x = sx(t)
            s += String(
                format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#888888\"/>\n", x, top + plotH, x, top + plotH + 5)
            s += String(format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%@</text>\n", x, top + plotH + 18, text)
        }
        s += String(
            format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"#444444\"/>\n", left, top, plotW,
            plotH)
        s += String(
            format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%@</text>\n", left + plotW / 2, height - 12, Self.escape(xLabel))
        s += String(
            format: "<text x=\"16\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 16 %.1f)\">%@</text>\n",
            top + plotH / 2, top + plotH / 2, Self.escape(yLabel))
        return (s, sx, sy)
    }

    /// A line chart; series with low/high get a shaded band.
    public func lines(_ series: [Series], yRange fixed: (Double, Double)? = nil) -> String {
        let xs = series.flatMap(\.x), ys = series.flatMap { $0.y + ($0.low ?? []) + ($0.high ?? []) }
        let xRange = (xs.min() ?? 0, xs.max() ?? 1)
        let yRange = fixed ?? (min(0, ys.min() ?? 0), max((ys.max() ?? 1) * 1.05, 1e-9))
        var (s, sx, sy) = frame(xRange: xRange, yRange: yRange)
        var ly = top + 14
        for line in series {
            if let low = line.low, let high = line.high {
                var points = zip(line.x, high).map { String(format: "%.1f,%.1f", sx($0), sy($1)) }
                points += zip(line.x, low).reversed().map { String(format: "%.1f,%.1f", sx($0), sy($1)) }
                s +=
                    "<polygon points=\"\(points.joined(separator: " "))\" fill=\"\(line.colour)\" fill-opacity=\"0.18\" stroke=\"none\"/>\n"
            }
            let points = zip(line.x, line.y).map { String(format: "%.1f,%.1f", sx($0), sy($1)) }
            let dash = line.dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
            s +=
                "<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"\(line.colour)\" stroke-width=\"\(line.dash == nil ? 2 : 3)\"\(dash)/>\n"
            s += String(
                format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%@\" stroke-width=\"3\"%@/>\n", width - right + 12,
                ly - 4, width - right + 32, ly - 4, line.colour, dash)
            s += legendText(line.label, x: width - right + 38, y: &ly, room: right - 42)
        }
        if series.contains(where: { $0.low != nil }) {
            s += String(format: "<text x=\"%.1f\" y=\"%.1f\" fill=\"#555555\">shaded: 5–95%%</text>\n", width - right + 12, ly + 6)
        }
        return s + "</svg>\n"
    }

    /// One group of horizontal bars per category (e.g. a path), one bar per series, each with
    /// its value written beside it and an optional interval as a whisker.
    public struct Bars {
        public var label: String
        public var colour: String
        public var values: [Double]
        public var low: [Double]? = nil
        public var high: [Double]? = nil
        /// What to write beside each bar instead of its formatted value.
        public var texts: [String]? = nil
        /// Bars drawn pale (e.g. "not reached within the horizon": a bound, not a value).
        public var faded: [Bool]? = nil
        public init(label: String, colour: String, values: [Double], low: [Double]? = nil, high: [Double]? = nil) {
            self.label = label; self.colour = colour; self.values = values; self.low = low; self.high = high
        }
    }

    public func bars(categories: [String], _ series: [Bars], format: (Double) -> String) -> String {
        let barH = 14.0, gap = 10.0
        let groupH = Double(series.count) * barH + gap
        // Room for the longest category name (about 7 px a character), up to half the chart.
        let labelW = min(width / 2 - 40, 8 + 7 * Double(categories.map(\.count).max() ?? 4))
        let plotLeft = labelW + 10, plotRight = 190.0
        var chart = self
        chart.height = max(160, top + Double(categories.count) * groupH + 60)
        let plotW = width - plotLeft - plotRight
        let top = self.top
        // Room to the right of the longest bar for its text.
        let hi = max(series.flatMap { $0.values + ($0.high ?? []) }.max() ?? 1, 1e-9) * 1.25
        let sx = { (v: Double) in plotLeft + max(0, v) / hi * plotW }
        var s =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(chart.height))\" viewBox=\"0 0 \(Int(width)) \(Int(chart.height))\" font-family=\"sans-serif\" font-size=\"12\">\n"
        s += "<rect x=\"0\" y=\"0\" width=\"\(Int(width))\" height=\"\(Int(chart.height))\" fill=\"white\"/>\n"
        s +=
            "<text x=\"\(Int(width / 2))\" y=\"22\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">\(Self.escape(title))</text>\n"
        let bottomY = top + Double(categories.count) * groupH
        for (t, text) in Self.labelledTicks(0, hi) {
            s += String(
                format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#dddddd\"/>\n", sx(t), top - 4, sx(t), bottomY)
            s += String(format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%@</text>\n", sx(t), bottomY + 16, text)
        }
        s += String(
            format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%@</text>\n", plotLeft + plotW / 2, bottomY + 36,
            Self.escape(xLabel))
        for (c, category) in categories.enumerated() {
            let gy = top + Double(c) * groupH
            s += String(
                format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%@</text>\n", labelW, gy + Double(series.count) * barH / 2 + 4,
                Self.escape(category))
            for (k, b) in series.enumerated() {
                let y = gy + Double(k) * barH, v = b.values[c]
                let pale = b.faded?[c] == true
                s += String(
                    format: "<rect class=\"%@\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%@\" fill-opacity=\"%@\"/>\n",
                    pale ? "bar bound" : "bar", plotLeft, y + 1, sx(v) - plotLeft, barH - 2, b.colour, pale ? "0.25" : "1")
                var end = sx(v)
                if let lo = b.low?[c], let up = b.high?[c] {
                    s += String(
                        format: "<line class=\"whisker\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#222222\"/>\n", sx(lo),
                        y + barH / 2, sx(up), y + barH / 2)
                    end = max(end, sx(up))
                }
                s += String(
                    format: "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\">%@</text>\n", end + 4, y + barH - 3,
                    Self.escape(b.texts?[c] ?? format(v)))
            }
        }
        var ly = top + 14
        for b in series {
            s += String(
                format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"10\" fill=\"%@\"/>\n", width - plotRight + 12, ly - 9, b.colour)
            s += legendText(b.label, x: width - plotRight + 30, y: &ly, room: plotRight - 34)
        }
        return s + "</svg>\n"
    }

    /// Charts one above another in one SVG, each with its own axis: for quantities of different
    /// kinds (cumulative counts, distinct persons, monthly means) that must not share an axis.
    /// Each panel is a chart from this type (an `<svg>` with its width and height).
    public static func stacked(_ panels: [String]) -> String {
        let header = "<svg xmlns=\"http://www.w3.org/2000/svg\" "
        func size(_ svg: String, _ name: String) -> Double {
            guard let r = svg.range(of: " \(name)=\""), let end = svg[r.upperBound...].firstIndex(of: "\"") else { return 0 }
            return Double(svg[r.upperBound..<end]) ?? 0
        }
        precondition(panels.allSatisfy { $0.hasPrefix(header) }, "every panel is a chart of this type, starting with its <svg> element")
        let width = panels.map { size($0, "width") }.max() ?? 0
        var y = 0.0, body = ""
        for panel in panels {
            body += "<svg class=\"panel\" x=\"0\" y=\"\(Int(y))\" " + panel.dropFirst(header.count)
            y += size(panel, "height")
        }
        return header + "width=\"\(Int(width))\" height=\"\(Int(y))\" viewBox=\"0 0 \(Int(width)) \(Int(y))\" "
            + "font-family=\"sans-serif\" font-size=\"12\">\n" + body + "</svg>\n"
    }

    /// A heatmap of a value over a grid of two parameters: one cell per (x, y) pair, shaded from
    /// white (the lowest value) to blue (the highest), the value written in each cell when it fits;
    /// nil cells (no runs) are hatched grey.
    public func heatmap(x: [String], y: [String], values: [[Double?]], valueLabel: String, format: (Double) -> String) -> String {
        let plotW = width - left - right, plotH = height - top - bottom
        let cw = plotW / Double(max(x.count, 1)), ch = plotH / Double(max(y.count, 1))
        let all = values.flatMap { $0.compactMap { $0 } }
        let lo = all.min() ?? 0, hi = all.max() ?? 1
        func shade(_ v: Double) -> String {
            let t = hi > lo ? (v - lo) / (hi - lo) : 0.5
            let r = Int(255 - t * (255 - 27)), g = Int(255 - t * (255 - 108)), b = Int(255 - t * (255 - 168))
            return String(format: "#%02x%02x%02x", r, g, b)
        }
        var s =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"sans-serif\" font-size=\"12\">\n"
        s += "<rect x=\"0\" y=\"0\" width=\"\(Int(width))\" height=\"\(Int(height))\" fill=\"white\"/>\n"
        s +=
            "<text x=\"\(Int(width / 2))\" y=\"22\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">\(Self.escape(title))</text>\n"
        for (i, xv) in x.enumerated() {
            for (j, yv) in y.enumerated() {
                let cx = left + Double(i) * cw, cy = top + plotH - Double(j + 1) * ch
                if let v = values[i][j] {
                    s += String(
                        format:
                            "<rect class=\"cell\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%@\" stroke=\"white\"><title>%@ %@, %@ %@: %@</title></rect>\n",
                        cx, cy, cw, ch, shade(v), Self.escape(xLabel), Self.escape(xv), Self.escape(yLabel), Self.escape(yv), format(v))
                    if cw >= 34 && ch >= 16 {
                        let dark = hi > lo && (v - lo) / (hi - lo) > 0.6
                        s += String(
                            format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"%@\">%@</text>\n", cx + cw / 2,
                            cy + ch / 2 + 4, dark ? "white" : "#222222", format(v))
                    }
                } else {
                    s += String(
                        format:
                            "<rect class=\"empty\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#eeeeee\" stroke=\"white\"/>\n",
                        cx, cy, cw, ch)
                }
            }
        }
        let step = max(1, x.count / 8)
        for (i, xv) in x.enumerated() where i % step == 0 {
            s += String(
                format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%@</text>\n", left + (Double(i) + 0.5) * cw, top + plotH + 18,
                Self.escape(xv))
        }
        let ystep = max(1, y.count / 10)
        for (j, yv) in y.enumerated() where j % ystep == 0 {
            s += String(
                format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%@</text>\n", left - 6, top + plotH - (Double(j) + 0.5) * ch + 4,
                Self.escape(yv))
        }
        s += String(
            format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%@</text>\n", left + plotW / 2, height - 12, Self.escape(xLabel))
        s += String(
            format: "<text x=\"16\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 16 %.1f)\">%@</text>\n", top + plotH / 2,
            top + plotH / 2, Self.escape(yLabel))
        let lx = width - right + 12
        s += String(format: "<text x=\"%.1f\" y=\"%.1f\">%@</text>\n", lx, top + 10, Self.escape(valueLabel))
        s += String(
            format:
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"16\" height=\"14\" fill=\"%@\" stroke=\"#999999\"/><text x=\"%.1f\" y=\"%.1f\">%@ (highest)</text>\n",
            lx, top + 20, shade(hi), lx + 22, top + 31, format(hi))
        s += String(
            format:
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"16\" height=\"14\" fill=\"%@\" stroke=\"#999999\"/><text x=\"%.1f\" y=\"%.1f\">%@ (lowest)</text>\n",
            lx, top + 40, shade(lo), lx + 22, top + 51, format(lo))
        return s + "</svg>\n"
    }

    /// A posterior predictive chart: the 5–95% band and median of what the data would show,
    /// with the observed values as points (filled: fitted; hollow: held out of the fit).
    public func predictive(
        x: [Double], low: [Double], median: [Double], high: [Double],
        observed: [(x: Double, y: Double, heldOut: Bool)], colour: String = palette[0]
    ) -> String {
        let ys = low + median + high + observed.map(\.y)
        let xs = x + observed.map(\.x)
        let xRange = ((xs.min() ?? 0) - 0.5, (xs.max() ?? 1) + 0.5)
        let yRange = (min(0, ys.min() ?? 0), max((ys.max() ?? 1) * 1.08, 1e-9))
        var (s, sx, sy) = frame(xRange: xRange, yRange: yRange)
        var band = zip(x, high).map { String(format: "%.1f,%.1f", sx($0), sy($1)) }
        band += zip(x, low).reversed().map { String(format: "%.1f,%.1f", sx($0), sy($1)) }
        s += "<polygon class=\"band\" points=\"\(band.joined(separator: " "))\" fill=\"\(colour)\" fill-opacity=\"0.2\" stroke=\"none\"/>\n"
        let line = zip(x, median).map { String(format: "%.1f,%.1f", sx($0), sy($1)) }
        s +=
            "<polyline class=\"median\" points=\"\(line.joined(separator: " "))\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"/>\n"
        if x.count == 1 {
            // One date has no band or line to draw: its interval as a bar with the median across it.
            let cx = sx(x[0]), lo = sy(low[0]), hi = sy(high[0]), mid = sy(median[0])
            s += String(
                format: "<rect class=\"interval\" x=\"%.1f\" y=\"%.1f\" width=\"16\" height=\"%.1f\" fill=\"%@\" fill-opacity=\"0.2\"/>\n",
                cx - 8, hi, max(lo - hi, 1), colour)
            s += String(
                format: "<line class=\"median-mark\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%@\" stroke-width=\"2\"/>\n",
                cx - 8, mid, cx + 8, mid, colour)
        }
        for o in observed {
            s += String(
                format: "<circle class=\"%@\" cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%@\" stroke=\"#222222\" stroke-width=\"1.5\"/>\n",
                o.heldOut ? "held-out" : "fitted", sx(o.x), sy(o.y), o.heldOut ? "white" : "#222222")
        }
        let lx = width - right + 12
        s += String(
            format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"20\" height=\"10\" fill=\"%@\" fill-opacity=\"0.2\"/>\n", lx, top + 4, colour)
        s += String(format: "<text x=\"%.1f\" y=\"%.1f\">predictive 5–95%%</text>\n", lx + 26, top + 13)
        s += String(
            format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%@\" stroke-width=\"2\"/>\n", lx, top + 27, lx + 20,
            top + 27, colour)
        s += String(format: "<text x=\"%.1f\" y=\"%.1f\">median</text>\n", lx + 26, top + 31)
        s += String(format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"#222222\"/>\n", lx + 10, top + 45)
        s += String(format: "<text x=\"%.1f\" y=\"%.1f\">observed, fitted</text>\n", lx + 26, top + 49)
        s += String(
            format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"white\" stroke=\"#222222\" stroke-width=\"1.5\"/>\n", lx + 10, top + 63)
        s += String(format: "<text x=\"%.1f\" y=\"%.1f\">observed, held out</text>\n", lx + 26, top + 67)
        return s + "</svg>\n"
    }

    /// A legend entry at (x, y), wrapped at spaces onto as many lines as `room` pixels need (at
    /// about 7 px a character), so that no label runs off the canvas; moves `y` to the next entry.
    func legendText(_ label: String, x: Double, y: inout Double, room: Double) -> String {
        let perLine = max(8, Int(room / 7))
        var lines: [String] = [], current = ""
        for word in label.split(separator: " ") {
            if !current.isEmpty && current.count + 1 + word.count > perLine { lines.append(current); current = "" }
            current += (current.isEmpty ? "" : " ") + word
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        var s = String(format: "<text class=\"legend\" x=\"%.1f\" y=\"%.1f\">", x, y)
        for (k, line) in lines.enumerated() {
            s += String(format: "<tspan x=\"%.1f\" dy=\"%@\">%@</tspan>", x, k == 0 ? "0" : "14", Self.escape(line))
        }
        y += 18 + 14 * Double(lines.count - 1)
        return s + "</text>\n"
    }

    /// A label's box (x, y: top-left corner), estimated from its length at 12 px sans-serif.
    struct LabelBox: Equatable {
        var x, y, width, height: Double
        func overlaps(_ o: LabelBox) -> Bool {
            x < o.x + o.width && o.x < x + width && y < o.y + o.height && o.y < y + height
        }
    }

    /// Places each label beside its point where it overlaps no label placed before it and no
    /// other point's mark (trying right, left, above and below at growing distances); a label
    /// that fits nowhere takes the least-crowded place.
    static func placeLabels(
        _ labels: [String], at positions: [(Double, Double)],
        within bounds: LabelBox = LabelBox(x: 0, y: 0, width: .infinity, height: .infinity)
    ) -> [LabelBox] {
        var placed: [LabelBox] = []
        let marks = positions.map { LabelBox(x: $0.0 - 10, y: $0.1 - 10, width: 20, height: 20) }
        for (k, label) in labels.enumerated() {
            let w = 7.0 * Double(label.count) + 2, h = 14.0
            let (x, y) = positions[k]
            var candidates: [LabelBox] = []
            for d in [12.0, 20, 30, 42] {
                candidates += [
                    LabelBox(x: x + d, y: y - d / 2 - h / 2 - 4, width: w, height: h),
                    LabelBox(x: x + d, y: y + d / 2 - h / 2 + 4, width: w, height: h),
                    LabelBox(x: x - d - w, y: y - d / 2 - h / 2 - 4, width: w, height: h),
                    LabelBox(x: x - d - w, y: y + d / 2 - h / 2 + 4, width: w, height: h),
                    LabelBox(x: x - w / 2, y: y - d - h, width: w, height: h),
                    LabelBox(x: x - w / 2, y: y + d, width: w, height: h),
                ]
            }
            // Only places that stay on the canvas.
            candidates = candidates.filter { c in
                c.x >= bounds.x && c.y >= bounds.y && c.x + c.width <= bounds.x + bounds.width && c.y + c.height <= bounds.y + bounds.height
            }
            if candidates.isEmpty {
                candidates = [
                    LabelBox(x: min(max(bounds.x, x + 12), bounds.x + bounds.width - w), y: max(bounds.y, y - 22), width: w, height: h)
                ]
            }
            let others = placed + marks.enumerated().filter { $0.offset != k }.map(\.element)
            let best =
                label.isEmpty
                ? candidates[0]
                : candidates.first { c in !others.contains { c.overlaps($0) } }
                    ?? candidates.min { a, b in others.filter { a.overlaps($0) }.count < others.filter { b.overlaps($0) }.count }!
            placed.append(label.isEmpty ? LabelBox(x: -1e9, y: -1e9, width: 0, height: 0) : best)
        }
        return placed
    }

    /// A scatter plot: filled points, ringed points (e.g. the Pareto front), labels beside points
    /// placed so that they do not overlap.
    public func scatter(_ points: [Point], legend: [String]) -> String {
        let xs = points.flatMap { [$0.x] + ($0.xInterval.map { [$0.0, $0.1] } ?? []) }
        let ys = points.flatMap { [$0.y] + ($0.yInterval.map { [$0.0, $0.1] } ?? []) }
        // An axis whose values are all 0 runs 0–1, not 0–1e-9 (ticks like "2e-10").
        let xTop = (xs.max() ?? 0) > 0 ? (xs.max() ?? 1) * 1.3 : 1
        let yTop = (ys.max() ?? 0) > 0 ? (ys.max() ?? 1) * 1.1 : 1
        // Axes start a little below their lowest value, so that a point at 0 (the status quo, a
        // coercion-free path) lies inside the frame and off the tick labels.
        let xLow = min(0, xs.min() ?? 0), yLow = min(0, ys.min() ?? 0)
        let xRange = (xLow - 0.05 * (xTop - xLow), xTop)
        let yRange = (yLow - 0.07 * (yTop - yLow), yTop)
        var (s, sx, sy) = frame(xRange: xRange, yRange: yRange, tickFloor: (xLow, yLow))
        let colours = Self.colours(points.count)
        let positions = points.map { (sx($0.x), sy($0.y)) }
        let labels = Self.placeLabels(
            points.map(\.label), at: positions,
            within: LabelBox(x: 2, y: top, width: width - right + 8, height: height - top - 2))
        for (k, p) in points.enumerated() {
            let colour = colours[k]
            let (x, y) = positions[k]
            if let (lo, hi) = p.xInterval {
                s += String(
                    format:
                        "<line class=\"whisker\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%@\" stroke-opacity=\"0.6\"/>\n",
                    sx(lo), y, sx(hi), y, colour)
            }
            if let (lo, hi) = p.yInterval {
                s += String(
                    format:
                        "<line class=\"whisker\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%@\" stroke-opacity=\"0.6\"/>\n",
                    x, sy(lo), x, sy(hi), colour)
            }
            if p.ring {
                s += String(
                    format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"10\" fill=\"none\" stroke=\"#222222\" stroke-width=\"1.5\"/>\n", x, y)
            }
            s += String(
                format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"6\" fill=\"%@\" stroke=\"%@\" stroke-width=\"2\"/>\n",
                x, y, p.filled ? colour : "white", colour)
        }
        for (k, p) in points.enumerated() where !p.label.isEmpty {
            let box = labels[k]
            s += String(format: "<text x=\"%.1f\" y=\"%.1f\">%@</text>\n", box.x, box.y + box.height - 3, Self.escape(p.label))
        }
        for (k, line) in legend.enumerated() {
            s += String(
                format: "<text x=\"%.1f\" y=\"%.1f\" fill=\"#333333\">%@</text>\n", width - right + 12, top + 14 + Double(k) * 18,
                Self.escape(line))
        }
        // Colours named, when there are few enough points to list.
        let named = points.enumerated().filter { !$0.element.label.isEmpty }
        if named.count <= 10 {
            for (row, (k, p)) in named.enumerated() {
                let ly = top + 14 + Double(legend.count + row) * 18 + 8
                let text = p.key ?? p.label
                let label = text.count > 24 ? String(text.prefix(23)) + "…" : text
                // The key is drawn as the mark is: filled only where the path is coercion-free.
                s += String(
                    format: "<circle class=\"key\" cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%@\" stroke=\"%@\" stroke-width=\"2\"/>\n",
                    width - right + 17, ly - 4, p.filled ? colours[k] : "white", colours[k])
                s += String(format: "<text x=\"%.1f\" y=\"%.1f\">%@</text>\n", width - right + 28, ly, Self.escape(label))
            }
        }
        return s + "</svg>\n"
    }
}
