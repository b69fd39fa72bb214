import Foundation
import Testing
import TestSupport
@testable import Experiments

/// A corpus of bad scenario documents, each with what its error must say. None may trap.
struct BadCase: CustomTestStringConvertible, Sendable {
    let name: String
    let yaml: String
    /// Substrings the error text must contain (key path, line, what was expected…).
    let mustSay: [String]
    var testDescription: String { name }
}

let badCases: [BadCase] = [
    BadCase(
        name: "unknown network", yaml: "influence:\n  network: smallworld\n",
        mustSay: ["influence.network", "unknown network 'smallworld'", "watts_strogatz"]),
    BadCase(
        name: "more ties than persons", yaml: "population:\n  persons: 100\ninfluence:\n  network: erdos_renyi\n  mean_degree: 150\n",
        mustSay: ["influence.mean_degree", "more than the 99 others"]),
    BadCase(
        name: "a federation denser than its workplaces",
        yaml: "population:\n  persons: 100\ninfluence:\n  network: federation\n  mean_degree: 150\n",
        mustSay: ["influence.mean_degree", "ties per workplace", "other workplaces"]),
    BadCase(name: "an empty panel", yaml: "voting:\n  rule: {sortition: 0}\n", mustSay: ["voting.rule", "out of range"]),
    BadCase(name: "a panel of what", yaml: "voting:\n  rule: {lottery: 5}\n", mustSay: ["voting.rule", "{sortition: N}"]),
    BadCase(name: "no months", yaml: "horizon: 0\n", mustSay: ["horizon", "out of range", "[1, 12000]"]),
    BadCase(name: "negative seed", yaml: "seed: -3\n", mustSay: ["seed", "out of range"]),
    BadCase(name: "crisis before the start", yaml: "crisis:\n  start: -1\n", mustSay: ["crisis.start", "out of range"]),
    BadCase(
        name: "word for a hazard", yaml: "failure:\n  hostile_market: abc\n", mustSay: ["failure.hostile_market", "expected a number", "'abc'"]),
    BadCase(name: "new firms of nobody", yaml: "new_firms:\n  size_median: 0\n", mustSay: ["new_firms.size_median", "[1, 10000]"]),
    BadCase(name: "negative owner resistance weight", yaml: "owners:\n  kappa: -1\n", mustSay: ["owners.kappa", "out of range"]),
    BadCase(
        name: "half a vote", yaml: "reversion:\n  votes: 0.5\n",
        mustSay: ["reversion.votes", "expected an integer, found the fraction 0.5"]),
    BadCase(name: "shocks every instant", yaml: "shocks:\n  mean_interval: 0\n", mustSay: ["shocks.mean_interval", "[1, 100000]"]),
    BadCase(name: "negative search", yaml: "status_quo:\n  search_months: -1\n", mustSay: ["status_quo.search_months", "out of range"]),
    BadCase(
        name: "maybe an alliance", yaml: "volunteers:\n  alliance: maybe\n",
        mustSay: ["volunteers.alliance", "expected true or false", "'maybe'"]),
    BadCase(
        name: "threshold above everyone", yaml: "workers_councils:\n  support_threshold: 2\n",
        mustSay: ["workers_councils.support_threshold", "(0, 1]"]),
    BadCase(
        name: "burn-in without the rule", yaml: "opinion:\n  initial: 0.4\n  burn_in: 3\n",
        mustSay: ["opinion.burn_in", "has no effect", ":3:"]),
    BadCase(name: "malformed YAML", yaml: "population:\n  persons: [1, 2\n", mustSay: ["malformed YAML", ":3:"]),
    BadCase(name: "tab indentation", yaml: "population:\n\tpersons: 5\n", mustSay: ["malformed YAML", ":2:"]),
    BadCase(
        name: "unknown section near miss", yaml: "popluation:\n  persons: 100\n",
        mustSay: ["popluation", "unknown key", "did you mean 'population'", ":1:1"]),
    BadCase(
        name: "unknown key near miss", yaml: "opinion:\n  revison_rate: 0.1\n",
        mustSay: ["opinion.revison_rate", "did you mean 'opinion.revision_rate'", ":2:3"]),
    BadCase(name: "unknown key far", yaml: "voting:\n  colour: red\n", mustSay: ["voting.colour", "unknown key"]),
    BadCase(name: "string for number", yaml: "opinion:\n  beta: high\n", mustSay: ["opinion.beta", "expected a number", "'high'", ":2:9"]),
    BadCase(name: "quoted number", yaml: "opinion:\n  beta: \"1.0\"\n", mustSay: ["opinion.beta", "expected a number", "string"]),
    BadCase(name: "list for number", yaml: "opinion:\n  beta: [1]\n", mustSay: ["opinion.beta", "expected a number", "a list"]),
    BadCase(name: "mapping for number", yaml: "opinion:\n  beta: {a: 1}\n", mustSay: ["opinion.beta", "a mapping"]),
    BadCase(name: "null value", yaml: "opinion:\n  beta:\n", mustSay: ["opinion.beta", "null"]),
    BadCase(name: "NaN", yaml: "opinion:\n  beta: .nan\n", mustSay: ["opinion.beta", "NaN and infinity are not allowed"]),
    BadCase(name: "infinity", yaml: "movement:\n  momentum_cap: .inf\n", mustSay: ["movement.momentum_cap", "NaN and infinity"]),
    BadCase(name: "negative infinity", yaml: "voting:\n  blocking_level: -.inf\n", mustSay: ["voting.blocking_level", "finite"]),
    BadCase(
        name: "out of range probability", yaml: "opinion:\n  revision_rate: 1.5\n",
        mustSay: ["opinion.revision_rate", "out of range", "[0, 1]"]),
    BadCase(name: "negative rate", yaml: "solidarity:\n  rise_rate: -0.1\n", mustSay: ["solidarity.rise_rate", "out of range"]),
    BadCase(name: "zero beta", yaml: "opinion:\n  beta: 0\n", mustSay: ["opinion.beta", "out of range", "(0,"]),
    BadCase(name: "zero persons", yaml: "population:\n  persons: 0\n", mustSay: ["population.persons", "out of range"]),
    BadCase(name: "negative persons", yaml: "population:\n  persons: -5\n", mustSay: ["population.persons", "out of range"]),
    BadCase(
        name: "fractional persons", yaml: "population:\n  persons: 100.5\n",
        mustSay: ["population.persons", "expected an integer", "fraction"]),
    BadCase(
        name: "zero neighbourhood size", yaml: "population:\n  neighbourhood_size: 0\n",
        mustSay: ["population.neighbourhood_size", "out of range"]),
    BadCase(name: "zero vote interval", yaml: "voting:\n  interval: 0\n", mustSay: ["voting.interval", "out of range"]),
    BadCase(name: "threshold zero", yaml: "voting:\n  rule: 0\n", mustSay: ["voting.rule", "out of range", "(0, 1]"]),
    BadCase(name: "threshold above one", yaml: "voting:\n  rule: 1.2\n", mustSay: ["voting.rule", "out of range"]),
    BadCase(
        name: "unknown rule", yaml: "voting:\n  rule: unanimity\n", mustSay: ["voting.rule", "expected consensus, majority, supermajority"]),
    BadCase(name: "name escaping the results folder", yaml: "name: ../../escaped\n", mustSay: ["name", "letters, digits", ":1:7"]),
    BadCase(name: "name with a folder", yaml: "name: a/b\n", mustSay: ["name", "it names the result folder"]),
    BadCase(name: "name with a terminal escape", yaml: "name: \"x\\e]0;pwned\\a\"\n", mustSay: ["name", "letters, digits"]),
    BadCase(
        name: "control characters are escaped in messages", yaml: "voting:\n  rule: \"\\e[2J\"\n", mustSay: ["voting.rule", "\\u{1b}"]),
    BadCase(name: "anchor after a tab", yaml: "opinion:\n  beta:\t&a 1.0\n", mustSay: ["anchors, aliases and tags", ":2:"]),
    BadCase(name: "a YAML tag", yaml: "population:\n  persons: !!str 12\n", mustSay: ["anchors, aliases and tags", ":2:12"]),
    BadCase(name: "a foreign tag", yaml: "name: !!python/object:os.system x\n", mustSay: ["anchors, aliases and tags"]),
    BadCase(name: "empty file", yaml: "", mustSay: ["holds no settings"]),
    BadCase(name: "only comments", yaml: "# nothing here\n", mustSay: ["holds no settings"]),
    BadCase(
        name: "unknown momentum formulation", yaml: "movement:\n  formulation: linear\n",
        mustSay: ["movement.formulation", "linear", "legacy, aged, saturating", ":2:16"]),
    BadCase(
        name: "removed key names its replacement", yaml: "training:\n  failure_multiplier: 2\n",
        mustSay: ["training.failure_multiplier", "replaced by training.failure_per_dip", ":2:3"]),
    BadCase(
        name: "removed excess hazard names the ratios", yaml: "failure:\n  base: 0.004\n",
        mustSay: ["failure.base", "failure.ratio_adopted", "failure.hostile_market"]),
    BadCase(name: "negative hazard ratio", yaml: "failure:\n  ratio_adopted: -0.5\n", mustSay: ["failure.ratio_adopted", "-0.5"]),
    BadCase(
        name: "unknown successor", yaml: "failure:\n  successor: buyer\n", mustSay: ["failure.successor", "buyer", "conventional, none"]),
    BadCase(name: "planning rate above 1", yaml: "planning:\n  join_rate: 2\n", mustSay: ["planning.join_rate", "2"]),
    BadCase(name: "planning switch as a word", yaml: "planning:\n  enabled: maybe\n", mustSay: ["planning.enabled", "maybe"]),
    BadCase(
        name: "non-member share above 1", yaml: "degeneration:\n  hire_nonmember: 1.5\n", mustSay: ["degeneration.hire_nonmember", "1.5"]),
    BadCase(
        name: "pay ceiling below 1", yaml: "reform:\n  pay_ceiling: 0.5\n", mustSay: ["reform.pay_ceiling", "at least 1", "0.5"]),
    BadCase(name: "negative tax rate", yaml: "reform:\n  tax_rate: -0.1\n", mustSay: ["reform.tax_rate", "-0.1"]),
    BadCase(
        name: "unfinanced basic income", yaml: "reform:\n  basic_income: 0.2\n",
        mustSay: ["reform.basic_income", "needs a tax to finance it", "reform.tax_rate"]),
    BadCase(
        name: "minimum wage above the ceiling", yaml: "reform:\n  pay_ceiling: 1.5\n  minimum_wage: 2\n  tax_rate: 0\n",
        mustSay: ["reform.minimum_wage", "exceeds the pay ceiling"]),
    BadCase(name: "coordinator power below 1", yaml: "pay_drift:\n  coordinator_power: 0.5\n", mustSay: ["pay_drift.coordinator_power", "0.5"]),
    BadCase(name: "null name", yaml: "name: null\n", mustSay: ["name", "found nothing (null)", ":1:7"]),
    BadCase(
        name: "integer written with an exponent", yaml: "population:\n  persons: 1e3\n",
        mustSay: ["population.persons", "digits only", "write 1000"]),
    BadCase(
        name: "integer beyond 64 bits", yaml: "population:\n  persons: 9223372036854775808\n",
        mustSay: ["population.persons", "out of range", "[10, "]),
    BadCase(
        name: "list for a schedule", yaml: "movement:\n  base: []\n",
        mustSay: ["movement.base", "a number or a mapping with one of ramp, pulses, table", "a list"]),
    BadCase(name: "a text file is not echoed", yaml: "SECRET_TOKEN=abc123\n", mustSay: ["not a scenario file", "plain text"]),
    BadCase(
        name: "a pay so small its ratios overflow", yaml: "pay:\n  worker: 5e-324\n",
        mustSay: ["pay.worker", "out of range", "[0.001, 1000]"]),
    BadCase(
        name: "an ampersand inside a name is text, refused by the name rules", yaml: "name: Tom & Jerry\n",
        mustSay: ["name", "letters, digits", ":1:7"]),
    BadCase(name: "negative pending age", yaml: "movement:\n  pending_age: -1\n", mustSay: ["movement.pending_age", "out of range"]),
    BadCase(
        name: "stand-aside factor above one", yaml: "exits:\n  stand_aside_factor: 1.5\n",
        mustSay: ["exits.stand_aside_factor", "out of range", "[0, 1]"]),
    BadCase(
        name: "shares do not sum to one", yaml: "population:\n  private_share: 0.9\n", mustSay: ["population", "sum to 1.2,", "expected 1"]),
    BadCase(name: "momentum order", yaml: "movement:\n  momentum_floor: 3\n", mustSay: ["movement", "floor ≤ start ≤ cap"]),
    BadCase(
        name: "schedule table out of order", yaml: "movement:\n  base: {table: [[0, 1], [24, 1.5], [12, 2]]}\n",
        mustSay: ["movement.base", "out of order", "month 12 follows month 24"]),
    BadCase(
        name: "schedule table bad row", yaml: "movement:\n  base: {table: [[0, 1, 3]]}\n", mustSay: ["movement.base", "row [month, value]"]),
    BadCase(name: "schedule unknown kind", yaml: "movement:\n  base: {wave: 1}\n", mustSay: ["movement.base", "unknown field 'wave'"]),
    BadCase(
        name: "misspelt nested field", yaml: "state:\n  support: {ramp: {from: 0, to: 1, strat: 0, end: 5}}\n",
        mustSay: ["state.support", "unknown field 'strat' (did you mean 'start'?)", "expected"]),
    BadCase(
        name: "one-letter field", yaml: "state:\n  support: {ramp: {from: 0, to: 1, a: 0, end: 5}}\n",
        mustSay: ["state.support", "unknown field 'a': expected"]),
    BadCase(
        name: "ramp missing field", yaml: "state:\n  support: {ramp: {from: 0, to: 1, start: 0}}\n",
        mustSay: ["state.support", "missing field 'end'"]),
    BadCase(
        name: "ramp backwards", yaml: "state:\n  support: {ramp: {from: 0, to: 1, start: 10, end: 5}}\n",
        mustSay: ["state.support", "must end after it starts"]),
    BadCase(name: "field pair wrong length", yaml: "opinion:\n  field_worker: [0.1]\n", mustSay: ["opinion.field_worker", "two numbers"]),
    BadCase(name: "generator unknown", yaml: "generator: mersenne\n", mustSay: ["generator", "unknown generator 'mersenne'", "taus2"]),
    BadCase(name: "boolean expected", yaml: "path:\n  allow_transfers: maybe\n", mustSay: ["path.allow_transfers", "true or false"]),
    BadCase(name: "duplicate key", yaml: "opinion:\n  beta: 1\n  beta: 2\n", mustSay: ["duplicate key 'beta'", "bad.yaml:2:"]),
    BadCase(name: "duplicate section", yaml: "opinion:\n  beta: 1\nopinion:\n  coupling: 1\n", mustSay: ["duplicate key 'opinion'"]),
    BadCase(name: "section not a mapping", yaml: "opinion: 5\n", mustSay: ["opinion", "expected a mapping of opinion parameters"]),
    BadCase(name: "top level not a mapping", yaml: "- a\n- b\n", mustSay: ["not a scenario file", "a list, not a mapping of sections"]),
    BadCase(name: "alias", yaml: "opinion:\n  beta: &b 1\n  coupling: *b\n", mustSay: ["anchors, aliases and tags"]),
    BadCase(
        name: "alias bomb",
        yaml:
            "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n",
        mustSay: ["anchors, aliases and tags"]),
    BadCase(
        name: "deep nesting", yaml: String(repeating: "[", count: 200) + String(repeating: "]", count: 200) + "\n",
        mustSay: ["nested more than"]),
    BadCase(name: "huge key", yaml: String(repeating: "k", count: 5000) + ": 1\n", mustSay: ["malformed YAML", "bad.yaml:1:"]),
    BadCase(name: "long key", yaml: String(repeating: "k", count: 300) + ": 1\n", mustSay: ["longer than 200 characters"]),
    BadCase(name: "huge value", yaml: "name: " + String(repeating: "v", count: 20_000) + "\n", mustSay: ["longer than 10,000 characters"]),
    BadCase(name: "missing extends", yaml: "extends: no-such-file.yaml\n", mustSay: ["extends", "no-such-file.yaml", "no such file"]),
    BadCase(name: "extends not a name", yaml: "extends: [a, b]\n", mustSay: ["extends", "expected a file name"]),
    BadCase(
        name: "rollout table without total", yaml: "councils:\n  rollout: {table: [[0, 1]]}\n",
        mustSay: ["councils.rollout", "needs 'total'"]),
    BadCase(
        name: "rollout missing file", yaml: "councils:\n  rollout: {table_file: nowhere.csv, total: 10}\n",
        mustSay: ["councils.rollout", "the table file 'nowhere.csv'", "cannot be read"]),
    BadCase(name: "population too large", yaml: "population:\n  persons: 2000000000\n", mustSay: ["population.persons", "MiB", "80%"]),
    BadCase(
        name: "a sweep file given as a scenario", yaml: "sweep:\n  base: baseline.yaml\n",
        mustSay: ["this is a sweep file", "parecon-sim sweep"]),
    BadCase(
        name: "several errors reported together", yaml: "opinion:\n  beta: x\n  coupling: y\nvoting:\n  interval: -1\n",
        mustSay: ["opinion.beta", "opinion.coupling", "voting.interval"]),
]

