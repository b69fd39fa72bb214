import Foundation
import GRDB
import Stochastic
import TransitionModel

/// One sweep's results in one SQLite file (GRDB): the sweep and its provenance, every point's
/// parameter values, one row per run (seed, status, summary), the runs' timings, and optionally
/// the runs' monthly series.
///
/// A point's runs are written in one transaction, so a process killed at any moment (SIGKILL
/// included) leaves every point either wholly recorded or absent; SQLite's rollback journal
/// undoes a half-written point when the file is next opened. The journal mode is SQLite's
/// default (DELETE), not WAL, because WAL needs shared memory that network file systems do not
/// give; each process (shard) writes its own file, so no locks are shared across machines.
///
/// Tables (point numbers start at 1, as in the exported CSV):
/// - `sweep`: one row: sha256, source, base_sha256, design, points, replicates, seed,
///   parameters (JSON), series_every, generator, gsl_version, tool_version, tool_commit, hosts,
///   started.
/// - `points`: point and one column per varied key path (e.g. `"opinion.beta"`).
/// - `runs`: point, replicate, seed, status (`ok` or `failed`), error, then the run summary
///   columns of ``RunColumn/summaries``. Deterministic: the same sweep gives the same rows.
/// - `timings`: point, replicate, seconds, host, finished (ISO 8601). Varies run to run.
/// - `series`: point, replicate, month and the ``MetricsRecord/columns`` (with `--every K`).
public struct SweepDatabase: Sendable {
    public let path: String
    let queue: DatabaseQueue

    /// Stored as SQLite's `user_version`; a database of another version is refused.
    public static let schemaVersion = 2
    static let tables: Set<String> = ["sweep", "points", "runs", "timings", "series"]

    /// Waits up to 30 s for another process's write (e.g. `export` while a sweep records a point).
    static var configuration: Configuration {
        var c = Configuration()
        c.busyMode = .timeout(30)
        return c
    }

    /// Opens the database at `path` to run `sweep` into it: creates it, or checks that it holds
    /// the same sweep with the same `every` (resume). With `force`, an existing file is replaced.
    public static func open(
        for sweep: SweepFile, at path: String, every: Int, tool: ToolIdentity,
        force: Bool
    ) throws(SweepStoreError) -> SweepDatabase {
        let fm = FileManager.default
        var isFolder: ObjCBool = false
        if fm.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue {
            throw .notASweepDatabase(path: path, reason: "is a folder; --out names the database file, e.g. \(path)/sweep.sqlite")
        }
        if fm.fileExists(atPath: path) && !force {
            let database: SweepDatabase
            do { database = try SweepDatabase(existing: path) } catch .notASweepDatabase(let path, let reason) {
                throw .notASweepDatabase(path: path, reason: reason + "; choose another --out, or pass --force to replace the file")
            }
            let provenance = try database.provenance()
            guard provenance.sha256 == sweep.sha256 else {
                throw .differentSweep(
                    path: path, recorded: provenance.sha256, given: sweep.sha256,
                    baseChanged: provenance.baseSHA256 != sweep.base.sha256)
            }
            guard provenance.seriesEvery == every else {
                throw .differentEvery(path: path, recorded: provenance.seriesEvery, given: every)
            }
            return database
        }
        do {
            return try create(at: path, replacing: force) { db in
                try db.inTransaction {
                    try fill(db, sweep: sweep, every: every, tool: tool); return .commit
                }
            }
        } catch .exists {
            // Another process created it meanwhile (two sweeps started at once): join it.
            return try open(for: sweep, at: path, every: every, tool: tool, force: false)
        }
    }

