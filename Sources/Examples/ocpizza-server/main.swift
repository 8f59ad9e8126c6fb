import Foundation
import Logging
import OCPizzaServer

// ocpizza-server: the example HTTP API over OCPizzaKit. Configuration comes from the
// environment (see ServerConfiguration and Documentation/Operations.md).
let configuration: ServerConfiguration
do {
    configuration = try ServerConfiguration(environment: ProcessInfo.processInfo.environment)
} catch {
    FileHandle.standardError.write(Data("ocpizza-server: configuration error: \(error)\n".utf8))
    exit(78)  // EX_CONFIG
}

LoggingSystem.bootstrap { label in
    var handler = StreamLogHandler.standardOutput(label: label)
    handler.logLevel = configuration.logLevel
    return handler
}
var logger = Logger(label: "ocpizza.server")
logger.logLevel = configuration.logLevel
logger.info(
    "starting",
    metadata: ["environment": "\(configuration.environment.rawValue)", "address": "\(configuration.host):\(configuration.port)"]
)
do {
    try await ServerApplication.run(configuration, logger: logger)
    logger.info("stopped")
} catch let failure as ServerConfiguration.Failure {
    FileHandle.standardError.write(Data("ocpizza-server: configuration error: \(failure)\n".utf8))
    exit(78)
} catch let unavailable as DatabaseUnavailable {
    FileHandle.standardError.write(Data("ocpizza-server: database unavailable: \(unavailable)\n".utf8))
    exit(69)  // EX_UNAVAILABLE
} catch {
    logger.critical("server failed", metadata: ["error": "\(error)"])
    FileHandle.standardError.write(Data("ocpizza-server: failed: \(error)\n".utf8))
    exit(1)
}
