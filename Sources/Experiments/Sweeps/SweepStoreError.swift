/// Problems with a sweep database: what is wrong, with which file, and what to do.
public enum SweepStoreError: Error, CustomStringConvertible, Equatable {
    /// The file cannot be opened or is not a parecon-sim sweep database (or is damaged).
    case notASweepDatabase(path: String, reason: String)
    /// The database holds another sweep than the file given (its hash differs); `baseChanged`
    /// when the difference is (also) in the base scenario file.
    case differentSweep(path: String, recorded: String, given: String, baseChanged: Bool = false)
    /// The database was started with another `--every` than the one given.
    case differentEvery(path: String, recorded: Int, given: Int)
    /// The output exists and `--force` was not given.
    case exists(path: String)
    /// SQLite refused a read or write (disk full, permissions, …).
    case storage(path: String, message: String)
    /// Shards being merged do not cover every point.
    case incomplete(paths: [String], missing: [Int], of: Int)
    /// A point present in two shards differs between them.
    case conflicting(path: String, other: String, point: Int)
    /// Databases given to merge hold different sweeps.
    case mixedSweeps(path: String, sha256: String, first: String, firstSHA256: String)
    /// The export folder cannot be written.
    case output(ResultFolderError)
    /// Shards being merged were run with different `--every` (series kept at other months).
    case mixedEvery(path: String, every: Int, first: String, firstEvery: Int)
    /// A database given to merge is the output itself.
    case inputIsOutput(path: String)

    public var description: String {
        switch self {
        case let .notASweepDatabase(path, reason):
            return "\(path): not a parecon-sim sweep database: \(reason)"
        case let .differentSweep(path, recorded, given, baseChanged):
            let what =
                baseChanged ? "the base scenario (or a file it extends, or --set) changed" : "the sweep file (or --replicates) changed"
            return "\(path): holds a different sweep (sha256 \(recorded.prefix(12))) than this sweep file (\(given.prefix(12))): "
                + "\(what) since the database was started; resume with the original files, choose another --out, or pass --force to start over"
        case let .differentEvery(path, recorded, given):
            return "\(path): was started with --every \(recorded), not \(given): resume with the same --every, or choose another --out"
        case .exists(let path):
            return "\(path): already exists; choose another --out or pass --force to replace it"
        case let .storage(path, message):
            return "\(path): \(message)"
        case let .incomplete(paths, missing, count):
            return "\(paths.joined(separator: ", ")): together lack \(missing.count) of \(count) points (first missing: "
                + "\(missing.prefix(5).map(String.init).joined(separator: ", "))): is a shard missing or unfinished?"
        case let .conflicting(path, other, point):
            return
                "\(path): point \(point) differs from the same point in \(other); these shards were not run by the same tool on the same sweep"
        case let .mixedSweeps(path, sha, first, firstSHA):
            return
                "\(path): holds a different sweep (sha256 \(sha.prefix(12))) than \(first) (\(firstSHA.prefix(12))): shards of different sweeps cannot be merged"
        case .output(let error):
            return error.description
        case let .mixedEvery(path, every, first, firstEvery):
            return
                "\(path): was run with --every \(every), \(first) with --every \(firstEvery): shards that keep series at different months cannot be merged"
        case .inputIsOutput(let path):
            return "\(path): is both a shard and --out; merge into a new file"
        }
    }
}
