import Foundation
import TransitionModel

/// One row of runs.csv (or of a sweep database's `runs`): what a comparison needs of a run.
public struct RunRow: Sendable, Equatable {
    public var finalBJC: Double
    public var finalPay: Double
    public var finalBoth: Double
    /// First month the workforce share reached 50%; nil: not by `finalMonth` (censored there).
    public var monthsTo50BJC: Int?
    public var monthsTo50Pay: Int?
    /// Last month simulated: the horizon, or earlier when a stop condition ended the run.
    public var finalMonth: Int
    public var overruledDistinct: Double
    public var exits: Double
    public var ownersExpropriated: Double
    /// Distinct persons adopted over per 1,000 persons, at each level of ``CoercionLedger/levels``.
    public var adoptedOverPerThousand: [Double]
    /// Status quo: jobs lost to workplace failures per 1,000, and mean persons with no say per 1,000.
    public var jobsLostPerThousand: Double = 0
    public var unheardPerThousand: Double = 0
    /// Incomes at ``RunSummary/incomeYears`` (nil where the run ended before, or an older
    /// folder without them); how much of the equitable pay reached lasted.
    public var incomeAt: [IncomeSnapshot?] = [nil, nil, nil]
    public var payRetained: Double? = nil
    public var peakPay: Double? = nil
    /// Persons at month 0 (0: not known), and the run's seed where known: a comparison pairs
    /// runs only when both agree.
    public var persons = 0
    public var seed: UInt64? = nil

    /// Owners whose firm was transferred without their consent, per 1,000 persons; nil when the
    /// population is not known.
    public var ownersExpropriatedPerThousand: Double? { persons > 0 ? 1000 * ownersExpropriated / Double(persons) : nil }

    /// A replicate's row, with its seed.
    public init(_ r: ReplicateResult) {
        self.init(r.summary)
        seed = r.seed
    }

    public init(_ s: RunSummary) {
        finalBJC = s.final.workforceBJC; finalPay = s.final.workforcePay; finalBoth = s.final.workforceBoth
        monthsTo50BJC = s.monthsToBJC[1]; monthsTo50Pay = s.monthsToPay[1]; finalMonth = s.final.month
        overruledDistinct = Double(s.ledger.distinctOverruled); exits = Double(s.ledger.totalExits)
        ownersExpropriated = Double(s.ledger.ownersExpropriated)
        adoptedOverPerThousand = CoercionLedger.levels.indices.map { s.adoptedOverPerThousand(level: $0) }
        jobsLostPerThousand = s.jobsLostPerThousand; unheardPerThousand = s.unheardPerThousand
        incomeAt = s.incomeAt; payRetained = min(1, s.payRetained); peakPay = s.peakWorkforcePay
        persons = s.persons
    }

    public init(
        finalBJC: Double, finalPay: Double, finalBoth: Double, monthsTo50BJC: Int?, monthsTo50Pay: Int?,
        finalMonth: Int, overruledDistinct: Double, exits: Double, ownersExpropriated: Double,
        adoptedOverPerThousand: [Double]
    ) {
        precondition(adoptedOverPerThousand.count == CoercionLedger.levels.count, "one adopted-over figure per opposition level")
        self.finalBJC = finalBJC; self.finalPay = finalPay; self.finalBoth = finalBoth
        self.monthsTo50BJC = monthsTo50BJC; self.monthsTo50Pay = monthsTo50Pay; self.finalMonth = finalMonth
        self.overruledDistinct = overruledDistinct; self.exits = exits; self.ownersExpropriated = ownersExpropriated
        self.adoptedOverPerThousand = adoptedOverPerThousand
    }

    /// A row read by column name (runs.csv, the `runs` table); the error names the first
    /// column that is missing or not a number.
    static func read(_ value: (String) -> Double?) throws(MissingColumn) -> RunRow {
        /// A finite number in the column's declared domain (a test checks that every name read
        /// here is declared).
        func need(_ name: String) throws(MissingColumn) -> Double {
            guard let x = value(name), x.isFinite else { throw MissingColumn(name: name) }
            let range = RunColumn.summariesByName[name]?.domain.range ?? RunColumn.Domain.nonNegative.range
            guard range.contains(x) else { throw MissingColumn(name: name, impossible: x, range: range) }
            return x
        }
        func month(_ name: String) throws(MissingColumn) -> Int? {
            guard value(name) != nil else { return nil }
            return Int(try need(name))
        }
        let persons = try need("persons")
        var perThousand: [Double] = []
        for name in CoercionLedger.levelNames {
            let n = try need("adopted_over_persons_" + name)
            perThousand.append(persons > 0 ? 1000 * n / persons : 0)
        }
        var row = RunRow(
            finalBJC: try need("final_workforce_bjc"), finalPay: try need("final_workforce_pay"),
            finalBoth: try need("final_workforce_both"),
            monthsTo50BJC: try month("months_to_50_bjc"), monthsTo50Pay: try month("months_to_50_pay"),
            finalMonth: Int(try need("final_month")), overruledDistinct: try need("overruled_distinct"),
            exits: try need("exits"), ownersExpropriated: try need("owners_expropriated"),
            adoptedOverPerThousand: perThousand)
        row.persons = Int(persons)
        row.jobsLostPerThousand = try need("jobs_lost_per_1000")
        row.unheardPerThousand = try need("unheard_per_1000")
        // Income columns are optional (folders written before they existed), but checked when there.
        for (j, years) in RunSummary.incomeYears.enumerated() where value("income_gini_\(years)y") != nil {
            row.incomeAt[j] = IncomeSnapshot(
                gini: try need("income_gini_\(years)y"), payRatio: try need("pay_ratio_\(years)y"),
                lowestDecileShare: try need("lowest_decile_share_\(years)y"))
        }
        if value("pay_retained") != nil { row.payRetained = try need("pay_retained") }
        if value("peak_workforce_pay") != nil { row.peakPay = try need("peak_workforce_pay") }
        return row
    }

