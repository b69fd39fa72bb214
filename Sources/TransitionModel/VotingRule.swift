import Stochastic

/// How a workplace's members decide. Each rule says here, in one place, what it needs from a
/// vote (a count, the blockers among opponents, a panel drawn by lot), whether it passes, and
/// whether the opponents of a change stand aside or are overruled. Votes, the consequences of
/// adoption and the recovery vote of an abandoned firm all ask the rule.
///
/// Adding a rule: a case here (with what it needs and how it decides), its words in the scenario
/// schema (`voting.rule`), and its paragraph in docs/MODEL.md (section 7.6).
public enum VotingRule: Sendable, Equatable {
    /// No member blocks (an opponent with u below the blocking level blocks) and at least
    /// `voting.consensus_minimum_support` of members support.
    case consensus
    /// Support share must reach the threshold q ∈ (0, 1] (S ≥ q; majority is S > 1/2).
    case threshold(Double)
    case majority
    /// A panel of `panel` members drawn by lot (all members if fewer) decides by majority of
    /// the panel: the workplace ratifies what a random sample of it wants.
    case sortition(panel: Int)

    public static let supermajority = VotingRule.threshold(2.0 / 3.0)
    /// The panel size of `rule: sortition` when none is given.
    public static let defaultPanel = 15

    /// Whether a vote needs the member list (blockers' utilities, a panel draw), not just counts.
    public var needsMembers: Bool {
        switch self {
        case .consensus, .sortition: return true
        case .threshold, .majority: return false
        }
    }

    /// Whether opponents below the blocking level block the decision.
    public var countsBlockers: Bool { self == .consensus }

    /// Whether opponents who are not blocking stand aside (consent) rather than being overruled.
    public var opponentsStandAside: Bool { self == .consensus }

    /// Whether the rule holds for a tally.
    public func passes(_ t: VoteTally, consensusMinimumSupport: Double) -> Bool {
        guard t.members > 0 else { return false }
        switch self {
        case .consensus: return t.blockers == 0 && t.share >= consensusMinimumSupport
        case .majority: return t.share > 0.5
        case .threshold(let q): return t.share >= q
        case .sortition: return t.panel > 0 && 2 * t.panelSupporters > t.panel
        }
    }

    /// Supporters in a panel of `panel` drawn without replacement from members of whom
    /// `supporters` support (a hypergeometric draw, one uniform per panel seat); everyone when
    /// the panel is at least the workplace (no draw).
    public static func panelSupporters(members: Int, supporters: Int, panel: Int, stream: RandomStream) -> (panel: Int, supporters: Int) {
        guard panel < members else { return (members, supporters) }
        var left = members, leftSupporting = supporters, drawn = 0
        for _ in 0..<panel {
            if stream.uniform() * Double(left) < Double(leftSupporting) { drawn += 1; leftSupporting -= 1 }
            left -= 1
        }
        return (panel, drawn)
    }
}

/// What a workplace vote found, before any owner or state decides.
public struct VoteTally: Sendable, Equatable {
    public var members: Int
    public var supporters: Int
    /// Opponents whose u is below the blocking level (rules that count blockers).
    public var blockers: Int
    /// Under sortition: the panel drawn and its supporters.
    public var panel = 0, panelSupporters = 0
    public var share: Double { members == 0 ? 0 : Double(supporters) / Double(members) }

    public init(members: Int, supporters: Int, blockers: Int) {
        self.members = members; self.supporters = supporters; self.blockers = blockers
    }
}
