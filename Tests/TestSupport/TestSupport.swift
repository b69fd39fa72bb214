import Foundation

/// Helpers shared by the test targets (one copy instead of one per target).

/// The package's root folder (this file is Tests/TestSupport/TestSupport.swift).
public let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The shipped scenario files.
public let scenariosFolder = packageRoot.appendingPathComponent("Scenarios")

/// A new, empty folder under the system's temporary folder, named `prefix-UUID`.
public func temporaryFolder(_ prefix: String = "parecon-test") throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
