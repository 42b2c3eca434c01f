#!/usr/bin/env python3
"""Times gkml on the corpus bench/gen_corpus.py wrote, as whole processes under GNU time (/usr/bin/time -v),
each repeated (--reps, default 3) and reported as median with min–max: seconds, MB/s, items/s, peak memory.

Usage:
    python3 bench/run.py [--corpus /tmp/gkml-corpus] [--gkml build/gkml] [--rawparse PATH] [--reps 3]
                         [--only NAME,...] [--json OUT.json] [--md OUT.md]

Beside gkml it times, on the same files, `xmllint --noout --schema xsd/<kind>.xsd` (the validation everyone
already has; one process, as one runs it, and two processes via xargs -P2 for fairness on 2 cores) and a raw
parse of the same bytes (the floor): `xmllint --noout` and, when built (cmake -DGKML_BUILD_BENCH=ON),
bench/rawparse.cpp, pugixml on all cores with nothing else done.
No timing is asserted anywhere: this prints figures, it does not judge them (bench/RESULTS.md does).
"""
import argparse
import json
import os
import re
import shlex
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def du(*paths):
    total = 0
    for p in paths:
        p = Path(p)
        if p.is_file():
            total += p.stat().st_size
        else:
            total += sum(f.stat().st_size for f in p.rglob("*.xml"))
    return total


