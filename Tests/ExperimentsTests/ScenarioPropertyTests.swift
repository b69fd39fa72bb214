import Foundation
import PropertyBased
import Testing
@testable import Experiments
@testable import TransitionModel

/// Property-based tests (swift-property-based): random inputs, shrunk to a small failing case.
@Suite("Scenario properties")
struct ScenarioPropertyTests {
    /// Turns one random unit number per parameter into `--set` overrides: a parameter is set
    /// when its first number is below 0.3, to a value drawn from its second within its range.
    static func overrides(_ pick: [Double], _ value: [Double]) -> [String] {
        var out: [String] = []
        for (k, spec) in ScenarioSchema.parameters.enumerated() where pick[k] < 0.3 {
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
            default:
                continue
            }
        }
        return out
    }

    @Test func randomValidScenariosRoundTripThroughTheResolvedForm() async {
        let n = ScenarioSchema.parameters.count
        await propertyCheck(count: 150, input: Gen.double(in: 0...1).array(of: n), Gen.double(in: 0...1).array(of: n)) { pick, value in
            // Cross-field refusals (e.g. kind shares that no longer sum to 1) are fine: skip them.
            guard let loaded = try? ScenarioLoader.defaults(overrides: Self.overrides(pick, value)) else { return }
            let again = try? ScenarioLoader.load(text: loaded.resolvedYAML, file: "resolved.yaml")
            #expect(again?.scenario == loaded.scenario)
            #expect(again?.sha256 == loaded.sha256)
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

    @Test func randomOverridesAreAcceptedOrRefusedWithTheKeyPath() async {
        let keys = ScenarioSchema.parameters.map(\.path)
        await propertyCheck(count: 300, input: Gen.element(of: keys), Gen.letterOrNumber.string(of: 0...8)) { key, value in
            guard let key else { return }
            do {
                _ = try ScenarioLoader.defaults(overrides: ["\(key)=\(value)"])
            } catch let error as ScenarioError {
                #expect(error.description.contains(key) || error.description.contains("--set"), "\(error.description)")
            } catch {
                Issue.record("unexpected error type: \(error)")
            }
        }
    }
}
