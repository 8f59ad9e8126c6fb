import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A tiny HTTP/1.1 server on 127.0.0.1 for tests: it records every request and answers each with
/// what `respond` says. The Stripe webhook receiver, the Stripe stub and the outbound webhook
/// endpoint of `OCPizzaWebhooksTests` are built on it.
///
/// ```swift
/// let server = try await LoopbackHTTPServer { request in .init(status: 200, body: "{}") }
/// defer { Task { try await server.stop() } }
/// … use "http://127.0.0.1:\(server.port)" …
/// ```
public final class LoopbackHTTPServer: Sendable {
    /// A request as received: method, path with its query, headers (names as sent), raw body,
    /// and its place in the order of arrival (0 for the first).
    public struct Request: Sendable {
        public var sequence = 0
        public var method: String
        public var uri: String
        public var headers: [(name: String, value: String)]
        public var body: [UInt8]

        /// The first value of a header, whatever the case of its name.
        public func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }

        /// The headers as a dictionary, as `PaymentProvider.webhookEvent(headers:body:)` takes them.
        public var headerDictionary: [String: String] {
            Dictionary(headers.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        }

        public var bodyText: String { String(decoding: body, as: UTF8.self) }
    }

    /// An answer: a status, headers, a body, and how long to wait before sending it.
    public struct Response: Sendable {
        public var status: Int
        public var headers: [(String, String)]
        public var body: String
        public var delay: Duration
        /// Whether the connection is closed after the head and half the body, mid-response.
        public var dropsConnection: Bool

        public init(
            status: Int,
            headers: [(String, String)] = [("Content-Type", "application/json")],
            body: String = "",
            delay: Duration = .zero,
            dropsConnection: Bool = false
        ) {
            self.status = status
            self.headers = headers
            self.body = body
            self.delay = delay
            self.dropsConnection = dropsConnection
        }
    }

    /// The port the server listens on.
    public let port: Int
    private let channel: any Channel
    private let recorder: Recorder

    /// The requests received, shared with the connections' handlers.
    private final class Recorder: Sendable {
        let requests = Mutex<[Request]>([])
        /// The connections accepted, closed with the listener by `stop()`.
        let connections = Mutex<[any Channel]>([])

        /// Records a request and gives it its sequence number.
        func record(_ request: Request) -> Request {
            requests.withLock { requests in
                var request = request
                request.sequence = requests.count
                requests.append(request)
                return request
            }
        }
    }

    /// Starts a server on 127.0.0.1.
    ///
    /// - Parameters:
    ///   - port: the port, 0 (the default) for one the kernel picks; a given port lets a test stop
    ///     a server and start another where it was.
    ///   - respond: the answer to each request, called on the server's event loop.
    public init(port: Int = 0, respond: @escaping @Sendable (Request) -> Response) async throws {
        let recorder = Recorder()
        self.recorder = recorder
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                recorder.connections.withLock { $0.append(channel) }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(
                        Handler { request in respond(recorder.record(request)) }
                    )
                }
            }
            .bind(host: "127.0.0.1", port: port)
            .get()
        self.port = channel.localAddress?.port ?? 0
    }

    /// Every request received so far, in order.
    public var requests: [Request] { recorder.requests.withLock { $0 } }

    /// Closes the listening socket and every connection still open, as a server that goes down.
    public func stop() async throws {
        try await channel.close()
        for connection in recorder.connections.withLock({ $0 }) {
            try? await connection.close()
        }
    }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        private let respond: @Sendable (Request) -> Response
        private var head: HTTPRequestHead?
        private var body: [UInt8] = []

        init(respond: @escaping @Sendable (Request) -> Response) {
            self.respond = respond
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
                body = []
            case .body(let buffer):
                body += buffer.readableBytesView
            case .end:
                guard let head else { return }
                let request = Request(
                    method: head.method.rawValue,
                    uri: head.uri,
                    headers: head.headers.map { (name: $0.name, value: $0.value) },
                    body: body
                )
                let response = respond(request)
                let keepAlive = head.isKeepAlive
                let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
                let delay = TimeAmount.nanoseconds(Int64((response.delay / .nanoseconds(1)).rounded()))
                context.eventLoop.scheduleTask(in: delay) {
                    let (handler, context) = loopBound.value
                    handler.write(response, keepAlive: keepAlive, context: context)
                }
            }
        }

        private func write(_ response: Response, keepAlive: Bool, context: ChannelHandlerContext) {
            var headers = HTTPHeaders(response.headers)
            headers.replaceOrAdd(name: "Content-Length", value: String(response.body.utf8.count))
            if !keepAlive { headers.replaceOrAdd(name: "Connection", value: "close") }
            let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
            if response.dropsConnection {
                // The head promises the whole body; half of it comes, then the connection closes.
                let half = String(decoding: response.body.utf8.prefix(response.body.utf8.count / 2), as: UTF8.self)
                context.write(wrapOutboundOut(.head(head)), promise: nil)
                let channel = context.channel
                context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: half)))))
                    .whenComplete { _ in channel.close(promise: nil) }
                return
            }
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: response.body)))), promise: nil)
            let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
            if !keepAlive {
                let channel = context.channel
                done.whenComplete { _ in channel.close(promise: nil) }
            }
        }
    }
}
