// Without the trait, SwiftPM does not fetch this target's dependencies, and the build would fail
// on a missing module: say which trait to enable instead.
#if !PostgreSQL
#error(
    "OCPizzaPostgres needs the package trait PostgreSQL: .package(url: \"…/ocpizzakit.git\", from: \"…\", traits: [\"PostgreSQL\"])"
)
#endif
