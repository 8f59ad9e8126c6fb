/// One pizzeria of the group, with its opening hours, its delivery settings and how its menu
/// differs from the group catalog.
public struct Pizzeria: Hashable, Sendable, Codable, Identifiable {
    /// A pizzeria's identifier.
    public typealias ID = Identifier<Pizzeria>

    /// The pizzeria's stable identifier, such as `"paris-11"`.
    public var id: ID
    /// The pizzeria's name, such as `"OC Pizza Bastille"`.
    public var name: String
    /// Where it is.
    public var address: Address
    /// When it is open.
    public var openingHours: OpeningHours
    /// How it delivers, or `nil` when it does not deliver.
    public var delivery: DeliverySettings?
    /// Group products this pizzeria does not sell.
    public var unavailableProducts: [Product.ID]
    /// Its own prices for some sizes.
    public var priceOverrides: [PriceOverride]
    /// Its own VAT rates, or `nil` to follow the catalog's ``Catalog/taxPolicy``.
    public var taxPolicy: TaxPolicy?
    /// The allergens its kitchen may put in any dish by cross-contact ("peut contenir"), such as
    /// `nuts` where a pistachio pesto is made on the same bench. A dish's ``AllergenInformation``
    /// lists them as traces whatever its recipe, and removing an ingredient never removes them.
    public var mayContain: Set<Allergen>
    /// Its slots, capacity and lead times; ``OrderingSchedule/standard`` when the catalog sets none.
    public var schedule: OrderingSchedule

    /// Creates a pizzeria.
    public init(
        id: ID,
        name: String,
        address: Address,
        openingHours: OpeningHours,
        delivery: DeliverySettings? = nil,
        unavailableProducts: [Product.ID] = [],
        priceOverrides: [PriceOverride] = [],
        taxPolicy: TaxPolicy? = nil,
        mayContain: Set<Allergen> = [],
        schedule: OrderingSchedule = .standard
    ) {
        self.id = id
        self.name = name
        self.address = address
        self.openingHours = openingHours
        self.delivery = delivery
        self.unavailableProducts = unavailableProducts
        self.priceOverrides = priceOverrides
        self.taxPolicy = taxPolicy
        self.mayContain = mayContain
        self.schedule = schedule
    }

    private enum CodingKeys: String, CodingKey {
        case id, name, address, openingHours, delivery, unavailableProducts, priceOverrides, taxPolicy, mayContain, schedule
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.id = try container.decode(ID.self, forKey: .id)
        self.name = try container.decode(String.self, forKey: .name)
        self.address = try container.decode(Address.self, forKey: .address)
        self.openingHours = try container.decode(OpeningHours.self, forKey: .openingHours)
        self.delivery = try container.decodeIfPresent(DeliverySettings.self, forKey: .delivery)
        self.unavailableProducts = try container.decodeIfPresent([Product.ID].self, forKey: .unavailableProducts) ?? []
        self.priceOverrides = try container.decodeIfPresent([PriceOverride].self, forKey: .priceOverrides) ?? []
        self.taxPolicy = try container.decodeIfPresent(TaxPolicy.self, forKey: .taxPolicy)
        self.mayContain = try container.decodeIfPresent(Set<Allergen>.self, forKey: .mayContain) ?? []
        self.schedule = try container.decodeIfPresent(OrderingSchedule.self, forKey: .schedule) ?? .standard
    }
}
