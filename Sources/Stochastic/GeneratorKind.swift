// With SobolSequence.swift, the files that touch GSL's generator-type globals: Swift 6 sees them as shared
// mutable state, but GSL never writes them after load, so the import is `@preconcurrency`.
@preconcurrency import CGSL

/// A named GSL pseudo-random generator algorithm.
///
/// `taus2` is the default for the per-person hot path: it is the fastest of the three
/// (≈ 5 ns per draw on the reference machine) and passes the usual statistical batteries.
/// `mt19937` is the common reference generator; `ranlxd2` is slow (≈ 130 ns) but has
/// the strongest decorrelation guarantees. The choice is recorded in every output's provenance.
public enum GeneratorKind: String, CaseIterable, Sendable, Codable {
    case taus2
    case mt19937
    case ranlxd2

    /// GSL's generator type for this algorithm.
    var gslType: UnsafePointer<gsl_rng_type> {
        switch self {
        case .taus2: return gsl_rng_taus2
        case .mt19937: return gsl_rng_mt19937
        case .ranlxd2: return gsl_rng_ranlxd2
        }
    }
}
