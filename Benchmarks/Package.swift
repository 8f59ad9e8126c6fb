// swift-tools-version: 6.1

import Foundation
import PackageDescription

// Benchmarks and load tools for OCPizzaKit, in their own package so that library users and CI
// never build them. Run from this folder:
//   swift package --scratch-path .build benchmark
//   swift run --scratch-path .build -c release ocpizza-loadtest
//   swift run --scratch-path .build -c release ocpizza-memory [--soak]
//   swift run --scratch-path .build -c release ocpizza-profile quote3   (under perf or valgrind)
// OCPIZZAKIT_PATH=/path/to/another/checkout measures another version of the library (before/after).
let package = Package(
    name: "OCPizzaBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "OCPizzaKit", path: ProcessInfo.processInfo.environment["OCPIZZAKIT_PATH"] ?? ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
    ],
    targets: [
        // What the benchmarks and the tools share: the 200-product catalog, carts, quiet loggers.
        .target(
            name: "BenchmarkSupport",
            dependencies: [
                .product(name: "OCPizzaKit", package: "OCPizzaKit"),
                .product(name: "OCPizzaKitTesting", package: "OCPizzaKit"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "OCPizzaBenchmarks",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "OCPizzaKit", package: "OCPizzaKit"),
                .product(name: "OCPizzaKitTesting", package: "OCPizzaKit"),
            ],
            path: "Benchmarks/OCPizzaBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "ocpizza-loadtest",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "OCPizzaKit", package: "OCPizzaKit"),
                .product(name: "OCPizzaKitTesting", package: "OCPizzaKit"),
                .product(name: "OCPizzaPostgres", package: "OCPizzaKit"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        .executableTarget(
            name: "ocpizza-memory",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "OCPizzaKit", package: "OCPizzaKit"),
                .product(name: "OCPizzaKitTesting", package: "OCPizzaKit"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // A deterministic workload for valgrind --tool=callgrind.
        .executableTarget(
            name: "ocpizza-profile",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "OCPizzaKit", package: "OCPizzaKit"),
                // encode-order measures the store's DocumentEncoder.
                .product(name: "OCPizzaPostgres", package: "OCPizzaKit"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
