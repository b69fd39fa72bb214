import CTruncation
import Dispatch

/// Group sizes and supporter counts, from one counting pass over persons.
///
/// Only active persons who are not owners count in the groups: owners are not part of the
/// workforce and never vote. The pass runs over the fixed chunks of persons on all threads,
/// each worker into its own tallies; every tally is an integer (sums of pay, effort and
/// solidarity in fixed point, units of 2⁻²⁰), so merging in any order gives identical numbers
/// whatever the thread count.
struct GroupCounts {
    var workplaceMembers: [Int32] = []
    var workplaceSupport: [[Int32]] = [[], []]
    var neighbourhoodMembers: [Int32] = []
    var neighbourhoodSupport: [[Int32]] = [[], []]
    /// Open workplaces located in each neighbourhood, and those demonstrating each institution
    /// (adopted and, for BJC, past training).
    var neighbourhoodWorkplaces: [Int32] = []
    var neighbourhoodDemonstrating: [[Int32]] = [[], []]
    /// Members supporting both institutions, per workplace.
    var workplaceBoth: [Int32] = []
    /// Economy-wide tallies: the movement's base (workers, coordinators and allied volunteers)
    /// and its supporting stances; volunteers and allied volunteers.
    var movementPersons = 0, movementStances = 0, volunteers = 0, alliedVolunteers = 0
    /// Per workplace: conventional wage bill and summed effort of the members, in fixed point.
    var workplaceWageFixed: [Int64] = []
    var workplaceEffortFixed: [Int64] = []
    var workplaceWageBill: [Double] { workplaceWageFixed.map { Double($0) / Self.fixedScale } }
    var workplaceEffort: [Double] { workplaceEffortFixed.map { Double($0) / Self.fixedScale } }
    /// Active persons per workplace and class (index workplace·4 + class; owners included):
    /// everyone's income under conventional pay follows from these counts alone.
    var workplaceClassMembers: [Int32] = []
    /// Active persons by class (owners included), supporters by class (index class·2 + k),
    /// persons supporting both, and the coordinators' summed solidarity.
    var classCount = [0, 0, 0, 0]
    var classSupport = [0, 0, 0, 0, 0, 0, 0, 0]
    var supportBoth = 0
    var coordinatorSolidarityFixed: Int64 = 0
    var coordinatorSolidarity: Double { Double(coordinatorSolidarityFixed) / Self.fixedScale }

    /// Whether volunteers with social concern are allied (a scenario switch).
    var alliance = false
    /// Conventional pay by class, for the wage bills.
    var conventionalPay: [Double] = [0, 0, 0, 0]

    static let fixedScale = Double(1 << 20)

    /// `x` in fixed point: the same number as `Int64(Double(x) * fixedScale)`, without the
    /// conversion's range check, for the loops that convert every person's value. That check
    /// guards |x| < 2⁴³; a person's values are far inside it (a solidarity lies in [0, 1]: it
    /// starts as a beta draw and moves by convex steps, the rates in [0, 1]; an effort is
    /// max(0.05, a normal draw around 1)). Debug builds, which the tests use, assert |x| < 2⁴²;
    /// in release builds a value outside the range would give an undefined number, not a trap.
    @inline(__always)
    static func fixed(_ x: Float) -> Int64 {
        assert(abs(x) < 0x1p42, "a fixed-point person value must lie inside ±2⁴² (got \(x))")
        return parecon_truncate(Double(x) * fixedScale)
    }

    /// One worker's tallies, in raw buffers (the counting loop is the model's hottest serial
    /// code: no uniqueness or bounds checks inside it).
    final class Partial {
        let w: Int, h: Int
        let members, supportB, supportP, both, homeMembers, homeB, homeP: UnsafeMutableBufferPointer<Int32>
        let wage, effort: UnsafeMutableBufferPointer<Int64>
        /// Persons per workplace and class (index workplace·4 + class).
        let byClass: UnsafeMutableBufferPointer<Int32>
        var classCount = [Int](repeating: 0, count: 4), classSupport = [Int](repeating: 0, count: 8)
        var supportBoth = 0, movementPersons = 0, movementStances = 0, volunteers = 0, allied = 0
        var coordinatorSolidarity: Int64 = 0

        init(workplaces w: Int, homes h: Int) {
            self.w = w; self.h = h
            func zeros32(_ n: Int) -> UnsafeMutableBufferPointer<Int32> {
                let b = UnsafeMutableBufferPointer<Int32>.allocate(capacity: n); b.initialize(repeating: 0); return b
            }
            func zeros64(_ n: Int) -> UnsafeMutableBufferPointer<Int64> {
                let b = UnsafeMutableBufferPointer<Int64>.allocate(capacity: n); b.initialize(repeating: 0); return b
            }
            members = zeros32(w); supportB = zeros32(w); supportP = zeros32(w); both = zeros32(w)
            homeMembers = zeros32(h); homeB = zeros32(h); homeP = zeros32(h)
            wage = zeros64(w); effort = zeros64(w)
            byClass = zeros32(4 * w)
        }