@Suite("Bad scenario files give clear errors")
struct BadScenarioCorpusTests {
    @Test(arguments: badCases)
    func badCaseIsRefusedWithAClearMessage(_ c: BadCase) {
        do {
            _ = try ScenarioLoader.load(text: c.yaml, file: "bad.yaml", directory: "/nonexistent-dir")
            Issue.record("\(c.name): accepted a bad scenario")
        } catch {
            let text = error.description
            for part in c.mustSay {
                #expect(text.contains(part), "\(c.name): message \"\(text)\" lacks \"\(part)\"")
            }
            #expect(text.contains("bad.yaml"), "\(c.name): the message must name the file")
        }
    }

    /// Every section of the schema has at least one bad case that names one of its keys, so a new
    /// section cannot arrive without its refusals being tried.
    @Test func corpusCoversEverySection() {
        let said = badCases.flatMap(\.mustSay)
        for section in ScenarioSchema.sections {
            #expect(
                said.contains { $0 == section || $0.hasPrefix(section + ".") || $0.hasPrefix("'\(section)") },
                "no bad case names a key of '\(section)'")
        }
        #expect(Set(badCases.map(\.name)).count == badCases.count, "case names are unique")
    }

    @Test func aForeignFileIsNeverEchoed() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("echo-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "SECRET_TOKEN=abc123\n".write(toFile: dir + "/token.txt", atomically: true, encoding: .utf8)
        for text in ["extends: token.txt\n", "extends: [token.txt]\n"] {
            do {
                _ = try ScenarioLoader.load(text: text, file: "s.yaml", directory: dir); Issue.record("a token file is not a scenario")
            } catch { #expect(!error.description.contains("abc123"), "the message echoes the file: \(error.description)") }
        }
        // A YAML mapping that is not a scenario: its keys are someone else's, not typos to echo.
        try "api_key: abc123\npassword_abc123: 1\n".write(toFile: dir + "/config.yaml", atomically: true, encoding: .utf8)
        do {
            _ = try ScenarioLoader.load(text: "extends: config.yaml\n", file: "s.yaml", directory: dir); Issue.record("not a scenario")
        } catch {
            #expect(error.description.contains("not a scenario file: none of its 2 top-level keys"), "\(error.description)")
            #expect(!error.description.contains("abc123") && !error.description.contains("api_key"), "echoes: \(error.description)")
        }
        // A CSV that is not a design: its header is not echoed.
        try "api_key,abc123\n1,2\n".write(toFile: dir + "/other.csv", atomically: true, encoding: .utf8)
        try "horizon: 12\n".write(toFile: dir + "/base.yaml", atomically: true, encoding: .utf8)
        try "sweep:\n  base: base.yaml\n  design: csv\n  design_file: other.csv\n".write(
            toFile: dir + "/design.yaml", atomically: true, encoding: .utf8)
        do { _ = try SweepFile.load(path: dir + "/design.yaml"); Issue.record("not a design") } catch {
            #expect(error.description.contains("other.csv is not a design: none of its 2 columns"), "\(error.description)")
            #expect(!error.description.contains("abc123") && !error.description.contains("api_key"), "echoes: \(error.description)")
        }
        // A sweep file with a duplicate key gets the line, not a dump of the parser's state.
        try "sweep:\n  base: a.yaml\n  base: b.yaml # SECRET\n".write(toFile: dir + "/sweep.yaml", atomically: true, encoding: .utf8)
        do { _ = try SweepFile.load(path: dir + "/sweep.yaml"); Issue.record("duplicate keys must be refused") } catch {
            #expect(error.description.contains("duplicate key 'base'") && !error.description.contains("SECRET"))
        }
    }

    /// Random documents are either read or refused with issues that name the file and say
    /// something; both outcomes occur (the fuzzer reaches past the parser).
    @Test func randomBytesNeverTrapTheParser() {
        var state: UInt64 = 0x1234_5678
        func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 33 }
        let alphabet = Array("abc:-[]{}&*!|>'\"#\n \t0123456789.%@`,?".utf8)
        var read = 0, refused = 0
        for _ in 0..<2_000 {
            let length = Int(next() % 200)
            let bytes = (0..<length).map { _ in next() % 4 == 0 ? UInt8(next() % 256) : alphabet[Int(next()) % alphabet.count] }
            let text = String(decoding: bytes, as: UTF8.self)
            do {
                _ = try ScenarioLoader.load(text: text, file: "fuzz.yaml")
                read += 1
            } catch {
                refused += 1
                #expect(
                    !error.issues.isEmpty && error.issues.allSatisfy { $0.file == "fuzz.yaml" && !$0.message.isEmpty },
                    "\(error.description)")
            }
        }
        #expect(read > 0 && refused > 0, "read \(read), refused \(refused)")
    }

    @Test func overridesAreValidatedLikeFiles() {
        #expect(throws: ScenarioError.self) { try ScenarioLoader.defaults(overrides: ["opinion.beta=-1"]) }
        do {
            _ = try ScenarioLoader.defaults(overrides: ["opinon.beta=1"])
            Issue.record("accepted an unknown key")
        } catch {
            #expect(error.description.contains("--set") && error.description.contains("did you mean 'opinion.beta'"))
        }
        do {
            _ = try ScenarioLoader.defaults(overrides: ["voting.rule"])
            Issue.record("accepted a --set without a value")
        } catch {
            #expect(error.description.contains("KEY.PATH=VALUE"))
        }
        let ok = try? ScenarioLoader.defaults(overrides: ["voting.rule=majority", "opinion.beta=1.5"])
        #expect(ok?.scenario.voting.rule == .majority && ok?.scenario.opinion.beta == 1.5)
    }
}
