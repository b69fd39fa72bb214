import Foundation
import GRDB
import Testing
import TestSupport
@testable import Experiments
import TransitionModel

/// A small sweep (4 points × 2 replicates of 600 persons for 12 months) in a fresh folder.
struct SmallSweep {
    let folder: URL
    var sweep: SweepFile

    init(replicates: Int = 2, seed: Int = 3) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("sweepdb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "population:\n  persons: 600\nhorizon: 12\n".write(
            to: folder.appendingPathComponent("base.yaml"), atomically: true, encoding: .utf8)
        let path = folder.appendingPathComponent("s.yaml")
        try """
        sweep:
          base: base.yaml
          replicates: \(replicates)
          seed: \(seed)
          parameters:
            voting.rule: [majority, 0.6]
            opinion.beta: [0.8, 1.2]
        """.write(to: path, atomically: true, encoding: .utf8)
        sweep = try SweepFile.load(path: path.path)
    }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// Runs `shard` of the sweep into the database `name` and returns the outcome.
    @discardableResult
    func run(into name: String, shard: (Int, Int) = (1, 1), threads: Int = 2, every: Int = 0) throws -> SweepRunner.Outcome {
        let database = try SweepDatabase.open(for: sweep, at: path(name), every: every, tool: .unknown, force: false)
        defer { database.close() }
        return try SweepRunner.run(sweep, into: database, shard: shard, threads: threads, every: every)
    }

    /// Every row of `table` (timings excluded: they vary), in key order.
    func rows(_ name: String, _ table: String = "runs") throws -> [[DatabaseValue]] {
        let queue = try DatabaseQueue(path: path(name))
        defer { try? queue.close() }
        let order = table == "series" ? "point, replicate, month" : table == "points" ? "point" : "point, replicate"
        return try queue.read { db in try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY \(order)").map { Array($0.databaseValues) }
        }
    }

    func execute(_ name: String, _ sql: String) throws {
        let queue = try DatabaseQueue(path: path(name))
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA ignore_check_constraints = ON")
            try db.execute(sql: sql)
        }
        try queue.close()
    }
}

@Suite("Sweep database, runner, merge and export")
struct SweepDatabaseTests {
    @Test func everyRunIsRecordedOnceAndFailuresKeepTheirError() throws {
        var small = try SmallSweep()
        small.sweep.points[1].scenario.population.persons = 5  // the model refuses this point
        let first = try small.run(into: "a.sqlite")
        #expect(first.pointsRun == 4 && first.pointsFailed == 1 && first.runs == 6 && first.runsFailed == 2)
        let rows = try small.rows("a.sqlite")
        #expect(rows.count == 8)
        let failed = rows.filter { String.fromDatabaseValue($0[3]) == "failed" }
        #expect(failed.map { Int.fromDatabaseValue($0[0]) } == [2, 2])
        #expect(failed.allSatisfy { (String.fromDatabaseValue($0[4]) ?? "").contains("at least 10") })
        #expect(failed.allSatisfy { $0[5].isNull }, "a failed run has no summary")

        let again = try small.run(into: "a.sqlite")
        #expect(again.pointsRun == 0 && again.pointsSkipped == 4 && again.runs == 0)
        #expect(try small.rows("a.sqlite") == rows)
        let wide = try small.rows("a.sqlite", "runs_with_parameters")
        #expect(wide.count == 8 && wide.allSatisfy { $0.count == rows[0].count + 2 }, "runs plus the two parameters")
        #expect(wide.map { Array($0.prefix(rows[0].count)) } == rows)
        let p = try SweepDatabase(existing: small.path("a.sqlite")).provenance()
        #expect(p.isComplete && p.runsRecorded == 8 && p.runsFailed == 2 && p.pointsFailed == 1)
    }

    @Test func theSweepRowSaysVariedWhenTheDesignVariesTheGenerator() throws {
        var small = try SmallSweep()
        let path = small.path("g.yaml")
        try "sweep:\n  base: base.yaml\n  replicates: 1\n  parameters:\n    generator: [taus2, mt19937]\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        small.sweep = try SweepFile.load(path: path)
        try small.run(into: "g.sqlite")
        #expect(try SweepDatabase(existing: small.path("g.sqlite")).provenance().generator == "varied")
        let points = try small.rows("g.sqlite", "points").map { String.fromDatabaseValue($0[1]) }
        #expect(points == ["taus2", "mt19937"], "each point keeps its own generator")
        let fixed = try SmallSweep()
        try fixed.run(into: "f.sqlite")
        #expect(try SweepDatabase(existing: fixed.path("f.sqlite")).provenance().generator == "taus2")
    }

