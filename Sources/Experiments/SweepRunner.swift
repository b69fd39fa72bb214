import Foundation
import Stochastic
import TransitionModel

/// Runs a sweep into a folder, one file per finished point, so that killing the process at any
/// moment loses at most the points in flight and running the same command again finishes the
/// sweep: no run lost, none done twice. Points are independent and seeded from (sweep seed,
/// point index), so a shard, a resumed run and a single uninterrupted run give identical files.
public enum SweepRunner {
    public struct Outcome: Sendable {
        public var pointsRun: Int
        public var pointsSkipped: Int
        public var pointsFailed: Int
        public var runs: Int
        public var seconds: Double
    }

    /// Which points a shard i/n takes: those with index ≡ i − 1 (mod n).
    public static func points(of sweep: SweepFile, shard: (index: Int, count: Int)) -> [Int] {
        sweep.points.indices.filter { $0 % shard.count == shard.index - 1 }
    }

    static func pointFile(_ p: Int) -> String { String(format: "point-%06d.csv", p + 1) }
    static func seriesFile(_ p: Int) -> String { String(format: "point-%06d.series.csv", p + 1) }

    /// The seed of point p: replicate r of it then runs with `childSeed(pointSeed, r)`.
    public static func pointSeed(_ sweep: SweepFile, _ p: Int) -> UInt64 {
        SeedMixing.childSeed(master: sweep.seed, index: UInt64(p) &+ 0x5EE9)
    }

    /// Prepares `folder` for `sweep`: a new folder gets sweep.json; an existing one must hold
    /// the same sweep (same hash), or `force` must be given to start over.
    public static func prepare(_ sweep: SweepFile, folder: String, force: Bool, toolVersion: String, every: Int = 0) throws(ResultFolderError) {
        let fm = FileManager.default
        let manifest = folder + "/sweep.json"
        if fm.fileExists(atPath: manifest) && !force {
            guard let data = fm.contents(atPath: manifest),
                  let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
                  let sha = object["sweep_sha256"] as? String else {
                throw .malformed(manifest, "is not a parecon-sim sweep manifest; choose another --out or pass --force")
            }
            let recorded = object["series_every"] as? Int ?? 0
            guard recorded == every else {
                throw .malformed(folder, "was started with --every \(recorded), not \(every): resume with the same --every, or choose another --out")
            }
            guard sha == sweep.sha256 else {
                throw .malformed(folder, "holds a different sweep (sha256 \(sha.prefix(12)), this file \(sweep.sha256.prefix(12))): the sweep file changed since this folder was started; resume with the original file, choose another --out, or pass --force to start over")
            }
            return
        }
        if force { try? fm.removeItem(atPath: folder + "/points") }
        try ResultFolder.prepare(folder, force: true)
        do { try fm.createDirectory(atPath: folder + "/points", withIntermediateDirectories: true) }
        catch { throw .cannotCreate(folder + "/points", error.localizedDescription) }
        let object: [String: Any] = [
            "tool": "parecon-sim", "tool_version": toolVersion, "sweep_sha256": sweep.sha256, "sweep_source": sweep.source,
            "base_scenario_sha256": sweep.base.sha256, "design": sweep.design.rawValue, "points": sweep.points.count,
            "replicates": sweep.replicates, "seed": NSNumber(value: sweep.seed), "parameters": sweep.parameters,
            "host": ProcessInfo.processInfo.hostName, "started": ISO8601DateFormatter().string(from: Date()),
            "series_every": every, "gsl_version": GSLLibrary.version, "generator": sweep.base.scenario.generator.rawValue,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? Data()
        try ResultFolder.write(String(decoding: data, as: UTF8.self) + "\n", to: folder, name: "sweep.json")
    }

    /// Runs the points of `shard` not yet in `folder`.
    /// With `every` > 0, the per-month series of each run is kept every `every` months (month 0
    /// and the last month always) in `points/point-N.series.csv`, written before the point file.
    public static func run(_ sweep: SweepFile, folder: String, shard: (index: Int, count: Int), threads: Int, every: Int = 0,
                           progress: @escaping @Sendable (_ done: Int, _ total: Int) -> Void = { _, _ in }) throws(ResultFolderError) -> Outcome {
        let start = Date()
        let mine = points(of: sweep, shard: shard)
        let fm = FileManager.default
        var outcome = Outcome(pointsRun: 0, pointsSkipped: 0, pointsFailed: 0, runs: 0, seconds: 0)
        for (n, p) in mine.enumerated() {
            if fm.fileExists(atPath: folder + "/points/" + pointFile(p)) { outcome.pointsSkipped += 1; progress(n + 1, mine.count); continue }
            var scenario = sweep.points[p].scenario
            scenario.seed = pointSeed(sweep, p)
            let header = "point,replicate,seed," + ResultFolder.runColumns.dropFirst(2).joined(separator: ",") + ",status\n"
            do {
                let results = try ReplicateRunner.run(scenario, replicates: sweep.replicates, threads: threads,
                                                     keepSeries: every > 0, stop: sweep.stop)
                if every > 0 {
                    let thinned = results.map { r -> ReplicateResult in
                        var t = r
                        let last = r.series.last?.month
                        t.series = r.series.filter { $0.month % every == 0 || $0.month == last }
                        return t
                    }
                    let csv = ResultFolder.seriesCSV(thinned).split(separator: "\n", omittingEmptySubsequences: true)
                    let body = csv.dropFirst().map { "\(p + 1),\($0)" }.joined(separator: "\n")
                    try ResultFolder.write("point," + csv[0] + "\n" + body + "\n", to: folder + "/points", name: seriesFile(p))
                }
                let rows = ResultFolder.runsCSV(results).split(separator: "\n").dropFirst().map { "\(p + 1),\($0),ok" }
                try ResultFolder.write(header + rows.joined(separator: "\n") + "\n", to: folder + "/points", name: pointFile(p))
                outcome.pointsRun += 1
                outcome.runs += results.count
            } catch let error as ResultFolderError {
                throw error
            } catch {
                // The model refused this point: record it and go on with the sweep.
                try ResultFolder.write(header + "\(p + 1),,,\(String(repeating: ",", count: ResultFolder.runColumns.count - 3))failed: \(String(describing: error).replacingOccurrences(of: ",", with: ";"))\n",
                                       to: folder + "/points", name: pointFile(p))
                outcome.pointsFailed += 1
            }
            progress(n + 1, mine.count)
        }
        outcome.seconds = Date().timeIntervalSince(start)
        return outcome
    }

    /// Records in sweep.json when the sweep was found complete (the provenance's end time).
    static func markFinished(_ folder: String) throws(ResultFolderError) {
        guard let data = FileManager.default.contents(atPath: folder + "/sweep.json"),
              var object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return }
        if object["finished"] != nil { return }
        object["finished"] = ISO8601DateFormatter().string(from: Date())
        let out = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? data
        try ResultFolder.write(String(decoding: out, as: UTF8.self) + "\n", to: folder, name: "sweep.json")
    }

