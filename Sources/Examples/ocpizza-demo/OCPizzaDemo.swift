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
            the drivers, the live order board, pizzas leaving the menu and coming back after a delivery, \
            and the end-of-evening report with revenue, VAT and ingredients consumed.

            Whatever the seed, the evening also has its scripted moments: a customer adds a pizza to her \
            pending order, a phone order is cancelled, an order refused for lack of several ingredients, \
            and a mozzarella delivery mid-evening.

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