    @Test func twoProcessesOnOneDatabaseRecordEachPointOnce() throws {
        let small = try SmallSweep()
        // Both "processes" (two runners on two connections) find the sweep empty and run all of it.
        let first = try SweepDatabase.open(for: small.sweep, at: small.path("shared.sqlite"), every: 0, tool: .unknown, force: false)
        let second = try SweepDatabase.open(for: small.sweep, at: small.path("shared.sqlite"), every: 0, tool: .unknown, force: false)
        let one = try SweepRunner.run(small.sweep, into: first, shard: (1, 1), threads: 2)
        let pending = try second.recordedPoints()
        #expect(pending.count == 4)
        // A runner that started before the first finished records nothing twice.
        var outcomes: [SweepDatabase.RunOutcome] = []
        for r in 0..<2 {
            var scenario = small.sweep.points[0].scenario
            scenario.seed = SweepRunner.pointSeed(small.sweep, 0)
            let seed = ReplicateRunner.seed(master: scenario.seed, replicate: r)
            outcomes.append(
                .init(
                    replicate: r, seed: seed,
                    result: ReplicateRunner.runOne(scenario, replicate: r, threads: 1, stop: small.sweep.stop, every: 0)))
        }
        let before = try small.rows("shared.sqlite")
        #expect(try second.record([.init(point: 0, outcomes: outcomes)], keepSeries: false) == [false])
        #expect(try small.rows("shared.sqlite") == before)
        #expect(one.pointsRun == 4 && before.count == 8)
        first.close(); second.close()
    }

    @Test func sameRunsWhateverTheThreadsAndShards() throws {
        let small = try SmallSweep()
        try small.run(into: "one-thread.sqlite", threads: 1)
        let half = try small.run(into: "sharded.sqlite", shard: (2, 2), threads: 2)
        #expect(half.pointsRun == 2)
        #expect(try !SweepDatabase(existing: small.path("sharded.sqlite")).provenance().isComplete)
        try small.run(into: "sharded.sqlite", shard: (1, 2), threads: 3)
        let expected = try small.rows("one-thread.sqlite")
        #expect(expected.count == 8)
        #expect(try small.rows("sharded.sqlite") == expected)
        #expect(try small.rows("sharded.sqlite", "points") == small.rows("one-thread.sqlite", "points"))
        // Replicates of one point differ (distinct seeds), the same replicate of two points too.
        #expect(expected[0][2] != expected[1][2] && expected[0][2] != expected[2][2])
    }

