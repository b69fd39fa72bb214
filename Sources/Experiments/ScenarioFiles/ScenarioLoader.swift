import Crypto
import Foundation
import TransitionModel
import Yams

/// A scenario read from a file, with everything needed to reproduce it.
public struct LoadedScenario: Sendable {
    public var scenario: Scenario
    /// The resolved scenario (all defaults filled in) as YAML, and its SHA-256 in hex.
    public var resolvedYAML: String
    public var sha256: String
    /// The file it came from ("" for the built-in default).
    public var source: String
}

/// Reads scenario files: YAML with `extends`, checked against ``ScenarioSchema``; every problem
/// in a file is reported with file, line, column and key path, and nothing ever traps.
public enum ScenarioLoader {
    /// Files larger than this are refused before parsing.
    public static let maximumFileBytes = 1 << 20
    /// Deepest nesting and most nodes a scenario document may have (hostile documents).
    public static let maximumDepth = 32
    public static let maximumNodes = 100_000
    public static let maximumKeyLength = 200
    static let maximumExtendsDepth = 16

    /// Reads `path` (following `extends`), then applies `overrides` ("key.path=value").
    public static func load(path: String, overrides: [String] = []) throws(ScenarioError) -> LoadedScenario {
        var scenario = Scenario()
        var issues: [ScenarioIssue] = []
        apply(path: path, to: &scenario, chain: [], issues: &issues)
        applyOverrides(overrides, to: &scenario, issues: &issues)
        if issues.isEmpty { issues += crossChecks(scenario, file: overrides.isEmpty ? path : "\(path) with --set") }
        guard issues.isEmpty else { throw ScenarioError(issues) }
        return resolved(scenario, source: path)
    }

    /// Reads `path` as a transition path over another economy: `base` (following its `extends`),
    /// then the settings written in `path` itself (its own `extends` is not followed), then
    /// `overrides`. A path file that is `base` or one of the files `base` extends adds nothing of
    /// its own: the result is `base`. This is how a path's levers (its voting rule, whether it
    /// transforms existing firms, its transfers) are set over a calibrated economy.
    public static func load(path: String, over base: String, overrides: [String] = []) throws(ScenarioError) -> LoadedScenario {
        if ancestry(of: base).contains(canonicalPath(path)) { return try load(path: base, overrides: overrides) }
        var scenario = Scenario()
        var issues: [ScenarioIssue] = []
        apply(path: base, to: &scenario, chain: [], issues: &issues)
        apply(path: path, to: &scenario, chain: [], issues: &issues, ownSettingsOnly: true)
        applyOverrides(overrides, to: &scenario, issues: &issues)
        if issues.isEmpty { issues += crossChecks(scenario, file: "\(path) over \(base)" + (overrides.isEmpty ? "" : " with --set")) }
        guard issues.isEmpty else { throw ScenarioError(issues) }
        return resolved(scenario, source: path)
    }

    /// The canonical paths of `path` and of every file it extends, nearest first (unreadable
    /// files end the list: loading them reports the problem).
    static func ancestry(of path: String) -> [String] {
        var out: [String] = []
        var next: String? = path
        while let current = next, out.count <= maximumExtendsDepth {
            let canonical = canonicalPath(current)
            guard !out.contains(canonical) else { break }
            out.append(canonical)
            next = nil
            guard let text = try? InputFile.text(current, limit: maximumFileBytes), findAnchorOrAlias(text) == nil,
                let root = try? Yams.compose(yaml: text), case .mapping(let top) = root,
                let base = top["extends"]?.string, !base.isEmpty
            else { break }
            next = base.hasPrefix("/") ? base : URL(fileURLWithPath: current).deletingLastPathComponent().path + "/" + base
        }
        return out
    }

