"""A scriptable SMTP server for OCPizzaSMTP's tests, on aiosmtpd.

Started by SMTPTestServer.swift with /opt/aiosmtpd-venv/bin/python (aiosmtpd and trustme, see
.ci/run). It listens on 127.0.0.1, on ports the kernel picks, with a certificate for localhost and
127.0.0.1 signed by a throwaway CA (trustme) whose PEM file the tests trust:

- starttls: STARTTLS offered and required, AUTH (PLAIN and LOGIN, after TLS only) required;
- login: the same with AUTH LOGIN alone;
- implicit: TLS from the first byte (smtps), AUTH required;
- plain: no TLS at all, AUTH offered in clear (to prove the notifier never uses it);
- helo: no TLS, and EHLO refused with 502, as a server too old for extensions (HELO only);
- silent: accepts connections and never says a word (timeouts).

It prints one JSON line when ready: the ports, the CA file, the test user and password. Then it
reads commands on standard input, one a line, and answers each with one JSON line:

- `behave accept|fail|refuse|drop|refuse-recipient|down`: how the next message is treated (fail:
  451 after the data; refuse: 554 after the data; drop: the connection closed after the data,
  without an answer; refuse-recipient: 550 to RCPT TO, quoting the address as real servers do;
  down: the starttls server stops listening until the next `behave`);
- `received`: every accepted message (server, envelope, headers, decoded subject and parts, the
  raw text, whether TLS and AUTH were used) and every AUTH attempt.

It exits when its standard input closes (the test process is gone).
"""

import email
import email.policy
import json
import socket
import ssl
import sys
import tempfile
import threading
import uuid
import warnings

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

USER = "caisse@ocpizza.test"
PASSWORD = "p@ss:wörd/42%"

lock = threading.Lock()
state = {"next": "accept"}
received = []
auth_attempts = []


def take_next():
    with lock:
        behaviour = state["next"]
        state["next"] = "accept"
        return behaviour


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Handler:
    def __init__(self, name, implicit_tls=False):
        self.name = name
        self.implicit_tls = implicit_tls

    def uses_tls(self, session):
        return self.implicit_tls or session.ssl is not None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with lock:
            refuse = state["next"] == "refuse-recipient"
            if refuse:
                state["next"] = "accept"
        if refuse:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        behaviour = take_next()
        if behaviour == "fail":
            return "451 4.3.0 Temporary failure, try again later"
        if behaviour == "refuse":
            return "554 5.6.0 Message refused"
        if behaviour == "drop":
            server.transport.abort()
            return "421 4.4.2 dropped"
        queue_id = uuid.uuid4().hex[:12].upper()
        content = envelope.original_content or envelope.content
        message = email.message_from_bytes(content, policy=email.policy.default)
        plain = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
        with lock:
            received.append({
                "server": self.name,
                "queueID": queue_id,
                "mailFrom": envelope.mail_from,
                "recipients": envelope.rcpt_tos,
                "messageID": str(message["Message-ID"] or ""),
                "idempotencyKey": str(message["X-OCPizza-Idempotency-Key"] or ""),
                "subject": str(message["Subject"] or ""),
                "from": str(message["From"] or ""),
                "date": str(message["Date"] or ""),
                "contentType": message.get_content_type(),
                "text": plain.get_content().replace("\r\n", "\n") if plain else "",
                "html": html.get_content().replace("\r\n", "\n") if html else None,
                "raw": content.decode("utf-8", "replace"),
                "tls": self.uses_tls(session),
                "authenticated": bool(session.authenticated),
            })
        return f"250 2.0.0 Ok: queued as {queue_id}"


class HeloOnly(SMTP):
    """A server from before ESMTP: it knows HELO, not EHLO."""

    async def smtp_EHLO(self, arg):
        await self.push("502 5.5.1 Command not implemented")


class HeloOnlyController(Controller):
    def factory(self):
        return HeloOnly(self.handler, **self.SMTP_kwargs)


def make_authenticator(handler):
    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login == USER.encode()
              and auth_data.password == PASSWORD.encode())
        with lock:
            auth_attempts.append({"server": handler.name, "mechanism": mechanism,
                                  "tls": handler.uses_tls(session), "success": ok})
        return AuthResult(success=ok)
    return authenticate


def main():
    warnings.simplefilter("ignore", DeprecationWarning)
    directory = tempfile.mkdtemp(prefix="ocpizza-smtp-")
    ca = trustme.CA()
    certificate = ca.issue_cert("localhost", "127.0.0.1")
    ca_file = f"{directory}/ca.pem"
    ca.cert_pem.write_to_path(ca_file)
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificate.configure_cert(server_context)

    def controller(name, port, **options):
        handler = Handler(name, implicit_tls="ssl_context" in options)
        return Controller(handler, hostname="127.0.0.1", port=port, server_hostname="mx.ocpizza.test",
                          authenticator=make_authenticator(handler), **options)

    def starttls_options(**more):
        return dict(tls_context=server_context, require_starttls=True, auth_required=True, auth_require_tls=True, **more)

    ports = {name: free_port() for name in ("starttls", "login", "implicit", "plain", "helo")}
    factories = {
        "starttls": lambda: controller("starttls", ports["starttls"], **starttls_options()),
        "login": lambda: controller("login", ports["login"], **starttls_options(auth_exclude_mechanism=["PLAIN"])),
        "implicit": lambda: controller("implicit", ports["implicit"], ssl_context=server_context,
                                       # aiosmtpd counts STARTTLS only as TLS; this connection is TLS throughout.
                                       auth_required=True, auth_require_tls=False),
        "plain": lambda: controller("plain", ports["plain"], auth_require_tls=False),
        "helo": lambda: HeloOnlyController(Handler("helo"), hostname="127.0.0.1", port=ports["helo"],
                                           server_hostname="mx.ocpizza.test"),
    }
    controllers = {name: factory() for name, factory in factories.items()}
    for running in controllers.values():
        running.start()

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(64)
    ports["silent"] = silent.getsockname()[1]

    print(json.dumps({"ports": ports, "ca": ca_file, "user": USER, "password": PASSWORD}), flush=True)

    down = False
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if words[0] == "behave" and len(words) == 2:
            behaviour = words[1]
            if behaviour == "down":
                if not down:
                    controllers["starttls"].stop()
                    down = True
            else:
                if down:
                    controllers["starttls"] = factories["starttls"]()
                    controllers["starttls"].start()
                    down = False
                with lock:
                    state["next"] = behaviour
            print(json.dumps({"ok": True}), flush=True)
        elif words[0] == "received":
            with lock:
                print(json.dumps({"messages": received, "auth": auth_attempts}), flush=True)
        else:
            print(json.dumps({"error": f"unknown command {line.strip()}"}), flush=True)
    for running in controllers.values():
        try:
            running.stop()
        except Exception:
            pass


if __name__ == "__main__":
    main()