        deinit {
            for b in [members, supportB, supportP, both, homeMembers, homeB, homeP, byClass] { b.deallocate() }
            wage.deallocate(); effort.deallocate()
        }

        func add(_ o: Partial) {
            for j in 0..<w where o.members[j] != 0 {
                members[j] &+= o.members[j]; supportB[j] &+= o.supportB[j]; supportP[j] &+= o.supportP[j]
                both[j] &+= o.both[j]; wage[j] &+= o.wage[j]; effort[j] &+= o.effort[j]
            }
            for j in 0..<(4 * w) where o.byClass[j] != 0 { byClass[j] &+= o.byClass[j] }
            for n in 0..<h where o.homeMembers[n] != 0 {
                homeMembers[n] &+= o.homeMembers[n]; homeB[n] &+= o.homeB[n]; homeP[n] &+= o.homeP[n]
            }
            for c in 0..<4 { classCount[c] += o.classCount[c] }
            for c in 0..<8 { classSupport[c] += o.classSupport[c] }
            supportBoth += o.supportBoth; movementPersons += o.movementPersons; movementStances += o.movementStances
            volunteers += o.volunteers; allied += o.allied; coordinatorSolidarity &+= o.coordinatorSolidarity
        }

        /// Counts `range` of persons.
        func tally(
            _ range: Range<Int>, flags: UnsafeBufferPointer<UInt8>, classes: UnsafeBufferPointer<PersonClass>,
            work: UnsafeBufferPointer<Int32>, home: UnsafeBufferPointer<Int32>, effortOf: UnsafeBufferPointer<Float>,
            sigma: UnsafeBufferPointer<Float>, pay: (Int64, Int64, Int64, Int64), alliance: Bool
        ) {
            var cc = (0, 0, 0, 0), sb = (0, 0, 0, 0), sp = (0, 0, 0, 0)
            var supportBoth = 0, movementPersons = 0, movementStances = 0, volunteers = 0, allied = 0
            var solidarity: Int64 = 0
            for i in range {
                let f = flags[i]
                if f & Population.Flag.active == 0 { continue }
                let cls = classes[i]
                let b = Int32(f & 1), p = Int32((f >> 1) & 1)
                let wi = Int(work[i])
                byClass[wi &<< 2 | Int(cls.rawValue)] &+= 1
                let payOf: Int64
                switch cls {
                case .owner: cc.2 += 1; continue
                case .worker: cc.0 += 1; sb.0 += Int(b); sp.0 += Int(p); payOf = pay.0
                case .coordinator:
                    cc.1 += 1; sb.1 += Int(b); sp.1 += Int(p); payOf = pay.1
                    solidarity &+= GroupCounts.fixed(sigma[i])
                case .volunteer: cc.3 += 1; sb.3 += Int(b); sp.3 += Int(p); payOf = pay.3
                }
                let ni = Int(home[i])
                members[wi] &+= 1; supportB[wi] &+= b; supportP[wi] &+= p; both[wi] &+= b & p
                homeMembers[ni] &+= 1; homeB[ni] &+= b; homeP[ni] &+= p
                supportBoth &+= Int(b & p)
                wage[wi] &+= payOf
                effort[wi] &+= GroupCounts.fixed(effortOf[i])
                if cls == .volunteer {
                    volunteers &+= 1
                    guard alliance && f & Population.Flag.socialConcern != 0 else { continue }
                    allied &+= 1
                }
                movementPersons &+= 1
                movementStances &+= Int(b + p)
            }
            classCount[0] += cc.0; classCount[1] += cc.1; classCount[2] += cc.2; classCount[3] += cc.3
            classSupport[0] += sb.0; classSupport[1] += sp.0; classSupport[2] += sb.1; classSupport[3] += sp.1
            classSupport[6] += sb.3; classSupport[7] += sp.3
            self.supportBoth += supportBoth; self.movementPersons += movementPersons
            self.movementStances += movementStances; self.volunteers += volunteers; self.allied += allied
            coordinatorSolidarity &+= solidarity
        }
    }

