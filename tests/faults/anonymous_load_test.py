"""What anonymous clients cost the server: memory and metrics stay flat.

Sixteen connections without a token each announce a 32 MiB needs import and
stream their body as fast as they can; then 4,000 requests arrive with 8 KB
invented methods. Before the server admitted large bodies from their header,
the first took its resident memory from 19 to 527 MiB (every body read whole
before the token was looked at) and the second made 4,000 metrics series
(RSS +47 MiB, /metrics 32 MB). Now each upload is refused from its header and
the invented methods share one series.
"""

import socket
import tempfile
import threading
import time

from harness import Server, check

LARGE = 32 * 1024 * 1024


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def upload(port, results, index):
    """Announce a large import without a token and push the body until refused."""
    sent = 0
    answer = b""
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        s.sendall(b"POST /v1/needs/import HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\n"
                  + f"Content-Length: {LARGE}\r\n\r\n".encode())
        chunk = b"x" * 65536
        s.settimeout(0.05)
        deadline = time.time() + 10
        while sent < LARGE and time.time() < deadline:
            try:
                answer += s.recv(4096)
                if answer:
                    break
            except socket.timeout:
                pass
            try:
                s.settimeout(0.5)
                sent += s.send(chunk)
                s.settimeout(0.05)
            except OSError:
                break
        s.settimeout(2)
        try:
            while b"\r\n\r\n" not in answer:
                more = s.recv(4096)
                if not more:
                    break
                answer += more
        except OSError:
            pass
        s.close()
    except OSError:
        pass
    results[index] = (sent, answer[:12])


work = tempfile.mkdtemp(prefix="canopee-anon-")
server = Server(f"sqlite://{work}/anon.db").start()
pid = server.process.pid
for _ in range(20):
    server.get("/healthz")
before = rss_mib(pid)

results = [None] * 16
threads = [threading.Thread(target=upload, args=(server.port, results, i)) for i in range(16)]
for t in threads:
    t.start()
peak = before
while any(t.is_alive() for t in threads):
    peak = max(peak, rss_mib(pid))
    time.sleep(0.02)
for t in threads:
    t.join()
refused = sum(1 for r in results if r and r[1].startswith(b"HTTP/1.1 401"))
sent_mib = sum(r[0] for r in results if r) / 1024 / 1024
print(f"16 anonymous 32 MiB uploads: {refused} answered 401; {sent_mib:.1f} MiB pushed by the clients; "
      f"RSS {before:.1f} MiB before, {peak:.1f} MiB at most")
check(refused == 16, f"every anonymous upload is refused with 401 ({refused}/16)")
check(peak - before < 24, f"memory stays flat under anonymous uploads (+{peak - before:.1f} MiB, was +508 MiB)")

# 4,000 requests with 8 KB invented methods.
for i in range(4000):
    try:
        s = socket.create_connection(("127.0.0.1", server.port), timeout=5)
        s.sendall((("M" * 8000) + str(i) + " /v1/needs HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").encode())
        s.recv(64)
        s.close()
    except OSError:
        pass
status, _, metrics = server.get("/metrics")
after = rss_mib(pid)
print(f"4,000 invented methods: /metrics {len(metrics)} bytes, RSS {after:.1f} MiB")
check(status == 200 and len(metrics) < 16 * 1024, f"/metrics stays small ({len(metrics)} bytes, was 32 MB)")
check(b"MMMM" not in metrics, "no invented method became a label value")
check(after - before < 24, f"memory stays flat under invented methods (+{after - before:.1f} MiB, was +47 MiB)")
server.stop()
print("anonymous load: all checks passed")
