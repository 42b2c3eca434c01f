#!/usr/bin/env python3
"""Generates the benchmark corpus: a synthetic province (default 2 000 townships under 140 counties) or,
with --units, a country-sized slice, each unit with its own catalog and a year of disclosure ledger.

Seeded and deterministic: the same gkml binary and the same options give the same bytes. Usage:
    python3 bench/gen_corpus.py [--out /tmp/gkml-corpus] [--units 2000] [--counties N] [--records 2000]

Writes into --out (never inside the repository; the corpus is regenerated, not committed):
    units.xml                    province → cities → counties → townships, 12-digit township codes
    catalogs/<code>.xml          one unit catalog per township and per county government
    ledgers/<code>-<year>.xml    a year of ledger records per unit (about --records each)
    pair/base.xml ours.xml theirs.xml   a full 26-field county catalog and two clerks' edits of it
                                 (the diff and 3-way merge inputs)
    MANIFEST.txt                 counts and bytes

How: `gkml init` derives one catalog per level (township, county) from catalogs/standard once; every unit
then varies that text in-process (items left out, hastily filled items missing an element or a channel,
fields marked not applicable with a reason, local items), which is what examples/generate.py does with
ElementTree per unit, only on the canonical text so that 2 000 units take seconds, not minutes.
"""
import argparse
import bisect
import datetime as dt
import math
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
YEAR = 2025
PLACEHOLDER_NAME = "占位单位"
LEDGER_CHANNELS = {"website", "gazette", "weibo-wechat-app", "press-hearing", "radio-tv", "print", "reading-point",
                   "service-center", "service-station", "door-to-door", "bulletin-board", "targeted-push"}
# Syllables for synthetic place names (no real place is meant).
SYL = ("安 宝 长 成 崇 大 德 东 丰 凤 福 富 高 广 和 河 红 华 怀 黄 吉 嘉 建 江 金 靖 静 康 乐 利 连 临 龙 隆 茂 "
       "梅 明 南 宁 平 普 庆 泉 仁 荣 瑞 山 尚 石 顺 松 泰 桃 天 通 万 文 武 西 祥 新 兴 秀 阳 永 玉 源 云 泽 "
       "长 振 正 中 洲 竹").split()
# 未涉及领域事项说明: fields some units do not handle, with the reason they give.
NOT_APPLICABLE = [
    ("16", "辖区无建档立卡贫困户，扶贫（乡村振兴）工作由县乡村振兴部门统一组织"),
    ("11", "辖区住房由县住房和城乡建设部门统一建设管理，不涉及农村危房改造"),
    ("09", "辖区内无国有土地上房屋征收项目"),
    ("07", "本年度辖区内无征地项目"),
]
LOCAL = [("15", "民族文化", "民俗文化活动安排", ["活动名称", "时间地点", "参与方式"]),
         ("20", "临时救助", "乡镇临时救助备用金使用情况", ["救助对象", "救助金额", "审批时间"]),
         ("23", "特色产业", "特色种植业奖补资金发放情况", ["奖补对象", "奖补标准", "发放金额"]),
         ("12", "便民服务", "村级便民服务站点设置", ["站点名称", "服务内容", "联系方式"])]


def name_of(rng, n, suffix):
    return "".join(rng.choice(SYL) for _ in range(n)) + suffix


class Calendar:
    """Working days of YEAR and YEAR+1 from catalogs/calendar/, for O(1) 'N working days after'."""

    def __init__(self, years):
        import xml.etree.ElementTree as ET
        off, on = set(), set()
        for year in years:
            root = ET.parse(ROOT / "catalogs" / "calendar" / f"{year}.xml").getroot()
            for day in root.iter("{urn:gkml:calendar:1}day"):
                d = dt.date.fromisoformat(day.get("date"))
                (off if day.get("kind") == "holiday" else on).add(d)
        start = dt.date(years[0], 1, 1)
        self.start = start.toordinal()
        days = (dt.date(years[-1], 12, 31) - start).days + 1
        self.workdays = []
        for i in range(days):
            d = start + dt.timedelta(days=i)
            if d in on or (d.weekday() < 5 and d not in off):
                self.workdays.append(d.toordinal())
        self.iso = {o: dt.date.fromordinal(o).isoformat() for o in range(self.start, self.start + days)}

    def add_workdays(self, ordinal, n):
        """The n-th working day after the day `ordinal` (n >= 1)."""
        i = bisect.bisect_right(self.workdays, ordinal) + n - 1
        return self.workdays[min(i, len(self.workdays) - 1)]


