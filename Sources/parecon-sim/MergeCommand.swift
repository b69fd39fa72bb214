import ArgumentParser
import Experiments
import Foundation

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Merge sweep databases (shards) into one.",
        discussion: """
            Checks that the databases hold the same sweep, that a point present in several has \
            identical runs in each, and that together they cover every point; only then writes \
            OUT (built under a temporary name and renamed). Nothing is written when a check fails.

            Examples:
              parecon-sim merge lhs-1.sqlite lhs-2.sqlite \\
                  lhs-3.sqlite --out lhs.sqlite
            """)

    @Argument(help: "Sweep databases (each written by `parecon-sim sweep --shard`).")
    var databases: [String]

    @Option(name: .shortAndLong, help: "Merged database (.sqlite or .db).")
    var out: String

    @Flag(help: "Replace an existing database at --out.")
    var force = false

    func validate() throws {
        guard !databases.isEmpty else { throw ValidationError("give at least one sweep database") }
        guard !databases.contains(out) else { throw ValidationError("--out must differ from the databases merged") }
        guard out.hasSuffix(".sqlite") || out.hasSuffix(".db") else {
            throw ValidationError("--out names the merged database and must end in .sqlite or .db, got '\(out)'")
        }
    }

    func run() throws {
        do {
            let p = try SweepMerge.merge(databases, into: out, force: force)
            print(
                "Merged \(databases.count) databases: \(p.pointsRecorded) points, \(p.runsRecorded) runs (\(p.runsFailed) failed) in \(out)"
            )
        } catch { throw UserError(error.description) }
    }
}