    @Test func seriesAreThinnedAndKeepTheLastMonth() throws {
        var small = try SmallSweep()
        small.sweep.points[0].scenario.horizon = 10
        try small.run(into: "s.sqlite", every: 4)
        let series = try small.rows("s.sqlite", "series")
        let monthsOfFirst = series.filter { Int.fromDatabaseValue($0[0]) == 1 && Int.fromDatabaseValue($0[1]) == 0 }.map {
            Int.fromDatabaseValue($0[2])!
        }
        #expect(monthsOfFirst == [0, 4, 8, 10])
        let monthsOfSecond = series.filter { Int.fromDatabaseValue($0[0]) == 2 && Int.fromDatabaseValue($0[1]) == 0 }.map {
            Int.fromDatabaseValue($0[2])!
        }
        #expect(monthsOfSecond == [0, 4, 8, 12])
        #expect(throws: SweepStoreError.differentEvery(path: small.path("s.sqlite"), recorded: 4, given: 6)) {
            try SweepDatabase.open(for: small.sweep, at: small.path("s.sqlite"), every: 6, tool: .unknown, force: false)
        }
    }

    @Test func reopeningChecksWhatTheFileHolds() throws {
        let small = try SmallSweep()
        try small.run(into: "a.sqlite", shard: (1, 4))
        let other = try SmallSweep(seed: 4)
        let path = small.path("a.sqlite")
        #expect(throws: SweepStoreError.differentSweep(path: path, recorded: small.sweep.sha256, given: other.sweep.sha256)) {
            try SweepDatabase.open(for: other.sweep, at: path, every: 0, tool: .unknown, force: false)
        }
        // A changed base scenario is named as the cause.
        try "population:\n  persons: 700\nhorizon: 12\n".write(
            to: small.folder.appendingPathComponent("base.yaml"), atomically: true, encoding: .utf8)
        let rebased = try SweepFile.load(path: small.path("s.yaml"))
        do {
            _ = try SweepDatabase.open(for: rebased, at: path, every: 0, tool: .unknown, force: false);
            Issue.record("a changed base was accepted")
        } catch { #expect(error.description.contains("the base scenario (or a file it extends, or --set) changed")) }
        // --force starts over.
        let fresh = try SweepDatabase.open(for: other.sweep, at: path, every: 0, tool: .unknown, force: true)
        #expect(try fresh.provenance().pointsRecorded == 0 && fresh.provenance().sha256 == other.sweep.sha256)
        fresh.close()

        try Data("not a database at all, just text".utf8).write(to: URL(fileURLWithPath: small.path("text.sqlite")))
        #expect(throws: SweepStoreError.self) { try SweepDatabase(existing: small.path("text.sqlite")) }
        do {
            _ = try SweepDatabase.open(for: small.sweep, at: small.path("text.sqlite"), every: 0, tool: .unknown, force: false);
            Issue.record("text taken for a database")
        } catch { #expect(error.description.contains("file is not a database") && error.description.contains("--force")) }
        let replaced = try SweepDatabase.open(for: small.sweep, at: small.path("text.sqlite"), every: 0, tool: .unknown, force: true)
        #expect(try replaced.provenance().sha256 == small.sweep.sha256)
        replaced.close()
        do {
            _ = try SweepDatabase.open(for: small.sweep, at: small.folder.path, every: 0, tool: .unknown, force: true);
            Issue.record("a folder replaced")
        } catch { #expect(error.description.contains("is a folder; --out names the database file")) }
        do { _ = try SweepDatabase(existing: small.folder.path); Issue.record("a folder was accepted") } catch {
            #expect(error.description.contains("is a folder"))
        }
        do { _ = try SweepDatabase(existing: small.path("none.sqlite")); Issue.record("a missing file was accepted") } catch {
            #expect(error.description.contains("no such file"))
        }

        let foreign = try DatabaseQueue(path: small.path("foreign.sqlite"))
        try foreign.write { db in try db.execute(sql: "CREATE TABLE t (x)") }
        try foreign.close()
        do { _ = try SweepDatabase(existing: small.path("foreign.sqlite")); Issue.record("a foreign database was accepted") } catch {
            #expect(error.description.contains("points, runs, series, sweep, timings are missing"))
        }

        try small.execute("a.sqlite", "PRAGMA user_version = 9")
        do { _ = try SweepDatabase(existing: path); Issue.record("a newer schema was accepted") } catch {
            #expect(error.description.contains("schema version 9"))
        }
    }

    /// Damaged values are reported with their column and table, never trapped on.
    @Test(arguments: [
        ("UPDATE runs SET point = 'abc' WHERE rowid = 1", "column point of table runs"),
        ("UPDATE runs SET status = 7 WHERE rowid = 1", "CHECK constraint failed in runs"),
        ("UPDATE runs SET final_workforce_bjc = 'maybe' WHERE rowid = 1", "final_workforce_bjc is missing or not a number"),
        ("UPDATE sweep SET points = 'many'", "column points of table sweep"),
        ("UPDATE sweep SET replicates = 'two'", "column replicates of table sweep"),
    ])
    func damagedValuesAreRefusedNotTrappedOn(sql: String, mustSay: String) throws {
        let small = try SmallSweep()
        try small.run(into: "d.sqlite")
        var unchecked = Configuration()
        unchecked.foreignKeysEnabled = false  // damage as another program could write it
        let queue = try DatabaseQueue(path: small.path("d.sqlite"), configuration: unchecked)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA ignore_check_constraints = ON")
            try db.execute(sql: sql)
        }
        try queue.close()
        do {
            let database = try SweepDatabase(existing: small.path("d.sqlite"))
            defer { database.close() }
            _ = try database.pointRuns()
            _ = try database.recordedPoints()
            Issue.record("a damaged database was read: \(sql)")
        } catch {
            #expect(
                error.description.contains("not a parecon-sim sweep database") && error.description.contains(mustSay),
                "\(error.description)")
            #expect(error.description.contains("d.sqlite"))
        }
    }

    @Test func shardsMergeIntoTheWholeAndBadMergesWriteNothing() throws {
        let small = try SmallSweep()
        try small.run(into: "whole.sqlite")
        for i in 1...3 { try small.run(into: "shard\(i).sqlite", shard: (i, 3)) }
        let shards = (1...3).map { small.path("shard\($0).sqlite") }
        let merged = try SweepMerge.merge(shards + [shards[0]], into: small.path("merged.sqlite"), force: false)
        #expect(merged.isComplete && merged.runsRecorded == 8)
        #expect(try small.rows("merged.sqlite") == small.rows("whole.sqlite"))

        let out = small.path("bad.sqlite")
        #expect(throws: SweepStoreError.incomplete(paths: Array(shards.prefix(2)), missing: [3], of: 4)) {
            try SweepMerge.merge(Array(shards.prefix(2)), into: out, force: false)
        }
        #expect(!FileManager.default.fileExists(atPath: out) && !FileManager.default.fileExists(atPath: out + ".creating"))

        // The same point with a different result in two shards.
        try FileManager.default.copyItem(atPath: small.path("whole.sqlite"), toPath: small.path("tampered.sqlite"))
        try small.execute("tampered.sqlite", "UPDATE runs SET final_workforce_bjc = 0.5 WHERE point = 2 AND replicate = 1")
        #expect(throws: SweepStoreError.conflicting(path: small.path("tampered.sqlite"), other: shards[1], point: 2)) {
            try SweepMerge.merge([shards[0], shards[1], small.path("tampered.sqlite")], into: out, force: false)
        }
        #expect(!FileManager.default.fileExists(atPath: out))

        // Shards of another sweep.
        let other = try SmallSweep(seed: 9)
        try other.run(into: "x.sqlite", shard: (3, 3))
        do {
            _ = try SweepMerge.merge(shards + [other.path("x.sqlite")], into: out, force: false); Issue.record("mixed sweeps merged")
        } catch { #expect(error.description.contains("different sweep")) }

        // An existing output is kept unless forced.
        #expect(throws: SweepStoreError.exists(path: small.path("merged.sqlite"))) {
            try SweepMerge.merge(shards, into: small.path("merged.sqlite"), force: false)
        }
        #expect(try SweepMerge.merge(shards, into: small.path("merged.sqlite"), force: true).isComplete)
        // A shard is never its own output, however the path is spelled; --force does not change that.
        let spelled = small.folder.appendingPathComponent(".").appendingPathComponent("shard1.sqlite").path
        #expect(throws: SweepStoreError.inputIsOutput(path: shards[0])) {
            try SweepMerge.merge(shards, into: spelled, force: true)
        }
        // Shards that kept series at different months are not merged.
        try small.run(into: "every6.sqlite", shard: (2, 3), every: 6)
        do {
            _ = try SweepMerge.merge([shards[0], small.path("every6.sqlite"), shards[2]], into: small.path("m2.sqlite"), force: false)
            Issue.record("shards with different --every merged")
        } catch { #expect(error.description.contains("--every 6") && !FileManager.default.fileExists(atPath: small.path("m2.sqlite"))) }
    }

    @Test func exportStartsEveryFileWithTheProvenance() throws {
        let small = try SmallSweep()
        try small.run(into: "a.sqlite", shard: (1, 2), every: 6)
        let database = try SweepDatabase(existing: small.path("a.sqlite"))
        let folder = small.path("csv")
        let p = try SweepExport.export(database, to: folder, force: false)
        #expect(!p.isComplete && p.pointsRecorded == 2)
        for name in ["points.csv", "runs.csv", "runs_with_parameters.csv", "timings.csv", "series.csv"] {
            let text = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
            let lines = text.split(separator: "\n")
            #expect(lines[0] == "# parecon-sim 0.0.0 (commit unknown)", "\(name)")
            #expect(lines[1] == "# sweep sha256 \(small.sweep.sha256)", "\(name)")
            #expect(lines[4].hasPrefix("# not finished: 2 of 4 points"), "\(name)")
        }
        let runs = try String(contentsOfFile: folder + "/runs.csv", encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(runs[0].hasPrefix("point,replicate,seed,status,error,final_workforce_bjc,"))
        #expect(runs.count == 1 + 2 * 2)
        let header = runs[0].split(separator: ",", omittingEmptySubsequences: false)
        let free = header.firstIndex(of: "coercion_free")!
        #expect(
            runs.dropFirst().allSatisfy { ["true", "false"].contains($0.split(separator: ",", omittingEmptySubsequences: false)[free]) })
        let points = try String(contentsOfFile: folder + "/points.csv", encoding: .utf8).split(separator: "\n").filter {
            !$0.hasPrefix("#")
        }
        #expect(points == ["point,voting.rule,opinion.beta", "1,majority,0.8", "2,majority,1.2", "3,0.6,0.8", "4,0.6,1.2"])
        // Each run with its point's values, the runs' columns unchanged.
        let joined = try String(contentsOfFile: folder + "/runs_with_parameters.csv", encoding: .utf8).split(separator: "\n").filter {
            !$0.hasPrefix("#")
        }
        #expect(joined.count == runs.count && joined[0] == runs[0] + ",voting.rule,opinion.beta")
        #expect(zip(joined.dropFirst(), runs.dropFirst()).allSatisfy { $0.hasPrefix($1 + ",") })
        let manifest = try String(contentsOfFile: folder + "/sweep.json", encoding: .utf8)
        #expect(manifest.contains("\"complete\" : false") && manifest.contains(small.sweep.sha256))

        // Once complete, the files say when it finished; an existing export needs force.
        try small.run(into: "a.sqlite", shard: (2, 2), every: 6)
        #expect(throws: SweepStoreError.self) { try SweepExport.export(database, to: folder, force: false) }
        #expect(try SweepExport.export(database, to: folder, force: true).isComplete)
        let runsText = try String(contentsOfFile: folder + "/runs.csv", encoding: .utf8)
        #expect(runsText.split(separator: "\n")[4].hasPrefix("# finished 20"))
        #expect(runsText.split(separator: "\n").count == 5 + 1 + 8)
        database.close()

        // Exporting a database without series over that folder leaves no old series.csv behind.
        try small.run(into: "b.sqlite")
        let plain = try SweepDatabase(existing: small.path("b.sqlite"))
        #expect(FileManager.default.fileExists(atPath: folder + "/series.csv"))
        _ = try SweepExport.export(plain, to: folder, force: true)
        #expect(!FileManager.default.fileExists(atPath: folder + "/series.csv"))
        plain.close()
    }

    /// Readers name the columns they need; each must be one of the declared columns, so that
    /// its domain (and its meaning in docs/OUTPUTS.md) is the writer's.
    @Test func everyColumnARunRowReadsIsDeclared() throws {
        var asked: [String] = []
        _ = try RunRow.read { name in asked.append(name); return name == "persons" ? 1000 : 0 }
        #expect(asked.count >= 10)
        #expect(asked.filter { RunColumn.summariesByName[$0] == nil } == [])
        // Domains are what the values are: shares in [0, 1], counts and months ≥ 0, a flag.
        #expect(RunColumn.summariesByName["final_workforce_bjc"]?.domain == .share)
        #expect(RunColumn.summariesByName["months_to_50_pay"]?.domain == .month)
        #expect(RunColumn.summariesByName["coercion_free"]?.domain == .flag)
        #expect(RunColumn.summariesByName["peak_momentum"]?.domain == .nonNegative)
        #expect(RunColumn.Domain.share.problem(with: "1.5") != nil && RunColumn.Domain.share.problem(with: "0.5") == nil)
        #expect(RunColumn.Domain.month.problem(with: "") == nil && RunColumn.Domain.month.problem(with: "-3") != nil)
        #expect(RunColumn.Domain.flag.problem(with: "yes") == "true or false")
    }

    /// Numbers are written as `%.6g` gives them, whatever the magnitude: the fast formatter
    /// must write exactly what Foundation's `String(format:)` wrote before it.
    @Test func numbersAreWrittenAsPrintfWritesThem() {
        var values: [Double] = [1, -1, 0.1, 1e-300, 5e-324, 1e300, .greatestFiniteMagnitude, 123456.5, 1234567, 0.000123456789, -0.0]
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<20_000 {
            x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let d = Double(bitPattern: x)
            if d.isFinite { values.append(d) }
            values.append(Double(x >> 11) / Double(1 << 53) * pow(10, Double(Int(x % 40)) - 20))
        }
        let wrong = values.filter { $0 != 0 && formatValue($0, count: false) != String(format: "%.6g", $0) }
        #expect(wrong.isEmpty, "\(wrong.prefix(5).map { ($0, formatValue($0, count: false), String(format: "%.6g", $0)) })")
        #expect(formatValue(0.1234567, count: false) == "0.123457" && formatValue(2.5e-7, count: false) == "2.5e-07")
    }

    @Test func csvCellsAreQuotedOnlyWhenNeeded() {
        #expect(csvQuoted("plain") == "plain")
        #expect(csvQuoted("a,b") == "\"a,b\"")
        #expect(csvQuoted("say \"no\"") == "\"say \"\"no\"\"\"")
        #expect(ResultCell.boolean(true).csv == "true" && ResultCell.null.csv == "" && ResultCell.real(0.1234567).csv == "0.123457")
    }
}