def timed(cmd, ok_codes):
    """One run of `cmd` under GNU time: (seconds, peak RSS in KB, CPU seconds). A plain command (no
    glob, pipe or &&) is started by GNU time directly; a shell line through `sh -c` (its peak is then
    that of its largest process). Wall time is the runner's clock: GNU time's own has 10 ms steps."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        plain = not re.search(r"[*|&;<>$]", cmd)
        full = ["/usr/bin/time", "-v", "-o", t.name] + (shlex.split(cmd) if plain else ["sh", "-c", cmd])
        start = time.perf_counter()
        rc = subprocess.run(full, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
        seconds = time.perf_counter() - start
        text = Path(t.name).read_text()
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
    user = float(re.search(r"User time \(seconds\): ([\d.]+)", text).group(1))
    sys_ = float(re.search(r"System time \(seconds\): ([\d.]+)", text).group(1))
    if rc not in ok_codes:
        sys.exit(f"run.py: `{cmd}` exited {rc} (expected {ok_codes})")
    return seconds, rss, user + sys_


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default="/tmp/gkml-corpus")
    ap.add_argument("--gkml", default=str(ROOT / "build" / "gkml"))
    ap.add_argument("--rawparse", default="", help="gkml-rawparse built with -DGKML_BUILD_BENCH=ON (optional)")
    ap.add_argument("--peer", default="", help="the peer to compare with: ../shared/bench/peer_coverage.py (optional)")
    ap.add_argument("--peer-jobs", type=int, default=2, help="the peer's worker processes for validate and ingest")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--only", default="", help="comma-separated benchmark names")
    ap.add_argument("--json", default="")
    ap.add_argument("--md", default="")
    args = ap.parse_args()
    c = Path(args.corpus).resolve()
    g = shlex.quote(str(Path(args.gkml).resolve()))
    std = shlex.quote(str(ROOT / "catalogs" / "standard"))
    xsd = ROOT / "xsd"
    db = c / "bench.db"
    manifest = (c / "MANIFEST.txt").read_text()
    n_items = int(re.search(r"catalogs: \d+ files, (\d+) items", manifest).group(1))
    n_records = int(re.search(r"ledgers: (\d+) records", manifest).group(1))
    n_files = len(list((c / "catalogs").glob("*.xml"))) + len(list((c / "ledgers").glob("*.xml"))) + 1
    all_bytes = du(c / "catalogs", c / "ledgers", c / "units.xml")
    pair_bytes = du(c / "pair" / "ours.xml", c / "pair" / "theirs.xml")
    merge_bytes = pair_bytes + du(c / "pair" / "base.xml")
    pair_items = sum((c / "pair" / f).read_text().count("<item ") for f in ("ours.xml", "theirs.xml"))
    units = (c / "units.xml").read_text()
    county = re.search(r'code="(\d{6})" name="[^"]+" level="county"', units).group(1)
    township = re.search(r'code="(\d{12})" name="[^"]+" level="township"', units).group(1)
    province = re.search(r'code="(\d{6})" name="[^"]+" level="province"', units).group(1)
    everything = f"{c}/catalogs {c}/ledgers {c}/units.xml"
    xl_schema = (f"xmllint --noout --schema {xsd}/catalog.xsd {c}/catalogs/*.xml 2>/dev/null && "
                 f"xmllint --noout --schema {xsd}/ledger.xsd {c}/ledgers/*.xml 2>/dev/null && "
                 f"xmllint --noout --schema {xsd}/units.xsd {c}/units.xml 2>/dev/null")
    xl_schema_p2 = (f"ls {c}/catalogs/*.xml | xargs -P2 -n 300 xmllint --noout --schema {xsd}/catalog.xsd 2>/dev/null && "
                    f"ls {c}/ledgers/*.xml | xargs -P2 -n 300 xmllint --noout --schema {xsd}/ledger.xsd 2>/dev/null && "
                    f"xmllint --noout --schema {xsd}/units.xsd {c}/units.xml 2>/dev/null")
    all_items = n_items + n_records

    def forget_coverage():
        """Empties the coverage gkml keeps in its database, so the next run computes every unit."""
        with sqlite3.connect(db) as conn:
            conn.execute("DELETE FROM coverage_kept")

    def keep_coverage(cmd):
        """Runs `cmd` once untimed where nothing is kept yet, so the timed run reads kept coverage."""
        with sqlite3.connect(db) as conn:
            empty = conn.execute("SELECT count(*) FROM coverage_kept").fetchone()[0] == 0
        if empty:
            subprocess.run(shlex.split(cmd), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # (name, what, shell command, bytes, items, ok exit codes, before each run)
    benches = [
        ("validate", "gkml validate, all files", f"{g} validate --standard {std} {everything}", all_bytes, all_items, {0}, None),
        ("xmllint-schema", "xmllint --schema, all files, 1 process", xl_schema, all_bytes, all_items, {0}, None),
        ("xmllint-schema-2p", "xmllint --schema, all files, xargs -P2", xl_schema_p2, all_bytes, all_items, {0}, None),
        ("xmllint-parse", "raw parse: xmllint --noout, all files, 1 process",
         f"xmllint --noout {c}/catalogs/*.xml {c}/ledgers/*.xml {c}/units.xml", all_bytes, all_items, {0}, None),
    ]
    if args.rawparse:
        rp = shlex.quote(str(Path(args.rawparse).resolve()))
        benches.append(("rawparse", "raw parse: pugixml, all files, 2 threads", f"{rp} -j 2 {everything}",
                        all_bytes, all_items, {0}, None))
    benches += [
        ("ingest", "gkml ingest, all files, into a new database",
         f"{g} ingest --db {db} --units {c}/units.xml --standard {std} {c}/catalogs {c}/ledgers",
         all_bytes, all_items, {0}, lambda: [p.unlink() for p in c.glob("bench.db*")]),
        ("coverage-province", f"gkml coverage --summary, whole province ({province}), computed (kept coverage emptied)",
         f"{g} coverage --db {db} --standard {std} --summary", 0, all_items, {0, 1}, forget_coverage),
        ("coverage-province-kept", f"gkml coverage --summary, whole province, read back (kept coverage)",
         f"{g} coverage --db {db} --standard {std} --summary", 0, all_items, {0, 1},
         lambda: keep_coverage(f"{g} coverage --db {db} --standard {std} --summary")),
        ("coverage-province-json", "gkml coverage --format json, whole province, every finding",
         f"{g} coverage --db {db} --standard {std} --format json", 0, all_items, {0, 1}, None),
        ("coverage-county", f"gkml coverage --summary, one county ({county})",
         f"{g} coverage --db {db} --standard {std} --unit {county} --summary", 0, 0, {0, 1}, None),
        ("coverage-unit", f"gkml coverage, one township ({township}), read back",
         f"{g} coverage --db {db} --standard {std} --unit {township}", 0, 0, {0, 1},
         lambda: keep_coverage(f"{g} coverage --db {db} --standard {std} --unit {township}")),
        ("report", "gkml report, whole province, kept coverage", f"{g} report --db {db} --standard {std} -o {c}/report.html",
         0, all_items, {0}, None),
        ("coverage-unit-computed", f"gkml coverage, one township ({township}), computed",
         f"{g} coverage --db {db} --standard {std} --unit {township}", 0, 0, {0, 1}, forget_coverage),
        ("startup", "gkml --version: what any gkml process costs", f"{g} --version", 0, 0, {0}, None),
        ("diff", "gkml diff of two full 26-field county catalogs",
         f"{g} diff {c}/pair/ours.xml {c}/pair/theirs.xml", pair_bytes, pair_items, {1}, None),
        ("merge", "gkml merge base ours theirs (clean 3-way)",
         f"{g} merge {c}/pair/base.xml {c}/pair/ours.xml {c}/pair/theirs.xml -o {c}/merged.xml",
         merge_bytes, pair_items, {0}, None),
        ("pair-xmllint-parse", "raw parse of the two diff inputs: xmllint --noout",
         f"xmllint --noout {c}/pair/ours.xml {c}/pair/theirs.xml", pair_bytes, pair_items, {0}, None),
    ]
    if args.rawparse:
        benches.append(("pair-rawparse", "raw parse of the two diff inputs: pugixml",
                        f"{rp} -j 1 {c}/pair/ours.xml {c}/pair/theirs.xml", pair_bytes, pair_items, {0}, None))
    if args.peer:
        # The yardstick of issue 17: a script with lxml and sqlite3 (run with Debian's python3, which has
        # python3-lxml), on as many processes as gkml has threads.
        py = f"/usr/bin/python3 {shlex.quote(str(Path(args.peer).resolve()))}"
        pdb = c / "peer.db"
        cal = shlex.quote(str(ROOT / "catalogs" / "calendar"))
        benches += [
            ("peer-validate", f"peer: lxml XMLSchema, all files, {args.peer_jobs} processes",
             f"{py} validate --xsd {xsd} -j {args.peer_jobs} {everything}", all_bytes, all_items, {0}, None),
            ("peer-ingest", f"peer: lxml + sqlite3 ingest, all files, {args.peer_jobs} processes",
             f"{py} ingest --db {pdb} --units {c}/units.xml --xsd {xsd} -j {args.peer_jobs} {c}/catalogs {c}/ledgers",
             all_bytes, all_items, {0}, lambda: [p.unlink() for p in c.glob("peer.db*")]),
            ("peer-coverage-province", "peer: coverage --summary, whole province",
             f"{py} coverage --db {pdb} --standard {std} --calendar {cal} --summary", 0, all_items, {0, 1}, None),
            ("peer-coverage-unit", f"peer: coverage, one township ({township})",
             f"{py} coverage --db {pdb} --standard {std} --calendar {cal} --unit {township}", 0, 0, {0, 1}, None),
        ]
    only = set(filter(None, args.only.split(",")))
    # warm the page cache once: every figure below is with the corpus in memory
    subprocess.run(f"cat {c}/catalogs/*.xml {c}/ledgers/*.xml > /dev/null", shell=True, check=True)
    benches = [b for b in benches if not only or b[0] in only]
    # Interleaved rounds: each round runs every benchmark once, in order (an ingest before the coverage
    # that reads its database), so a slow spell of the machine falls on all of them alike.
    runs_of = {b[0]: [] for b in benches}
    for _ in range(args.reps):
        for name, what, cmd, nbytes, nitems, ok, before in benches:
            if before:
                before()
            runs_of[name].append(timed(cmd, ok))
            print(f"  {name}: {runs_of[name][-1][0]:.3f} s, {runs_of[name][-1][1] / 1024:.1f} MB", file=sys.stderr, flush=True)
    results = []
    for name, what, cmd, nbytes, nitems, ok, before in benches:
        runs = runs_of[name]
        secs = [r[0] for r in runs]
        res = {"name": name, "what": what, "command": cmd, "reps": args.reps,
               "median_s": statistics.median(secs), "min_s": min(secs), "max_s": max(secs),
               "cpu_s": statistics.median(r[2] for r in runs),
               "peak_mb": max(r[1] for r in runs) / 1024, "bytes": nbytes, "items": nitems}
        results.append(res)
    out = {"corpus": str(c), "manifest": manifest, "files": n_files, "bytes": all_bytes, "results": results}
    if args.json:
        Path(args.json).write_text(json.dumps(out, ensure_ascii=False, indent=2))
    lines = ["| benchmark | median s (min–max) | CPU s | MB/s | items/s | peak MB |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for r in results:
        mbps = f"{r['bytes'] / 1e6 / r['median_s']:.1f}" if r["bytes"] else "–"
        ips = f"{r['items'] / r['median_s']:,.0f}" if r["items"] else "–"
        lines.append(f"| {r['what']} | {r['median_s']:.3f} ({r['min_s']:.3f}–{r['max_s']:.3f}) | {r['cpu_s']:.2f} | "
                     f"{mbps} | {ips} | {r['peak_mb']:.1f} |")
    table = "\n".join(lines) + "\n"
    for name in ("bench.db", "peer.db"):
        if (c / name).exists():
            table += f"\n{name}: {(c / name).stat().st_size / 1e6:.0f} MB"
    table += "\n"
    if args.md:
        Path(args.md).write_text(table)
    print(table)


if __name__ == "__main__":
    main()
