import ArgumentParser
import Experiments

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check scenario, sweep and calibration files without running them.",
        discussion: """
            Scenario, sweep and calibration files (a sweep file has a top-level `sweep:`, a \
            calibration file a top-level `calibration:`). Prints "ok" for each \
            valid file, or every problem found, each with file, line, column and \
            key path. Exits non-zero when any file has a problem. With --points, a valid sweep \
            file's points are printed as CSV (point, then one column per key path), to inspect a \
            design before running it. On a sweep file, --set changes the base scenario as \
            `sweep FILE --set …` would (never a parameter the design varies); calibration files \
            set their sites with their own `set:`.

            Examples:
              parecon-sim check Scenarios/baseline.yaml
              parecon-sim check Scenarios/*.yaml
              parecon-sim check my.yaml --set voting.rule=0.7
              parecon-sim check Scenarios/sweep-blocking-level.yaml \\
                  --set horizon=480
              parecon-sim check Scenarios/sweep-sobol-levers.yaml \\
                  --points > points.csv
            """)

    @Argument(help: "Scenario, sweep or calibration files (YAML).", completion: .yamlFiles)
    var files: [String]

    @Option(
        name: .customLong("set"),
        help: ArgumentHelp("Override a parameter, checked like the file (repeatable); on a sweep file, of its base.", valueName: "KEY.PATH=VALUE"),
        completion: .parameterKeys)
    var overrides: [String] = []

    @Flag(help: "Print a sweep file's points as CSV instead of the line saying it is ok.")
    var points = false

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one scenario file") }
        guard !points || files.count == 1 else { throw ValidationError("--points takes one sweep file") }
    }

    func run() throws {
        var failed = 0
        for file in files {
            do {
                if let text = try? String(contentsOfFile: file, encoding: .utf8), SweepFile.isSweep(text: text) {
                    // --set applies to the base, as `sweep FILE --set …` would run it.
                    let sweep = try SweepFile.load(path: file, baseOverrides: overrides)
                    if points { print(sweep.pointsCSV(), terminator: ""); continue }
                    print(
                        "\(file): ok, sweep of \(sweep.points.count) points × \(sweep.replicates) replicates over \(sweep.parameters.joined(separator: ", ")) (sha256 \(sweep.sha256.prefix(12)))"
                    )
                    continue
                }
                if points {
                    failed += 1
                    print("\(file): --points needs a sweep file (a top-level sweep:)")
                    continue
                }
                if let text = try? String(contentsOfFile: file, encoding: .utf8), CalibrationFile.isCalibration(text: text) {
                    if !overrides.isEmpty {
                        failed += 1
                        print("\(file): --set applies to scenario files; a calibration file sets its sites with set: (or calibrates the key)")
                        continue
                    }
                    let c = try CalibrationFile.load(path: file)
                    print(
                        "\(file): ok, calibration of \(c.parameters.map(\.path).joined(separator: ", ")) to \(c.points.count) observed points (digest \(c.digest.prefix(12)))"
                    )
                    continue
                }
                let loaded = try ScenarioLoader.load(path: file, overrides: overrides)
                print("\(file): ok (sha256 \(loaded.sha256.prefix(12)))")
            } catch {
                failed += 1
                print(error.description)
            }
        }
        if failed > 0 { throw ExitCode(1) }
    }
}
