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

    func members(of w: Int) -> ArraySlice<Int32> { persons[start[w] ..< start[w + 1]] }
}
