import Foundation
public import Logging
public import ServiceLifecycle
import Synchronization

/// The operator's revocations, as every request and live stream of an instance sees them.
///
/// The list comes from a file the operator controls (`OCPIZZA_REVOCATION_FILE`, read whole; see
/// ``RevocationList`` for its lines). The file is read at start, where a missing or malformed file
/// stops the server with a configuration error, and again every ``interval`` while the server runs
/// (this service's ``run()``): a revocation reaches new requests within ``interval``, and open
/// live streams, which check their token every second, within ``interval`` plus a second. A file
/// that became unreadable or malformed keeps the list in force and logs an error each time, so a
/// mistyped edit never lifts a revocation.
///
/// Several instances apply the same revocations when each reads the same file: a shared volume,
/// or the same file pushed to every host by configuration management. Each instance applies it
/// within ``interval`` of the file reaching it.
public final class TokenRevocations: Service, Sendable, CustomStringConvertible {
    /// How often the file is read again.
    public let interval: Duration
    /// The file, or `nil` when nothing is revoked this way (only tests then call ``update(_:)``).
    public let file: String?

    private let current: Mutex<RevocationList>
    private let logger: Logger

    /// The largest revocation file read, in bytes.
    public static let maximumFileSize = 16 * 1_024 * 1_024

    /// Revocations without a file: nothing revoked, unless ``update(_:)`` says so.
    public init(_ list: RevocationList = .empty, logger: Logger = Logger(label: "ocpizza.revocations")) {
        self.file = nil
        self.interval = .seconds(2)
        self.current = Mutex(list)
        self.logger = logger
    }

    /// Revocations read from a file now and every `interval`.
    ///
    /// - Throws: ``ServerConfiguration/Failure`` naming `OCPIZZA_REVOCATION_FILE` when the file
    ///   cannot be read or a line is not a rule.
    public init(file: String, interval: Duration = .seconds(2), logger: Logger) throws(ServerConfiguration.Failure) {
        self.file = file
        self.interval = interval
        self.logger = logger
        let list: RevocationList
        do {
            list = try Self.read(file)
        } catch {
            throw ServerConfiguration.Failure(variable: "OCPIZZA_REVOCATION_FILE", problem: "\(file): \(error)")
        }
        self.current = Mutex(list)
        logger.info(
            "token revocations read",
            metadata: ["file": "\(file)", "tokens": "\(list.tokenIDs.count)", "subjects": "\(list.subjectsRevokedBefore.count)"]
        )
    }

    public var description: String { "TokenRevocations" }

    /// Whether a token is revoked now.
    public func revokes(_ token: VerifiedToken) -> Bool {
        current.withLock { $0.revokes(token) }
    }

    /// Replaces the list in force.
    public func update(_ list: RevocationList) {
        current.withLock { $0 = list }
    }

    /// Reads the file again every ``interval`` until the server shuts down.
    ///
    /// Without a file it only waits for the shutdown: a service that returns would stop the
    /// service group, and the server with it.
    public func run() async throws {
        guard let file else {
            try? await gracefulShutdown()
            return
        }
        await cancelWhenGracefulShutdown { [self] in
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: interval)
                } catch {
                    return
                }
                reload(file)
            }
        }
    }

    private func reload(_ file: String) {
        do {
            let list = try Self.read(file)
            let changed = current.withLock { current in
                defer { current = list }
                return current != list
            }
            if changed {
                logger.notice(
                    "token revocations reloaded",
                    metadata: ["tokens": "\(list.tokenIDs.count)", "subjects": "\(list.subjectsRevokedBefore.count)"]
                )
            }
        } catch {
            logger.error("token revocations not reloaded; the previous list stays in force", metadata: ["file": "\(file)", "error": "\(error)"])
        }
    }

    /// Why the file could not be read.
    struct ReadError: Error, CustomStringConvertible {
        var description: String
    }

    static func read(_ file: String) throws -> RevocationList {
        guard let handle = FileHandle(forReadingAtPath: file) else { throw ReadError(description: "cannot be opened") }
        defer { try? handle.close() }
        let data = try handle.read(upToCount: maximumFileSize + 1) ?? Data()
        guard data.count <= maximumFileSize else { throw ReadError(description: "larger than \(maximumFileSize) bytes") }
        return try RevocationList(parsing: String(decoding: data, as: UTF8.self))
    }
}
