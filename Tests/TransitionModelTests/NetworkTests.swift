import Foundation
import Stochastic
import Testing
@testable import TransitionModel

@Suite("Influence networks")
struct NetworkTests {
    func stream(_ seed: UInt64 = 3) -> RandomStream { RandomStream(seed: seed, stream: 0) }

    /// A graph, not a multigraph: symmetric, sorted neighbour lists, no self-ties, no repeats.
    func expectSimpleGraph(_ g: InfluenceNetwork, _ label: String) {
        var ok = true
        for i in 0..<g.persons {
            let row = Array(g.neighbours(of: i))
            if row.contains(Int32(i)) || row != row.sorted() || Set(row).count != row.count { ok = false; break }
            for j in row where !g.neighbours(of: Int(j)).contains(Int32(i)) { ok = false; break }
        }
        #expect(ok, "\(label): not a simple undirected graph")
    }

    @Test func erdosRenyiHasTheAskedMeanDegreeAndPoissonSpread() {
        let g = InfluenceNetwork.erdosRenyi(persons: 20_000, meanDegree: 6, stream: stream())
        expectSimpleGraph(g, "ER")
        #expect(abs(g.meanDegree - 6) < 0.1, "\(g.meanDegree)")
        let degrees = (0..<g.persons).map { Double(g.degree($0)) }
        let variance = degrees.map { ($0 - g.meanDegree) * ($0 - g.meanDegree) }.reduce(0, +) / Double(degrees.count)
        #expect(abs(variance - 6) < 0.4, "Poisson: variance ≈ mean, got \(variance)")
        #expect(abs(g.bytesPerPerson - (4 + 4 * g.meanDegree)) < 0.01)
    }

    @Test func randomRegularGivesEveryoneAlmostTheSameDegree() {
        let g = InfluenceNetwork.randomRegular(persons: 10_001, meanDegree: 10, stream: stream())
        expectSimpleGraph(g, "regular")
        let degrees = (0..<g.persons).map(g.degree)
        #expect(degrees.allSatisfy { $0 <= 10 && $0 >= 6 } && Double(degrees.filter { $0 == 10 }.count) / Double(g.persons) > 0.99)
    }

    @Test func wattsStrogatzIsARingThatRewiringRandomises() {
        let ring = InfluenceNetwork.wattsStrogatz(persons: 5_000, meanDegree: 10, rewiring: 0, stream: stream())
        expectSimpleGraph(ring, "ring")
        #expect((0..<ring.persons).allSatisfy { ring.degree($0) == 10 })
        #expect(ring.neighbours(of: 0).contains(4_999) && ring.neighbours(of: 0).contains(5) && !ring.neighbours(of: 0).contains(6))
        let clustering = { (g: InfluenceNetwork) -> Double in
            var total = 0.0
            for i in stride(from: 0, to: g.persons, by: 10) {
                let row = Array(g.neighbours(of: i)), k = row.count
                guard k >= 2 else { continue }
                var links = 0
                for a in 0..<k { for b in (a + 1)..<k where g.neighbours(of: Int(row[a])).contains(row[b]) { links += 1 } }
                total += Double(links) / Double(k * (k - 1) / 2)
            }
            return total / Double(g.persons / 10)
        }
        let small = InfluenceNetwork.wattsStrogatz(persons: 5_000, meanDegree: 10, rewiring: 0.1, stream: stream())
        expectSimpleGraph(small, "small world")
        // Ring lattice C = 3(K − 1)/(2(2K − 1)) = 2/3 for K = 5; rewiring β keeps about C(0)(1 − β)³.
        #expect(abs(clustering(ring) - 2.0 / 3) < 0.01)
        #expect(abs(clustering(small) - 2.0 / 3 * pow(0.9, 3)) < 0.05)
        #expect(clustering(InfluenceNetwork.wattsStrogatz(persons: 5_000, meanDegree: 10, rewiring: 1, stream: stream())) < 0.02)
    }

    @Test func barabasiAlbertGrowsHubs() {
        let g = InfluenceNetwork.barabasiAlbert(persons: 20_000, meanDegree: 6, stream: stream())
        expectSimpleGraph(g, "BA")
        let degrees = (0..<g.persons).map(g.degree)
        #expect(degrees.min()! >= 3 && abs(g.meanDegree - 6) < 0.05)
        #expect(Double(degrees.max()!) > 15 * g.meanDegree, "hubs: max degree \(degrees.max()!)")
    }

