// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "parecon-sim",
    platforms: [.macOS(.v13)],
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
    ],
    targets: [
        // GSL (Debian: libgsl-dev) as a system library; only `Stochastic` imports it.
        .systemLibrary(name: "CGSL", path: "Sources/CGSL"),
        .target(name: "Stochastic", dependencies: ["CGSL"]),
        .target(name: "TransitionModel", dependencies: ["Stochastic"]),
        .target(name: "Experiments", dependencies: [
            "TransitionModel", "Stochastic",
            .product(name: "Yams", package: "Yams"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .target(name: "Reporting", dependencies: ["Experiments", "TransitionModel"]),
        .executableTarget(name: "parecon-sim", dependencies: [
            "Experiments", "Reporting", "TransitionModel",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], plugins: ["SourceCommit"]),
        // Writes `sourceCommit` (the git commit built) for provenance; runs /bin/sh and git.
        .plugin(name: "SourceCommit", capability: .buildTool()),
        .testTarget(name: "StochasticTests", dependencies: ["Stochastic"]),
        .testTarget(name: "TransitionModelTests", dependencies: ["TransitionModel", "Stochastic"]),
        .testTarget(name: "ExperimentsTests", dependencies: [
            "Experiments", "TransitionModel",
            .product(name: "PropertyBased", package: "swift-property-based"),
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "ReportingTests", dependencies: ["Reporting", "Experiments", "TransitionModel"]),
        .testTarget(name: "EndToEndTests", dependencies: ["parecon-sim", "Experiments", .product(name: "GRDB", package: "GRDB.swift")]),
    ],
    swiftLanguageModes: [.v6]
)
