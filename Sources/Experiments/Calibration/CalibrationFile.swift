import Foundation
import TransitionModel
import Yams

/// A calibration, read and checked: the base scenario, the calibrated parameters with their
/// priors, the observed series with their observation models, and the sampler's settings.
///
/// ```yaml
/// calibration:
///   scenario: argentina-recovered.yaml     # the base scenario (relative to this file)
///   set: {population.persons: 100000}      # fixed overrides, as --set
///   start: 2000-12                         # the calendar month of model month 0
///   fit_until: 2004-12                     # optional: later rows are held out
///   parameters:
///     crisis.abandon_rate: {prior: uniform, from: 0, to: 0.01}
///     movement.base: {prior: log-uniform, from: 0.05, to: 1}
///   observations:
///     recovered-firms:
///       data: data/argentina-recovered-enterprises.csv   # columns date, source, and the value
///       value: firms
///       model: firms_recovered                 # a series column
///       scale: {per: persons, national: 15000000}
///       active_share: 1                        # registered counts: model ÷ active share
///       error: {relative: 0.2, absolute: 10}
///       bound: none                            # none, upper or lower
///   sampler: {particles: 200, generations: 6, quantile: 0.5, replicates: 1, seed: 1,
///             predictive_draws: 200, min_acceptance: 0.01, max_simulations: 50000,
///             kernel: rejection,                 # rejection (the default) or truncated
///             covariance: full}                  # diagonal (the default) or full
/// ```
public struct CalibrationFile: Sendable {
    /// One economy the calibration simulates: its scenario, the calendar month of its model
    /// month 0 and the series observed in it. A file without `sites:` has one, named "".
    public struct Site: Sendable {
        public var name: String
        /// The base scenario with `set` applied.
        public var base: LoadedScenario
        public var fixedOverrides: [String]
        public var start: String
        public var series: [ObservedSeries]
    }

    public var path: String
    public var name: String
    /// The economies simulated for every particle (several with `sites:`: one distance over
    /// all their observations, so shared parameters are fitted to every pattern at once).
    public var sites: [Site]
    public var fitUntil: String?
    /// Calibrated parameters. `path` is the parameter's name in the file: a key path, or
    /// `key.path@site` for a parameter of one site only (``parameterKeys``, ``parameterSites``).
    public var parameters: [(path: String, prior: Prior, isInteger: Bool)]
    /// The scenario key path of each parameter.
    public var parameterKeys: [String]
    /// The sites (indices into ``sites``) each parameter applies to.
    public var parameterSites: [[Int]]
    public var settings: ABCSMC.Settings
    public var replicates: Int
    public var predictiveDraws: Int
    /// SHA-256 of everything the calibration depends on (this file as YAML reads it, its data
    /// files, the resolved base scenario): a resumed calibration must match it.
    public var digest: String
    /// The digest as earlier versions made it (of the file's bytes, then of its unsorted
    /// meaning, both with the data files' paths): a folder they started is still resumed, and
    /// carries `digest` from then on.
    public var earlierDigests: [String]

    /// The first site's scenario, overrides and start (the only ones of a file without `sites:`).
    public var base: LoadedScenario { sites[0].base }
    public var fixedOverrides: [String] { sites[0].fixedOverrides }
    public var start: String { sites[0].start }
    /// Every site's observed series, site by site.
    public var series: [ObservedSeries] {
        get { sites.flatMap(\.series) }
        set {
            var rest = newValue[...]
            for i in sites.indices {
                sites[i].series = Array(rest.prefix(sites[i].series.count))
                rest = rest.dropFirst(sites[i].series.count)
            }
        }
    }
    public var points: [ObservedPoint] { series.flatMap(\.points) }
    /// The observation model of each point of ``points``, in the same order.
    public var pointModels: [ObservationModel] { series.flatMap { s in s.points.map { _ in s.model } } }
    /// The site of each point of ``points``, in the same order.
    public var pointSites: [Int] { sites.indices.flatMap { i in sites[i].series.flatMap { $0.points.map { _ in i } } } }
    /// The site a series was observed in.
    public func site(ofSeries name: String) -> Site? { sites.first { $0.series.contains { $0.name == name } } }
    /// Whether the file has several sites (outputs are then written per site).
    public var isMultiSite: Bool { sites.count > 1 || !sites[0].name.isEmpty }

