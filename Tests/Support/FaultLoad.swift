import Foundation
import OCPizzaKit
import OCPizzaKitSamples
import OCPizzaPostgres

/// The load of the PostgreSQL fault test, shared by the test and its worker processes
/// (`ocpizza-fault-worker`): where and what they order, which ingredient is scarce, how errors
/// are named, and the journal each worker writes.
public enum FaultLoad {
    /// Every order goes to one pizzeria, so every client competes for the same stock rows.
    public static let pizzeria = SampleCatalog.Pizzerias.bastille

    /// Who places, modifies, cancels and prepares: a manager may do all four.
    public static let principal: Principal = .staff("fault-load", .manager, at: pizzeria)

    /// The ingredient the test keeps short, so that placements and modifications are refused for it.
    public static let scarceIngredient = SampleCatalog.Ingredients.mozzarella

    /// The carts clients choose from: three need the scarce mozzarella, one (drinks) does not,
    /// so placements go on being accepted once the mozzarella has run out.
    public static let carts: [Cart] = [
        Cart([CartLine(SampleCatalog.Products.margherita, size: SampleCatalog.Sizes.medium)]),
        Cart([CartLine(SampleCatalog.Products.margherita, size: SampleCatalog.Sizes.medium, quantity: 2)]),
        Cart([
            CartLine(SampleCatalog.Products.reine, size: SampleCatalog.Sizes.large),
            CartLine(SampleCatalog.Products.cocaCola, size: SampleCatalog.Sizes.single),
        ]),
        Cart([CartLine(SampleCatalog.Products.cocaCola, size: SampleCatalog.Sizes.single, quantity: 2)]),
    ]

    /// The worker's service options: opening hours never refuse (the test runs at any hour).
    public static let options = PizzeriaService.Options(enforceOpeningHours: false)

    /// A request for one of ``carts``, paid on delivery, to take away.
    public static func request(cart: Int) -> OrderRequest {
        OrderRequest(pizzeria: pizzeria, cart: carts[cart % carts.count], fulfilment: .takeAway, channel: .counter, payment: .onDelivery)
    }

    /// An attempt that got no answer within its time limit: its outcome is unknown.
    public struct AttemptTimedOut: Error, CustomStringConvertible {
        public init() {}
        public var description: String { "no answer within the attempt's time limit" }
    }

    /// The name an error is counted under: its type and case (`StockError.shortage`,
    /// `StoreError(retryable)`, `StoreError(retryable, connectionDropped)` for a command the
    /// store gave up on), or `untyped …` for an error that is none of the library's.
    public static func kind(of error: any Error) -> String {
        switch error {
        case let error as StoreError:
            if let abandoned = error.underlying as? PostgresStore.CommandAbandoned {
                "StoreError(retryable, \(abandoned.reason))"
            } else {
                error.isRetryable ? "StoreError(retryable)" : "StoreError"
            }
        case let error as StockError: "StockError." + caseName(error)
        case let error as OrderError: "OrderError." + caseName(error)
        case let error as PaymentError: "PaymentError." + caseName(error)
        case let error as PricingError: "PricingError." + caseName(error)
        case let error as AccessError: "AccessError." + caseName(error)
        case is AttemptTimedOut: "timeout"
        case is CancellationError: "CancellationError"
        default: "untyped \(type(of: error))"
        }
    }

    /// Whether trying the same command again may help: a retryable `StoreError`, or no answer at all.
    public static func isRetryable(_ error: any Error) -> Bool {
        (error as? StoreError)?.isRetryable == true || error is AttemptTimedOut
    }

    private static func caseName(_ value: some Any) -> String {
        Mirror(reflecting: value).children.first?.label ?? String(describing: value)
    }

    /// One line of a worker's journal (JSON lines, in the order things happened).
    public struct Record: Codable, Sendable {
        /// What the line says.
        public enum Kind: String, Codable, Sendable {
            /// A placement with ``key`` is about to be sent for the first time.
            case sent
            /// The placement with ``key`` was acknowledged as ``order``; ``isNew`` is `false` when
            /// a retry found the order an earlier attempt had placed.
            case acknowledged
            /// The placement with ``key`` was refused with a typed error (``outcome``): no order.
            case refused
            /// The placement with ``key`` got no final answer within its retries or the time limit.
            case unresolved
            /// An operation (``operation``) finished, with ``outcome`` `ok` or the error's kind.
            case finished
            /// The worker's totals, its last line.
            case summary
        }

        public var kind: Kind
        public var key: String?
        public var order: String?
        public var isNew: Bool?
        public var operation: String?
        public var outcome: String?
        public var summary: Summary?

        public init(
            _ kind: Kind,
            key: String? = nil,
            order: String? = nil,
            isNew: Bool? = nil,
            operation: String? = nil,
            outcome: String? = nil,
            summary: Summary? = nil
        ) {
            self.kind = kind
            self.key = key
            self.order = order
            self.isNew = isNew
            self.operation = operation
            self.outcome = outcome
            self.summary = summary
        }
    }

    /// A worker's totals.
    public struct Summary: Codable, Sendable {
        public var worker: Int
        public var clients: Int
        /// Operations each client was asked for.
        public var operationsPerClient: Int
        /// Operations finished (answered, refused, or given up after the retries).
        public var operations: Int
        /// Clients that stopped at the time limit before finishing their operations.
        public var clientsStoppedByTimeLimit: Int
        /// Attempts repeated after a retryable error or a timeout.
        public var retries: Int
        /// Errors seen by any attempt, by ``FaultLoad/kind(of:)``.
        public var errors: [String: Int]
        /// Operations by name and outcome (`place ok`, `place StockError.shortage`…).
        public var outcomes: [String: Int]
        /// The first message seen of each kind of `StoreError` and timeout, to say what they were.
        public var messages: [String: String]
        public var seconds: Double

        public init(
            worker: Int,
            clients: Int,
            operationsPerClient: Int,
            operations: Int,
            clientsStoppedByTimeLimit: Int,
            retries: Int,
            errors: [String: Int],
            outcomes: [String: Int],
            messages: [String: String],
            seconds: Double
        ) {
            self.worker = worker
            self.clients = clients
            self.operationsPerClient = operationsPerClient
            self.operations = operations
            self.clientsStoppedByTimeLimit = clientsStoppedByTimeLimit
            self.retries = retries
            self.errors = errors
            self.outcomes = outcomes
            self.messages = messages
            self.seconds = seconds
        }
    }
}
