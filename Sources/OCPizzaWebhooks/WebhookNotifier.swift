public import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
public import OCPizzaKit

/// A `Notifier` that posts each message, signed, to an HTTPS endpoint: the host's own
/// app, or an SMS gateway that takes webhooks.
///
/// One message is one `POST` to ``Configuration/endpoint``, with these headers:
///
/// | header | value |
/// |---|---|
/// | `Content-Type` | `application/json` |
/// | `Idempotency-Key` | `OutboundMessage.idempotencyKey`, the same on every attempt |
/// | `OCPizza-Signature` | `t=<unix seconds>,v1=<hex>`, one `v1` per secret (`WebhookSignature`) |
/// | `User-Agent` | `OCPizzaKit` |
///
/// and this JSON body, UTF-8, keys sorted, every key always present:
///
/// ```json
/// {
///   "channel": "textMessage",
///   "html": null,
///   "idempotencyKey": "notification-5f0c…",
///   "metadata": {"kind": "readyForCollection", "number": "42"},
///   "recipient": "+33612345678",
///   "sentAt": "2026-12-06T19:45:00Z",
///   "subject": "",
///   "text": "Votre commande n° 42 est prête."
/// }
/// ```
///
/// - `channel`: `email` or `textMessage` (`NotificationChannel`); `recipient` is an
///   e-mail address or a phone number accordingly.
/// - `subject`: empty for a text message; `html`: the e-mail's HTML part, `null` for a text message.
/// - `metadata`: string values only, what the message is about (`kind`, `order`, `number`,
///   `pizzeria`), no personal data; new keys may appear.
/// - `sentAt`: when this attempt was signed, ISO 8601 in UTC to the second. It changes between
///   attempts, as the signature does; `idempotencyKey` does not: receivers deduplicate on it.
///
/// The receiver verifies the signature with `WebhookSignature.verify(header:body:secrets:tolerance:now:)`
/// (or the algorithm documented there, in any language) over the raw body, then answers:
///
/// | answer | outcome |
/// |---|---|
/// | `2xx` | `NotifierOutcome.delivered(receipt:)`, with the `X-Request-Id` (or `Request-Id`) header as receipt, at most 128 characters, when there is one |
/// | `408`, `425`, `429`, `5xx` | `NotifierOutcome.retryLater(_:)` |
/// | `3xx` | `NotifierOutcome.rejected(_:)`: redirects are not followed, configure the final URL |
/// | other `4xx` | `NotifierOutcome.rejected(_:)` |
/// | no answer within ``Configuration/timeout``, a refused or dropped connection, an answer cut short | `NotifierOutcome.retryLater(_:)` |
///
/// At most 16 KiB of the answer's body is read, then dropped: it is never logged nor kept. When the
/// calling task is cancelled, ``send(_:)`` throws `CancellationError` (the request may or may not
/// have reached the endpoint; the idempotency key makes the next attempt safe).
///
/// Reasons and logs name the endpoint's host, the status and the idempotency key: never the
/// recipient, the message, the endpoint's path or a secret.
public struct WebhookNotifier: Notifier {
    /// `"webhook"`.
    public var name: String { "webhook" }
    /// Where messages are posted and how they are signed.
    public let configuration: Configuration

    private let httpClient: HTTPClient
    /// The endpoint's scheme, host and port, for reasons and logs.
    private let origin: String

    /// The most of an answer's body read.
    static let maximumResponseBytes = 16 * 1024
    /// The longest receipt kept from a response header.
    static let maximumReceiptLength = 128

    /// A client like AsyncHTTPClient's `HTTPClient.shared`, for the whole process and never shut
    /// down, except that it follows no redirect: a redirect would carry the signed message, its
    /// recipient and its text, wherever the `Location` says.
    public static var sharedHTTPClient: HTTPClient { noRedirectClient }

    /// Creates a notifier.
    ///
    /// - Parameters:
    ///   - configuration: the endpoint, the secrets and the timeout.
    ///   - httpClient: the client that sends the requests, ``sharedHTTPClient`` by default. A
    ///     client of your own must be configured with `redirectConfiguration: .disallow`; should it
    ///     follow a redirect all the same, the message is counted rejected.
    /// - Throws: ``ConfigurationError`` when the endpoint is not an `http(s)` URL, is plain `http`
    ///   to a host that is not loopback without ``Configuration/allowsInsecureHTTP``, when there is
    ///   no secret, or when the timeout is not positive.
    public init(configuration: Configuration, httpClient: HTTPClient = WebhookNotifier.sharedHTTPClient) throws(ConfigurationError) {
        guard let components = URLComponents(string: configuration.endpoint),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = components.host, !host.isEmpty
        else {
            throw ConfigurationError(.invalidEndpoint, reason: "the webhook endpoint must be an absolute http or https URL with a host")
        }
        if scheme == "http", !Self.isLoopback(host), !configuration.allowsInsecureHTTP {
            throw ConfigurationError(
                .insecureEndpoint,
                reason: "the webhook endpoint on \(host) must use https (plain http is allowed to a loopback host, or with allowsInsecureHTTP)"
            )
        }
        guard !configuration.secrets.isEmpty else {
            throw ConfigurationError(.noSecret, reason: "a webhook notifier needs at least one signing secret")
        }
        guard configuration.timeout > .zero else {
            throw ConfigurationError(.invalidTimeout, reason: "the webhook timeout must be positive, not \(configuration.timeout)")
        }
        self.configuration = configuration
        self.httpClient = httpClient
        self.origin = "\(scheme)://\(host)" + (components.port.map { ":\($0)" } ?? "")
    }

