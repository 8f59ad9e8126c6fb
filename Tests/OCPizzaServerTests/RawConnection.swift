import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// A plain TCP client for tests that must misbehave as a hostile client would (stop in the middle
/// of a head or a body, say nothing at all) or hold hundreds of live streams at once, which an
/// HTTP client's connection pool would not open. It records what the server sends and when the
/// server closes.
final class RawConnection: Sendable {
    /// What the server sent, as text.
    /// What the server sent, and when, stamped on the event loop's thread: a test resumed late
    /// by a loaded machine still measures from the instant the bytes came.
    final class Received: Sendable {
        private let state = Mutex((text: "", lastReceived: ContinuousClock.Instant?.none, closed: ContinuousClock.Instant?.none))
        func append(_ more: String) {
            let now = ContinuousClock.now
            state.withLock {
                $0.text += more
                $0.lastReceived = now
            }
        }
        func close() {
            let now = ContinuousClock.now
            state.withLock { $0.closed = $0.closed ?? now }
        }
        var value: String { state.withLock { $0.text } }
        var lastReceived: ContinuousClock.Instant? { state.withLock { $0.lastReceived } }
        var closed: ContinuousClock.Instant? { state.withLock { $0.closed } }
    }

    final class Recorder: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let received: Received
        init(_ received: Received) { self.received = received }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            received.append(String(buffer: unwrapInboundIn(data)))
        }
        func channelInactive(context: ChannelHandlerContext) {
            received.close()
            context.fireChannelInactive()
        }
    }

    let channel: any Channel
    let received: Received

    private init(channel: any Channel, received: Received) {
        self.channel = channel
        self.received = received
    }

    /// Connects to the server on loopback.
    static func open(port: Int) async throws -> RawConnection {
        let received = Received()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Recorder(received)) }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return RawConnection(channel: channel, received: received)
    }

    /// Sends text as it is.
    func send(_ text: String) async throws {
        try await channel.writeAndFlush(ByteBuffer(string: text))
    }

    /// What the server sent so far.
    var text: String { received.value }

    /// Whether the server (or this client) closed the connection.
    var isClosed: Bool { !channel.isActive }

    /// Waits until the server sent `fragment`.
    func wait(for fragment: String, timeout: Duration = .seconds(20)) async throws {
        let deadline = ContinuousClock.now + timeout
        while !text.contains(fragment) {
            guard ContinuousClock.now < deadline else { throw TimedOut(what: "'\(fragment)'", received: String(text.suffix(400))) }
            // Closed without it: it will never come (what arrived before the close is in `text`).
            if isClosed, !text.contains(fragment) {
                throw TimedOut(what: "'\(fragment)' before the server closed the connection", received: String(text.suffix(400)))
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// How long after `start` the connection closed, or `nil` if it is still open at `start + limit`.
    func closedAfter(_ start: ContinuousClock.Instant, limit: Duration) async throws -> Duration? {
        while ContinuousClock.now < start + limit {
            if isClosed { return (received.closed ?? ContinuousClock.now) - start }
            try await Task.sleep(for: .milliseconds(20))
        }
        return isClosed ? (received.closed ?? ContinuousClock.now) - start : nil
    }

    /// When the server's last bytes came, stamped as they came.
    var lastReceived: ContinuousClock.Instant? { received.lastReceived }

    /// Closes from this side.
    func close() async {
        try? await channel.close()
    }

    struct TimedOut: Error, CustomStringConvertible {
        var what: String
        var received: String
        var description: String { "timed out waiting for \(what); last received: \(received)" }
    }
}
