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

    /// A book of some ingredients' levels only: the trial book of a series of movements.
    func restricted(to ingredients: some Sequence<Ingredient.ID>) -> StockBook {
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

    /// Sets levels from changes' levels after them (the last change of an ingredient wins).
    mutating func update(_ changes: [StockChange]) {
        for change in changes {
            levels[change.ingredient] = StockLevel(ingredient: change.ingredient, onHand: change.onHandAfter, reserved: change.reservedAfter)
        }
    }

    // MARK: - The rules, as changes with the levels after them; the book itself is not copied

    /// Reserves a demand, all or nothing.
    ///
    /// - Throws: ``StockError/shortage(_:)`` listing every ingredient whose available quantity is
    ///   below the demand.
    func reserving(_ demand: Demand) throws(StockError) -> [StockChange] {
        var shortages: [Shortage] = []
        var changes: [StockChange] = []
        changes.reserveCapacity(demand.ingredients.count)
        for need in demand.ingredients {
            let level = level(of: need.ingredient)
            if need.quantity > level.available {
                shortages.append(Shortage(ingredient: need.ingredient, needed: need.quantity, available: level.available))
            } else if shortages.isEmpty {
                changes.append(StockChange(level, .reserve, onHand: 0, reserved: need.quantity))
            }
        }
        guard shortages.isEmpty else { throw .shortage(shortages) }
        return changes
    }

    /// Gives a reservation back.
    ///
    /// - Throws: ``StockError/inconsistentReservation(ingredient:reserved:requested:)`` when less
    ///   is reserved than released, which only a corrupted store can cause.
    func releasing(_ demand: Demand) throws(StockError) -> [StockChange] {
        try requireReserved(demand)
        return demand.ingredients.map { StockChange(level(of: $0.ingredient), .release, onHand: 0, reserved: -$0.quantity) }
    }

    /// Turns a reservation into consumption when preparation starts: on hand and reserved both shrink.
    ///
    /// - Throws: ``StockError/inconsistentReservation(ingredient:reserved:requested:)``.
    func consuming(_ demand: Demand) throws(StockError) -> [StockChange] {
        try requireReserved(demand)
        return demand.ingredients.map { StockChange(level(of: $0.ingredient), .consume, onHand: -$0.quantity, reserved: -$0.quantity) }
    }

    /// Replaces a reservation by another, atomically: the old one is released and the new one
    /// reserved only if the stock, with the old reservation given back, covers it.
    ///
    /// - Throws: ``StockError/shortage(_:)`` (the old reservation kept).
    func replacing(_ old: Demand, with new: Demand) throws(StockError) -> [StockChange] {
        let released = try releasing(old)
        var trial = StockBook()
        trial.levels = Dictionary(
            released.map { ($0.ingredient, StockLevel(ingredient: $0.ingredient, onHand: $0.onHandAfter, reserved: $0.reservedAfter)) }
        ) { _, last in last }
        for need in new.ingredients where trial.levels[need.ingredient] == nil {
            trial.levels[need.ingredient] = level(of: need.ingredient)
        }
        return released + (try trial.reserving(new))
    }

    /// Applies restocks, waste and counts in order, all or nothing.
    ///
    /// - Throws: ``StockError/invalidQuantity(_:ingredient:)``,
    ///   ``StockError/exceedsAvailable(ingredient:requested:available:)``,
    ///   ``StockError/belowReserved(ingredient:counted:reserved:)`` or ``StockError/overflow(ingredient:)``.
    func applying(_ movements: [StockMovement]) throws(StockError) -> [StockChange] {
        var trial = restricted(to: movements.map(\.ingredient))
        var changes: [StockChange] = []
        for movement in movements {
            let level = trial.level(of: movement.ingredient)
            let change: StockChange
            switch movement {
            case .restock(let ingredient, let quantity):
                guard quantity > 0 else { throw .invalidQuantity(quantity, ingredient: ingredient) }
                guard !level.onHand.addingReportingOverflow(quantity).overflow else { throw .overflow(ingredient: ingredient) }
                change = StockChange(level, .restock, onHand: quantity, reserved: 0)
            case .waste(let ingredient, let quantity):
                guard quantity > 0 else { throw .invalidQuantity(quantity, ingredient: ingredient) }
                guard quantity <= level.available else {
                    throw .exceedsAvailable(ingredient: ingredient, requested: quantity, available: level.available)
                }
                change = StockChange(level, .waste, onHand: -quantity, reserved: 0)
            case .count(let ingredient, let counted):
                guard counted >= 0 else { throw .invalidQuantity(counted, ingredient: ingredient) }
                guard counted >= level.reserved else {
                    throw .belowReserved(ingredient: ingredient, counted: counted, reserved: level.reserved)
                }
                change = StockChange(level, .count, onHand: counted - level.onHand, reserved: 0)
            }
            trial.update([change])
            changes.append(change)
        }
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
}

extension StockChange {
    /// A change of a level, with the level after it.
    fileprivate init(_ level: StockLevel, _ kind: StockChangeKind, onHand: Int64, reserved: Int64) {
        self.init(
            ingredient: level.ingredient,
            kind: kind,
            onHandChange: onHand,
            reservedChange: reserved,
            onHandAfter: level.onHand + onHand,
            reservedAfter: level.reserved + reserved
        )
    }
}