    /// Posts one message, signed, and says how the endpoint answered.
    ///
    /// - Returns: `NotifierOutcome.delivered(receipt:)` for a `2xx`,
    ///   `NotifierOutcome.retryLater(_:)` for a failure that may pass,
    ///   `NotifierOutcome.rejected(_:)` for a refusal (see the table above).
    /// - Throws: `CancellationError` when the calling task is cancelled.
    public func send(_ message: OutboundMessage) async throws -> NotifierOutcome {
        try Task.checkCancellation()
        let key = message.idempotencyKey
        guard Self.canTravelInAHeader(key) else {
            return .rejected("the idempotency key is not printable ASCII, so it cannot travel in an HTTP header")
        }
        let signedAt = Date()
        let body: [UInt8]
        do {
            body = try WebhookPayload(message, sentAt: signedAt).encoded()
        } catch {
            return .rejected("the message could not be encoded as JSON")
        }
        var request = HTTPClientRequest(url: configuration.endpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Idempotency-Key", value: key)
        request.headers.add(name: WebhookSignature.headerName, value: WebhookSignature.sign(body: body, secrets: configuration.secrets, at: signedAt))
        request.headers.add(name: "User-Agent", value: "OCPizzaKit")
        request.body = .bytes(body)

        let clock = ContinuousClock()
        let started = clock.now
        var metadata: Logger.Metadata = ["webhook.origin": "\(origin)", "notification.key": "\(key)"]
        let outcome: NotifierOutcome
        do {
            let response = try await httpClient.execute(request, timeout: .nanoseconds(Self.nanoseconds(configuration.timeout)))
            // The answer counts once its end arrived: one cut short may not be what the endpoint meant.
            var read = 0
            for try await chunk in response.body {
                read += chunk.readableBytes
                if read >= Self.maximumResponseBytes { break }
            }
            metadata["http.status"] = "\(response.status.code)"
            outcome = answer(to: response)
        } catch {
            if error is CancellationError || Task.isCancelled {
                configuration.logger.debug("Webhook delivery cancelled", metadata: metadata)
                throw CancellationError()
            }
            outcome = .retryLater(failure(error))
        }
        metadata["webhook.duration_ms"] = "\((clock.now - started) / .milliseconds(1))"
        switch outcome {
        case .delivered: configuration.logger.debug("Webhook delivered", metadata: metadata)
        case .retryLater(let reason), .rejected(let reason):
            metadata["webhook.failure"] = "\(reason)"
            configuration.logger.debug("Webhook not delivered", metadata: metadata)
        }
        return outcome
    }

    // MARK: - Answers

    private func answer(to response: HTTPClientResponse) -> NotifierOutcome {
        let status = Int(response.status.code)
        if response.history.count > 1 {
            return .rejected(
                "\(origin) redirected the delivery and the HTTP client followed: configure the final URL and a client that follows no redirect"
            )
        }
        switch status {
        case 200..<300:
            let receipt = response.headers.first(name: "X-Request-Id") ?? response.headers.first(name: "Request-Id")
            return .delivered(receipt: receipt.flatMap(Self.receipt))
        case 300..<400:
            return .rejected("\(origin) answered HTTP \(status), a redirect, which is not followed: configure the final URL")
        case 408, 425, 429, 500..<600:
            return .retryLater("\(origin) answered HTTP \(status)")
        default:
            return .rejected("\(origin) answered HTTP \(status)")
        }
    }

    /// A reason for a request that got no complete answer: no path, no body, no recipient.
    private func failure(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            if error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
                return "\(origin) did not answer within \(configuration.timeout)"
            }
            if error == .remoteConnectionClosed {
                return "\(origin) closed the connection before its answer ended"
            }
        }
        return "could not deliver to \(origin): \(String(String(describing: error).prefix(200)))"
    }

    /// A receipt from a response header: printable ASCII, at most ``maximumReceiptLength``
    /// characters; `nil` for anything else.
    private static func receipt(_ value: String) -> String? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.utf8.allSatisfy({ (0x20...0x7E).contains($0) }) else { return nil }
        return String(trimmed.prefix(maximumReceiptLength))
    }

    private static func canTravelInAHeader(_ key: String) -> Bool {
        !key.isEmpty && key.utf8.count <= 1_024 && key.utf8.allSatisfy { (0x21...0x7E).contains($0) }
    }

    private static func isLoopback(_ host: String) -> Bool {
        let host = host.lowercased()
        if host == "localhost" || host == "::1" || host == "[::1]" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : whole.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue
    }
}

extension WebhookNotifier: CustomStringConvertible {
    /// The endpoint's origin and how many secrets sign, never the secrets nor the endpoint's path.
    public var description: String {
        "WebhookNotifier(\(origin), secrets: \(configuration.secrets.count) redacted, timeout: \(configuration.timeout))"
    }
}

private let noRedirectClient: HTTPClient = {
    var configuration = HTTPClient.Configuration.singletonConfiguration
    configuration.redirectConfiguration = .disallow
    return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
}()
