#!/usr/bin/env python3
"""A webhook receiver that misbehaves, for the end-to-end tests, on a free
loopback port. It reads each request whole, appends its X-Uptime-Event-Id to
LOG (one line per request), then answers as MODE says:

  drip     "HTTP/1.1 200 OK\\r\\n" one byte a second, never ending
  huge     a 200 head promising 1.5 GB, then zeros as fast as they are taken
  headers  a 200 status line, then header fields without end
  tls      a plain 200, over TLS with CERT and KEY

It writes its port to PORT_FILE once listening, and keeps LOG.max_in_flight
up to date with the most requests it held open at once.

  hostile_receiver.py MODE LOG PORT_FILE [CERT KEY]
"""
import os
import socket
import ssl
import sys
import threading

mode, log_path, port_file = sys.argv[1:4]
lock = threading.Lock()
in_flight = 0
max_in_flight = 0


def read_request(conn):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    fields = {}
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        fields[name.strip().lower()] = value.strip()
    length = int(fields.get(b"content-length", b"0"))
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        body += chunk
    return fields


def answer(conn):
    if mode == "drip":
        conn.settimeout(1)
        for byte in b"HTTP/1.1 200 OK\r\n" * 1000:
            conn.sendall(bytes([byte]))
            try:  # a second's wait, ended early when the sender closes
                if conn.recv(1) == b"":
                    return
            except socket.timeout:
                pass
    elif mode == "huge":
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1500000000\r\n\r\n")
        zeros = bytes(1 << 20)
        for _ in range(1430):
            conn.sendall(zeros)
    elif mode == "headers":
        conn.sendall(b"HTTP/1.1 200 OK\r\n")
        field = b"X-Padding: " + b"a" * 100 + b"\r\n"
        while True:
            conn.sendall(field * 100)
    else:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")


def serve(conn):
    global in_flight, max_in_flight
    with lock:
        in_flight += 1
        max_in_flight = max(max_in_flight, in_flight)
        with open(log_path + ".max_in_flight.tmp", "w") as out:
            out.write(str(max_in_flight))
        os.rename(log_path + ".max_in_flight.tmp", log_path + ".max_in_flight")
    try:
        fields = read_request(conn)
        if fields is not None:
            with lock, open(log_path, "a") as log:
                log.write(fields.get(b"x-uptime-event-id", b"-").decode() + "\n")
            answer(conn)
    except OSError:
        pass  # the server gave up on us: what the test wants
    finally:
        conn.close()
        with lock:
            in_flight -= 1


listener = socket.socket()
listener.bind(("127.0.0.1", 0))
listener.listen(128)
context = None
if mode == "tls":
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(sys.argv[4], sys.argv[5])
with open(port_file + ".tmp", "w") as out:
    out.write(str(listener.getsockname()[1]))
os.rename(port_file + ".tmp", port_file)
open(log_path, "a").close()
while True:
    conn, _ = listener.accept()
    if context:
        try:
            conn = context.wrap_socket(conn, server_side=True)
        except (ssl.SSLError, OSError):
            conn.close()  # the client refused our certificate
            continue
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
