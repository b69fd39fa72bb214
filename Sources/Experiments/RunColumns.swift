import Foundation
import TransitionModel

/// One typed cell of a result table: stored as is in SQLite, formatted for CSV.
public enum ResultCell: Sendable, Equatable {
    case integer(Int64)
    case real(Double)
    case text(String)
    case boolean(Bool)
    case null

    /// The cell as CSV text: integers as integers, reals with 6 significant digits (identical
    /// text for identical values), booleans as true/false, null as empty; text quoted if needed.
    public var csv: String {
        switch self {
        case .integer(let n): return String(n)
        case .real(let x): return formatValue(x, count: false)
        case .text(let s): return csvQuoted(s)
        case .boolean(let b): return b ? "true" : "false"
        case .null: return ""
        }
    }
}

/// Quotes a CSV field when it holds a comma, quote or line break (RFC 4180).
public func csvQuoted(_ s: String) -> String {
    guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
    return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}

/// One declared per-run output column (runs.csv, the `runs` table of a sweep database).
public struct RunColumn: Sendable {
    public let name: String
    /// The SQLite column type (BOOLEAN: stored as 0 or 1, written as true or false).
    public let sqlType: String
    public let cell: @Sendable (ReplicateResult) -> ResultCell

    init(_ name: String, _ sqlType: String, _ cell: @escaping @Sendable (ReplicateResult) -> ResultCell) {
        self.name = name; self.sqlType = sqlType; self.cell = cell
    }

    static func share(_ name: String, _ value: @escaping @Sendable (RunSummary) -> Double) -> RunColumn {
        RunColumn(name, "REAL") { .real(value($0.summary)) }
    }

    static func count(_ name: String, _ value: @escaping @Sendable (RunSummary) -> Int) -> RunColumn {
        RunColumn(name, "INTEGER") { .integer(Int64(value($0.summary))) }
    }

    static func month(_ name: String, _ value: @escaping @Sendable (RunSummary) -> Int?) -> RunColumn {
        RunColumn(name, "INTEGER") { value($0.summary).map { .integer(Int64($0)) } ?? .null }
    }

    /// The summary of one run, after its replicate number and seed. Declared here, once.
    public static let summaries: [RunColumn] = {
        var columns: [RunColumn] = [
            share("final_workforce_bjc") { $0.final.workforceBJC },
            share("final_workforce_pay") { $0.final.workforcePay },
            share("final_workforce_both") { $0.final.workforceBoth },
            share("final_workplaces_bjc") { $0.final.workplacesBJC },
            share("final_workplaces_pay") { $0.final.workplacesPay },
            share("final_workplaces_both") { $0.final.workplacesBoth },
        ]
        for (i, level) in [10, 50, 90].enumerated() {
            columns.append(month("months_to_\(level)_bjc") { $0.monthsToBJC[i] })
        }
        for (i, level) in [10, 50, 90].enumerated() {
            columns.append(month("months_to_\(level)_pay") { $0.monthsToPay[i] })
        }
        columns += [
            share("peak_momentum") { $0.peakMomentum },
            count("overruled_events") { $0.ledger.overruledEvents },
            count("overruled_distinct") { $0.ledger.distinctOverruled },
            count("stood_aside") { $0.ledger.stoodAside },
            count("exits") { $0.ledger.totalExits },
            count("owners_expropriated") { $0.ledger.ownersExpropriated },
            share("coercion_per_1000") { $0.coercionPerThousand },
            RunColumn("coercion_free", "BOOLEAN") { .boolean($0.summary.coercionFree) },
            share("final_support_worker_bjc") { $0.final.supportWorkerBJC },
            share("final_support_coordinator_bjc") { $0.final.supportCoordinatorBJC },
            share("final_income_gini") { $0.final.incomeGini },
            share("final_coordinator_worker_pay_ratio") { $0.final.coordinatorWorkerPayRatio },
            count("persons") { $0.persons },
            count("final_month") { $0.final.month },
        ]
        return columns
    }()
}