@Suite("Metrics of incomes only where they are read")
struct IncomeMonthsTests {
    /// A sweep that keeps no series (or keeps it every K months) tallies incomes only where a
    /// kept row or the run's summary reads them; its summary and kept rows must be those of the
    /// run with every month's metrics, also when a stop condition ends the run between the
    /// summary's income years.
    @Test(arguments: [StopCondition(), StopCondition(adoptionAbove: 0.15), StopCondition(adoptionAbove: 0.25), StopCondition(adoptionAbove: 0.3)])
    func summaryAndKeptRowsAreThoseOfTheFullRun(_ stop: StopCondition) throws {
        var scenario = Scenario()
        scenario.population.persons = 3_000
        scenario.horizon = 252  // past the 20-year income mark, not a whole number of 12 months
        scenario.seed = 9
        func run(every: Int) throws -> ReplicateResult { try ReplicateRunner.runOne(scenario, replicate: 1, threads: 1, stop: stop, every: every).get() }
        let full = try run(every: 1), none = try run(every: 0), yearly = try run(every: 12)
        #expect(none.summary == full.summary, "the summary does not depend on where incomes are tallied")
        #expect(yearly.summary == full.summary)
        #expect(none.series.isEmpty)
        let last = try #require(full.series.last)
        if stop.adoptionAbove != nil { #expect(last.month < scenario.horizon && last.month % 12 != 0, "stopped between marks: month \(last.month) (\(stop))") }
        #expect(last.incomeGini > 0, "the last month holds the incomes")
        #expect(none.summary.final.incomeGini == last.incomeGini && none.summary.final.coordinatorWorkerPayRatio == last.coordinatorWorkerPayRatio)
        let kept = Dictionary(uniqueKeysWithValues: full.series.map { ($0.month, $0) })
        for row in yearly.series { #expect(row == kept[row.month], "month \(row.month) is the full run's row") }
        #expect(yearly.series.map(\.month).dropLast().allSatisfy { $0 % 12 == 0 })
    }

    /// Left out where nobody reads them: a month between marks has no Gini.
    @Test func aMonthBetweenMarksHasNoIncomes() throws {
        var scenario = Scenario()
        scenario.population.persons = 2_000
        scenario.horizon = 30
        let sim = try Simulation(scenario: scenario, seed: 3)
        var gini: [Int: Double] = [:]
        sim.run(incomesEvery: 0) { gini[$0.month] = $0.incomeGini }
        #expect(gini[7] == 0 && gini[24] == 0, "no income year before month 120")
        #expect(gini[30]! > 0, "the last month has them")
    }
}

@Suite("Run checkpoints")
struct RunCheckpointTests {
    @Test func keptReplicatesReadBackExactlyAndForeignFilesAreIgnored() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ckpt-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var scenario = Scenario()
        scenario.population.persons = 600
        scenario.horizon = 12
        scenario.seed = 4
        let all = try ReplicateRunner.run(scenario, replicates: 3, threads: 2)
        let checkpoint = RunCheckpoint(folder: folder, scenarioSHA256: "abc", masterSeed: 4, replicates: 3)
        try checkpoint.begin()
        try checkpoint.keep(all[0])
        try checkpoint.keep(all[2])
        try "{not json".write(toFile: folder + "/.partial/replicate-0000001.json", atomically: true, encoding: .utf8)
        let done = try checkpoint.finishedReplicates()
        #expect(done.keys.sorted() == [0, 2])
        #expect(done[2]?.series == all[2].series && done[2]?.summary == all[2].summary, "exact round trip")
        // Resumed with the kept ones, the run gives the same replicates as a whole run.
        let resumed = try ReplicateRunner.run(scenario, replicates: 3, threads: 2, done: done)
        #expect(resumed.map(\.series) == all.map(\.series))
        // Another seed or replicate count is another run.
        #expect(throws: ResultFolderError.self) {
            try RunCheckpoint(folder: folder, scenarioSHA256: "abc", masterSeed: 5, replicates: 3).finishedReplicates()
        }
        #expect(throws: ResultFolderError.self) {
            try RunCheckpoint(folder: folder, scenarioSHA256: "abc", masterSeed: 4, replicates: 4).finishedReplicates()
        }
        RunCheckpoint.discard(in: folder)
        #expect(!RunCheckpoint.exists(in: folder))
    }

    /// A checkpoint marker that cannot be read is said, with the system's reason, not taken for
    /// "nothing kept" (which would run every kept replicate again and hide the folder's state).
    @Test func anUnreadableMarkerIsSaidNotTakenForNone() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ckpt-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let checkpoint = RunCheckpoint(folder: folder, scenarioSHA256: "abc", masterSeed: 4, replicates: 3)
        #expect(try checkpoint.finishedReplicates().isEmpty, "no folder yet: nothing kept")
        try FileManager.default.createDirectory(atPath: folder + "/.partial/run.json", withIntermediateDirectories: true)
        #expect {
            try checkpoint.finishedReplicates()
        } throws: { error in
            "\(error)".contains("run.json: is not a regular file; pass --force to start over")
        }
        try FileManager.default.removeItem(atPath: folder + "/.partial/run.json")
        try FileManager.default.createSymbolicLink(atPath: folder + "/.partial/run.json", withDestinationPath: folder + "/nowhere")
        #expect {
            try checkpoint.finishedReplicates()
        } throws: { error in
            "\(error)".contains("a symbolic link that leads nowhere")
        }
    }
}

