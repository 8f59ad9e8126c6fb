import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing

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

    @Test("in development it starts with no setup; SIGTERM closes the live streams and exits 0")
    func gracefulStop() async throws {
        let port = Int.random(in: 20_000..<60_000)
        let process = try ServerProcess(environment: ["OCPIZZA_PORT": String(port), "OCPIZZA_LOG_LEVEL": "info"])
        defer { process.kill() }
        let base = "http://127.0.0.1:\(port)"
        var ready = false
        for _ in 0..<200 where !ready {
            ready = (try? await HTTPClient.shared.execute(HTTPClientRequest(url: "\(base)/health"), timeout: .seconds(1)).status) == .ok
            if !ready { try await Task.sleep(for: .milliseconds(100)) }
        }
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

    init(environment: [String: String]) throws {
        process.executableURL = Self.executable
        var variables = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("OCPIZZA_") }
        variables.merge(environment) { $1 }
        process.environment = variables
        process.standardOutput = output
        process.standardError = errors
        try process.run()
    }

    func terminate() { process.terminate() }

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
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        return process.isRunning ? nil : process.terminationStatus
    }

    func standardOutput() -> String { String(decoding: output.fileHandleForReading.availableData, as: UTF8.self) }
    func standardError() -> String { String(decoding: errors.fileHandleForReading.availableData, as: UTF8.self) }
}
