import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import OCPizzaKit

/// Stripe's HTTP API as the provider uses it: authenticated, form-encoded requests with an
/// idempotency key on every POST, retried while the failure is temporary, and every failure
/// turned into a `PaymentProviderError` that holds no secret, except the cancellation of the
/// calling task, which surfaces as `CancellationError`.
struct StripeAPI: Sendable {
    let secretKey: String
    let baseURL: String
    let httpClient: HTTPClient
    let retryPolicy: StripeRetryPolicy
    let timeout: Duration
    let logger: Logger
    /// Every secret the provider knows, scrubbed from any text that leaves it.
    let secrets: [String]

    /// The largest answer read; Stripe's objects are a few kilobytes.
    private static let maximumResponseSize = 4 * 1024 * 1024

    /// Sends a POST with a form body and an `Idempotency-Key` header, and decodes the answer.
    ///
    /// - Parameter reference: the payment the call is about, for `PaymentProviderError.notFound(_:)`.
    func post<Answer: Decodable>(
        _ path: String,
        form: StripeForm,
        idempotencyKey: String,
        reference: String?,
        as: Answer.Type = Answer.self
    ) async throws -> Answer {
        let body = try await send(.POST, path, form: form, idempotencyKey: idempotencyKey, reference: reference)
        return try decode(Answer.self, from: body)
    }

    /// Sends a GET with the form as its query, and decodes the answer.
    func get<Answer: Decodable>(
        _ path: String,
        query: StripeForm,
        reference: String?,
        as: Answer.Type = Answer.self
    ) async throws -> Answer {
        let body = try await send(.GET, path, form: query, idempotencyKey: nil, reference: reference)
        return try decode(Answer.self, from: body)
    }

    /// Replaces every secret in `text` with `[redacted]`.
    func redacted(_ text: String) -> String {
        var text = text
        for secret in secrets where !secret.isEmpty {
            text = text.replacingOccurrences(of: secret, with: "[redacted]")
        }
        return text
    }

    // MARK: - Sending, with retries

    /// What one attempt gave.
    private enum Outcome {
        case success([UInt8])
        /// A final failure: not retried.
        case failure(PaymentProviderError)
        /// A temporary failure, described for the final error.
        case temporary(String)
        /// The calling task was cancelled while the request was under way.
        case cancelled
    }

    private func send(
        _ method: HTTPMethod,
        _ path: String,
        form: StripeForm,
        idempotencyKey: String?,
        reference: String?
    ) async throws -> [UInt8] {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(secretKey)")
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "OCPizzaStripe")
        if method == .POST {
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(form.bytes)
        } else if !form.fields.isEmpty {
            request.url += "?" + form.encoded
        }
        if let idempotencyKey {
            request.headers.add(name: "Idempotency-Key", value: idempotencyKey)
        }

        var lastFailure = ""
        for attempt in 1...retryPolicy.maxAttempts {
            if attempt > 1 {
                let delay = retryPolicy.delay(afterAttempt: attempt - 1)
                logger.info(
                    "Stripe request failed, retrying",
                    metadata: [
                        "stripe.method": "\(method.rawValue)", "stripe.path": "\(path)", "stripe.attempt": "\(attempt)",
                        "stripe.failure": "\(lastFailure)",
                    ]
                )
                // Cancelled while waiting: the caller went away, which is not Stripe's failure.
                try await Task.sleep(for: delay)
            }
            // AsyncHTTPClient learns of a cancellation asynchronously and may still send the
            // request: a cancelled caller's request is not sent at all.
            try Task.checkCancellation()
            switch await attemptOnce(request, method: method, path: path, attempt: attempt, reference: reference) {
            case .success(let body):
                return body
            case .failure(let error):
                throw error
            case .cancelled:
                throw CancellationError()
            case .temporary(let failure):
                lastFailure = failure
                try Task.checkCancellation()
            }
        }
        let attempts = retryPolicy.maxAttempts == 1 ? "1 attempt" : "\(retryPolicy.maxAttempts) attempts"
        throw PaymentProviderError.unavailable("\(lastFailure) (\(attempts))")
    }

    private func attemptOnce(
        _ request: HTTPClientRequest,
        method: HTTPMethod,
        path: String,
        attempt: Int,
        reference: String?
    ) async -> Outcome {
        let status: Int
        let headers: HTTPHeaders
        let body: [UInt8]
        do {
            let response = try await httpClient.execute(request, timeout: .nanoseconds(timeout.wholeNanoseconds))
            status = Int(response.status.code)
            headers = response.headers
            body = Array(try await response.body.collect(upTo: Self.maximumResponseSize).readableBytesView)
        } catch {
            // AsyncHTTPClient fails a request whose task is cancelled with `CancellationError`.
            if error is CancellationError || Task.isCancelled {
                logger.debug(
                    "Stripe request cancelled",
                    metadata: ["stripe.method": "\(method.rawValue)", "stripe.path": "\(path)", "stripe.attempt": "\(attempt)"]
                )
                return .cancelled
            }
            let failure = redacted("could not reach Stripe: \(error)")
            logger.debug(
                "Stripe request failed",
                metadata: [
                    "stripe.method": "\(method.rawValue)", "stripe.path": "\(path)", "stripe.attempt": "\(attempt)", "stripe.failure": "\(failure)",
                ]
            )
            return .temporary(failure)
        }
        logger.debug(
            "Stripe answered",
            metadata: ["stripe.method": "\(method.rawValue)", "stripe.path": "\(path)", "stripe.attempt": "\(attempt)", "stripe.status": "\(status)"]
        )
        if (200..<300).contains(status) {
            return .success(body)
        }
        let details = try? JSONDecoder().decode(StripeErrorBody.self, from: Data(body)).error
        let message = details?.message.map(redacted)
        let shouldRetry = headers.first(name: "Stripe-Should-Retry")
        if shouldRetry == "true" || (shouldRetry != "false" && Self.isTemporary(status)) {
            return .temporary("Stripe answered HTTP \(status)" + (message.map { ": \($0)" } ?? ""))
        }
        return .failure(Self.error(status: status, details: details, message: message, reference: reference))
    }

    /// Whether an HTTP status is worth retrying: a lock conflict, a rate limit, a server error.
    private static func isTemporary(_ status: Int) -> Bool {
        status == 409 || status == 429 || status >= 500
    }

    /// The error for a final, non-2xx answer.
    private static func error(status: Int, details: StripeErrorBody.Details?, message: String?, reference: String?) -> PaymentProviderError {
        if status == 402 || details?.type == "card_error" {
            return .declined(reason: message ?? "the card was declined", code: details?.declineCode ?? details?.code)
        }
        if status == 401 {
            // Stripe's message quotes part of the key; say nothing about it.
            return .invalidRequest("authentication failed")
        }
        if status == 404 || details?.code == "resource_missing" {
            return .notFound(reference ?? message ?? "unknown resource")
        }
        var text = "HTTP \(status)"
        if let code = details?.code { text += " \(code)" }
        if let param = details?.param { text += " (\(param))" }
        if let message { text += ": \(message)" }
        return .invalidRequest(text)
    }

    private func decode<Answer: Decodable>(_ type: Answer.Type, from body: [UInt8]) throws(PaymentProviderError) -> Answer {
        do {
            return try JSONDecoder().decode(Answer.self, from: Data(body))
        } catch {
            throw .unavailable("unreadable answer from Stripe: \(redacted(String(describing: error)))")
        }
    }
}