@Suite("Checkpoints and databases are checked before they are trusted")
struct CheckpointIntegrityTests {
    @Test func anEditedKeptReplicateIsRunAgain() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ckpt-\(UUID().uuidString)").path
        var s = Scenario(); s.population.persons = 500; s.horizon = 12
        let results = try ReplicateRunner.run(s, replicates: 3, threads: 1)
        let checkpoint = RunCheckpoint(folder: folder, scenarioSHA256: "abc", masterSeed: s.seed, replicates: 3)
        try checkpoint.begin()
        for r in results { try checkpoint.keep(r) }
        #expect(try checkpoint.finishedReplicates().count == 3)
        // Change one number in replicate 1's kept series: its checksum no longer matches.
        let path = folder + "/.partial/replicate-0000001.json"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let edited = text.replacingOccurrences(of: "\"month\":12", with: "\"month\":13")
        #expect(edited != text)
        try edited.write(toFile: path, atomically: true, encoding: .utf8)
        var unreadable: [String] = []
        let kept = try checkpoint.finishedReplicates(unreadable: &unreadable)
        #expect(Set(kept.keys) == [0, 2], "the edited replicate is dropped, to be run again")
        #expect(unreadable == ["replicate-0000001.json"], "and named, so the run can say so")
        #expect(kept[0]?.series == results[0].series)
    }

    @Test func abandonedDatabaseCreationsAreCleanedUp() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("creating-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let finished = Process()
        finished.executableURL = URL(fileURLWithPath: "/bin/true")
        try finished.run(); finished.waitUntilExit()
        let dead = dir + "/s.sqlite.creating-\(finished.processIdentifier)"
        let alive = dir + "/s.sqlite.creating-\(ProcessInfo.processInfo.processIdentifier + 0)"
        for p in [dead, dead + "-journal"] { FileManager.default.createFile(atPath: p, contents: Data("x".utf8)) }
        FileManager.default.createFile(atPath: alive + "x", contents: Data("x".utf8))  // not a PID: left alone
        SweepDatabase.removeAbandonedCreations(beside: dir + "/s.sqlite")
        #expect(!FileManager.default.fileExists(atPath: dead) && !FileManager.default.fileExists(atPath: dead + "-journal"))
        #expect(FileManager.default.fileExists(atPath: alive + "x"))
    }

    /// SQLite opens no file past its path limit: a longer --out is refused with the limit
    /// before any folder is made; one just inside it is created, folders and all.
    @Test func aDatabasePathSQLiteCannotOpenIsRefusedBeforeAnyFolderIsMade() throws {
        let small = try SmallSweep()
        defer { try? FileManager.default.removeItem(at: small.folder) }
        let room = SweepDatabase.maximumPathBytes - SweepDatabase.creationSuffixRoom
        func database(_ length: Int) -> String {
            var path = small.folder.path + "/made"
            while path.utf8.count + 100 < length - 10 { path += "/" + String(repeating: "d", count: 99) }
            return path + "/" + String(repeating: "s", count: length - path.utf8.count - 8) + ".sqlite"
        }
        let tooLong = database(room + 1)
        #expect(tooLong.utf8.count == room + 1)
        #expect(throws: SweepStoreError.storage(
            path: tooLong,
            message: "the path is \(room + 1) bytes long from /; SQLite opens a sweep database only if its path has at most \(room) bytes: choose a shorter --out")) {
            try SweepDatabase.open(for: small.sweep, at: tooLong, every: 0, tool: .unknown, force: false)
        }
        #expect(!FileManager.default.fileExists(atPath: small.folder.path + "/made"), "no folder left behind")
        let longest = database(room)
        try SweepDatabase.open(for: small.sweep, at: longest, every: 0, tool: .unknown, force: false).close()
        #expect(FileManager.default.fileExists(atPath: longest))
    }
}

