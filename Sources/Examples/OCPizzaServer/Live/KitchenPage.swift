import HTTPTypes
import Hummingbird
import OCPizzaKit

/// `GET /kitchen`: the kitchen screen, one static page with no framework, showing a pizzeria's
/// live order board through `EventSource`: each column in the order the kitchen serves it, by
/// promised time (then number), each order with its promised time, and a red `EN RETARD` flag
/// once the late-orders job flagged it (`orderRunningLate`, the order's `lateSince`).
///
/// Open `/kitchen#pizzeria=paris-bastille&token=<staff token>`: the fragment never reaches the
/// server or its logs; the page passes the token to the event stream as `access_token`.
/// The page is compiled into the server, so there is no file path to traverse.
///
/// When the stream ends because its token expired or was revoked (`event: token-expired` or
/// `token-revoked`, see ``TokenWatch``), or the server refuses to open it (401, after which
/// `EventSource` gives up), the page stops reconnecting and asks for a new token: paste it, and
/// the page reconnects with it and keeps it in the fragment for the next reload.
///
/// Under each line, the allergens the customer was told (the line's `allergens`, in French), the
/// kitchen's traces, and a warning when an ingredient's allergens are not declared.
struct KitchenPage {
    func register(on router: some RouterMethods<ServerContext>) {
        router.get("kitchen") { _, _ in
            Response(
                status: .ok,
                headers: [
                    .contentType: "text/html; charset=utf-8",
                    .cacheControl: "no-cache",
                    .contentSecurityPolicy: "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'",
                    HTTPField.Name("X-Content-Type-Options")!: "nosniff",
                ],
                body: ResponseBody(byteBuffer: ByteBuffer(string: Self.html))
            )
        }
    }