    static func canonicalPath(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// The built-in default scenario, with `overrides` applied.
    public static func defaults(overrides: [String] = []) throws(ScenarioError) -> LoadedScenario {
        var scenario = Scenario()
        var issues: [ScenarioIssue] = []
        applyOverrides(overrides, to: &scenario, issues: &issues)
        if issues.isEmpty { issues += crossChecks(scenario, file: "--set") }
        guard issues.isEmpty else { throw ScenarioError(issues) }
        return resolved(scenario, source: "")
    }

    /// Reads a scenario from text (for tests, generated scenarios and the explorer's uploads),
    /// then applies `overrides`. A `sealed` text may not extend another file: it comes from
    /// somewhere that must not make this process read files (a page, over HTTP).
    public static func load(
        text: String, file: String = "<text>", directory: String = ".", overrides: [String] = [], sealed: Bool = false
    ) throws(ScenarioError) -> LoadedScenario {
        var scenario = Scenario()
        var issues: [ScenarioIssue] = []
        apply(text: text, file: file, directory: directory, to: &scenario, chain: [], issues: &issues, sealed: sealed)
        if issues.isEmpty { applyOverrides(overrides, to: &scenario, issues: &issues) }
        if issues.isEmpty { issues += crossChecks(scenario, file: file) }
        guard issues.isEmpty else { throw ScenarioError(issues) }
        return resolved(scenario, source: file)
    }

    public static func resolved(_ scenario: Scenario, source: String) -> LoadedScenario {
        let yaml = render(scenario)
        return LoadedScenario(scenario: scenario, resolvedYAML: yaml, sha256: sha256(yaml), source: source)
    }

    /// SHA-256 of a text's UTF-8 bytes, in hex.
    public static func sha256(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// The resolved scenario as YAML: every parameter, grouped by section, in schema order.
    public static func render(_ scenario: Scenario) -> String {
        var out = "# resolved parecon-sim scenario: every parameter, defaults filled in\n"
        var section: String? = nil
        for spec in ScenarioSchema.parameters {
            let parts = spec.path.split(separator: ".", maxSplits: 1).map(String.init)
            if parts.count == 1 {
                out += "\(spec.path): \(spec.render(scenario))\n"
            } else {
                if section != parts[0] { out += "\(parts[0]):\n"; section = parts[0] }
                out += "  \(parts[1]): \(spec.render(scenario))\n"
            }
        }
        return out
    }

    // MARK: reading

    private static func apply(
        path: String, to scenario: inout Scenario, chain: [String], issues: inout [ScenarioIssue], ownSettingsOnly: Bool = false,
        extended: Bool = false
    ) {
        let url = URL(fileURLWithPath: path)
        let canonical = canonicalPath(path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            let link = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) != nil
            issues.append(
                ScenarioIssue(
                    file: path, message: link ? "is a symbolic link that leads nowhere (a broken link or a loop of links)" : "no such file")
            )
            return
        }
        guard !isDirectory.boolValue else {
            issues.append(ScenarioIssue(file: path, message: "is a folder, not a scenario file"))
            return
        }
        if chain.contains(canonical) {
            issues.append(
                ScenarioIssue(
                    file: path, keyPath: "extends",
                    message: "extends forms a cycle: "
                        + (chain + [canonical]).map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: " → ")))
            return
        }
        if chain.count >= maximumExtendsDepth {
            issues.append(ScenarioIssue(file: path, keyPath: "extends", message: "extends is nested more than \(maximumExtendsDepth) deep"))
            return
        }
        let text: String
        do { text = try InputFile.text(path, limit: maximumFileBytes) } catch {
            issues.append(ScenarioIssue(file: path, message: error.description))
            return
        }
        apply(
            text: text, file: path, directory: url.deletingLastPathComponent().path, to: &scenario,
            chain: chain + [canonical], issues: &issues, ownSettingsOnly: ownSettingsOnly, extended: extended)
    }

