import Foundation
import GRDB
import TransitionModel

/// Writes a sweep database as tidy CSV files into a folder: points.csv (one row per point,
/// one column per varied key path), runs.csv (one row per run), timings.csv, series.csv (when
/// series were kept) and sweep.json (the provenance, with the sweep file's path). Every CSV file
/// starts with `#` comment lines of provenance (tool version and commit, sweep hash, hosts,
/// start and end time); pandas reads them with `comment="#"`.
///
/// Each file goes to a temporary name first and is renamed into place, and sweep.json is
/// written last: a folder with sweep.json holds a complete export.
public enum SweepExport {
    public static let files = ["points.csv", "runs.csv", "runs_with_parameters.csv", "timings.csv", "series.csv", "sweep.json"]

    /// Exports `database` into `folder` (created; replaced only with `force`).
    @discardableResult
    public static func export(_ database: SweepDatabase, to folder: String, force: Bool) throws(SweepStoreError) -> SweepProvenance {
        let provenance = try database.provenance()
        // Nothing is exported from a database whose bookkeeping or values no run can give.
        _ = try database.recordedPoints()
        _ = try database.pointRuns()
        do { try ResultFolder.prepare(folder, force: force) } catch { throw .output(error) }
        // sweep.json first, then every file of an earlier export: nothing old survives beside the new.
        for name in ["sweep.json"] + files where FileManager.default.fileExists(atPath: folder + "/" + name) {
            do { try FileManager.default.removeItem(atPath: folder + "/" + name) } catch {
                throw .output(.cannotCreate(folder + "/" + name, "cannot remove the old file: \(error.localizedDescription)"))
            }
        }
        let header = provenance.commentLines
        let booleans = Set(RunColumn.summaries.filter { $0.sqlType == "BOOLEAN" }.map(\.name))
        try writeCSV(database, sql: "SELECT * FROM points ORDER BY point", header: header, to: folder, name: "points.csv") { _, value in
            // Parameter values exactly as stored (shortest text that reads back the same number).
            if case .double(let x) = value.storage { return "\(x)" }
            return nil
        }
        try writeCSV(database, sql: "SELECT * FROM runs ORDER BY point, replicate", header: header, to: folder, name: "runs.csv") {
            column, value in
            if booleans.contains(column), case .int64(let b) = value.storage { return b != 0 ? "true" : "false" }
            return nil
        }
        // The same runs with their point's parameter values: one file for analyses that need both.
        try writeCSV(
            database, sql: "SELECT * FROM runs_with_parameters ORDER BY point, replicate", header: header, to: folder,
            name: "runs_with_parameters.csv"
        ) { column, value in
            if booleans.contains(column), case .int64(let b) = value.storage { return b != 0 ? "true" : "false" }
            if case .double(let x) = value.storage, !RunColumn.summaries.contains(where: { $0.name == column }) { return "\(x)" }
            return nil
        }
        try writeCSV(database, sql: "SELECT * FROM timings ORDER BY point, replicate", header: header, to: folder, name: "timings.csv") {
            _, _ in nil
        }
        if provenance.seriesEvery > 0 {
            try writeCSV(
                database, sql: "SELECT * FROM series ORDER BY point, replicate, month", header: header, to: folder, name: "series.csv"
            ) { _, _ in nil }
        }
        do { try ResultFolder.write(manifestJSON(provenance), to: folder, name: "sweep.json") } catch { throw .output(error) }
        return provenance
    }

    /// The provenance as JSON, with the sweep file's path as given.
    static func manifestJSON(_ p: SweepProvenance) -> String {
        var object: [String: Any] = [
            "tool": "parecon-sim", "tool_version": p.tool.version, "tool_commit": p.tool.commit,
            "sweep_sha256": p.sha256, "sweep_source": p.source, "base_scenario_sha256": p.baseSHA256,
            "design": p.design, "points": p.points, "replicates": p.replicates, "seed": p.seed,
            "parameters": p.parameters, "series_every": p.seriesEvery, "generator": p.generator,
            "gsl_version": p.gslVersion, "hosts": p.hosts, "started": p.started,
            "points_recorded": p.pointsRecorded, "runs_recorded": p.runsRecorded, "runs_failed": p.runsFailed,
            "complete": p.isComplete,
        ]
        if p.isComplete, let finished = p.lastRunFinished { object["finished"] = finished }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Streams the rows of `sql` into folder/name (temporary file, then rename). `special`
    /// may format a cell its own way; otherwise integers are written as such, reals with 6
    /// significant digits, text quoted where CSV needs it, NULL as an empty cell.
    static func writeCSV(
        _ database: SweepDatabase, sql: String, header: String, to folder: String, name: String,
        special: (String, DatabaseValue) -> String?
    ) throws(SweepStoreError) {
        do {
            try ResultFolder.writeAtomically(to: folder, name: name) { handle in
                try database.queue.read { db in
                    let statement = try db.makeStatement(sql: sql)
                    let columns = statement.columnNames
                    var buffer = header + columns.map(csvQuoted).joined(separator: ",") + "\n"
                    let rows = try Row.fetchCursor(statement)
                    while let row = try rows.next() {
                        for (i, column) in columns.enumerated() {
                            if i > 0 { buffer += "," }
                            let value: DatabaseValue = row[i]
                            if let text = special(column, value) { buffer += text; continue }
                            switch value.storage {
                            case .null, .blob: break
                            case .int64(let n): buffer += String(n)
                            case .double(let x): buffer += formatValue(x, count: false)
                            case .string(let s): buffer += csvQuoted(s)
                            }
                        }
                        buffer += "\n"
                        if buffer.utf8.count >= 1 << 20 { try handle.write(contentsOf: Data(buffer.utf8)); buffer = "" }
                    }
                    try handle.write(contentsOf: Data(buffer.utf8))
                }
            }
        } catch {
            if let error = error as? ResultFolderError { throw .output(error) }
            if error is DatabaseError { throw .storage(path: database.path, message: SweepDatabase.message(error)) }
            throw .output(.cannotWrite(folder + "/" + name, error.localizedDescription))
        }
    }
}
