/// Group sizes and supporter counts, from one counting pass over persons per step (DESIGN §8).
///
/// Only active persons who are not owners count: owners are not part of the workforce and
/// never vote.
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
    /// Economy-wide tallies from the same pass: the movement's base (workers, coordinators and
    /// allied volunteers) and its supporting stances; volunteers and allied volunteers.
    var movementPersons = 0, movementStances = 0, volunteers = 0, alliedVolunteers = 0

    /// Whether volunteers with social concern are allied (a scenario switch).
    var alliance = false
    /// Conventional pay by class, for the wage bills.
    var conventionalPay: [Double] = [0, 0, 0, 0]
    /// Per workplace: conventional wage bill and summed effort of the members.
    var workplaceWageBill: [Double] = []
    var workplaceEffort: [Double] = []
    /// Active persons by class (owners included), supporters by class (index class·2 + k),
    /// persons supporting both, and the coordinators' summed solidarity.
    var classCount = [0, 0, 0, 0]
    var classSupport = [0, 0, 0, 0, 0, 0, 0, 0]
    var supportBoth = 0
    var coordinatorSolidarity = 0.0

    mutating func recount(_ pop: Population, _ wps: Workplaces, neighbourhoods: Int) {
        let w = wps.count
        var members = [Int32](repeating: 0, count: w)
        var supportB = [Int32](repeating: 0, count: w), supportP = [Int32](repeating: 0, count: w)
        var homeMembers = [Int32](repeating: 0, count: neighbourhoods)
        var homeB = [Int32](repeating: 0, count: neighbourhoods), homeP = [Int32](repeating: 0, count: neighbourhoods)
        var both = [Int32](repeating: 0, count: w)
        var movementPersons = 0, movementStances = 0, volunteers = 0, allied = 0
        let alliance = self.alliance
        var wage = [Double](repeating: 0, count: w), effortSum = [Double](repeating: 0, count: w)
        var classCount = [0, 0, 0, 0], classSupport = [0, 0, 0, 0, 0, 0, 0, 0]
        var supportBoth = 0, coordinatorSolidarity = 0.0
        let pay = conventionalPay
        wage.withUnsafeMutableBufferPointer { wageBuf in
        effortSum.withUnsafeMutableBufferPointer { effortBuf in
        classCount.withUnsafeMutableBufferPointer { cc in
        classSupport.withUnsafeMutableBufferPointer { cs in
        pop.effort.withUnsafeBufferPointer { effort in
        pop.solidarity.withUnsafeBufferPointer { sigma in
        both.withUnsafeMutableBufferPointer { wboth in
        members.withUnsafeMutableBufferPointer { wm in
        supportB.withUnsafeMutableBufferPointer { wb in
        supportP.withUnsafeMutableBufferPointer { wp in
        homeMembers.withUnsafeMutableBufferPointer { nm in
        homeB.withUnsafeMutableBufferPointer { nb in
        homeP.withUnsafeMutableBufferPointer { np in
            pop.flags.withUnsafeBufferPointer { flags in
            pop.workplace.withUnsafeBufferPointer { work in
            pop.neighbourhood.withUnsafeBufferPointer { home in
            pop.personClass.withUnsafeBufferPointer { cls in
                for i in 0..<flags.count {
                    let f = flags[i]
                    if f & Population.Flag.active == 0 { continue }
                    let ci = Int(cls[i].rawValue)
                    cc[ci] &+= 1
                    if cls[i] == .owner { continue }
                    let b = Int32(f & 1), p = Int32((f >> 1) & 1)
                    let wi = Int(work[i]), ni = Int(home[i])
                    cs[2 * ci] &+= Int(b); cs[2 * ci + 1] &+= Int(p)
                    supportBoth &+= Int(b & p)
                    wageBuf[wi] += pay[ci]
                    effortBuf[wi] += Double(effort[i])
                    if cls[i] == .coordinator { coordinatorSolidarity += Double(sigma[i]) }
                    wm[wi] &+= 1; wb[wi] &+= b; wp[wi] &+= p
                    nm[ni] &+= 1; nb[ni] &+= b; np[ni] &+= p
                    wboth[wi] &+= b & p
                    if cls[i] == .volunteer {
                        volunteers += 1
                        guard alliance && f & Population.Flag.socialConcern != 0 else { continue }
                        allied += 1
                    }
                    movementPersons += 1
                    movementStances += Int(b + p)
                }
            }}}}
        }}}}}}}
        }}}}}}
        workplaceMembers = members; workplaceSupport = [supportB, supportP]; workplaceBoth = both
        self.movementPersons = movementPersons; self.movementStances = movementStances
        self.volunteers = volunteers; alliedVolunteers = allied
        workplaceWageBill = wage; workplaceEffort = effortSum
        self.classCount = classCount; self.classSupport = classSupport
        self.supportBoth = supportBoth; self.coordinatorSolidarity = coordinatorSolidarity
        neighbourhoodMembers = homeMembers; neighbourhoodSupport = [homeB, homeP]
        neighbourhoodWorkplaces = [Int32](repeating: 0, count: neighbourhoods)
        neighbourhoodDemonstrating = [[Int32](repeating: 0, count: neighbourhoods), [Int32](repeating: 0, count: neighbourhoods)]
        for j in 0..<w where wps.open[j] {
            let n = Int(wps.neighbourhood[j])
            neighbourhoodWorkplaces[n] += 1
            if wps.adoptedSince[0][j] >= 0 && wps.trainingLeft[j] == 0 { neighbourhoodDemonstrating[0][n] += 1 }
            if wps.adoptedSince[1][j] >= 0 { neighbourhoodDemonstrating[1][n] += 1 }
        }
    }
}
