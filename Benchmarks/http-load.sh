#!/usr/bin/env bash
# HTTP load through a real reverse proxy (issue 8, part 4): starts a throwaway durable PostgreSQL,
# ocpizza-server (release build) on it, and nginx with the Operations guide's site file
# (Documentation/deploy/nginx/ocpizza.conf, ports moved to loopback, one upstream instance, a
# throwaway certificate), then drives each with wrk for DURATION seconds: the menu with live
# availability (GET) and order placement (POST, Lua script). Prints one table: requests/s and
# latency percentiles through nginx (HTTPS, as deployed) and straight to the server (HTTP), and
# nginx's cost as a ratio. Checks that every placement wrk saw acknowledged is in the database.
#
#   Benchmarks/http-load.sh                       # 15 s per run, 32 connections
#   DURATION=30 CONNECTIONS=64 Benchmarks/http-load.sh
#
# Needs: PostgreSQL's server binaries, nginx, wrk, openssl, curl, python3 (Debian:
# apt-get install postgresql nginx-light wrk openssl curl python3). Everything it starts listens
# on 127.0.0.1 only and is stopped at exit.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
duration=${DURATION:-15}
connections=${CONNECTIONS:-32}
threads=${THREADS:-2}
server_port=${PORT:-18080}
nginx_port=${NGINX_PORT:-18443}

for tool in wrk nginx openssl curl python3; do
    command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || { echo "http-load: needs $tool" >&2; exit 1; }
done
nginx=$(command -v nginx || echo /usr/sbin/nginx)
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$pgbin/initdb" ] || { echo "http-load: needs PostgreSQL's server (initdb, postgres)" >&2; exit 1; }

tmp=$(mktemp -d /tmp/ocpizza-http-load.XXXXXX)
chmod 755 "$tmp"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    [ -f "$tmp/nginx.pid" ] && kill "$(cat "$tmp/nginx.pid")" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT

echo "== build (release)" >&2
(cd "$root" && swift build -c release --product ocpizza-server >&2 && swift build -c release --product ocpizza-admin >&2)
bin=$(cd "$root" && swift build -c release --show-bin-path)

echo "== PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') (throwaway, fsync=on, synchronous_commit=on)" >&2
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
mkdir -p "$tmp/pg" "$tmp/socket"
[ "$(id -u)" = 0 ] && chown postgres "$tmp/pg" "$tmp/socket"
as_postgres "$pgbin/initdb" -D "$tmp/pg" -A trust -U postgres >/dev/null
as_postgres "$pgbin/postgres" -D "$tmp/pg" -k "$tmp/socket" -c listen_addresses= -c fsync=on \
    -c synchronous_commit=on -c max_connections=200 >"$tmp/postgres.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do "$pgbin/pg_isready" -q -h "$tmp/socket" && break; sleep 0.1; done
as_postgres "$pgbin/createdb" -h "$tmp/socket" -U postgres oc_pizza
socket=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$tmp/socket")
export OCPIZZA_DATABASE_URL="postgres://postgres@$socket/oc_pizza"

echo "== catalog and server" >&2
"$bin/ocpizza-admin" migrate >&2
"$bin/ocpizza-admin" export-catalog --sample "$tmp/catalog.json" >&2
"$bin/ocpizza-admin" import-catalog "$tmp/catalog.json" >&2
export OCPIZZA_SECRET_KEY=$(openssl rand -hex 32)
OCPIZZA_ENV=production OCPIZZA_ENFORCE_OPENING_HOURS=false OCPIZZA_LOG_LEVEL=warning OCPIZZA_PORT=$server_port \
    "$bin/ocpizza-server" >"$tmp/server.log" 2>&1 &
pids+=($!)
for _ in $(seq 200); do curl -sf "http://127.0.0.1:$server_port/ready" >/dev/null && break; sleep 0.1; done
counter=$("$bin/ocpizza-admin" issue-token --role counter --pizzeria paris-bastille --id load 2>/dev/null)
stock=$("$bin/ocpizza-admin" issue-token --role stockManager --pizzeria paris-bastille --id load 2>/dev/null)
python3 - "$tmp/catalog.json" >"$tmp/restock.json" <<'PY'
import json, sys
catalog = json.load(open(sys.argv[1]))
print(json.dumps({"movements": [{"kind": "restock", "ingredient": i["id"], "quantity": 100000000} for i in catalog["ingredients"]],
                  "reason": "load test"}))
PY
curl -sf -X POST -H "Authorization: Bearer $stock" -H "Content-Type: application/json" --data @"$tmp/restock.json" \
    "http://127.0.0.1:$server_port/v1/pizzerias/paris-bastille/stock/movements" >/dev/null

echo "== nginx $("$nginx" -v 2>&1 | sed 's/.*nginx\///') with Documentation/deploy/nginx/ocpizza.conf" >&2
mkdir -p "$tmp/nginx/tls" "$tmp/nginx/logs" "$tmp/nginx/temp"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=pizza.example.fr" \
    -keyout "$tmp/nginx/tls/privkey.pem" -out "$tmp/nginx/tls/fullchain.pem" 2>/dev/null