    /// The tables of a new database for `sweep`, its provenance row and its points.
    static func fill(_ db: Database, sweep: SweepFile, every: Int, tool: ToolIdentity) throws {
        try createSchema(db, parameters: sweep.parameters)
        try db.execute(
            sql: """
                INSERT INTO sweep (sha256, source, base_sha256, design, points, replicates, seed, parameters,
                                   series_every, generator, gsl_version, tool_version, tool_commit, hosts, started)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                sweep.sha256, sweep.source, sweep.base.sha256, sweep.designLabel, sweep.points.count,
                sweep.replicates, String(sweep.seed), jsonArray(sweep.parameters), every,
                // The design's own column holds the generator of each point when the design varies it.
                sweep.parameters.contains("generator") ? "varied" : sweep.base.scenario.generator.rawValue,
                GSLLibrary.version, tool.version, tool.commit,
                host, isoNow(),
            ])
        let insert = try db.makeStatement(
            sql: "INSERT INTO points VALUES (?" + String(repeating: ", ?", count: sweep.parameters.count) + ")")
        for p in sweep.points.indices {
            var values: [DatabaseValue] = [(p + 1).databaseValue]
            // A point that leaves a parameter at the base scenario's value records that value.
            for key in sweep.parameters {
                values.append(
                    parameterValue(sweep.value(of: key, atPoint: p) ?? ScenarioSchema.byPath[key]?.render(sweep.points[p].scenario)))
            }
            try insert.execute(arguments: StatementArguments(values))
        }
    }

    /// Opens an existing sweep database, checking that it is one (schema version, tables) and
    /// that SQLite finds it intact.
    public init(existing path: String) throws(SweepStoreError) {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw .notASweepDatabase(path: path, reason: "no such file")
        }
        guard !isFolder.boolValue else {
            throw .notASweepDatabase(
                path: path, reason: "is a folder (sweeps are stored in one .sqlite file; a folder of CSV files is what `export` writes)")
        }
        do {
            queue = try DatabaseQueue(path: path, configuration: Self.configuration)
            let (version, check, tables) = try queue.read { db in
                (
                    try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0,
                    try String.fetchAll(db, sql: "PRAGMA quick_check"),
                    Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'"))
                )
            }
            guard check == ["ok"] else {
                throw SweepStoreError.notASweepDatabase(
                    path: path, reason: "SQLite finds it damaged: \(check.prefix(3).joined(separator: "; "))")
            }
            guard Self.tables.isSubset(of: tables) else {
                throw SweepStoreError.notASweepDatabase(
                    path: path, reason: "tables \(Self.tables.subtracting(tables).sorted().joined(separator: ", ")) are missing")
            }
            guard version == Self.schemaVersion else {
                throw SweepStoreError.notASweepDatabase(
                    path: path, reason: "schema version \(version), this tool reads version \(Self.schemaVersion)")
            }
        } catch let error as SweepStoreError {
            throw error
        } catch {
            throw .notASweepDatabase(path: path, reason: Self.message(error))
        }
        self.path = path
    }

    private init(path: String, queue: DatabaseQueue) {
        self.path = path; self.queue = queue
    }

    /// Builds a new database at a temporary name and moves it into place, so that `path`
    /// never holds a half-made database. With `replacing`, an existing file is replaced
    /// atomically (rename); otherwise the move fails with ``SweepStoreError/exists(path:)`` if
    /// another process created `path` meanwhile (hard link, then unlink), so no process ever
    /// swaps a database from under another. `build` runs outside a transaction (it may ATTACH).
    /// The longest absolute path SQLite's Unix files take (its `MAX_PATHNAME`).
    static let maximumPathBytes = 512
    /// What the temporary name and SQLite's journal add to a database's path
    /// (`.creating-PID-journal`).
    static let creationSuffixRoom = 32

    static func create(at path: String, replacing: Bool, _ build: (Database) throws -> Void) throws(SweepStoreError) -> SweepDatabase {
        let fm = FileManager.default
        let folder = ResultFolder.parent(of: path)
        let temporary = path + ".creating-\(ProcessInfo.processInfo.processIdentifier)"
        // SQLite opens no file whose absolute path is longer than its own limit; say so before
        // any folder is made (its own message is "unable to open database file").
        let absolute = ResultFolder.absoluteLength(of: path)
        if absolute + creationSuffixRoom > maximumPathBytes {
            throw .storage(
                path: path,
                message: "the path is \(absolute) bytes long from /; SQLite opens a sweep database only if its path has at most \(maximumPathBytes - creationSuffixRoom) bytes: choose a shorter --out")
        }
        removeDatabaseFiles(temporary)
        removeAbandonedCreations(beside: path)
        var made: [String] = []
        defer { if (try? fm.attributesOfItem(atPath: path)) == nil { ResultFolder.remove(made) } }
        do {
            // As the system reads the path (`..` after a link goes up from its target).
            if !folder.isEmpty { made = try ResultFolder.create(folder, room: 0) }
            let queue = try DatabaseQueue(path: temporary, configuration: configuration)
            try queue.writeWithoutTransaction { db in
                try build(db)
                try db.execute(sql: "PRAGMA user_version = \(schemaVersion)")
            }
            try queue.close()
            // A journal left beside `path` belongs to the file being replaced (or to one deleted
            // by hand): SQLite would replay it into the new database.
            if replacing || !fm.fileExists(atPath: path) { try? fm.removeItem(atPath: path + "-journal") }
            if replacing {
                guard rename(temporary, path) == 0 else {
                    throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(errno))])
                }
            } else {
                guard link(temporary, path) == 0 else {
                    if errno == EEXIST { throw SweepStoreError.exists(path: path) }
                    throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(errno))])
                }
                unlink(temporary)
            }
        } catch let error as SweepStoreError {
            removeDatabaseFiles(temporary)
            throw error
        } catch {
            removeDatabaseFiles(temporary)
            throw .storage(path: path, message: "cannot create the sweep database: \(message(error))")
        }
        do { return SweepDatabase(path: path, queue: try DatabaseQueue(path: path, configuration: configuration)) } catch {
            throw .storage(path: path, message: message(error))
        }
    }

    static func createSchema(_ db: Database, parameters: [String]) throws {
        try db.execute(
            sql: """
                CREATE TABLE sweep (sha256 TEXT NOT NULL, source TEXT NOT NULL, base_sha256 TEXT NOT NULL, design TEXT NOT NULL,
                    points INTEGER NOT NULL, replicates INTEGER NOT NULL, seed TEXT NOT NULL, parameters TEXT NOT NULL,
                    series_every INTEGER NOT NULL, generator TEXT NOT NULL, gsl_version TEXT NOT NULL, tool_version TEXT NOT NULL,
                    tool_commit TEXT NOT NULL, hosts TEXT NOT NULL, started TEXT NOT NULL);
                CREATE TABLE points (point INTEGER PRIMARY KEY\(parameters.map { ", " + quoted($0) }.joined()));
                CREATE TABLE runs (point INTEGER NOT NULL REFERENCES points, replicate INTEGER NOT NULL, seed TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('ok', 'failed')), error TEXT\(RunColumn.summaries.map { ", \(quoted($0.name)) \($0.sqlType)" }.joined()),
                    PRIMARY KEY (point, replicate));
                CREATE TABLE timings (point INTEGER NOT NULL, replicate INTEGER NOT NULL, seconds REAL NOT NULL, host TEXT NOT NULL,
                    finished TEXT NOT NULL, PRIMARY KEY (point, replicate));
                CREATE TABLE series (point INTEGER NOT NULL, replicate INTEGER NOT NULL, month INTEGER NOT NULL\(MetricsRecord.columns.map { ", \(quoted($0.name)) \($0.isCount ? "INTEGER" : "REAL")" }.joined()),
                    PRIMARY KEY (point, replicate, month));
                CREATE VIEW runs_with_parameters AS SELECT runs.*\(parameters.map { ", points.\(quoted($0))" }.joined())
                    FROM runs JOIN points USING (point);
                """)
    }

    // MARK: Writing

    /// The outcome of one run of a point, as the runner hands it over.
    public struct RunOutcome: Sendable {
        public var replicate: Int
        public var seed: UInt64
        public var result: Result<ReplicateResult, ModelError>
    }

    /// One finished point for ``record(_:keepSeries:)``: its 0-based index and its runs.
    public struct FinishedPoint: Sendable {
        public var point: Int
        public var outcomes: [RunOutcome]
        public init(point: Int, outcomes: [RunOutcome]) { self.point = point; self.outcomes = outcomes }
    }

    /// Records finished points in one transaction (one commit, one sync: what makes sweeps of
    /// very short runs fast), each with all its runs. For each, whether it was new: a point
    /// already there is left alone (another process on the same database got there first; its
    /// runs are the same, being seeded alike).
    public func record(_ batch: [FinishedPoint], keepSeries: Bool) throws(SweepStoreError) -> [Bool] {
        let host = Self.host, finished = isoNow()
        let summaryNames = RunColumn.summaries.map { Self.quoted($0.name) }.joined(separator: ", ")
        let runSQL =
            "INSERT INTO runs (point, replicate, seed, status, error, \(summaryNames)) VALUES (?, ?, ?, ?, ?"
            + String(repeating: ", ?", count: RunColumn.summaries.count) + ")"
        let seriesSQL = "INSERT INTO series VALUES (?, ?, ?" + String(repeating: ", ?", count: MetricsRecord.columns.count) + ")"
        do {
            return try queue.write { db in
                let recorded = try db.cachedStatement(sql: "SELECT count(*) FROM runs WHERE point = ?")
                let runs = try db.cachedStatement(sql: runSQL)
                let timings = try db.cachedStatement(sql: "INSERT INTO timings VALUES (?, ?, ?, ?, ?)")
                let series = try db.cachedStatement(sql: seriesSQL)
                return try batch.map { item in
                    let p = item.point
                    let already = try Int.fetchOne(recorded, arguments: [p + 1]) ?? 0
                    if already >= item.outcomes.count { return false }
                    if already > 0 {
                        // Some of the point's runs went missing (a damaged file): its rows are replaced whole.
                        for table in ["runs", "timings", "series"] {
                            try db.execute(sql: "DELETE FROM \(table) WHERE point = ?", arguments: [p + 1])
                        }
                    }
                    for o in item.outcomes {
                        var values: [DatabaseValue] = [(p + 1).databaseValue, o.replicate.databaseValue, String(o.seed).databaseValue]
                        switch o.result {
                        case .success(let r):
                            values += ["ok".databaseValue, .null] + RunColumn.summaries.map { $0.cell(r).databaseValue }
                            try runs.execute(arguments: StatementArguments(values))
                            try timings.execute(arguments: [p + 1, o.replicate, r.seconds, host, finished])
                            if keepSeries {
                                for m in r.series {
                                    var row: [DatabaseValue] = [(p + 1).databaseValue, o.replicate.databaseValue, m.month.databaseValue]
                                    for c in MetricsRecord.columns {
                                        let x = c.value(m)
                                        row.append(c.isCount ? Int64(x).databaseValue : x.databaseValue)
                                    }
                                    try series.execute(arguments: StatementArguments(row))
                                }
                            }
                        case .failure(let error):
                            values +=
                                ["failed".databaseValue, String(describing: error).databaseValue]
                                + Array(repeating: DatabaseValue.null, count: RunColumn.summaries.count)
                            try runs.execute(arguments: StatementArguments(values))
                        }
                    }
                    return true
                }
            }
        } catch {
            let points = batch.map { String($0.point + 1) }.joined(separator: ", ")
            throw .storage(path: path, message: "cannot record point\(batch.count == 1 ? "" : "s") \(points): \(Self.message(error))")
        }
    }

    /// This machine's name, looked up once.
    static let host = ProcessInfo.processInfo.hostName

    /// Runs `body` in a read transaction, turning SQLite's errors into ``SweepStoreError``.
    func read<T>(_ body: (Database) throws -> T) throws(SweepStoreError) -> T {
        do { return try queue.read(body) } catch SweepStoreError.notASweepDatabase(let where_, let reason) where where_.isEmpty {
            throw .notASweepDatabase(path: path, reason: reason)
        } catch let error as SweepStoreError { throw error } catch { throw .storage(path: path, message: Self.message(error)) }
    }

    /// Closes the file (also done when the last copy of the value goes).
    public func close() {
        try? queue.close()
    }

    // MARK: Helpers

    /// A SQL identifier in double quotes (key paths hold dots).
    static func quoted(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// A parameter value as typed as its text allows: integer, real, or text.
    static func parameterValue(_ text: String?) -> DatabaseValue {
        guard let text else { return .null }
        if let n = Int64(text) { return n.databaseValue }
        if let x = Double(text) { return x.databaseValue }
        return text.databaseValue
    }

    /// Removes `PATH.creating-PID` files (and their journals) left by processes that died while
    /// creating the database: a PID that no longer runs (kill(pid, 0) fails with ESRCH).
    static func removeAbandonedCreations(beside path: String) {
        let folder = (path as NSString).deletingLastPathComponent
        let prefix = (path as NSString).lastPathComponent + ".creating-"
        let directory = folder.isEmpty ? "." : folder
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where name.hasPrefix(prefix) {
            let digits = name.dropFirst(prefix.count).prefix { $0.isNumber }
            guard let pid = Int32(digits), pid > 0, pid != ProcessInfo.processInfo.processIdentifier else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH {
                removeDatabaseFiles(directory + "/" + prefix + String(digits))
            }
        }
    }

    static func removeDatabaseFiles(_ path: String) {
        for suffix in ["", "-journal", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// SQLite's own words, without GRDB's framing.
    static func message(_ error: Error) -> String {
        if let db = error as? DatabaseError { return db.message ?? "\(db.resultCode)" }
        return "\(error)"
    }

    static func jsonArray(_ strings: [String]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: strings, options: [.sortedKeys])) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

func isoNow() -> String { ISO8601DateFormatter().string(from: Date()) }

extension ResultCell {
    var databaseValue: DatabaseValue {
        switch self {
        case .integer(let n): return n.databaseValue
        case .real(let x): return x.databaseValue
        case .text(let s): return s.databaseValue
        case .boolean(let b): return (b ? 1 : 0).databaseValue
        case .null: return .null
        }
    }
}
