import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceLifecycle

/// A Server-Sent Events answer (`text/event-stream`) fed by the store's live events.
///
/// Each library event becomes zero or more SSE messages (`id`, `event`, `data` lines); a comment
/// line every ``heartbeat`` keeps proxies from closing an idle stream and lets the server notice a
/// client that left. The stream ends when the client leaves, when the store's event stream ends,
/// when the server shuts down gracefully (so SIGTERM never waits on a kitchen screen), or when
/// `ending` returns its last message (the stream's token expired or was revoked).
struct EventStream: Sendable {
    /// One SSE message.
    struct Message: Sendable {
        var id: String?
        var event: String
        var data: String

        var text: String {
            var text = id.map { "id: \($0)\n" } ?? ""
            text += "event: \(event)\n"
            for line in data.split(separator: "\n", omittingEmptySubsequences: false) { text += "data: \(line)\n" }
            return text + "\n"
        }
    }

    static let heartbeat: Duration = .seconds(15)

    let metrics: ServerMetrics

    /// The streaming response.
    ///
    /// - Parameters:
    ///   - opening: messages sent first (a snapshot of the board, the current availability).
    ///   - ending: when given, waits for the stream's end and returns its last message
    ///     (``TokenWatch/end()``); the stream closes after sending it.
    ///   - source: sends the live messages through `emit` until it returns (or is cancelled).
    func response(
        opening: [Message],
        ending: (@Sendable () async -> Message?)? = nil,
        source: @escaping @Sendable (_ emit: @escaping @Sendable (Message) -> Void) async -> Void
    ) -> Response {
        let metrics = self.metrics
        let body = ResponseBody { writer in
            metrics.sseClient(1)
            defer { metrics.sseClient(-1) }
            let (messages, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(1_024))
            try await writer.write(ByteBuffer(string: "retry: 3000\n: ocpizza live stream\n\n"))
            for message in opening { try await writer.write(ByteBuffer(string: message.text)) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    await source { continuation.yield($0.text) }
                    continuation.finish()
                }
                group.addTask {
                    while !Task.isCancelled {
                        try await Task.sleep(for: Self.heartbeat)
                        continuation.yield(": keep-alive\n\n")
                    }
                }
                if let ending {
                    group.addTask {
                        guard let last = await ending() else { return }
                        continuation.yield(last.text)
                        continuation.finish()
                    }
                }
                group.addTask {
                    // SIGTERM: end the stream so the server's graceful shutdown never waits on a screen.
                    try? await gracefulShutdown()
                    continuation.finish()
                }
                for await chunk in messages {
                    try await writer.write(ByteBuffer(string: chunk))
                }
                group.cancelAll()
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-cache", HTTPField.Name("X-Accel-Buffering")!: "no"],
            body: body
        )
    }

    /// JSON text of a value, for a message's data.
    static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