python3 - "$root/Documentation/deploy/nginx/ocpizza.conf" "$tmp/nginx" "$server_port" "$nginx_port" >"$tmp/nginx/site.conf" <<'PY'
import re, sys
site, prefix, server_port, nginx_port = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
text = open(site).read()
# One instance on the server's port (the site lists two for rolling restarts).
text = re.sub(r"server 127\.0\.0\.1:8080 ([^;]*);", rf"server 127.0.0.1:{server_port} \1;", text)
text = re.sub(r"\n\s*server 127\.0\.0\.1:8081 [^;]*;", "", text)
text = text.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{nginx_port} ssl;")
text = text.replace("listen 80;", f"listen 127.0.0.1:{nginx_port + 1};")
text = re.sub(r"\n\s*listen \[::\]:[0-9]+[^;]*;", "", text)
text = re.sub(r"(ssl_certificate(?:_key)?\s+)[^;]*/(fullchain|privkey)\.pem;", rf"\1{prefix}/tls/\2.pem;", text)
text = text.replace("/var/log/nginx/", f"{prefix}/logs/")
print(text)
PY
cat >"$tmp/nginx/nginx.conf" <<CONF
pid $tmp/nginx.pid;
error_log $tmp/nginx/logs/error.log;
worker_processes 1;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $tmp/nginx/temp/body;
    proxy_temp_path $tmp/nginx/temp/proxy;
    fastcgi_temp_path $tmp/nginx/temp/fastcgi;
    uwsgi_temp_path $tmp/nginx/temp/uwsgi;
    scgi_temp_path $tmp/nginx/temp/scgi;
    include $tmp/nginx/site.conf;
}
CONF
"$nginx" -p "$tmp/nginx/" -c "$tmp/nginx/nginx.conf"
for _ in $(seq 50); do curl -skf "https://127.0.0.1:$nginx_port/health" >/dev/null && break; sleep 0.1; done

# One wrk run: prints "requests seconds non2xx socket_errors p50 p99 p999" (microseconds).
run() {
    local script=$1 url=$2
    LUA_PATH="$here/http/?.lua;;" TOKEN=$counter wrk -t"$threads" -c"$connections" -d"${duration}s" --latency \
        -s "$here/http/$script" "$url" | awk '/^RESULT/ {print $2, $3, $4, $5, $6, $7, $8}'
}

echo "== wrk: $threads threads, $connections connections, ${duration} s per run" >&2
menu_direct=$(run menu.lua "http://127.0.0.1:$server_port/v1/pizzerias/paris-bastille/menu")
menu_nginx=$(run menu.lua "https://127.0.0.1:$nginx_port/v1/pizzerias/paris-bastille/menu")
place_direct=$(run place.lua "http://127.0.0.1:$server_port/v1/orders")
place_nginx=$(run place.lua "https://127.0.0.1:$nginx_port/v1/orders")

stored=$(as_postgres "$pgbin/psql" -h "$tmp/socket" -U postgres -d oc_pizza -tAc "SELECT count(*) FROM ocpizza_orders")

python3 - "$menu_direct" "$menu_nginx" "$place_direct" "$place_nginx" "$stored" "$connections" <<'PY'
import sys
def parse(text):
    requests, seconds, non2xx, errors, p50, p99, p999 = text.split()
    return dict(requests=int(requests), seconds=float(seconds), non2xx=int(non2xx), errors=int(errors),
                p50=int(p50) / 1000, p99=int(p99) / 1000, p999=int(p999) / 1000)
menu_direct, menu_nginx, place_direct, place_nginx = (parse(a) for a in sys.argv[1:5])
stored, connections = int(sys.argv[5]), int(sys.argv[6])
print(f"{'run':<28}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'p99.9 ms':>10}{'non-2xx':>9}{'errors':>8}")
for name, run in [("menu, direct (HTTP)", menu_direct), ("menu, through nginx (HTTPS)", menu_nginx),
                  ("place, direct (HTTP)", place_direct), ("place, through nginx (HTTPS)", place_nginx)]:
    rate = run["requests"] / run["seconds"]
    print(f"{name:<28}{rate:>10.0f}{run['p50']:>9.2f}{run['p99']:>9.2f}{run['p999']:>10.2f}{run['non2xx']:>9}{run['errors']:>8}")
for name, direct, proxied in [("menu", menu_direct, menu_nginx), ("place", place_direct, place_nginx)]:
    ratio = (proxied["requests"] / proxied["seconds"]) / (direct["requests"] / direct["seconds"])
    print(f"nginx/direct throughput, {name}: {ratio:.2f}")
acknowledged = sum(r["requests"] - r["non2xx"] for r in (place_direct, place_nginx))
print(f"placements acknowledged: {acknowledged}, orders stored: {stored}")
# wrk stops counting at the deadline: up to one in-flight request per connection may be stored unseen.
if not acknowledged <= stored <= acknowledged + 2 * connections or place_direct["non2xx"] or place_nginx["non2xx"]:
    print("http-load: FAILED: acknowledged placements and stored orders disagree, or placements were refused", file=sys.stderr)
    sys.exit(1)
PY