    private static func apply(
        text: String, file: String, directory: String, to scenario: inout Scenario,
        chain: [String], issues: inout [ScenarioIssue], ownSettingsOnly: Bool = false, extended: Bool = false,
        sealed: Bool = false
    ) {
        guard text.utf8.count <= maximumFileBytes else {
            issues.append(ScenarioIssue(file: file, message: "is larger than \(maximumFileBytes) bytes"))
            return
        }
        if text.contains("\0") {
            issues.append(ScenarioIssue(file: file, message: "contains a NUL byte: not a text file"))
            return
        }
        if let (line, column) = findAnchorOrAlias(text) {
            issues.append(
                ScenarioIssue(
                    file: file, line: line, column: column,
                    message: "anchors, aliases and tags (&, *, !) are not supported in scenario files"))
            return
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            issues.append(yamlIssue(error, file: file))
            return
        } catch {
            issues.append(ScenarioIssue(file: file, message: "malformed YAML: \(error)"))
            return
        }
        guard let root else {
            issues.append(
                ScenarioIssue(
                    file: file,
                    message: "holds no settings (it is empty or only comments): a scenario needs at least one section or `extends:`"))
            return
        }
        var budget = maximumNodes
        if let problem = guardShape(root, depth: 0, budget: &budget, file: file) {
            issues.append(problem)
            return
        }
        guard case .mapping(let top) = root else {
            issues.append(
                ScenarioIssue(
                    file: file, line: root.mark?.line, column: root.mark?.column,
                    message: "not a scenario file: its top level is \(kind(of: root)), not a mapping of sections (population:, opinion:, …)"
                ))
            return
        }
        // A file another extends that has not one scenario key is some other file: say so,
        // without quoting keys that may be someone else's data.
        let known = Set(ScenarioSchema.sections + ["extends", "sweep", "calibration"])
        if extended && !top.contains(where: { key, _ in key.string.map { known.contains($0) || ScenarioSchema.byPath[$0] != nil } ?? false }) {
            issues.append(
                ScenarioIssue(
                    file: file,
                    message: "not a scenario file: none of its \(top.count) top-level keys is a section of a scenario (population:, opinion:, …) or extends:"))
            return
        }
        let context = ReadContext(file: file, directory: directory)
        // extends first: the base is read, then this file overrides it.
        var entries: [(path: String, key: Node, value: Node)] = []
        var seen: [String: Node] = [:]
        for (key, value) in top {
            guard let name = key.string, case .scalar = key else {
                issues.append(issueAt(key, file, nil, "keys must be plain words, found \(describe(key))"))
                continue
            }
            if let first = seen[name] {
                issues.append(issueAt(key, file, name, "duplicate key (first at line \(first.mark?.line ?? 0))"))
                continue
            }
            seen[name] = key
            if name == "extends" {
                guard let base = value.string, !base.isEmpty else {
                    issues.append(issueAt(value, file, "extends", "expected a file name, found \(describe(value))"))
                    continue
                }
                if ownSettingsOnly { continue }
                if sealed {
                    issues.append(
                        issueAt(key, file, "extends", "a scenario sent from the page cannot extend a file: write the whole scenario in it"))
                    continue
                }
                let basePath = base.hasPrefix("/") ? base : directory + "/" + base
                var baseIssues: [ScenarioIssue] = []
                apply(path: basePath, to: &scenario, chain: chain, issues: &baseIssues, extended: true)
                for var i in baseIssues {
                    if i.file == basePath && i.line == nil && chain.count < maximumExtendsDepth {
                        i = ScenarioIssue(
                            file: file, line: value.mark?.line, column: value.mark?.column, keyPath: "extends",
                            message: "\(base): \(i.message)")
                    }
                    issues.append(i)
                }
                continue
            }
            if ScenarioSchema.byPath[name] != nil {
                entries.append((name, key, value))
                continue
            }
            if name == "sweep" {
                issues.append(
                    issueAt(key, file, name, "this is a sweep file, not a scenario: run it with `parecon-sim sweep FILE --out FILE.sqlite`"))
                continue
            }
            if name == "calibration" {
                issues.append(
                    issueAt(
                        key, file, name, "this is a calibration file, not a scenario: run it with `parecon-sim calibrate FILE --out DIR`"))
                continue
            }
            guard ScenarioSchema.sections.contains(name) else {
                issues.append(issueAt(key, file, name, "unknown key" + suggestion(for: name, among: ScenarioSchema.sections + ["extends"])))
                continue
            }
            guard case .mapping(let inner) = value else {
                issues.append(issueAt(value, file, name, "expected a mapping of \(name) parameters, found \(describe(value))"))
                continue
            }
            var innerSeen: [String: Node] = [:]
            for (k, v) in inner {
                guard let sub = k.string, case .scalar = k else {
                    issues.append(issueAt(k, file, name, "keys must be plain words, found \(describe(k))"))
                    continue
                }
                let path = name + "." + sub
                if let first = innerSeen[sub] {
                    issues.append(issueAt(k, file, path, "duplicate key (first at line \(first.mark?.line ?? 0))"))
                    continue
                }
                innerSeen[sub] = k
                guard ScenarioSchema.byPath[path] != nil else {
                    let known = ScenarioSchema.parameters.map(\.path).filter { $0.hasPrefix(name + ".") }
                    issues.append(
                        issueAt(k, file, path, "unknown key" + suggestion(for: path, among: known + ScenarioSchema.parameters.map(\.path))))
                    continue
                }
                entries.append((path, k, v))
            }
        }
        // opinion.initial before everything else (a stable partition), so that a burn-in given in
        // the same file applies to the initial stances given there.
        entries = entries.filter { $0.path == "opinion.initial" } + entries.filter { $0.path != "opinion.initial" }
        for e in entries {
            let spec = ScenarioSchema.byPath[e.path]!
            do throws(ScenarioIssue) {
                try spec.write(&scenario, e.value, spec, context)
            } catch {
                var located = error
                located.file = file
                if located.line == nil { located.line = e.value.mark?.line; located.column = e.value.mark?.column }
                issues.append(located)
            }
        }
    }