    /// Joins the finished point files into runs.csv (with the point's overrides in points.csv).
    /// Returns the number of points still missing.
    @discardableResult
    public static func combine(_ sweep: SweepFile, folder: String) throws(ResultFolderError) -> Int {
        var runs = "", series = ""
        var pointsCSV = "point," + sweep.parameters.joined(separator: ",") + "\n"
        var missing = 0
        for p in sweep.points.indices {
            let values = sweep.parameters.map { key in
                sweep.points[p].overrides.first { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.count + 1)) } ?? ""
            }
            pointsCSV += "\(p + 1)," + values.map { $0.contains(",") ? "\"\($0)\"" : $0 }.joined(separator: ",") + "\n"
            guard let text = try? String(contentsOfFile: folder + "/points/" + pointFile(p), encoding: .utf8) else { missing += 1; continue }
            let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
            if runs.isEmpty, let header = lines.first { runs = header + "\n" }
            for line in lines.dropFirst() { runs += line + "\n" }
            if let seriesText = try? String(contentsOfFile: folder + "/points/" + seriesFile(p), encoding: .utf8) {
                let seriesLines = seriesText.split(separator: "\n", omittingEmptySubsequences: true)
                if series.isEmpty, let header = seriesLines.first { series = header + "\n" }
                for line in seriesLines.dropFirst() { series += line + "\n" }
            }
        }
        if !series.isEmpty { try ResultFolder.write(series, to: folder, name: "series.csv") }
        try ResultFolder.write(pointsCSV, to: folder, name: "points.csv")
        if !runs.isEmpty { try ResultFolder.write(runs, to: folder, name: "runs.csv") }
        if missing == 0 { try markFinished(folder) }
        return missing
    }
}
