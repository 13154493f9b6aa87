"""Mixed reads and writes for a bounded time, then the books are checked.

wrk (bench/wrk/soak.lua) keeps CONNECTIONS connections busy for SECONDS with
needs created (15 %), needs read (55 %), listed (15 %), an evaluation (10 %)
and the savings report (5 %). While it runs the server's RSS and open file
descriptors are sampled. Then: no 5xx and no other failure; every need the
server acknowledged is in the database exactly once with its quantity (and
only the requests in flight when wrk stops may be stored unacknowledged); RSS
after warm-up stays within 10 %; the file descriptors come back to where they
were.

The test command runs it briefly; the long run that docs/reliability.md records:
  SOAK_SECONDS=300 SOAK_CONNECTIONS=128 tests/faults/run.sh tests/faults/soak_test.py
"""

import os
import pathlib
import subprocess
import threading
import time

from harness import Server, check, demo, fresh_database, psql, scalar

SECONDS = int(os.environ.get("SOAK_SECONDS", "30"))
CONNECTIONS = int(os.environ.get("SOAK_CONNECTIONS", "32"))
WARM_UP = max(5, SECONDS // 5)
LUA = pathlib.Path(__file__).resolve().parents[2] / "bench" / "wrk" / "soak.lua"

url = fresh_database("soak")
tokens = demo(url)
server = Server(url, log_level="warn").start()
pid = server.process.pid
max_need = int(scalar(url, "SELECT max(id) FROM needs"))


def rss_kib():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def fds():
    return len(os.listdir(f"/proc/{pid}/fd"))


# Open every pooled database connection before counting fds: concurrent reads.
def warm():
    for _ in range(10):
        server.get("/v1/tenders/1/evaluation", tokens["officer"])


warmers = [threading.Thread(target=warm) for _ in range(16)]
for t in warmers:
    t.start()
for t in warmers:
    t.join()
fds_before = fds()

samples = []  # (seconds since start, RSS KiB, fds)
stop = threading.Event()
started = time.time()


def sample():
    while not stop.wait(1.0):
        samples.append((time.time() - started, rss_kib(), fds()))


sampler = threading.Thread(target=sample)
sampler.start()
ack_file = f"/tmp/canopee-soak-{os.getpid()}.txt"
env = dict(os.environ, SOAK_ACK_FILE=ack_file, SOAK_BUYER=tokens["buyer OPAL"], SOAK_OFFICER=tokens["officer"],
           SOAK_FINANCE=tokens["finance"], SOAK_MAX_NEED=str(max_need))
threads = max(1, min(4, CONNECTIONS // 16))
out = subprocess.run(["wrk", f"-t{threads}", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--timeout", "10s", "-s", str(LUA),
                      f"http://127.0.0.1:{server.port}"], env=env, capture_output=True, text=True, check=True).stdout
stop.set()
sampler.join()
time.sleep(1.0)  # let the server close the connections wrk left
fds_after = fds()

line = next(l for l in out.splitlines() if l.startswith("SOAK "))
requests, acknowledged, quantity_sum, status5xx, other, socket_errors, p99_us, max_us = map(int, line.split()[1:])
print(f"     {requests} requests in {SECONDS} s at {CONNECTIONS} connections ({requests / SECONDS:.0f}/s), "
      f"p99 {p99_us / 1000:.1f} ms, max {max_us / 1000:.1f} ms; {acknowledged} needs acknowledged")
check(status5xx == 0, f"no 5xx ({status5xx})")
check(other == 0 and socket_errors == 0, f"no other failure: non-2xx {other}, socket errors {socket_errors}")

acked = {}
with open(ack_file) as f:
    for item in f.read().split(";"):
        if item:
            title, quantity = item.split("=")
            acked["Soak " + title] = int(quantity)
os.unlink(ack_file)
stored = {}
duplicates = 0
for title, quantity in psql(url, "SELECT title, quantity FROM needs WHERE title LIKE 'Soak t%'"):
    duplicates += title in stored
    stored[title] = int(quantity)
missing = [t for t in acked if t not in stored]
wrong = [t for t in acked if t in stored and stored[t] != acked[t] * 1000]
check(len(acked) == acknowledged and sum(acked.values()) == quantity_sum, "the acknowledged list matches wrk's count")
check(not missing and not wrong and duplicates == 0,
      f"every acknowledged write is stored exactly once with its quantity ({len(acked)} acknowledged, "
      f"{len(stored)} stored, missing {len(missing)}, wrong {len(wrong)}, duplicated {duplicates})")
# wrk stops at its deadline with requests in flight: those may be committed unacknowledged.
check(len(stored) - len(acked) <= CONNECTIONS,
      f"unacknowledged rows only from the requests in flight at the end ({len(stored) - len(acked)} ≤ {CONNECTIONS})")

steady = [s for s in samples if s[0] >= WARM_UP]
low, high = min(s[1] for s in steady), max(s[1] for s in steady)
print(f"     RSS after {WARM_UP} s warm-up: {low / 1024:.1f}–{high / 1024:.1f} MiB over {len(steady)} samples; "
      f"fds {fds_before} before, {max(s[2] for s in samples)} at most, {fds_after} after")
check(high <= low * 1.10, f"RSS flat within 10 % after warm-up (+{(high / low - 1) * 100:.1f} %)")
check(fds_after <= fds_before + 2, "no file descriptor growth")
server.stop()
check(server.process.returncode == 0, "the server exits 0 after the soak")