    /// Refuses anchors/aliases, deep nesting, huge keys and too many nodes, in bounded time.
    /// A YAML file of the tool's own (sweep, calibration) read safely: size-checked, anchors,
    /// aliases and tags refused, parse errors without the file's text, nodes and depth bounded.
    static func readDocument(_ path: String) throws(ScenarioError) -> (text: String, root: Node?) {
        let text: String
        do { text = try InputFile.text(path, limit: maximumFileBytes) } catch {
            throw ScenarioError([ScenarioIssue(file: path, message: error.description)])
        }
        if let (line, column) = findAnchorOrAlias(text) {
            throw ScenarioError([
                ScenarioIssue(file: path, line: line, column: column, message: "anchors, aliases and tags (&, *, !) are not supported")
            ])
        }
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch let error as YamlError {
            throw ScenarioError([yamlIssue(error, file: path)])
        } catch {
            throw ScenarioError([ScenarioIssue(file: path, message: "malformed YAML")])
        }
        if let root {
            var budget = maximumNodes
            if let problem = guardShape(root, depth: 0, budget: &budget, file: path) { throw ScenarioError([problem]) }
        }
        return (text, root)
    }

    static func guardShape(_ node: Node, depth: Int, budget: inout Int, file: String) -> ScenarioIssue? {
        budget -= 1
        if budget < 0 { return issueAt(node, file, nil, "the document has more than \(maximumNodes) nodes") }
        if depth > maximumDepth { return issueAt(node, file, nil, "the document is nested more than \(maximumDepth) levels deep") }
        if node.anchor != nil { return issueAt(node, file, nil, "anchors and aliases (&, *) are not supported in scenario files") }
        switch node {
        case .alias: return issueAt(node, file, nil, "anchors and aliases (&, *) are not supported in scenario files")
        case .scalar(let s):
            if s.string.count > 10_000 { return issueAt(node, file, nil, "a value is longer than 10,000 characters") }
        case .sequence(let seq):
            for child in seq { if let p = guardShape(child, depth: depth + 1, budget: &budget, file: file) { return p } }
        case .mapping(let map):
            for (k, v) in map {
                if let key = k.string, key.count > maximumKeyLength {
                    return issueAt(k, file, nil, "a key is longer than \(maximumKeyLength) characters")
                }
                if let p = guardShape(k, depth: depth + 1, budget: &budget, file: file) { return p }
                if let p = guardShape(v, depth: depth + 1, budget: &budget, file: file) { return p }
            }
        }
        return nil
    }

