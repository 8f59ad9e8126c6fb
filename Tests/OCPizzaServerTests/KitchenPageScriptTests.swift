import Foundation
import OCPizzaTestSupport
import Testing

@testable import OCPizzaServer

/// The kitchen page's script, run by Node.js against a stand-in `EventSource` and DOM: what the
/// page does with what the server sends (`StreamTokenTests` checks the server's side).
@Suite("Kitchen page script", .enabled(if: NodeRuntime.path != nil, "Node.js is not installed"))
struct KitchenPageScriptTests {
    /// The page's script, as the server sends it.
    static var script: String {
        let html = KitchenPage.html
        guard let start = html.range(of: "<script>"), let end = html.range(of: "</script>") else { return "" }
        return String(html[start.upperBound..<end.lowerBound])
    }

    /// A DOM with what the page uses, `location` and `history`, and an `EventSource` the scenario drives.
    static let standIns = #"""
        const elements = {};
        function node(tag) {
          return { tag, textContent: "", className: "", value: "", children: [], listeners: {},
            replaceChildren() { this.children = []; }, appendChild(c) { this.children.push(c); return c; },
            append(...c) { this.children.push(...c); }, addEventListener(type, f) { this.listeners[type] = f; } };
        }
        globalThis.document = { getElementById: id => (elements[id] ??= node("div")), createElement: node };
        globalThis.location = { hash: "#pizzeria=paris-bastille&token=old" };
        globalThis.history = { replaceState(state, title, url) { location.hash = url; } };
        const sources = [];
        class EventSource {
          constructor(url) { this.url = url; this.readyState = 0; this.listeners = {}; this.closed = false; sources.push(this); }
          addEventListener(type, f) { (this.listeners[type] ??= []).push(f); }
          close() { this.closed = true; this.readyState = 2; }
          fire(type, data) { for (const f of this.listeners[type] ?? []) f({ target: this, data }); }
        }
        EventSource.CONNECTING = 0; EventSource.OPEN = 1; EventSource.CLOSED = 2;
        globalThis.EventSource = EventSource;
        """#

    static let scenario = #"""
        const failures = [];
        const check = (ok, what) => { if (!ok) failures.push(what); };
        const state = () => document.getElementById("state").textContent;
        const asking = () => document.getElementById("renew").className === "shown";

        check(sources.length === 1 && sources[0].url.includes("access_token=old"), "the stream opens with the fragment's token");
        sources[0].fire("open");
        check(state() === "en direct", "an open stream is live");
        sources[0].fire("error");
        check(state() === "reconnexion…" && !asking(), "a dropped stream reconnects without asking for a token");
        sources[0].fire("board", JSON.stringify({ items: [] }));

        sources[0].fire("token-expired", JSON.stringify({ reason: "expired" }));
        check(sources[0].closed, "an expired token closes the stream: no reconnection with it");
        check(asking() && state() !== "reconnexion…", "an expired token asks for a new one");
        check(document.getElementById("renew-reason").textContent.includes("expiré"), "the page says the token expired");

        document.getElementById("renew-token").value = " fresh ";
        document.getElementById("renew-button").listeners.click();
        check(sources.length === 2 && sources[1].url.includes("access_token=fresh"), "the pasted token opens a new stream");
        check(location.hash.includes("token=fresh") && !asking(), "the new token is kept in the fragment");

        sources[1].fire("token-revoked", JSON.stringify({ reason: "revoked" }));
        check(sources[1].closed && asking(), "a revoked token closes the stream and asks for a new one");
        check(document.getElementById("renew-reason").textContent.includes("révoqué"), "the page says the token was revoked");

        document.getElementById("renew-token").value = "refused";
        document.getElementById("renew-button").listeners.click();
        sources[2].readyState = EventSource.CLOSED;  // a 401: EventSource gives up by itself
        sources[2].fire("error");
        check(asking(), "a refused stream asks for a new token instead of saying reconnexion forever");

        console.log(failures.length === 0 ? "ok" : "FAILED: " + failures.join("; "));
        """#

    /// Orders by promised time, whatever their placement, and the late flag an event sets.
    static let queueScenario = #"""
        const failures = [];
        const check = (ok, what) => { if (!ok) failures.push(what); };
        const order = (id, number, promisedAt, lateSince) => ({ id, number, status: "pending", placedAt: "2026-12-11T17:0" + number + ":00Z",
          promisedAt, lateSince, fulfilment: { mode: "takeAway" }, lines: [] });
        const cards = () => document.getElementById("pending").children;
        const titles = () => cards().map(card => card.children[0].textContent).join(", ");
        const spans = card => card.children[0].children.map(span => span.textContent);

