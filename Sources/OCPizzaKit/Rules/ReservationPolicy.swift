/// How much of a pizzeria's stock customers' unpaid orders may hold, so that no customer, nor a
/// handful of accounts, can make the menu unavailable to everybody else.
///
/// An order holds its stock from placement until preparation starts. An order placed by a
/// customer that is not paid yet (waiting for its online payment, or pending and paid on
/// delivery: see ``UnpaidHold/isHolding``) holds stock that nobody has paid for. Without a bound,
/// one account could place one online order for every pizza the menu says can be made, never pay,
/// and leave everyone else with `stock-shortage` for the whole payment window, then do it again.
///
/// The policy bounds such holds, for each ingredient of the order, as a share of the stock not
/// owed to confirmed orders (the ingredient's available stock plus what unpaid holds already
/// reserve):
///
/// - a customer holds at most ``unpaidOrdersPerCustomer`` unpaid orders at a pizzeria;
/// - a customer's unpaid orders together hold at most ``customerSharePercent`` % of that stock;
/// - all customers' unpaid orders together hold at most ``unpaidSharePercent`` % of it, so the
///   rest stays for paid orders and the staff's;
/// - a small order (at most ``smallOrderItems`` items) by a customer who holds no other unpaid
///   order at the pizzeria is bounded only by ``smallOrderSharePercent`` % for all unpaid orders
///   together, and only for the ingredients other unpaid orders already hold: the last pizzas of
///   the evening can still be ordered online, while many accounts placing small orders leave a
///   quarter of the stock to others.
///
/// A modification by the customer is bounded the same way, as their own hold, whoever placed
/// the order; one that makes no ingredient grow is never refused.
///
/// A refused order changes nothing and throws ``ReservationError``. Orders placed by staff (at
/// the counter, by phone) are never bounded; neither are modifications made by staff.
/// ``PizzeriaService`` applies ``PizzeriaService/Options/reservationPolicy`` to every order and
/// modification a customer makes (``OrderDraft/holdLimits``, ``OrderRevision/holdLimits``).
///
/// ```swift
/// var options = PizzeriaService.Options()
/// options.reservationPolicy = ReservationPolicy(unpaidOrdersPerCustomer: 1, customerSharePercent: 10)
/// ```
public struct ReservationPolicy: Hashable, Sendable, Codable {
    /// How many unpaid orders one customer may hold at one pizzeria at a time; 2 by default.
    public private(set) var unpaidOrdersPerCustomer: Int
    /// The share of each ingredient's stock (not owed to confirmed orders) that one customer's
    /// unpaid orders may hold together, in percent from 0 to 100; 25 by default.
    public private(set) var customerSharePercent: Int
    /// The share of each ingredient's stock (not owed to confirmed orders) that all unpaid orders
    /// may hold together, in percent from 0 to 100; 50 by default.
    public private(set) var unpaidSharePercent: Int
    /// The size, in items, of a small order: one by a customer who holds no other unpaid order
    /// at the pizzeria is bounded by ``smallOrderSharePercent`` instead of the two shares above;
    /// 4 by default (a family's dinner).
    public private(set) var smallOrderItems: Int
    /// The share of each ingredient's stock that all unpaid orders may hold together once a
    /// small order is added, in percent from ``unpaidSharePercent`` to 100; 75 by default. So a
    /// customer can still order the evening's last pizzas online, while many accounts placing
    /// small orders never hold more than this.
    public private(set) var smallOrderSharePercent: Int

    /// Creates a policy. Shares are clamped to 0...100 (``smallOrderSharePercent`` to
    /// ``unpaidSharePercent``...100), counts to 0 or more.
    public init(
        unpaidOrdersPerCustomer: Int = 2,
        customerSharePercent: Int = 25,
        unpaidSharePercent: Int = 50,
        smallOrderItems: Int = 4,
        smallOrderSharePercent: Int = 75
    ) {
        self.unpaidOrdersPerCustomer = max(0, unpaidOrdersPerCustomer)
        self.customerSharePercent = min(100, max(0, customerSharePercent))
        self.unpaidSharePercent = min(100, max(0, unpaidSharePercent))
        self.smallOrderItems = max(0, smallOrderItems)
        self.smallOrderSharePercent = min(100, max(self.unpaidSharePercent, smallOrderSharePercent))
    }

    /// Decodes a policy, clamped as ``init(unpaidOrdersPerCustomer:customerSharePercent:unpaidSharePercent:smallOrderItems:smallOrderSharePercent:)`` does.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let standard = ReservationPolicy()
        self.init(
            unpaidOrdersPerCustomer: try container.decodeIfPresent(Int.self, forKey: .unpaidOrdersPerCustomer) ?? standard.unpaidOrdersPerCustomer,
            customerSharePercent: try container.decodeIfPresent(Int.self, forKey: .customerSharePercent) ?? standard.customerSharePercent,
            unpaidSharePercent: try container.decodeIfPresent(Int.self, forKey: .unpaidSharePercent) ?? standard.unpaidSharePercent,
            smallOrderItems: try container.decodeIfPresent(Int.self, forKey: .smallOrderItems) ?? standard.smallOrderItems,
            smallOrderSharePercent: try container.decodeIfPresent(Int.self, forKey: .smallOrderSharePercent) ?? standard.smallOrderSharePercent
        )
    }

    /// The default bounds: 2 unpaid orders per customer, 25 % of each ingredient per customer,
    /// 50 % for all unpaid orders, and a first order of up to 4 items bounded by 75 % for all.
    ///
    /// Measured on the demo's evening (deliberately short of mozzarella): 20 % and 2 items
    /// refused three genuine customers' orders once stock ran low; these bounds refuse none.
    public static let standard = ReservationPolicy()

    /// No bound but the stock itself: what staff orders get.
    public static let unlimited = ReservationPolicy(
        unpaidOrdersPerCustomer: .max,
        customerSharePercent: 100,
        unpaidSharePercent: 100,
        smallOrderItems: .max,
        smallOrderSharePercent: 100
    )

    /// `percent` % of `quantity`, rounded down, without overflow.
    static func share(_ percent: Int, of quantity: Int64) -> Int64 {
        let quantity = max(0, quantity)
        let percent = Int64(min(100, max(0, percent)))
        return quantity / 100 * percent + quantity % 100 * percent / 100
    }
}
