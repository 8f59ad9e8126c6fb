import ArgumentParser

/// `ocpizza-admin journal`: the sales journal's keys, verification and archives.
struct Journal: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The sales journal: generate a signing key, close periods, verify a journal or an archive, archive a closed period.",
        discussion: """
            The sales journal records every sale, refund, cancellation and closing of each pizzeria, \
            chained and signed with the journal key (Documentation/Operations.md, "Sales journal"). \
            Commands that reach the database record what they did in the technical log, signed with \
            the same key as the server: give it with --journal-key-file or $OCPIZZA_JOURNAL_KEY.
            """,
        subcommands: [JournalKeygen.self, JournalClose.self, JournalVerify.self, ArchiveJournal.self]
    )
}
