import ArgumentParser

/// `ocpizza-admin`: the operator's tool for an OC Pizza database.
@main
struct OCPizzaAdmin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ocpizza-admin",
        abstract:
            "Administer an OC Pizza PostgreSQL database: schema, catalog, backups, stock, abandoned orders, access tokens, the sales journal and customer notifications.",
        discussion: """
            Every command that reaches the database reads its URL from --database-url or, by default, \
            from OCPIZZA_DATABASE_URL: postgres://user:password@host:5432/oc_pizza?sslmode=require, or a \
            Unix socket as postgres://user@%2Fvar%2Frun%2Fpostgresql/oc_pizza.

            Results go to standard output; progress, warnings and errors to standard error. A command \
            that fails prints one line saying why and exits with a non-zero status (64 for a missing or \
            invalid argument, 69 when the database cannot be reached), so every command is safe to run from cron or a script.

            See Documentation/Admin.md for each command with examples.
            """,
        subcommands: [
            Migrate.self, ImportCatalog.self, ExportCatalog.self, Backup.self, Restore.self, StockReport.self, SalesReportCommand.self,
            ExpireOrders.self, IssueToken.self, Journal.self, Notifications.self,
        ]
    )
}