    static func applyOverrides(_ overrides: [String], to scenario: inout Scenario, issues: inout [ScenarioIssue]) {
        // opinion.initial first, as in files (a burn-in given beside it applies to it).
        let isInitial = { (item: String) in item.hasPrefix("opinion.initial=") || item.hasPrefix("opinion.initial =") }
        for item in overrides.filter(isInitial) + overrides.filter({ !isInitial($0) }) {
            guard let eq = item.firstIndex(of: "=") else {
                issues.append(ScenarioIssue(file: "--set", message: "expected KEY.PATH=VALUE, found '\(item)'"))
                continue
            }
            let path = String(item[..<eq]).trimmingCharacters(in: .whitespaces)
            let valueText = String(item[item.index(after: eq)...])
            guard let spec = ScenarioSchema.byPath[path] else {
                issues.append(
                    ScenarioIssue(
                        file: "--set", keyPath: path,
                        message: "unknown key" + suggestion(for: path, among: ScenarioSchema.parameters.map(\.path))))
                continue
            }
            let node: Node
            if findAnchorOrAlias(valueText) != nil || valueText.hasPrefix("&") || valueText.hasPrefix("*") || valueText.hasPrefix("!") {
                issues.append(ScenarioIssue(file: "--set", keyPath: path, message: "anchors, aliases and tags (&, *, !) are not supported"))
                continue
            }
            do {
                // Encoding given: its default reads the whole environment on every call.
                guard let n = try Yams.compose(yaml: valueText, .default, .default, .utf8) else {
                    issues.append(ScenarioIssue(file: "--set", keyPath: path, message: "no value given"))
                    continue
                }
                node = n
            } catch {
                issues.append(ScenarioIssue(file: "--set", keyPath: path, message: "malformed value '\(valueText.prefix(80))'"))
                continue
            }
            var budget = maximumNodes
            if let problem = guardShape(node, depth: 0, budget: &budget, file: "--set") {
                issues.append(problem); continue
            }
            do throws(ScenarioIssue) {
                try spec.write(&scenario, node, spec, ReadContext(file: "--set", directory: FileManager.default.currentDirectoryPath))
            } catch {
                var e = error
                e.file = "--set"; e.line = nil; e.column = nil
                issues.append(e)
            }
        }
    }

