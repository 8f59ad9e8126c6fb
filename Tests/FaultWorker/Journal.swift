import ArgumentParser
import Foundation
import OCPizzaTestSupport
import Synchronization

/// The worker's journal: one JSON line per record, written at once (no buffering), so that the
/// test reads the progress while the worker runs and keeps everything written before a crash.
final class Journal: Sendable {
    private let file: Mutex<FileHandle>

    init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw ValidationError("cannot write the journal at \(path)")
        }
        file = Mutex(handle)
    }

    func write(_ record: FaultLoad.Record) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard var line = try? encoder.encode(record) else { return }
        line.append(UInt8(ascii: "\n"))
        file.withLock { $0.write(line) }
    }
}
