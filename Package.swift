// swift-tools-version: 6.1

import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "OCPizzaKit",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "OCPizzaKit", targets: ["OCPizzaKit"]),
        .library(name: "OCPizzaKitTesting", targets: ["OCPizzaKitTesting"]),
        .library(name: "OCPizzaPostgres", targets: ["OCPizzaPostgres"]),
        .library(name: "OCPizzaStripe", targets: ["OCPizzaStripe"]),
        .executable(name: "ocpizza-demo", targets: ["ocpizza-demo"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.29.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
    ],
    targets: [
        // The core: domain, pricing, stock and order rules. No database, no HTTP.
        .target(
            name: "OCPizzaKit",
            dependencies: [.product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        // What users add to their own test targets: the sample catalog and the conformance suites.
        .target(
            name: "OCPizzaKitTesting",
            dependencies: ["OCPizzaKit", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        // The production backend, in its own target: users of the core never compile PostgresNIO.
        .target(
            name: "OCPizzaPostgres",
            dependencies: [
                "OCPizzaKit",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The Stripe provider, in its own target: users of the core never compile AsyncHTTPClient.
        .target(
            name: "OCPizzaStripe",
            dependencies: [
                "OCPizzaKit",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "ocpizza-demo",
            dependencies: [
                "OCPizzaKit",
                "OCPizzaKitTesting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Examples/ocpizza-demo",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OCPizzaKitTests",
            dependencies: [
                "OCPizzaKit",
                "OCPizzaKitTesting",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OCPizzaPostgresTests",
            dependencies: [
                "OCPizzaPostgres",
                "OCPizzaKitTesting",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OCPizzaStripeTests",
            dependencies: [
                "OCPizzaStripe",
                "OCPizzaKitTesting",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
