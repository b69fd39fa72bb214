import Foundation
import GRDB

/// Joins sweep databases (shards run on different machines) into one.
public enum SweepMerge {
    /// Merges `paths` into a new database at `out`. All must hold the same sweep (same hash);
    /// a point present in several must have identical runs in each (timings aside); together
    /// they must cover every point. The result is built under a temporary name and renamed into
    /// place only when every check passed; an existing `out` is replaced only with `force`.
    public static func merge(_ paths: [String], into out: String, force: Bool) throws(SweepStoreError) -> SweepProvenance {
        precondition(!paths.isEmpty, "merge needs at least one database")
        if FileManager.default.fileExists(atPath: out) && !force { throw .exists(path: out) }
        if let same = paths.first(where: { sameFile($0, out) }) { throw .inputIsOutput(path: same) }
        var inputs: [(path: String, provenance: SweepProvenance)] = []
        for path in paths {
            let database = try SweepDatabase(existing: path)
            let provenance = try database.provenance()
            database.close()
            if let first = inputs.first, first.provenance.sha256 != provenance.sha256 {
                throw .mixedSweeps(path: path, sha256: provenance.sha256, first: first.path, firstSHA256: first.provenance.sha256)
            }
            if let first = inputs.first, first.provenance.seriesEvery != provenance.seriesEvery {
                throw .mixedEvery(path: path, every: provenance.seriesEvery, first: first.path, firstEvery: first.provenance.seriesEvery)
            }
            inputs.append((path, provenance))
        }
        let first = inputs[0].provenance
        let hosts = Array(Set(inputs.flatMap { $0.provenance.hosts.split(separator: ",").map(String.init) })).sorted()
        let started = inputs.map(\.provenance.started).min()!
        let compared = ["seed", "status", "error"] + RunColumn.summaries.map(\.name)
        let differs = compared.map { "s.\(SweepDatabase.quoted($0)) IS NOT m.\(SweepDatabase.quoted($0))" }.joined(separator: " OR ")
        var origin: [Int: String] = [:]  // which input each merged point came from
        let merged = try SweepDatabase.create(at: out, replacing: force) { db in
            try SweepDatabase.createSchema(db, parameters: first.parameters)
            for (n, input) in inputs.enumerated() {
                try db.execute(sql: "ATTACH DATABASE ? AS shard", arguments: [input.path])
                try db.inTransaction {
                    if n == 0 {
                        try db.execute(sql: "INSERT INTO sweep SELECT * FROM shard.sweep")
                        try db.execute(sql: "UPDATE sweep SET hosts = ?, started = ?", arguments: [hosts.joined(separator: ","), started])
                        try db.execute(sql: "INSERT INTO points SELECT * FROM shard.points")
                    }
                    let conflict = try Int.fetchOne(
                        db,
                        sql: """
                            SELECT s.point FROM shard.runs s JOIN main.runs m ON s.point = m.point AND s.replicate = m.replicate
                            WHERE \(differs) LIMIT 1
                            """)
                    if let conflict {
                        throw SweepStoreError.conflicting(path: input.path, other: origin[conflict] ?? inputs[0].path, point: conflict)
                    }
                    for point in try Int.fetchAll(
                        db, sql: "SELECT DISTINCT point FROM shard.runs WHERE point NOT IN (SELECT DISTINCT point FROM main.runs)")
                    {
                        origin[point] = input.path
                    }
                    // Points already merged keep the rows (and timings) of the first shard that had them.
                    try db.execute(
                        sql: "INSERT INTO timings SELECT * FROM shard.timings WHERE point NOT IN (SELECT DISTINCT point FROM main.runs)")
                    try db.execute(
                        sql: "INSERT INTO series SELECT * FROM shard.series WHERE point NOT IN (SELECT DISTINCT point FROM main.runs)")
                    try db.execute(
                        sql: "INSERT INTO runs SELECT * FROM shard.runs WHERE point NOT IN (SELECT DISTINCT point FROM main.runs)")
                    return .commit
                }
                try db.execute(sql: "DETACH DATABASE shard")
            }
            let missing = try Int.fetchAll(
                db, sql: "SELECT point FROM points WHERE point NOT IN (SELECT DISTINCT point FROM runs) ORDER BY point")
            if !missing.isEmpty { throw SweepStoreError.incomplete(paths: paths, missing: missing, of: first.points) }
        }
        defer { merged.close() }
        return try merged.provenance()
    }
}

/// Whether two paths name the same file (same device and inode, or the same resolved path when
/// one does not exist yet): "./a.sqlite" and "a.sqlite" are one file.
func sameFile(_ a: String, _ b: String) -> Bool {
    let fm = FileManager.default
    if let x = try? fm.attributesOfItem(atPath: a), let y = try? fm.attributesOfItem(atPath: b),
        let ix = x[.systemFileNumber] as? NSNumber, let iy = y[.systemFileNumber] as? NSNumber,
        let dx = x[.systemNumber] as? NSNumber, let dy = y[.systemNumber] as? NSNumber
    {
        return ix == iy && dx == dy
    }
    let resolve = { (p: String) in URL(fileURLWithPath: p).standardizedFileURL.resolvingSymlinksInPath().path }
    return resolve(a) == resolve(b)
}
