import Foundation
public import HTTPTypes
public import Hummingbird
public import OCPizzaKit

/// An error answer in the RFC 9457 `application/problem+json` form: a stable `type`, a short
/// `title`, the HTTP `status`, a `detail` that says what is wrong in this request, and extension
/// members when the client can act on them (the short ingredients of a refused order).
public struct Problem: Error, Hashable, Sendable, Codable, ResponseGenerator {
    /// A URI naming the kind of problem, `urn:ocpizza:problem:<slug>`; clients switch on it.
    public var type: String
    /// A short summary of the kind of problem.
    public var title: String
    /// The HTTP status code.
    public var status: Int
    /// What is wrong with this request.
    public var detail: String
    /// The request's id, as in the `X-Request-Id` header and the logs.
    public var instance: String?
    /// For a stock shortage: what is missing. For a slot refused, the shortages found with it.
    public var shortages: [Shortage]?
    /// For a slot refused (`slot-unavailable`): every reason, with its dates and what is left.
    var slotProblems: [SlotProblemResource]?
    /// For an order refused by the reservation policy: what it would hold beyond the bound.
    public var excesses: [HoldExcess]?
    /// For a payment needing the customer (3-D Secure): what to do next.
    public var customerAction: CustomerAction?
    /// Seconds after which a retry may succeed (also sent as `Retry-After`).
    public var retryAfter: Int?

    /// Creates a problem.
    public init(_ status: HTTPResponse.Status, _ slug: String, _ title: String, detail: String, retryAfter: Int? = nil) {
        self.type = "urn:ocpizza:problem:\(slug)"
        self.title = title
        self.status = status.code
        self.detail = detail
        self.retryAfter = retryAfter
    }

    /// The JSON answer.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        if status == 401 { headers[.wwwAuthenticate] = "Bearer realm=\"ocpizza\"" }
        return Response(
            status: HTTPResponse.Status(code: status),
            headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(self)))
        )
    }
}

extension Problem {
    /// 402, which the status table of HTTPTypes does not name.
    static let paymentRequired = HTTPResponse.Status(code: 402, reasonPhrase: "Payment Required")

    /// A request without a usable bearer token.
    static func unauthenticated(_ detail: String) -> Problem {
        Problem(.unauthorized, "unauthenticated", "Authentication required", detail: detail)
    }

    /// A request body above the size limit.
    static func bodyTooLarge(limit: Int) -> Problem {
        Problem(.contentTooLarge, "body-too-large", "Request body too large", detail: "the body is above the limit of \(limit) bytes")
    }

    /// A request body or parameter that cannot be read.
    static func badRequest(_ detail: String) -> Problem {
        Problem(.badRequest, "bad-request", "Malformed request", detail: detail)
    }

    /// The answer for any error a route throws: the library's typed errors get their own status
    /// and say what is wrong; anything unexpected is a 500 that says nothing about the inside.
    static func from(_ error: any Error) -> Problem {
        switch error {
        case let problem as Problem: return problem
        case let error as AccessError: return Problem(.forbidden, "forbidden", "Not allowed", detail: error.description)
        case let error as AccessTokens.Failure: return .unauthenticated(error.description)
        case let error as PricingError: return from(error)
        case let error as StockError: return from(error)
        case let error as SlotError: return from(error)
        case let error as ReservationError: return from(error)
        case let error as OrderError: return from(error)
        case let error as PaymentError: return from(error)
        case let error as PaymentProviderError: return from(error)
        case let error as JournalError: return from(error)
        case let error as NotificationError: return from(error)
        case let error as SalesReportError: return SalesRoutes.invalidRange(error.description)
        case let error as CatalogError: return Problem(.unprocessableContent, "invalid-catalog", "Invalid catalog", detail: error.description)
        case let error as StoreError where error.isRetryable:
            return Problem(
                .serviceUnavailable,
                "store-unavailable",
                "Storage unavailable",
                detail: "the database is unavailable; retry shortly",
                retryAfter: 2
            )
        case let error as HTTPError:
            let detail = error.body ?? error.status.reasonPhrase
            return Problem(error.status, "http-\(error.status.code)", error.status.reasonPhrase, detail: detail)
        case is DecodingError:
            return .badRequest("the request body is not the JSON this endpoint expects")
        default:
            return Problem(
                .internalServerError,
                "internal",
                "Internal error",
                detail: "an unexpected error occurred; it was logged with this request's id"
            )
        }
    }

    private static func from(_ error: PricingError) -> Problem {
        if case .unknownPizzeria = error { return Problem(.notFound, "unknown-pizzeria", "Unknown pizzeria", detail: error.description) }
        return Problem(.unprocessableContent, "invalid-cart", "The cart cannot be priced", detail: error.description)
    }

    private static func from(_ error: JournalError) -> Problem {
        switch error {
        case .invalidPeriod: return Problem(.unprocessableContent, "invalid-period", "Invalid period", detail: error.description)
        case .periodNotOver: return Problem(.conflict, "period-not-over", "Period not over", detail: error.description)
        case .invalidKey, .currencyMismatch, .overflow, .journalNotEmpty, .periodNotClosed, .invalidArchive, .verificationFailed:
            return Problem(
                .internalServerError,
                "internal",
                "Internal error",
                detail: "an unexpected error occurred; it was logged with this request's id"
            )
        }
    }

