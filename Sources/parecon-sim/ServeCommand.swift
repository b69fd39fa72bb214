import ArgumentParser
import Experiments
import Explorer
import Foundation

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explore the model in the browser: sliders, live curves, the workplaces.",
        discussion: """
            Starts a local web server and prints its address; open it in a browser. The page's \
            controls come from the scenario schema (the main levers as sliders, switches and \
            selects; every other parameter under "all parameters"); presets load the shipped \
            scenarios. Run, pause, step and reset; curves grow month by month, with 5–95% bands \
            over the replicates; keep a run to overlay the next; watch the first replicate's \
            workplaces change. The resolved scenario downloaded from the page reproduces the run \
            with `parecon-sim run FILE -r N` (same seed, same numbers).

            Every request is checked by the same schema as scenario files (the same messages as \
            --set). The server listens on 127.0.0.1 only unless --host says otherwise, and limits \
            population, replicates and runs at once; Ctrl-C stops it (within 3 s; twice: at once).

            Examples:
              parecon-sim serve
              parecon-sim serve majority --port 8081
              parecon-sim serve Scenarios/state-led.yaml
              parecon-sim serve --max-persons 50000 --max-runs 1
            """)

    @Argument(
        help: ArgumentHelp("Preset to open with: a scenario's name in --scenarios, or a scenario file.", valueName: "SCENARIO"),
        completion: .yamlFiles)
    var scenario: String?

    @Option(parsing: .unconditional, help: "Port (0: any free port).")
    var port = 8080

    @Option(help: "Address to listen on; anything but 127.0.0.1 or ::1 lets other machines drive the model.")
    var host = "127.0.0.1"

    @Option(help: ArgumentHelp("Folder of scenario files offered as presets.", valueName: "DIR"), completion: .directory)
    var scenarios = "Scenarios"

    @Option(parsing: .unconditional, help: "Largest population a run may have.")
    var maxPersons = ExplorerLimits().maxPersons

    @Option(parsing: .unconditional, help: "Most replicates a run may have.")
    var maxReplicates = ExplorerLimits().maxReplicates

    @Option(parsing: .unconditional, help: "Runs at once, over all open pages.")
    var maxRuns = ExplorerLimits().maxRuns

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be between 0 and 65535, got \(port)") }
        guard !host.isEmpty else { throw ValidationError("--host must name an address, e.g. 127.0.0.1") }
        guard (10...10_000_000).contains(maxPersons) else {
            throw ValidationError("--max-persons must be between 10 and 10,000,000, got \(maxPersons)")
        }
        guard (1...1_000).contains(maxReplicates) else {
            throw ValidationError("--max-replicates must be between 1 and 1000, got \(maxReplicates)")
        }
        guard (1...64).contains(maxRuns) else { throw ValidationError("--max-runs must be between 1 and 64, got \(maxRuns)") }
        // The largest runs the limits allow, all at once, each replicate held whole (networks come on top
        // and are judged per request).
        let simulations = Double(maxRuns) * Double(maxReplicates)
        let needed = Double(MemoryEstimate.fixedBytes) + simulations * Double(maxPersons) * Double(MemoryEstimate.bytesPerPerson)
        let limit = MemoryLimit.effective()
        guard needed <= 0.8 * Double(limit.bytes) else {
            throw ValidationError(
                "--max-runs \(maxRuns) × --max-replicates \(maxReplicates) × --max-persons \(maxPersons) would let pages ask for about \(Int(needed) / (1 << 20)) MiB at once, more than 80% of the \(limit.bytes / (1 << 20)) MiB allowed (\(limit.source)); lower one of them"
            )
        }
    }

    func run() throws {
        var isDirectory: ObjCBool = false
        if scenarios != "Scenarios"
            && !(FileManager.default.fileExists(atPath: scenarios, isDirectory: &isDirectory) && isDirectory.boolValue)
        {
            throw UserError("--scenarios \(scenarios): no such folder")
        }
        var catalogue = PresetCatalogue(directory: scenarios)
        var initial: String? = nil
        if let scenario {
            if catalogue.preset(named: scenario) != nil {
                initial = scenario
            } else if FileManager.default.fileExists(atPath: scenario) {
                do { initial = try catalogue.add(path: scenario) } catch { throw UserError(error.description) }
            } else {
                let names = catalogue.presets.map(\.name)
                throw UserError(
                    "\(scenario): neither a preset" + (names.isEmpty ? "" : " (\(names.joined(separator: ", ")))") + " nor a scenario file")
            }
        }
        var limits = ExplorerLimits()
        limits.maxPersons = maxPersons; limits.maxReplicates = maxReplicates; limits.maxRuns = maxRuns
        if ["0", "0.0.0.0", "::", "[::]"].contains(host) {
            FileHandle.standardError.send(
                Data(
                    ("parecon-sim serve: warning: --host \(host) listens on every interface, so other machines can reach the model; "
                        + "it answers only requests addressed to 127.0.0.1, localhost or [::1] — to serve others, give --host the address they will use\n")
                        .utf8))
        }
        let server = ExplorerServer(host: host, port: port, catalogue: catalogue, limits: limits, initialPreset: initial)
        Interruption.handOver(grace: 3, message: "parecon-sim explorer: stopped (connections still open were dropped)")
        let presets = catalogue.presets.count
        let failure = FirstFailure()
        let done = DispatchSemaphore(value: 0)
        Task {
            do {
                try await server.run { address in
                    FileHandle.standardOutput.send(Data("parecon-sim explorer: \(address) (\(presets) presets; Ctrl-C to stop)\n".utf8))
                }
            } catch { failure.note("cannot serve on \(host):\(port): \(error)") }
            done.signal()
        }
        done.wait()
        if let message = failure.first { throw UserError(message) }
        print("parecon-sim explorer: stopped")
        // Connections the server has let go may still hold threads; nothing is left to write
        // (exit flushes standard output).
        Foundation.exit(0)
    }
}
