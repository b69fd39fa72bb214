import Foundation

/// Joins sweep folders (shards run on different machines) into one.
public enum SweepMerge {
    /// Merges `folders` into `out`. All must hold the same sweep (same hash); a point present in
    /// several must be identical in each; together they must cover every point. Nothing is
    /// written unless all checks pass, and an existing `out` is replaced only with `force`.
    public static func merge(_ folders: [String], into out: String, force: Bool) throws(ResultFolderError) -> (points: Int, runs: Int) {
        precondition(!folders.isEmpty, "merge needs at least one folder")
        var sha: String? = nil, expectedPoints = 0
        var manifestText = "", pointsCSV = ""
        var files: [String: (folder: String, text: String)] = [:]
        var seriesFiles: [String: String] = [:]
        for folder in folders {
            let manifestPath = folder + "/sweep.json"
            guard let data = FileManager.default.contents(atPath: manifestPath) else { throw .missing(folder, "sweep.json") }
            guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
                  let hash = object["sweep_sha256"] as? String, let count = object["points"] as? Int else {
                throw .malformed(manifestPath, "is not a parecon-sim sweep manifest")
            }
            if let sha, sha != hash {
                throw .malformed(folder, "holds a different sweep (sha256 \(hash.prefix(12))) than \(folders[0]) (\(sha.prefix(12))): shards of different sweeps cannot be merged")
            }
            if sha == nil {
                sha = hash; expectedPoints = count
                manifestText = String(decoding: data, as: UTF8.self)
                guard let p = try? String(contentsOfFile: folder + "/points.csv", encoding: .utf8) else { throw .missing(folder, "points.csv") }
                pointsCSV = p
            }
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder + "/points")) ?? [])
                .filter { $0.hasSuffix(".csv") && $0.hasPrefix("point-") && !$0.hasSuffix(".series.csv") }
            for name in names {
                guard let text = try? String(contentsOfFile: folder + "/points/" + name, encoding: .utf8),
                      text.hasPrefix("point,replicate,seed,"), text.hasSuffix("\n"),
                      text.split(separator: "\n").count >= 2 else {
                    throw .malformed(folder + "/points/" + name, "is not a complete point file (corrupt or truncated)")
                }
                if let other = files[name], other.text != text {
                    throw .malformed(folder + "/points/" + name, "differs from the same point in \(other.folder)")
                }
                files[name] = (folder, text)
            }
            for name in ((try? FileManager.default.contentsOfDirectory(atPath: folder + "/points")) ?? []) where name.hasSuffix(".series.csv") {
                if let text = try? String(contentsOfFile: folder + "/points/" + name, encoding: .utf8) { seriesFiles[name] = text }
            }
        }
        let missing = (1...max(expectedPoints, 1)).filter { files[String(format: "point-%06d.csv", $0)] == nil }
        if expectedPoints > 0 && !missing.isEmpty {
            throw .malformed(folders.joined(separator: ", "), "together lack \(missing.count) of \(expectedPoints) points (first missing: \(missing.prefix(5).map(String.init).joined(separator: ", "))): is a shard missing?")
        }
        try ResultFolder.prepare(out, force: force)
        do { try FileManager.default.createDirectory(atPath: out + "/points", withIntermediateDirectories: true) }
        catch { throw .cannotCreate(out + "/points", error.localizedDescription) }
        var runs = "", count = 0
        for name in files.keys.sorted() {
            let text = files[name]!.text
            try ResultFolder.write(text, to: out + "/points", name: name)
            let lines = text.split(separator: "\n")
            if runs.isEmpty { runs = lines[0] + "\n" }
            for line in lines.dropFirst() { runs += line + "\n"; count += 1 }
        }
        var series = ""
        for name in seriesFiles.keys.sorted() {
            let text = seriesFiles[name]!
            try ResultFolder.write(text, to: out + "/points", name: name)
            let lines = text.split(separator: "\n")
            if series.isEmpty, let header = lines.first { series = header + "\n" }
            for line in lines.dropFirst() { series += line + "\n" }
        }
        if !series.isEmpty { try ResultFolder.write(series, to: out, name: "series.csv") }
        try ResultFolder.write(pointsCSV, to: out, name: "points.csv")
        try ResultFolder.write(runs, to: out, name: "runs.csv")
        try ResultFolder.write(manifestText, to: out, name: "sweep.json")
        try SweepRunner.markFinished(out)
        return (files.count, count)
    }
}
