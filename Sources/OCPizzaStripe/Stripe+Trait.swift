// Without the trait, SwiftPM does not fetch this target's dependencies, and the build would fail
// on a missing module: say which trait to enable instead.
#if !Stripe
#error(
    "OCPizzaStripe needs the package trait Stripe: .package(url: \"…/ocpizzakit.git\", from: \"…\", traits: [\"Stripe\"])"
)
#endif