    static let html = """
        <!doctype html>
        <html lang="fr">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>OC Pizza — cuisine</title>
        <style>
          body { font-family: system-ui, sans-serif; margin: 0; background: #1d1d1d; color: #f4f4f4; }
          header { padding: .6rem 1rem; background: #b3261e; display: flex; justify-content: space-between; }
          main { display: grid; grid-template-columns: repeat(4, 1fr); gap: .8rem; padding: .8rem; }
          section h2 { font-size: 1rem; text-transform: uppercase; letter-spacing: .05em; color: #ffb4a9; }
          article { background: #2b2b2b; border-radius: .4rem; padding: .5rem .7rem; margin-bottom: .6rem; }
          article h3 { margin: 0 0 .3rem; font-size: 1.4rem; }
          article ul { margin: 0; padding-left: 1.1rem; }
          .mode { float: right; font-size: .8rem; color: #bbb; }
          .allergens { display: block; font-size: .8rem; color: #ffd54f; }
          .promised { font-size: 1rem; color: #ffd54f; margin-left: .5rem; }
          article.late { outline: 3px solid #ff5252; }
          .late-flag { display: inline-block; margin-left: .5rem; padding: 0 .3rem; border-radius: .2rem;
            background: #ff5252; color: #1d1d1d; font-size: .8rem; font-weight: bold; }
          #state.down { color: #ffd54f; }
          #renew { display: none; padding: .8rem 1rem; background: #4a3b00; }
          #renew.shown { display: block; }
          #renew input { width: 60%; font: inherit; }
        </style>
        </head>
        <body>
        <header><strong id="title">OC Pizza</strong><span id="state">connexion…</span></header>
        <div id="renew"><p id="renew-reason"></p>
          <label>Nouveau jeton : <input id="renew-token" type="password" autocomplete="off"></label>
          <button id="renew-button" type="button">Reconnecter</button></div>
        <main>
          <section><h2>À préparer</h2><div id="pending"></div></section>
          <section><h2>En préparation</h2><div id="preparing"></div></section>
          <section><h2>Prêtes</h2><div id="ready"></div></section>
          <section><h2>En livraison</h2><div id="outForDelivery"></div></section>
        </main>
        <script>
        "use strict";
        const params = new URLSearchParams(location.hash.slice(1));
        const pizzeria = params.get("pizzeria");
        let token = params.get("token"), source = null;
        const orders = new Map();
        const columns = ["pending", "preparing", "ready", "outForDelivery"];
        function text(tag, value) { const node = document.createElement(tag); node.textContent = value; return node; }
        const allergenNames = \(Self.allergenNames);
        function allergenText(info) {
          if (!info) return "Allergènes : non renseignés";
          const names = codes => codes.map(code => allergenNames[code] ?? code).join(", ");
          let result = "Allergènes : " + (info.contains.length ? names(info.contains) : "aucun");
          if (info.undeclared.length) result += " — INCOMPLET, non déclarés : " + info.undeclared.join(", ");
          if (info.mayContain.length) result += " — traces possibles : " + names(info.mayContain);
          return result;
        }
        // When the order is promised; its placement for an order from before slots existed.
        function promised(order) { return order.promisedAt || order.placedAt; }
        function clock(date) {
          const time = new Date(date);
          return String(time.getHours()).padStart(2, "0") + ":" + String(time.getMinutes()).padStart(2, "0");
        }
        // The kitchen's order: by promised time, then number (the queue's order).
        function byPromise(a, b) { return promised(a).localeCompare(promised(b)) || a.number - b.number; }
        function render() {
          for (const column of columns) document.getElementById(column).replaceChildren();
          const sorted = [...orders.values()].sort(byPromise);
          for (const order of sorted) {
            const column = document.getElementById(order.status);
            if (!column) continue;
            const card = document.createElement("article");
            const title = text("h3", "n° " + order.number);
            title.appendChild(text("span", "pour " + clock(promised(order)))).className = "promised";
            if (order.lateSince) {
              title.appendChild(text("span", "EN RETARD")).className = "late-flag";
              card.className = "late";
            }
            title.appendChild(text("span", order.fulfilment.mode)).className = "mode";
            const lines = document.createElement("ul");
            for (const line of order.lines) {
              const item = lines.appendChild(text("li", line.quantity + " × " + line.productName + " (" + line.sizeName + ")"
                + (line.options.length ? " — " + line.options.map(o => o.name).join(", ") : "")));
              item.appendChild(text("small", allergenText(line.allergens))).className = "allergens";
            }
            card.append(title, lines);
            column.appendChild(card);
          }
        }
        function askForToken(reason) {
          if (source) source.close();
          source = null;
          const state = document.getElementById("state");
          state.textContent = "jeton à renouveler"; state.className = "down";
          document.getElementById("renew-reason").textContent = reason;
          document.getElementById("renew").className = "shown";
        }
        document.getElementById("renew-button").addEventListener("click", () => {
          const fresh = document.getElementById("renew-token").value.trim();
          if (!fresh) return;
          token = fresh;
          document.getElementById("renew-token").value = "";
          document.getElementById("renew").className = "";
          history.replaceState(null, "", "#pizzeria=" + encodeURIComponent(pizzeria) + "&token=" + encodeURIComponent(token));
          connect();
        });
        function connect() {
          const state = document.getElementById("state");
          if (!pizzeria || !token) { state.textContent = "ouvrir /kitchen#pizzeria=…&token=…"; return; }
          document.getElementById("title").textContent = "OC Pizza — " + pizzeria;
          const url = "/v1/pizzerias/" + encodeURIComponent(pizzeria) + "/orders/events?access_token=" + encodeURIComponent(token);
          source = new EventSource(url);
          source.addEventListener("open", () => { state.textContent = "en direct"; state.className = ""; });
          source.addEventListener("error", event => {
            // CLOSED: the server refused the stream (401, 403): EventSource will not try again.
            if (event.target.readyState === EventSource.CLOSED) askForToken("Le serveur a refusé le jeton (expiré, révoqué ou invalide).");
            else { state.textContent = "reconnexion…"; state.className = "down"; }
          });
          source.addEventListener("token-expired", () => askForToken("Le jeton de cet écran a expiré."));
          source.addEventListener("token-revoked", () => askForToken("Le jeton de cet écran a été révoqué."));
          source.addEventListener("board", event => {
            orders.clear();
            for (const order of JSON.parse(event.data).items) orders.set(order.id, order);
            render();
          });
          for (const kind of ["orderPlaced", "orderModified", "orderStatusChanged", "paymentUpdated", "customerAnonymised", "orderRunningLate"]) {
            source.addEventListener(kind, event => {
              const change = JSON.parse(event.data);
              if (change.order) orders.set(change.order.id, change.order);
              render();
            });
          }
        }
        connect();
        </script>
        </body>
        </html>
        """

    /// The French name of every allergen code, as a JavaScript object literal (the names have no quotes).
    private static var allergenNames: String {
        "{" + Allergen.allCases.map { "\"\($0.rawValue)\": \"\($0.frenchName)\"" }.joined(separator: ", ") + "}"
    }
}