    @Test func theSameSeedBuildsTheSameGraph() {
        #expect(
            InfluenceNetwork.barabasiAlbert(persons: 3_000, meanDegree: 4, stream: stream(9))
                == InfluenceNetwork.barabasiAlbert(persons: 3_000, meanDegree: 4, stream: stream(9)))
        #expect(
            InfluenceNetwork.erdosRenyi(persons: 3_000, meanDegree: 4, stream: stream(9))
                != InfluenceNetwork.erdosRenyi(persons: 3_000, meanDegree: 4, stream: stream(10)))
    }

    /// Watts (2002): with φ = 0.18, single seeds start global cascades only for 1 < z < ~5.8.
    @Test func cascadesHappenOnlyInsideWattssWindow() {
        let f = { (z: Double) in NetworkCascade.globalCascadeFrequency(persons: 5_000, meanDegree: z, threshold: 0.18, trials: 40, seed: 1)
        }
        #expect(f(0.6) <= 0.025 && f(8) <= 0.025)
        #expect(f(2) >= 0.3 && f(4) >= 0.3)
    }

    /// Synchronous: a stance changed in month t is seen by neighbours only in month t + 1, so the
    /// results cannot depend on which chunk of persons is updated first, nor on the threads.
    @Test(arguments: [NetworkKind.wattsStrogatz, .federation])
    func networkRunsAreIndependentOfThreads(kind: NetworkKind) throws {
        var s = Scenario()
        s.population.persons = 40_000  // three chunks
        s.horizon = 24
        s.influence.network = kind; s.influence.meanDegree = 8; s.influence.weight = 0.8
        var series: [[MetricsRecord]] = []
        for threads in [1, 2] {
            var rows: [MetricsRecord] = []
            try Simulation(scenario: s, seed: 5, threads: threads).run { rows.append($0) }
            series.append(rows)
        }
        #expect(series[0] == series[1])
        var plain = s; plain.influence.network = .none
        var rows: [MetricsRecord] = []
        try Simulation(scenario: plain, seed: 5).run { rows.append($0) }
        #expect(rows != series[0], "the network changes who influences whom")
    }

    /// The seam: each structure's m is what its definition says, read from the counts and
    /// stances by hand, and a blend mixes the groups' m with the ties' by `influence.weight`.
    @Test(arguments: [NetworkKind.none, .wattsStrogatz, .federation])
    func eachInfluenceGivesThePeerShareItsDefinitionSays(kind: NetworkKind) throws {
        var s = smallScenario(persons: 3_000, horizon: 6)
        s.influence.network = kind; s.influence.meanDegree = 6; s.influence.weight = 0.3
        let sim = try Simulation(scenario: s, seed: 9)
        sim.run()
        let c = sim.counts, flags = sim.population.flags
        let influence = sim.influence(stances: flags, counts: c)
        let plain = GroupInfluence(counts: c, workplaceWeight: s.opinion.workplaceWeight)
        let packed = PackedGroupInfluence(plain)
        var checked = 0
        for i in stride(from: 0, to: sim.population.count, by: 7)
        where flags[i] & Population.Flag.active != 0 && sim.population.personClass[i] != .owner {
            let w = Int(sim.population.workplace[i]), n = Int(sim.population.neighbourhood[i])
            for k in 0..<2 {
                let own = Int32((flags[i] >> UInt8(k)) & 1)
                let ws = Double(c.workplaceSupport[k][w] - own), wm = Double(c.workplaceMembers[w] - 1)
                let ns = Double(c.neighbourhoodSupport[k][n] - own), nm = Double(c.neighbourhoodMembers[n] - 1)
                let groups: Double =
                    wm > 0 && nm > 0
                    ? s.opinion.workplaceWeight * ws / wm + (1 - s.opinion.workplaceWeight) * ns / nm
                    : wm > 0 ? ws / wm : nm > 0 ? ns / nm : 0.5
                #expect(
                    packed.peerShare(of: i, k, flags: flags[i], workplace: w, neighbourhood: n)
                        == plain.peerShare(of: i, k, flags: flags[i], workplace: w, neighbourhood: n), "packed counts, person \(i)")
                #expect(abs(plain.peerShare(of: i, k, flags: flags[i], workplace: w, neighbourhood: n) - groups) < 1e-12)
                var expected = groups
                if let g = sim.network {
                    var support = 0.0, members = 0.0
                    if kind == .federation {
                        for p in g.neighbours(of: w) {
                            support += Double(c.workplaceSupport[k][Int(p)]); members += Double(c.workplaceMembers[Int(p)])
                        }
                    } else {
                        for j in g.neighbours(of: i) where flags[Int(j)] & Population.Flag.active != 0 {
                            members += 1; support += Double((flags[Int(j)] >> UInt8(k)) & 1)
                        }
                    }
                    expected = 0.7 * groups + 0.3 * (members > 0 ? support / members : 0.5)
                }
                let m = influence.peerShare(of: i, k, flags: flags[i], workplace: w, neighbourhood: n)
                #expect(abs(m - expected) < 1e-12, "person \(i), k \(k): \(m) vs \(expected)")
                checked += 1
            }
        }
        #expect(checked > 500)
        if kind == .federation {
            let g = try #require(sim.network)
            #expect(g.persons == sim.initialWorkplaceCount, "a federation ties the workplaces of month 0")
            #expect(abs(g.meanDegree - 6) < 0.5)
        }
    }

    /// A federation cannot have more partners per workplace than there are other workplaces:
    /// refused with the key's name, not silently capped.
    @Test func aFederationWiderThanTheEconomyIsRefusedByName() throws {
        var s = smallScenario(persons: 500, horizon: 2)
        s.influence.network = .federation; s.influence.meanDegree = 400
        #expect { try Simulation(scenario: s, seed: 1) } throws: { error in
            "\(error)".contains("influence.mean_degree (400.0) must be at most the") && "\(error)".contains("other workplaces")
        }
        s.influence.meanDegree = 2
        #expect(throws: Never.self) { try Simulation(scenario: s, seed: 1) }
    }

    /// A federation of firms in which every workplace has many partners is close to the mean
    /// field: a person's network peers are a large random sample of the workforce.
    @Test func aWideFederationMatchesTheMeanFieldEquation() throws {
        var s = meanFieldScenario()
        s.influence.network = .federation; s.influence.meanDegree = 60; s.influence.weight = 1
        let share = try meanSupport(s, seed: 4)
        #expect(abs(share - meanFieldShare()) < 0.02, "\(share) vs \(meanFieldShare())")
        // Without the federation the same weight reads 0.5 (nobody has partners): support is
        // then set by the field alone, and the equation does not hold.
        s.influence.meanDegree = 0
        #expect(abs(try meanSupport(s, seed: 4) - meanFieldShare()) > 0.05)
    }

    func meanFieldScenario() -> Scenario {
        var s = Scenario()
        s.horizon = 300
        s.population.persons = 20_000
        s.population.privateShare = 0; s.population.stateShare = 0; s.population.p2pShare = 0
        s.population.cooperativeShare = 1
        s.population.coordinatorShare = 0
        s.opinion.beta = 1; s.opinion.revisionRate = 0.2; s.opinion.fieldWorker = [0.2, 0.2]; s.opinion.coupling = 0.5
        s.opinion.wSolidarity = 0; s.opinion.wMovement = 0; s.opinion.wDemonstration = 0
        s.opinion.wDisruption = 0; s.opinion.wExperience = 0; s.opinion.wSelf = 0
        s.opinion.initial = .fixed(share: 0.5)
        s.councils.rollout = .none; s.workersCouncils.enabled = false; s.newFirms.enabled = false
        return s
    }

    /// Workers' mean BJC support after month 200.
    func meanSupport(_ s: Scenario, seed: UInt64) throws -> Double {
        let sim = try Simulation(scenario: s, seed: seed)
        var total = 0.0, n = 0
        sim.run { m in if m.month > 200 { total += m.supportWorkerBJC; n += 1 } }
        return total / Double(n)
    }

    /// The mean-field equation's share: x = tanh(β(h + J·x)), share (1 + x)/2.
    func meanFieldShare() -> Double {
        var x = 0.0
        for _ in 0..<10_000 { x = tanh(1 * (0.2 + 0.5 * x)) }
        return (1 + x) / 2
    }

    /// The mean-field reduction holds on a dense random graph: with the network as the only
    /// peers, m is the share among ~60 random others, close to the whole population's.
    @Test func denseRandomNetworkMatchesTheMeanFieldEquation() throws {
        var s = meanFieldScenario()
        s.influence.network = .erdosRenyi; s.influence.meanDegree = 60; s.influence.weight = 1
        let share = try meanSupport(s, seed: 4)
        #expect(abs(share - meanFieldShare()) < 0.02, "\(share) vs \(meanFieldShare())")
    }
}

