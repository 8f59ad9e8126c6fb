import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import OCPizzaKit
import OCPizzaStripe
import Synchronization
import Testing

/// A throwaway localstripe (a fake Stripe server, PyPI `localstripe`) for the tests.
///
/// - Started once per test process, from the Python in `OCPIZZA_LOCALSTRIPE_PYTHON`, else
///   `/opt/localstripe-venv/bin/python` (the virtualenv `.ci/run` creates), on 127.0.0.1 with a
///   port the kernel picks; killed when the process exits, and it exits by itself when the test
///   process dies (it watches its standard input).
/// - Its state stays in memory: the launcher turns off localstripe's dump to
///   `/tmp/localstripe.pickle` (a path every localstripe on the machine shares), so parallel runs
///   never see each other's objects. Started this way it never loads that file either.
/// - When no localstripe is found, the tests that need it are skipped, unless
///   `OCPIZZA_REQUIRE_STRIPE=1` (CI sets it), where they fail with the reason.
public enum LocalStripe {
    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    /// A Stripe error answer from a helper request, with its status and body.
    public struct RequestFailed: Error, CustomStringConvertible {
        public let description: String
    }

    public static let isRequired = ProcessInfo.processInfo.environment["OCPIZZA_REQUIRE_STRIPE"] == "1"

    /// The Python that has localstripe installed.
    public static let python = ProcessInfo.processInfo.environment["OCPIZZA_LOCALSTRIPE_PYTHON"] ?? "/opt/localstripe-venv/bin/python"

    /// Whether the localstripe tests should run: localstripe can be imported, or CI requires them.
    public static var shouldRun: Bool { isRequired || isInstalled }

    public static let skipReason: Comment = """
        no localstripe: create /opt/localstripe-venv with localstripe (see .ci/run) or set OCPIZZA_LOCALSTRIPE_PYTHON \
        to a Python that has it; OCPIZZA_REQUIRE_STRIPE=1 makes this a failure
        """

    /// Any `sk_…` key works with localstripe; this one is distinctive so that tests can look for it.
    public static let secretKey = "sk_test_OCPizzaLocalSecretKey7f3a9c"

    /// The webhook secret the tests sign with and configure.
    public static let webhookSecret = "whsec_OCPizzaLocalWebhookSecret51d2e8"