# ---- the derived catalog text, split into pieces a unit keeps or changes ----

ITEM_RE = re.compile(r'^    <item id="([^"]+)"')


class Template:
    """The canonical text `gkml init` wrote for one level, as header, fields and item blocks (lists of lines)."""

    def __init__(self, text, code):
        lines = text.splitlines()
        self.code = code
        self.header, self.fields = [], []  # fields: (open line, [item blocks])
        i = 0
        while not lines[i].startswith("  <field "):
            self.header.append(lines[i])
            i += 1
        while lines[i].startswith("  <field "):
            fopen = lines[i]
            fcode = re.search(r'code="(\d\d)"', fopen).group(1)
            i += 1
            blocks = []
            while lines[i] != "  </field>":
                assert lines[i].startswith("    <item "), lines[i]
                j = lines.index("    </item>", i)
                blocks.append(lines[i:j + 1])
                i = j + 1
            self.fields.append((fcode, fopen, blocks))
            i += 1
        assert lines[i] == "</catalog>"
        self.info = {}
        for _, _, blocks in self.fields:
            for b in blocks:
                self.info[ITEM_RE.match(b[0]).group(1)] = item_info(b)

    def header_for(self, code, name):
        out = []
        for line in self.header:
            line = line.replace(f'id="unit-{self.code}"', f'id="unit-{code}"')
            line = line.replace(f'code="{self.code}"', f'code="{code}"').replace(PLACEHOLDER_NAME, name)
            line = line.replace("基层政务公开标准目录</title>", f"基层政务公开标准目录（{YEAR}年版）</title>")
            out.append(line)
        return out


def item_info(block):
    text = "\n".join(block)
    proactive = 'proactive="true"' in text
    rule = re.search(r"<clause[^>]*>\s*<(relative|immediate|standing|periodic|duration|lead-time|unparsed)([^>]*)>", text)
    kind, attrs = (rule.group(1), rule.group(2)) if rule else ("relative", "")
    n = re.search(r' n="(\d+)"', attrs)
    unit = re.search(r' unit="(\w+)"', attrs)
    limit = int(n.group(1)) if kind == "relative" and n and unit and unit.group(1) == "workday" else 20
    period = re.search(r' period="([\w-]+)"', attrs)
    channels = [c for c in re.findall(r'<channel code="([\w-]+)"', text) if c in LEDGER_CHANNELS] or ["website"]
    name = re.search(r"<name>(.*?)</name>", text).group(1)
    return {"proactive": proactive, "kind": kind, "limit": limit,
            "period": period.group(1) if period else None, "channels": channels, "name": name}


def hasty(block):
    """A clerk who filled the item in hastily: the last 要素 or the first channel left out."""
    elements = [k for k, l in enumerate(block) if l.startswith("        <element")]
    channels = [k for k, l in enumerate(block) if l.startswith("        <channel ")]
    drop = set()
    if len(elements) > 1:
        drop.add(elements[-1])
    if len(channels) > 1:
        drop.add(channels[0])
    return [l for k, l in enumerate(block) if k not in drop]


def local_item(n, fcode, anchor, category, name, elements, subject, level="township"):
    lines = [f'    <item id="L-{fcode}-{n}" levels="{level}" anchor="{anchor}">',
             f"      <category>{category}</category>", f"      <name>{name}</name>", "      <elements>"]
    lines += [f"        <element>{e}</element>" for e in elements]
    lines += ["      </elements>",
              '      <time-limit text="信息形成或者变更之日起20个工作日内">', "        <clause>",
              '          <relative n="20" unit="workday" anchor="formed-or-changed" />', "        </clause>",
              "      </time-limit>", f"      <subject>{subject}</subject>", "      <channels>",
              '        <channel code="website" required="true" />', '        <channel code="bulletin-board" />',
              "      </channels>", '      <audience public="true" />', '      <mode proactive="true" />', "    </item>"]
    return lines