    /// Persons adopted over at the verdict level (u < 0) per 1,000: the opposition measure
    /// compared across paths.
    public var oppositionPerThousand: Double { adoptedOverPerThousand[CoercionLedger.verdictLevel] }
    /// The workforce share under BJC, equitable pay or both at the end.
    public var finalAdopted: Double { max(0, finalBJC + finalPay - finalBoth) }
    /// Coercion-free at the verdict level: nobody who leaned against a change had it adopted
    /// over them, and no owner was expropriated.
    public var coercionFree: Bool { oppositionPerThousand == 0 && ownersExpropriated == 0 }
}

/// A number written in plain decimal (as the tool writes them): digits, sign, point, exponent.
/// Hexadecimal floats, NaN and infinity, which Swift's `Double(_:)` would accept, are not.
func plainNumber(_ text: Substring) -> Double? {
    guard !text.isEmpty, text.utf8.allSatisfy({ (48...57).contains($0) || $0 == 43 || $0 == 45 || $0 == 46 || $0 == 101 || $0 == 69 }),
        let x = Double(text), x.isFinite
    else { return nil }
    return x
}

/// A run table column that is missing or does not hold a number, or holds one no run can give.
struct MissingColumn: Error {
    var name: String
    var impossible: Double? = nil
    var range: ClosedRange<Double>? = nil

    /// "is missing or not a number", or "holds 5, which no run can give (…)".
    var problem: String {
        guard let impossible, let range else { return "is missing or not a number" }
        return
            "holds \(short(impossible)), which no run can give (expected a number in [\(short(range.lowerBound)), \(short(range.upperBound))])"
    }
}

/// A result folder written by `parecon-sim run`, read back for reports and comparisons.
public struct ResultSet: Sendable {
    public var folder: String
    public var scenarioName: String
    public var scenarioSHA256: String
    public var toolVersion: String
    public var persons: Int
    /// The tidy series: column names (after replicate, seed, month) and, per replicate, rows by month.
    public var columns: [String]
    public var series: [[[Double]]]
    public var months: [Int]
    public var runs: [RunRow]

    /// Values of `column` for every replicate, by month.
    public func curves(_ column: String) -> [[Double]]? {
        guard let j = columns.firstIndex(of: column) else { return nil }
        return series.map { rows in rows.map { $0[j] } }
    }

    /// Reads `folder`; every problem names the file and, for CSV, the line.
    public static func read(_ folder: String) throws(ResultFolderError) -> ResultSet {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: folder, isDirectory: &isDirectory) else { throw .missing(folder, "the folder itself") }
        guard isDirectory.boolValue else {
            let database = folder.hasSuffix(".sqlite") || folder.hasSuffix(".db")
            throw .malformed(
                folder,
                database
                    ? "is a sweep database, not a result folder: `parecon-sim report DB` reports on it, `export` writes its CSV files"
                    : "is a file, not a result folder (the folder that `run` writes, holding runs.csv and manifest.json)")
        }
        func text(_ name: String) throws(ResultFolderError) -> String {
            let path = folder + "/" + name
            guard fm.fileExists(atPath: path) else { throw .missing(folder, name) }
            do { return try InputFile.text(path, limit: Int(Int32.max)) } catch { throw .malformed(path, error.description) }
        }
        let manifestText = try text(ResultFolder.manifestFile)
        guard let manifest = (try? JSONSerialization.jsonObject(with: Data(manifestText.utf8))) as? [String: Any],
            let name = manifest["scenario_name"] as? String, let sha = manifest["scenario_sha256"] as? String
        else {
            throw .malformed(
                folder + "/" + ResultFolder.manifestFile, "is not a parecon-sim manifest (scenario_name, scenario_sha256 missing)")
        }
        let version =
            (manifest["tool_version"] as? String ?? "?") + ((manifest["tool_commit"] as? String).map { " (commit \($0.prefix(12)))" } ?? "")
        guard let resolved = manifest["scenario_resolved"] as? String,
            let persons = (try? ScenarioLoader.load(text: resolved, file: "manifest"))?.scenario.population.persons
        else {
            throw .malformed(
                folder + "/" + ResultFolder.manifestFile, "its resolved scenario (scenario_resolved) is missing or not a valid scenario")
        }
        if fm.fileExists(atPath: folder + "/" + RunCheckpoint.folderName) {
            throw .malformed(
                folder,
                "holds an unfinished run (\(RunCheckpoint.folderName)) beside these results: finish it by giving the same run command again, or remove \(RunCheckpoint.folderName)"
            )
        }

