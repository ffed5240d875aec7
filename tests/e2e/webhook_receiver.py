#!/usr/bin/env python3
"""A webhook receiver for the end-to-end tests, on a free loopback port.

Checks each request's X-Uptime-Signature (HMAC-SHA256 of the body with the
secret) and X-Uptime-Event-Id, and appends one JSON line per request to LOG:
{"event_id", "type", "store_id", "signature_ok", "status"}. Writes its port to
PORT_FILE once listening, and the most requests it held at once to
LOG.max_in_flight when it stops (SIGTERM).

  webhook_receiver.py SECRET LOG PORT_FILE [--fail-first] [--delay SECONDS]

--fail-first: the first request of each event id is answered 500, later ones 200.
--delay: each request is held that long before its answer.
"""
import hashlib
import hmac
import json
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

secret, log_path, port_file = sys.argv[1:4]
fail_first = "--fail-first" in sys.argv
delay = float(sys.argv[sys.argv.index("--delay") + 1]) if "--delay" in sys.argv else 0.0

lock = threading.Lock()
seen = set()
in_flight = 0
max_in_flight = 0


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        global in_flight, max_in_flight
        with lock:
            in_flight += 1
            max_in_flight = max(max_in_flight, in_flight)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        signature_ok = hmac.compare_digest(expected, self.headers.get("X-Uptime-Signature", ""))
        event = json.loads(body)
        event_id = self.headers.get("X-Uptime-Event-Id")
        with lock:
            status = 500 if fail_first and event_id not in seen else 200
            seen.add(event_id)
        time.sleep(delay)
        with lock, open(log_path, "a") as log:
            log.write(json.dumps({"event_id": event_id, "type": event.get("type"),
                                  "store_id": event.get("store_id"), "body": event,
                                  "signature_ok": signature_ok and str(event.get("event_id")) == event_id,
                                  "status": status}) + "\n")
            in_flight -= 1  # answered from here on: the sender may start another
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


class Server(ThreadingHTTPServer):
    request_queue_size = 128  # the default 5 refuses connections in a burst


server = Server(("127.0.0.1", 0), Receiver)
server.daemon_threads = True


def stop(*_):
    with open(log_path + ".max_in_flight", "w") as out:
        out.write(str(max_in_flight))
    threading.Thread(target=server.shutdown).start()


signal.signal(signal.SIGTERM, stop)
with open(port_file + ".tmp", "w") as out:
    out.write(str(server.server_address[1]))
os.rename(port_file + ".tmp", port_file)
server.serve_forever()
