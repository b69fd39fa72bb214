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

    mutating func recount(_ pop: Population, _ wps: Workplaces, neighbourhoods: Int) {
        let w = wps.count
        var members = [Int32](repeating: 0, count: w)
        var supportB = [Int32](repeating: 0, count: w), supportP = [Int32](repeating: 0, count: w)
        var homeMembers = [Int32](repeating: 0, count: neighbourhoods)
        var homeB = [Int32](repeating: 0, count: neighbourhoods), homeP = [Int32](repeating: 0, count: neighbourhoods)
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
                    if f & Population.Flag.active == 0 || cls[i] == .owner { continue }
                    let b = Int32(f & 1), p = Int32((f >> 1) & 1)
                    let wi = Int(work[i]), ni = Int(home[i])
                    wm[wi] &+= 1; wb[wi] &+= b; wp[wi] &+= p
                    nm[ni] &+= 1; nb[ni] &+= b; np[ni] &+= p
                }
            }}}}
        }}}}}}
        workplaceMembers = members; workplaceSupport = [supportB, supportP]
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
