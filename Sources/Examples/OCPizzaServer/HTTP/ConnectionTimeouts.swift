import Logging
import NIOCore
import NIOHTTPTypes

/// Closes a connection whose client is too slow or silent: the server's equivalent of nginx's
/// `client_header_timeout`, `client_body_timeout` and `keepalive_timeout`.
///
/// - **head**: a request's head (request line and headers) must arrive whole within
///   ``Limits/header`` of its first byte, or of the connection's opening for its first request:
///   one header line every few seconds (slowloris) or a connection that says nothing is closed.
/// - **body**: while the server reads a request body, the client must send some of it within
///   ``Limits/body`` of each read the server asks for. Time spent by the server itself (a route
///   that has not consumed the body yet) never counts: the clock runs only while the server is
///   asking for bytes.
/// - **idle**: between a response's end and the next request's first byte, ``Limits/idle``.
///
/// While the server answers, nothing is timed: a live stream (Server-Sent Events) stays open as
/// long as it runs, whatever these limits. The handler sits after the HTTP codec and watches the
/// raw bytes through a ``ByteWatch`` it puts at the front of the pipeline.
final class ConnectionTimeouts: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// The three limits.
    struct Limits: Sendable, Hashable {
        var header: TimeAmount
        var body: TimeAmount
        var idle: TimeAmount
    }

    /// What the connection waits for from the client: the `waiting` label of
    /// `ocpizza_connections_timed_out_total`.
    enum Wait: String, Equatable {
        case head, body, idle
    }

    let limits: Limits
    private let metrics: ServerMetrics?
    private let logger: Logger
    private var readingRequest = false
    private var requestsInProgress = 0
    /// A new connection owes its first request's head from the moment it opens.
    private var headStarted = true
    private var timer: (wait: Wait, task: Scheduled<Void>)?
    private var context: ChannelHandlerContext?

    init(limits: Limits, metrics: ServerMetrics? = nil, logger: Logger) {
        self.limits = limits
        self.metrics = metrics
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        do {
            try context.pipeline.syncOperations.addHandler(ByteWatch(timeouts: self), position: .first)
        } catch {
            logger.error("connection timeouts not installed", metadata: ["error": "\(error)"])
        }
        if context.channel.isActive { update() }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancel()
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        update()
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancel()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            readingRequest = true
            requestsInProgress += 1
        case .body:
            break
        case .end:
            readingRequest = false
            // An answer sent before the body was read whole (413): the connection is idle now.
            if requestsInProgress == 0 { headStarted = false }
        }
        update()
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            requestsInProgress = max(0, requestsInProgress - 1)
            if requestsInProgress == 0, !readingRequest { headStarted = false }
            update()
        }
        context.write(data, promise: promise)
    }

    /// Bytes came from the client (``ByteWatch``).
    func bytesArrived() {
        if readingRequest {
            if timer?.wait == .body { cancel() }
        } else if requestsInProgress == 0 {
            headStarted = true
        }
        update()
    }

    /// The server asks for more bytes (``ByteWatch``): while a body is read, the client's clock runs.
    func readRequested() {
        if readingRequest, timer == nil { arm(.body, after: limits.body) }
    }

    private func update() {
        if readingRequest {
            // The body's clock is started by the server's reads, not here.
            if timer?.wait != .body { cancel() }
        } else if requestsInProgress > 0 {
            cancel()
        } else if headStarted {
            arm(.head, after: limits.header)
        } else {
            arm(.idle, after: limits.idle)
        }
    }

    /// Starts a clock, unless this one already runs: a head's deadline counts from its first byte.
    private func arm(_ wait: Wait, after delay: TimeAmount) {
        guard let context, timer?.wait != wait else { return }
        cancel()
        let task = context.eventLoop.assumeIsolated().scheduleTask(in: delay) { [self] in
            timer = nil
            metrics?.connectionTimedOut(waiting: wait.rawValue)
            logger.debug(
                "closing a slow connection",
                metadata: ["waiting for": "\(wait)", "peer": "\(context.channel.remoteAddress?.description ?? "?")"]
            )
            context.close(promise: nil)
        }
        timer = (wait, task)
    }

    private func cancel() {
        timer?.task.cancel()
        timer = nil
    }

    /// Sees the raw bytes and the server's reads at the front of the pipeline, for
    /// ``ConnectionTimeouts``, which sees only whole HTTP parts.
    final class ByteWatch: ChannelDuplexHandler, RemovableChannelHandler {
        typealias InboundIn = ByteBuffer
        typealias InboundOut = ByteBuffer
        typealias OutboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        private let timeouts: ConnectionTimeouts

        init(timeouts: ConnectionTimeouts) {
            self.timeouts = timeouts
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            timeouts.bytesArrived()
            context.fireChannelRead(data)
        }

        func read(context: ChannelHandlerContext) {
            timeouts.readRequested()
            context.read()
        }
    }
}

@available(*, unavailable)
extension ConnectionTimeouts: Sendable {}

@available(*, unavailable)
extension ConnectionTimeouts.ByteWatch: Sendable {}
