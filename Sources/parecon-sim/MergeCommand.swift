import ArgumentParser
import Experiments

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Merge sweep folders (shards) into one.",
        discussion: """
        Checks that the folders hold the same sweep, that a point present in several is \
        identical in each, and that together they cover every point; only then writes OUT \
        (runs.csv, points.csv, points/, sweep.json). Nothing is written when a check fails.

        Examples:
          parecon-sim merge shard-1 shard-2 shard-3 --out results/all
        """)

    @Argument(help: "Sweep folders (each written by `parecon-sim sweep`).")
    var folders: [String]

    @Option(name: .shortAndLong, help: "Merged folder.")
    var out: String

    @Flag(help: "Replace an existing folder at --out.")
    var force = false

    func validate() throws {
        guard !folders.isEmpty else { throw ValidationError("give at least one sweep folder") }
        guard !folders.contains(out) else { throw ValidationError("--out must differ from the folders merged") }
    }

    func run() throws {
        do {
            let (points, runs) = try SweepMerge.merge(folders, into: out, force: force)
            print("Merged \(folders.count) folders: \(points) points, \(runs) runs in \(out)/runs.csv")
        } catch { throw UserError(error.description) }
    }
}
