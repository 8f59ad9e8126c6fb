import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

@testable import OCPizzaServer

/// The `ocpizza-server` executable itself: configuration errors, start-up with no setup, and a
/// graceful stop on SIGTERM that ends live streams and exits 0.
@Suite("ocpizza-server process", .enabled(if: ServerProcess.executable != nil, "ocpizza-server is not built next to the tests"))
struct ServerProcessTests {
    @Test("production without its required variables is a one-line error and exit code 78")
    func missingConfiguration() async throws {
        let process = try ServerProcess(environment: ["OCPIZZA_ENV": "production"])
        let status = try await process.exitStatus(within: .seconds(20))
        #expect(status == 78)
        let errors = process.standardError()
        #expect(
            errors
                == "ocpizza-server: configuration error: OCPIZZA_SECRET_KEY: required in production (at least 32 random bytes, e.g. `openssl rand -base64 48`)\n"
        )

        let badPort = try ServerProcess(environment: ["OCPIZZA_PORT": "eighty"])
        #expect(try await badPort.exitStatus(within: .seconds(20)) == 78)
        #expect(badPort.standardError().contains("OCPIZZA_PORT: 'eighty' is not a whole number in 0...65535"))
    }

    @Test(
        "each bad value, even with an unreachable database, is one stderr line naming its variable and exit code 78 within 5 s",
        .serialized,
        arguments: [
            (["OCPIZZA_DATABASE_URL": "postgres://db.invalid:5432/oc_pizza"], "OCPIZZA_DATABASE_URL: the database URL has no user name"),
            (["OCPIZZA_DATABASE_URL": "postgres://pizza@127.0.0.1:1/oc_pizza?sslmode=bogus"], "OCPIZZA_DATABASE_URL: unknown sslmode 'bogus'"),
            (["OCPIZZA_DATABASE_URL": "mysql://pizza@127.0.0.1:1/oc_pizza"], "OCPIZZA_DATABASE_URL: expected a postgres:// URL"),
            (["OCPIZZA_DATABASE_URL": "postgres://pizza@127.0.0.1:1/oc_pizza", "OCPIZZA_PORT": "-1"], "OCPIZZA_PORT: '-1' is not a whole number"),
            (["OCPIZZA_DATABASE_URL": "postgres://pizza@127.0.0.1:1/oc_pizza", "OCPIZZA_DATABASE_TIMEOUT_MS": "0"], "OCPIZZA_DATABASE_TIMEOUT_MS:"),
            (["OCPIZZA_DATABASE_URL": "postgres://pizza@127.0.0.1:1/oc_pizza", "OCPIZZA_SECRET_KEY": "short"], "OCPIZZA_SECRET_KEY: 5 bytes"),
            (
                [
                    "OCPIZZA_ENV": "production", "OCPIZZA_DATABASE_URL": "postgres://pizza@127.0.0.1:1/oc_pizza",
                    "OCPIZZA_SECRET_KEY": "production-secret-key-of-at-least-32-bytes",
                    "OCPIZZA_PREVIOUS_SECRET_KEYS": "older-production-key-of-at-least-32-bytes,\(ServerConfiguration.developmentSecretKey)",
                ],
                "OCPIZZA_PREVIOUS_SECRET_KEYS: the development key cannot be used in production"
            ),
        ]
    )
    func badValues(environment: [String: String], line: String) async throws {
        let process = try ServerProcess(environment: environment)
        defer { process.kill() }
        let status = try await process.exitStatus(within: .seconds(60))
        #expect(status == 78)
        let lifetime = try #require(process.lifetime)
        #expect(lifetime < .seconds(5), "exited after \(lifetime)")
        let errors = process.standardError()
        #expect(errors.hasPrefix("ocpizza-server: configuration error: \(line)"), "\(errors)")
        #expect(errors.split(separator: "\n").count == 1, "one line: \(errors)")
        #expect(!errors.contains("production-secret-key"), "no secret printed")
    }

    @Test("an unreachable database at start is one stderr line and exit code 69 (EX_UNAVAILABLE) within 15 s, not after a minute")
    func unreachableDatabase() async throws {
        // Port 1 on the loopback refuses connections; a missing socket directory fails as fast.
        for url in ["postgres://pizza:hunter2@127.0.0.1:1/oc_pizza", "postgres://pizza@%2Ftmp%2Focpizza-no-such-dir/oc_pizza"] {
            let process = try ServerProcess(environment: ["OCPIZZA_DATABASE_URL": url, "OCPIZZA_PORT": "0"])
            defer { process.kill() }
            let status = try await process.exitStatus(within: .seconds(60))
            let elapsed = try #require(process.lifetime)
            let errors = process.standardError()
            #expect(status == 69, "\(url): \(errors)")
            // 1 to 2 s on a quiet machine; a process started while the whole suite loads both cores
            // once took over 5 s. Without the start-up probe's time limit it was 67 s.
            #expect(elapsed < .seconds(15), "\(url): exited after \(elapsed)")
            #expect(errors.hasPrefix("ocpizza-server: database unavailable: OCPIZZA_DATABASE_URL: no answer from "), "\(errors)")
            #expect(errors.split(separator: "\n").count == 1, "one line: \(errors)")
            #expect(!errors.contains("hunter2"), "the password is never printed")
            print(
                "unreachable database \(url.contains("127.0.0.1") ? "(refused TCP)" : "(no socket)"): exit \(status.map(String.init) ?? "none") after \(elapsed)"
            )
        }
    }

    @Test("in development it starts with no setup; SIGTERM closes the live streams and exits 0")
    func gracefulStop() async throws {
        let port = ServerProcess.freePort()
        let process = try ServerProcess(environment: ["OCPIZZA_PORT": String(port), "OCPIZZA_LOG_LEVEL": "info"])
        defer { process.kill() }
        let base = "http://127.0.0.1:\(port)"
        let ready = try await ServerProcess.answersHealth(at: base)
        #expect(ready, "the server answered /health")

        let stream = try await HTTPClient.shared.execute(
            HTTPClientRequest(url: "\(base)/v1/pizzerias/paris-bastille/availability/events"),
            timeout: .seconds(30)
        )
        #expect(stream.status == .ok)
        var body = stream.body.makeAsyncIterator()
        let first = try await body.next()
        #expect(first.map { String(buffer: $0) }?.contains("ocpizza live stream") == true)

        process.terminate()
        var ended = false
        while let chunk = try await body.next() { _ = chunk }
        ended = true
        #expect(ended, "the live stream ended at shutdown")
        #expect(try await process.exitStatus(within: .seconds(20)) == 0)
        #expect(process.standardOutput().contains("in-memory store"))
    }
}

