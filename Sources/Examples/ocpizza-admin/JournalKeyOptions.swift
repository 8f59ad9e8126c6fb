import ArgumentParser
import Foundation
import OCPizzaKit

/// The journal signing key a command signs technical events (and archive manifests) with:
/// `--journal-key-file`, or as the server reads it, `OCPIZZA_JOURNAL_KEY_FILE` or `OCPIZZA_JOURNAL_KEY`.
struct JournalKeyOptions: ParsableArguments {
    @ArgumentParser.Option(
        name: .customLong("journal-key-file"),
        help: ArgumentHelp(
            "A file holding the journal signing key (base64, from `journal keygen`); defaults to $OCPIZZA_JOURNAL_KEY_FILE, then $OCPIZZA_JOURNAL_KEY.",
            valueName: "file"
        )
    )
    var keyFile: String?

    /// The key, or `nil` when neither the option nor the variable gives one.
    func key() throws -> JournalSigningKey? {
        let environment = ProcessInfo.processInfo.environment
        let file = keyFile ?? environment["OCPIZZA_JOURNAL_KEY_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        let text: String
        if let file {
            text = String(decoding: try Console.read(file), as: UTF8.self)
        } else if let variable = environment["OCPIZZA_JOURNAL_KEY"], !variable.isEmpty {
            text = variable
        } else {
            return nil
        }
        do {
            return try JournalSigningKey(base64: text)
        } catch {
            throw Console.UsageError("\(file ?? "OCPIZZA_JOURNAL_KEY"): \(error)")
        }
    }

    /// The key, required: `what` needs it to sign what it records.
    func requiredKey(_ what: String) throws -> JournalSigningKey {
        guard let key = try key() else {
            throw Console.UsageError("\(what) signs the technical log: pass --journal-key-file or set OCPIZZA_JOURNAL_KEY (the server's key)")
        }
        return key
    }
}