    /// Whether a YAML document is a calibration file (its top level has a `calibration` key).
    public static func isCalibration(text: String) -> Bool {
        guard let node = try? Yams.compose(yaml: text), case .mapping(let m) = node else { return false }
        return m.keys.contains { $0.string == "calibration" }
    }

    static let topKeys = ["name", "scenario", "set", "start", "fit_until", "parameters", "observations", "sampler", "sites"]
    static let siteKeys = ["scenario", "set", "start", "observations"]
    static let observationKeys = ["data", "value", "model", "scale", "active_share", "error", "bound"]
    static let samplerKeys = [
        "particles", "generations", "quantile", "replicates", "seed", "predictive_draws",
        "min_acceptance", "max_simulations", "kernel", "covariance",
    ]
    public static let maximumDataBytes = 1 << 20

    /// Whether `text` is a month as calibration files and `--fit-until` write it (YYYY-MM).
    public static func isMonth(_ text: String) -> Bool { CalendarMonth(text) != nil }

    /// Reads and checks a calibration file; every problem is reported together. `fitUntil`
    /// (YYYY-MM), when given, replaces the file's `fit_until` (e.g. to hold later surveys out).
    public static func load(path: String, fitUntil fitOverride: String? = nil) throws(ScenarioError) -> CalibrationFile {
        let (text, root) = try ScenarioLoader.readDocument(path)
        guard let root, case .mapping(let top) = root, let calNode = top["calibration"], case .mapping(let cal) = calNode else {
            throw ScenarioError([ScenarioIssue(file: path, message: "expected a mapping with a top-level 'calibration:' section")])
        }
        var issues: [ScenarioIssue] = []
        func issue(_ node: Node?, _ key: String?, _ message: String) {
            issues.append(ScenarioIssue(file: path, line: node?.mark?.line, column: node?.mark?.column, keyPath: key, message: message))
        }
        func caught(_ e: ScenarioIssue, _ key: String) {
            var e = e; e.file = path; if e.keyPath == nil || e.keyPath == "" { e.keyPath = key }; issues.append(e)
        }
        for (k, _) in top where k.string != "calibration" {
            issue(k, k.string, "unknown key: a calibration file holds only 'calibration:'")
        }
        for (k, _) in cal where !topKeys.contains(k.string ?? "") {
            issue(k, "calibration.\(k.string ?? "?")", "unknown key" + suggestion(for: k.string ?? "", among: topKeys))
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        func resolve(_ name: String) -> String { name.hasPrefix("/") ? name : directory + "/" + name }

        var fitUntil: CalendarMonth? = nil
        if let fitOverride {
            fitUntil = CalendarMonth(fitOverride)
            if fitUntil == nil {
                issues.append(
                    ScenarioIssue(file: "--fit-until", message: "expected a month written YYYY-MM, found '\(fitOverride.prefix(40))'"))
            }
        } else if let node = cal["fit_until"] {
            fitUntil = CalendarMonth(node.string ?? "")
            if fitUntil == nil { issue(node, "calibration.fit_until", "expected a month written YYYY-MM, found \(describe(node))") }
        }

        // A site: its scenario with fixed overrides, its clock and its observations.
        func readSite(_ m: Node.Mapping, siteNode: Node, prefix: String, name siteName: String) -> Site? {
            // Fixed overrides.
            var fixed: [String] = []
            if let setNode = m["set"] {
                if case .mapping(let m) = setNode {
                    for (k, v) in m {
                        guard let key = k.string, ScenarioSchema.byPath[key] != nil else {
                            issue(
                                k, prefix + ".set",
                                "unknown parameter '\(k.string ?? "?")'"
                                    + suggestion(for: k.string ?? "", among: ScenarioSchema.parameters.map(\.path)));
                            continue
                        }
                        fixed.append("\(key)=\(yamlText(v))")
                    }
                } else {
                    issue(setNode, prefix + ".set", "expected a mapping of key paths to values, found \(describe(setNode))")
                }
            }
            // The base scenario.
            var base: LoadedScenario? = nil
            if let node = m["scenario"], let name = node.string, !name.isEmpty {
                do { base = try ScenarioLoader.load(path: resolve(name), overrides: fixed) } catch {
                    for i in error.issues {
                        if i.line == nil && i.file == resolve(name) {
                            issue(node, prefix + ".scenario", "\(name): \(i.message)")
                        } else {
                            issues.append(i)
                        }
                    }
                }
            } else {
                issue(m["scenario"] ?? siteNode, prefix + ".scenario", "missing: the base scenario file")
            }

            // The clock.
            var start: CalendarMonth? = nil
            let startText = m["start"]?.string ?? ""
            if let node = m["start"] {
                start = CalendarMonth(startText)
                if start == nil { issue(node, prefix + ".start", "expected a month written YYYY-MM, found \(describe(node))") }
            } else {
                issue(siteNode, prefix + ".start", "missing: the calendar month (YYYY-MM) of model month 0")
            }
            // Observations.
            var series: [ObservedSeries] = []
            let horizon = base?.scenario.horizon
            let columns = MetricsRecord.columns.map(\.name)
            if case .mapping(let obs)? = m["observations"], !obs.isEmpty {
                for (k, v) in obs {
                    let name = k.string ?? "?"
                    let key = prefix + ".observations.\(name)"
                    let reader = ParameterSpec.reader(key)
                    do throws(ScenarioIssue) {
                        let f = try reader.readFields(v, ["data", "value", "model", "scale", "error"], optional: ["active_share", "bound"])
                        let column = try reader.readWord(f["model"]!)
                        guard columns.contains(column) else {
                            throw reader.issue(f["model"]!, "unknown series column '\(column)'" + suggestion(for: column, among: columns))
                        }
                        let sf = try reader.readFields(f["scale"]!, ["per"], optional: ["national"])
                        let per = try reader.readWord(sf["per"]!)
                        let scale: ObservationModel.Scale
                        switch per {
                        case "persons":
                            guard let n = sf["national"] else {
                                throw reader.issue(f["scale"]!, "per: persons needs national (the persons the model's economy stands for)")
                            }
                            scale = .perPersons(national: try reader.readNumber(n, min: 0, max: 1e12, minExclusive: true))
                        case "share":
                            scale = .share(
                                national: try sf["national"].map { n throws(ScenarioIssue) in
                                    try reader.readNumber(n, min: 0, max: 1e12, minExclusive: true)
                                } ?? 1)
                        default: throw reader.issue(sf["per"]!, "expected persons or share, found '\(per)'")
                        }
                        let active =
                            try f["active_share"].map { n throws(ScenarioIssue) in try reader.readNumber(n, min: 0, max: 1, minExclusive: true)
                            } ?? 1
                        let ef = try reader.readFields(f["error"]!, [], optional: ["relative", "absolute"])
                        let relative = try ef["relative"].map { n throws(ScenarioIssue) in try reader.readNumber(n, min: 0, max: 100) } ?? 0
                        let absolute = try ef["absolute"].map { n throws(ScenarioIssue) in try reader.readNumber(n, min: 0, max: 1e12) } ?? 0
                        guard relative > 0 || absolute > 0 else {
                            throw reader.issue(f["error"]!, "give relative and/or absolute error above 0")
                        }
                        var bound = ObservationModel.Bound.none
                        if let b = f["bound"] {
                            let word = try reader.readWord(b)
                            guard let parsed = ObservationModel.Bound(rawValue: word) else {
                                throw reader.issue(b, "expected none, upper or lower, found '\(word)'")
                            }
                            bound = parsed
                        }
                        let valueColumn = try reader.readWord(f["value"]!)
                        let dataName = try reader.readWord(f["data"]!)
                        let model = ObservationModel(
                            column: column, scale: scale, activeShare: active, relativeError: relative,
                            absoluteError: absolute, bound: bound)
                        series.append(
                            try readSeries(
                                name: name, dataName: dataName, dataPath: resolve(dataName), valueColumn: valueColumn,
                                model: model, start: start, fitUntil: fitUntil, horizon: horizon,
                                node: f["data"]!, reader: reader))
                    } catch { caught(error, key) }
                }
            } else {
                issue(m["observations"] ?? siteNode, prefix + ".observations", "missing: a mapping of named observed series")
            }


            guard let base, start != nil else { return nil }
            return Site(name: siteName, base: base, fixedOverrides: fixed, start: startText, series: series)
        }
        var sites: [Site] = []
        var siteFailed = false
        if let sitesNode = cal["sites"] {
            for key in siteKeys where cal[Node(key)] != nil {
                issue(cal[Node(key)], "calibration.\(key)", "with 'sites:', each site gives its own \(key)")
            }
            if case .mapping(let all) = sitesNode, !all.isEmpty {
                for (k, v) in all {
                    let siteName = k.string ?? ""
                    let prefix = "calibration.sites.\(siteName)"
                    guard !siteName.isEmpty, siteName.count <= 40,
                        siteName.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_" }),
                        siteName.unicodeScalars.allSatisfy(\.isASCII)
                    else {
                        issue(k, "calibration.sites", "a site's name is a short word of letters, digits, - and _, found \(describe(k))")
                        siteFailed = true
                        continue
                    }
                    guard case .mapping(let m) = v else {
                        issue(v, prefix, "expected a mapping with scenario, set, start and observations, found \(describe(v))")
                        siteFailed = true
                        continue
                    }
                    for (sk, _) in m where !siteKeys.contains(sk.string ?? "") {
                        issue(sk, "\(prefix).\(sk.string ?? "?")", "unknown key" + suggestion(for: sk.string ?? "", among: siteKeys))
                    }
                    if let site = readSite(m, siteNode: v, prefix: prefix, name: siteName) { sites.append(site) } else { siteFailed = true }
                }
            } else {
                issue(sitesNode, "calibration.sites", "expected a mapping of named sites, found \(describe(sitesNode))")
                siteFailed = true
            }
        } else if let site = readSite(cal, siteNode: calNode, prefix: "calibration", name: "") {
            sites.append(site)
        } else {
            siteFailed = true
        }
        let allSeries = sites.flatMap(\.series)
        var seriesNames: Set<String> = []
        for series in allSeries where !seriesNames.insert(series.name).inserted {
            issue(cal["sites"], "calibration.sites", "two sites observe a series named '\(series.name)': give each observation its own name")
        }
        if !siteFailed && !allSeries.isEmpty && !allSeries.contains(where: { $0.points.contains { !$0.heldOut } }) {
            issue(
                cal["fit_until"] ?? calNode, "calibration.fit_until",
                "leaves no observation to fit: every row is held out or before the start")
        }

        // Parameters and priors.
        var parameters: [(path: String, prior: Prior, isInteger: Bool)] = []
        var keys: [String] = [], siteLists: [[Int]] = []
        if case .mapping(let params)? = cal["parameters"], !params.isEmpty {
            for (k, v) in params {
                let written = k.string ?? ""
                let parts = written.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                let key = parts[0]
                guard let spec = ScenarioSchema.byPath[key] else {
                    issue(k, k.string, "unknown parameter" + suggestion(for: key, among: ScenarioSchema.parameters.map(\.path)));
                    continue
                }
                if key == "horizon" || key == "seed" {
                    issue(
                        k, written,
                        key == "horizon"
                            ? "cannot be calibrated: observations sit at fixed months of the run, and a shorter draw would predict 0 for the later ones; set the horizon in the scenario (or the site's set)"
                            : "cannot be calibrated: every candidate's seed comes from calibration.seed")
                    continue
                }
                var applies = Array(sites.indices)
                if parts.count == 2 {
                    guard let i = sites.firstIndex(where: { $0.name == parts[1] && !$0.name.isEmpty }) else {
                        if !siteFailed {
                            issue(
                                k, written,
                                sites.first?.name.isEmpty ?? true
                                    ? "names a site, but the file has no 'sites:'"
                                    : "no site named '\(parts[1].prefix(40))' (sites: \(sites.map(\.name).joined(separator: ", ")))")
                        }
                        continue
                    }
                    applies = [i]
                }
                if parameters.contains(where: { $0.path == written }) { issue(k, written, "duplicate parameter"); continue }
                if let j = keys.indices.first(where: { keys[$0] == key && !Set(siteLists[$0]).isDisjoint(with: applies) }) {
                    issue(k, written, "calibrated twice in one site (also as \(parameters[j].path))"); continue
                }
                if applies.contains(where: { sites[$0].fixedOverrides.contains { $0.hasPrefix(key + "=") } }) {
                    issue(k, written, "is both calibrated and fixed in 'set'"); continue
                }
                var lo = -Double.infinity, hi = Double.infinity, open = false, integer = false, schedule = false
                switch spec.type {
                case let .number(a, b, o): (lo, hi, open) = (a, b, o)
                case let .integer(a, b): (lo, hi, integer) = (Double(a), Double(b), true)
                case .structured(let what) where what.hasPrefix("schedule:"): schedule = true
                default:
                    issue(
                        k, key, "only numbers, integers and schedules that take a number can be calibrated; this is \(spec.type.summary)");
                    continue
                }
                let reader = ParameterSpec.reader(key)
                do throws(ScenarioIssue) {
                    let f = try reader.readFields(v, ["prior", "from", "to"])
                    let word = try reader.readWord(f["prior"]!)
                    guard let shape = Prior.Shape(rawValue: word) else {
                        throw reader.issue(f["prior"]!, "expected uniform or log-uniform, found '\(word)'")
                    }
                    let from = try reader.readNumber(f["from"]!, min: -1e12, max: 1e12)
                    let to = try reader.readNumber(f["to"]!, min: -1e12, max: 1e12)
                    guard from < to else { throw reader.issue(v, "the prior needs from < to (found \(short(from)) and \(short(to)))") }
                    if (open ? from <= lo : from < lo) || to > hi {
                        throw reader.issue(v, "the prior [\(short(from)), \(short(to))] leaves the parameter's range: \(spec.type.summary)")
                    }
                    if schedule {
                        // A schedule calibrated as one constant number: both ends must be valid values.
                        var probe = Scenario(), problems: [ScenarioIssue] = []
                        ScenarioLoader.applyOverrides(["\(key)=\(format(from))", "\(key)=\(format(to))"], to: &probe, issues: &problems)
                        if let p = problems.first { throw reader.issue(v, "the prior's ends are not valid constant values: \(p.message)") }
                    }
                    if shape == .logUniform && from <= 0 { throw reader.issue(v, "a log-uniform prior needs from > 0") }
                    parameters.append((written, Prior(shape, from: from, to: to), integer))
                    keys.append(key)
                    siteLists.append(applies)
                } catch { caught(error, written) }
            }
        } else {
            issue(cal["parameters"] ?? calNode, "calibration.parameters", "missing: a mapping of key paths to priors {prior, from, to}")
        }

        // Sampler.
        var settings = ABCSMC.Settings()
        var replicates = 1, draws = 200
        if let node = cal["sampler"] {
            let reader = ParameterSpec.reader("calibration.sampler")
            // Each key's own reader, so that a range error names the key.
            func at(_ key: String) -> ParameterSpec { ParameterSpec.reader("calibration.sampler." + key) }
            do throws(ScenarioIssue) {
                let f = try reader.readFields(node, [], optional: samplerKeys)
                if let n = f["particles"] { settings.particles = try at("particles").readInteger(n, min: 2, max: 100_000) }
                if let n = f["generations"] { settings.generations = try at("generations").readInteger(n, min: 1, max: 100) }
                if let n = f["quantile"] { settings.quantile = try at("quantile").readNumber(n, min: 0, max: 1, minExclusive: true) }
                if let n = f["replicates"] { replicates = try at("replicates").readInteger(n, min: 1, max: 1_000) }
                if let n = f["seed"] { settings.seed = UInt64(try at("seed").readInteger(n, min: 0, max: Int.max)) }
                if let n = f["predictive_draws"] { draws = try at("predictive_draws").readInteger(n, min: 0, max: 100_000) }
                if let n = f["min_acceptance"] { settings.minimumAcceptance = try at("min_acceptance").readNumber(n, min: 0, max: 1) }
                if let n = f["max_simulations"] { settings.maximumSimulations = try at("max_simulations").readInteger(n, min: 1, max: 1_000_000_000) }
                if let n = f["kernel"] {
                    let word = try reader.readWord(n)
                    guard let k = ABCSMC.Kernel(rawValue: word) else {
                        throw at("kernel").issue(n, "expected rejection or truncated, found '\(word.prefix(40))'")
                    }
                    settings.kernel = k
                }
                if let n = f["covariance"] {
                    let word = try reader.readWord(n)
                    guard let c = ABCSMC.Covariance(rawValue: word) else {
                        throw at("covariance").issue(n, "expected diagonal or full, found '\(word.prefix(40))'")
                    }
                    settings.covariance = c
                }
                if settings.quantile >= 1 { throw reader.issue(f["quantile"]!, "quantile must be below 1, or the tolerance never falls") }
                if settings.maximumSimulations < settings.particles, let n = f["max_simulations"] {
                    throw at("max_simulations").issue(
                        n, "\(settings.maximumSimulations) simulations cannot make the \(settings.particles) particles of generation 0: give at least as many as particles")
                }
            } catch { caught(error, "calibration.sampler") }
        }
        var name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        if let node = cal["name"] {
            // Printed to the terminal and written into files' comments: no control characters.
            if let n = node.string, !n.isEmpty, n.count <= 100, !n.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                name = n
            } else {
                issue(node, "calibration.name", "expected a short name (at most 100 characters, no control characters), found \(describe(node))")
            }
        }
        guard issues.isEmpty, !siteFailed, !sites.isEmpty else { throw ScenarioError(issues) }
        // The file as YAML reads it, its keys in order, not its bytes, and the data files' contents,
        // not where they lie: a comment, a re-indentation or a reordering added to a calibration
        // in progress, or the project moved (a cluster node that mounts it elsewhere), does not
        // stop it from resuming.
        let composed = (try? Yams.compose(yaml: text)).flatMap { $0 }
        let meaning = composed.flatMap { try? Yams.serialize(node: Self.keysInOrder($0)) } ?? text
        let dataTexts = allSeries.map { (try? InputFile.text($0.dataFile, limit: maximumDataBytes)) ?? "" }
        let common = sites.map(\.base.resolvedYAML) + ["fit_until=" + (fitOverride ?? "")]
        let material = [meaning] + common + dataTexts
        // The digests earlier versions made, so that folders they started still resume: the
        // file's bytes (before 2026-12-07), then its meaning unsorted, each with the data paths.
        let withPaths = zip(allSeries, dataTexts).flatMap { [$0.dataFile, $1] }
        let unsorted = composed.flatMap { try? Yams.serialize(node: $0) } ?? text
        let earlier = [[text] + common + withPaths, [unsorted] + common + withPaths].map { ScenarioLoader.sha256(SweepFile.canonical($0)) }
        return CalibrationFile(
            path: path, name: name, sites: sites,
            fitUntil: fitOverride ?? cal["fit_until"]?.string, parameters: parameters, parameterKeys: keys,
            parameterSites: siteLists, settings: settings,
            replicates: replicates, predictiveDraws: draws,
            digest: ScenarioLoader.sha256(SweepFile.canonical(material)), earlierDigests: earlier)
    }

