public import Foundation

/// Why a sales report was refused: a span that is empty, reversed or too long.
public struct SalesReportError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of refusal; new codes may appear, so switch with a default.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String

        /// The end is not after the start.
        public static let emptyRange = Code(name: "emptyRange")
        /// The span is longer than ``PizzeriaService/maximumSalesReportSpan``.
        public static let rangeTooLong = Code(name: "rangeTooLong")

        public var description: String { name }
    }

    /// What kind of refusal.
    public var code: Code
    /// The first instant asked for.
    public var start: Date
    /// The instant after the last one asked for.
    public var end: Date

    /// Creates a refusal.
    public init(_ code: Code, start: Date, end: Date) {
        self.code = code
        self.start = start
        self.end = end
    }

    public var description: String {
        let span = "\(start.formatted(.iso8601)) to \(end.formatted(.iso8601))"
        switch code {
        case .emptyRange: return "a sales report needs its end after its start, not \(span)"
        default: return "a sales report covers at most 366 days, not \(span)"
        }
    }
}
