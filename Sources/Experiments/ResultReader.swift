import Foundation
import TransitionModel

/// One row of runs.csv: what a comparison needs of a run.
public struct RunRow: Sendable, Equatable {
    public var finalBJC: Double
    public var finalPay: Double
    public var finalBoth: Double
    public var monthsTo50BJC: Int?
    public var monthsTo50Pay: Int?
    public var overruledDistinct: Double
    public var exits: Double
    public var ownersExpropriated: Double
    public var coercionPerThousand: Double
    public var coercionFree: Bool

    public init(_ s: RunSummary) {
        finalBJC = s.final.workforceBJC; finalPay = s.final.workforcePay; finalBoth = s.final.workforceBoth
        monthsTo50BJC = s.monthsToBJC[1]; monthsTo50Pay = s.monthsToPay[1]
        overruledDistinct = Double(s.ledger.distinctOverruled); exits = Double(s.ledger.totalExits)
        ownersExpropriated = Double(s.ledger.ownersExpropriated)
        coercionPerThousand = s.coercionPerThousand; coercionFree = s.coercionFree
    }

    public init(finalBJC: Double, finalPay: Double, finalBoth: Double, monthsTo50BJC: Int?, monthsTo50Pay: Int?,
                overruledDistinct: Double, exits: Double, ownersExpropriated: Double, coercionPerThousand: Double, coercionFree: Bool) {
        self.finalBJC = finalBJC; self.finalPay = finalPay; self.finalBoth = finalBoth
        self.monthsTo50BJC = monthsTo50BJC; self.monthsTo50Pay = monthsTo50Pay
        self.overruledDistinct = overruledDistinct; self.exits = exits; self.ownersExpropriated = ownersExpropriated
        self.coercionPerThousand = coercionPerThousand; self.coercionFree = coercionFree
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
        guard fm.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .missing(folder, "the folder itself")
        }
        func text(_ name: String) throws(ResultFolderError) -> String {
            let path = folder + "/" + name
            guard fm.fileExists(atPath: path) else { throw .missing(folder, name) }
            guard let t = try? String(contentsOfFile: path, encoding: .utf8) else { throw .malformed(path, "cannot be read as UTF-8 text") }
            return t
        }
        let manifestText = try text(ResultFolder.manifestFile)
        guard let manifest = (try? JSONSerialization.jsonObject(with: Data(manifestText.utf8))) as? [String: Any],
              let name = manifest["scenario_name"] as? String, let sha = manifest["scenario_sha256"] as? String else {
            throw .malformed(folder + "/" + ResultFolder.manifestFile, "is not a parecon-sim manifest (scenario_name, scenario_sha256 missing)")
        }
        let version = (manifest["tool_version"] as? String ?? "?") + ((manifest["tool_commit"] as? String).map { " (commit \($0.prefix(12)))" } ?? "")
        let resolved = manifest["scenario_resolved"] as? String ?? ""
        let persons = (try? ScenarioLoader.load(text: resolved, file: "manifest"))?.scenario.population.persons ?? 0

        let seriesPath = folder + "/" + ResultFolder.seriesFile
        let lines = try text(ResultFolder.seriesFile).split(separator: "\n", omittingEmptySubsequences: true)
        guard let header = lines.first?.split(separator: ",").map(String.init),
              Array(header.prefix(3)) == ["replicate", "seed", "month"] else {
            throw .malformed(seriesPath, "line 1: expected a header starting replicate,seed,month")
        }
        var byReplicate: [Int: [[Double]]] = [:]
        var monthsSeen: [Int: [Int]] = [:]
        for (n, line) in lines.dropFirst().enumerated() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            guard cells.count == header.count, let r = Int(cells[0]), UInt64(cells[1]) != nil, let m = Int(cells[2]) else {
                throw .malformed(seriesPath, "line \(n + 2): expected \(header.count) cells starting with replicate, seed and month (integers)")
            }
            var row: [Double] = []
            row.reserveCapacity(header.count - 3)
            for cell in cells.dropFirst(3) {
                guard let x = Double(cell) else { throw .malformed(seriesPath, "line \(n + 2): '\(cell)' is not a number") }
                row.append(x)
            }
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
        let runLines = try text(ResultFolder.runsFile).split(separator: "\n", omittingEmptySubsequences: true)
        guard let runHeader = runLines.first?.split(separator: ",").map(String.init) else { throw .malformed(runsPath, "is empty") }
        func col(_ name: String) throws(ResultFolderError) -> Int {
            guard let j = runHeader.firstIndex(of: name) else { throw .malformed(runsPath, "line 1: column \(name) is missing") }
            return j
        }
        let cBJC = try col("final_workforce_bjc"), cPay = try col("final_workforce_pay"), cBoth = try col("final_workforce_both")
        let c50B = try col("months_to_50_bjc"), c50P = try col("months_to_50_pay"), cOver = try col("overruled_distinct")
        let cExit = try col("exits"), cExpro = try col("owners_expropriated"), cPer = try col("coercion_per_1000")
        let cFree = try col("coercion_free")
        var runs: [RunRow] = []
        for (n, line) in runLines.dropFirst().enumerated() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard cells.count == runHeader.count, let b = Double(cells[cBJC]), let p = Double(cells[cPay]),
                  let both = Double(cells[cBoth]), let over = Double(cells[cOver]), let ex = Double(cells[cExit]),
                  let expro = Double(cells[cExpro]), let per = Double(cells[cPer]) else {
                throw .malformed(runsPath, "line \(n + 2): expected \(runHeader.count) cells with numbers")
            }
            runs.append(RunRow(finalBJC: b, finalPay: p, finalBoth: both, monthsTo50BJC: Int(cells[c50B]),
                               monthsTo50Pay: Int(cells[c50P]), overruledDistinct: over, exits: ex,
                               ownersExpropriated: expro, coercionPerThousand: per, coercionFree: cells[cFree] == "true"))
        }
        let keys = byReplicate.keys.sorted()
        return ResultSet(folder: folder, scenarioName: name, scenarioSHA256: sha, toolVersion: version, persons: persons,
                         columns: Array(header.dropFirst(3)), series: keys.map { byReplicate[$0]! }, months: months, runs: runs)
    }
}
