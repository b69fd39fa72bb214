import Foundation
import Stochastic
import TransitionModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Problems with a result folder.
public enum ResultFolderError: Error, CustomStringConvertible, Equatable {
    case exists(String)
    case notAFolder(String)
    case cannotCreate(String, String)
    case cannotWrite(String, String)
    case missing(String, String)
    case malformed(String, String)
    case unlisted(String, String)
    case unlistedResults(String, String)

    public var description: String {
        switch self {
        case .exists(let p): return "\(p): the output folder already holds results; choose another folder or pass --force to replace them"
        case .notAFolder(let p): return "\(p): exists and is not a folder"
        case let .cannotCreate(p, why): return "\(p): cannot create the output folder: \(why)"
        case let .cannotWrite(p, why): return "\(p): cannot write: \(why)"
        case let .missing(p, what): return "\(p): not a parecon-sim result folder: \(what) is missing"
        case let .malformed(p, what): return "\(p): \(what)"
        case let .unlisted(p, why):
            return "\(p): cannot list the folder (\(why)); what it holds cannot be checked, so it is not taken for empty: make it readable, or choose another folder"
        case let .unlistedResults(p, why):
            return "\(p): cannot list the folder to check it for earlier results (\(why)); choose another folder, or pass --force to write into it anyway"
        }
    }
}

/// Where and what a run was, written as manifest.json beside its results.
public struct Provenance: Sendable {
    public var tool: ToolIdentity
    public var scenario: LoadedScenario
    public var masterSeed: UInt64
    public var replicateSeeds: [UInt64]
    public var threads: Int
    public var started: Date
    public var finished: Date

    public init(
        tool: ToolIdentity, scenario: LoadedScenario, masterSeed: UInt64, replicateSeeds: [UInt64],
        threads: Int, started: Date, finished: Date
    ) {
        self.tool = tool; self.scenario = scenario; self.masterSeed = masterSeed
        self.replicateSeeds = replicateSeeds; self.threads = threads; self.started = started; self.finished = finished
    }
}

/// Writes a run's results: each file goes to a temporary name first and is renamed into
/// place, so an interrupted run never leaves a half-written file.
public enum ResultFolder {
    public static let seriesFile = "series.csv", runsFile = "runs.csv", manifestFile = "manifest.json"
    public static let scenarioFile = "scenario.yaml", summaryFile = "summary.json"

