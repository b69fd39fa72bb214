/// Members of every workplace as one compressed list (counting sort, O(persons)), built only
/// in months when votes or events need it.
struct MemberIndex {
    private(set) var start: [Int]
    private(set) var persons: [Int32]

    /// Active non-owner members of each workplace.
    init(_ pop: Population, workplaces: Int) {
        var counts = [Int](repeating: 0, count: workplaces + 1)
        for i in 0..<pop.count where pop.isActive(i) && pop.personClass[i] != .owner {
            counts[Int(pop.workplace[i]) + 1] += 1
        }
        for w in 0..<workplaces { counts[w + 1] += counts[w] }
        start = counts
        var fill = counts
        persons = [Int32](repeating: 0, count: counts[workplaces])
        for i in 0..<pop.count where pop.isActive(i) && pop.personClass[i] != .owner {
            let w = Int(pop.workplace[i])
            persons[fill[w]] = Int32(i)
            fill[w] += 1
        }
    }

    /// Members when the index was built (empty for workplaces created since).
    func members(of w: Int) -> ArraySlice<Int32> {
        w + 1 < start.count ? persons[start[w] ..< start[w + 1]] : []
    }
}

extension Simulation {
    /// The current active non-owner members of workplace `w`. The index is built at most once
    /// a month (O(persons)); persons who moved since are accounted for through `movedThisMonth`.
    func currentMembers(of w: Int) -> ArraySlice<Int32> {
        if memberIndex == nil { memberIndex = MemberIndex(population, workplaces: workplaces.count) }
        let flags = population.flags, work = population.workplace
        var out: [Int32] = []
        let indexed = memberIndex!.members(of: w)
        out.reserveCapacity(indexed.count)
        for m in indexed where Int(work[Int(m)]) == w && flags[Int(m)] & Population.Flag.active != 0 { out.append(m) }
        for m in movedThisMonth[w] ?? [] where Int(work[Int(m)]) == w && flags[Int(m)] & Population.Flag.active != 0 && !out.contains(m) {
            out.append(m)
        }
        return out[...]
    }

    /// Moves person i to workplace w, keeping `currentMembers` exact.
    func move(_ i: Int, to w: Int) {
        population.workplace[i] = Int32(w)
        if memberIndex != nil { movedThisMonth[w, default: []].append(Int32(i)) }
    }
}