    /// An operator's change to a notification: unknown is 404; one that is not (or no longer) in
    /// a state that allows it is 409, to read again.
    private static func from(_ error: NotificationError) -> Problem {
        switch error {
        case .notFound: return Problem(.notFound, "notification-not-found", "Notification not found", detail: error.description)
        case .notDead, .alreadySettled, .changedConcurrently:
            return Problem(.conflict, "notification-state", "Not possible in the notification's current state", detail: error.description)
        }
    }

    private static func from(_ error: StockError) -> Problem {
        switch error {
        case .shortage(let shortages):
            var problem = Problem(.conflict, "stock-shortage", "Not enough stock", detail: error.description)
            problem.shortages = shortages
            return problem
        case .exceedsAvailable, .belowReserved, .inconsistentReservation:
            return Problem(.conflict, "stock-conflict", "Stock conflict", detail: error.description)
        case .unknownIngredient, .invalidQuantity, .overflow, .unknownRecipe:
            return Problem(.unprocessableContent, "invalid-stock-movement", "Invalid stock movement", detail: error.description)
        }
    }

    /// The time asked for cannot be had: 409 like a shortage, with every reason and the shortages
    /// found at the same time, so that the customer changes everything at once.
    private static func from(_ error: SlotError) -> Problem {
        switch error {
        case .unavailable(let problems, let shortages):
            var problem = Problem(.conflict, "slot-unavailable", "Slot unavailable", detail: error.description)
            problem.slotProblems = problems.map(SlotProblemResource.init)
            if !shortages.isEmpty { problem.shortages = shortages }
            return problem
        }
    }

    /// A customer's unpaid orders already hold what the reservation policy allows: 409, with what
    /// is over the bound; paying or cancelling an unpaid order, or ordering less, gets through.
    private static func from(_ error: ReservationError) -> Problem {
        switch error {
        case .tooManyUnpaidOrders:
            return Problem(.conflict, "unpaid-orders-limit", "Too many unpaid orders", detail: error.description)
        case .customerShareExceeded(let excesses), .unpaidShareExceeded(let excesses):
            var problem = Problem(.conflict, "reservation-limit", "Too much stock held unpaid", detail: error.description)
            problem.excesses = excesses
            return problem
        }
    }

    private static func from(_ error: OrderError) -> Problem {
        switch error {
        case .notFound: return Problem(.notFound, "order-not-found", "Order not found", detail: error.description)
        // `notLate` answers the late-orders job, never a route; were it to reach one, the order
        // moved on: a state conflict.
        case .illegalTransition, .wrongFulfilment, .unpaid, .paymentOutstanding, .paymentWindowOpen, .unpaidOrdersOpen, .notLate:
            return Problem(.conflict, "order-state", "Not possible in the order's current state", detail: error.description)
        case .pizzeriaClosed: return Problem(.conflict, "pizzeria-closed", "Pizzeria closed", detail: error.description)
        case .idempotencyKeyReused:
            return Problem(.unprocessableContent, "idempotency-key-reused", "Idempotency key reused", detail: error.description)
        case .invalidIdempotencyKey, .invalidText: return .badRequest(error.description)
        case .missingDriver, .pizzeriaChange:
            return Problem(.unprocessableContent, "invalid-order-change", "Invalid order change", detail: error.description)
        }
    }

    private static func from(_ error: PaymentError) -> Problem {
        switch error {
        case .operationInProgress:
            return Problem(.conflict, "payment-in-progress", "Payment operation in progress", detail: error.description, retryAfter: 2)
        case .noProvider:
            return Problem(.serviceUnavailable, "payments-unavailable", "Online payments unavailable", detail: error.description)
        case .nonPositiveAmount, .captureAboveAuthorized, .refundAboveRefundable, .currencyMismatch, .amountMismatch:
            return Problem(.unprocessableContent, "invalid-amount", "Invalid amount", detail: error.description)
        case .illegalStep, .noPayment, .alreadyAuthorized, .orderNotAwaitingPayment, .wrongMode, .alreadyCollected:
            return Problem(.conflict, "payment-state", "Not possible in the payment's current state", detail: error.description)
        }
    }

    private static func from(_ error: PaymentProviderError) -> Problem {
        switch error {
        case .declined(let reason, _):
            return Problem(Problem.paymentRequired, "payment-declined", "Payment declined", detail: "the payment was declined: \(reason)")
        case .requiresAction(let action):
            var problem = Problem(.conflict, "payment-action-required", "Customer action required", detail: "the customer must confirm the payment")
            problem.customerAction = action
            return problem
        case .unavailable:
            return Problem(
                .serviceUnavailable,
                "provider-unavailable",
                "Payment provider unavailable",
                detail: "the payment provider did not answer; retry shortly",
                retryAfter: 5
            )
        case .invalidRequest, .notFound:
            return Problem(.badGateway, "provider-error", "Payment provider error", detail: "the payment provider refused the request")
        case .invalidWebhook(let detail):
            return Problem(.badRequest, "invalid-webhook", "Invalid webhook", detail: detail)
        }
    }
}
