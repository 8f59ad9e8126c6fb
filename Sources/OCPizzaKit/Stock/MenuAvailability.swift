/// What a pizzeria can still make, for its whole menu at once: one ``ProductAvailability`` per
/// size, in menu order.
///
/// A random-access collection of ``ProductAvailability``, as ``Catalog/availability(at:stock:)``
/// and ``PizzeriaService/availability(at:)`` answer. Computing it copies no identifier: the answer
/// shares the menu's product and size identifiers with the catalog and holds only its own counts,
/// so a 200-product menu (584 sizes) costs a few microseconds, and comparing two answers of the
/// same menu compares counts. Reading an element builds it. An answer filtered by allergens
/// (``Catalog/availability(at:stock:excluding:)``) holds the identifiers it keeps.
///
/// ```swift
/// let menu = try await service.availability(at: "paris-bastille")
/// for answer in menu where !answer.isAvailable {
///     print("\(answer.product) \(answer.size) is sold out")
/// }
/// ```
///
/// It encodes and decodes as an array of ``ProductAvailability``.
public struct MenuAvailability: RandomAccessCollection, Hashable, Sendable {
    public typealias Index = Int

    // Parallel arrays: `products` and `sizes` are the catalog's own (one reference each), `counts`
    // is this answer's.
    private var products: [Product.ID]
    private var sizes: [ProductSize.ID]
    private var counts: [Int64]

    /// An empty answer: a pizzeria that sells nothing.
    public init() {
        self.init(products: [], sizes: [], counts: [])
    }

    /// An answer made of these product sizes and counts, in this order.
    public init(_ answers: some Sequence<ProductAvailability>) {
        products = []
        sizes = []
        counts = []
        let expected = answers.underestimatedCount
        products.reserveCapacity(expected)
        sizes.reserveCapacity(expected)
        counts.reserveCapacity(expected)
        for answer in answers {
            products.append(answer.product)
            sizes.append(answer.size)
            counts.append(answer.count)
        }
    }

    /// An answer that shares the menu's identifiers: `counts[i]` is how many of `sizes[i]` of
    /// `products[i]` can be made.
    init(products: [Product.ID], sizes: [ProductSize.ID], counts: [Int64]) {
        precondition(products.count == counts.count && sizes.count == counts.count, "one count per product size")
        self.products = products
        self.sizes = sizes
        self.counts = counts
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { counts.count }

    public subscript(position: Int) -> ProductAvailability {
        ProductAvailability(product: products[position], size: sizes[position], count: counts[position])
    }

    /// The answers whose count moved since an earlier answer of the same menu, in menu order:
    /// what a live menu sends after a stock change.
    ///
    /// Two answers of one menu share its identifiers, so this compares counts and builds only
    /// the answers that changed. When `earlier` lists other product sizes (the catalog changed in
    /// between, or it was built elsewhere), every answer of this one counts as changed.
    public func changes(since earlier: MenuAvailability) -> [ProductAvailability] {
        guard products == earlier.products, sizes == earlier.sizes else { return Array(self) }
        var changed: [ProductAvailability] = []
        for position in counts.indices where counts[position] != earlier.counts[position] {
            changed.append(self[position])
        }
        return changed
    }
}

extension MenuAvailability: ExpressibleByArrayLiteral {
    public init(arrayLiteral answers: ProductAvailability...) {
        self.init(answers)
    }
}

extension MenuAvailability: Codable {
    public init(from decoder: any Decoder) throws {
        self.init(try [ProductAvailability](from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        for answer in self {
            try container.encode(answer)
        }
    }
}
