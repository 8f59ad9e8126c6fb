import ArgumentParser
import OCPizzaKit

/// `ocpizza-admin journal keygen`: a new journal signing key.
struct JournalKeygen: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Generate a new journal signing key.",
        discussion: """
            Prints the private key (base64 of 32 random bytes) alone on standard output, so that \
            `ocpizza-admin journal keygen > journal.key` stores it; its public key and key ID go to \
            standard error. Keep the private key in the secret store the servers read \
            OCPIZZA_JOURNAL_KEY from; give the public key to the auditor and to `journal verify`. \
            No database is needed.
            """
    )

    func run() async throws {
        try await Console.run("journal keygen") {
            let key = JournalSigningKey.generate()
            print(key.base64)
            Console.note("public key: \(key.publicKey.base64)")
            Console.note("key ID:     \(key.keyID)")
        }
    }
}
