import Foundation
import Stochastic
import TransitionModel
import Yams

/// The points of a design: the varied key paths and, per point, its overrides ("key=value", as
/// `--set` takes them).
struct DesignPoints {
    var parameters: [String] = []
    var overrides: [[String]] = []
    /// Saltelli's design with the rows for second-order indices.
    var secondOrder = false
    /// Where each override written in the file ("key=value") was read, every place in file
    /// order, for the messages about values the scenario refuses; values computed from ranges
    /// have none.
    var written: [String: [Node]] = [:]

    /// Records where `parameters`' listed values were written.
    mutating func noteWritten(_ parameters: [SweepReader.Parameter]) {
        for p in parameters {
            for (value, node) in zip(p.values, p.nodes) { noteWritten("\(p.key)=\(value)", at: node) }
        }
    }

    /// Records that `override` was written at `node`.
    mutating func noteWritten(_ override: String, at node: Node) {
        written[override, default: []].append(node)
    }
}

/// Turns a design's own keys of a sweep file into points. One type per design: adding a design
/// is a case of ``SweepFile/Design``, a builder and its keys in ``SweepReader/keys``.
protocol SweepDesignBuilder {
    /// The points, or issues filed on `reader` (the points are then not used).
    func points(_ reader: inout SweepReader, seed: UInt64) -> DesignPoints
}

extension SweepFile.Design {
    var builder: any SweepDesignBuilder {
        switch self {
        case .grid: GridDesign()
        case .combinations: CombinationsDesign()
        case .latinHypercube: LatinHypercubeDesign()
        case .saltelli: SaltelliDesign()
        case .csv: CSVDesign()
        }
    }
}

/// Every combination of the parameters' values (lists, or ranges in steps).
struct GridDesign: SweepDesignBuilder {
    func points(_ reader: inout SweepReader, seed: UInt64) -> DesignPoints {
        let parameters = reader.parameters(.valuesOrSteps)
        // Saturating: a product beyond Int.max is simply "too many", never a wrapped-around count.
        let total = parameters.reduce(1) { acc, p in
            let (product, overflow) = acc.multipliedReportingOverflow(by: p.values.count)
            return overflow ? Int.max : product
        }
        var result = DesignPoints(parameters: parameters.map(\.key))
        result.noteWritten(parameters)
        if total > SweepFile.maximumPoints {
            reader.issue(reader.sweepNode, "sweep.parameters", "the grid has \(total) points, more than \(SweepFile.maximumPoints)")
        } else if !parameters.isEmpty {
            result.overrides = [[]]
            for p in parameters {
                result.overrides = result.overrides.flatMap { point in p.values.map { point + ["\(p.key)=\($0)"] } }
            }
        }
        return result
    }
}

/// Hand-picked points: `combinations:`, a list of mappings of key paths to values.
struct CombinationsDesign: SweepDesignBuilder {
    func points(_ reader: inout SweepReader, seed: UInt64) -> DesignPoints {
        var result = DesignPoints()
        guard case .sequence(let combos)? = reader["combinations"], !combos.isEmpty else {
            reader.issue(reader.sweepNode, "sweep.combinations", "missing: a list of mappings, one per point")
            return result
        }
        for combo in combos {
            guard case .mapping(let m) = combo else { reader.issue(combo, "sweep.combinations", "expected a mapping per point"); continue }
            var point: [String] = []
            for (k, v) in m {
                guard let key = k.string, ScenarioSchema.byPath[key] != nil else {
                    reader.issue(
                        k, k.string, "unknown parameter" + suggestion(for: k.string ?? "", among: ScenarioSchema.parameters.map(\.path)))
                    continue
                }
                if !result.parameters.contains(key) { result.parameters.append(key) }
                point.append("\(key)=\(yamlText(v))")
                result.noteWritten("\(key)=\(yamlText(v))", at: v)
            }
            result.overrides.append(point)
        }
        return result
    }
}

/// `samples` points, each parameter's range cut into that many equal strata, one point per
/// stratum, strata paired at random (McKay et al. 1979); a list of values is cut alike.
struct LatinHypercubeDesign: SweepDesignBuilder {
    func points(_ reader: inout SweepReader, seed: UInt64) -> DesignPoints {
        let parameters = reader.parameters(.valuesOrRange)
        var result = DesignPoints(parameters: parameters.map(\.key))
        result.noteWritten(parameters)
        let samples = reader.samples(min: 1, missing: "the number of points of the Latin hypercube")
        guard samples > 0, reader.issues.isEmpty else { return result }
        let stream = RandomStream(seed: seed, stream: StreamID.latinHypercube)
        let columns: [[String]] = parameters.map { p in
            var strata = Array(0..<samples)
            for a in stride(from: samples - 1, to: 0, by: -1) { strata.swapAt(a, stream.index(below: a + 1)) }
            if let range = p.range {
                return strata.map { s in format(range.value(at: (Double(s) + stream.uniform()) / Double(samples))) }
            }
            return strata.map { p.values[min(p.values.count - 1, $0 * p.values.count / samples)] }
        }
        result.overrides = (0..<samples).map { i in parameters.indices.map { "\(parameters[$0].key)=\(columns[$0][i])" } }
        return result
    }
}

