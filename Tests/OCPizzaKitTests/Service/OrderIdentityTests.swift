import Foundation
import OCPizzaKitTesting
import Testing

@testable import OCPizzaKit

@Suite("Order identifiers, request fingerprints and business days")
struct OrderIdentityTests {
    @Test("the default order identifier is a random version 4 UUID in lowercase")
    func randomUUIDs() throws {
        var seen: Set<String> = []
        for _ in 0..<1_000 {
            let text = RandomUUID.lowercased()
            let uuid = try #require(UUID(uuidString: text))
            #expect(uuid.uuidString.lowercased() == text)
            let bytes = withUnsafeBytes(of: uuid.uuid) { Array($0) }
            #expect(bytes[6] >> 4 == 4)
            #expect(bytes[8] >> 6 == 0b10)
            seen.insert(text)
        }
        #expect(seen.count == 1_000)
        let placed = PizzeriaService.Options().newOrderID().rawValue
        #expect(UUID(uuidString: placed) != nil && placed == placed.lowercased())
    }

    @Test("a UUID shows every bit of its generator's output but the version and variant")
    func uuidBits() {
        struct Fixed: RandomNumberGenerator {
            var values: [UInt64]
            mutating func next() -> UInt64 { values.removeFirst() }
        }
        var ones = Fixed(values: [.max, .max])
        #expect(RandomUUID.lowercased(using: &ones) == "ffffffff-ffff-4fff-bfff-ffffffffffff")
        var zeros = Fixed(values: [0, 0])
        #expect(RandomUUID.lowercased(using: &zeros) == "00000000-0000-4000-8000-000000000000")
        var counting = Fixed(values: [0x0123_4567_89ab_cdef, 0xfedc_ba98_7654_3210])
        #expect(RandomUUID.lowercased(using: &counting) == "01234567-89ab-4def-bedc-ba9876543210")
    }

    @Test("a request's fingerprint covers every field, and no value passes for another field")
    func fingerprintFields() {
        let cart = Cart([CartLine(SampleCatalog.Products.reine, size: "large", quantity: 2, options: [SampleCatalog.Options.extraMozzarella])])
        let address = Address(street: "1 rue de la Roquette", postcode: "75011", city: "Paris")
        let base = OrderRequest(
            pizzeria: "paris-bastille",
            cart: cart,
            fulfilment: .delivery(address),
            promotionCode: "bienvenue10",
            customer: "c-1",
            contact: OrderContact(name: "Ada", phone: "0600000000", email: "ada@example.org"),
            channel: .web,
            payment: .online
        )
        var variants: [OrderRequest] = []
        func vary(_ change: (inout OrderRequest) -> Void) {
            var request = base
            change(&request)
            variants.append(request)
        }
        vary { $0.pizzeria = "paris-batignolles" }
        vary {
            $0.cart = Cart([CartLine(SampleCatalog.Products.reine, size: "large", quantity: 3, options: [SampleCatalog.Options.extraMozzarella])])
        }
        vary { $0.cart = Cart([CartLine(SampleCatalog.Products.reine, size: "large", quantity: 2)]) }
        vary { $0.fulfilment = .takeAway }
        vary { $0.fulfilment = .delivery(Address(street: "1 rue de la Roquette", details: "code 1234", postcode: "75011", city: "Paris")) }
        vary { $0.promotionCode = nil }
        vary { $0.customer = "c-2" }
        vary { $0.contact = OrderContact(name: "Eve", phone: "0600000000", email: "ada@example.org") }
        vary { $0.contact = OrderContact(name: "Ada", phone: "0611111111", email: "ada@example.org") }
        vary { $0.contact = OrderContact(name: "Ada", phone: "0600000000", email: nil) }
        vary { $0.contact = nil }
        vary { $0.channel = .phone }
        vary { $0.payment = .onDelivery }
        let fingerprints = [base.fingerprint] + variants.map(\.fingerprint)
        #expect(Set(fingerprints).count == fingerprints.count)
        // The same request gives the same fingerprint; the promotion code's case does not matter.
        var same = base
        same.promotionCode = "BIENVENUE10"
        #expect(same.fingerprint == base.fingerprint)
        // A separator inside a value does not shift the fields.
        let shifted = OrderRequest(pizzeria: "a", cart: cart, fulfilment: .delivery(Address(street: "x|y", postcode: "1", city: "2")))
        let other = OrderRequest(pizzeria: "a", cart: cart, fulfilment: .delivery(Address(street: "x", details: "y", postcode: "1", city: "2")))
        #expect(shifted.fingerprint != other.fingerprint)
        // Pinned: the canonical text is part of the stored data (a retried key is compared with it).
        let pinned = OrderRequest(pizzeria: "paris-bastille", cart: cart, fulfilment: .takeAway)
        #expect(
            pinned.fingerprint
                == OrderRequest.digest(
                    "ocpizza-request-2|14:paris-bastille|8:takeAway|-|-|-|-|-|7:counter|10:onDelivery|1:1|5:reine|5:large|1:2|1:1|21:supplement-mozzarella"
                )
        )
    }

    @Test("the business day from a kept calendar equals the one from a new calendar, around 04:00 and DST changes")
    func businessDays() {
        // 2026-03-29 and 2026-10-25 are the European DST changes; 1_795_217_400 is 2026-11-21 00:30 in Paris.
        let instants: [TimeInterval] = [1_774_746_000, 1_774_749_600, 1_774_760_400, 1_792_882_800, 1_792_890_000, 1_795_217_400, 1_795_231_800]
        for zone in ["Europe/Paris", "America/New_York", "Asia/Kolkata", "UTC", "Not/AZone"] {
            let calendar = PizzeriaService.calendar(in: zone)
            for base in instants {
                for step in stride(from: -7 * 3_600.0, through: 7 * 3_600, by: 1_800) {
                    let date = Date(timeIntervalSince1970: base + step)
                    #expect(PizzeriaService.businessDay(of: date, calendar: calendar) == Self.reference(date, zone))
                }
            }
        }
    }

    @Test("the business day a kept calendar remembers equals the calendar's, instant after instant, forwards and backwards")
    func rememberedBusinessDays() {
        // Around the European and American DST changes of 2026 and a Paris night, every 7 minutes
        // (so that instants fall on both sides of 04:00 and of each change), in order and in reverse.
        let bases: [TimeInterval] = [1_774_746_000, 1_792_882_800, 1_773_558_000, 1_793_512_800, 1_795_217_400]
        for zone in ["Europe/Paris", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "UTC", "Not/AZone"] {
            let kept = BusinessCalendar(timeZone: zone)
            for base in bases {
                let instants = stride(from: -30 * 3_600.0, through: 30 * 3_600, by: 420).map { Date(timeIntervalSince1970: base + $0) }
                for date in instants + instants.reversed() {
                    #expect(kept.businessDay(of: date) == Self.reference(date, zone))
                }
            }
        }
    }

    /// The business day as it was computed before the calendar was kept: a new calendar per call,
    /// the hour read first, then the day of the instant or of six hours earlier.
    static func reference(_ date: Date, _ timeZone: String) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timeZone) ?? .gmt
        let local = calendar.dateComponents([.hour], from: date)
        let day = (local.hour ?? 12) < 4 ? date.addingTimeInterval(-6 * 3_600) : date
        let parts = calendar.dateComponents([.year, .month, .day], from: day)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }
}
