/// One versioned step of the schema, embedded in the library.
///
/// Migrations are applied in ``version`` order, each in its own transaction, and recorded in the
/// `ocpizza_migrations` table; see ``PostgresStore/migrate()``.
public struct Migration: Sendable, Hashable {
    /// The version, starting at 1, without gaps.
    public let version: Int
    /// What it does, recorded with it.
    public let name: String
    /// The SQL statements, run in order.
    let statements: [String]

    /// Every migration of this library version, in order.
    public static let all: [Migration] = [
        Migration(
            version: 1,
            name: "orders, stock, ledger, events and catalog",
            statements: [
                """
                CREATE TABLE ocpizza_catalog (
                    id integer PRIMARY KEY CHECK (id = 1),
                    document jsonb NOT NULL,
                    saved_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                """
                CREATE TABLE ocpizza_stock (
                    pizzeria text NOT NULL,
                    ingredient text NOT NULL,
                    on_hand bigint NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
                    reserved bigint NOT NULL DEFAULT 0 CHECK (reserved >= 0),
                    PRIMARY KEY (pizzeria, ingredient),
                    CONSTRAINT ocpizza_stock_reserved_within_on_hand CHECK (reserved <= on_hand)
                )
                """,
                """
                CREATE TABLE ocpizza_order_numbers (
                    pizzeria text NOT NULL,
                    business_day date NOT NULL,
                    last_number integer NOT NULL CHECK (last_number > 0),
                    PRIMARY KEY (pizzeria, business_day)
                )
                """,
                """
                CREATE TABLE ocpizza_orders (
                    id text PRIMARY KEY,
                    pizzeria text NOT NULL,
                    business_day date NOT NULL,
                    number integer NOT NULL CHECK (number > 0),
                    status text NOT NULL CHECK (status IN (
                        'awaitingPayment', 'pending', 'preparing', 'ready', 'outForDelivery', 'delivered', 'collected', 'cancelled'
                    )),
                    customer text,
                    idempotency_key text UNIQUE CHECK (length(idempotency_key) BETWEEN 1 AND 255),
                    placed_at timestamptz NOT NULL,
                    consumed boolean NOT NULL DEFAULT false,
                    document jsonb NOT NULL,
                    CONSTRAINT ocpizza_orders_number_per_day UNIQUE (pizzeria, business_day, number),
                    FOREIGN KEY (pizzeria, business_day) REFERENCES ocpizza_order_numbers (pizzeria, business_day)
                )
                """,
                "CREATE INDEX ocpizza_orders_board ON ocpizza_orders (pizzeria, status, placed_at)",
                "CREATE INDEX ocpizza_orders_customer ON ocpizza_orders (customer) WHERE customer IS NOT NULL",
                """
                CREATE TABLE ocpizza_ledger (
                    sequence bigserial PRIMARY KEY,
                    pizzeria text NOT NULL,
                    ingredient text NOT NULL,
                    kind text NOT NULL CHECK (kind IN ('reserve', 'release', 'consume', 'restock', 'waste', 'count')),
                    on_hand_change bigint NOT NULL,
                    reserved_change bigint NOT NULL,
                    on_hand_after bigint NOT NULL,
                    reserved_after bigint NOT NULL,
                    order_id text REFERENCES ocpizza_orders (id),
                    actor jsonb NOT NULL,
                    at timestamptz NOT NULL,
                    reason text,
                    FOREIGN KEY (pizzeria, ingredient) REFERENCES ocpizza_stock (pizzeria, ingredient)
                )
                """,
                "CREATE INDEX ocpizza_ledger_by_pizzeria ON ocpizza_ledger (pizzeria, sequence)",
                """
                CREATE TABLE ocpizza_events (
                    sequence bigserial PRIMARY KEY,
                    pizzeria text NOT NULL,
                    order_id text,
                    at timestamptz NOT NULL DEFAULT now(),
                    document jsonb NOT NULL
                )
                """,
                "CREATE INDEX ocpizza_events_by_pizzeria ON ocpizza_events (pizzeria, sequence)",
            ]
        ),
        Migration(
            version: 2,
            name: "payments: settlement on orders, payment reference and payment window columns",
            statements: [
                """
                UPDATE ocpizza_orders SET document = jsonb_set(
                    document, '{settlement}',
                    jsonb_build_object('mode', document->'payment', 'attempts', 0, 'refunds', 0, 'history', '[]'::jsonb, 'processedEvents', '[]'::jsonb)
                )
                WHERE NOT document ? 'settlement'
                """,
                "ALTER TABLE ocpizza_orders ADD COLUMN payment_reference text",
                "ALTER TABLE ocpizza_orders ADD COLUMN payment_due timestamptz",
                "CREATE UNIQUE INDEX ocpizza_orders_payment_reference ON ocpizza_orders (payment_reference) WHERE payment_reference IS NOT NULL",
                "CREATE INDEX ocpizza_orders_payment_due ON ocpizza_orders (payment_due) WHERE status = 'awaitingPayment'",
            ]
        ),
        Migration(
            version: 3,
            name: "indexes of the orders customers may hold unpaid, and of each customer's history",
            statements: [
                // The predicate is `PostgresStore.unpaidHoldsFilter`, frozen here as text: a
                // migration never changes once released (a test checks that they are the same).
                """
                CREATE INDEX ocpizza_orders_unpaid_holds ON ocpizza_orders (pizzeria)
                WHERE status IN ('awaitingPayment', 'pending') AND (document->'placedBy'->>'role') = 'customer'
                """,
                """
                CREATE INDEX ocpizza_orders_by_customer ON ocpizza_orders (customer, placed_at DESC, id COLLATE "C" DESC)
                WHERE customer IS NOT NULL
                """,
                // The new index serves erasure's lookup by customer too.
                "DROP INDEX ocpizza_orders_customer",
            ]
        ),
        Migration(
            version: 4,
            name: "the sales journal and the technical event log, append-only",
            statements: [
                // Each entry as recorded (its JSON document), with the columns that find it.
                // No foreign key to orders: an entry outlives anything done to its order.
                """
                CREATE TABLE ocpizza_journal (
                    pizzeria text NOT NULL,
                    sequence bigint NOT NULL CHECK (sequence > 0),
                    recorded_at timestamptz NOT NULL,
                    kind text NOT NULL,
                    order_id text,
                    period_kind text,
                    period_label text,
                    hash text NOT NULL,
                    entry jsonb NOT NULL,
                    PRIMARY KEY (pizzeria, sequence)
                )
                """,
                "CREATE INDEX ocpizza_journal_by_time ON ocpizza_journal (pizzeria, recorded_at)",
                "CREATE UNIQUE INDEX ocpizza_journal_closings ON ocpizza_journal (pizzeria, period_kind, period_label) WHERE kind = 'closing'",
                """
                CREATE TABLE ocpizza_technical_log (
                    sequence bigint PRIMARY KEY CHECK (sequence > 0),
                    recorded_at timestamptz NOT NULL,
                    kind text NOT NULL,
                    pizzeria text,
                    hash text NOT NULL,
                    event jsonb NOT NULL
                )
                """,
                // Nobody rewrites them: not the application, not a mistaken script. An owner who
                // drops these triggers and edits leaves what verification finds (Compliance.md).
                """
                CREATE FUNCTION ocpizza_refuse_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
                END
                $$
                """,
                """
                CREATE TRIGGER ocpizza_journal_append_only BEFORE UPDATE OR DELETE ON ocpizza_journal
                FOR EACH ROW EXECUTE FUNCTION ocpizza_refuse_rewrite()
                """,
                """
                CREATE TRIGGER ocpizza_journal_no_truncate BEFORE TRUNCATE ON ocpizza_journal
                FOR EACH STATEMENT EXECUTE FUNCTION ocpizza_refuse_rewrite()
                """,
                """
                CREATE TRIGGER ocpizza_technical_log_append_only BEFORE UPDATE OR DELETE ON ocpizza_technical_log
                FOR EACH ROW EXECUTE FUNCTION ocpizza_refuse_rewrite()
                """,
                """
                CREATE TRIGGER ocpizza_technical_log_no_truncate BEFORE TRUNCATE ON ocpizza_technical_log
                FOR EACH STATEMENT EXECUTE FUNCTION ocpizza_refuse_rewrite()
                """,
            ]
        ),
        Migration(
            version: 5,
            name: "the customer notification outbox",
            statements: [
                // Each notification's document (its whole state, decided by the core), with the
                // columns a claim, an erasure and an operator's list read. No foreign key to
                // orders: an erased or archived order does not take its sent messages with it.
                """
                CREATE TABLE ocpizza_notifications (
                    key text PRIMARY KEY,
                    pizzeria text NOT NULL,
                    order_id text NOT NULL,
                    customer text,
                    state text NOT NULL CHECK (state IN ('pending', 'sent', 'dead', 'discarded')),
                    attempts integer NOT NULL CHECK (attempts >= 0),
                    due_at timestamptz NOT NULL,
                    updated_at timestamptz NOT NULL,
                    document jsonb NOT NULL
                )
                """,
                // What a claim reads: the pending ones, earliest due first; small, as sent ones leave it.
                "CREATE INDEX ocpizza_notifications_due ON ocpizza_notifications (due_at) WHERE state = 'pending'",
                "CREATE INDEX ocpizza_notifications_by_customer ON ocpizza_notifications (customer) WHERE customer IS NOT NULL",
                "CREATE INDEX ocpizza_notifications_by_order ON ocpizza_notifications (order_id)",
                "CREATE INDEX ocpizza_notifications_recent ON ocpizza_notifications (pizzeria, state, updated_at DESC)",
            ]
        ),
        Migration(
            version: 6,
            name: "slot capacity usage per pizzeria and slot",
            statements: [
                // A counter per slot, like stock: what the orders booked in it take of its kitchen
                // and its drivers. A missing row is an unused slot; commands create the rows they
                // lock. No foreign key: a restore rebuilds the rows from the orders
                // (`Rulebook.slotUsages(of:)`), and the limits live in the catalog's schedule.
                """
                CREATE TABLE ocpizza_slots (
                    pizzeria text NOT NULL,
                    slot_start timestamptz NOT NULL,
                    kitchen integer NOT NULL CHECK (kitchen >= 0),
                    deliveries integer NOT NULL CHECK (deliveries >= 0),
                    PRIMARY KEY (pizzeria, slot_start)
                )
                """
            ]
        ),
        Migration(
            version: 7,
            name: "stock ledger rows without per-row foreign-key checks; order documents stored uncompressed",
            statements: [
                // A foreign key is checked row by row: two index lookups and a row lock for each
                // ledger row, 18 for a placement of three lines, inside the placement's locks.
                // The store writes a ledger row only in the statement that updates its stock row
                // and, for an order's row, inserts or locks that order; neither a stock row nor an
                // order is ever deleted (a restore empties and refills every table in one
                // transaction). The load test's checks and the PostgreSQL model fuzzing (after every sequence) verify that
                // every row still names its stock row and order.
                "ALTER TABLE ocpizza_ledger DROP CONSTRAINT IF EXISTS ocpizza_ledger_order_id_fkey",
                "ALTER TABLE ocpizza_ledger DROP CONSTRAINT IF EXISTS ocpizza_ledger_pizzeria_ingredient_fkey",
                // An order's document is 3 to 4 kB: above the 2 kB past which PostgreSQL compresses
                // a row's largest values (pglz), which took 7 % of the busy CPU of a group-committed
                // load at one pizzeria, inside the batch's locks. Rows up to a page stay as written;
                // larger ones are still compressed, then moved out of line. The table is larger on
                // disk; reading an order no longer decompresses it.
                "ALTER TABLE ocpizza_orders SET (toast_tuple_target = 8160)",
            ]
        ),
    ]
}
