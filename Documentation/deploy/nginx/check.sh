#!/usr/bin/env bash
# Checks ocpizza.conf with `nginx -t` without touching /etc/nginx: writes a minimal nginx.conf in a
# temporary prefix that includes a copy of the site, with a throwaway self-signed certificate in
# place of the real one and the log files in the prefix. Needs nginx and openssl.
#
#   Documentation/deploy/nginx/check.sh            # the site next to this script
#   Documentation/deploy/nginx/check.sh FILE       # another site file, such as your edited copy
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
site=${1:-$here/ocpizza.conf}
nginx=$(command -v nginx || echo /usr/sbin/nginx)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/tls" "$tmp/logs" "$tmp/temp"

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=pizza.example.fr" \
    -keyout "$tmp/tls/privkey.pem" -out "$tmp/tls/fullchain.pem" 2>/dev/null

# Whatever the domain in the certificate paths, point them at the throwaway certificate.
sed -E \
    -e "s#(ssl_certificate(_key)?[[:space:]]+)[^;]*/(fullchain|privkey)\.pem;#\1$tmp/tls/\3.pem;#" \
    -e "s#/var/log/nginx/#$tmp/logs/#g" \
    "$site" >"$tmp/site.conf"

cat >"$tmp/nginx.conf" <<EOF
pid $tmp/nginx.pid;
error_log $tmp/logs/error.log;
events {}
http {
    access_log $tmp/logs/access.log;
    client_body_temp_path $tmp/temp/body;
    proxy_temp_path $tmp/temp/proxy;
    fastcgi_temp_path $tmp/temp/fastcgi;
    uwsgi_temp_path $tmp/temp/uwsgi;
    scgi_temp_path $tmp/temp/scgi;
    include $tmp/site.conf;
}
EOF

"$nginx" -t -p "$tmp/" -c "$tmp/nginx.conf"