    mutating func recount(_ pop: Population, _ wps: Workplaces, neighbourhoods: Int, threads: Int = 1) {
        let w = wps.count
        let n = pop.count
        let size = Simulation.chunkSize
        let chunks = (n + size - 1) / size
        let workers = max(1, min(threads, chunks))
        let fixed = conventionalPay.map { Int64($0 * Self.fixedScale) }
        let pay = (fixed[0], fixed[1], fixed[2], fixed[3])
        let alliance = self.alliance
        let partials = (0..<workers).map { _ in Partial(workplaces: w, homes: neighbourhoods) }
        withBuffers(pop.flags, pop.personClass, pop.workplace, pop.neighbourhood, pop.effort, pop.solidarity) {
            flags, classes, work, home, effort, sigma in
            let body = { (worker: Int) in
                var c = worker
                while c < chunks {
                    partials[worker].tally(
                        c * size..<min(n, (c + 1) * size), flags: flags, classes: classes, work: work,
                        home: home, effortOf: effort, sigma: sigma, pay: pay, alliance: alliance)
                    c += workers
                }
            }
            onWorkers(workers, body)  // each worker writes only its own partial tallies
        }
        let total = partials[0]
        for k in 1..<workers { total.add(partials[k]) }

        workplaceMembers = Array(total.members); workplaceSupport = [Array(total.supportB), Array(total.supportP)]
        workplaceBoth = Array(total.both)
        neighbourhoodMembers = Array(total.homeMembers); neighbourhoodSupport = [Array(total.homeB), Array(total.homeP)]
        workplaceWageFixed = Array(total.wage)
        workplaceEffortFixed = Array(total.effort)
        workplaceClassMembers = Array(total.byClass)
        classCount = total.classCount; classSupport = total.classSupport; supportBoth = total.supportBoth
        coordinatorSolidarityFixed = total.coordinatorSolidarity
        movementPersons = total.movementPersons; movementStances = total.movementStances
        volunteers = total.volunteers; alliedVolunteers = total.allied
        recountWorkplaces(wps, neighbourhoods: neighbourhoods)
    }

    /// The workplace-level tallies (open workplaces and demonstrations per neighbourhood): O(workplaces).
    mutating func recountWorkplaces(_ wps: Workplaces, neighbourhoods: Int) {
        let w = wps.count
        neighbourhoodWorkplaces = [Int32](repeating: 0, count: neighbourhoods)
        neighbourhoodDemonstrating = [[Int32](repeating: 0, count: neighbourhoods), [Int32](repeating: 0, count: neighbourhoods)]
        for j in 0..<w where wps.open[j] {
            let n = Int(wps.neighbourhood[j])
            neighbourhoodWorkplaces[n] += 1
            if wps.adoptedSince[0][j] >= 0 && wps.trainingLeft[j] == 0 { neighbourhoodDemonstrating[0][n] += 1 }
            if wps.adoptedSince[1][j] >= 0 { neighbourhoodDemonstrating[1][n] += 1 }
        }
    }

    /// Brings the supporter counts up to date after the opinion phase changed the stances of
    /// the persons in `lists` (active non-owners; each with its flags before and after, its groups
    /// and class, so that nothing is looked up per person): O(changes), not a recount.
    mutating func applyStanceChanges(_ lists: [[StanceChange]]) {
        let alliance = self.alliance
        // The count arrays moved out while they are written, through buffers: they may still
        // be shared with the month's copy of the counts (the owners' revision reads it), so
        // each is made unique once instead of being checked at every change. Integer
        // increments: the order of the changes does not matter.
        var wb = workplaceSupport[0], wp = workplaceSupport[1], nb = neighbourhoodSupport[0], np = neighbourhoodSupport[1]
        var wBoth = workplaceBoth
        workplaceSupport = [[], []]; neighbourhoodSupport = [[], []]; workplaceBoth = []
        var classes = classSupport, both = 0, movement = 0
        withMutableBuffers(&wb, &wp, &wBoth) { wb, wp, wBoth in
            withMutableBuffers(&nb, &np, &classes) { nb, np, classes in
                for list in lists { for c in list {
                    let w = Int(c.workplace), n = Int(c.neighbourhood), ci = Int(c.personClass.rawValue)
                    let f0 = c.old, f1 = c.new
                    let db = Int32(f1 & 1) - Int32(f0 & 1), dp = Int32((f1 >> 1) & 1) - Int32((f0 >> 1) & 1)
                    let dboth = Int32(f1 & 3 == 3 ? 1 : 0) - Int32(f0 & 3 == 3 ? 1 : 0)
                    precondition(w < wb.count && n < nb.count, "a stance change names a workplace and neighbourhood of the counts")
                    wb[w] += db; wp[w] += dp; wBoth[w] += dboth
                    nb[n] += db; np[n] += dp
                    classes[2 * ci] += Int(db); classes[2 * ci + 1] += Int(dp)
                    both += Int(dboth)
                    if c.personClass != .volunteer || (alliance && f1 & Population.Flag.socialConcern != 0) {
                        movement += Int(db + dp)
                    }
                } }
            }
        }
        workplaceSupport = [wb, wp]; neighbourhoodSupport = [nb, np]; workplaceBoth = wBoth
        classSupport = classes; supportBoth += both; movementStances += movement
    }

