import CGSL

/// Facts about the linked GSL library, recorded in provenance.
public enum GSLLibrary {
    /// The version string of the GSL library the tool was built against.
    public static var version: String { GSL_VERSION }
}
