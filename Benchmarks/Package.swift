// swift-tools-version:6.1
// The performance targets of docs/PERFORMANCE.md as benchmarks with thresholds, apart from the
// main package so that its builds and CI do not pay for them. Run from this folder:
//   swift package benchmark                         # all benchmarks, release build
//   swift package benchmark baseline update main    # record a baseline
//   swift package benchmark baseline check main     # fail on a regression beyond the thresholds
import PackageDescription

let package = Package(
    name: "parecon-sim-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "parecon-sim", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "ModelBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "TransitionModel", package: "parecon-sim"),
                .product(name: "Experiments", package: "parecon-sim"),
            ],
            path: "Benchmarks/ModelBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