@Suite("Sweep databases: bookkeeping checked before it is trusted")
struct SweepBookkeepingTests {
    /// Edits the file as another program would (foreign keys not enforced).
    func execute(_ path: String, _ sql: String) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = false
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        try queue.write { try $0.execute(sql: sql) }
        try queue.close()
    }

    @Test func aPointThatLostRunsIsRunAgainAndCountsOnlyWhenWhole() throws {
        let s = try SmallSweep(replicates: 3)
        try s.run(into: "whole.sqlite")
        try s.run(into: "damaged.sqlite")
        try execute(s.path("damaged.sqlite"), "DELETE FROM runs WHERE point = 2 AND replicate > 0")
        var database = try SweepDatabase(existing: s.path("damaged.sqlite"))
        #expect(try database.provenance().pointsRecorded == 3, "a point with 1 of 3 runs is not recorded")
        #expect(try !database.provenance().isComplete)
        database.close()
        let outcome = try s.run(into: "damaged.sqlite")
        #expect(outcome.pointsRun == 1 && outcome.pointsSkipped == 3)
        database = try SweepDatabase(existing: s.path("damaged.sqlite"))
        let whole = try SweepDatabase(existing: s.path("whole.sqlite"))
        #expect(try database.pointRuns().map(\.runs) == whole.pointRuns().map(\.runs), "the repaired point equals the uninterrupted one")
        #expect(try database.provenance().runsRecorded == 12)
    }

    @Test func runsOfPointsTheSweepDoesNotHaveAreRefused() throws {
        let s = try SmallSweep()
        try s.run(into: "a.sqlite")
        try execute(s.path("a.sqlite"), "UPDATE runs SET point = 7 WHERE point = 1 AND replicate = 0")
        let database = try SweepDatabase(existing: s.path("a.sqlite"))
        do { _ = try database.recordedPoints(); Issue.record("point 7 of a 4-point sweep must be refused") } catch {
            #expect(error.description.contains("holds point 7, replicate 0, which a sweep of 4 points × 2 replicates does not have"))
        }
    }

    @Test func impossibleValuesAreRefusedNotExported() throws {
        let s = try SmallSweep()
        try s.run(into: "a.sqlite")
        try execute(s.path("a.sqlite"), "UPDATE runs SET final_workforce_bjc = 5 WHERE point = 3 AND replicate = 1")
        let database = try SweepDatabase(existing: s.path("a.sqlite"))
        do { _ = try database.pointRuns(); Issue.record("a share of 5 must be refused") } catch {
            #expect(error.description.contains("final_workforce_bjc holds 5, which no run can give"))
        }
        do { _ = try SweepExport.export(database, to: s.path("csv"), force: false); Issue.record("export must refuse it too") } catch {
            #expect(error.description.contains("final_workforce_bjc holds 5"))
        }
        #expect(!FileManager.default.fileExists(atPath: s.path("csv/runs.csv")))
        try execute(
            s.path("a.sqlite"), "UPDATE runs SET final_workforce_bjc = 0.5, months_to_50_bjc = 1e300 WHERE point = 3 AND replicate = 1")
        do { _ = try database.pointRuns(); Issue.record("a month of 1e300 must be refused, not trap") } catch {
            #expect(error.description.contains("months_to_50_bjc"))
        }
    }
}

