import OCPizzaKit
import OCPizzaKitSamples

/// Someone who acts during the evening: the principal the service checks, and the name the timeline prints.
struct Member: Sendable {
    let principal: Principal
    let name: String
}

/// The evening's brigade at OC Pizza Bastille, each with the role the access policy knows.
struct Staff: Sendable {
    /// Takes counter and phone orders, hands deliveries to drivers, gives take-aways out.
    let counter: Member
    /// Start preparation and mark orders ready, in turn.
    let pizzaiolos: [Member]
    /// Deliver, each the orders handed to them.
    let drivers: [Member]
    /// Receives deliveries of ingredients.
    let stockManager: Member
    /// Watches the live board and reads the books at closing.
    let manager: Member
    /// Authorizes online payments. The policy gives no role to a payment provider, so it acts as the system.
    let paymentProvider = Member(principal: .system, name: "the payment provider")

    /// The brigade, with more drivers on a busier evening.
    init(pizzeria: Pizzeria.ID = SampleCatalog.Pizzerias.bastille, orders: Int) {
        func staff(_ id: String, _ name: String, _ role: Role) -> Member {
            Member(principal: .staff(id, role, at: pizzeria), name: name)
        }
        counter = staff("lea", "Léa", .counter)
        pizzaiolos = [staff("marco", "Marco", .pizzaiolo), staff("giulia", "Giulia", .pizzaiolo)]
        let allDrivers = [
            staff("sami", "Sami", .driver), staff("nadia", "Nadia", .driver), staff("karim", "Karim", .driver),
            staff("chloe", "Chloé", .driver), staff("yanis", "Yanis", .driver), staff("zoe", "Zoé", .driver),
        ]
        drivers = Array(allDrivers.prefix(min(allDrivers.count, max(2, orders / 12))))
        stockManager = staff("ines", "Inès", .stockManager)
        manager = staff("paul", "Paul", .manager)
    }
}
