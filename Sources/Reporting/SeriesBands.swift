/// Mean and 5/50/95% bands of one curve across replicates, month by month.
public struct CurveBands: Sendable, Equatable {
    public var column: String
    public var months: [Int]
    public var bands: [Band]

    /// `curves[r][t]`: replicate r at month index t (all replicates cover the same months).
    public init(column: String, months: [Int], curves: [[Double]]) {
        precondition(
            !curves.isEmpty && curves.allSatisfy { $0.count == months.count },
            "every replicate must cover the same months")
        self.column = column
        self.months = months
        bands = months.indices.map { t in Quantiles.band(curves.map { $0[t] })! }
    }

    /// bands.csv rows for this curve: column, month, mean, p5, p50, p95.
    public func csvRows() -> String {
        zip(months, bands).map { m, b in
            "\(column),\(m),\(fmt(b.mean)),\(fmt(b.p5)),\(fmt(b.p50)),\(fmt(b.p95))"
        }.joined(separator: "\n")
    }
}

func fmt(_ x: Double) -> String {
    x == 0 ? "0" : String(format: "%.6g", x)
}
