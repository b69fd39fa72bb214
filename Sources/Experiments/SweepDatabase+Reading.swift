import Foundation
import GRDB
import TransitionModel

/// What a sweep database holds: which points are done, its provenance, each point's runs.
extension SweepDatabase {
    /// The 0-based indices of the points whose runs are recorded.
    public func recordedPoints() throws(SweepStoreError) -> Set<Int> {
        try read { db in Set(try Int.fetchAll(db, sql: "SELECT DISTINCT point - 1 FROM runs")) }
    }

    /// What the database says about itself: the sweep, who ran it where and when, how far it got.
    public func provenance() throws(SweepStoreError) -> SweepProvenance {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM sweep") else {
                throw SweepStoreError.notASweepDatabase(path: path, reason: "the sweep table is empty")
            }
            let counts = try Row.fetchOne(db, sql: """
                SELECT count(DISTINCT point) AS points, count(*) AS runs, coalesce(sum(status = 'failed'), 0) AS failed,
                       count(DISTINCT CASE WHEN status = 'failed' THEN point END) AS failed_points FROM runs
                """)!
            let lastFinished = try String.fetchOne(db, sql: "SELECT max(finished) FROM timings")
            let parameters = (try? JSONSerialization.jsonObject(with: Data((row["parameters"] as String? ?? "[]").utf8))) as? [String] ?? []
            return SweepProvenance(
                sha256: row["sha256"], source: row["source"], baseSHA256: row["base_sha256"], design: row["design"],
                points: row["points"], replicates: row["replicates"], seed: row["seed"], parameters: parameters,
                seriesEvery: row["series_every"], generator: row["generator"], gslVersion: row["gsl_version"],
                tool: ToolIdentity(version: row["tool_version"], commit: row["tool_commit"]), hosts: row["hosts"],
                started: row["started"], lastRunFinished: lastFinished, pointsRecorded: counts["points"],
                runsRecorded: counts["runs"], runsFailed: counts["failed"], pointsFailed: counts["failed_points"])
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
                let point: Int = row["point"]
                let values = parameters.map { key -> (key: String, value: String) in
                    let v: DatabaseValue = row[key]
                    switch v.storage {
                    case .int64(let n): return (key, String(n))
                    case .double(let x): return (key, formatValue(x, count: false))
                    case .string(let t): return (key, t)
                    case .null, .blob: return (key, "base")
                    }
                }
                points[point] = PointRuns(point: point, values: values, runs: [], failed: 0)
            }
            for row in try Row.fetchAll(db, sql: "SELECT * FROM runs ORDER BY point, replicate") {
                let point: Int = row["point"]
                guard (row["status"] as String) == "ok" else { points[point]?.failed += 1; continue }
                switch RunRow.read({ name in Double.fromDatabaseValue(row[name] as DatabaseValue) }) {
                case .success(let run): points[point]?.runs.append(run)
                case .failure(let missing):
                    throw SweepStoreError.notASweepDatabase(path: path, reason: "runs of point \(point): column \(missing.name) is missing or not a number")
                }
            }
            let recorded = Set(try Int.fetchAll(db, sql: "SELECT DISTINCT point FROM runs"))
            return points.values.filter { recorded.contains($0.point) }.sorted { $0.point < $1.point }
        }
    }
}
