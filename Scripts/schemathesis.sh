#!/usr/bin/env bash
# Fuzzes the built ocpizza-server against its OpenAPI document with schemathesis, on the in-memory
# store and on a throwaway PostgreSQL, with real tokens of every role; then checks that refused
# requests changed nothing.
#
# Fails on any 5xx, any answer the document does not describe (status, media type, headers,
# body), any request the document allows that is refused as malformed (400), any request it
# forbids that is accepted, an endpoint that ignores its token, and any change to stock or orders
# made by a batch of refused requests (schemathesis's negative pass and a fixed list).
#
# Needs: `swift build` done, schemathesis in /opt/schemathesis-venv (`.ci/run` installs it), and
# for PostgreSQL initdb/pg_ctl in /usr/lib/postgresql/*/bin (skipped with a notice when absent
# unless OCPIZZA_REQUIRE_POSTGRES=1).
#
#   Scripts/schemathesis.sh                    # both stores, 12 s per role and store
#   SCHEMATHESIS_SECONDS=60 Scripts/schemathesis.sh memory
set -euo pipefail
cd "$(dirname "$0")/.."

st=${SCHEMATHESIS:-/opt/schemathesis-venv/bin/st}
seconds=${SCHEMATHESIS_SECONDS:-12}
if [ $# -gt 0 ]; then stores=("$@"); else stores=(memory postgres); fi
document=Sources/Examples/OCPizzaServer/openapi.json
config=Scripts/schemathesis.toml
bin=${OCPIZZA_BIN:-$(swift build --show-bin-path)}
roles=(customer counter pizzaiolo driver stockManager manager groupAdmin)

work=$(mktemp -d)
chmod 0755 "$work"
reports=${SCHEMATHESIS_REPORTS:-$work/reports}
mkdir -p "$reports"
server_pid=""
pg_ctl=""
as_postgres=()

stop_server() {
    if [ -n "$server_pid" ]; then
        kill -TERM "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
        server_pid=""
    fi
}
stop_postgres() {
    if [ -n "$pg_ctl" ]; then
        "${as_postgres[@]}" "$pg_ctl" -D "$work/postgres/data" -m immediate stop >/dev/null 2>&1 || true
        pg_ctl=""
    fi
}
cleanup() {
    stop_server
    stop_postgres
    rm -rf "$work"
}
trap cleanup EXIT

# A fresh key per run: the tokens below are real, signed as the server checks them.
OCPIZZA_SECRET_KEY=$(head -c 48 /dev/urandom | base64 | tr -d '\n')
export OCPIZZA_SECRET_KEY
# Orders at any hour; no order expires or is flagged late during the run, so the snapshots compare
# like with like.
export OCPIZZA_ENFORCE_OPENING_HOURS=false OCPIZZA_PAYMENT_WINDOW=3600 OCPIZZA_LATE_ORDERS_INTERVAL=3600 OCPIZZA_LOG_LEVEL=warning
unset OCPIZZA_DATABASE_URL OCPIZZA_STRIPE_SECRET_KEY OCPIZZA_STRIPE_WEBHOOK_SECRET OCPIZZA_ENV

token() { # role [id]
    "$bin/ocpizza-admin" issue-token --role "$1" --id "${2:-$1}" \
        $([ "$1" = customer ] || [ "$1" = groupAdmin ] || echo "--pizzeria paris-bastille") --lifetime 1h 2>/dev/null
}

start_postgres() {
    local folder
    folder=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ -z "$folder" ]; then
        [ "${OCPIZZA_REQUIRE_POSTGRES:-}" = 1 ] && { echo "no PostgreSQL in /usr/lib/postgresql/*/bin" >&2; exit 1; }
        echo "== schemathesis: no PostgreSQL in /usr/lib/postgresql/*/bin; the PostgreSQL run is skipped"
        return 1
    fi
    mkdir "$work/postgres"
    if [ "$(id -u)" = 0 ]; then
        # PostgreSQL refuses to run as root.
        chown postgres:postgres "$work/postgres"
        as_postgres=(setpriv --reuid=postgres --regid=postgres --clear-groups --)
    fi
    "${as_postgres[@]}" "$folder/initdb" -D "$work/postgres/data" -U postgres -A trust -N --no-locale -E UTF8 >/dev/null
    pg_ctl=$folder/pg_ctl
    "${as_postgres[@]}" "$pg_ctl" -D "$work/postgres/data" -l "$work/postgres/log" -w \
        -o "-k $work/postgres -c listen_addresses= -c fsync=off -c synchronous_commit=off" start >/dev/null
    export OCPIZZA_DATABASE_URL="postgres://postgres@localhost:5432/postgres?host=$work/postgres"
}

start_server() { # store
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    base=http://127.0.0.1:$port
    OCPIZZA_PORT=$port "$bin/ocpizza-server" >"$work/server-$1.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 150); do
        curl -fsS "$base/ready" >/dev/null 2>&1 && return 0
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.2
    done
    echo "ocpizza-server ($1) did not start:" >&2
    cat "$work/server-$1.log" >&2
    exit 1
}

