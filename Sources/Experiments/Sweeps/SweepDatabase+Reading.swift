import Foundation
import GRDB
import TransitionModel

/// A column's value decoded without trapping: a NULL, or a value of the wrong kind, names the
/// column and table (a damaged or foreign database, never a crash).
func decoded<T: DatabaseValueConvertible>(_ row: Row, _ column: String, in table: String) throws -> T {
    let value: DatabaseValue = row[column]
    guard let decoded = T.fromDatabaseValue(value) else {
        throw SweepStoreError.notASweepDatabase(
            path: "",
            reason:
                "column \(column) of table \(table) holds \(value.isNull ? "NULL" : "'\(String(describing: value).prefix(40))'"), expected \(T.self)"
        )
    }
    return decoded
}

/// What a sweep database holds: which points are done, its provenance, each point's runs.
extension SweepDatabase {
    /// The 0-based indices of the points whose runs are all recorded (as many as the sweep's
    /// replicates). A point with some of its runs missing is not done: its rows are replaced
    /// when it is run again.
    public func recordedPoints() throws(SweepStoreError) -> Set<Int> {
        try checkBookkeeping()
        return try read { db in
            Set(try Row.fetchAll(db, sql: Self.completePointsSQL).map { row in try decoded(row, "point", in: "runs") - 1 })
        }
    }

    static let completePointsSQL = "SELECT point FROM runs GROUP BY point HAVING count(*) = (SELECT replicates FROM sweep)"

    /// Refuses a database whose runs do not fit its sweep: a run of a point the sweep does not
    /// have, or a replicate number out of range.
    func checkBookkeeping() throws(SweepStoreError) {
        try read { db in
            guard let sweep = try Row.fetchOne(db, sql: "SELECT points, replicates FROM sweep") else {
                throw SweepStoreError.notASweepDatabase(path: path, reason: "the sweep table is empty")
            }
            let points: Int = try decoded(sweep, "points", in: "sweep"), replicates: Int = try decoded(sweep, "replicates", in: "sweep")
            if let row = try Row.fetchOne(
                db, sql: "SELECT point, replicate FROM runs WHERE point < 1 OR point > ? OR replicate < 0 OR replicate >= ? LIMIT 1",
                arguments: [points, replicates])
            {
                let p: Int = try decoded(row, "point", in: "runs"), r: Int = try decoded(row, "replicate", in: "runs")
                throw SweepStoreError.notASweepDatabase(
                    path: path,
                    reason:
                        "table runs holds point \(p), replicate \(r), which a sweep of \(points) points × \(replicates) replicates does not have"
                )
            }
        }
    }

    /// What the database says about itself: the sweep, who ran it where and when, how far it got.
    public func provenance() throws(SweepStoreError) -> SweepProvenance {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM sweep") else {
                throw SweepStoreError.notASweepDatabase(path: path, reason: "the sweep table is empty")
            }
            guard
                let counts = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT (SELECT count(*) FROM (\(Self.completePointsSQL))) AS points, count(*) AS runs, coalesce(sum(status = 'failed'), 0) AS failed,
                               count(DISTINCT CASE WHEN status = 'failed' THEN point END) AS failed_points FROM runs
                        """)
            else { throw SweepStoreError.notASweepDatabase(path: path, reason: "the runs table cannot be counted") }
            func field<T: DatabaseValueConvertible>(_ name: String) throws -> T { try decoded(row, name, in: "sweep") }
            let lastFinished = try String.fetchOne(db, sql: "SELECT max(finished) FROM timings")
            let parameters = (try? JSONSerialization.jsonObject(with: Data((row["parameters"] as String? ?? "[]").utf8))) as? [String] ?? []
            return SweepProvenance(
                sha256: try field("sha256"), source: try field("source"), baseSHA256: try field("base_sha256"),
                design: try field("design"), points: try field("points"), replicates: try field("replicates"),
                seed: try field("seed"), parameters: parameters, seriesEvery: try field("series_every"),
                generator: try field("generator"), gslVersion: try field("gsl_version"),
                tool: ToolIdentity(version: try field("tool_version"), commit: try field("tool_commit")),
                hosts: try field("hosts"), started: try field("started"), lastRunFinished: lastFinished,
                pointsRecorded: try decoded(counts, "points", in: "runs"), runsRecorded: try decoded(counts, "runs", in: "runs"),
                runsFailed: try decoded(counts, "failed", in: "runs"), pointsFailed: try decoded(counts, "failed_points", in: "runs"))
        }
    }

    /// One recorded point: its parameter values (key path, value as text) and its runs.
    public struct PointRuns: Sendable {
        public var point: Int
        public var values: [(key: String, value: String)]
        public var runs: [RunRow]
        public var failed: Int
    }

    /// Every recorded point with its successful runs (as ``RunRow``) and its failed-run count.
    public func pointRuns() throws(SweepStoreError) -> [PointRuns] {
        let parameters = try provenance().parameters
        return try read { db in
            var points: [Int: PointRuns] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT * FROM points") {
                let point: Int = try decoded(row, "point", in: "points")
                let values = parameters.map { key -> (key: String, value: String) in
                    let v: DatabaseValue = row[key]
                    switch v.storage {
                    case .int64(let n): return (key, String(n))
                    case .double(let x): return (key, formatValue(x, count: false))
                    case .string(let t): return (key, t)
                    case .null, .blob: return (key, "(base)")  // databases written before values were recorded
                    }
                }
                points[point] = PointRuns(point: point, values: values, runs: [], failed: 0)
            }
            var recorded = Set<Int>()
            for row in try Row.fetchAll(db, sql: "SELECT * FROM runs ORDER BY point, replicate") {
                let point: Int = try decoded(row, "point", in: "runs")
                let status: String = try decoded(row, "status", in: "runs")
                recorded.insert(point)
                guard status == "ok" else { points[point]?.failed += 1; continue }
                do throws(MissingColumn) {
                    points[point]?.runs.append(try RunRow.read { name in Double.fromDatabaseValue(row[name] as DatabaseValue) })
                } catch {
                    throw SweepStoreError.notASweepDatabase(
                        path: path, reason: "runs of point \(point): column \(error.name) \(error.problem)")
                }
            }
            return points.values.filter { recorded.contains($0.point) }.sorted { $0.point < $1.point }
        }
    }
}