    /// Checks that involve several parameters.
    static func crossChecks(_ s: Scenario, file: String) -> [ScenarioIssue] {
        var out: [ScenarioIssue] = []
        let p = s.population
        let sum = p.privateShare + p.stateShare + p.cooperativeShare + p.p2pShare
        if abs(sum - 1) > 1e-6 {
            out.append(
                ScenarioIssue(
                    file: file, keyPath: "population",
                    message:
                        "workplace kind shares (population.private_share \(short(p.privateShare)) + population.state_share \(short(p.stateShare)) + population.cooperative_share \(short(p.cooperativeShare)) + population.p2p_share \(short(p.p2pShare))) sum to \(short(sum)), expected 1"
                ))
        }
        let m = s.movement
        if !(m.momentumFloor <= m.momentumStart && m.momentumStart <= m.momentumCap) {
            out.append(
                ScenarioIssue(
                    file: file, keyPath: "movement",
                    message:
                        "momentum must satisfy floor ≤ start ≤ cap, found movement.momentum_floor \(short(m.momentumFloor)) ≤ movement.momentum_start \(short(m.momentumStart)) ≤ movement.momentum_cap \(short(m.momentumCap))"
                ))
        }
        // The gradual path's levers: a ceiling of at least 1, a financed basic income, a minimum
        // wage under the ceiling.
        let r = s.reform
        if r.payCeiling.maximum > 0 && r.payCeiling.minimum < 1 {
            out.append(
                ScenarioIssue(
                    file: file, keyPath: "reform.pay_ceiling",
                    message:
                        "the highest pay as a multiple of a worker's must be at least 1 whenever a ceiling is set (0 means none); this schedule goes down to \(short(r.payCeiling.minimum))"
                ))
        }
        if r.basicIncome.maximum > 0 && r.taxRate.maximum <= 0 {
            out.append(
                ScenarioIssue(
                    file: file, keyPath: "reform.basic_income",
                    message: "a basic income of up to \(short(r.basicIncome.maximum)) needs a tax to finance it, but reform.tax_rate is 0 throughout"))
        }
        if r.payCeiling.maximum > 0 && r.payCeiling.minimum >= 1 && r.minimumWage.maximum > r.payCeiling.minimum * s.pay.worker {
            out.append(
                ScenarioIssue(
                    file: file, keyPath: "reform.minimum_wage",
                    message:
                        "a minimum wage of up to \(short(r.minimumWage.maximum)) exceeds the pay ceiling (\(short(r.payCeiling.minimum)) × pay.worker \(short(s.pay.worker)))"
                ))
        }
        let net = s.influence
        if net.network != .none && net.meanDegree >= Double(p.persons - 1) {
            // A federation ties workplaces, whose number is known only at month 0 (the run checks
            // it then); there are never more of them than persons.
            let message =
                net.network.tiesPersons
                ? "\(short(net.meanDegree)) ties per person is more than the \(p.persons - 1) others there are"
                : "\(short(net.meanDegree)) ties per workplace is more than the other workplaces there can be (fewer than the \(p.persons) persons)"
            out.append(ScenarioIssue(file: file, keyPath: "influence.mean_degree", message: message))
        }
        if net.network.tiesPersons && Double(p.persons) * net.meanDegree > 4e9 {
            out.append(
                ScenarioIssue(
                    file: file, keyPath: "influence.mean_degree",
                    message: "\(p.persons) persons × \(short(net.meanDegree)) ties is more tie ends than a network holds (2³²)"))
        }
        let needed = MemoryEstimate.bytes(scenario: s)
        let limit = MemoryLimit.effective()
        if Double(needed) > 0.8 * Double(limit.bytes) {
            out.append(
                ScenarioIssue(
                    file: file, keyPath: "population.persons",
                    message:
                        "\(p.persons) persons need about \(needed / (1 << 20)) MiB, more than 80% of the \(limit.bytes / (1 << 20)) MiB allowed (\(limit.source))"
                ))
        }
        return out
    }

    static func yamlIssue(_ error: YamlError, file: String) -> ScenarioIssue {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            let ctx = context.map { "\($0.text) " } ?? ""
            return ScenarioIssue(file: file, line: mark.line, column: mark.column, message: "malformed YAML: \(ctx)\(problem)")
        case let .duplicatedKeysInMapping(duplicates, context):
            let keys = duplicates.sorted().map { "'\($0)'" }.joined(separator: ", ")
            return ScenarioIssue(
                file: file, line: context.mark.line, column: context.mark.column,
                message: "duplicate key \(keys) in this mapping: each key may appear once")
        case let .reader(problem, offset, _, _):
            return ScenarioIssue(file: file, message: "malformed YAML: \(problem)" + (offset.map { " at byte \($0)" } ?? ""))
        default:
            return ScenarioIssue(file: file, message: "malformed YAML: \(error)")
        }
    }

    static func issueAt(_ node: Node, _ file: String, _ path: String?, _ message: String) -> ScenarioIssue {
        ScenarioIssue(file: file, line: node.mark?.line, column: node.mark?.column, keyPath: path, message: message)
    }
}

/// The position of the first YAML anchor (&name), alias (*name) or tag (!tag, !!type) outside
/// quotes and comments, whatever whitespace (spaces or tabs) precedes it. Checked before
/// parsing, so alias bombs are refused before they are expanded, and tags (which YAML parsers
/// would silently apply or ignore) are refused too.
func findAnchorOrAlias(_ text: String) -> (line: Int, column: Int)? {
    for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        var quote: Character? = nil
        var previous: Character = " "
        // The last character before the current run of blanks: an anchor, alias or tag can only
        // open a node (after ':', '-', '[', '{', ',', '?' or at the line's start); inside a plain
        // scalar ("Tom & Jerry") the characters are text.
        var lastSignificant: Character? = nil
        var column = 0
        for ch in line {
            column += 1
            if let q = quote {
                if ch == q { quote = nil }
            } else if ch == "\"" || ch == "'" {
                if " \t[{,:-".contains(previous) { quote = ch }
            } else if ch == "#" && (previous == " " || previous == "\t" || column == 1) {
                break
            } else if (ch == "&" || ch == "*" || ch == "!") && " \t[{,:-?".contains(previous)
                && (lastSignificant.map { ":-[{,?".contains($0) } ?? true)
            {
                return (n + 1, column)
            }
            if ch != " " && ch != "\t" { lastSignificant = ch }
            previous = ch
        }
    }
    return nil
}