# Stock, ledger and every order of every pizzeria, as a group admin reads them.
snapshot() { # file
    python3 - "$base" "$(token groupAdmin)" >"$1" <<'PY'
import json, sys, urllib.request
base, token = sys.argv[1], sys.argv[2]
def get(path):
    request = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request) as answer:
        return json.load(answer)
world = {}
for pizzeria in sorted(p["id"] for p in get("/v1/pizzerias")["items"]):
    ledger, after = [], 0
    while page := get(f"/v1/pizzerias/{pizzeria}/stock/ledger?after={after}&limit=1000")["items"]:
        ledger += page
        after = page[-1]["sequence"]
    orders, cursor = [], ""
    while True:
        page = get(f"/v1/pizzerias/{pizzeria}/orders?limit=200{cursor}")
        orders += page["items"]
        if "next" not in page:
            break
        cursor = "&after=" + page["next"]
    world[pizzeria] = {
        "stock": sorted(get(f"/v1/pizzerias/{pizzeria}/stock")["items"], key=lambda level: level["ingredient"]),
        "ledger": ledger,
        "orders": sorted(orders, key=lambda order: order["id"]),
    }
json.dump(world, sys.stdout, indent=1, sort_keys=True)
PY
}

# Development stock at every pizzeria (the in-memory server starts stocked; PostgreSQL does not).
restock() {
    local admin pizzeria movements
    admin=$(token groupAdmin)
    for pizzeria in $(curl -fsS "$base/v1/pizzerias" | python3 -c 'import json, sys; print(" ".join(p["id"] for p in json.load(sys.stdin)["items"]))'); do
        movements=$(curl -fsS -H "Authorization: Bearer $admin" "$base/v1/pizzerias/$pizzeria/stock" | python3 -c '
import json, sys
levels = json.load(sys.stdin)["items"]
print(json.dumps({"movements": [{"kind": "restock", "ingredient": l["ingredient"], "quantity": 10000} for l in levels if l["onHand"] < 10000], "reason": "schemathesis"}))')
        if [ "$movements" != '{"movements": [], "reason": "schemathesis"}' ]; then
            curl -fsS -o /dev/null -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
                -d "$movements" "$base/v1/pizzerias/$pizzeria/stock/movements"
        fi
    done
}

# Requests the server must refuse, each with its status; none may change anything.
refused_batch() { # store
    local customer bob stockManager pizzaiolo manager order failures=0
    customer=$(token customer alice)
    bob=$(token customer bob)
    stockManager=$(token stockManager)
    pizzaiolo=$(token pizzaiolo)
    manager=$(token manager)
    order=$(cat "$work/order-$1")
    expect() { # status method path token body
        local got
        got=$(curl -sS -o "$work/answer" -w '%{http_code}' -X "$2" ${4:+-H "Authorization: Bearer $4"} \
            -H 'Content-Type: application/json' ${5:+-d "$5"} "$base$3")
        if [ "$got" != "$1" ]; then
            echo "refused batch: $2 $3 answered $got, expected $1: $(head -c 300 "$work/answer")" >&2
            failures=$((failures + 1))
        fi
    }
    local line='{"product": "margherita", "size": "medium", "quantity": 1}'
    local place="{\"pizzeria\": \"paris-bastille\", \"lines\": [$line], \"fulfilment\": {\"mode\": \"takeAway\"}}"
    expect 401 POST /v1/orders "" "$place"
    expect 401 POST /v1/orders "${customer}x" "$place"
    expect 403 POST /v1/orders "$stockManager" "$place"
    expect 400 POST /v1/orders "$customer" "{\"pizzeria\": \"paris-bastille\", \"lines\": [$line], \"fulfilment\": {\"mode\": \"takeAway\"}, \"fulfillment\": 1}"
    expect 400 POST /v1/orders "$customer" "{\"pizzeria\": \"paris-bastille\", \"lines\": [$line], \"lines\": [], \"fulfilment\": {\"mode\": \"takeAway\"}}"
    expect 422 POST /v1/orders "$customer" "{\"pizzeria\": \"paris-bastille\", \"lines\": [{\"product\": \"margherita\", \"size\": \"medium\", \"options\": [\"sans-olives\"]}], \"fulfilment\": {\"mode\": \"takeAway\"}}"
    local many
    many=$(python3 -c 'import json; print(json.dumps({"pizzeria": "paris-bastille", "lines": [{"product": "margherita", "size": "large", "quantity": 50}] * 50, "fulfilment": {"mode": "takeAway"}, "payment": "onDelivery"}))')
    expect 409 POST /v1/orders "$(token counter)" "$many"
    expect 403 POST /v1/pizzerias/paris-bastille/stock/movements "$customer" '{"movements": [{"kind": "restock", "ingredient": "mozzarella", "quantity": 5}]}'
    expect 403 POST /v1/pizzerias/paris-batignolles/stock/movements "$stockManager" '{"movements": [{"kind": "restock", "ingredient": "mozzarella", "quantity": 5}]}'
    expect 422 POST /v1/pizzerias/paris-bastille/stock/movements "$stockManager" '{"movements": [{"kind": "restock", "ingredient": "mozzarella", "quantity": 5}, {"kind": "waste", "ingredient": "caviar", "quantity": 1}]}'
    expect 400 POST /v1/pizzerias/paris-bastille/stock/movements "$stockManager" '{"movements": [{"kind": "restock", "ingredient": "mozzarella", "quantity": 5, "unit": "kg"}]}'
    expect 403 PUT "/v1/orders/$order" "$bob" "{\"lines\": [$line]}"
    expect 403 POST "/v1/orders/$order/cancel" "$bob" ""
    expect 409 POST "/v1/orders/$order/preparation" "$pizzaiolo" ""
    expect 409 POST "/v1/orders/$order/refunds" "$manager" ""
    expect 400 POST /v1/orders "$customer" "{\"pizzeria\": \"paris-bastille\", \"lines\": [$line], \"fulfilment\": {\"mode\": \"takeAway\"}, \"promotionCode\": \"A\\u0000B\"}"
    expect 405 DELETE "/v1/orders/$order" "$manager" ""
    return "$failures"
}

# Sums a counter of /metrics.
requests_served() {
    curl -fsS "$base/metrics" | awk '/^ocpizza_http_requests_total\{/ { total += $NF } END { printf "%d", total }'
}

status=0

fuzz_as() { # role, run name (its report and output files), what to call it, then more options
    local role=$1 name=$2 what=$3
    shift 3
    if ! "$st" --config-file "$config" run "$document" --url "$base" --no-color \
        -H "Authorization: Bearer $(token "$role" "$role")" "$@" \
        --max-time "$seconds" --workers 2 --request-timeout 10 --suppress-health-check all \
        --report json,ndjson --report-json-path "$reports/$name.json" \
        --report-ndjson-path "$reports/$name.ndjson" >"$work/st-$name.txt" 2>&1; then
        echo "schemathesis found failures ($what):" >&2
        sed -n '/ \(ERRORS\|FAILURES\) /,$p' "$work/st-$name.txt" >&2
        status=1
    fi
    tail -n 1 "$work/st-$name.txt"
}
for store in "${stores[@]}"; do
    if [ "$store" = postgres ]; then
        start_postgres || continue
    fi
    start_server "$store"
    restock
    echo "== schemathesis: $store store, $seconds s per role (${roles[*]})"
    for role in "${roles[@]}"; do
        fuzz_as "$role" "$store-$role" "$store store, $role token"
    done

    echo "== refused requests change nothing ($store store)"
    # One order awaiting payment, placed after the fuzzing (which reaches every order it can list),
    # for the refused batch to aim at.
    curl -fsS -H "Authorization: Bearer $(token customer alice)" -H 'Content-Type: application/json' \
        -d '{"pizzeria": "paris-bastille", "lines": [{"product": "margherita", "size": "medium"}], "fulfilment": {"mode": "takeAway"}}' \
        "$base/v1/orders" | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])' >"$work/order-$store"
    snapshot "$work/before-$store.json"
    for role in customer manager; do
        fuzz_as "$role" "$store-negative-$role" "$store store, negative data, $role token" --mode negative --phases coverage,fuzzing
    done
    refused_batch "$store" || status=1
    snapshot "$work/after-$store.json"
    if ! diff -u "$work/before-$store.json" "$work/after-$store.json" >"$work/diff-$store" 2>&1; then
        echo "refused requests changed the $store store:" >&2
        head -n 80 "$work/diff-$store" >&2
        status=1
    fi

    echo "== $store store: $(requests_served) requests served"
    if ! kill -0 "$server_pid" 2>/dev/null; then
        echo "ocpizza-server ($store) died during the run:" >&2
        tail -n 40 "$work/server-$store.log" >&2
        status=1
    fi
    stop_server
    [ "$store" = postgres ] && stop_postgres
done

python3 - "$reports" <<'PY'
import glob, json, os, sys
cases = requests = checks = failed = 0
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.json"))):
    report = json.load(open(path))
    cases += report["test_cases"]["generated"]
    failed += report["test_cases"]["with_failures"]
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.ndjson"))):
    for line in open(path):
        recorder = json.loads(line).get("ScenarioFinished", {}).get("recorder", {})
        requests += len(recorder.get("interactions", {}))
        checks += sum(len(results) for results in recorder.get("checks", {}).values())
print(f"== schemathesis: {cases} test cases, {requests} requests, {checks} checks, {failed} test cases with failures")
PY
exit "$status"
