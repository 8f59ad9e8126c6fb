import Testing

@testable import OCPizzaKit

@Suite("Stock rules")
struct StockBookTests {
    let mozzarella: Ingredient.ID = "mozzarella"
    let dough: Ingredient.ID = "dough"

    func demand(_ mozzarella: Int64, _ dough: Int64) throws -> Demand {
        try Demand([IngredientQuantity(self.mozzarella, mozzarella), IngredientQuantity(self.dough, dough)])
    }

    @Test("reserve is all or nothing and names every shortage")
    func reserve() throws {
        var book = StockBook([StockLevel(ingredient: mozzarella, onHand: 300), StockLevel(ingredient: dough, onHand: 200)])
        let original = book
        #expect(
            throws: StockError.shortage([
                Shortage(ingredient: dough, needed: 250, available: 200), Shortage(ingredient: mozzarella, needed: 400, available: 300),
            ])
        ) {
            try book.reserve(try demand(400, 250))
        }
        #expect(book == original)
        let changes = try book.reserve(try demand(250, 200))
        #expect(changes.map(\.kind) == [.reserve, .reserve])
        #expect(book.level(of: mozzarella) == StockLevel(ingredient: mozzarella, onHand: 300, reserved: 250))
        #expect(book.level(of: dough).available == 0)
    }

    @Test("replace keeps the old reservation when the new one does not fit")
    func replace() throws {
        var book = StockBook([StockLevel(ingredient: mozzarella, onHand: 300), StockLevel(ingredient: dough, onHand: 500)])
        _ = try book.reserve(try demand(200, 250))
        let reserved = book
        #expect(throws: StockError.shortage([Shortage(ingredient: mozzarella, needed: 400, available: 300)])) {
            try book.replace(try demand(200, 250), with: try demand(400, 250))
        }
        #expect(book == reserved)
        _ = try book.replace(try demand(200, 250), with: try demand(300, 0))
        #expect(book.level(of: mozzarella).reserved == 300 && book.level(of: dough).reserved == 0)
    }

    @Test("consume moves reserved stock out of on hand; release gives it back; both refuse more than reserved")
    func consumeAndRelease() throws {
        var book = StockBook([StockLevel(ingredient: mozzarella, onHand: 300)])
        let need = try Demand([IngredientQuantity(mozzarella, 120)])
        _ = try book.reserve(need)
        _ = try book.consume(need)
        #expect(book.level(of: mozzarella) == StockLevel(ingredient: mozzarella, onHand: 180, reserved: 0))
        #expect(throws: StockError.inconsistentReservation(ingredient: mozzarella, reserved: 0, requested: 120)) { try book.consume(need) }
        #expect(throws: StockError.inconsistentReservation(ingredient: mozzarella, reserved: 0, requested: 120)) { try book.release(need) }
    }

    @Test("movements are all or nothing")
    func movements() throws {
        var book = StockBook()
        let empty = book
        #expect(throws: StockError.exceedsAvailable(ingredient: dough, requested: 1, available: 0)) {
            try book.apply([.restock(mozzarella, 500), .waste(dough, 1)])
        }
        #expect(book == empty)
        let changes = try book.apply([.restock(mozzarella, 500), .waste(mozzarella, 20), .count(mozzarella, 470)])
        #expect(changes.map(\.onHandChange) == [500, -20, -10])
        #expect(changes.map(\.onHandAfter) == [500, 480, 470])
        #expect(book.level(of: mozzarella).onHand == 470)
    }

    @Test("demands add shared ingredients before any check, and refuse overflow")
    func demands() throws {
        let demand = try Demand([IngredientQuantity(mozzarella, 120), IngredientQuantity(dough, 250), IngredientQuantity(mozzarella, 125)])
        #expect(demand.ingredients == [IngredientQuantity(dough, 250), IngredientQuantity(mozzarella, 245)])
        #expect(throws: StockError.overflow(ingredient: mozzarella)) {
            try Demand([IngredientQuantity(mozzarella, .max), IngredientQuantity(mozzarella, 1)])
        }
    }

    @Test("availability is the minimum over ingredients of floor(available / need)")
    func availability() throws {
        let f = ReceiptFixture.self
        let book = StockBook([
            StockLevel(ingredient: "dough", onHand: 1_000), StockLevel(ingredient: "tomato", onHand: 1_000),
            StockLevel(ingredient: "mozzarella", onHand: 400, reserved: 30),
        ])
        let availability = f.catalog.availability(at: f.pizzeria, stock: book)
        let margherita = availability.filter { $0.product == "margherita" }
        // small: min(1000/180, 1000/60, 370/90) = 4; medium: min(1000/250, 1000/80, 370/125) = 2.
        #expect(margherita.map(\.count) == [4, 2])
        #expect(availability.first { $0.product == "reine" }?.count == 0)
    }
}

/// The rules as a store sees their effect: the changes, then the book updated with them.
extension StockBook {
    fileprivate mutating func reserve(_ demand: Demand) throws(StockError) -> [StockChange] {
        let changes = try reserving(demand)
        update(changes)
        return changes
    }

    fileprivate mutating func release(_ demand: Demand) throws(StockError) -> [StockChange] {
        let changes = try releasing(demand)
        update(changes)
        return changes
    }

    fileprivate mutating func consume(_ demand: Demand) throws(StockError) -> [StockChange] {
        let changes = try consuming(demand)
        update(changes)
        return changes
    }

    fileprivate mutating func replace(_ old: Demand, with new: Demand) throws(StockError) -> [StockChange] {
        let changes = try replacing(old, with: new)
        update(changes)
        return changes
    }

    fileprivate mutating func apply(_ movements: [StockMovement]) throws(StockError) -> [StockChange] {
        let changes = try applying(movements)
        update(changes)
        return changes
    }
}
