import OCPizzaKit
import OCPizzaKitTesting

/// The medium Margherita of the sample catalog, the order the races for stock place.
enum MediumMargherita {
    /// The mozzarella one needs.
    static let mozzarella =
        SampleCatalog.catalog.recipe(of: SampleCatalog.Products.margherita, size: SampleCatalog.Sizes.medium)?
        .quantity(of: SampleCatalog.Ingredients.mozzarella) ?? 0
}
