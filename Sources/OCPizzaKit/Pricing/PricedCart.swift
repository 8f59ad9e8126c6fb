/// A cart priced by ``PricingEngine``, with the item recipe of each of its lines.
///
/// Pricing reads each line's item recipe anyway: from the catalog's plan for a line without
/// options, computed for a line with options (for its allergens). Kept here, the recipes give the
/// cart's demand (``Catalog/demand(of:)``) without looking each line up again.
struct PricedCart: Sendable {
    /// The quote, as ``PricingEngine/quote(_:pizzeria:fulfilment:promotionCode:at:)`` answers it.
    let quote: Quote
    /// The ingredients of one item of each quote line, in line order; `nil` for a size without a
    /// recipe. Empty when the engine was asked not to keep them.
    let items: [[IngredientQuantity]?]
}