    /// Makes sure `path` can receive results: creates it, or refuses to replace earlier
    /// results unless `force`. `room`: as for ``create(_:room:)``.
    public static func prepare(_ path: String, force: Bool, room: Int = roomForFiles) throws(ResultFolderError) {
        var isDirectory: ObjCBool = false
        let fm = FileManager.default
        if fm.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw .notAFolder(path) }
            try checkLength(path, room: room)  // (create checks a folder it makes)
            if force { return }
            if try resultsListing(path).contains(where: { $0 != FolderLock.fileName }) { throw .exists(path) }
            return
        }
        try create(path, room: room)
    }

    /// Whether `path` is a folder holding files other than hidden ones (results, a report; a
    /// run in progress keeps only hidden ones: `.partial/` and the lock file). A folder that
    /// cannot be listed is an error, not an empty folder: it may hold results.
    public static func holdsVisibleFiles(_ path: String) throws(ResultFolderError) -> Bool {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { return false }
        return try resultsListing(path).contains { !$0.hasPrefix(".") }
    }

    /// ``listing(_:missingIsEmpty:)`` for the check for earlier results, where --force may write anyway.
    private static func resultsListing(_ path: String) throws(ResultFolderError) -> [String] {
        do { return try listing(path) } catch {
            if case .unlisted(let p, let why) = error { throw .unlistedResults(p, why) }
            throw error
        }
    }

    /// The names in folder `path`, or why they cannot be read (a folder that cannot be listed
    /// is never taken for an empty one); `missingIsEmpty`: a folder that does not exist has
    /// no names.
    public static func listing(_ path: String, missingIsEmpty: Bool = false) throws(ResultFolderError) -> [String] {
        if missingIsEmpty && !FileManager.default.fileExists(atPath: path) { return [] }
        guard let dir = opendir(path) else { throw .unlisted(path, String(cString: strerror(errno))) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Room left in a path for the names of the files written inside an output folder
    /// (`.partial/replicate-NNNNNN.json`, `predictive-SERIES.svg`, …).
    public static let roomForFiles = 96

    /// The length in bytes of `path` from / (a relative path counted from the working folder),
    /// as the system measures it against its limits.
    public static func absoluteLength(of path: String) -> Int {
        path.hasPrefix("/") ? path.utf8.count : FileManager.default.currentDirectoryPath.utf8.count + 1 + path.utf8.count
    }

    /// The first few of `names` in order, for a message ("a, b, c, …").
    public static func someNames(_ names: [String]) -> String {
        names.sorted().prefix(3).joined(separator: ", ") + (names.count > 3 ? ", …" : "")
    }

    /// Refuses a path the system would refuse, or one too long to hold `room` more bytes of
    /// names inside it, before anything is made or written there.
    static func checkLength(_ path: String, room: Int) throws(ResultFolderError) {
        for part in path.split(separator: "/") where part.utf8.count > Int(NAME_MAX) {
            throw .cannotCreate(path, "the name '\(part.prefix(24))…' is \(part.utf8.count) bytes long; a file or folder name can have at most \(NAME_MAX)")
        }
        let absolute = absoluteLength(of: path)
        if absolute + room >= Int(PATH_MAX) {
            throw .cannotCreate(
                path,
                "the path is \(absolute) bytes long from /; with the names of the files written inside it, an output folder's path can have at most \(Int(PATH_MAX) - 1 - room)")
        }
    }

    /// Makes sure the folder `path` exists, whatever it holds: creates it (and its parents), or
    /// says why it cannot; returns the folders it made, parents first. Another process creating
    /// it at the same moment is no error. The path is read as the system reads it (`..` after a
    /// symbolic link goes up from the link's target). `room`: bytes of names the files inside
    /// will add to the path (``roomForFiles`` for an output folder; a subfolder of one that
    /// passed this check needs none of its own).
    @discardableResult
    public static func create(_ path: String, room: Int = roomForFiles) throws(ResultFolderError) -> [String] {
        var isDirectory: ObjCBool = false
        let fm = FileManager.default
        try checkLength(path, room: room)
        if fm.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw .notAFolder(path) }
            return []
        }
        guard !path.isEmpty else { throw .cannotCreate(path, "the folder name is empty") }
        // A symbolic link that leads nowhere: say so, rather than "a file with the same name exists".
        if let target = try? fm.destinationOfSymbolicLink(atPath: path) {
            var info = stat()
            let loops = stat(path, &info) != 0 && errno == ELOOP
            throw .cannotCreate(
                path,
                loops
                    ? "it is a symbolic link that loops (it never reaches a file or folder)"
                    : "it is a symbolic link to \(target), which does not exist")
        }
        // Each missing folder from the top, with the system's reason if one cannot be made;
        // the folders this call made are removed again when a later one fails.
        var missing: [String] = []
        var top = path
        while !top.isEmpty && top != "/" && !fm.fileExists(atPath: top, isDirectory: &isDirectory) {
            missing.append(top)
            let parent = Self.parent(of: top)
            guard parent != top else { break }
            top = parent
        }
        // A file where a folder must be: name it, rather than the system's "Not a directory".
        if !top.isEmpty && top != "/" && top != path && !isDirectory.boolValue {
            throw .cannotCreate(path, "\(top) is a file, not a folder")
        }
        var made: [String] = []
        for folder in missing.reversed() {
            if mkdir(folder, 0o755) == 0 { made.append(folder); continue }
            let code = errno
            if code == EEXIST { continue }  // made at the same moment by another process: not ours to remove
            var why = String(cString: strerror(code))
            // /proc and the like: the parent is a folder but takes no new ones.
            let parent = Self.parent(of: folder)
            if code == ENOENT && fm.fileExists(atPath: parent.isEmpty ? "." : parent, isDirectory: &isDirectory) && isDirectory.boolValue {
                why += " (\(parent) does not take new folders)"
            }
            remove(made)
            throw .cannotCreate(path, folder == path ? why : "cannot create \(folder): \(why)")
        }
        return made
    }

    /// The path without its last component, on the text ("a/b/" → "a", "a" → "", "/a" → "/"):
    /// `..` is left for the system to read.
    static func parent(of path: String) -> String {
        var s = Substring(path)
        while s.count > 1 && s.hasSuffix("/") { s = s.dropLast() }
        guard let slash = s.lastIndex(of: "/") else { return "" }
        var head = s[..<slash]
        while head.count > 1 && head.hasSuffix("/") { head = head.dropLast() }
        return head.isEmpty ? "/" : String(head)
    }

    /// Removes folders made by ``create(_:)`` (deepest first), if they are still empty.
    public static func remove(_ made: [String]) {
        for m in made.reversed() { rmdir(m) }
    }

    /// Writes `text` to `folder/name` atomically (temporary file, then rename).
    public static func write(_ text: String, to folder: String, name: String) throws(ResultFolderError) {
        do { try writeAtomically(to: folder, name: name) { try $0.write(contentsOf: Data(text.utf8)) } } catch let error
            as ResultFolderError
        { throw error } catch { throw .cannotWrite(folder + "/" + name, error.localizedDescription) }
    }

    /// Writes `folder/name` through `fill` (which writes the content to the handle it gets) into
    /// a temporary file renamed into place: the name holds the old file or the whole new one,
    /// never a part, whenever the process is stopped (no sync: a power cut may still lose the
    /// newest files). Errors of `fill` come out as they are; the temporary file is removed.
    public static func writeAtomically(to folder: String, name: String, _ fill: (FileHandle) throws -> Void) throws {
        let final = folder + "/" + name, temporary = folder + "/." + name + ".partial"
        // open(2), not Foundation: the path is read as the system reads it (Foundation would
        // resolve `..` on the text, past a symbolic link).
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw ResultFolderError.cannotWrite(final, "cannot create \(temporary): \(String(cString: strerror(errno)))")
        }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        do {
            defer { try? handle.close() }
            try fill(handle)
            guard rename(temporary, final) == 0 else { throw ResultFolderError.cannotWrite(final, String(cString: strerror(errno))) }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
    }

    /// The tidy series: one row per replicate per month.
    public static func seriesCSV(_ results: [ReplicateResult]) -> String {
        var out = "replicate,seed,month," + MetricsRecord.columns.map(\.name).joined(separator: ",") + "\n"
        for r in results {
            for m in r.series {
                out += "\(r.replicate),\(r.seed),\(m.month)"
                for c in MetricsRecord.columns { out += "," + formatValue(c.value(m), count: c.isCount) }
                out += "\n"
            }
        }
        return out
    }

    /// Names of the per-run columns of runs.csv, in order.
    public static let runColumns: [String] = ["replicate", "seed"] + RunColumn.summaries.map(\.name)

    /// The per-run summaries: one row per replicate.
    public static func runsCSV(_ results: [ReplicateResult]) -> String {
        var out = runColumns.joined(separator: ",") + "\n"
        for r in results {
            out += (["\(r.replicate)", "\(r.seed)"] + RunColumn.summaries.map { $0.cell(r).csv }).joined(separator: ",") + "\n"
        }
        return out
    }

    /// manifest.json: everything needed to reproduce the run.
    public static func manifestJSON(_ p: Provenance, replicates: Int) -> String {
        let iso = ISO8601DateFormatter()
        let object: [String: Any] = [
            "tool": "parecon-sim",
            "tool_version": p.tool.version,
            "tool_commit": p.tool.commit,
            "gsl_version": GSLLibrary.version,
            "generator": p.scenario.scenario.generator.rawValue,
            "scenario_name": p.scenario.scenario.name,
            "scenario_source": p.scenario.source,
            "scenario_sha256": p.scenario.sha256,
            "scenario_resolved": p.scenario.resolvedYAML,
            "master_seed": NSNumber(value: p.masterSeed),
            "replicates": replicates,
            "replicate_seeds": p.replicateSeeds.map { NSNumber(value: $0) },
            "threads": p.threads,
            "started": iso.string(from: p.started),
            "finished": iso.string(from: p.finished),
            "host": ProcessInfo.processInfo.hostName,
            "seed_mixing": "replicate seed = SeedMixing.childSeed(master, r); stream state from fmix64/SplitMix64 (docs/IMPLEMENTATION.md)",
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Files derived from a run's results by `report` (kept beside them).
    public static let derivedFiles = [
        "report.md", "report.html", "bands.csv", "adoption.svg", "support.svg",
        "movement.svg", "ledger.svg", "status-quo.svg", "no-say.svg", "gini.svg", "opposition.svg",
        "councils.svg", "firms.svg", "state.svg", "expropriations.svg",
    ]

    /// Marks `folder` as not holding complete results before new ones are written into it: the
    /// manifest goes first (readers refuse a folder without one), and with it the files derived
    /// from the old results, so that an interrupted write (a full disk, a kill) can never leave
    /// new results beside an old manifest or an old report.
    public static func invalidate(_ folder: String) throws(ResultFolderError) {
        let fm = FileManager.default
        for name in [manifestFile] + derivedFiles where fm.fileExists(atPath: folder + "/" + name) {
            do { try fm.removeItem(atPath: folder + "/" + name) } catch {
                throw .cannotCreate(folder + "/" + name, "cannot remove the old file: \(error.localizedDescription)")
            }
        }
    }

    /// Writes every file of a run into `folder` (already prepared): the old manifest and derived
    /// files are removed first, the new manifest is written last.
    public static func writeAll(
        _ results: [ReplicateResult], provenance: Provenance, summaryJSON: String, to folder: String
    ) throws(ResultFolderError) {
        try invalidate(folder)
        try write(provenance.scenario.resolvedYAML, to: folder, name: scenarioFile)
        try write(seriesCSV(results), to: folder, name: seriesFile)
        try write(runsCSV(results), to: folder, name: runsFile)
        try write(summaryJSON, to: folder, name: summaryFile)
        // The manifest last: its presence marks a complete result folder.
        try write(manifestJSON(provenance, replicates: results.count), to: folder, name: manifestFile)
    }
}

/// Numbers in files: counts as integers, others with 6 significant digits (identical text for
/// identical values, whatever the thread count).
public func formatValue(_ x: Double, count: Bool) -> String {
    if count { return String(Int(x)) }
    if x == 0 { return "0" }
    // C's printf, as `String(format: "%.6g")` gives, without Foundation's format machinery
    // (which cost 4% of a 20,000-person run writing its series).
    return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 32) { buffer in
        let n = withVaList([x]) { vsnprintf(buffer.baseAddress!, 32, "%.6g", $0) }
        return String(decoding: UnsafeRawBufferPointer(start: buffer.baseAddress, count: Int(max(0, min(n, 31)))), as: UTF8.self)
    }
}