/// Saltelli's design for Sobol indices (ranges only): N × (D + 2) points, or N × (2D + 2) with
/// `second_order: true`, from a 2D-dimensional Sobol sequence digitally shifted by the seed, in
/// SALib's order.
struct SaltelliDesign: SweepDesignBuilder {
    func points(_ reader: inout SweepReader, seed: UInt64) -> DesignPoints {
        let spec = reader.spec
        var result = DesignPoints()
        if let node = reader["second_order"] {
            result.secondOrder = reader.read("sweep.second_order") { () throws(ScenarioIssue) in try spec.readBool(node) } ?? false
        }
        let parameters = reader.parameters(.rangeOnly)
        result.parameters = parameters.map(\.key)
        let samples = reader.samples(min: 2, missing: "the base sample size N (a power of two balances best)")
        let d = parameters.count
        if 2 * d > SobolSequence.maximumDimensions {
            reader.issue(
                reader["parameters"], "sweep.parameters",
                "Saltelli's design takes at most \(SobolSequence.maximumDimensions / 2) parameters (GSL's Sobol sequence has \(SobolSequence.maximumDimensions) dimensions), found \(d)"
            )
        }
        let rowsPerSample = result.secondOrder ? 2 * d + 2 : d + 2
        if samples * rowsPerSample > SweepFile.maximumPoints {
            reader.issue(
                reader["samples"], "sweep.samples",
                "\(samples) × \(rowsPerSample) = \(samples * rowsPerSample) points, more than \(SweepFile.maximumPoints)")
        }
        guard samples > 0, d > 0, reader.issues.isEmpty else { return result }
        let sequence = SobolSequence(dimensions: 2 * d)
        // A seeded digital shift (XOR of each coordinate's bits) keeps the sequence's even
        // cover and breaks the equal coordinates the plain sequence has across dimensions,
        // which would make A and B agree in a column (what SALib gets from scrambling).
        let stream = RandomStream(seed: seed, stream: StreamID.saltelliShift)
        let shifts = (0..<(2 * d)).map { _ in UInt32(stream.index(below: 1 << 30)) }
        for _ in 0..<samples {
            let u = zip(sequence.next(), shifts).map { x, shift in (Double(UInt32(x * 0x1p30) ^ shift) + 0.5) / 0x1p30 }
            let a = Array(u[..<d]), b = Array(u[d...])
            var rows = [a]
            for k in 0..<d { var ab = a; ab[k] = b[k]; rows.append(ab) }
            if result.secondOrder { for k in 0..<d { var ba = b; ba[k] = a[k]; rows.append(ba) } }
            rows.append(b)
            result.overrides += rows.map { row in
                parameters.indices.map { "\(parameters[$0].key)=\(format(parameters[$0].range!.value(at: row[$0])))" }
            }
        }
        return result
    }
}

/// Points read from a CSV (`design_file:`, header = key paths), e.g. written by SALib or
/// scipy.qmc, read by the same reader as every other CSV (quoted cells, `#` comment lines).
struct CSVDesign: SweepDesignBuilder {
    func points(_ reader: inout SweepReader, seed: UInt64) -> DesignPoints {
        var result = DesignPoints()
        guard let fileNode = reader["design_file"], let name = fileNode.string else {
            reader.issue(reader.sweepNode, "sweep.design_file", "missing: the CSV of points (header: key paths)")
            return result
        }
        let csvPath = reader.resolve(name)
        let table: CSVTable
        do {
            let text = try InputFile.text(csvPath, limit: SweepFile.maximumDesignBytes)
            guard !text.allSatisfy(\.isWhitespace) else {
                reader.issue(fileNode, "sweep.design_file", "\(name) is empty")
                return result
            }
            table = try CSVTable(parsing: text)
        } catch let error as CSVTable.Problem {
            reader.issue(fileNode, "sweep.design_file", "\(name):\(error.line): \(String(error.message.prefix(200)))")
            return result
        } catch {
            reader.issue(fileNode, "sweep.design_file", "'\(name)' (looked at \(csvPath)) \(error)")
            return result
        }
        if table.rows.count > SweepFile.maximumPoints {
            reader.issue(fileNode, "sweep.design_file", "\(name) has \(table.rows.count) points, more than \(SweepFile.maximumPoints)")
            return result
        }
        // Not one column is a parameter: another kind of CSV. Say so without quoting its header.
        if !table.header.contains(where: { ScenarioSchema.byPath[$0] != nil }) {
            reader.issue(
                fileNode, "sweep.design_file",
                "\(name) is not a design: none of its \(table.header.count) columns names a parameter (the header row holds key paths such as opinion.beta)")
            return result
        }
        for key in table.header where ScenarioSchema.byPath[key] == nil {
            // Only a short excerpt is echoed: the file may not be a design at all.
            let shown = key.count > 60 ? String(key.prefix(60)) + "…" : key
            reader.issue(
                fileNode, "sweep.design_file",
                "\(name):1: unknown parameter '\(shown)'"
                    + (key.count > 60 ? "" : suggestion(for: key, among: ScenarioSchema.parameters.map(\.path))))
        }
        var seen = Set<String>()
        for key in table.header where !seen.insert(key).inserted {
            reader.issue(fileNode, "sweep.design_file", "\(name):1: column '\(key.prefix(60))' appears twice: each parameter gets one column")
        }
        result.parameters = table.header
        result.overrides = table.rows.map { row in zip(table.header, row.cells).map { "\($0)=\($1)" } }
        if table.rows.isEmpty { reader.issue(fileNode, "sweep.design_file", "\(name) has no points") }
        return result
    }
}
