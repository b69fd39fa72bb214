import Experiments
import Foundation

/// The shipped scenario files the explorer offers as presets: every scenario file (not sweep or
/// calibration files) of one folder, by name, with the first line of its leading comment.
public struct PresetCatalogue: Sendable {
    public struct Preset: Sendable, Equatable {
        /// The file name without `.yaml` or `.yml` (see `name(of:taken:)`).
        public var name: String
        public var path: String
        /// The opening comment's first paragraph, without the leading "# name:".
        public var summary: String
        public var persons: Int
    }

    public private(set) var presets: [Preset] = []

    /// Reads `directory` (nil or missing: no presets); files that do not load as scenarios are skipped.
    public init(directory: String?) {
        guard let directory, let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for file in names.sorted() where file.hasSuffix(".yaml") || file.hasSuffix(".yml") {
            let path = directory + "/" + file
            // The loader reads the file first, within its size limit; only then is its text read again.
            guard let loaded = try? ScenarioLoader.load(path: path),
                let text = try? String(contentsOfFile: path, encoding: .utf8), !SweepFile.isSweep(text: text)
            else { continue }
            let name = Self.name(of: file, taken: presets.map(\.name))
            presets.append(Preset(name: name, path: path, summary: Self.summary(of: text, name: name), persons: loaded.scenario.population.persons))
        }
    }

    public func preset(named name: String) -> Preset? { presets.first { $0.name == name } }

    /// A preset's name: the file name without its `.yaml` or `.yml` (`x.two.yaml` is "x.two");
    /// the whole file name when that is taken (`x.yaml` and `x.yml` are "x" and "x.yml").
    static func name(of file: String, taken: [String]) -> String {
        let stem = file.hasSuffix(".yaml") ? String(file.dropLast(5)) : file.hasSuffix(".yml") ? String(file.dropLast(4)) : file
        return taken.contains(stem) ? file : stem
    }

    /// The file's opening comment paragraph, joined into one line without its "NAME:" prefix
    /// (a question often runs over two lines); "" when the file does not open with a comment.
    static func summary(of text: String, name: String) -> String {
        var words: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix("#") else { break }
            let body = line.dropFirst().trimmingCharacters(in: .whitespaces)
            if body.isEmpty { break }
            words.append(body)
        }
        var summary = words.joined(separator: " ")
        if summary.hasPrefix(name + ":") { summary = String(summary.dropFirst(name.count + 1)).trimmingCharacters(in: .whitespaces) }
        return summary
    }

    /// Adds a scenario file given by path (its name: the file name; a preset of that name is
    /// replaced) and returns the name.
    public mutating func add(path: String) throws(ScenarioError) -> String {
        let loaded = try ScenarioLoader.load(path: path)
        let file = URL(fileURLWithPath: path).lastPathComponent
        let name = Self.name(of: file, taken: [])
        presets.removeAll { $0.name == name }
        presets.append(Preset(name: name, path: path, summary: "", persons: loaded.scenario.population.persons))
        return name
    }
}