/// A running `ocpizza-server`, built by `swift build` next to the test bundle.
final class ServerProcess: @unchecked Sendable {
    static let executable: URL? = {
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for candidate in [runner, Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent("ocpizza-server")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return nil
    }()

    private let process = Process()
    private let output = Pipe()
    private let errors = Pipe()
    private let launched: ContinuousClock.Instant
    private let exited = Stamp()

    /// When the process exited, written by Foundation's thread.
    final class Stamp: Sendable {
        let instant = Mutex<ContinuousClock.Instant?>(nil)
    }

    init(environment: [String: String]) throws {
        process.executableURL = Self.executable
        var variables = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("OCPIZZA_") }
        variables.merge(environment) { $1 }
        process.environment = variables
        process.standardOutput = output
        process.standardError = errors
        // Stamped on Foundation's own thread, so that a test's measure of the process is not
        // the time a busy machine took to resume the test.
        process.terminationHandler = { [exited] _ in exited.instant.withLock { $0 = .now } }
        launched = .now
        try process.run()
    }

    /// How long the process ran, from its launch to its exit; `nil` while it runs.
    var lifetime: Duration? { exited.instant.withLock { $0 }.map { $0 - launched } }

    func terminate() { process.terminate() }

    /// Whether the process still runs.
    var isRunning: Bool { process.isRunning }

    /// A TCP port for a server under test: below the kernel's ephemeral range, so that no outgoing
    /// connection of a test running in parallel (PostgreSQL pools, HTTP clients) can be given it
    /// between a server's kill and its restart on the same port; never the same twice in one test
    /// process; and free when chosen. A random port in the ephemeral range once made a restart
    /// after `kill -9` fail with "Address already in use".
    static func freePort() -> Int {
        let ephemeral =
            (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8))
            .flatMap { $0.split(whereSeparator: \.isWhitespace).first.flatMap { Int($0) } } ?? 32_768
        let range = 10_000..<max(ephemeral, 12_000)
        for _ in 0..<range.count {
            let port = nextPort.withLock { next in
                if !range.contains(next) { next = range.lowerBound }
                defer { next += 1 }
                return next
            }
            if isBindable(port) { return port }
        }
        preconditionFailure("no free TCP port in \(range)")
    }

    private static let nextPort = Mutex(Int.random(in: 10_000..<30_000))

    /// Whether a listening socket can bind `port` on every address, as the server will.
    private static func isBindable(_ port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var yes: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr = in_addr(s_addr: INADDR_ANY)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    /// Whether the server at `base` answers `/health` within 20 s.
    static func answersHealth(at base: String) async throws -> Bool {
        for _ in 0..<200 {
            if (try? await HTTPClient.shared.execute(HTTPClientRequest(url: "\(base)/health"), timeout: .seconds(1)).status) == .ok {
                return true
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    /// The process's resident memory (`VmRSS` of `/proc/PID/status`), in bytes.
    func residentBytes() throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1_024
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// SIGKILL if still running (cleanup).
    func kill() { if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) } }

    /// `kill -9`: no cleanup, no graceful anything.
    func kill9() { Foundation.kill(process.processIdentifier, SIGKILL) }

    /// The exit code, waiting at most `limit`.
    func exitStatus(within limit: Duration) async throws -> Int32? {
        let deadline = ContinuousClock.now + limit
        // Until Foundation has also run the termination handler, which stamps `lifetime`.
        while process.isRunning || lifetime == nil, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        return process.isRunning ? nil : process.terminationStatus
    }

    func standardOutput() -> String { String(decoding: output.fileHandleForReading.availableData, as: UTF8.self) }
    func standardError() -> String { String(decoding: errors.fileHandleForReading.availableData, as: UTF8.self) }
}
