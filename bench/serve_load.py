#!/usr/bin/env python3
"""Load test of gkml serve, loopback only: CLIENTS township clerks signed in at once, UPLOADS workbooks
between them (every tenth one broken as a clerk breaks it), each result checked against what it must
be; then the upload log and the store are checked for nothing lost. Reports p50/p99 latency and the
server's peak memory (VmHWM). Stdlib only.

Usage: bench/serve_load.py --gkml build/gkml [--clients 20] [--uploads 200] [--threads 32]"""
import argparse
import http.client
import json
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "fixtures"))
from break_workbook import CLERKS_EDITS, edit_workbook  # noqa: E402

EXAMPLE = ROOT / "examples" / "youyi"


class Client:
    """One browser's worth of cookies against the server."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.csrf = ""

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        connection.close()
        return response.status, data

    def sign_in(self, name: str, password: str) -> None:
        status, page = self.request("GET", "/login")
        token = re.search(rb'name="csrf" value="([0-9a-f]+)"', page).group(1).decode()
        form = urllib.parse.urlencode({"csrf": token, "name": name, "password": password}).encode()
        status, _ = self.request("POST", "/login", form, {"Content-Type": "application/x-www-form-urlencoded"})
        if status != 303:
            raise SystemExit(f"sign-in of {name} answered {status}")
        status, data = self.request("GET", "/api/session")
        self.csrf = json.loads(data)["csrf"]

    def upload(self, unit: str, name: str, content: bytes):
        boundary = uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
                f"Content-Type: application/octet-stream\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
        return self.request("POST", f"/api/units/{unit}/upload", body,
                            {"Content-Type": f"multipart/form-data; boundary={boundary}", "X-CSRF-Token": self.csrf})


def gkml(binary: str, *args: str, stdin: str | None = None) -> None:
    subprocess.run([binary, *args], input=stdin, text=True, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gkml", default=str(ROOT / "build" / "gkml"))
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--uploads", type=int, default=200)
    parser.add_argument("--threads", type=int, default=32, help="gkml serve --threads")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="gkml-load-"))
    db = work / "county.db"
    units = sorted(p.stem for p in (EXAMPLE / "catalogs").glob("*.xml"))
    gkml(args.gkml, "users", "add", "office", "--db", str(db), "--units", str(EXAMPLE / "units.xml"),
         "--role", "county", "--unit", "230522", stdin="office-load-2026\n")
    for unit in units:
        gkml(args.gkml, "users", "add", f"u{unit}", "--db", str(db), "--role", "township", "--unit", unit, stdin=f"pw-{unit}-2026\n")
        gkml(args.gkml, "export", str(EXAMPLE / "catalogs" / f"{unit}.xml"), "-o", str(work / f"{unit}.xlsx"))

    # Every upload its own workbook: a valid one differs from all others in a note (备注) cell, so each
    # must be put in; every tenth is broken and must be refused with nothing put in.
    plan = []  # (client, unit, name, bytes, broken)
    for n in range(args.uploads):
        client = n % args.clients
        unit = units[client % len(units)]
        broken = n % 10 == 9
        name = f"{unit}-{n}.xlsx"
        edits = dict(CLERKS_EDITS) if broken else {}
        edits["U4"] = f"第{n}次上传"
        edit_workbook(str(work / f"{unit}.xlsx"), str(work / name), edits)
        plan.append((client, unit, name, (work / name).read_bytes(), broken))

    server = subprocess.Popen([args.gkml, "serve", "--db", str(db), "--listen", "127.0.0.1:0", "--threads", str(args.threads),
                               "--uploads-per-hour", "100000"], stderr=subprocess.PIPE, text=True)
    first = server.stderr.readline()
    port = int(re.search(r":(\d+)/", first).group(1))
    log_lines = []
    reader = threading.Thread(target=lambda: log_lines.extend(server.stderr), daemon=True)
    reader.start()

    clients = [Client(port) for _ in range(args.clients)]
    for i, c in enumerate(clients):
        unit = units[i % len(units)]
        c.sign_in(f"u{unit}", f"pw-{unit}-2026")

    results = []  # (seconds, status, answer, planned)
    lock = threading.Lock()
    start = threading.Barrier(args.clients)

    def run(index: int) -> None:
        start.wait()
        for planned in plan:
            if planned[0] != index:
                continue
            began = time.perf_counter()
            status, data = clients[index].upload(planned[1], planned[2], planned[3])
            took = time.perf_counter() - began
            with lock:
                results.append((took, status, json.loads(data) if data.startswith(b"{") else {}, planned))

    began = time.perf_counter()
    threads = [threading.Thread(target=run, args=(i,)) for i in range(args.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - began
    peak = next(line.split()[1] for line in Path(f"/proc/{server.pid}/status").read_text().splitlines() if line.startswith("VmHWM"))
    server.terminate()
    server.wait(timeout=30)
    reader.join(timeout=30)  # every line the server wrote before it stopped

    wrong = []
    for took, status, answer, (client, unit, name, content, broken) in results:
        want = (422, "rejected") if broken else (200, "added")
        if (status, answer.get("outcome")) != want:
            wrong.append(f"{name}: {status} {answer.get('outcome')} {answer.get('message', '')}, expected {want}")
    with sqlite3.connect(db) as store:
        logged = store.execute("select file, outcome, snapshots from uploads").fetchall()
        put_in = store.execute("select count(*) from snapshots where source like 'upload:%'").fetchone()[0]
    valid = sum(1 for p in plan if not p[4])
    if len(results) != args.uploads:
        wrong.append(f"{len(results)} answers for {args.uploads} uploads")
    if len(logged) != args.uploads:
        wrong.append(f"{len(logged)} uploads in the log, not {args.uploads}")
    if put_in != valid:
        wrong.append(f"{put_in} snapshots put in by uploads, not {valid}")
    if any(outcome == "rejected" and snapshots for _, outcome, snapshots in logged):
        wrong.append("a rejected upload names snapshots")
    upload_lines = sum(1 for line in log_lines if " upload #" in line)
    if upload_lines != args.uploads:
        wrong.append(f"{upload_lines} upload lines in the server's log, not {args.uploads}")

    latencies = sorted(r[0] for r in results)
    p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000  # noqa: E731
    print(f"gkml serve load: {args.clients} clients, {len(results)} uploads ({valid} valid, {args.uploads - valid} broken), "
          f"{args.threads} server threads")
    print(f"  wall {wall:.1f} s, {len(results) / wall:.1f} uploads/s; latency p50 {p(0.5):.0f} ms, p99 {p(0.99):.0f} ms, "
          f"max {latencies[-1] * 1000:.0f} ms, mean {statistics.mean(latencies) * 1000:.0f} ms")
    sizes = [len(planned[3]) // 1024 for planned in plan]
    print(f"  server peak memory (VmHWM) {peak} kB; workbooks of {min(sizes)} to {max(sizes)} KB")
    for w in wrong:
        print(f"  WRONG: {w}")
    print("  every upload's result correct, nothing lost" if not wrong else f"  {len(wrong)} problems")
    subprocess.run(["rm", "-rf", str(work)])
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
