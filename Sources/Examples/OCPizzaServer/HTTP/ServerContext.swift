public import Hummingbird
public import NIOCore

/// The request context of `ocpizza-server`: Hummingbird's core storage and the peer's address,
/// from which ``FrontDoorMiddleware`` works out the client's address behind a trusted proxy.
public struct ServerContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The connected peer: the client, or the reverse proxy in front of the server.
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }
}
