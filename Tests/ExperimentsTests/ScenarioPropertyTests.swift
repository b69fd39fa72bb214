import Foundation
import PropertyBased
import Testing
import TestSupport
@testable import Experiments
@testable import TransitionModel

/// Property-based tests (swift-property-based): random inputs, shrunk to a small failing case.
@Suite("Scenario properties")
struct ScenarioPropertyTests {
    /// Turns one random unit number per parameter into `--set` overrides: a parameter is set
    /// when its first number is below 0.3, to a value drawn from its second within its range.
    /// Values that must agree across keys are drawn together so that every case is valid: the
    /// four workplace kind shares (normalised to sum to 1), momentum floor ≤ start ≤ cap, and a
    /// population small enough for any machine.
    static func overrides(_ pick: [Double], _ value: [Double]) -> [String] {
        var out: [String] = []
        let grouped: Set<String> = [
            "population.private_share", "population.state_share", "population.cooperative_share",
            "population.p2p_share", "movement.momentum_floor", "movement.momentum_start",
            "movement.momentum_cap", "population.persons", "opinion.burn_in",
        ]
        for (k, spec) in ScenarioSchema.parameters.enumerated() where pick[k] < 0.3 && !grouped.contains(spec.path) {
            switch spec.type {
            case let .number(lo, hi, open):
                let a = max(lo, -50), b = min(hi, 50)
                var x = a + (b - a) * value[k]
                if open && x <= lo { x = (lo + b) / 2 }
                out.append("\(spec.path)=\(x)")
            case let .integer(lo, hi):
                out.append("\(spec.path)=\(lo + Int(value[k] * Double(min(hi - lo, 1000))))")
            case .boolean:
                out.append("\(spec.path)=\(value[k] < 0.5)")
            case .choice(let words):
                out.append("\(spec.path)=\(words[min(words.count - 1, Int(value[k] * Double(words.count)))])")
            case .structured:
                continue
            }
        }
        if pick[0] < 0.5 {
            // Kind shares: three drawn, the fourth what is left (exactly 1 in total).
            let raw = [value[1], value[2], value[3], 1.0].map { $0 + 0.01 }
            let total = raw.reduce(0, +)
            let shares = raw.prefix(3).map { ($0 / total * 1_000).rounded() / 1_000 }
            let keys = ["private", "state", "cooperative"]
            for (key, x) in zip(keys, shares) { out.append("population.\(key)_share=\(x)") }
            out.append("population.p2p_share=\(((1 - shares.reduce(0, +)) * 1_000).rounded() / 1_000)")
        }
        if pick[1] < 0.5 {
            let m = [value[4], value[5], value[6]].map { 0.1 + 3 * $0 }.sorted()
            out += ["movement.momentum_floor=\(m[0])", "movement.momentum_start=\(m[1])", "movement.momentum_cap=\(m[2])"]
        }
        out.append("population.persons=\(100 + Int(value[7] * 50_000))")
        if out.contains(where: { $0.hasPrefix("influence.network=") && !$0.hasSuffix("=none") }) {
            out.append("influence.mean_degree=\(1 + Int(value[8] * 50))")
        }
        return out
    }

    /// Every generated scenario is valid, and reads back from its resolved form to the same
    /// scenario and hash.
    @Test func randomValidScenariosRoundTripThroughTheResolvedForm() async {
        let n = ScenarioSchema.parameters.count
        await propertyCheck(count: 150, input: Gen.double(in: 0...1).array(of: n), Gen.double(in: 0...1).array(of: n)) { pick, value in
            let overrides = Self.overrides(pick, value)
            let loaded: LoadedScenario
            do { loaded = try ScenarioLoader.defaults(overrides: overrides) } catch {
                Issue.record("a generated valid scenario was refused: \(error)"); return
            }
            let again = try? ScenarioLoader.load(text: loaded.resolvedYAML, file: "resolved.yaml")
            #expect(again?.scenario == loaded.scenario)
            #expect(again?.sha256 == loaded.sha256)
            #expect(loaded.scenario.violatedInvariant() == nil, "the loader accepted what the model refuses")
        }
    }

    @Test func randomBytesNeverTrapTheLoader() async {
        await propertyCheck(count: 1_000, input: Gen.uint8(in: 0...255).array(of: 0...300)) { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            do {
                _ = try ScenarioLoader.load(text: text, file: "bytes.yaml")
            } catch let error as ScenarioError {
                #expect(error.issues.allSatisfy { $0.file == "bytes.yaml" })
            } catch {
                Issue.record("unexpected error type: \(error)")
            }
        }
    }

    /// Every key with a few telling values: a refusal names the key that was set (cross-field
    /// refusals, such as the momentum order, name every key they involve).
    @Test func everyKeysRefusalNamesIt() {
        for key in ScenarioSchema.parameters.map(\.path) {
            for value in ["3", "-1", "0", "abc", "0.5", "1e9", "[1]", "{a: 1}", "''"] {
                do { _ = try ScenarioLoader.defaults(overrides: ["\(key)=\(value)"]) } catch {
                    #expect(
                        error.issues.allSatisfy { $0.keyPath == key || $0.description.contains(key) },
                        "\(key)=\(value): \(error.description)")
                }
            }
        }
    }

    @Test func randomOverridesAreAcceptedOrRefusedWithTheKeyPath() async {
        let keys = ScenarioSchema.parameters.map(\.path)
        await propertyCheck(count: 300, input: Gen.element(of: keys), Gen.letterOrNumber.string(of: 0...8)) { key, value in
            guard let key else { return }
            do {
                _ = try ScenarioLoader.defaults(overrides: ["\(key)=\(value)"])
            } catch let error as ScenarioError {
                #expect(error.issues.allSatisfy { $0.keyPath == key || $0.description.contains(key) }, "\(error.description)")
            } catch {
                Issue.record("unexpected error type: \(error)")
            }
        }
    }
}
