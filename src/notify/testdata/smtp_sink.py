#!/usr/bin/python3
"""An SMTP server on loopback for Tandem's delivery tests (Debian's python3-aiosmtpd).

Usage: smtp_sink.py DIR [--starttls] [--fd N]

Listens on 127.0.0.1 on a free port and prints the port as the first line of stdout. With
--fd N it listens on the inherited socket N instead, which the test bound (and kept refusing
connections on) beforehand: an SMTP server that was down comes back on the same port. Each
accepted message is parsed with Python's email package (an implementation independent of ours)
and written to DIR/messages/NNNNNN.json: envelope, decoded headers, the text/plain and text/html
parts (line ends normalised to "\\n") and the raw message. DIR/mode, read for every message,
decides the reply at the end of DATA:

  accept (or no file)  250, and the message is stored
  451                  451 4.3.0, a temporary failure; nothing is stored
  550                  550 5.7.1, a permanent rejection; nothing is stored
  hang                 no reply at all (the client must time out); nothing is stored

With --starttls the sink makes a throwaway self-signed certificate for 127.0.0.1 with openssl
(DIR/cert.pem, the file clients must trust), requires STARTTLS before anything else and
requires AUTH (user "tandem", password "pa55word"); each record then also says whether the
message came over TLS and which user signed in.

The server exits when its stdin reaches end of file (the test closed it or died) or on SIGTERM.
"""

import asyncio
import email
import email.policy
import json
import os
import socket
import ssl
import subprocess
import sys

from aiosmtpd.smtp import SMTP, AuthResult

USER = b"tandem"
PASSWORD = b"pa55word"


class Sink:
    def __init__(self, directory):
        self.directory = directory
        self.messages = os.path.join(directory, "messages")
        os.makedirs(self.messages, exist_ok=True)
        self.count = 0

    def mode(self):
        try:
            with open(os.path.join(self.directory, "mode"), encoding="ascii") as f:
                return f.read().strip() or "accept"
        except FileNotFoundError:
            return "accept"

    async def handle_DATA(self, server, session, envelope):
        mode = self.mode()
        if mode == "451":
            return "451 4.3.0 Temporarily unable to accept the message"
        if mode == "550":
            return "550 5.7.1 Message rejected"
        if mode == "hang":
            await asyncio.sleep(3600)  # cancelled when the client hangs up
            return "451 4.3.0 Too late"
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=email.policy.default)

        def part(subtype):
            body = message.get_body(preferencelist=(subtype,))
            if body is None:
                return None
            return body.get_content().replace("\r\n", "\n")

        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "from": str(message["From"]),
            "to": str(message["To"]),
            "subject": str(message["Subject"]),
            "date": str(message["Date"]),
            "message_id": str(message["Message-ID"]),
            "content_type": message.get_content_type(),
            "text": part("plain"),
            "html": part("html"),
            "seven_bit": all(b < 128 for b in raw),
            "tls": session.ssl is not None,
            "login": session.auth_data.login.decode() if session.authenticated else None,
            "raw": raw.decode("ascii", errors="replace"),
        }
        self.count += 1
        name = os.path.join(self.messages, "%06d.json" % self.count)
        with open(name + ".tmp", "w", encoding="utf-8") as f:
            json.dump(record, f, ensure_ascii=False)
        os.replace(name + ".tmp", name)  # readers never see half a file
        return "250 2.0.0 OK"


def authenticate(server, session, envelope, mechanism, auth_data):
    ok = getattr(auth_data, "login", None) == USER and auth_data.password == PASSWORD
    return AuthResult(success=ok, auth_data=auth_data)


def tls_context(directory):
    cert = os.path.join(directory, "cert.pem")
    key = os.path.join(directory, "key.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", key, "-out", cert],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


async def main(directory, starttls, fd):
    sink = Sink(directory)
    options = {}
    if starttls:
        options = {"tls_context": tls_context(directory), "require_starttls": True,
                   "auth_required": True, "auth_require_tls": True,
                   "authenticator": authenticate}
    loop = asyncio.get_running_loop()
    if fd is None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
    else:
        sock = socket.socket(fileno=fd)
    sock.listen(64)
    server = await loop.create_server(
        lambda: SMTP(sink, hostname="sink.test", ident="tandem-test-sink", **options),
        sock=sock)
    print(sock.getsockname()[1], flush=True)

    done = asyncio.Event()
    loop.add_reader(sys.stdin.fileno(), lambda: os.read(sys.stdin.fileno(), 4096) or done.set())
    await done.wait()
    server.close()


if __name__ == "__main__":
    args = sys.argv[1:]
    fd = None
    if len(args) >= 3 and args[-2] == "--fd" and args[-1].isdigit():
        fd = int(args[-1])
        args = args[:-2]
    if len(args) not in (1, 2) or args[1:] not in ([], ["--starttls"]):
        sys.exit("usage: smtp_sink.py DIR [--starttls] [--fd N]")
    asyncio.run(main(args[0], args[1:] == ["--starttls"], fd))
