"""Open-loop load at a fixed rate, for latency: .ci/bench's answer to oha `-q RATE
--latency-correction`, with rotating request bodies (oha sends one body; wrk's latency is
measured from when a connection got to send, which hides queueing at a fixed rate).

Usage: fixed_rate.py URL REQUESTS_FILE post|get RATE SECONDS CONNECTIONS OUT_JSON

Request i is due at start + i / RATE whatever happened before (open loop); it goes out on the
next free keep-alive connection (at most CONNECTIONS), and its latency is counted from when it
was due, so time spent waiting for a connection counts too (latency correction). Requests walk
REQUESTS_FILE in turn, so no two consecutive ones are the same.
"""

import asyncio
import json
import sys
import time
import urllib.parse

url, path, mode, rate, seconds, connections, out = sys.argv[1:8]
rate, seconds, connections = float(rate), float(seconds), int(connections)
target = urllib.parse.urlsplit(url)
host, port = target.hostname, target.port or 80
lines = [l.rstrip("\n") for l in open(path) if l.strip()]


def encode(line):
    if mode == "get":
        head = f"GET {line} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: application/json\r\n\r\n"
        return head.encode()
    body = line.encode()
    head = (f"POST {target.path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
            f"Accept: application/json\r\nContent-Length: {len(body)}\r\n\r\n")
    return head.encode() + body


requests = [encode(l) for l in lines]
latencies, bad = [], {"status": 0, "errors": 0, "socket": 0}


async def exchange(reader, writer, payload):
    writer.write(payload)
    status_line = await reader.readline()
    status = int(status_line.split()[1])
    length, chunked = 0, False
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    if chunked:
        body = b""
        while True:
            size = int((await reader.readline()).strip(), 16)
            if size == 0:
                await reader.readline()
                break
            body += await reader.readexactly(size + 2)
    else:
        body = await reader.readexactly(length) if length else b""
    return status, body


async def worker(queue):
    reader = writer = None
    while True:
        item = await queue.get()
        if item is None:
            break
        due, payload = item
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port)
            status, body = await exchange(reader, writer, payload)
            latencies.append(time.perf_counter() - due)
            if status not in (200, 304):
                bad["status"] += 1
            elif b'"errors"' in body:
                bad["errors"] += 1
        except (OSError, ValueError, IndexError, asyncio.IncompleteReadError):
            bad["socket"] += 1
            if writer is not None:
                writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


async def main():
    queue = asyncio.Queue()
    workers = [asyncio.create_task(worker(queue)) for _ in range(connections)]
    start = time.perf_counter()
    total = int(rate * seconds)
    for i in range(total):
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        queue.put_nowait((due, requests[i % len(requests)]))
    for _ in workers:
        queue.put_nowait(None)
    await asyncio.gather(*workers)
    elapsed = time.perf_counter() - start
    latencies.sort()

    def q(p):
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1e6 if latencies else 0

    json.dump({"requests": len(latencies), "duration_us": int(elapsed * 1e6), "rate": rate,
               "p50_us": q(0.50), "p95_us": q(0.95), "p99_us": q(0.99),
               "max_us": latencies[-1] * 1e6 if latencies else 0,
               "bad_status": bad["status"], "graphql_errors": bad["errors"],
               "socket_errors": bad["socket"], "timeouts": 0}, open(out, "w"))


asyncio.run(main())