        sources[0].fire("board", JSON.stringify({ items: [
          order("a", 1, "2026-12-11T19:30:00Z"), order("b", 2, "2026-12-11T19:00:00Z"), order("c", 3, "2026-12-11T19:00:00Z")] }));
        check(titles() === "n° 2, n° 3, n° 1", "the cards are sorted by promised time, then number: " + titles());
        check(spans(cards()[0]).some(text => /^pour [0-9]{2}:[0-9]{2}$/.test(text)), "each card shows its promised time: " + spans(cards()[0]));
        check(cards().every(card => card.className !== "late"), "no card is late before the event");

        sources[0].fire("orderRunningLate", JSON.stringify({ kind: "orderRunningLate",
          order: order("a", 1, "2026-12-11T19:30:00Z", "2026-12-11T19:31:00Z") }));
        check(cards()[2].className === "late" && spans(cards()[2]).includes("EN RETARD"), "orderRunningLate flags the card");
        check(cards()[0].className !== "late" && !spans(cards()[0]).includes("EN RETARD"), "the other cards are not flagged");

        sources[0].fire("board", JSON.stringify({ items: [{ ...order("d", 4), promisedAt: undefined }] }));
        check(titles() === "n° 4", "an order from before slots existed is shown, promised at its placement");

        console.log(failures.length === 0 ? "ok" : "FAILED: " + failures.join("; "));
        """#

    @Test("the page reconnects after a drop, but asks for a new token when its token expired, was revoked or is refused")
    func tokenEnd() async throws {
        try await Self.run(Self.scenario)
    }

    /// A board with a line whose allergens are declared and one whose are not, and an old order without them.
    static let allergenScenario = #"""
        const failures = [];
        const check = (ok, what) => { if (!ok) failures.push(what); };
        const line = (name, allergens) => ({ quantity: 1, productName: name, sizeName: "33 cm", options: [], allergens });
        sources[0].fire("board", JSON.stringify({ items: [{ id: "o1", number: "1", status: "pending", placedAt: "2026-12-07T19:00:00Z",
          fulfilment: { mode: "takeAway" }, lines: [
            line("Reine", { contains: ["cerealsContainingGluten", "milk"], mayContain: ["nuts"], undeclared: [] }),
            line("Maison", { contains: [], mayContain: [], undeclared: ["sauce-maison"] }),
            line("Ancienne") ] }] }));
        const items = document.getElementById("pending").children[0].children[1].children;
        const allergens = items.map(item => item.children[0]);
        check(allergens.every(node => node.className === "allergens"), "each line has its allergens");
        check(allergens[0].textContent === "Allergènes : Gluten, Lait — traces possibles : Fruits à coque", "names in French, traces: " + allergens[0].textContent);
        check(allergens[1].textContent.includes("INCOMPLET") && allergens[1].textContent.includes("sauce-maison"), "undeclared is never none: " + allergens[1].textContent);
        check(allergens[2].textContent === "Allergènes : non renseignés", "an old order says nothing is known: " + allergens[2].textContent);
        console.log(failures.length === 0 ? "ok" : "FAILED: " + failures.join("; "));
        """#

    @Test("under each line, the page prints its allergens in French, its traces, and when they are incomplete")
    func allergens() async throws {
        try await Self.run(Self.allergenScenario)
    }

    @Test("the page shows the orders by promised time with their promised time, and flags an order running late")
    func queueByPromise() async throws {
        try await Self.run(Self.queueScenario)
    }

    /// Runs a scenario against the page's script in Node.js; it prints `ok` or what failed.
    static func run(_ scenario: String) async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("kitchen-\(UUID().uuidString).js")
        try Data((Self.standIns + "\n" + Self.script + "\n" + scenario).utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(NodeRuntime.path))
        process.arguments = [file.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        // Waited for on a thread of its own, never on one of the few that run every test.
        let text = try await BlockingWork.run {
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return text
        }
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.trimmingCharacters(in: .whitespacesAndNewlines) == "ok")
    }
}

/// Where Node.js is, if it is installed.
enum NodeRuntime {
    static let path: String? = ["/usr/bin/node", "/usr/local/bin/node", "/opt/homebrew/bin/node"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
}
