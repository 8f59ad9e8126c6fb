import Foundation
import OCPizzaTestSupport
import Synchronization

/// A running `ocpizza-fault-worker`, built by `swift build` next to the test bundle, and its journal.
final class FaultWorkerProcess: Sendable {
    static let executable: URL? = {
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for candidate in [runner, Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent("ocpizza-fault-worker")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return nil
    }()

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let journalPath: String
    let errorsPath: String
    private let process: Mutex<Process>

    init(arguments: [String], journal: String) throws {
        guard let executable = Self.executable else { throw Failure(description: "ocpizza-fault-worker is not built next to the tests") }
        journalPath = journal
        errorsPath = journal + ".stderr"
        guard FileManager.default.createFile(atPath: errorsPath, contents: nil) else {
            throw Failure(description: "cannot write \(errorsPath)")
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments + ["--journal", journal]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: errorsPath)
        try process.run()
        self.process = Mutex(process)
    }

    deinit { kill() }

    var isRunning: Bool { process.withLock { $0.isRunning } }

    var exitStatus: Int32? { process.withLock { $0.isRunning ? nil : $0.terminationStatus } }

    /// SIGKILL if still running: the end of the test, whatever happened.
    func kill() {
        process.withLock { process in
            if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        }
    }

    /// Waits until the process exits or the deadline passes; `true` if it exited.
    func waitForExit(until deadline: ContinuousClock.Instant) async -> Bool {
        while isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        return !isRunning
    }

    /// The journal's complete lines so far.
    func records() -> [FaultLoad.Record] {
        guard let data = FileManager.default.contents(atPath: journalPath) else { return [] }
        let decoder = JSONDecoder()
        return data.split(separator: UInt8(ascii: "\n")).compactMap { try? decoder.decode(FaultLoad.Record.self, from: Data($0)) }
    }

    /// How many operations the journal says are finished so far.
    func finishedOperations() -> Int {
        guard let data = FileManager.default.contents(atPath: journalPath) else { return 0 }
        return String(decoding: data, as: UTF8.self).components(separatedBy: #""kind":"finished""#).count - 1
    }

    /// What the worker wrote on its standard error.
    func standardError() -> String {
        (try? String(contentsOfFile: errorsPath, encoding: .utf8)) ?? ""
    }
}