/// " (did you mean 'x'?)" for a near miss, else "".
func suggestion(for word: String, among candidates: [String]) -> String {
    if let note = ScenarioSchema.removed[word] { return ": " + note }
    var best: (String, Int)? = nil
    for c in candidates {
        let d = editDistance(word, c)
        // A near miss shares at least one character with the word ('a' is no miss of 'to').
        if d <= max(2, word.count / 4), d < word.count, best == nil || d < best!.1 { best = (c, d) }
        let tail = c.split(separator: ".").last.map(String.init) ?? c
        let wordTail = word.split(separator: ".").last.map(String.init) ?? word
        if tail == wordTail && c != word && best == nil { best = (c, 99) }
    }
    return best.map { " (did you mean '\($0.0)'?)" } ?? ""
}

func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a.utf8), y = Array(b.utf8)
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var previous = Array(0...y.count), current = [Int](repeating: 0, count: y.count + 1)
    for i in 1...x.count {
        current[0] = i
        for j in 1...y.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[y.count]
}

/// Memory a run needs, from the struct-of-arrays layout (bytes).
public enum MemoryEstimate {
    /// Per person: class 1, flags 1, workplace 4, neighbourhood 4, five Float traits (the lowest
    /// u adopted over included) 20; group counts, member index and per-worker tallies ≈ 25 more;
    /// plus a fixed 128 MiB (smaller runs carry more per person: 1 million persons measured
    /// 168 MB). Measured: 660 MB at 12.5 million persons (52.8 bytes a person, docs/PERFORMANCE.md).
    public static let bytesPerPerson = 56
    public static func bytes(persons: Int) -> Int {
        let (product, overflow) = persons.multipliedReportingOverflow(by: bytesPerPerson)
        return overflow ? Int.max : product.addingReportingOverflow(fixedBytes).overflow ? Int.max : product + fixedBytes
    }

    /// The part of ``bytes(persons:)`` a process holds once, however many simulations it runs.
    public static let fixedBytes = 128 << 20

    /// One simulation of `scenario` in a process of its own: its persons and, with an influence
    /// network, the network's offsets and tie ends (4 bytes each; built from a list twice that size).
    public static func bytes(scenario s: Scenario) -> Int {
        bytes(scenario: s, simulations: 1)
    }

    /// `simulations` simulations of `scenario` held at once by one process (the fixed part once).
    public static func bytes(scenario s: Scenario, simulations: Int) -> Int {
        let each = Double(simulationBytes(s))
        return Int(min(Double(fixedBytes) + Double(max(0, simulations)) * each, 9e18))
    }

    /// One more simulation of `scenario` beside others: persons and network, without the fixed part.
    static func simulationBytes(_ s: Scenario) -> Int {
        let net = s.influence
        let persons = Double(s.population.persons)
        let networkBytes = net.network == .none ? 0 : persons * (4 + 12 * net.meanDegree)
        return Int(min(persons * Double(bytesPerPerson) + networkBytes, 1e15))
    }

    /// How many simulations of the largest of `scenarios` one process may hold at once within
    /// 80% of `limit` (at least 1: whether one fits at all is the scenario check's to say).
    public static func simulationsThatFit(_ scenarios: [Scenario], limit: Int = MemoryLimit.effective().bytes) -> Int {
        let each = Double(max(1, scenarios.map(simulationBytes).max() ?? 1))
        let room = 0.8 * Double(limit) - Double(fixedBytes)
        return max(1, Int(min(room / each, 1e9)))
    }
}
