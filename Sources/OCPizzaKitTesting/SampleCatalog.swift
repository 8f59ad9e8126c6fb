import OCPizzaKit
