import ArgumentParser
import Experiments
import Foundation
import Reporting

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Report on a result folder (report.md, report.html, charts, bands.csv) or a sweep database.",
        discussion: """
            For a folder written by `parecon-sim run`: bands (mean, 5/50/95%) of every curve, time \
            to 50% adoption as survival (Kaplan–Meier median, probability by year), fitted logistic \
            and Bass curves, the opposition measure at every strength and the status quo's ledger, \
            and charts of adoption, support by class, pressure and momentum, persons adopted over, \
            the status quo, opposition by strength and the income Gini. report.html is \
            self-contained (SVG inline).

            For a sweep database (.sqlite or .db): the points side by side (final adoption, time to \
            50%, opposition, coercion-free, Pareto front of adoption against opposition across \
            points, both sides of the coercion argument), written beside it as NAME-report.md, \
            NAME-report.html and charts chosen by the design: NAME-outcome.svg and \
            NAME-opposition.svg (outcome against the value of a one-parameter sweep), \
            NAME-heatmap.svg (a two-parameter grid), NAME-points.svg (adoption against opposition, \
            every sweep); printed when short.

            Examples:
              parecon-sim run Scenarios/baseline.yaml -r 20 \\
                  --out results/baseline
              parecon-sim report results/baseline
              parecon-sim report results/blocking.sqlite
            """)

    @Argument(help: "Result folder, or sweep database.")
    var folder: String

    func run() throws {
        if folder.hasSuffix(".sqlite") || folder.hasSuffix(".db") { return try sweepReport() }
        // The folder is claimed while the report reads it and writes beside it, so that a run
        // replacing its results (`run --force`) cannot slip in between; only a result folder
        // (or one a run is writing) is claimed: the reader explains anything else.
        var claim: FolderLock? = nil
        defer { withExtendedLifetime(claim) {} }
        let fm = FileManager.default
        if [ResultFolder.manifestFile, RunCheckpoint.folderName, FolderLock.fileName].contains(where: { fm.fileExists(atPath: folder + "/" + $0) }) {
            do { claim = try FolderLock(folder: folder, holder: "report") } catch { throw UserError(error.description) }
        }
        let results: ResultSet
        do { results = try ResultSet.read(folder) } catch { throw UserError(error.description) }
        let report = RunReport(results)
        do {
            try ResultFolder.write(report.markdown(), to: folder, name: "report.md")
            try ResultFolder.write(report.html(), to: folder, name: "report.html")
            try ResultFolder.write(report.bandsCSV(), to: folder, name: "bands.csv")
            for (stem, svg) in report.charts() { try ResultFolder.write(svg, to: folder, name: stem + ".svg") }
        } catch { throw UserError(error.description) }
        print("Wrote \(folder)/report.md, report.html, bands.csv and \(report.charts().count) charts (SVG)")
    }

    func sweepReport() throws {
        do {
            let database = try SweepDatabase(existing: folder)
            defer { database.close() }
            let report = SweepReport(provenance: try database.provenance(), points: try database.pointRuns())
            let url = URL(fileURLWithPath: folder)
            let directory = url.deletingLastPathComponent().path, stem = url.deletingPathExtension().lastPathComponent
            let markdown = report.markdown()
            var written = ["\(stem)-report.md", "\(stem)-report.html"]
            try ResultFolder.write(markdown, to: directory, name: written[0])
            try ResultFolder.write(report.html(), to: directory, name: written[1])
            for chart in report.charts() {
                written.append("\(stem)-\(chart.suffix).svg")
                try ResultFolder.write(chart.svg, to: directory, name: written.last!)
            }
            if report.points.count <= 40 { print(markdown) }
            print("Wrote " + written.map { directory + "/" + $0 }.joined(separator: ", "))
        } catch let error as SweepStoreError {
            throw UserError(error.description)
        } catch let error as ResultFolderError {
            throw UserError(error.description)
        }
    }
}
