// swift-tools-version: 6.1

import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

// Package traits: a package that depends on OCPizzaKit resolves and fetches only the dependencies
// of the traits it enables. The core and OCPizzaKitTesting need swift-log, swift-crypto (the sales
// journal's SHA-256 and Ed25519) and swift-mustache (the customer notifications' templates; it has
// no dependencies of its own) alone, so a package that uses only them declares the dependency with
// `traits: []`. Each trait below gates the dependencies of its targets; all are enabled by default,
// so that `swift run ocpizza-server` and `swift test` work from a clone. See the README's "Add it to
// your package".
let postgres: TargetDependencyCondition? = .when(traits: ["PostgreSQL"])
let stripe: TargetDependencyCondition? = .when(traits: ["Stripe"])
let smtp: TargetDependencyCondition? = .when(traits: ["SMTP"])
let webhooks: TargetDependencyCondition? = .when(traits: ["Webhooks"])
let examples: TargetDependencyCondition? = .when(traits: ["Examples"])

let package = Package(
    name: "OCPizzaKit",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "OCPizzaKit", targets: ["OCPizzaKit"]),
        .library(name: "OCPizzaKitSamples", targets: ["OCPizzaKitSamples"]),
        .library(name: "OCPizzaKitTesting", targets: ["OCPizzaKitTesting"]),
        .library(name: "OCPizzaPostgres", targets: ["OCPizzaPostgres"]),
        .library(name: "OCPizzaStripe", targets: ["OCPizzaStripe"]),
        .library(name: "OCPizzaSMTP", targets: ["OCPizzaSMTP"]),
        .library(name: "OCPizzaWebhooks", targets: ["OCPizzaWebhooks"]),
        .executable(name: "ocpizza-demo", targets: ["ocpizza-demo"]),
        .executable(name: "ocpizza-server", targets: ["ocpizza-server"]),
        .executable(name: "ocpizza-admin", targets: ["ocpizza-admin"]),
    ],
    traits: [
        .trait(name: "PostgreSQL", description: "The PostgreSQL backend, OCPizzaPostgres (PostgresNIO, ServiceLifecycle)."),
        .trait(name: "Stripe", description: "The Stripe payment provider, OCPizzaStripe (AsyncHTTPClient, swift-crypto)."),
        .trait(name: "SMTP", description: "The SMTP e-mail notifier, OCPizzaSMTP (SwiftNIO, swift-nio-ssl)."),
        .trait(name: "Webhooks", description: "The signed webhook notifier, OCPizzaWebhooks (AsyncHTTPClient)."),
        .trait(
            name: "Examples",
            description: """
                The demo, the example server and the admin tool (Hummingbird, JWTKit, Prometheus, ArgumentParser) \
                and the package's own test tooling; needs the PostgreSQL, Stripe, SMTP and Webhooks traits.
                """,
            enabledTraits: ["PostgreSQL", "Stripe", "SMTP", "Webhooks"]
        ),
        .default(enabledTraits: ["PostgreSQL", "Stripe", "SMTP", "Webhooks", "Examples"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.11.0"),
        // The customer notifications' templates, in the core; no dependencies of its own.
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.29.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        // `swift package generate-documentation` only; no target depends on it.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin.git", from: "1.4.0"),
        // `PostgresStore` is a ServiceLifecycle `Service` (PostgresNIO depends on it too).
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        // The example server and admin tool only; library users never build these.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.1.0"),
        // The tests' client of the example server, generated from its OpenAPI document at build time.
        .package(url: "https://github.com/apple/swift-openapi-generator.git", from: "1.14.0"),
        .package(url: "https://github.com/apple/swift-openapi-runtime.git", from: "1.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),
        .package(url: "https://github.com/swift-server/swift-openapi-async-http-client.git", from: "1.5.0"),
    ],
    targets: [
        // The core: domain, pricing, stock and order rules. No database, no HTTP.
        .target(
            name: "OCPizzaKit",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                // SHA-256 and Ed25519 for the sales journal's chain and signatures.
                .product(name: "Crypto", package: "swift-crypto"),
                // The customer notifications' templates (`NotificationTemplates`).
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            swiftSettings: swiftSettings
        ),
        // The development fallbacks: the sample catalog and the scripted payment provider. No `Testing`,
        // so that the demo, the example server and the admin tool can ship with them.
        .target(
            name: "OCPizzaKitSamples",
            dependencies: ["OCPizzaKit"],
            swiftSettings: swiftSettings
        ),
        // What users add to their own test targets: the conformance suites and their fixtures (it imports
        // `Testing`), re-exporting OCPizzaKitSamples.
        .target(
            name: "OCPizzaKitTesting",
            dependencies: ["OCPizzaKit", "OCPizzaKitSamples", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        // The production backend, in its own target: users of the core never compile PostgresNIO.
        .target(
            name: "OCPizzaPostgres",
            dependencies: [
                "OCPizzaKit",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOSSL", package: "swift-nio-ssl", condition: postgres),
                .product(name: "PostgresNIO", package: "postgres-nio", condition: postgres),
                // The `Service` protocol `PostgresStore` conforms to; PostgresNIO depends on it already.
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle", condition: postgres),
            ],
            swiftSettings: swiftSettings
        ),
        // The Stripe provider, in its own target: users of the core never compile AsyncHTTPClient.
        .target(
            name: "OCPizzaStripe",
            dependencies: [
                "OCPizzaKit",
                .product(name: "AsyncHTTPClient", package: "async-http-client", condition: stripe),
                .product(name: "Crypto", package: "swift-crypto", condition: stripe),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio", condition: stripe),
                .product(name: "NIOHTTP1", package: "swift-nio", condition: stripe),
            ],
            swiftSettings: swiftSettings
        ),
        // The SMTP notifier, in its own target: users of the core never compile SwiftNIO.
        .target(
            name: "OCPizzaSMTP",
            dependencies: [
                "OCPizzaKit",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio", condition: smtp),
                .product(name: "NIOPosix", package: "swift-nio", condition: smtp),
                .product(name: "NIOSSL", package: "swift-nio-ssl", condition: smtp),
            ],
            swiftSettings: swiftSettings
        ),
        // The webhook notifier, in its own target: users of the core never compile AsyncHTTPClient.
        .target(
            name: "OCPizzaWebhooks",
            dependencies: [
                "OCPizzaKit",
                .product(name: "AsyncHTTPClient", package: "async-http-client", condition: webhooks),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio", condition: webhooks),
                .product(name: "NIOHTTP1", package: "swift-nio", condition: webhooks),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "ocpizza-demo",
            dependencies: [
                "OCPizzaKit",
                "OCPizzaKitSamples",
                .product(name: "ArgumentParser", package: "swift-argument-parser", condition: examples),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Examples/ocpizza-demo",
            swiftSettings: swiftSettings
        ),
        // The example HTTP server's application, a library so that its tests and the admin tool share it.
        .target(
            name: "OCPizzaServer",
            dependencies: [
                "OCPizzaKit",
                "OCPizzaKitSamples",
                "OCPizzaPostgres",
                "OCPizzaSMTP",
                "OCPizzaStripe",
                "OCPizzaWebhooks",
                .product(name: "AsyncHTTPClient", package: "async-http-client", condition: examples),
                .product(name: "Crypto", package: "swift-crypto", condition: examples),
                .product(name: "Hummingbird", package: "hummingbird", condition: examples),
                // `HTTP1Channel`, to put `ConnectionTimeouts` in each connection's pipeline.
                .product(name: "HummingbirdCore", package: "hummingbird", condition: examples),
                .product(name: "JWTKit", package: "jwt-kit", condition: examples),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus", condition: examples),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle", condition: examples),
                .product(name: "UnixSignals", package: "swift-service-lifecycle", condition: examples),
            ],
            path: "Sources/Examples/OCPizzaServer",
            // The OpenAPI document, served at `GET /openapi.json`.
            resources: [.copy("openapi.json")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "ocpizza-server",
            dependencies: ["OCPizzaServer"],
            path: "Sources/Examples/ocpizza-server",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "ocpizza-admin",
            dependencies: [
                "OCPizzaKit",
                "OCPizzaKitSamples",
                "OCPizzaPostgres",
                "OCPizzaServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser", condition: examples),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio", condition: examples),
            ],
            path: "Sources/Examples/ocpizza-admin",
            swiftSettings: swiftSettings
        ),
        // Throwaway PostgreSQL and localstripe servers, shared by the test targets.
        .target(
            name: "OCPizzaTestSupport",
            dependencies: [
                "OCPizzaKit",
                "OCPizzaKitSamples",
                "OCPizzaPostgres",
                "OCPizzaStripe",
                .product(name: "AsyncHTTPClient", package: "async-http-client", condition: examples),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio", condition: examples),
                .product(name: "NIOHTTP1", package: "swift-nio", condition: examples),
                .product(name: "NIOPosix", package: "swift-nio", condition: examples),
                .product(name: "PostgresNIO", package: "postgres-nio", condition: examples),
            ],
            path: "Tests/Support",
            swiftSettings: swiftSettings
        ),
        // A load process of the PostgreSQL fault test, which starts two of them; never shipped.
        .executableTarget(
            name: "ocpizza-fault-worker",
            dependencies: [
                "OCPizzaKit",
                "OCPizzaKitSamples",
                "OCPizzaPostgres",
                "OCPizzaTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser", condition: examples),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio", condition: examples),
            ],
            path: "Tests/FaultWorker",
            swiftSettings: swiftSettings
        ),
        // The model-based fuzzer's reference model, generators and runner, and the authorization table
        // it decides access from: one target for the in-memory and the PostgreSQL runs; never shipped.
        .target(
            name: "OCPizzaFuzzModel",
            dependencies: [
                "OCPizzaKit",
                "OCPizzaKitSamples",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PropertyBased", package: "swift-property-based", condition: examples),
            ],
            path: "Tests/FuzzModel",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OCPizzaKitTests",
            dependencies: [
                "OCPizzaKit",
                "OCPizzaKitSamples",
                "OCPizzaKitTesting",
                "OCPizzaFuzzModel",
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OCPizzaPostgresTests",
            dependencies: [
                "OCPizzaPostgres",
                "ocpizza-admin",
                "ocpizza-fault-worker",
                "OCPizzaTestSupport",
                "OCPizzaKitTesting",
                "OCPizzaFuzzModel",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OCPizzaStripeTests",
            dependencies: [
                "OCPizzaStripe",
                "OCPizzaTestSupport",
                "OCPizzaKitTesting",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Against a real SMTP server (aiosmtpd, started by the tests from /opt/aiosmtpd-venv with
        // `smtp_server.py`): STARTTLS, implicit TLS, AUTH, and failures on cue.
        .testTarget(
            name: "OCPizzaSMTPTests",
            dependencies: [
                "OCPizzaSMTP",
                "OCPizzaTestSupport",
                "OCPizzaKitTesting",
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            exclude: ["smtp_server.py"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OCPizzaWebhooksTests",
            dependencies: [
                "OCPizzaWebhooks",
                "OCPizzaTestSupport",
                "OCPizzaKitTesting",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // A client of the example server generated from its OpenAPI document (swift-openapi-generator's
        // build plugin, `Tests/OpenAPIClient/openapi-generator-config.yaml`), for the server's
        // end-to-end tests; never shipped.
        .target(
            name: "OCPizzaServerClient",
            dependencies: [
                .product(name: "HTTPTypes", package: "swift-http-types", condition: examples),
                .product(name: "OpenAPIAsyncHTTPClient", package: "swift-openapi-async-http-client", condition: examples),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime", condition: examples),
            ],
            path: "Tests/OpenAPIClient",
            swiftSettings: swiftSettings,
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        ),
        .testTarget(
            name: "OCPizzaServerTests",
            dependencies: [
                "OCPizzaServer",
                "OCPizzaServerClient",
                "OCPizzaTestSupport",
                "OCPizzaKitTesting",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "OpenAPIAsyncHTTPClient", package: "swift-openapi-async-http-client"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                // `RawConnection`: a TCP client that misbehaves on purpose.
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)

// Every ```swift block of the README, `Documentation/` and the DocC articles, compiled (and the
// ones marked `run` run in order) by `swift build --build-tests` and `swift test`. Warnings are
// errors here: the generated files live in `.build`, where the CI's warning check does not look.
package.targets += [
    .executableTarget(name: "SwiftBlockExtractor", path: "Plugins/SwiftBlockExtractor"),
    .plugin(name: "ExtractSwiftBlocks", capability: .buildTool(), dependencies: ["SwiftBlockExtractor"]),
    .testTarget(
        name: "OCPizzaDocumentationTests",
        dependencies: [
            "OCPizzaKit",
            "OCPizzaKitSamples",
            "OCPizzaKitTesting",
            "OCPizzaPostgres",
            "OCPizzaSMTP",
            "OCPizzaStripe",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
        ],
        swiftSettings: swiftSettings + [.unsafeFlags(["-warnings-as-errors"])],
        plugins: ["ExtractSwiftBlocks"]
    ),
]
