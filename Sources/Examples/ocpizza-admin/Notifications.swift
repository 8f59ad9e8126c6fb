import ArgumentParser
import Foundation
import Logging
import OCPizzaKit
import OCPizzaPostgres
import OCPizzaServer

/// `ocpizza-admin notifications`: the customer notification outbox's dead letters.
struct Notifications: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Customer notifications: list the outbox, retry a dead letter, discard a notification.",
        discussion: """
            Notifications wait in the outbox until the server's courier sends them; one the carrier \
            refused for good, or that ran out of attempts, is a dead letter, kept until an operator \
            retries it (after fixing the carrier or the address) or discards it. Recipients are shown \
            masked. These commands act as a group administrator, like the server's routes \
            (Documentation/Server.md, "Notifications").
            """,
        subcommands: [NotificationsList.self, NotificationsRetry.self, NotificationsDiscard.self]
    )

    /// The service over the database's store and catalog, acting for the tool.
    static func service(_ store: PostgresStore) async throws -> PizzeriaService {
        guard let catalog = try await store.catalog() else {
            throw Console.UsageError("the database holds no catalog: import one with `ocpizza-admin import-catalog FILE`")
        }
        return PizzeriaService(store: store, catalog: catalog, logger: Logger(label: "ocpizza-admin", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    /// One line per notification under a header, columns aligned; the last error is cut to one short line.
    static func table(_ notifications: [CustomerNotification]) -> String {
        let header = ["KEY", "PIZZERIA", "ORDER", "KIND", "CHANNEL", "RECIPIENT", "STATE", "ATTEMPTS", "UPDATED", "LAST ERROR"]
        let rows = notifications.map { notification in
            [
                notification.id, notification.pizzeria.rawValue,
                "\(notification.content.number.businessDay) #\(notification.content.number)",
                notification.content.kind.rawValue, notification.channel.rawValue, RecipientMask.masked(notification),
                notification.state.rawValue, String(notification.attempts), notification.updatedAt.formatted(.iso8601),
                String((RecipientMask.lastError(of: notification) ?? "").prefix(80)),
            ]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        return ([header] + rows).map { row in
            row.indices.map { column in
                column == row.count - 1 ? row[column] : row[column].padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }

    /// What one notification now is, in a line.
    static func summary(_ notification: CustomerNotification) -> String {
        "\(notification.id): \(notification.state.rawValue), \(notification.channel.rawValue) to \(RecipientMask.masked(notification))"
    }
}

/// `ocpizza-admin notifications list`.
struct NotificationsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List notifications, most recently changed first, recipients masked.",
        discussion: "With --state dead: the dead letters to retry or discard, and the carrier's last answer."
    )

    @ArgumentParser.Option(help: ArgumentHelp("Only this state: pending, sent, dead or discarded.", valueName: "state"))
    var state: String?

    @ArgumentParser.Option(help: ArgumentHelp("Only this pizzeria's notifications.", valueName: "id"))
    var pizzeria: String?

    @ArgumentParser.Option(help: ArgumentHelp("The most notifications to list, up to \(NotificationQuery.maximumLimit).", valueName: "count"))
    var limit: Int = 50

    @ArgumentParser.OptionGroup var database: DatabaseOptions

    func validate() throws {
        if let state, CustomerNotification.State(rawValue: state) == nil {
            throw ValidationError("--state '\(state)' is not one of \(CustomerNotification.State.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard (1...NotificationQuery.maximumLimit).contains(limit) else {
            throw ValidationError("--limit must be from 1 to \(NotificationQuery.maximumLimit), not \(limit).")
        }
        if let pizzeria, pizzeria.isEmpty { throw ValidationError("--pizzeria must not be empty") }
    }

    func run() async throws {
        try await Console.run("notifications list") {
            let query = NotificationQuery(
                states: state.flatMap(CustomerNotification.State.init(rawValue:)).map { Set([$0]) },
                pizzeria: pizzeria.map { Pizzeria.ID($0) },
                limit: limit
            )
            let notifications = try await database.withStore { store in
                try await Notifications.service(store).notifications(query, by: .system)
            }
            guard !notifications.isEmpty else {
                print("no notification")
                return
            }
            print(Notifications.table(notifications))
        }
    }
}

/// `ocpizza-admin notifications retry KEY`.
struct NotificationsRetry: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Put a dead letter back in the queue, due now, with a fresh count of attempts.",
        discussion: "Fix the carrier's settings or the customer's address first: the courier sends it at its next round."
    )

    @ArgumentParser.Argument(help: ArgumentHelp("The notification's key, as `list` shows it.", valueName: "key"))
    var key: String

    @ArgumentParser.OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await Console.run("notifications retry") {
            let notification = try await database.withStore { store in
                try await Notifications.service(store).retryNotification(key, by: .system)
            }
            print("retried \(Notifications.summary(notification))")
        }
    }
}

/// `ocpizza-admin notifications discard KEY --reason …`.
struct NotificationsDiscard: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discard",
        abstract: "Give a pending or dead notification up for good, with the reason kept.",
        discussion: "It will never be sent; the reason is kept with it for whoever looks next."
    )

    /// The longest reason, as the server's route takes it.
    static let maximumReasonLength = 200

    @ArgumentParser.Argument(help: ArgumentHelp("The notification's key, as `list` shows it.", valueName: "key"))
    var key: String

    @ArgumentParser.Option(help: ArgumentHelp("Why, in one line of at most \(maximumReasonLength) characters.", valueName: "text"))
    var reason: String

    @ArgumentParser.OptionGroup var database: DatabaseOptions

    func validate() throws {
        let reason = reason.trimmingCharacters(in: .whitespaces)
        guard !reason.isEmpty else { throw ValidationError("--reason must say why") }
        guard reason.unicodeScalars.count <= Self.maximumReasonLength else {
            throw ValidationError("--reason must be at most \(Self.maximumReasonLength) characters")
        }
        guard !reason.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw ValidationError("--reason must be one line, without control characters")
        }
    }

    func run() async throws {
        try await Console.run("notifications discard") {
            let reason = reason.trimmingCharacters(in: .whitespaces)
            let notification = try await database.withStore { store in
                try await Notifications.service(store).discardNotification(key, reason: reason, by: .system)
            }
            print("discarded \(Notifications.summary(notification))")
        }
    }
}
