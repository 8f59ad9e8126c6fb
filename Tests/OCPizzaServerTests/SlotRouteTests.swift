import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import OCPizzaKit
import OCPizzaKitTesting
import Synchronization
import Testing

@testable import OCPizzaServer

/// Ordering ahead over a live socket: the quote's slots, placing as soon as possible and for a
/// slot, the refusals with every reason, the kitchen's queue by promised time, and the late-orders
/// job, with the service's clock set by the test.
@Suite("Slot routes")
struct SlotRouteTests {
    /// A clock the test sets and moves.
    final class TestClock: Sendable {
        private let date: Mutex<Date>

        init(_ date: Date) { self.date = Mutex(date) }

        var now: Date { date.withLock { $0 } }

        func advance(minutes: Double) {
            date.withLock { $0 = $0.addingTimeInterval(minutes * 60) }
        }
    }

    /// Friday 11 December 2026, 16:02 UTC: 15-minute slots from 16:15 for an order taken away
    /// (15 minutes of lead time).
    static let start = date("2026-12-11T16:02:00Z")

    /// Bastille cooks 2 items and delivers once per slot, looks 2 slots ahead for an order as soon
    /// as possible, and takes orders 2 days ahead; the other pizzerias keep the standard schedule.
    static let bounded = OrderingSchedule(slotMinutes: 15, daysAhead: 2, kitchen: .items(2), deliveries: 1, asapSlots: 2)

    static func catalog() throws -> Catalog {
        try SampleCatalog.catalog.scheduling(bounded, at: ServerFixture.bastille)
    }

    static func date(_ text: String) -> Date {
        (try? Date(text, strategy: .iso8601)) ?? Date.distantPast
    }

    static func fixture(_ clock: TestClock) async throws -> ServerFixture {
        try await ServerFixture(reservationPolicy: .unlimited, catalog: try catalog(), now: { clock.now })
    }