    // MARK: incremental bookkeeping between full recounts

    /// Fixed-point pay and effort of one person, as the recount adds them.
    @inline(__always)
    func fixedPay(_ c: PersonClass) -> Int64 { Int64(conventionalPay[Int(c.rawValue)] * Self.fixedScale) }

    /// An active person moved from workplace `from` to `to` (an owner counts only in the
    /// per-class counts: owners are outside the groups).
    mutating func personMoved(flags f: UInt8, personClass c: PersonClass, effort: Float, from: Int, to: Int) {
        guard f & Population.Flag.active != 0 else { return }
        workplaceClassMembers[from &<< 2 | Int(c.rawValue)] -= 1
        workplaceClassMembers[to &<< 2 | Int(c.rawValue)] += 1
        guard c != .owner else { return }
        let b = Int32(f & 1), p = Int32((f >> 1) & 1)
        let pay = fixedPay(c), e = Self.fixed(effort)
        workplaceMembers[from] -= 1; workplaceSupport[0][from] -= b; workplaceSupport[1][from] -= p
        workplaceBoth[from] -= b & p; workplaceWageFixed[from] -= pay; workplaceEffortFixed[from] -= e
        workplaceMembers[to] += 1; workplaceSupport[0][to] += b; workplaceSupport[1][to] += p
        workplaceBoth[to] += b & p; workplaceWageFixed[to] += pay; workplaceEffortFixed[to] += e
    }

    /// An active person left the economy.
    mutating func personRemoved(
        flags f: UInt8, personClass c: PersonClass, effort: Float, solidarity: Float,
        workplace w: Int, neighbourhood n: Int
    ) {
        guard f & Population.Flag.active != 0 else { return }
        let ci = Int(c.rawValue)
        classCount[ci] -= 1
        workplaceClassMembers[w &<< 2 | ci] -= 1
        guard c != .owner else { return }
        let b = Int32(f & 1), p = Int32((f >> 1) & 1)
        workplaceMembers[w] -= 1; workplaceSupport[0][w] -= b; workplaceSupport[1][w] -= p; workplaceBoth[w] -= b & p
        workplaceWageFixed[w] -= fixedPay(c); workplaceEffortFixed[w] -= Self.fixed(effort)
        neighbourhoodMembers[n] -= 1; neighbourhoodSupport[0][n] -= b; neighbourhoodSupport[1][n] -= p
        classSupport[2 * ci] -= Int(b); classSupport[2 * ci + 1] -= Int(p); supportBoth -= Int(b & p)
        if c == .coordinator { coordinatorSolidarityFixed -= Self.fixed(solidarity) }
        if c == .volunteer {
            volunteers -= 1
            guard alliance && f & Population.Flag.socialConcern != 0 else { return }
            alliedVolunteers -= 1
        }
        movementPersons -= 1
        movementStances -= Int(b + p)
    }

    /// A workplace was created (it starts empty).
    mutating func workplaceAdded() {
        workplaceMembers.append(0); workplaceSupport[0].append(0); workplaceSupport[1].append(0)
        workplaceBoth.append(0); workplaceWageFixed.append(0); workplaceEffortFixed.append(0)
        workplaceClassMembers.append(contentsOf: [0, 0, 0, 0])
    }

    /// Whether the person-level tallies equal those of `other` (a full recount): a check that
    /// the incremental bookkeeping is exact.
    func personTalliesEqual(_ other: GroupCounts) -> Bool {
        workplaceMembers == other.workplaceMembers && workplaceSupport == other.workplaceSupport
            && workplaceBoth == other.workplaceBoth && neighbourhoodMembers == other.neighbourhoodMembers
            && neighbourhoodSupport == other.neighbourhoodSupport && workplaceWageFixed == other.workplaceWageFixed
            && workplaceEffortFixed == other.workplaceEffortFixed
            && workplaceClassMembers == other.workplaceClassMembers && classCount == other.classCount
            && classSupport == other.classSupport && supportBoth == other.supportBoth
            && movementPersons == other.movementPersons && movementStances == other.movementStances
            && volunteers == other.volunteers && alliedVolunteers == other.alliedVolunteers
            && coordinatorSolidarityFixed == other.coordinatorSolidarityFixed
    }
}
