import ArgumentParser
import Experiments

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a sweep database as tidy CSV files.",
        discussion: """
            Writes points.csv (one row per point, one column per varied key path), runs.csv (one \
            row per run: seed, status, error and the run summary), runs_with_parameters.csv (runs.csv \
            with each run's point values beside it), timings.csv, series.csv (when \
            the sweep kept series) and sweep.json (provenance and the sweep file). Every CSV file \
            starts with '#' lines naming the tool version and commit, the sweep hash, the hosts, \
            and the start and end time (pandas: read_csv(..., comment="#")). An unfinished sweep \
            can be exported; its files say how far it got.

            Examples:
              parecon-sim export blocking.sqlite \\
                  --to results/blocking
            """)

    @Argument(help: "Sweep database written by `parecon-sim sweep` or `merge`.")
    var database: String

    @Option(help: "Folder for the CSV files.")
    var to: String

    @Flag(help: "Replace files in a folder that already holds some.")
    var force = false

    func validate() throws {
        if to.isEmpty { throw ValidationError("--to must name a folder") }
    }

    func run() throws {
        do {
            let db = try SweepDatabase(existing: database)
            defer { db.close() }
            let p = try SweepExport.export(db, to: to, force: force)
            print(
                "Exported \(p.pointsRecorded) of \(p.points) points, \(p.runsRecorded) runs (\(p.runsFailed) failed) to \(to)/"
                    + (p.isComplete ? "" : " — the sweep is not finished"))
        } catch { throw UserError(error.description) }
    }
}
