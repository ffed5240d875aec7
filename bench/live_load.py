#!/usr/bin/env python3
"""Live ingest at a steady rate while pages are read (issue 34's live target).

A poll per store per INTERVAL seconds: the fleet's stores in turn, in batches
of BATCH polls POSTed as CSV on CONNECTIONS keep-alive connections, each batch
sent at its scheduled instant (or as soon as a connection is free, when
behind), after one batch that makes the server live, untimed. Each poll's instant is the wall clock when its batch is sent; a
rotating DOWN share of the stores poll 'inactive' for a while, then
'active' again, so alerts are raised and recovered throughout. Beside it one
reader asks in turn for GET /fleet and a sorted, filtered page of 100 stores.

Prints one JSON object: polls sent and acknowledged, the rate reached, and
the latencies (ms: median, 99th percentile, max) of ingest answers, /fleet
and the page; every non-200 answer is counted as an error.

usage: live_load.py BASE DB SECONDS [--rate R] [--batch B] [--connections C]
                    [--down SHARE]
  BASE: http://127.0.0.1:PORT; DB: the server's database (read for the ids)
"""
import argparse
import datetime
import http.client
import json
import sqlite3
import sys
import threading
import time
import urllib.parse


def percentiles(samples):
    if not samples:
        return None
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]
    return {"median_ms": round(pick(0.5) * 1000, 1), "p99_ms": round(pick(0.99) * 1000, 1),
            "max_ms": round(ordered[-1] * 1000, 1), "count": len(ordered)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("db")
    parser.add_argument("seconds", type=float)
    parser.add_argument("--rate", type=float, default=16700.0, help="polls per second")
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--down", type=float, default=0.01, help="share of stores down at a time")
    args = parser.parse_args()

    ids = [row[0] for row in sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
           .execute("SELECT store_id FROM stores ORDER BY id")]
    if not ids:
        sys.exit("live_load: no stores in " + args.db)
    url = urllib.parse.urlparse(args.base)
    batches = int(args.seconds * args.rate / args.batch)
    every = args.batch / args.rate  # seconds between batch starts
    down_every = max(1, int(round(1 / args.down))) if args.down > 0 else 0

    lock = threading.Lock()
    next_batch = [0]
    ingest_s, errors = [], []
    acknowledged = [0]
    start = time.monotonic()

    def body(number):
        now = datetime.datetime.now(datetime.timezone.utc)
        when = now.strftime("%Y-%m-%d %H:%M:%S.%f")
        first = number * args.batch
        # The down stores move along the fleet a tenth of a batch per batch:
        # each is down for about ten of its polls, then up again.
        shift = number * args.batch // 10
        lines = ["store_id,status,timestamp_utc"]
        for i in range(first, first + args.batch):
            store = i % len(ids)
            down = down_every and (store + shift) % down_every == 0
            lines.append(f"{ids[store]},{'inactive' if down else 'active'},{when}")
        return ("\n".join(lines) + "\n").encode()

    def sender():
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        while True:
            with lock:
                number = next_batch[0]
                if number >= batches:
                    return
                next_batch[0] += 1
            due = start + number * every
            wait = due - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            data = body(number)
            began = time.monotonic()
            # A kept-alive connection the server closed while it idled (its
            # keep-alive timeout, at small fleets' rates) fails at once: as
            # any client does, send again on a new one (polls are idempotent).
            for attempt in (1, 2):
                try:
                    connection.request("POST", "/ingest/status", body=data,
                                       headers={"Content-Type": "text/csv"})
                    response = connection.getresponse()
                    answer = response.read()
                    status = response.status
                    break
                except (OSError, http.client.HTTPException) as error:
                    status, answer = 0, str(error).encode()
                    connection.close()
                    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
            took = time.monotonic() - began
            with lock:
                ingest_s.append(took)
                if status == 200:
                    acknowledged[0] += args.batch
                else:
                    errors.append(f"{status} {answer[:200]!r}")

    readers_done = threading.Event()
    reads = {"/fleet": [], "page": []}
    page = "/stores?sort=uptime_percent&order=asc&q=7&state=up&limit=100"

    def reader():
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        while not readers_done.is_set():
            for name, path in (("/fleet", "/fleet"), ("page", page)):
                began = time.monotonic()
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                reads[name].append(time.monotonic() - began)
                if response.status != 200:
                    with lock:
                        errors.append(f"GET {path}: {response.status}")
            time.sleep(0.05)

    # Made live first, untimed: the first poll newer than the data moves the
    # server's clock from the newest poll to the wall clock, and every
    # store's opening window is computed anew (seconds at a million stores).
    warm_up = http.client.HTTPConnection(url.hostname, url.port, timeout=600)
    warm_up.request("POST", "/ingest/status", body=body(batches),
                    headers={"Content-Type": "text/csv"})
    warm_up.getresponse().read()
    start = time.monotonic()

    senders = [threading.Thread(target=sender) for _ in range(args.connections)]
    reading = threading.Thread(target=reader)
    reading.start()
    for thread in senders:
        thread.start()
    for thread in senders:
        thread.join()
    # Over the schedule at least: the last batch leaves `every` before its end.
    elapsed = max(time.monotonic() - start, batches * every)
    readers_done.set()
    reading.join()
    print(json.dumps({
        "polls_sent": batches * args.batch,
        "polls_acknowledged": acknowledged[0],
        "seconds": round(elapsed, 2),
        "polls_per_second": round(acknowledged[0] / elapsed),
        "target_polls_per_second": args.rate,
        "ingest": percentiles(ingest_s),
        "fleet": percentiles(reads["/fleet"]),
        "page": percentiles(reads["page"]),
        "errors": len(errors),
        "first_errors": errors[:5],
    }))


if __name__ == "__main__":
    main()