def unit_catalog(tpl, code, name, level, rng):
    """The unit's own catalog text and the ids of the items it keeps (with the template's item info)."""
    gap = min(0.4, rng.expovariate(1 / 0.1))  # share of applicable items left out; most units are near-complete
    na = dict(rng.sample(NOT_APPLICABLE, k=1)) if rng.random() < 0.08 else {}
    locals_ = rng.sample(LOCAL, k=rng.randint(1, 2)) if level == "township" and rng.random() < 0.12 else []
    out = tpl.header_for(code, name)
    kept = []
    for fcode, fopen, blocks in tpl.fields:
        out.append(fopen)
        if fcode in na:
            out.append(f'    <not-applicable reason="{na[fcode]}" />')
            out.append("  </field>")
            continue
        for b in blocks:
            r = rng.random()
            if r < gap:
                continue
            out.extend(hasty(b) if r < gap * 1.5 else b)
            kept.append(ITEM_RE.match(b[0]).group(1))
        for n, (lf, category, iname, elements) in enumerate(locals_, 1):
            if lf == fcode:
                out.extend(local_item(n, fcode, fcode, category, iname, elements, f"{name}人民政府"))
        out.append("  </field>")
    out.append("</catalog>")
    return "\n".join(out) + "\n", kept, gap


PER_YEAR = {"month": 12, "quarter": 4, "half-year": 2, "year": 1}


def ledger_text(code, name, kept, info, gap, target, rng, cal):
    """About `target` records of YEAR: most on time, some late (many across 春节 and 国庆), some items silent."""
    y0 = dt.date(YEAR, 1, 1).toordinal()
    y1 = dt.date(YEAR, 12, 31).toordinal()
    holidays = (dt.date(YEAR, 1, 28).toordinal(), dt.date(YEAR, 10, 1).toordinal())
    diligence = 0.04 + gap
    live = [i for i in kept if info[i]["proactive"] and rng.random() >= diligence / 2]
    if not live:
        return None, 0
    # periodic items publish on their period; standing items once; the rest share what is left, unevenly
    plan = {}
    event = []
    for i in live:
        k = info[i]["kind"]
        if k == "periodic":
            plan[i] = PER_YEAR.get(info[i]["period"], 1)
        elif k == "standing":
            plan[i] = 1
        else:
            event.append(i)
            plan[i] = 1
    rest = max(0, target - sum(plan.values()))
    if event and rest:
        weights = [rng.paretovariate(1.5) for _ in event]
        for i in rng.choices(event, weights=weights, k=rest):
            plan[i] += 1
    records = []
    rand, randint = rng.random, rng.randint
    for i, count in plan.items():
        it = info[i]
        k, limit, channel = it["kind"], it["limit"], it["channels"][0]
        title = name + it["name"]
        if k == "periodic":
            formed = [y0 + int((j + 1) * 365 / count) - 10 for j in range(count)]
        else:
            formed = [y0 + 1 + int(rand() * 340) for _ in range(count)]
        for f in formed:
            f = cal.add_workdays(f - 1, 1)  # the first working day on or after
            near = (0 <= holidays[0] - f <= 10) or (0 <= holidays[1] - f <= 10)
            if k == "immediate":
                p = f
            elif rand() < diligence or (near and rand() < 0.5):
                p = cal.add_workdays(f, limit + randint(1, 12))
            else:
                p = cal.add_workdays(f, randint(1, max(1, limit - 2)))
            if p > y1:
                continue
            records.append((f, p, i, channel, title))
    records.sort()
    iso = cal.iso
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<ledger xmlns="urn:gkml:ledger:1" unit="{code}" from="{YEAR}-01-01" to="{YEAR}-12-31">']
    for n, (f, p, i, channel, title) in enumerate(records, 1):
        month = dt.date.fromordinal(f).month
        lines.append(f'  <record id="{code}-{YEAR}-{n:05d}" item="{i}" formed="{iso[f]}" published="{iso[p]}" '
                     f'channel="{channel}">\n    <title>{title}（{month}月第{n}号）</title>\n  </record>')
    lines.append("</ledger>")
    return "\n".join(lines) + "\n", len(records)


# ---- the units registry ----

