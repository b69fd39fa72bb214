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
    public let meaning: String
    /// The SQLite column type (BOOLEAN: stored as 0 or 1, written as true or false).
    public let sqlType: String
    /// What the column's cells may hold; readers of result folders and databases check by it.
    public let domain: Domain
    public let cell: @Sendable (ReplicateResult) -> ResultCell

    /// The values a column can hold: anything else read back is damage, not a result.
    public enum Domain: Sendable, Equatable {
        /// A share in [0, 1].
        case share
        /// A number ≥ 0 (counts, rates per 1,000, momentum, pay ratios).
        case nonNegative
        /// A month ≥ 0, or empty: never reached.
        case month
        /// true or false.
        case flag

        /// What a cell as written in runs.csv should have held, or nil when it is fine.
        func problem(with cell: String) -> String? {
            switch self {
            case .flag:
                return cell == "true" || cell == "false" ? nil : "true or false"
            case .month:
                return cell.isEmpty || Int(cell).map({ $0 >= 0 }) == true ? nil : "empty (never reached) or a month ≥ 0"
            case .share, .nonNegative:
                guard let x = Double(cell), x.isFinite else { return nil }  // reported as "not a number" by name
                return range.contains(x) ? nil : "a number in [\(formatValue(range.lowerBound, count: false)), \(formatValue(range.upperBound, count: false))]"
            }
        }

        /// The numbers the domain allows (months below 10⁹, counts below 10¹⁵ so that they
        /// convert to integers).
        public var range: ClosedRange<Double> {
            switch self {
            case .share: 0...1
            case .nonNegative: 0...1e15
            case .month: 0...1e9
            case .flag: 0...1
            }
        }
    }

    init(
        _ name: String, _ meaning: String, _ sqlType: String, _ domain: Domain,
        _ cell: @escaping @Sendable (ReplicateResult) -> ResultCell
    ) {
        self.name = name; self.meaning = meaning; self.sqlType = sqlType; self.domain = domain; self.cell = cell
    }

    static func share(_ name: String, _ meaning: String, _ value: @escaping @Sendable (RunSummary) -> Double) -> RunColumn {
        RunColumn(name, meaning, "REAL", .share) { .real(value($0.summary)) }
    }

    static func number(_ name: String, _ meaning: String, _ value: @escaping @Sendable (RunSummary) -> Double) -> RunColumn {
        RunColumn(name, meaning, "REAL", .nonNegative) { .real(value($0.summary)) }
    }

    static func count(_ name: String, _ meaning: String, _ value: @escaping @Sendable (RunSummary) -> Int) -> RunColumn {
        RunColumn(name, meaning, "INTEGER", .nonNegative) { .integer(Int64(value($0.summary))) }
    }

    static func month(_ name: String, _ meaning: String, _ value: @escaping @Sendable (RunSummary) -> Int?) -> RunColumn {
        RunColumn(name, meaning, "INTEGER", .month) { value($0.summary).map { .integer(Int64($0)) } ?? .null }
    }

    /// The declared summary columns by name: readers check cells by their ``Domain``.
    static let summariesByName: [String: RunColumn] = Dictionary(summaries.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })

    /// The summary of one run, after its replicate number and seed. Declared here, once.
    public static let summaries: [RunColumn] = {
        var columns: [RunColumn] = [
            share("final_workforce_bjc", "share of the workforce in workplaces with BJC at the end") { $0.final.workforceBJC },
            share("final_workforce_pay", "share of the workforce in workplaces with equitable pay at the end") { $0.final.workforcePay },
            share("final_workforce_both", "share of the workforce in workplaces with both at the end") { $0.final.workforceBoth },
            share("final_workplaces_bjc", "share of open workplaces with BJC at the end") { $0.final.workplacesBJC },
            share("final_workplaces_pay", "share of open workplaces with equitable pay at the end") { $0.final.workplacesPay },
            share("final_workplaces_both", "share of open workplaces with both at the end") { $0.final.workplacesBoth },
        ]
        for (i, level) in [10, 50, 90].enumerated() {
            columns.append(
                month("months_to_\(level)_bjc", "first month the workforce share with BJC reached \(level)%; empty if never") {
                    $0.monthsToBJC[i]
                })
        }
        for (i, level) in [10, 50, 90].enumerated() {
            columns.append(
                month("months_to_\(level)_pay", "first month the workforce share with equitable pay reached \(level)%; empty if never") {
                    $0.monthsToPay[i]
                })
        }
        columns += [
            number("peak_momentum", "highest movement momentum reached") { $0.peakMomentum },
            number(
                "opposition_per_1000",
                "distinct persons who had an institution adopted over them while leaning against it (u < 0), per 1,000 persons: the opposition measure, the same for every path and rule"
            ) { $0.adoptedOverPerThousand() },
            RunColumn(
                "coercion_free",
                "true when nobody with u < 0 had an institution adopted over them and no owner was expropriated (the same verdict for every path)",
                "BOOLEAN", .flag
            ) { .boolean($0.summary.coercionFree) },
            count("owners_expropriated", "owners whose firm was transferred without their consent") { $0.ledger.ownersExpropriated },
            count("exits", "non-supporters who left a workplace after it adopted (stood-aside ones included)") { $0.ledger.totalExits },
        ]
        for (j, name) in CoercionLedger.levelNames.enumerated() {
            columns.append(
                count(
                    "adopted_over_persons_\(name)",
                    "distinct persons who had an institution adopted over them with \(CoercionLedger.levelLabels[j]), any route, any rule"
                ) { $0.ledger.adoptedOverPersons[j] })
        }
        for (j, name) in CoercionLedger.levelNames.enumerated() {
            columns.append(
                count(
                    "adopted_over_events_\(name)", "events (one per member per institution adopted) with \(CoercionLedger.levelLabels[j])"
                ) { $0.ledger.adoptedOverEvents[j] })
        }
        columns += [
            count(
                "overruled_events",
                "rule-specific: overruled events under a threshold rule (one per opposing member per institution adopted)"
            ) { $0.ledger.overruledEvents },
            count("overruled_distinct", "rule-specific: distinct persons overruled at least once") { $0.ledger.distinctOverruled },
            count("stood_aside", "rule-specific: non-supporters who stood aside under consensus (events; those who then left included)") {
                $0.ledger.stoodAside
            },
            number("jobs_lost_per_1000", "status quo: jobs lost to workplace failures (all kinds) per 1,000 persons") {
                $0.jobsLostPerThousand
            },
            number("unheard_per_1000", "status quo: mean persons per month with no say over an institution they support, per 1,000 persons")
            { $0.unheardPerThousand },
            number("income_lost", "status quo: income lost with jobs lost to failures, in pay units") { $0.statusQuo.incomeLost },
        ]
        for kind in StatusQuoLedger.FailedKind.allCases {
            columns.append(
                count("jobs_lost_\(kind.label)", "status quo: jobs lost to the failure of \(kind.label) workplaces") {
                    $0.statusQuo.jobsLost[kind.rawValue]
                })
        }
        columns += [
            count("exits_after_standing_aside", "non-supporters who stood aside under consensus and then left") {
                $0.ledger.exitsAfterStandingAside
            },
            share("final_support_worker_bjc", "share of workers supporting BJC at the end") { $0.final.supportWorkerBJC },
            share("final_support_coordinator_bjc", "share of coordinators supporting BJC at the end") { $0.final.supportCoordinatorBJC },
            share("final_income_gini", "Gini coefficient of incomes at the end") { $0.final.incomeGini },
            number("final_coordinator_worker_pay_ratio", "mean coordinator pay over mean worker pay at the end") {
                $0.final.coordinatorWorkerPayRatio
            },
            share("final_lowest_decile_share", "share of all income received by the poorest tenth at the end") { $0.final.lowestDecileShare },
            share("peak_workforce_pay", "highest share of the workforce in workplaces with equitable pay") { $0.peakWorkforcePay },
            share("pay_retained", "final workforce share with equitable pay over its peak: how much of the equity reached lasted (1 if none spread)")
            { min(1, $0.payRetained) },
            count("pay_drifted", "workplaces whose members re-differentiated pay (pay drift)") { $0.final.payDriftedTotal },
        ]
        for (j, years) in RunSummary.incomeYears.enumerated() {
            columns += [
                RunColumn("income_gini_\(years)y", "Gini coefficient of incomes at \(years) years (empty if the run ended before)", "REAL", .share) {
                    $0.summary.incomeAt[j].map { .real($0.gini) } ?? .null
                },
                RunColumn(
                    "pay_ratio_\(years)y", "mean coordinator over mean worker income at \(years) years (empty if the run ended before)", "REAL",
                    .nonNegative
                ) { $0.summary.incomeAt[j].map { .real($0.payRatio) } ?? .null },
                RunColumn(
                    "lowest_decile_share_\(years)y", "the poorest tenth's share of income at \(years) years (empty if the run ended before)",
                    "REAL", .share
                ) { $0.summary.incomeAt[j].map { .real($0.lowestDecileShare) } ?? .null },
            ]
        }
        columns += [
            count("persons", "persons simulated") { $0.persons },
            count("final_month", "last month simulated (before the horizon when a stop condition ended the run)") { $0.final.month },
        ]
        return columns
    }()
}
