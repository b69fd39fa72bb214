// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "parecon-sim",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "parecon-sim", targets: ["parecon-sim"]),
        .library(name: "TransitionModel", targets: ["TransitionModel"]),
        .library(name: "Experiments", targets: ["Experiments"]),
        .library(name: "Reporting", targets: ["Reporting"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // GSL (Debian: libgsl-dev) as a system library; only `Stochastic` imports it.
        .systemLibrary(name: "CGSL", path: "Sources/CGSL"),
        .target(name: "Stochastic", dependencies: ["CGSL"]),
        // One inline C function: float-to-integer truncation without Swift's range check, for
        // the model's hot fixed-point loops (their callers keep the values in range).
        .target(name: "CTruncation"),
        // Release builds skip the run-time exclusivity checks on the model's class properties
        // (about a third of the serial vote and failure phases); debug builds, which the
        // tests use, keep them, so an overlapping access still traps there.
        .target(
            name: "TransitionModel", dependencies: ["Stochastic", "CTruncation"],
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]),
        .target(
            name: "Experiments",
            dependencies: [
                "TransitionModel", "Stochastic",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        .target(name: "Reporting", dependencies: ["Experiments", "TransitionModel"]),
        // The interactive explorer: a local web server (page, schema, runs streamed over a WebSocket).
        .target(
            name: "Explorer",
            dependencies: [
                "Experiments", "Reporting", "TransitionModel",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ], resources: [.copy("Page")]),
        .executableTarget(
            name: "parecon-sim",
            dependencies: [
                "Experiments", "Reporting", "TransitionModel", "Explorer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ], plugins: ["SourceCommit"]),
        // Writes `sourceCommit` (the git commit built) for provenance; runs /bin/sh and git.
        .plugin(name: "SourceCommit", capability: .buildTool()),
        // Helpers shared by the test targets.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "StochasticTests", dependencies: ["Stochastic"]),
        .testTarget(name: "TransitionModelTests", dependencies: ["TransitionModel", "Stochastic"]),
        .testTarget(
            name: "ExperimentsTests",
            dependencies: [
                "Experiments", "TransitionModel",
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "GRDB", package: "GRDB.swift"),
                "TestSupport",
            ]),
        .testTarget(name: "ExplorerTests", dependencies: ["Explorer", "Experiments", "TransitionModel", "TestSupport"]),
        .testTarget(name: "ReportingTests", dependencies: ["Reporting", "Experiments", "TransitionModel"]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["parecon-sim", "Experiments", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")],
            exclude: ["Snapshots"]),
    ],
    swiftLanguageModes: [.v6]
)