def registry(n_town, n_county, rng):
    """Provinces → cities (≈10 counties each) → counties → townships, codes in the NBS layout:
    PPCCDD for counties, PPCCDD + TTT + 000 for townships (1xx 镇, 2xx 乡, 0xx 街道)."""
    n_city = max(1, math.ceil(n_county / 10))
    n_prov = max(1, math.ceil(n_city / 14))
    provinces = []
    for p in range(n_prov):
        pcode = f"{11 + p:02d}"  # 11 … : plausible, not any real province's contents
        provinces.append((pcode + "0000", name_of(rng, 2, "省")))
    cities, counties, towns = [], [], []
    for c in range(n_city):
        pcode = provinces[c % n_prov][0]
        ccode = f"{pcode[:2]}{c // n_prov + 1:02d}00"
        cities.append((ccode, name_of(rng, 2, "市"), pcode))
    for k in range(n_county):
        ccode, _, _ = cities[k % n_city]
        dcode = f"{ccode[:4]}{k // n_city + 1:02d}"
        counties.append((dcode, name_of(rng, 2, "县"), ccode))
    # townships spread unevenly over counties (a county has 5 to 30), in total exactly n_town
    weights = [rng.uniform(0.4, 1.6) for _ in counties]
    total = sum(weights)
    share = [max(1, int(n_town * w / total)) for w in weights]
    k = 0
    while sum(share) < n_town:
        share[k % n_county] += 1
        k += 1
    while sum(share) > n_town:
        if share[k % n_county] > 1:
            share[k % n_county] -= 1
        k += 1
    for (dcode, _, _), s in zip(counties, share):
        streets, towns_, xiang = 0, 0, 0
        for _ in range(s):
            r = rng.random()
            if r < 0.15 and streets < 99:
                streets += 1
                towns.append((f"{dcode}{streets:03d}000", name_of(rng, 2, "街道"), "subdistrict", dcode))
            elif r < 0.65 and towns_ < 99:
                towns.append((f"{dcode}{100 + towns_:03d}000", name_of(rng, 2, "镇"), "town", dcode))
                towns_ += 1
            else:
                towns.append((f"{dcode}{200 + xiang:03d}000", name_of(rng, 2, "乡"), "township", dcode))
                xiang += 1
    return provinces, cities, counties, towns


def units_xml(provinces, cities, counties, towns):
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<units xmlns="urn:gkml:units:1" source="gkml benchmark corpus (bench/gen_corpus.py): synthetic names, codes in the NBS layout">']
    lines += [f'  <unit code="{c}" name="{n}" level="province"/>' for c, n in provinces]
    lines += [f'  <unit code="{c}" name="{n}" level="city" parent="{p}"/>' for c, n, p in cities]
    lines += [f'  <unit code="{c}" name="{n}" level="county" parent="{p}"/>' for c, n, p in counties]
    lines += [f'  <unit code="{c}" name="{n}" level="township" type="{t}" parent="{p}"/>' for c, n, t, p in towns]
    lines.append("</units>")
    return "\n".join(lines) + "\n"


# ---- the diff / merge pair ----

