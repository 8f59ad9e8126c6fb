/// The ingredient stock of one pizzeria and the pure rules that change it.
///
/// Every operation is all-or-nothing: it either returns the changes it made, one per
/// ingredient touched, or throws a ``StockError`` and leaves the book exactly as it was.
/// Stores never call these rules themselves: ``Rulebook`` does, on a book of the levels the
/// store read under lock, and hands the store the levels to write.
public struct StockBook: Hashable, Sendable {
    private var levels: [Ingredient.ID: StockLevel]

    /// Creates a book from levels; ingredients not listed have nothing on hand.
    public init(_ levels: [StockLevel] = []) {
        self.levels = Dictionary(levels.map { ($0.ingredient, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// The level of an ingredient; zero when it was never stocked.
    public func level(of ingredient: Ingredient.ID) -> StockLevel {
        levels[ingredient] ?? StockLevel(ingredient: ingredient)
    }

    /// Every stocked ingredient's level, sorted by ingredient identifier.
    public var allLevels: [StockLevel] {
        levels.values.sorted { $0.ingredient < $1.ingredient }
    }

    /// A book of some ingredients' levels only: what a store hands to ``Rulebook`` for a command
    /// that touches those ingredients.
    public func restricted(to ingredients: some Sequence<Ingredient.ID>) -> StockBook {
        var book = StockBook()
        for ingredient in ingredients {
            if let level = levels[ingredient] { book.levels[ingredient] = level }
        }
        return book
    }

    /// Sets levels, as a store writes the ``StoreEffects/stock`` of a decision. Not a rule: it
    /// checks nothing.
    public mutating func update(_ newLevels: [StockLevel]) {
        for level in newLevels { levels[level.ingredient] = level }
    }

    /// Reserves a demand, all or nothing.
    ///
    /// - Throws: ``StockError/shortage(_:)`` listing every ingredient whose available quantity is
    ///   below the demand.
    mutating func reserve(_ demand: Demand) throws(StockError) -> [StockChange] {
        let shortages = demand.ingredients.compactMap { need -> Shortage? in
            let available = level(of: need.ingredient).available
            return need.quantity > available ? Shortage(ingredient: need.ingredient, needed: need.quantity, available: available) : nil
        }
        guard shortages.isEmpty else { throw .shortage(shortages) }
        return demand.ingredients.map { apply(.reserve, $0.ingredient, onHand: 0, reserved: $0.quantity) }
    }

    /// Gives a reservation back.
    ///
    /// - Throws: ``StockError/inconsistentReservation(ingredient:reserved:requested:)`` when less
    ///   is reserved than released, which only a corrupted store can cause.
    mutating func release(_ demand: Demand) throws(StockError) -> [StockChange] {
        try requireReserved(demand)
        return demand.ingredients.map { apply(.release, $0.ingredient, onHand: 0, reserved: -$0.quantity) }
    }

    /// Turns a reservation into consumption when preparation starts: on hand and reserved both shrink.
    ///
    /// - Throws: ``StockError/inconsistentReservation(ingredient:reserved:requested:)``.
    mutating func consume(_ demand: Demand) throws(StockError) -> [StockChange] {
        try requireReserved(demand)
        return demand.ingredients.map { apply(.consume, $0.ingredient, onHand: -$0.quantity, reserved: -$0.quantity) }
    }

    /// Replaces a reservation by another, atomically: the old one is released and the new one
    /// reserved only if the stock, with the old reservation given back, covers it.
    ///
    /// - Throws: ``StockError/shortage(_:)`` (and the book is unchanged, the old reservation kept).
    mutating func replace(_ old: Demand, with new: Demand) throws(StockError) -> [StockChange] {
        var trial = self
        let released = try trial.release(old)
        let reserved = try trial.reserve(new)
        self = trial
        return released + reserved
    }

    /// Applies restocks, waste and counts, all or nothing.
    ///
    /// - Throws: ``StockError/invalidQuantity(_:ingredient:)``,
    ///   ``StockError/exceedsAvailable(ingredient:requested:available:)``,
    ///   ``StockError/belowReserved(ingredient:counted:reserved:)`` or ``StockError/overflow(ingredient:)``.
    mutating func apply(_ movements: [StockMovement]) throws(StockError) -> [StockChange] {
        var trial = self
        var changes: [StockChange] = []
        for movement in movements {
            let level = trial.level(of: movement.ingredient)
            switch movement {
            case .restock(let ingredient, let quantity):
                guard quantity > 0 else { throw .invalidQuantity(quantity, ingredient: ingredient) }
                guard !level.onHand.addingReportingOverflow(quantity).overflow else { throw .overflow(ingredient: ingredient) }
                changes.append(trial.apply(.restock, ingredient, onHand: quantity, reserved: 0))
            case .waste(let ingredient, let quantity):
                guard quantity > 0 else { throw .invalidQuantity(quantity, ingredient: ingredient) }
                guard quantity <= level.available else {
                    throw .exceedsAvailable(ingredient: ingredient, requested: quantity, available: level.available)
                }
                changes.append(trial.apply(.waste, ingredient, onHand: -quantity, reserved: 0))
            case .count(let ingredient, let counted):
                guard counted >= 0 else { throw .invalidQuantity(counted, ingredient: ingredient) }
                guard counted >= level.reserved else {
                    throw .belowReserved(ingredient: ingredient, counted: counted, reserved: level.reserved)
                }
                changes.append(trial.apply(.count, ingredient, onHand: counted - level.onHand, reserved: 0))
            }
        }
        self = trial
        return changes
    }

    private func requireReserved(_ demand: Demand) throws(StockError) {
        for need in demand.ingredients {
            let reserved = level(of: need.ingredient).reserved
            guard need.quantity <= reserved else {
                throw .inconsistentReservation(ingredient: need.ingredient, reserved: reserved, requested: need.quantity)
            }
        }
    }

    private mutating func apply(_ kind: StockChangeKind, _ ingredient: Ingredient.ID, onHand: Int64, reserved: Int64) -> StockChange {
        // Changed in place: one lookup of the ingredient instead of a read and a write.
        let level = levels[ingredient, default: StockLevel(ingredient: ingredient)].add(onHand: onHand, reserved: reserved)
        return StockChange(
            ingredient: ingredient,
            kind: kind,
            onHandChange: onHand,
            reservedChange: reserved,
            onHandAfter: level.onHand,
            reservedAfter: level.reserved
        )
    }
}

extension StockLevel {
    /// Adds to the quantities and returns the level after.
    fileprivate mutating func add(onHand: Int64, reserved: Int64) -> StockLevel {
        self.onHand += onHand
        self.reserved += reserved
        return self
    }
}
