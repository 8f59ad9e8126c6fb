import Foundation
import Logging
import NIOSSL
import OCPizzaKit
import OCPizzaKitTesting
import OCPizzaSMTP
import OCPizzaTestSupport
import Synchronization
import Testing

/// The tests' SMTP server: `smtp_server.py` beside this file, on aiosmtpd (PyPI), with STARTTLS,
/// implicit TLS, AUTH, a plain server, one that knows only HELO and a silent one, all on 127.0.0.1.
///
/// - Started once per test process, from the Python in `OCPIZZA_AIOSMTPD_PYTHON`, else
///   `/opt/aiosmtpd-venv/bin/python` (the virtualenv `.ci/run` creates); it exits when the test
///   process dies (it reads commands on its standard input and stops at its end).
/// - Its certificate is signed by a CA it makes at start (trustme); ``tlsConfiguration()`` trusts it.
/// - When no aiosmtpd is found, the tests that need it are skipped, unless `OCPIZZA_REQUIRE_SMTP=1`
///   (CI sets it), where they fail with the reason.
enum SMTPTestServer {
    struct Unavailable: Error, CustomStringConvertible {
        let description: String
    }

    static let isRequired = ProcessInfo.processInfo.environment["OCPIZZA_REQUIRE_SMTP"] == "1"

    /// The Python that has aiosmtpd and trustme installed.
    static let python = ProcessInfo.processInfo.environment["OCPIZZA_AIOSMTPD_PYTHON"] ?? "/opt/aiosmtpd-venv/bin/python"

    /// Whether the SMTP tests should run: aiosmtpd can be imported, or CI requires them.
    static var shouldRun: Bool { isRequired || isInstalled }

    static let skipReason: Comment = """
        no aiosmtpd: create /opt/aiosmtpd-venv with aiosmtpd and trustme (see .ci/run) or set OCPIZZA_AIOSMTPD_PYTHON \
        to a Python that has them; OCPIZZA_REQUIRE_SMTP=1 makes this a failure
        """

    static let isInstalled: Bool = {
        guard FileManager.default.isExecutableFile(atPath: python) else { return false }
        let process = Process()
        process.executableURL = URL(filePath: python)
        process.arguments = ["-c", "import aiosmtpd.controller, trustme"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return false
        }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    /// What the server printed when it was ready.
    struct Info: Decodable, Sendable {
        /// `starttls`, `login`, `implicit`, `plain`, `helo`, `silent`.
        var ports: [String: Int]
        /// The PEM file of the CA that signed the server's certificate.
        var ca: String
        var user: String
        var password: String
    }

    /// A message as the server received and decoded it.
    struct Mail: Decodable, Sendable {
        var server: String
        var queueID: String
        var mailFrom: String
        var recipients: [String]
        var messageID: String
        var idempotencyKey: String
        var subject: String
        var from: String
        var date: String
        var contentType: String
        var text: String
        var html: String?
        var raw: String
        var tls: Bool
        var authenticated: Bool
    }

    /// One `AUTH` the server saw.
    struct AuthAttempt: Decodable, Sendable {
        var server: String
        var mechanism: String
        var tls: Bool
        var success: Bool
    }

    struct Received: Decodable, Sendable {
        var messages: [Mail]
        var auth: [AuthAttempt]
    }

    // MARK: - Control

    /// The server's ports and CA, starting it on first use (on a thread of its own: it takes
    /// seconds on a loaded machine).
    static func info() async throws -> Info {
        try await BlockingWork.run { try server.get().info }
    }

    /// Makes the starttls server treat the next message so (`accept`, `fail`, `refuse`, `drop`,
    /// `refuse-recipient`), or stop listening (`down`) until the next call.
    static func behave(_ behaviour: String) async throws {
        _ = try await request("behave \(behaviour)")
    }

    /// Every message the servers accepted and every AUTH they saw, since the process started.
    static func received() async throws -> Received {
        try JSONDecoder().decode(Received.self, from: try await request("received"))
    }

    /// The messages whose idempotency key header is `key`.
    static func messages(withKey key: String) async throws -> [Mail] {
        try await received().messages.filter { $0.idempotencyKey == key }
    }

    private static func request(_ line: String) async throws -> Data {
        try await BlockingWork.run {
            let process = try server.get()
            return try process.lock.withLock { _ in
                try process.input.write(contentsOf: Data((line + "\n").utf8))
                guard let answer = readLine(from: process.output, within: 30) else {
                    throw Unavailable(description: "the SMTP test server did not answer \(line)")
                }
                return Data(answer.utf8)
            }
        }
    }

    // MARK: - Notifiers

    /// The TLS configuration that trusts the server's CA.
    static func tlsConfiguration() async throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .file(try await info().ca)
        return configuration
    }

