public import Foundation

/// One record of a pizzeria's sales journal: written once, never edited or deleted, chained to
/// the one before by its hash and signed.
///
/// A pizzeria's entries are numbered from 1 without a gap. Each carries the perpetual
/// ``grandTotal`` after it, the ``previousHash`` of the entry before, its own ``hash`` (SHA-256 of
/// ``canonicalBytes``) and an Ed25519 ``signature`` of that hash by the key ``keyID`` names.
/// Altering, deleting, inserting or reordering an entry breaks the chain at that entry, and
/// rewriting the chain from there needs the private key. ``SalesJournal/verify(_:trusting:after:)``
/// checks all of it. Entries name orders, never customers: anonymising a customer never touches them.
public struct JournalEntry: Hashable, Sendable, Codable {
    /// What an entry records.
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        /// Money taken: an online payment captured, or cash or card collected on delivery or at the counter.
        case sale
        /// Money given back on an order that stays (a goodwill or partial refund).
        case refund
        /// Money given back because a paid order was cancelled.
        case cancellation
        /// A period closed: ``JournalEntry/closing`` holds its totals.
        case closing
        /// A new signing key takes over: ``JournalEntry/publicKey`` holds it. Every journal starts with one.
        case keyRotation

        /// Whether the entry records money (a sale, a refund or a cancellation).
        public var isMoney: Bool { self == .sale || self == .refund || self == .cancellation }
    }

    /// How the money of an entry moved.
    public enum PaymentMethod: String, Hashable, Sendable, Codable, CaseIterable {
        /// Through the payment provider.
        case online
        /// Notes and coins.
        case cash
        /// A card on the driver's or the counter's terminal.
        case card
    }

    /// The pizzeria whose journal this is.
    public internal(set) var pizzeria: Pizzeria.ID
    /// Its place in the pizzeria's journal, from 1, without a gap.
    public internal(set) var sequence: Int64
    /// When it was recorded, to the millisecond; never before the entry before it.
    public internal(set) var recordedAt: Date
    /// What it records.
    public internal(set) var kind: Kind
    /// The order concerned, for money.
    public internal(set) var order: Order.ID?
    /// The order's number, for money.
    public internal(set) var orderNumber: OrderNumber?
    /// How the order was fulfilled, for money.
    public internal(set) var fulfilment: FulfilmentMode?
    /// How the money moved, for money.
    public internal(set) var paymentMethod: PaymentMethod?
    /// The money, signed, per VAT rate; empty for a closing or a key rotation.
    public internal(set) var amounts: JournalAmounts
    /// The pizzeria's perpetual grand totals after this entry.
    public internal(set) var grandTotal: GrandTotal
    /// For a closing: the period and its totals.
    public internal(set) var closing: JournalClosing?
    /// For a key rotation: the new Ed25519 public key, base64 of its 32 raw bytes.
    public internal(set) var publicKey: String?
    /// The key that signed this entry (``JournalSigningKey/keyID``).
    public internal(set) var keyID: String
    /// The ``hash`` of the entry before, or 64 zeros for the first.
    public internal(set) var previousHash: String
    /// SHA-256 of ``canonicalBytes``, in lowercase hexadecimal.
    public internal(set) var hash: String
    /// The Ed25519 signature of the 32 bytes of ``hash``, in base64.
    public internal(set) var signature: String

    /// Creates an entry exactly as stored; only the journal's sealing computes new ones.
    public init(
        pizzeria: Pizzeria.ID,
        sequence: Int64,
        recordedAt: Date,
        kind: Kind,
        order: Order.ID?,
        orderNumber: OrderNumber?,
        fulfilment: FulfilmentMode?,
        paymentMethod: PaymentMethod?,
        amounts: JournalAmounts,
        grandTotal: GrandTotal,
        closing: JournalClosing?,
        publicKey: String?,
        keyID: String,
        previousHash: String,
        hash: String,
        signature: String
    ) {
        self.pizzeria = pizzeria
        self.sequence = sequence
        self.recordedAt = recordedAt
        self.kind = kind
        self.order = order
        self.orderNumber = orderNumber
        self.fulfilment = fulfilment
        self.paymentMethod = paymentMethod
        self.amounts = amounts
        self.grandTotal = grandTotal
        self.closing = closing
        self.publicKey = publicKey
        self.keyID = keyID
        self.previousHash = previousHash
        self.hash = hash
        self.signature = signature
    }

    /// The hash that precedes a journal's first entry.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// The head of the journal after this entry.
    public var head: JournalHead {
        JournalHead(sequence: sequence, hash: hash, recordedAt: recordedAt, keyID: keyID, grandTotal: grandTotal, currency: amounts.currency)
    }
}
