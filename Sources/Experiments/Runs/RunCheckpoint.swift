import Foundation

/// The finished replicates of a run in progress, kept in `OUT/.partial/` so that a run
/// interrupted at any moment (SIGKILL included) resumes where it stopped when the same command
/// is given again: each replicate is written (temporary file, then rename) as soon as it ends,
/// and `run.json` names what is being run (scenario hash, master seed, replicates). The folder
/// goes once the results are written. Replicates are seeded by their index alone, so a resumed
/// run writes the same files as an uninterrupted one.
public struct RunCheckpoint: Sendable {
    public let folder: String
    public let scenarioSHA256: String
    public let masterSeed: UInt64
    public let replicates: Int

    public static let folderName = ".partial"
    var directory: String { folder + "/" + Self.folderName }

    public init(folder: String, scenarioSHA256: String, masterSeed: UInt64, replicates: Int) {
        self.folder = folder; self.scenarioSHA256 = scenarioSHA256; self.masterSeed = masterSeed; self.replicates = replicates
    }

    /// Whether `folder` holds an interrupted run (of anything).
    public static func exists(in folder: String) -> Bool {
        FileManager.default.fileExists(atPath: folder + "/" + folderName + "/run.json")
    }

    struct Marker: Codable, Equatable {
        var scenario_sha256: String
        var master_seed: UInt64
        var replicates: Int
    }

    var marker: Marker { Marker(scenario_sha256: scenarioSHA256, master_seed: masterSeed, replicates: replicates) }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return e
    }()

    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return d
    }()

    /// The replicates finished so far. An interrupted run of something else (another scenario,
    /// seed or replicate count) is refused; pass `force` to the command to start over.
    public func finishedReplicates() throws(ResultFolderError) -> [Int: ReplicateResult] {
        var unreadable: [String] = []
        return try finishedReplicates(unreadable: &unreadable)
    }

    /// As ``finishedReplicates()``; `unreadable` receives the names of kept replicate files that
    /// did not read back whole (unreadable, edited or damaged): their replicates run again.
    public func finishedReplicates(unreadable: inout [String]) throws(ResultFolderError) -> [Int: ReplicateResult] {
        // No run.json: nothing kept yet. One that cannot be read is said, not taken for none
        // (the kept replicates would be run again and the folder's state hidden).
        let text: String
        do throws(InputFile.Problem) { text = try InputFile.text(directory + "/run.json", limit: 1 << 20) } catch {
            if case .unreadable = error, access(directory + "/run.json", F_OK) != 0 { return [:] }
            throw .malformed(directory + "/run.json", "\(error); pass --force to start over")
        }
        guard let recorded = try? Self.decoder.decode(Marker.self, from: Data(text.utf8)) else {
            throw .malformed(directory + "/run.json", "is not a parecon-sim checkpoint; pass --force to start over")
        }
        guard recorded == marker else {
            throw .malformed(
                folder,
                "holds an interrupted run of another scenario, seed or replicate count "
                    + "(scenario sha256 \(recorded.scenario_sha256.prefix(12)), seed \(recorded.master_seed), \(recorded.replicates) replicates); "
                    + "give the same scenario and options to resume it, or pass --force to start over")
        }
        var done: [Int: ReplicateResult] = [:]
        // A .partial/ that cannot be listed is an error, not an empty one: its replicates would
        // be run again and the folder left behind.
        for name in try ResultFolder.listing(directory)
        where name.hasPrefix("replicate-") && name.hasSuffix(".json") {
            // A file that does not read back (it cannot be half-written, but may be foreign) is run again.
            guard let data = FileManager.default.contents(atPath: directory + "/" + name),
                let payload = Self.verified(data),
                let result = try? Self.decoder.decode(ReplicateResult.self, from: payload),
                result.replicate < replicates,
                result.seed == ReplicateRunner.seed(master: masterSeed, replicate: result.replicate)
            else {
                unreadable.append(name)
                continue
            }
            done[result.replicate] = result
        }
        return done
    }

    /// Starts keeping replicates (writes run.json unless it is there).
    public func begin() throws(ResultFolderError) {
        try ResultFolder.create(directory, room: 0)
        if Self.exists(in: folder) { return }
        let data = (try? Self.encoder.encode(marker)) ?? Data()
        try ResultFolder.write(String(decoding: data, as: UTF8.self), to: directory, name: "run.json")
    }

    /// Keeps one finished replicate: a line with the SHA-256 of the JSON that follows it, so
    /// that an edited or damaged replicate is run again rather than trusted.
    public func keep(_ result: ReplicateResult) throws(ResultFolderError) {
        guard let data = try? Self.encoder.encode(result) else {
            throw .cannotWrite(directory, "replicate \(result.replicate) could not be encoded")
        }
        let json = String(decoding: data, as: UTF8.self)
        try ResultFolder.write(
            ScenarioLoader.sha256(json) + "\n" + json, to: directory, name: String(format: "replicate-%07d.json", result.replicate))
    }

    /// The JSON of a kept replicate whose checksum line matches it; nil otherwise.
    static func verified(_ data: Data) -> Data? {
        guard let newline = data.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        let digest = String(decoding: data[data.startIndex..<newline], as: UTF8.self)
        let payload = data[data.index(after: newline)...]
        guard digest.count == 64, ScenarioLoader.sha256(String(decoding: payload, as: UTF8.self)) == digest else { return nil }
        return Data(payload)
    }

    /// Removes a checkpoint folder that never got its `run.json` (the run was stopped while
    /// starting): nothing in it says what it belongs to, so nothing in it is reused, and it must
    /// not make the folder look as if it held results.
    public static func discardIfUnmarked(in folder: String) {
        let fm = FileManager.default
        if fm.fileExists(atPath: folder + "/" + folderName) && !exists(in: folder) { discard(in: folder) }
    }

    /// Removes the kept replicates (after the results are written, or to start over); returns
    /// why they could not all be removed, or nil.
    @discardableResult
    public static func discard(in folder: String) -> String? {
        let path = folder + "/" + folderName
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do { try FileManager.default.removeItem(atPath: path) } catch {
            return FileManager.default.fileExists(atPath: path) ? error.localizedDescription : nil
        }
        return nil
    }
}
