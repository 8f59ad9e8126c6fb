import NIOCore
import NIOSSL
import Synchronization

/// Remembers that TLS failed on a connection (a certificate not trusted, a handshake the server
/// broke off), so that the end of the connection that follows reads as a TLS failure, whichever
/// of the error and the close reaches the conversation first.
final class TLSFailure: Sendable {
    private let failed = Mutex(false)

    /// Whether TLS failed on the connection.
    var hasOccurred: Bool { failed.withLock { $0 } }

    func record() {
        failed.withLock { $0 = true }
    }

    /// Whether `error` is a TLS failure; a close without TLS's close_notify is not.
    static func isTLSError(_ error: any Error) -> Bool {
        if let error = error as? NIOSSLError, case .uncleanShutdown = error { return false }
        return error is NIOSSLError || error is NIOSSLExtraError || error is BoringSSLError
    }
}

/// Placed right after the TLS handler: records its errors in a ``TLSFailure`` and passes everything on.
final class TLSFailureRecorder: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    private let failure: TLSFailure

    init(_ failure: TLSFailure) {
        self.failure = failure
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if TLSFailure.isTLSError(error) { failure.record() }
        context.fireErrorCaught(error)
    }
}