def edit(tpl, rng, which, name):
    """A clerk's pass over the full county catalog: some items removed, renamed, an element added or dropped.
    `which` picks a disjoint share of the items (0 or 1) so the two passes merge cleanly."""
    out = tpl.header_for(tpl.code, name)
    n = 0
    for fcode, fopen, blocks in tpl.fields:
        out.append(fopen)
        for b in blocks:
            n += 1
            if n % 2 != which:
                out.extend(b)
                continue
            r = rng.random()
            if r < 0.06:
                continue  # removed
            if r < 0.14:
                b = [l.replace("</name>", "（含办理结果）</name>") if l.startswith("      <name>") else l for l in b]
            elif r < 0.22:
                b = hasty(b)
            elif r < 0.28:
                k = b.index("      </elements>")
                b = b[:k] + ["        <element>本地补充说明</element>"] + b[k:]
            out.extend(b)
        if which == 0 and fcode in ("20", "15"):
            out.extend(local_item(1, fcode, fcode, "本地事项", f"{name}自定事项{fcode}", ["事项名称", "办理时间"],
                                  f"{name}人民政府", "county"))
        out.append("  </field>")
    out.append("</catalog>")
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="/tmp/gkml-corpus")
    ap.add_argument("--units", type=int, default=2000, help="township-level units (province 2000; country 38600)")
    ap.add_argument("--counties", type=int, default=0, help="county-level units (default: units/14.3)")
    ap.add_argument("--records", type=int, default=2000, help="mean ledger records per unit and year")
    ap.add_argument("--seed", type=int, default=20250)
    ap.add_argument("--gkml", default=str(ROOT / "build" / "gkml"))
    ap.add_argument("--no-ledgers", action="store_true", help="catalogs and registry only")
    args = ap.parse_args()
    out = Path(args.out).resolve()
    if out == ROOT or ROOT in out.parents:
        sys.exit("gen_corpus.py: --out must be outside the repository (the corpus is regenerated, not committed)")
    gkml = Path(args.gkml)
    if not gkml.exists():
        sys.exit(f"gen_corpus.py: {gkml} not found: build gkml first (bash scripts/setup.sh build)")
    n_county = args.counties or max(1, round(args.units / 14.3))
    rng = random.Random(args.seed)
    if out.exists():
        shutil.rmtree(out)
    for sub in ("catalogs", "ledgers", "pair", "tmp"):
        (out / sub).mkdir(parents=True)

    provinces, cities, counties, towns = registry(args.units, n_county, rng)
    (out / "units.xml").write_text(units_xml(provinces, cities, counties, towns), encoding="utf-8")

    templates = {}
    for level, code in (("township", "999999999000"), ("county", "999999")):
        path = out / "tmp" / f"{level}.xml"
        subprocess.run([str(gkml), "init", "--standard", str(ROOT / "catalogs" / "standard"), "--unit", code,
                        "--level", level, "--name", PLACEHOLDER_NAME, "-o", str(path)],
                       check=True, stdout=subprocess.DEVNULL)
        templates[level] = Template(path.read_text(encoding="utf-8"), code)

    cal = Calendar([YEAR, YEAR + 1])
    units = [(c, n, "county") for c, n, _ in counties] + [(c, n, "township") for c, n, _, _ in towns]
    n_records = n_items = cat_bytes = led_bytes = 0
    for code, name, level in units:
        tpl = templates[level]
        text, kept, gap = unit_catalog(tpl, code, name, level, rng)
        data = text.encode()
        (out / "catalogs" / f"{code}.xml").write_bytes(data)
        cat_bytes += len(data)
        n_items += len(kept)
        if args.no_ledgers:
            continue
        target = max(100, int(rng.uniform(0.5, 1.5) * args.records))
        ledger, n = ledger_text(code, name, kept, tpl.info, gap, target, rng, cal)
        if ledger is None:
            continue
        data = ledger.encode()
        (out / "ledgers" / f"{code}-{YEAR}.xml").write_bytes(data)
        led_bytes += len(data)
        n_records += n

    # the diff / merge pair: the first county's full 26-field catalog and two clerks' disjoint edits
    ccode, cname, _ = counties[0]
    county = templates["county"]
    base = "\n".join(county.header_for(ccode, cname)) + "\n"
    for fcode, fopen, blocks in county.fields:
        base += fopen + "\n" + "".join("\n".join(b) + "\n" for b in blocks) + "  </field>\n"
    base += "</catalog>\n"
    (out / "pair" / "base.xml").write_text(base, encoding="utf-8")
    pair_tpl = Template(base, ccode)
    (out / "pair" / "ours.xml").write_text(edit(pair_tpl, random.Random(args.seed + 1), 0, cname), encoding="utf-8")
    (out / "pair" / "theirs.xml").write_text(edit(pair_tpl, random.Random(args.seed + 2), 1, cname), encoding="utf-8")
    shutil.rmtree(out / "tmp")

    manifest = (f"units: {len(provinces)} provinces, {len(cities)} cities, {len(counties)} counties, "
                f"{len(towns)} townships\n"
                f"catalogs: {len(units)} files, {n_items} items, {cat_bytes} bytes\n"
                f"ledgers: {n_records} records, {led_bytes} bytes\n"
                f"seed: {args.seed}, records per unit (mean): {args.records}\n")
    (out / "MANIFEST.txt").write_text(manifest, encoding="utf-8")
    print(f"{out}:\n{manifest}", end="")


if __name__ == "__main__":
    main()
