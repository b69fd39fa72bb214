// GSL's generator-type global `gsl_qrng_sobol` is never written after load (see GeneratorKind.swift).
@preconcurrency import CGSL

/// Sobol's low-discrepancy sequence (GSL's `gsl_qrng_sobol`), for designs that cover the unit
/// cube evenly, such as Saltelli's design for variance-based sensitivity analysis. It is not
/// random: every instance gives the same points, starting at (½, …, ½) (GSL skips the origin).
/// Like ``RandomStream``, it is owned by one caller and freed once.
public final class SobolSequence {
    /// GSL's limit on the number of dimensions of its Sobol generator.
    public static let maximumDimensions = 40

    private let generator: OpaquePointer
    public let dimensions: Int

    public init(dimensions: Int) {
        precondition(
            (1...Self.maximumDimensions).contains(dimensions),
            "Sobol dimensions must lie in 1...\(Self.maximumDimensions), got \(dimensions)")
        guard let q = gsl_qrng_alloc(gsl_qrng_sobol, UInt32(dimensions)) else {
            preconditionFailure("gsl_qrng_alloc failed: out of memory")
        }
        generator = OpaquePointer(q)
        self.dimensions = dimensions
    }

    deinit { gsl_qrng_free(UnsafeMutablePointer(generator)) }

    /// The next point, each coordinate in (0, 1).
    public func next() -> [Double] {
        var point = [Double](repeating: 0, count: dimensions)
        point.withUnsafeMutableBufferPointer { _ = gsl_qrng_get(UnsafeMutablePointer(generator), $0.baseAddress) }
        return point
    }
}
