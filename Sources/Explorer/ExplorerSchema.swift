import Experiments
import Foundation
import TransitionModel

/// What the page needs to build its controls and charts, from the same schema that reads
/// scenario files: every parameter with its type, range, default and meaning; the main levers
/// with slider ranges; the presets; the series columns; the server's limits.
public enum ExplorerSchema {
    /// A main lever: a parameter shown as a slider (numbers), switch (true/false) or select
    /// (choices, suggested values), with the slider's range (the field beside it takes any value
    /// the schema allows).
    public struct Lever: Sendable {
        public var path: String
        public var slider: ClosedRange<Double>?
        public var step: Double?
        public var suggestions: [String]
        /// What the page calls it: a few plain words (the key and its meaning are in its help).
        public var label: String

        init(_ path: String, label: String, _ low: Double? = nil, _ high: Double? = nil, step: Double? = nil, suggestions: [String] = []) {
            self.path = path
            self.label = label
            self.slider = low.flatMap { l in high.map { l...$0 } }
            self.step = step
            self.suggestions = suggestions
        }
    }

    /// The levers on the main panel, grouped as docs/SCENARIOS.md groups parameters.
    public static let levers: [Lever] = [
        Lever("path.transform_existing", label: "existing workplaces vote"), Lever("path.allow_transfers", label: "state may take over refusing firms"),
        Lever("voting.rule", label: "voting rule", suggestions: ["consensus", "supermajority", "majority", "0.6", "0.75", "sortition", "{sortition: 5}"]),
        Lever("voting.blocking_level", label: "blocking level (consensus)", -3, 0, step: 0.05),
        Lever("voting.interval", label: "months between votes", 1, 24, step: 1),
        Lever("movement.base", label: "movement strength B", suggestions: ["0.5", "1", "1.5", "2", "{ramp: {from: 0.5, to: 2, start: 0, end: 120}}"]),
        Lever("movement.formulation", label: "momentum feedback"),
        Lever("movement.pending_cost", label: "momentum lost to pending disputes", 0, 0.1, step: 0.005),
        Lever("state.support", label: "state support L", suggestions: ["0", "0.5", "1", "{ramp: {from: 0.2, to: 1, start: 0, end: 60}}"]),
        Lever("opinion.coupling", label: "peer influence J", 0, 2, step: 0.05),
        Lever("opinion.w_solidarity", label: "weight of solidarity", 0, 2, step: 0.05),
        Lever("opinion.w_disruption", label: "aversion to disruption", 0, 3, step: 0.05),
        Lever("opinion.beta", label: "decisiveness of choices (β)", 0.1, 5, step: 0.1),
        Lever("influence.network", label: "influence network"),
        Lever("influence.mean_degree", label: "contacts per person", 1, 30, step: 1),
        Lever("influence.weight", label: "weight of the network", 0, 1, step: 0.05),
        Lever("new_firms.rate", label: "founding rate of new firms", 0, 1, step: 0.01),
        Lever("volunteers.alliance", label: "volunteers ally with workers"),
        Lever("shocks.enabled", label: "economic shocks"),
        Lever("crisis.enabled", label: "economic crisis"),
        Lever("crisis.abandon_rate", label: "firms abandoned in the crisis", 0, 0.05, step: 0.001),
        Lever("failure.recovery_attempt", label: "workers try to recover a failing firm", 0, 1, step: 0.01),
        Lever("failure.recovery_repertoire", label: "how recovery spreads", 0, 20, step: 0.5),
        Lever("failure.ratio_adopted", label: "adopted firms' hazard ratio", 0, 2, step: 0.05),
        Lever("failure.hostile_market", label: "hostile market", 0, 0.02, step: 0.0005),
        Lever("planning.enabled", label: "participatory planning"),
        Lever("planning.join_rate", label: "joining the planning federation", 0, 0.2, step: 0.005),
        Lever("pay_drift.coordinator_power", label: "coordinators' say on pay", 1, 20, step: 0.5),
        Lever("reform.pay_ceiling", label: "pay ceiling (× a worker's pay)", suggestions: ["0", "4", "{ramp: {from: 10, to: 4, start: 0, end: 120}}"]),
        Lever("reform.minimum_wage", label: "minimum income", suggestions: ["0", "1.2"]),
        Lever("reform.tax_rate", label: "tax rate above the threshold", suggestions: ["0", "0.4"]),
        Lever("reform.basic_income", label: "basic income", suggestions: ["0", "0.2"]),
        Lever("population.persons", label: "persons", 1_000, 100_000, step: 1_000),
        Lever("horizon", label: "months simulated", 12, 480, step: 12),
        Lever("seed", label: "seed", 0, 100, step: 1),
    ]

    /// The schema as a JSON object (see the page's explorer.js for its use).
    public static func json(catalogue: PresetCatalogue, limits: ExplorerLimits) -> [String: Any] {
        let defaults = Scenario()
        let parameters: [[String: Any]] = ScenarioSchema.parameters.map { spec in
            var p: [String: Any] = [
                "path": spec.path, "section": section(of: spec.path),
                "unit": spec.unit, "meaning": spec.meaning, "default": spec.render(defaults),
                "summary": spec.type.summary,
            ]
            switch spec.type {
            case let .number(lo, hi, open):
                p["type"] = "number"; p["min"] = finite(lo); p["max"] = finite(hi); p["min_exclusive"] = open
            case let .integer(lo, hi):
                p["type"] = "integer"; p["min"] = Double(lo); p["max"] = Double(hi)
            case .boolean: p["type"] = "boolean"
            case .choice(let words): p["type"] = "choice"; p["choices"] = words
            case .structured: p["type"] = "structured"
            }
            return p
        }
        let levers: [[String: Any]] = levers.map { lever in
            var l: [String: Any] = ["path": lever.path, "label": lever.label, "suggestions": lever.suggestions]
            if let r = lever.slider { l["slider"] = [r.lowerBound, r.upperBound] }
            if let s = lever.step { l["step"] = s }
            return l
        }
        let presets: [[String: Any]] = catalogue.presets.map {
            ["name": $0.name, "summary": $0.summary, "persons": $0.persons, "within_limits": $0.persons <= limits.maxPersons]
        }
        return [
            "sections": sections, "parameters": parameters, "levers": levers, "presets": presets,
            "columns": MetricsRecord.columns.map { ["name": $0.name, "meaning": $0.meaning] },
            "states": WorkplaceSnapshot.State.allCases.map(\.label),
            "classes": WorkplaceSnapshot.classes.map(\.label),
            "limits": [
                "persons": limits.maxPersons, "replicates": limits.maxReplicates, "horizon": limits.maxHorizon,
                "runs": limits.maxRuns, "body": limits.maxBody,
            ],
        ]
    }

    /// Every parameter's value in a scenario, as the controls show it (YAML flow text).
    public static func values(of scenario: Scenario) -> [String: String] {
        Dictionary(uniqueKeysWithValues: ScenarioSchema.parameters.map { ($0.path, $0.render(scenario)) })
    }

    /// A parameter's group, as docs/SCENARIOS.md groups them: its first key, or "general" for
    /// top-level keys (name, horizon, seed, generator).
    static func section(of path: String) -> String {
        path.contains(".") ? String(path.prefix { $0 != "." }) : "general"
    }

    /// The groups in documentation order.
    static var sections: [String] {
        var seen: [String] = []
        for p in ScenarioSchema.parameters where !seen.contains(section(of: p.path)) { seen.append(section(of: p.path)) }
        return seen
    }

    private static func finite(_ x: Double) -> Any { x.isFinite ? x : NSNull() }
}
