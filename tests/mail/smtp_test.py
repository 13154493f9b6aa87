#!/usr/bin/env python3
"""E-mail notifications end to end against a real SMTP server (issue 20 item 10).

Starts Debian's aiosmtpd on a free local port (Mailbox handler: a maildir), loads the
demo network, lets the network's finance user choose e-mail for the month closed
through the API of a running `canopee serve`, then runs `canopee notifications sweep`
as cron would: first while the server's port is wrong (the e-mail waits, code logged),
then a minute later against the server. Reads the message received: recipient,
decoded French subject, body and link; a second sweep sends nothing more.

usage: smtp_test.py CANOPEE_BINARY
"""
import email
import email.policy
import json
import mailbox
import os
import re
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, seconds=15):
    end = time.time() + seconds
    while time.time() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"the SMTP server did not listen on {port}")


def check(condition, what):
    if not condition:
        raise SystemExit(f"FAILED: {what}")
    print(f"ok - {what}")


def main():
    binary = os.path.abspath(sys.argv[1])
    work = tempfile.mkdtemp(prefix="canopee-smtp-")
    maildir = os.path.join(work, "maildir")
    db_path = os.path.join(work, "canopee.db")
    env = dict(os.environ, CANOPEE_DATABASE_URL=f"sqlite://{db_path}", CANOPEE_LOG_LEVEL="info")
    for key in list(env):
        if key.startswith("CANOPEE_SMTP_"):
            del env[key]
    port = free_port()
    smtpd = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Mailbox", maildir],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    serve = None
    try:
        wait_for_port(port)
        demo = subprocess.run([binary, "demo"], env=env, capture_output=True, text=True, check=True).stdout
        tokens = {}
        for line in demo.splitlines():
            m = re.match(r"^\s+(\w+)(?: (\w+))?\s+(cnp_[0-9a-f]+)\s+(\S+)$", line)
            if m:
                tokens[f"{m[1]} {m[2]}" if m[2] else m[1]] = (m[3], m[4])
        token, address = tokens["finance"]
        check(address == "finances@canopee.example", "the network's finance user is finances@canopee.example")

        # The choice, made through the API as the web page makes it.
        serve = subprocess.Popen([binary, "serve", "--listen", "127.0.0.1:0", "--sweep-interval", "0"], env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        url = None
        while url is None:
            line = serve.stdout.readline()
            if not line:
                raise SystemExit("the server did not start")
            found = re.search(r"listening on (http://\S+)", line)
            url = found.group(1) if found else None
        request = urllib.request.Request(
            url + "/v1/notification-preferences", method="PUT",
            data=json.dumps({"email": {"report_period_closed": True}}).encode(),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request) as reply:
            answer = json.load(reply)
        check(answer["items"] == [{"kind": "report_period_closed", "email": True}], "e-mail chosen for the month closed")
        check(answer["email_available"] is False, "the server without SMTP settings says e-mail is unavailable")
        serve.terminate()
        serve.wait(timeout=20)
        serve = None

        smtp_env = dict(env, CANOPEE_SMTP_HOST="127.0.0.1", CANOPEE_SMTP_TLS="none",
                        CANOPEE_SMTP_FROM="achats@canopee.example")
        sweep = [binary, "notifications", "sweep", "--public-url", "https://achats.example.org"]
        # 5 January 2027: December 2026 is closed. The server's port is wrong first.
        wrong = subprocess.run(sweep + ["--now", "2027-01-05T09:00:00Z"], env=dict(smtp_env, CANOPEE_SMTP_PORT="1"),
                               capture_output=True, text=True)
        check(wrong.returncode == 0, "a sweep whose e-mail fails still succeeds (the e-mail waits)")
        check("code=smtp.connect" in wrong.stderr + wrong.stdout, "the failure is logged with its code smtp.connect")
        with sqlite3.connect(db_path) as con:
            row = con.execute("SELECT status, attempts, last_error FROM email_outbox").fetchall()
        check(row == [("pending", 1, "smtp.connect")], "one e-mail pending after one failed attempt")
        check(len(mailbox.Maildir(maildir)) == 0, "nothing received yet")

        # 30 seconds later: not due yet (the first retry waits a minute).
        env_ok = dict(smtp_env, CANOPEE_SMTP_PORT=str(port))
        subprocess.run(sweep + ["--now", "2027-01-05T09:00:30Z"], env=env_ok, check=True, capture_output=True)
        check(len(mailbox.Maildir(maildir)) == 0, "not retried before its minute")
        subprocess.run(sweep + ["--now", "2027-01-05T09:01:00Z"], env=env_ok, check=True, capture_output=True)
        box = mailbox.Maildir(maildir)
        check(len(box) == 1, "one e-mail received after the retry")
        raw = next(iter(box.values())).as_bytes()
        message = email.message_from_bytes(raw, policy=email.policy.default)
        check(message["X-RcptTo"] == "finances@canopee.example", "sent to the finance user only (RCPT TO)")
        check([a.addr_spec for a in message["To"].addresses] == ["finances@canopee.example"], "To: the finance user")
        check(str(message["Subject"]) == "[Canopée] Mois clos : décembre 2026", "the French subject, decoded")
        check(b"=?UTF-8?B?" in raw, "the subject travels as RFC 2047 encoded-words")
        sender = message["From"].addresses[0]
        check((sender.display_name, sender.addr_spec) == ("Canopée", "achats@canopee.example"), "the sender, named Canopée")
        check(message.get_content_type() == "text/plain" and message.get_content_charset() == "utf-8",
              "text/plain; charset=UTF-8")
        body = message.get_content()
        check("Le mois de décembre 2026 est clos : le rapport des gains achats du 01/12/2026 au 31/12/2026 peut "
              "être établi." in body, "the French body")
        check("https://achats.example.org/#/gains?du=2026-12-01&au=2026-12-31" in body, "the link to the report")

        subprocess.run(sweep + ["--now", "2027-01-05T10:00:00Z"], env=env_ok, check=True, capture_output=True)
        check(len(mailbox.Maildir(maildir)) == 1, "a second sweep sends nothing more")
        with sqlite3.connect(db_path) as con:
            row = con.execute("SELECT status, attempts, last_error FROM email_outbox").fetchall()
        check(row == [("sent", 2, None)], "the e-mail is marked sent after two attempts")
        print("all passed")
    finally:
        if serve is not None:
            serve.kill()
            serve.wait()
        smtpd.terminate()
        smtpd.wait(timeout=10)
        subprocess.run(["rm", "-rf", work], check=False)


if __name__ == "__main__":
    main()
