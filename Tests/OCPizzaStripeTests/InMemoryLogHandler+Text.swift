import InMemoryLogging
import Logging

extension InMemoryLogHandler {
    /// A trace-level logger whose every message lands in this handler.
    func logger(label: String = "test.stripe") -> Logger {
        var logger = Logger(label: label) { _ in self }
        logger.logLevel = .trace
        return logger
    }

    /// Every entry as one line (level, message, metadata, error), to search for what must never be logged.
    var lines: [String] {
        entries.map { entry in
            "\(entry.level) \(entry.message) \(entry.metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })"
                + (entry.error.map { " error=\(String(reflecting: $0))" } ?? "")
        }
    }
}
