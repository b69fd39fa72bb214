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
        w + 1 < start.count ? persons[start[w]..<start[w + 1]] : []
    }
}

extension Simulation {
    /// The current active non-owner members of workplace `w`.
    ///
    /// The index is rebuilt (O(persons)) only at vote months or when missing; between rebuilds
    /// every change of membership goes through `move` and `removeFromEconomy`, which mark the
    /// workplaces concerned and remember where people went, so the answer stays exact. An
    /// unchanged workplace is answered straight from the index, without copying.
    func currentMembers(of w: Int) -> ArraySlice<Int32> {
        if memberIndex == nil { rebuildMemberIndex() }
        let indexed = memberIndex!.members(of: w)
        if w < membershipChanged.count && !membershipChanged[w] { return indexed }
        let flags = population.flags, work = population.workplace
        var out: [Int32] = []
        out.reserveCapacity(indexed.count)
        for m in indexed where Int(work[Int(m)]) == w && flags[Int(m)] & Population.Flag.active != 0 { out.append(m) }
        for m in movedSinceIndex[w] ?? [] where Int(work[Int(m)]) == w && flags[Int(m)] & Population.Flag.active != 0 && !out.contains(m) {
            out.append(m)
        }
        return out[...]
    }

    func rebuildMemberIndex() {
        memberIndex = MemberIndex(population, workplaces: workplaces.count)
        membershipChanged = [Bool](repeating: false, count: workplaces.count)
        movedSinceIndex.removeAll()
    }

    /// Moves person i to workplace w, keeping `currentMembers` exact. The person arrives as a
    /// member (a hire may make them a non-member: ``hire(_:into:)``).
    func move(_ i: Int, to w: Int) {
        let from = Int(population.workplace[i])
        if population.flags[i] & Population.Flag.nonMember != 0 {
            population.flags[i] &= ~Population.Flag.nonMember
            workplaces.nonMembers[from] -= 1
        }
        noteMembershipChange(from)
        counts.personMoved(
            flags: population.flags[i], personClass: population.personClass[i],
            effort: population.effort[i], from: from, to: w)
        population.workplace[i] = Int32(w)
        noteMembershipChange(w)
        if memberIndex != nil { movedSinceIndex[w, default: []].append(Int32(i)) }
    }

    func noteMembershipChange(_ w: Int) {
        if w < membershipChanged.count { membershipChanged[w] = true }
    }
}
