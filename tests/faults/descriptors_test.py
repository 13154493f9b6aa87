"""The server out of file descriptors.

With its open-file limit lowered under it while clients keep connecting, every
accept fails (EMFILE). The server must not spin on the failing accept nor flood
its log: it backs off and says so once in a while; once descriptors are free
again it serves without a restart. At start, --max-connections is lowered to
what the descriptor limit allows, and the log says so.
"""

import os
import resource
import socket
import subprocess
import tempfile
import time

from harness import CANOPEE, Server, check, fail, track


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks  # utime + stime


def open_descriptors(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


work = tempfile.mkdtemp(prefix="canopee-fd-")
url = f"sqlite://{work}/fd.db"
server = Server(url, "--max-connections-per-address", "1000").start()
pid = server.process.pid
original = resource.prlimit(pid, resource.RLIMIT_NOFILE)
used = open_descriptors(pid)

# Leave the server five descriptors, then connect far more clients than that.
resource.prlimit(pid, resource.RLIMIT_NOFILE, (used + 5, original[1]))
clients = []
for _ in range(40):
    s = socket.create_connection(("127.0.0.1", server.port), timeout=5)
    clients.append(s)
time.sleep(0.5)  # the first failures happen now
log_before = os.path.getsize(server.log_path)
cpu_before = cpu_seconds(pid)
time.sleep(3.0)
cpu_spent = cpu_seconds(pid) - cpu_before
log_growth = os.path.getsize(server.log_path) - log_before
print(f"out of descriptors for 3 s: {cpu_spent:.2f} s of CPU, log grew by {log_growth} bytes")
check(cpu_spent < 0.5, f"the server does not spin on failing accepts ({cpu_spent:.2f} s of CPU in 3 s)")
check(log_growth < 4096, f"the log is not flooded ({log_growth} bytes in 3 s)")
log = server.log()
check("accept failed" in log and "LimitNOFILE" in log, "the log says why accepting fails and what to raise")

# Descriptors back: the clients that waited are served, and new ones too.
resource.prlimit(pid, resource.RLIMIT_NOFILE, original)
served = 0
for s in clients[:5]:
    try:
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        if s.recv(64).startswith(b"HTTP/1.1 200"):
            served += 1
    except OSError:
        pass
check(served == 5, f"clients queued during the shortage are served once descriptors are free ({served}/5)")
for s in clients:
    s.close()
deadline = time.time() + 5
while time.time() < deadline:
    try:
        if server.get("/healthz")[0] == 200:
            break
    except OSError:
        time.sleep(0.05)
else:
    fail("the server does not serve again after the shortage")
check(True, "the server serves again without a restart")
server.stop()

# At start: --max-connections follows the descriptor limit.
log_path = f"{work}/clamped.log"
port_server = Server(url)
with open(log_path, "wb") as log_file:
    process = track(subprocess.Popen(
        [CANOPEE, "--database", url, "serve", "--listen", f"127.0.0.1:{port_server.port}", "--max-connections", "4096"],
        stdout=log_file, stderr=subprocess.STDOUT,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))))
deadline = time.time() + 20
while time.time() < deadline:
    try:
        if port_server.get("/healthz")[0] == 200:
            break
    except OSError:
        time.sleep(0.05)
else:
    fail("the server with 256 descriptors did not start")
process.terminate()
process.wait(timeout=15)
text = open(log_path, encoding="utf-8", errors="replace").read()
check("--max-connections 4096 lowered to" in text, "at start, --max-connections is lowered to the descriptor limit and the log says so")
print("descriptors: all checks passed")
