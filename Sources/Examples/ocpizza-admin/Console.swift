import ArgumentParser
import Foundation
import OCPizzaKit

/// Standard output for results, standard error for progress and errors, and how a failure ends a command.
enum Console {
    /// A bad argument or environment: one line, exit status 64.
    struct UsageError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// The database cannot be reached: one line, exit status 69.
    struct Unreachable: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// Writes a line to standard error.
    static func note(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// A progress callback that writes each step to standard error.
    static func progress(_ verb: String) -> @Sendable (StoreSnapshot.Progress) -> Void {
        { step in note("  \(verb) \(step)") }
    }

    /// Runs a command's work; a failure becomes one line on standard error and a non-zero exit.
    static func run(_ command: String, _ work: () async throws -> Void) async throws {
        do {
            try await work()
        } catch let error as UsageError {
            note("ocpizza-admin \(command): \(error)")
            throw ExitCode.validationFailure
        } catch let error as Unreachable {
            note("ocpizza-admin \(command): \(error)")
            throw ExitCode(69)
        } catch let error as ExitCode {
            throw error
        } catch {
            note("ocpizza-admin \(command): \(explain(error))")
            throw ExitCode.failure
        }
    }

    /// The contents of a file, or standard input for `-`; a file that cannot be read is a usage error naming it.
    static func read(_ path: String) throws -> Data {
        do {
            return try path == "-" ? FileHandle.standardInput.readToEnd() ?? Data() : Data(contentsOf: URL(filePath: path))
        } catch {
            throw UsageError("cannot read \(path): \(explain(error))")
        }
    }

    /// The library's typed errors say what is wrong; a missing schema gets a hint.
    static func explain(_ error: any Error) -> String {
        let text = String(describing: error)
        if let store = error as? StoreError {
            switch store.code {
            case .missingSchema: return "\(text) (the database has no OC Pizza schema: run `ocpizza-admin migrate` first)"
            default: return text
            }
        }
        if error is CocoaError { return (error as NSError).localizedDescription }
        return text
    }

    /// `1 234 567` as the French staff read it (thin groups of three, no decimals).
    static func grouped(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(" ") }
            out.append(digit)
        }
        return (value < 0 ? "-" : "") + out
    }
}
