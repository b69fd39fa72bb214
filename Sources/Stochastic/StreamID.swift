/// Every random stream's id, in one place: two uses must never share an id under one seed,
/// or their draws would be correlated. A stream is (generator, seed, id) (``RandomStream``).
public enum StreamID {
    /// A model run's serial stream (movement, votes, failures, new firms, owners).
    public static let run: UInt64 = 0
    /// Chunk c of persons (0-based): ids 1, 2, … up to 2⁴⁰.
    public static func chunk(_ c: Int) -> UInt64 { UInt64(c) + 1 }
    /// The influence network, built once at month 0.
    public static let network: UInt64 = 1 << 40
    /// A Latin-hypercube design's strata pairing (sweep files).
    public static let latinHypercube: UInt64 = 0x4C48_5300
    /// The digital shift of a Saltelli design's Sobol sequence (sweep files).
    public static let saltelliShift: UInt64 = 0x5A17_E111
    /// ABC-SMC: candidate k of generation g.
    public static func abcCandidate(generation g: Int, candidate k: Int) -> UInt64 { UInt64(g) << 32 | UInt64(k) }
    /// Drawing the posterior sample written for sweeps.
    public static let posteriorSample: UInt64 = 0xC0FFEE
    /// Measurement noise of the synthetic observations of a recovery check.
    public static let syntheticNoise: UInt64 = 7
    /// Measurement noise of the posterior predictive.
    public static let predictiveNoise: UInt64 = 11
}