    /// A placement body at Bastille, taken away, with a timing (JSON text) or none.
    static func placeBody(quantity: Int = 1, timing: String? = nil, payment: String = "onDelivery") -> ByteBuffer {
        let timingField = timing.map { #", "timing": \#($0)"# } ?? ""
        let fields = #""pizzeria": "paris-bastille", "lines": \#(ServerFixture.lines(quantity)), "fulfilment": {"mode": "takeAway"}"#
        return ByteBuffer(string: #"{\#(fields), "payment": "\#(payment)"\#(timingField)}"#)
    }

    static func place(
        _ client: some TestClientProtocol,
        _ fixture: ServerFixture,
        quantity: Int = 1,
        timing: String? = nil,
        as principal: Principal = ServerFixture.counter
    ) async throws -> TestResponse {
        try await client.execute(
            uri: "/v1/orders",
            method: .post,
            headers: try await fixture.headers(principal),
            body: placeBody(quantity: quantity, timing: timing, payment: principal.role == .customer ? "online" : "onDelivery")
        )
    }

    @Test("an order as soon as possible is promised at the lead time; one for a slot at the slot; both show it")
    func placeForASlotAndASAP() async throws {
        let clock = TestClock(Self.start)
        let fixture = try await Self.fixture(clock)
        try await fixture.application.test(.live) { client in
            let asap = try await Self.place(client, fixture)
            #expect(asap.status == .created)
            let soon = try asap.json(OrderResource.self)
            #expect(soon.timing == .asap)
            #expect(soon.slot == Self.date("2026-12-11T16:15:00Z"))
            #expect(soon.promisedAt == Self.date("2026-12-11T16:17:00Z"))
            #expect(soon.lateSince == nil)

            let absent = try await Self.place(client, fixture, timing: #""asap""#)
            #expect(try absent.json(OrderResource.self).timing == .asap)

            let chosen = try await Self.place(client, fixture, timing: #""2026-12-11T19:30:00Z""#, as: ServerFixture.customer)
            #expect(chosen.status == .created)
            let dinner = try chosen.json(OrderResource.self)
            #expect(dinner.timing == .slot(Self.date("2026-12-11T19:30:00Z")))
            #expect(dinner.slot == Self.date("2026-12-11T19:30:00Z"))
            #expect(dinner.promisedAt == Self.date("2026-12-11T19:30:00Z"))
            let raw = try chosen.object()
            #expect(raw["timing"] as? String == "2026-12-11T19:30:00Z")
            #expect(raw["promisedAt"] as? String == "2026-12-11T19:30:00Z")

            let offset = try await Self.place(client, fixture, timing: #""2026-12-11T20:45:00+01:00""#)
            #expect(try offset.json(OrderResource.self).slot == Self.date("2026-12-11T19:45:00Z"))

            let read = try await client.execute(
                uri: "/v1/orders/\(dinner.id)",
                method: .get,
                headers: try await fixture.headers(ServerFixture.customer)
            )
            #expect(read.status == .ok)
            #expect(try read.json(OrderResource.self).promisedAt == dinner.promisedAt)

            // A modification without timing keeps the slot; with one, it moves.
            let counterDinner = try await Self.place(client, fixture, timing: #""2026-12-11T21:00:00Z""#).json(OrderResource.self)
            let kept = try await client.execute(
                uri: "/v1/orders/\(counterDinner.id)",
                method: .put,
                headers: try await fixture.headers(ServerFixture.counter),
                body: ByteBuffer(string: #"{"lines": \#(ServerFixture.lines(2))}"#)
            )
            #expect(kept.status == .ok, "\(String(buffer: kept.body))")
            #expect(try kept.json(OrderResource.self).slot == counterDinner.slot)
            let moved = try await client.execute(
                uri: "/v1/orders/\(counterDinner.id)",
                method: .put,
                headers: try await fixture.headers(ServerFixture.counter),
                body: ByteBuffer(string: #"{"lines": \#(ServerFixture.lines(2)), "timing": "2026-12-11T20:00:00Z"}"#)
            )
            #expect(moved.status == .ok)
            #expect(try moved.json(OrderResource.self).promisedAt == Self.date("2026-12-11T20:00:00Z"))
        }
    }

    @Test("a full slot is 409 slot-unavailable with what is left; every reason is listed; nothing is placed")
    func fullSlot() async throws {
        let clock = TestClock(Self.start)
        let fixture = try await Self.fixture(clock)
        try await fixture.application.test(.live) { client in
            #expect(try await Self.place(client, fixture, quantity: 2, timing: #""2026-12-11T19:30:00Z""#).status == .created)

            let full = try await Self.place(client, fixture, timing: #""2026-12-11T19:30:00Z""#)
            #expect(full.status == .conflict)
            let problem = try full.problem()
            #expect(problem["type"] as? String == "urn:ocpizza:problem:slot-unavailable")
            let reasons = try #require(problem["slotProblems"] as? [[String: Any]])
            #expect(reasons.count == 1)
            #expect(reasons.first?["kind"] as? String == "full")
            #expect(reasons.first?["slot"] as? String == "2026-12-11T19:30:00Z")
            #expect(reasons.first?["kitchenLeft"] as? Int == 0)
            #expect(reasons.first?["deliveriesLeft"] as? Int == 1)
            #expect(problem["shortages"] == nil)

            // Not a slot start and too far ahead: both at once.
            let twice = try await Self.place(client, fixture, timing: #""2026-12-25T19:37:00Z""#)
            #expect(twice.status == .conflict)
            let kinds = try #require(try twice.problem()["slotProblems"] as? [[String: Any]]).compactMap { $0["kind"] as? String }
            #expect(Set(kinds) == ["not-a-slot-start", "too-far-ahead"])

            let past = try await Self.place(client, fixture, timing: #""2026-12-11T16:00:00Z""#)
            #expect(past.status == .conflict)
            let tooSoon = try #require(try past.problem()["slotProblems"] as? [[String: Any]]).first
            #expect(tooSoon?["kind"] as? String == "too-soon")
            #expect(tooSoon?["earliest"] as? String == "2026-12-11T16:17:00Z")

            // As soon as possible looks through 2 slots: fill them, and the next asap is refused.
            for _ in 0..<2 { #expect(try await Self.place(client, fixture, quantity: 2).status == .created) }
            let none = try await Self.place(client, fixture)
            #expect(none.status == .conflict)
            let noSlot = try #require(try none.problem()["slotProblems"] as? [[String: Any]]).first
            #expect(noSlot?["kind"] as? String == "no-slot-left")
            #expect(noSlot?["from"] as? String == "2026-12-11T16:15:00Z")
            #expect(noSlot?["through"] as? String == "2026-12-11T16:30:00Z")

            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains(#"ocpizza_orders_refused_total{pizzeria="paris-bastille",reason="slot"} 4"#), "\(metrics)")
        }
        #expect(try await fixture.store.everyOrder(at: ServerFixture.bastille, statuses: nil).count == 3)
    }

    @Test("the quote lists the slots for the cart, 96 at most, with what is left and whether it fits")
    func quoteListsOffers() async throws {
        let clock = TestClock(Self.start)
        let fixture = try await Self.fixture(clock)
        try await fixture.application.test(.live) { client in
            #expect(try await Self.place(client, fixture, quantity: 2, timing: #""2026-12-11T19:30:00Z""#).status == .created)
            let quote = try await client.execute(
                uri: "/v1/pizzerias/paris-bastille/quote",
                method: .post,
                headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"lines": \#(ServerFixture.lines(1)), "fulfilment": {"mode": "takeAway"}}"#)
            )
            #expect(quote.status == .ok)
            let slots = try quote.json(QuoteResource.self).slots
            #expect(slots.count == QuoteResource.maximumSlots)
            let first = try #require(slots.first)
            #expect(first.slot == Self.date("2026-12-11T16:15:00Z"))
            #expect(first.promisedAt == Self.date("2026-12-11T16:17:00Z"))
            #expect(first.kitchenLeft == 2 && first.deliveriesLeft == 1 && first.fits)
            #expect(zip(slots, slots.dropFirst()).allSatisfy { $0.slot < $1.slot })
            let dinner = try #require(slots.first { $0.slot == Self.date("2026-12-11T19:30:00Z") })
            #expect(dinner.kitchenLeft == 0 && !dinner.fits)

            // A pizzeria without bounds: what is left is null, not absent.
            let open = try await client.execute(
                uri: "/v1/pizzerias/paris-batignolles/quote",
                method: .post,
                headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"lines": \#(ServerFixture.lines(1)), "fulfilment": {"mode": "takeAway"}}"#)
            )
            let offer = try #require((try open.object()["slots"] as? [[String: Any]])?.first)
            #expect(offer["kitchenLeft"] is NSNull && offer["deliveriesLeft"] is NSNull)
            #expect(offer["fits"] as? Bool == true)
        }
    }

    @Test("the queue lists the live orders by promised time, for the pizzeria's staff only")
    func queueByPromisedTime() async throws {
        let clock = TestClock(Self.start)
        let fixture = try await Self.fixture(clock)
        try await fixture.application.test(.live) { client in
            let late = try await Self.place(client, fixture, timing: #""2026-12-11T19:30:00Z""#).json(OrderResource.self)
            let soon = try await Self.place(client, fixture).json(OrderResource.self)
            let middle = try await Self.place(client, fixture, timing: #""2026-12-11T18:00:00Z""#).json(OrderResource.self)
            // Awaiting its online payment: not in the kitchen's queue.
            #expect(try await Self.place(client, fixture, as: ServerFixture.customer).status == .created)

            let queue = try await client.execute(
                uri: "/v1/pizzerias/paris-bastille/queue",
                method: .get,
                headers: try await fixture.headers(ServerFixture.pizzaiolo)
            )
            #expect(queue.status == .ok)
            let items = try queue.json(ListResource<OrderResource>.self).items
            #expect(items.map(\.id) == [soon.id, middle.id, late.id])

            for principal in [ServerFixture.customer, ServerFixture.otherPizzaiolo] {
                let refused = try await client.execute(
                    uri: "/v1/pizzerias/paris-bastille/queue",
                    method: .get,
                    headers: try await fixture.headers(principal)
                )
                #expect(refused.status == .forbidden)
            }
            let anonymous = try await client.execute(uri: "/v1/pizzerias/paris-bastille/queue", method: .get)
            #expect(anonymous.status == .unauthorized)
        }
    }

    @Test("the late-orders job flags an order past its promised time once, tells the board stream, and counts it")
    func lateJobFlags() async throws {
        let clock = TestClock(Self.start)
        let fixture = try await Self.fixture(clock)
        let job = LateOrdersService(
            service: fixture.dependencies.service,
            interval: .seconds(60),
            metrics: fixture.dependencies.metrics,
            logger: Logger(label: "test.late") { _ in SwiftLogNoOpLogHandler() }
        )
        try await fixture.application.test(.live) { client in
            let soon = try await Self.place(client, fixture).json(OrderResource.self)
            let dinner = try await Self.place(client, fixture, timing: #""2026-12-11T19:30:00Z""#).json(OrderResource.self)
            #expect(await job.sweep() == 0)

            // The kitchen screen's stream hears of it at once.
            let base = "http://127.0.0.1:\(try #require(client.port))"
            let (board, stream) = try await LiveStreamTests.follow(
                "\(base)/v1/pizzerias/paris-bastille/orders/events?access_token=\(try await fixture.token(ServerFixture.pizzaiolo))"
            )
            defer { stream.cancel() }
            try await board.wait(for: "event: board")

            clock.advance(minutes: 28)  // 16:30, past 16:17
            #expect(await job.sweep() == 1)
            #expect(await job.sweep() == 0)
            try await board.wait(for: "event: orderRunningLate")
            try await board.wait(for: #""lateSince":"2026-12-11T16:30:00Z""#)

            let read = try await client.execute(uri: "/v1/orders/\(soon.id)", method: .get, headers: try await fixture.headers(ServerFixture.counter))
            #expect(try read.json(OrderResource.self).lateSince == Self.date("2026-12-11T16:30:00Z"))
            let other = try await client.execute(
                uri: "/v1/orders/\(dinner.id)",
                method: .get,
                headers: try await fixture.headers(ServerFixture.counter)
            )
            #expect(try other.json(OrderResource.self).lateSince == nil)

            let queue = try await client.execute(
                uri: "/v1/pizzerias/paris-bastille/queue",
                method: .get,
                headers: try await fixture.headers(ServerFixture.pizzaiolo)
            )
            #expect(try queue.json(ListResource<OrderResource>.self).items.map { $0.lateSince != nil } == [true, false])

            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains(#"ocpizza_orders_late_total{pizzeria="paris-bastille"} 1"#), "\(metrics)")
            #expect(metrics.contains(#"ocpizza_orders_late_total{pizzeria="vincennes"} 0"#))
        }
    }

    @Test("a timing that is neither asap nor a date-time is 400 naming the field; a date that does not exist is 422")
    func badTiming() async throws {
        let clock = TestClock(Self.start)
        let fixture = try await Self.fixture(clock)
        try await fixture.application.test(.live) { client in
            let malformed = [
                #""soon""#, #""""#, #"42"#, #"{"at": "19:30"}"#, #""2026-12-11T19:30:00""#, #""2026-12-11 19:30:00Z""#,
                #""2026-12-11T19:30Z""#, #""ASAP""#, #""2026-12-11T19:30:00z""#, #""2026-12-11T19:30:00Z ""#,
            ]
            for timing in malformed {
                let answer = try await Self.place(client, fixture, timing: timing)
                #expect(answer.status == .badRequest, "\(timing)")
                #expect((try answer.problem()["detail"] as? String ?? "").hasPrefix("timing"), "\(timing)")
            }
            for timing in [#""2026-02-30T19:30:00Z""#, #""2026-12-11T24:00:00Z""#, #""2026-12-11T19:30:00+24:00""#, #""0000-12-11T19:30:00Z""#] {
                let answer = try await Self.place(client, fixture, timing: timing)
                #expect(answer.status == .unprocessableContent, "\(timing)")
                #expect(try answer.problem()["type"] as? String == "urn:ocpizza:problem:invalid-timing")
                #expect((try answer.problem()["detail"] as? String ?? "").hasPrefix("timing"), "\(timing)")
            }
            let null = try await Self.place(client, fixture, timing: "null")
            #expect(null.status == .created)
            let order = try null.json(OrderResource.self)
            let modify = try await client.execute(
                uri: "/v1/orders/\(order.id)",
                method: .put,
                headers: try await fixture.headers(ServerFixture.counter),
                body: ByteBuffer(string: #"{"lines": \#(ServerFixture.lines(1)), "timing": "later"}"#)
            )
            #expect(modify.status == .badRequest)
        }
        #expect(try await fixture.store.everyOrder(at: ServerFixture.bastille, statuses: nil).count == 1)
    }
}
