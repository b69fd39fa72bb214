import Foundation
import GRDB

/// Points claimed by the processes running a sweep, so that two processes on one database
/// share the work instead of both computing every point. A claim names its process (host and
/// pid); a claim by a process that has died on this host, or older than ``staleAfter`` on another
/// host, is taken over. Claims only steer the work: a point's runs are still recorded once,
/// whole, whoever finishes it (the database keeps the first).
extension SweepDatabase {
    /// A claim from another host older than this (seconds) is taken to be abandoned.
    public static let staleAfter: TimeInterval = 6 * 3600

    /// Claims up to `limit` of `candidates` (0-based point indices, in order) that are neither
    /// recorded whole nor claimed by a live process; returns them, the points another process
    /// holds, and how many candidates were examined (the caller's cursor moves by that much).
    func claim(_ candidates: ArraySlice<Int>, limit: Int) throws(SweepStoreError) -> (claimed: [Int], elsewhere: [Int], examined: Int) {
        let pid = Int(ProcessInfo.processInfo.processIdentifier), host = Self.host, now = Date()
        do {
            return try queue.write { db in
                try db.execute(
                    sql:
                        "CREATE TABLE IF NOT EXISTS claims (point INTEGER PRIMARY KEY, host TEXT NOT NULL, pid INTEGER NOT NULL, claimed REAL NOT NULL)"
                )
                let replicates = try Int.fetchOne(db, sql: "SELECT replicates FROM sweep") ?? 0
                var claimed: [Int] = [], elsewhere: [Int] = [], examined = 0
                for p in candidates {
                    if claimed.count >= limit { break }
                    examined += 1
                    let runs = try Int.fetchOne(db, sql: "SELECT count(*) FROM runs WHERE point = ?", arguments: [p + 1]) ?? 0
                    if runs >= replicates { continue }
                    if let row = try Row.fetchOne(db, sql: "SELECT host, pid, claimed FROM claims WHERE point = ?", arguments: [p + 1]) {
                        let theirHost: String = row["host"], theirPid: Int = row["pid"], when: Double = row["claimed"]
                        let mine = theirHost == host && theirPid == pid
                        let dead = theirHost == host && theirPid != pid && kill(pid_t(theirPid), 0) != 0 && errno == ESRCH
                        let stale = theirHost != host && now.timeIntervalSince1970 - when > Self.staleAfter
                        guard mine || dead || stale else { elsewhere.append(p); continue }
                    }
                    try db.execute(
                        sql: "INSERT OR REPLACE INTO claims VALUES (?, ?, ?, ?)", arguments: [p + 1, host, pid, now.timeIntervalSince1970])
                    claimed.append(p)
                }
                return (claimed, elsewhere, examined)
            }
        } catch let error as SweepStoreError {
            throw error
        } catch {
            throw .storage(path: path, message: Self.message(error))
        }
    }
}
