#!/usr/bin/python3
"""A real SMTP server on loopback for the notification tests (Debian's python3-aiosmtpd).

Usage: smtp_sink.py OUT_DIR [CERT KEY]
With CERT and KEY it offers STARTTLS and refuses mail without it.
Prints "ready PORT" once it listens, then "mail N" once message N is stored as
OUT_DIR/mail-N.eml (the bytes the client sent) and OUT_DIR/mail-N.json
(envelope sender, recipients, whether TLS was on). Ends when stdin closes.
"""
import asyncio
import json
import os
import ssl
import sys

from aiosmtpd.smtp import SMTP


class Store:
    def __init__(self, out):
        self.out = out
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.out, "mail-%d" % self.count)
        with open(base + ".eml", "wb") as f:
            f.write(envelope.original_content)
        with open(base + ".json", "w") as f:
            json.dump({"from": envelope.mail_from, "to": envelope.rcpt_tos,
                       "tls": session.ssl is not None}, f)
        print("mail %d" % self.count, flush=True)
        return "250 OK"


async def main():
    out = sys.argv[1]
    options = {}
    if len(sys.argv) == 4:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(sys.argv[2], sys.argv[3])
        options = {"tls_context": context, "require_starttls": True}
    handler = Store(out)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="localhost", **options), "127.0.0.1", 0)
    print("ready %d" % server.sockets[0].getsockname()[1], flush=True)
    await loop.run_in_executor(None, sys.stdin.read)
    server.close()


asyncio.run(main())
