import ArgumentParser
import Experiments
import Foundation
import TransitionModel

struct Bench: ParsableCommand {
    /// The scenario keys `bench full` and `bench scaling` set from their own options, named as
    /// those options when a value is refused.
    static let optionKeys = ["population.persons": "--persons", "horizon": "--steps"]

    static let configuration = CommandConfiguration(
        abstract: "Measure throughput (use a release build).",
        discussion: """
            Examples:
              swift build -c release
              .build/release/parecon-sim bench core \\
                  --persons 1000000 --group 50 --steps 200
              .build/release/parecon-sim bench full \\
                  --persons 1000000 --json
              .build/release/parecon-sim bench scaling \\
                  --persons 1000000 --threads 1 2
            """,
        subcommands: [Core.self, Full.self, Scaling.self])

    struct Core: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The social-interactions core: N persons in equal groups of G.",
            discussion: """
                Each person revises with probability --revision and then supports with probability \
                1/(1+exp(−2β(h + J(2m−1)))), m the share of the other members of its group who \
                support. Compare with the hand-written C reference on the same generator \
                (docs/PERFORMANCE.md).

                Examples:
                  parecon-sim bench core --persons 1000000 --group 50 \\
                      --steps 200 --threads 2
                  parecon-sim bench core --persons 100000 --json
                """)

        @Option(parsing: .unconditional, help: "Persons (a multiple of --group).") var persons = 1_000_000
        @Option(parsing: .unconditional, help: "Group size G.") var group = 50
        @Option(parsing: .unconditional, help: "Steps.") var steps = 200
        @Option(parsing: .unconditional, help: "Revision probability per step.") var revision = 0.5
        @Option(parsing: .unconditional, help: "Initial supporting share.") var initial = 0.2
        @Option(parsing: .unconditional, help: "Choice intensity β.") var beta = 1.0
        @Option(parsing: .unconditional, help: "Peer coupling J.") var coupling = 0.6
        @Option(parsing: .unconditional, help: "Field h.") var field = 0.0
        @Option(parsing: .unconditional, help: "Seed of the core's streams (the core is not a scenario run).") var seed: UInt64 = 1
        @Option(parsing: .unconditional, help: "Threads.") var threads = ProcessInfo.processInfo.activeProcessorCount
        @Flag(help: "One JSON object on stdout.") var json = false

        func validate() throws {
            guard group >= 2 else { throw ValidationError("--group must be at least 2") }
            guard persons >= group && persons % group == 0 else {
                throw ValidationError("--persons must be a positive multiple of --group")
            }
            guard steps >= 1 else { throw ValidationError("--steps must be at least 1") }
            guard (0...1).contains(revision), (0...1).contains(initial) else {
                throw ValidationError("--revision and --initial must lie in [0, 1]")
            }
            guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
            // One stance byte a person and the group counts: refuse what cannot fit, before allocating.
            let limit = MemoryLimit.effective()
            let needed = Double(persons) * (1 + 8 / Double(group)) + Double(64 << 20)
            guard needed <= 0.8 * Double(limit.bytes) else {
                throw ValidationError(
                    "--persons \(persons) needs about \(Int(needed) >> 20) MiB, more than 80% of the \(limit.bytes >> 20) MiB allowed (\(limit.source))"
                )
            }
        }

        func run() throws {
            var p = SocialInteractionsCore.Parameters(persons: persons, groupSize: group)
            p.beta = beta; p.coupling = coupling; p.field = field; p.revisionRate = revision; p.initialShare = initial
            let core: SocialInteractionsCore
            do { core = try SocialInteractionsCore(p, seed: seed, threads: threads) } catch { throw UserError(error.description) }
            let t0 = DispatchTime.now().uptimeNanoseconds
            core.run(steps: steps)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
            let rate = Double(persons) * Double(steps) / seconds
            if json {
                print(
                    "{\"persons\": \(persons), \"group\": \(group), \"steps\": \(steps), \"seed\": \(seed), \"threads\": \(threads), \"final_share\": \(core.share), \"seconds\": \(seconds), \"agent_steps_per_second\": \(rate)}"
                )
            } else {
                print(
                    String(
                        format:
                            "core: %d persons, groups of %d, %d steps, %d threads: %.3f s, %.1f million agent-steps/s, final share %.4f",
                        persons, group, steps, threads, seconds, rate / 1e6, core.share))
            }
        }
    }

    struct Full: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The full model: the baseline scenario at N persons.",
            discussion: """
                Examples:
                  parecon-sim bench full --persons 1000000 --phases
                  parecon-sim bench full --persons 2000000 --phases \\
                      --scenario Scenarios/venezuela-national.yaml
                """)

        @Option(parsing: .unconditional, help: "Persons.") var persons = 1_000_000
        @Option(parsing: .unconditional, help: "Months (default: the scenario's horizon).") var steps: Int?
        @Option(help: "Scenario file (default: built-in baseline).") var scenario: String?
        @Option(
            parsing: .unconditional, help: "Master seed, as `run --seed` takes it: the run is replicate 0 of `parecon-sim run --seed S`.")
        var seed: UInt64 = 1
        @Option(parsing: .unconditional, help: "Threads.") var threads = ProcessInfo.processInfo.activeProcessorCount
        @Flag(help: "One JSON object on stdout.") var json = false
        @Flag(help: "Also print the wall-clock time of each phase.") var phases = false

        func validate() throws {
            guard persons >= 10 else { throw ValidationError("--persons must be at least 10") }
            if let steps { guard steps >= 1 else { throw ValidationError("--steps must be at least 1") } }
            guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
            guard seed <= UInt64(Int.max) else { throw ValidationError("--seed must be between 0 and \(Int.max), as for run, got \(seed)") }
        }

        func run() throws {
            var overrides = ["population.persons=\(persons)"]
            if let steps { overrides.append("horizon=\(steps)") }
            let loaded = try loadScenario(scenario, overrides: overrides, options: Bench.optionKeys)
            let t0 = DispatchTime.now().uptimeNanoseconds
            let sim: Simulation
            // The master seed means what it means for `run`: this is that run's replicate 0.
            let runSeed = ReplicateRunner.seed(master: seed, replicate: 0)
            do { sim = try Simulation(scenario: loaded.scenario, seed: runSeed, threads: threads) } catch {
                throw UserError(error.description)
            }
            sim.timePhases = phases
            let t1 = DispatchTime.now().uptimeNanoseconds
            let summary = sim.run()
            let t2 = DispatchTime.now().uptimeNanoseconds
            let seconds = Double(t2 - t1) / 1e9, setup = Double(t1 - t0) / 1e9
            let months = loaded.scenario.horizon
            let rate = Double(persons) * Double(months) / seconds
            if json {
                print(
                    "{\"persons\": \(persons), \"steps\": \(months), \"seed\": \(seed), \"threads\": \(threads), \"setup_seconds\": \(setup), \"seconds\": \(seconds), \"person_steps_per_second\": \(rate), \"final_workforce_bjc\": \(summary.final.workforceBJC)}"
                )
            } else {
                print(
                    String(
                        format:
                            "full: %d persons, %d months, %d threads: setup %.2f s, run %.2f s, %.1f million person-steps/s; final BJC %.1f%%",
                        persons, months, threads, setup, seconds, rate / 1e6, 100 * summary.final.workforceBJC))
                for (name, t) in sim.phaseSeconds.sorted(by: { $0.value > $1.value }) {
                    print(String(format: "  %-20@ %6.2f s  %5.1f%%", name as NSString, t, 100 * t / seconds))
                }
            }
        }
    }

    struct Scaling: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "How the full model's time falls with threads, and what that implies for more cores.",
            discussion: """
                Runs the scenario once per thread count with the same seed (results must be \
                identical, and are checked), times every phase, fits the serial share s of \
                Amdahl's law T(p) = T(1)·(s + (1 − s)/p) to the times, and projects the \
                speed-up to 4, 8, 16 and 64 threads. The fitted s counts everything that does \
                not speed up, loops held back by memory bandwidth included: it describes this \
                machine, and one with more bandwidth per core can do better. Exits non-zero if \
                the thread counts gave different results.

                Examples:
                  parecon-sim bench scaling --persons 1000000 \\
                      --threads 1 2 --steps 60
                  parecon-sim bench scaling --persons 200000 \\
                      --threads 1 2 4 8 --repeats 3 --json
                """)

        @Option(parsing: .unconditional, help: "Persons.") var persons = 1_000_000
        @Option(parsing: .unconditional, help: "Months (default: the scenario's horizon).") var steps: Int?
        @Option(help: "Scenario file (default: built-in baseline).") var scenario: String?
        @Option(parsing: .unconditional, help: "Master seed, as `run --seed` takes it.") var seed: UInt64 = 1
        @Option(
            parsing: .upToNextOption,
            help: "Thread counts to measure (1 is always measured; default: 1 and every core).")
        var threads: [Int] = []
        @Option(parsing: .unconditional, help: "Runs per thread count; the fastest is kept.") var repeats = 1
        @Flag(help: "One JSON object on stdout.") var json = false

        func validate() throws {
            guard persons >= 10 else { throw ValidationError("--persons must be at least 10") }
            if let steps { guard steps >= 1 else { throw ValidationError("--steps must be at least 1") } }
            guard threads.allSatisfy({ (1...1024).contains($0) }) else {
                throw ValidationError("--threads takes counts from 1 to 1024, got \(threads.map(String.init).joined(separator: " "))")
            }
            guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1") }
            guard seed <= UInt64(Int.max) else { throw ValidationError("--seed must be between 0 and \(Int.max), as for run, got \(seed)") }
        }

        func run() throws {
            var overrides = ["population.persons=\(persons)"]
            if let steps { overrides.append("horizon=\(steps)") }
            let loaded = try loadScenario(scenario, overrides: overrides, options: Bench.optionKeys)
            let counts = threads.isEmpty ? [1, ProcessInfo.processInfo.activeProcessorCount] : threads
            let study: ScalingStudy
            do {
                study = try ScalingStudy.measure(
                    scenario: loaded.scenario, seed: ReplicateRunner.seed(master: seed, replicate: 0), threads: counts,
                    repeats: repeats, progress: { t in if !json { FileHandle.standardError.send(Data("measuring \(t) thread\(t == 1 ? "" : "s") …\n".utf8)) } })
            } catch { throw UserError(error.description) }
            print(json ? Self.json(study, persons: persons, months: loaded.scenario.horizon, seed: seed) : Self.text(study, persons: persons, months: loaded.scenario.horizon, seed: seed))
            guard study.identicalResults else {
                throw UserError("the thread counts gave different results; this is a bug in parecon-sim, please report it with the command above")
            }
        }

        static func text(_ study: ScalingStudy, persons: Int, months: Int, seed: UInt64) -> String {
            let ms = study.measurements
            let counts = ms.map { "\($0.threads)" }.joined(separator: ", ")
            var lines = [
                "scaling: \(persons) persons, \(months) months, seed \(seed); "
                    + (ms.count < 2
                        ? "one thread count (\(counts)): no results to compare"
                        : "results \(study.identicalResults ? "identical" : "DIFFERENT") on \(counts) threads")
            ]
            func row(_ name: String, _ values: [Double?], _ speedUp: Double?) -> String {
                var line = name.padding(toLength: 22, withPad: " ", startingAt: 0)
                for v in values { line += v.map { String(format: "%9.2f s", $0) } ?? "        —  " }
                if let speedUp { line += String(format: "   %.2f×", speedUp) }
                return line
            }
            var header = "".padding(toLength: 22, withPad: " ", startingAt: 0)
            for m in ms { let label = "\(m.threads) thr."; header += String(repeating: " ", count: max(0, 11 - label.count)) + label }
            lines.append(header + "   speed-up (\(ms.last!.threads) thr.)")
            lines.append(row("run", ms.map(\.seconds), ms.count > 1 ? study.speedUp(ms.last!) : nil))
            for name in study.phaseNames {
                lines.append(row("  " + name, ms.map { $0.phases[name] }, ms.count > 1 ? study.speedUp(ofPhase: name, ms.last!) : nil))
            }
            if let s = study.serialShare {
                lines.append(String(format: "serial share fitted to Amdahl's law: s = %.2f", s))
                if let unscaled = study.unscaledShare() {
                    lines.append(
                        String(
                            format: "  of which phases that did not speed up (below 1.1×): %.2f; the rest is parallel loops that scale poorly here",
                            unscaled))
                }
                let projected = ScalingStudy.projectedThreads.map { p in
                    "\(p) threads " + String(format: "%.2f×", ScalingStudy.amdahl(serialShare: s, threads: p))
                }
                lines.append("projected speed-up: " + projected.joined(separator: ", ") + (s > 0 ? String(format: "; never above 1/s = %.2f×", 1 / s) : ""))
            } else {
                lines.append("only one thread count: give --threads 1 2 (or more) to fit a serial share")
            }
            return lines.joined(separator: "\n")
        }

        static func json(_ study: ScalingStudy, persons: Int, months: Int, seed: UInt64) -> String {
            func number(_ x: Double) -> String { x.isFinite ? "\(x)" : "null" }
            let measured = study.measurements.map { (m: ScalingStudy.Measurement) -> String in
                let phases = m.phases.sorted { $0.key < $1.key }.map { (name: String, t: Double) -> String in "\"\(name)\": \(number(t))" }.joined(separator: ", ")
                return "{\"threads\": \(m.threads), \"seconds\": \(number(m.seconds)), \"phases\": {\(phases)}}"
            }.joined(separator: ", ")
            let projected = ScalingStudy.projectedThreads.compactMap { (p: Int) -> String? in
                study.projectedSpeedUp(threads: p).map { (x: Double) -> String in "\"\(p)\": \(number(x))" }
            }.joined(separator: ", ")
            let serial = study.serialShare.map(number) ?? "null", unscaled = study.unscaledShare().map(number) ?? "null"
            return "{\"persons\": \(persons), \"steps\": \(months), \"seed\": \(seed), \"identical_results\": \(study.identicalResults), \"measurements\": [\(measured)], \"serial_share\": \(serial), \"unscaled_phase_share\": \(unscaled), \"projected_speed_up\": {\(projected)}}"
        }
    }
}