    public static let isInstalled: Bool = {
        guard FileManager.default.isExecutableFile(atPath: python) else { return false }
        let process = Process()
        process.executableURL = URL(filePath: python)
        process.arguments = ["-c", "import localstripe.server"]
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

    /// The base URL of the running localstripe, started on first use.
    private static let server: Result<String, Unavailable> = start()

    /// ``server``'s URL, read on a thread of its own: the first read starts localstripe (a Python
    /// program that takes seconds to start on a loaded machine) and every other read waits for it,
    /// which must not hold the threads Swift concurrency runs every test on.
    public static func baseURL() async throws -> String {
        if let url = startedURL.withLock({ $0 }) { return url }
        let url = try await BlockingWork.run { try server.get() }
        startedURL.withLock { $0 = url }
        return url
    }

    /// ``server``'s URL once it has started, so that later requests need no thread.
    private static let startedURL = Mutex<String?>(nil)

    /// A provider on the test localstripe.
    public static func provider(
        secretKey: String = secretKey,
        webhookSecrets: [String] = [webhookSecret],
        retryPolicy: StripeRetryPolicy = StripeRetryPolicy(maxAttempts: 2, backoffBase: .milliseconds(50)),
        logger: Logger = Logger(label: "test.stripe") { _ in SwiftLogNoOpLogHandler() }
    ) async throws -> StripeProvider {
        StripeProvider(
            secretKey: secretKey,
            webhookSecrets: webhookSecrets,
            baseURL: try await baseURL(),
            retryPolicy: retryPolicy,
            timeout: .seconds(10),
            logger: logger
        )
    }

    // MARK: - What the tests do at localstripe besides the provider's calls

    /// A new card payment method (`pm_…`) for a Stripe test card number, such as
    /// `4000002500003155` (3-D Secure required) or `4000000000000341` (charges declined).
    public static func paymentMethod(card number: String) async throws -> String {
        let answer = try await request(
            .POST,
            "/v1/payment_methods",
            form: [
                ("type", "card"), ("card[number]", number), ("card[exp_month]", "12"), ("card[exp_year]", "2034"), ("card[cvc]", "123"),
            ]
        )
        return try JSONDecoder().decode(Identified.self, from: Data(answer)).id
    }

    /// Completes (or fails) 3-D Secure for a payment waiting for the customer, as Stripe.js would.
    public static func authenticate(_ action: CustomerAction, success: Bool = true) async throws {
        let secret = try #require(action.clientSecret, "a customer action without a client secret")
        _ = try await request(
            .POST,
            "/v1/payment_intents/\(action.reference)/_authenticate",
            form: [("client_secret", secret), ("success", success ? "true" : "false")]
        )
    }

    /// Registers a webhook endpoint: localstripe signs with `secret` and posts each event of
    /// `events` (all when empty) to `url`, once, a second after the event.
    public static func registerWebhook(name: String, url: String, secret: String, events: [String] = []) async throws {
        _ = try await request(.POST, "/_config/webhooks/\(name)", form: [("url", url), ("secret", secret)] + events.map { ("events[]", $0) })
    }

    /// Sends one request to localstripe with the test key; returns the body of a 2xx answer.
    public static func request(_ method: HTTPMethod, _ path: String, form: [(String, String)] = []) async throws -> [UInt8] {
        let body = form.map { "\(encoded($0.0))=\(encoded($0.1))" }.joined(separator: "&")
        var request = HTTPClientRequest(url: try await baseURL() + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(secretKey)")
        if method == .POST {
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let bytes = Array(try await response.body.collect(upTo: 1 << 20).readableBytesView)
        guard (200..<300).contains(response.status.code) else {
            throw RequestFailed(description: "\(method) \(path): HTTP \(response.status.code) \(String(decoding: bytes, as: UTF8.self))")
        }
        return bytes
    }

    private struct Identified: Decodable {
        var id: String
    }

    private static func encoded(_ string: String) -> String {
        string.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? string
    }

    // MARK: - The throwaway server

    /// Binds a kernel-chosen port before printing it, so there is no window in which another
    /// process could take it; connections queue from then on, so the server answers as soon as
    /// its loop runs.
    private static let launcher = """
        import os, socket, sys, threading
        import localstripe.resources
        from aiohttp import web
        from localstripe.server import app

        # Keep state in memory: localstripe otherwise pickles it to /tmp/localstripe.pickle on every
        # write, a file shared with every other localstripe on the machine.
        localstripe.resources.Store.dump_to_disk = lambda self: None

        def exit_with_parent():
            sys.stdin.read()
            os._exit(0)

        threading.Thread(target=exit_with_parent, daemon=True).start()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        sock.listen(128)
        print(sock.getsockname()[1], flush=True)
        web.run_app(app, sock=sock, print=None, access_log=None)
        """

    public static let serverProcess = Mutex<Int32>(0)
    /// The write end of localstripe's standard input, open for as long as this process lives.
    private static let lifeline = Mutex<FileHandle?>(nil)

    private static func start() -> Result<String, Unavailable> {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            return .failure(Unavailable(description: "no Python at \(python) (set OCPIZZA_LOCALSTRIPE_PYTHON or run .ci/run's localstripe step)"))
        }
        let log = FileManager.default.temporaryDirectory.appending(path: "ocpizza-localstripe-\(getpid())-\(UUID().uuidString.prefix(8)).log").path
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let process = Process()
        process.executableURL = URL(filePath: python)
        process.arguments = ["-c", launcher]
        let output = Pipe()
        let input = Pipe()
        process.standardOutput = output
        process.standardInput = input
        process.standardError = FileHandle(forWritingAtPath: log)
        do {
            try process.run()
        } catch {
            return .failure(Unavailable(description: "could not start localstripe with \(python): \(error)"))
        }
        lifeline.withLock { $0 = input.fileHandleForWriting }
        serverProcess.withLock { $0 = process.processIdentifier }
        atexit {
            let pid = LocalStripe.serverProcess.withLock { $0 }
            if pid > 0 { kill(pid, SIGTERM) }
        }
        guard let line = readLine(from: output.fileHandleForReading.fileDescriptor, within: 30), let port = Int(line) else {
            let errors = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            return .failure(Unavailable(description: "localstripe did not start (log \(log)): \(errors.suffix(2_000))"))
        }
        let url = "http://127.0.0.1:\(port)"
        guard answers(port: port, within: 30) else {
            return .failure(Unavailable(description: "localstripe at \(url) does not accept connections (log \(log))"))
        }
        return .success(url)
    }

    /// Reads up to the first newline, waiting at most `seconds`.
    private static func readLine(from descriptor: Int32, within seconds: Double) -> String? {
        let deadline = Date().addingTimeInterval(seconds)
        var bytes: [UInt8] = []
        while Date() < deadline {
            var pollDescriptor = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&pollDescriptor, 1, 100) >= 0 else { return nil }
            guard pollDescriptor.revents != 0 else { continue }
            var byte: UInt8 = 0
            guard read(descriptor, &byte, 1) == 1 else { return nil }
            if byte == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(byte)
        }
        return nil
    }

    /// Whether an HTTP request to the port gets an answer (any answer) within `seconds`.
    private static func answers(port: Int, within seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let descriptor = socket(AF_INET, streamSocketType, 0)
            defer { close(descriptor) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            let request = Array("GET / HTTP/1.0\r\n\r\n".utf8)
            if connected == 0, write(descriptor, request, request.count) == request.count,
                readLine(from: descriptor, within: max(0, deadline.timeIntervalSinceNow)) != nil
            {
                return true
            }
            usleep(50_000)
        }
        return false
    }
}

#if canImport(Glibc)
private let streamSocketType = Int32(SOCK_STREAM.rawValue)
#else
private let streamSocketType = SOCK_STREAM
#endif
