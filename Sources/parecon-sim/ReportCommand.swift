import ArgumentParser
import Experiments
import Reporting

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write report.md, report.html, charts (SVG) and bands.csv for a result folder.",
        discussion: """
        Reads a folder written by `parecon-sim run`: bands (mean, 5/50/95%) of every curve, time \
        to 50% adoption with the share of runs that reached it, fitted logistic and Bass curves, \
        the coercion ledger, and charts of adoption, support by class, pressure and momentum, \
        the ledger and the income Gini. report.html is self-contained (SVG inline).

        Examples:
          parecon-sim run Scenarios/baseline.yaml -r 20 --out results/baseline
          parecon-sim report results/baseline
        """)

    @Argument(help: "Result folder.")
    var folder: String

    func run() throws {
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
}