    /// The URL of one of the servers, with the test user's credentials (percent-encoded) unless
    /// `credentials` is false.
    static func url(_ server: String, scheme: String = "smtp", credentials: Bool = true, query: String = "") async throws -> String {
        let info = try await info()
        let port = try #require(info.ports[server], "no SMTP test server \(server)")
        let userinfo = credentials ? "\(encoded(info.user)):\(encoded(info.password))@" : ""
        return "\(scheme)://\(userinfo)localhost:\(port)\(query)"
    }

    /// A notifier on one of the servers, sending as `commandes@ocpizza.test`.
    static func notifier(
        _ server: String = "starttls",
        scheme: String = "smtp",
        credentials: Bool = true,
        query: String = "",
        commandTimeout: Duration = .seconds(10),
        tlsConfiguration: TLSConfiguration? = nil,
        logger: Logger = Logger(label: "test.smtp") { _ in SwiftLogNoOpLogHandler() }
    ) async throws -> SMTPNotifier {
        let trusted = try await self.tlsConfiguration()
        return SMTPNotifier(
            configuration: try .init(
                url: try await url(server, scheme: scheme, credentials: credentials, query: query),
                sender: "commandes@ocpizza.test",
                senderName: "OC Pizza — Lyon Part-Dieu",
                ehloName: "caisse.ocpizza.test",
                connectTimeout: .seconds(5),
                commandTimeout: commandTimeout,
                tlsConfiguration: tlsConfiguration ?? trusted,
                logger: logger
            )
        )
    }

    /// The conformance suite's fixture: the STARTTLS server with AUTH.
    static func fixture() async throws -> NotifierFixture {
        NotifierFixture(
            notifier: try await notifier(),
            channel: .email,
            recipient: "client@example.com",
            supported: [.accept, .failTemporarily, .refuse, .dropConnection, .down],
            script: { behaviour in
                switch behaviour {
                case .accept: try await behave("accept")
                case .failTemporarily: try await behave("fail")
                case .refuse: try await behave("refuse")
                case .dropConnection: try await behave("drop")
                case .down: try await behave("down")
                }
            },
            received: {
                try await received().messages.map {
                    NotifierFixture.ReceivedMessage(
                        recipient: $0.recipients.first ?? "",
                        idempotencyKey: $0.idempotencyKey,
                        subject: $0.subject,
                        text: $0.text
                    )
                }
            }
        )
    }

    private static func encoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }

    // MARK: - The process

    private final class Running: Sendable {
        let info: Info
        let input: FileHandle
        let output: Int32
        /// One request and its answer at a time.
        let lock = Mutex(())

        init(info: Info, input: FileHandle, output: Int32) {
            self.info = info
            self.input = input
            self.output = output
        }
    }

    private static let server: Result<Running, Unavailable> = start()

    private static let serverProcess = Mutex<Int32>(0)

    private static func start() -> Result<Running, Unavailable> {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            return .failure(Unavailable(description: "no Python at \(python) (set OCPIZZA_AIOSMTPD_PYTHON or run .ci/run's aiosmtpd step)"))
        }
        let script = URL(filePath: #filePath).deletingLastPathComponent().appending(path: "smtp_server.py").path
        let log = FileManager.default.temporaryDirectory.appending(path: "ocpizza-smtp-\(getpid())-\(UUID().uuidString.prefix(8)).log").path
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let process = Process()
        process.executableURL = URL(filePath: python)
        process.arguments = [script]
        let output = Pipe()
        let input = Pipe()
        process.standardOutput = output
        process.standardInput = input
        process.standardError = FileHandle(forWritingAtPath: log)
        do {
            try process.run()
        } catch {
            return .failure(Unavailable(description: "could not start the SMTP test server with \(python): \(error)"))
        }
        serverProcess.withLock { $0 = process.processIdentifier }
        atexit {
            let pid = SMTPTestServer.serverProcess.withLock { $0 }
            if pid > 0 { kill(pid, SIGTERM) }
        }
        let descriptor = output.fileHandleForReading.fileDescriptor
        guard let line = readLine(from: descriptor, within: 60), let info = try? JSONDecoder().decode(Info.self, from: Data(line.utf8)) else {
            let errors = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            return .failure(Unavailable(description: "the SMTP test server did not start (log \(log)): \(errors.suffix(2_000))"))
        }
        return .success(Running(info: info, input: input.fileHandleForWriting, output: descriptor))
    }

    /// Reads one line, waiting at most `seconds`: the server writes nothing after a line's newline
    /// until it is asked again.
    private static func readLine(from descriptor: Int32, within seconds: Double) -> String? {
        let deadline = Date().addingTimeInterval(seconds)
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while Date() < deadline {
            var pollDescriptor = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&pollDescriptor, 1, 100) >= 0 else { return nil }
            guard pollDescriptor.revents != 0 else { continue }
            let count = read(descriptor, &chunk, chunk.count)
            guard count > 0 else { return nil }
            bytes += chunk[..<count]
            if bytes.last == UInt8(ascii: "\n") { return String(decoding: bytes.dropLast(), as: UTF8.self) }
        }
        return nil
    }
}