        let seriesPath = folder + "/" + ResultFolder.seriesFile
        let lines = try text(ResultFolder.seriesFile).split(whereSeparator: \.isNewline)
        guard let header = lines.first?.split(separator: ",").map(String.init),
            Array(header.prefix(3)) == ["replicate", "seed", "month"]
        else {
            throw .malformed(seriesPath, "line 1: expected a header starting replicate,seed,month")
        }
        var byReplicate: [Int: [[Double]]] = [:]
        var monthsSeen: [Int: [Int]] = [:]
        for (n, line) in lines.dropFirst().enumerated() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            guard cells.count == header.count, let r = Int(cells[0]), UInt64(cells[1]) != nil, let m = Int(cells[2]) else {
                throw .malformed(
                    seriesPath, "line \(n + 2): expected \(header.count) cells starting with replicate, seed and month (integers)")
            }
            var row: [Double] = []
            row.reserveCapacity(header.count - 3)
            for cell in cells.dropFirst(3) {
                guard let x = plainNumber(cell) else {
                    throw .malformed(seriesPath, "line \(n + 2): '\(cell.prefix(20))' is not a finite decimal number")
                }
                row.append(x)
            }
            if let last = monthsSeen[r]?.last, m <= last {
                throw .malformed(
                    seriesPath, "line \(n + 2): month \(m) of replicate \(r) does not follow month \(last) (months must increase)")
            }
            guard m >= 0 else { throw .malformed(seriesPath, "line \(n + 2): month \(m) is negative") }
            byReplicate[r, default: []].append(row)
            monthsSeen[r, default: []].append(m)
        }
        guard let firstKey = byReplicate.keys.min(), let months = monthsSeen[firstKey] else {
            throw .malformed(seriesPath, "holds no rows")
        }
        for (r, ms) in monthsSeen where ms != months {
            throw .malformed(seriesPath, "replicate \(r) covers different months than replicate \(firstKey)")
        }

        let runsPath = folder + "/" + ResultFolder.runsFile
        let runsText = try text(ResultFolder.runsFile)
        let table: CSVTable
        do throws(CSVTable.Problem) { table = try CSVTable(parsing: runsText) } catch {
            throw .malformed(runsPath, error.message == "the file is empty" ? "is empty" : "line \(error.line): \(error.message)")
        }
        let runHeader = table.header
        func col(_ name: String) throws(ResultFolderError) -> Int {
            guard let j = runHeader.firstIndex(of: name) else { throw .malformed(runsPath, "line 1: column \(name) is missing") }
            return j
        }
        // Each declared column present is checked by its domain: the reader repeats no names.
        let declared = runHeader.enumerated().compactMap { j, name in RunColumn.summariesByName[name].map { (j, $0) } }
        let replicateColumn = try col("replicate"), seedColumn = runHeader.firstIndex(of: "seed")
        var runs: [RunRow] = []
        var replicatesSeen = Set<String>()
        for (line, cells) in table.rows {
            let replicate = cells[replicateColumn]
            guard replicatesSeen.insert(replicate).inserted else {
                throw .malformed(runsPath, "line \(line): replicate \(replicate.prefix(20)) appears twice")
            }
            for (j, cell) in cells.enumerated() where !cell.isEmpty && plainNumber(Substring(cell)) == nil && Double(cell) != nil {
                throw .malformed(runsPath, "line \(line): column \(runHeader[j]) holds '\(cell.prefix(20))', not a finite decimal number")
            }
            for (j, column) in declared {
                if let problem = column.domain.problem(with: cells[j]) {
                    throw .malformed(runsPath, "line \(line): column \(column.name) holds '\(cells[j].prefix(20))', expected \(problem)")
                }
            }
            do throws(MissingColumn) {
                var row = try RunRow.read { name in
                    runHeader.firstIndex(of: name).flatMap { Double(cells[$0]) }.flatMap { $0.isFinite ? $0 : nil }
                }
                row.seed = seedColumn.flatMap { UInt64(cells[$0]) }
                runs.append(row)
            } catch {
                _ = try col(error.name)
                throw .malformed(
                    runsPath, "line \(line): column \(error.name) " + (error.impossible == nil ? "does not hold a number" : error.problem))
            }
        }
        guard !runs.isEmpty else { throw .malformed(runsPath, "holds a header but no runs") }
        guard runs.count == byReplicate.count else {
            throw .malformed(
                runsPath, "holds \(runs.count) runs but series.csv holds \(byReplicate.count) replicates: the folder is incomplete or mixed"
            )
        }
        let keys = byReplicate.keys.sorted()
        return ResultSet(
            folder: folder, scenarioName: name, scenarioSHA256: sha, toolVersion: version, persons: persons,
            columns: Array(header.dropFirst(3)), series: keys.map { byReplicate[$0]! }, months: months, runs: runs)
    }
}