@Suite("Sweep claims: processes on one database share the work")
struct SweepClaimTests {
    func claim(_ path: String, point: Int, pid: Int32, host: String = SweepDatabase.host, age: TimeInterval = 0) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(
                sql:
                    "CREATE TABLE IF NOT EXISTS claims (point INTEGER PRIMARY KEY, host TEXT NOT NULL, pid INTEGER NOT NULL, claimed REAL NOT NULL)"
            )
            try db.execute(
                sql: "INSERT OR REPLACE INTO claims VALUES (?, ?, ?, ?)",
                arguments: [point, host, Int(pid), Date().timeIntervalSince1970 - age])
        }
        try queue.close()
    }

    @Test func pointsClaimedByALiveProcessAreLeftToItAndDeadClaimsAreTakenOver() throws {
        let s = try SmallSweep()
        let path = s.path("a.sqlite")
        try SweepDatabase.open(for: s.sweep, at: path, every: 0, tool: .unknown, force: false).close()
        // Points 1 and 2 are held by a live process on this host (pid 1 always runs).
        try claim(path, point: 1, pid: 1)
        try claim(path, point: 2, pid: 1)
        var outcome = try s.run(into: "a.sqlite")
        #expect(outcome.pointsRun == 2 && outcome.pointsElsewhere == 2)
        // Point 1's holder dies; point 2's is on another host, and recent: only point 1 is taken over.
        let finished = Process()
        finished.executableURL = URL(fileURLWithPath: "/bin/true")
        try finished.run(); finished.waitUntilExit()
        try claim(path, point: 1, pid: finished.processIdentifier)
        try claim(path, point: 2, pid: 1, host: "elsewhere")
        outcome = try s.run(into: "a.sqlite")
        #expect(outcome.pointsRun == 1 && outcome.pointsElsewhere == 1)
        // A claim from another host older than the stale limit is taken over too.
        try claim(path, point: 2, pid: 1, host: "elsewhere", age: SweepDatabase.staleAfter + 60)
        outcome = try s.run(into: "a.sqlite")
        #expect(outcome.pointsRun == 1 && outcome.pointsElsewhere == 0)
        let database = try SweepDatabase(existing: path)
        #expect(try database.provenance().isComplete)
    }
}
