/// What the model itself requires of a scenario, checked when a ``Simulation`` is built: a
/// scenario made in code never reaches a GSL precondition (a trap) with a value the scenario
/// loader would have refused. The loader checks more (and says where in the file); this is the
/// model's own boundary.
extension Scenario {
    /// The first violated requirement, as "key.path: what is wrong", or nil.
    public func violatedInvariant() -> String? {
        func positive(_ x: Double, _ key: String) -> String? {
            x > 0 && x.isFinite ? nil : "\(key) must be a finite number above 0, got \(x)"
        }
        func share(_ x: Double, _ key: String) -> String? { x >= 0 && x <= 1 ? nil : "\(key) must lie in [0, 1], got \(x)" }
        let p = population, o = opinion, s = solidarity
        let checks: [String?] = [
            population.persons >= 10 ? nil : "population.persons must be at least 10, got \(population.persons)",
            horizon >= 0 ? nil : "horizon must be 0 or more months, got \(horizon)",
            share(p.privateShare, "population.private_share"), share(p.stateShare, "population.state_share"),
            share(p.cooperativeShare, "population.cooperative_share"), share(p.p2pShare, "population.p2p_share"),
            abs(p.privateShare + p.stateShare + p.cooperativeShare + p.p2pShare - 1) <= 1e-6
                ? nil : "population: the workplace kind shares must sum to 1",
            share(p.coordinatorShare, "population.coordinator_share"),
            p.sizeMedian >= 1 && p.sizeMedian.isFinite ? nil : "population.size_median must be at least 1, got \(p.sizeMedian)",
            p.sizeSigma >= 0 && p.sizeSigma.isFinite ? nil : "population.size_sigma must be 0 or more, got \(p.sizeSigma)",
            p.sizeMax >= 1 ? nil : "population.size_max must be at least 1, got \(p.sizeMax)",
            p.neighbourhoodSize >= 1 ? nil : "population.neighbourhood_size must be at least 1, got \(p.neighbourhoodSize)",
            positive(o.beta, "opinion.beta"), share(o.revisionRate, "opinion.revision_rate"),
            positive(o.aversionA, "opinion.aversion_a"), positive(o.aversionB, "opinion.aversion_b"),
            positive(s.workerA, "solidarity.worker_a"), positive(s.workerB, "solidarity.worker_b"),
            positive(s.coordinatorA, "solidarity.coordinator_a"), positive(s.coordinatorB, "solidarity.coordinator_b"),
            positive(s.volunteerA, "solidarity.volunteer_a"), positive(s.volunteerB, "solidarity.volunteer_b"),
            // σ stays in [0, 1] only with rates in [0, 1]; its fixed point (GroupCounts.fixed) relies on it.
            share(s.riseRate, "solidarity.rise_rate"), share(s.returnRate, "solidarity.return_rate"),
            positive(shocks.meanInterval, "shocks.mean_interval"),
            newFirms.sizeMedian >= 1 && newFirms.sizeMedian.isFinite
                ? nil : "new_firms.size_median must be at least 1, got \(newFirms.sizeMedian)",
            newFirms.sizeSigma >= 0 && newFirms.sizeSigma.isFinite
                ? nil : "new_firms.size_sigma must be 0 or more, got \(newFirms.sizeSigma)",
            newFirms.rate >= 0 && newFirms.rate.isFinite ? nil : "new_firms.rate must be 0 or more, got \(newFirms.rate)",
            newFirms.growthRate >= 0 && newFirms.growthRate.isFinite
                ? nil : "new_firms.growth_rate must be 0 or more, got \(newFirms.growthRate)",
            influence.meanDegree >= 0 && influence.meanDegree.isFinite
                ? nil : "influence.mean_degree must be 0 or more, got \(influence.meanDegree)",
            share(influence.weight, "influence.weight"), share(influence.rewiring, "influence.rewiring"),
            reform.payCeiling.maximum <= 0 || reform.payCeiling.minimum >= 1
                ? nil
                : "reform.pay_ceiling: the highest pay as a multiple of a worker's must be at least 1 whenever a ceiling is set (0 means none), got a schedule from \(reform.payCeiling.minimum) to \(reform.payCeiling.maximum)",
            reform.basicIncome.maximum <= 0 || reform.taxRate.maximum > 0
                ? nil
                : "reform.basic_income: a basic income needs a tax to finance it (reform.tax_rate is 0 throughout)",
            reform.payCeiling.maximum <= 0 || reform.minimumWage.maximum <= reform.payCeiling.minimum * pay.worker
                ? nil
                : "reform.minimum_wage (up to \(reform.minimumWage.maximum)) must not exceed the pay ceiling (\(reform.payCeiling.minimum) × pay.worker)",
            influence.network == .none || influence.meanDegree < Double(population.persons - 1)
                ? nil : "influence.mean_degree (\(influence.meanDegree)) must be below the \(population.persons - 1) others there are",
        ]
        return checks.lazy.compactMap { $0 }.first
    }
}
