#!/usr/bin/env bash
# A package that depends on OCPizzaKit with `traits: []` and uses the core and OCPizzaKitTesting
# must resolve swift-log, swift-crypto (the sales journal's hashes and signatures, with its
# swift-asn1) and swift-mustache (the notifications' templates, no dependencies of its own) and
# nothing else (README, "Add it to your package"): one unconditional dependency
# added to a target would silently make every core user fetch the server's packages.
# With `traits: ["PostgreSQL"]`, PostgresNIO comes, and none of the examples' or Stripe's packages;
# with `traits: ["SMTP"]`, SwiftNIO and swift-nio-ssl, and none of those either;
# with `traits: ["Webhooks"]`, AsyncHTTPClient for OCPizzaWebhooks, and no PostgreSQL or example's package.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
outside=$(mktemp -d)
trap 'rm -rf "$outside"' EXIT

write_package() { # $1: traits, $2: products of the target
    mkdir -p "$outside/Sources/Outside"
    cat >"$outside/Package.swift" <<SWIFT
// swift-tools-version: 6.1
import PackageDescription
let package = Package(
    name: "Outside",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "$root", traits: [$1])],
    targets: [.target(name: "Outside", dependencies: [$2])]
)
SWIFT
}

product() { echo ".product(name: \"$1\", package: \"$(basename "$root")\")"; }

echo "core alone (traits: []): only swift-log, swift-crypto (with swift-asn1) and swift-mustache may be resolved"
write_package "" "$(product OCPizzaKit), $(product OCPizzaKitTesting)"
echo 'import OCPizzaKit' >"$outside/Sources/Outside/Outside.swift"
dependencies=$(cd "$outside" && swift package show-dependencies --format flatlist 2>/dev/null | grep -v "^$(basename "$root")$" | sort -u)
if [ "$dependencies" != "$(printf 'swift-asn1\nswift-crypto\nswift-log\nswift-mustache')" ]; then
    echo "a package using only the core resolves other than swift-log, swift-crypto and swift-mustache:" >&2
    echo "$dependencies" >&2
    exit 1
fi
echo "  resolved: $(echo $dependencies)"

echo "with the PostgreSQL backend (traits: [\"PostgreSQL\"]): PostgresNIO, no example's or Stripe's package"
write_package '"PostgreSQL"' "$(product OCPizzaKit), $(product OCPizzaPostgres)"
dependencies=$(cd "$outside" && swift package show-dependencies --format flatlist 2>/dev/null | sort -u)
grep -qx "postgres-nio" <<<"$dependencies" || { echo "postgres-nio is not resolved with the PostgreSQL trait" >&2; exit 1; }
for unwanted in hummingbird jwt-kit swift-prometheus swift-argument-parser async-http-client swift-property-based; do
    if grep -qx "$unwanted" <<<"$dependencies"; then
        echo "$unwanted is resolved with the PostgreSQL trait alone" >&2
        exit 1
    fi
done
echo "  resolved: $(wc -l <<<"$dependencies") packages, postgres-nio among them"

echo "with the SMTP notifier (traits: [\"SMTP\"]): SwiftNIO and swift-nio-ssl, no PostgreSQL's, example's or Stripe's package"
write_package '"SMTP"' "$(product OCPizzaKit), $(product OCPizzaSMTP)"
dependencies=$(cd "$outside" && swift package show-dependencies --format flatlist 2>/dev/null | sort -u)
for wanted in swift-nio swift-nio-ssl; do
    grep -qx "$wanted" <<<"$dependencies" || { echo "$wanted is not resolved with the SMTP trait" >&2; exit 1; }
done
for unwanted in postgres-nio hummingbird jwt-kit swift-prometheus swift-argument-parser async-http-client swift-property-based; do
    if grep -qx "$unwanted" <<<"$dependencies"; then
        echo "$unwanted is resolved with the SMTP trait alone" >&2
        exit 1
    fi
done
echo "  resolved: $(wc -l <<<"$dependencies") packages, swift-nio and swift-nio-ssl among them"
echo "with the webhook notifier (traits: [\"Webhooks\"]): AsyncHTTPClient, no PostgreSQL or example's package"
write_package '"Webhooks"' "$(product OCPizzaKit), $(product OCPizzaWebhooks)"
dependencies=$(cd "$outside" && swift package show-dependencies --format flatlist 2>/dev/null | sort -u)
grep -qx "async-http-client" <<<"$dependencies" || { echo "async-http-client is not resolved with the Webhooks trait" >&2; exit 1; }
for unwanted in postgres-nio hummingbird jwt-kit swift-prometheus swift-argument-parser swift-property-based; do
    if grep -qx "$unwanted" <<<"$dependencies"; then
        echo "$unwanted is resolved with the Webhooks trait alone" >&2
        exit 1
    fi
done
echo "  resolved: $(wc -l <<<"$dependencies") packages, async-http-client among them"