@Suite("The model's own boundary")
struct ScenarioInvariantTests {
    /// A scenario made in code with a value the loader would refuse gets an error that names the
    /// key, not a trap in a GSL precondition.
    @Test(arguments: [
        "opinion.aversion_a", "solidarity.worker_b", "population.size_sigma", "population: the workplace kind shares",
        "opinion.beta", "shocks.mean_interval", "influence.mean_degree",
    ])
    func invalidValuesAreRefusedByName(key: String) {
        var s = Scenario(); s.population.persons = 1_000
        switch key {
        case "opinion.aversion_a": s.opinion.aversionA = 0
        case "solidarity.worker_b": s.solidarity.workerB = -1
        case "population.size_sigma": s.population.sizeSigma = -0.5
        case "opinion.beta": s.opinion.beta = .nan
        case "shocks.mean_interval": s.shocks.meanInterval = 0
        case "influence.mean_degree": s.influence.network = .erdosRenyi; s.influence.meanDegree = 5_000
        default: s.population.privateShare = 0.9
        }
        do {
            _ = try Simulation(scenario: s, seed: 1)
            Issue.record("\(key): accepted")
        } catch {
            #expect(error.description.hasPrefix(key), "\(error.description)")
        }
    }

    @Test func theDefaultsMeetEveryRequirement() { #expect(Scenario().violatedInvariant() == nil) }
}