    /// The node with every mapping's pairs sorted by key: the same calibration whatever order
    /// its keys are written in.
    static func keysInOrder(_ node: Node) -> Node {
        switch node {
        case .mapping(let m):
            let pairs = m.map { (Self.keysInOrder($0.key), Self.keysInOrder($0.value)) }
                .sorted { ($0.0.string ?? "") < ($1.0.string ?? "") }
            return .mapping(Node.Mapping(pairs, m.tag, m.style))
        case .sequence(let q):
            return .sequence(Node.Sequence(q.map(Self.keysInOrder), q.tag, q.style))
        default: return node
        }
    }

    /// Reads one data file: a header with `date`, `source` and the value column; every row dated
    /// YYYY-MM with a source. Rows with an empty value cell are not observations of this series.
    static func readSeries(
        name: String, dataName: String, dataPath: String, valueColumn: String, model: ObservationModel,
        start: CalendarMonth?, fitUntil: CalendarMonth?, horizon: Int?, node: Node,
        reader: ParameterSpec
    ) throws(ScenarioIssue) -> ObservedSeries {
        let text: String
        do { text = try InputFile.text(dataPath, limit: maximumDataBytes) } catch {
            throw reader.issue(node, "the data file '\(dataName)' (looked at \(dataPath)) \(error.description)")
        }
        let table: CSVTable
        do { table = try CSVTable(parsing: text) } catch { throw reader.issue(node, "\(dataName): \(error.description)") }
        for name in ["date", "source", valueColumn] where table.header.filter({ $0 == name }).count > 1 {
            throw reader.issue(node, "\(dataName):1: the column '\(name)' appears more than once: which one is meant?")
        }
        guard let dateColumn = table.column("date") else { throw reader.issue(node, "\(dataName):1: no 'date' column (YYYY-MM)") }
        guard let sourceColumn = table.column("source") else {
            throw reader.issue(node, "\(dataName):1: no 'source' column: every figure needs its source")
        }
        guard let valueIndex = table.column(valueColumn) else {
            throw reader.issue(node, "\(dataName):1: no column '\(valueColumn)' (columns: \(table.header.joined(separator: ", ")))")
        }
        var points: [ObservedPoint] = [], before = 0
        for row in table.rows {
            let cells = row.cells
            let where_ = "\(dataName):\(row.line)"
            guard let date = CalendarMonth(cells[dateColumn]) else {
                throw reader.issue(node, "\(where_): expected a date written YYYY-MM, found '\(cells[dateColumn].prefix(40))'")
            }
            guard !cells[sourceColumn].isEmpty else { throw reader.issue(node, "\(where_): the row has no source") }
            let cell = cells[valueIndex]
            if cell.isEmpty { continue }
            // Decimal digits only: Double("0x10") and Double("nan") would read.
            guard let value = plainNumber(Substring(cell)) else {
                throw reader.issue(node, "\(where_): expected a decimal number in '\(valueColumn)', found '\(cell.prefix(40))'")
            }
            // Counts and shares are never negative.
            guard value >= 0 else {
                throw reader.issue(node, "\(where_): '\(valueColumn)' holds \(cell.prefix(40)): an observed count or share cannot be negative")
            }
            // σ = relative × value + absolute: near 0 a residual is infinite, or so large that its
            // square overflows and every candidate is rejected (or, all distances infinite,
            // every candidate accepted) however close it comes.
            if model.relativeError * value + model.absoluteError < 1e-9 {
                throw reader.issue(
                    node,
                    model.absoluteError > 0
                        ? "\(where_): the measurement error here is σ = \(model.relativeError * value + model.absoluteError), below 1e-9: a residual divided by it overflows; give a larger error.absolute"
                        : value == 0
                        ? "\(where_): an observed 0 with only a relative error has no spread: give error.absolute"
                        : "\(where_): an observed \(cell.prefix(40)) with only a relative error has almost no spread (σ below 1e-9): give error.absolute")
            }
            guard let start else { continue }
            let month = date.index - start.index
            if month < 0 { before += 1; continue }
            if let horizon, month > horizon {
                throw reader.issue(
                    node,
                    "\(where_): \(cells[dateColumn]) is month \(month), beyond the scenario's horizon of \(horizon) months (set horizon)")
            }
            if let last = points.last, month <= last.month {
                throw reader.issue(node, "\(where_): dates must increase (\(cells[dateColumn]) follows \(last.date))")
            }
            points.append(
                ObservedPoint(
                    series: name, date: cells[dateColumn], month: month, value: value,
                    heldOut: fitUntil.map { date > $0 } ?? false, source: cells[sourceColumn]))
        }
        if start != nil && points.isEmpty { throw reader.issue(node, "\(dataName) has no '\(valueColumn)' value on or after the start") }
        return ObservedSeries(name: name, dataFile: dataPath, model: model, points: points, rowsBeforeStart: before)
    }
}
