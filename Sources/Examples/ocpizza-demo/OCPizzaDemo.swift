import ArgumentParser
import Foundation

/// `ocpizza-demo`: a simulated Friday evening at OC Pizza Bastille, on the in-memory store.
@main
struct OCPizzaDemo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ocpizza-demo",
        abstract: "A simulated Friday evening at OC Pizza Bastille, on OCPizzaKit's in-memory store.",
        discussion: """
            The evening of Friday 20 November 2026, 18:00 to about 22:30 in Paris, on a fixed clock: \
            the opening stock (with too little mozzarella), counter, phone and web orders, the kitchen, \
            the drivers, the live order board with the kitchen's queue in promised-time order, pizzas \
            leaving the menu and coming back after a delivery, orders flagged running late, and the \
            end-of-evening report with the promises kept, revenue, VAT and ingredients consumed.

            Every order books a 15-minute slot: as soon as possible, or one the customer chose. Tonight \
            Bastille's kitchen makes 12 items a slot and each driver two deliveries, so slots fill up and \
            promises move later; with many more orders than the default, most customers are refused for \
            lack of room in the slots.

            Whatever the seed, the evening also has its scripted moments: a customer adds a pizza to her \
            pending order, a phone order is cancelled, an order refused for lack of several ingredients \
            and of room in any slot, a mozzarella delivery mid-evening, a table for ten booked for 20:00, \
            a customer who finds 20:00 full and takes a later slot, and a rush at the counter.

            The same seed and number of orders always print the same evening, byte for byte. \
            Colours are used only when standard output is a terminal and NO_COLOR is not set.
            """
    )

    @Option(help: ArgumentHelp("The seed of the evening's customers: any number from 0 to 2^64 - 1.", valueName: "number"))
    var seed: UInt64 = 42

    @Option(help: ArgumentHelp("How many customers order at random, from 1 to 200; the scripted moments come on top.", valueName: "count"))
    var orders: Int = 24

    func validate() throws {
        guard (1...200).contains(orders) else {
            throw ValidationError("--orders must be from 1 to 200, not \(orders).")
        }
    }

    func run() async throws {
        do {
            var evening = try Evening(seed: seed, orders: orders, terminal: .standardOutput)
            try await evening.run()
        } catch {
            FileHandle.standardError.write(Data("ocpizza-demo: the evening stopped: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
