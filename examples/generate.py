#!/usr/bin/env python3
"""Regenerates the worked county in examples/youyi/: 友谊县 (黑龙江省双鸭山市), its 13 township-level units
and five county departments, each unit's catalog derived from the standard with realistic variation,
and a year (2025) of disclosure ledgers.

Seeded: the same gkml binary gives the same files on every run. Usage:
    python3 examples/generate.py [--gkml build/gkml]
It calls `gkml init` to derive each catalog from catalogs/standard/, `gkml export`/`gkml import` for
the township whose catalog arrives as a web page and the one that arrives as a workbook, and
`gkml format` to write every catalog in canonical form.
"""
import argparse
import datetime as dt
import html
import random
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "examples" / "youyi"
SEED = 20251
YEAR = 2025
MIDYEAR = dt.date(YEAR, 6, 30)
NS = {"c": "urn:gkml:catalog:1", "cal": "urn:gkml:calendar:1"}
C = "{urn:gkml:catalog:1}"
ET.register_namespace("", NS["c"])

COUNTY = ("230522", "友谊县")
CITY = ("230500", "双鸭山市")
# NBS 2023 统计用区划代码 (../shared/reference/divisions.tsv).
TOWNSHIPS = [
    ("230522100000", "友谊镇"), ("230522101000", "兴隆镇"), ("230522102000", "龙山镇"), ("230522103000", "凤岗镇"),
    ("230522200000", "兴盛乡"), ("230522201000", "东建乡"), ("230522202000", "庆丰乡"), ("230522203000", "建设乡"),
    ("230522204000", "友邻乡"), ("230522205000", "新镇乡"), ("230522206000", "成富朝鲜族满族乡"),
    ("230522501000", "红兴隆管理局局直"), ("230522502000", "友谊农场"),
]
# County departments keep the county-level items of the fields they are responsible for.
DEPARTMENTS = [
    ("230522-mzj", "友谊县民政局", ["20", "21"]),
    ("230522-jyj", "友谊县教育局", ["24"]),
    ("230522-zjj", "友谊县住房和城乡建设局", ["09", "10", "11", "12"]),
    ("230522-rsj", "友谊县人力资源和社会保障局", ["18", "19"]),
    ("230522-yjj", "友谊县应急管理局", ["05", "06"]),
]
# How complete each township's catalog is: share of applicable items it left out.
PROFILE = {
    "友谊镇": 0.0, "兴隆镇": 0.05, "龙山镇": 0.08, "凤岗镇": 0.12, "兴盛乡": 0.25, "东建乡": 0.10,
    "庆丰乡": 0.18, "建设乡": 0.35, "友邻乡": 0.15, "新镇乡": 0.20, "成富朝鲜族满族乡": 0.06,
    "红兴隆管理局局直": 0.30, "友谊农场": 0.22,
    "友谊县民政局": 0.03, "友谊县教育局": 0.10, "友谊县住房和城乡建设局": 0.15, "友谊县人力资源和社会保障局": 0.05,
    "友谊县应急管理局": 0.08,
}
# 未涉及领域事项说明: fields a unit does not handle, with the reason it gives.
NOT_APPLICABLE = {
    "红兴隆管理局局直": {
        "16": "本单位为农垦管理机构直属单位，辖区无建档立卡贫困户，扶贫（乡村振兴）工作由县乡村振兴部门统一组织",
        "11": "辖区住房由农垦系统统一建设管理，不涉及农村危房改造",
    },
    "友谊农场": {
        "16": "友谊农场为国有农场，扶贫（乡村振兴）工作由北大荒农垦集团统一组织实施",
    },
}
LOCAL_ITEMS = {
    "友谊镇": [("20", "20-001", "临时救助", "镇级临时救助备用金使用情况", ["救助对象", "救助金额", "审批时间"])],
    "成富朝鲜族满族乡": [("15", None, "民族文化", "朝鲜族民俗文化活动安排", ["活动名称", "时间地点", "参与方式"])],
}
HTML_TOWNSHIP = "兴隆镇"      # its catalog is taken from the page it publishes
WORKBOOK_TOWNSHIP = "龙山镇"  # its catalog comes back from the workbook the clerk filled in
LEDGER_CHANNELS = {"website", "gazette", "weibo-wechat-app", "press-hearing", "radio-tv", "print", "reading-point",
                   "service-center", "service-station", "door-to-door", "bulletin-board", "targeted-push"}


def run(gkml, *args):
    subprocess.run([str(gkml), *map(str, args)], check=True, stdout=subprocess.DEVNULL)


class Calendar:
    """Working days from catalogs/calendar/: Monday–Friday, minus days off, plus 调休 working days."""

    def __init__(self, years):
        self.off, self.on = set(), set()
        for year in years:
            root = ET.parse(ROOT / "catalogs" / "calendar" / f"{year}.xml").getroot()
            for day in root.iter("{urn:gkml:calendar:1}day"):
                d = dt.date.fromisoformat(day.get("date"))
                (self.off if day.get("kind") == "holiday" else self.on).add(d)

    def workday(self, d):
        return d in self.on or (d.weekday() < 5 and d not in self.off)

    def add_workdays(self, d, n):
        while n > 0:
            d += dt.timedelta(days=1)
            n -= self.workday(d)
        return d


def units_xml():
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<units xmlns="urn:gkml:units:1" source="国家统计局2023年统计用区划代码；县直部门代码为县代码加部门简称">',
             f'  <unit code="{CITY[0]}" name="{CITY[1]}" level="city"/>',
             f'  <unit code="{COUNTY[0]}" name="{COUNTY[1]}" level="county" parent="{CITY[0]}"/>']
    for code, name, fields in DEPARTMENTS:
        lines.append(f'  <unit code="{code}" name="{name}" level="county" type="department" parent="{COUNTY[0]}">')
        lines += [f"    <field>{f}</field>" for f in fields]
        lines.append("  </unit>")
    for code, name in TOWNSHIPS:
        kind = "town" if name.endswith("镇") else "township" if "乡" in name[-2:] or name.endswith("乡") else "other"
        lines.append(f'  <unit code="{code}" name="{name}" level="township" type="{kind}" parent="{COUNTY[0]}"/>')
    lines.append("</units>")
    return "\n".join(lines) + "\n"


def items(root):
    for field in root.findall("c:field", NS):
        for item in field.findall("c:item", NS):
            yield field, item


def vary_catalog(path, name, rng, fields=None):
    """Takes the derived catalog at `path` and makes it the unit's own: gaps, not-applicable fields, local items."""
    tree = ET.parse(path)
    root = tree.getroot()
    root.find("c:meta/c:title", NS).text = f"{name}基层政务公开标准目录（{YEAR}年版）"
    for field in list(root.findall("c:field", NS)):
        if fields is not None and field.get("code") not in fields:
            root.remove(field)
    gap = PROFILE.get(name, 0.0)
    for field, item in list(items(root)):
        if rng.random() < gap:
            field.remove(item)
        elif rng.random() < gap / 2:
            # a clerk who filled the item in hastily: fewer 要素 or channels than the standard asks for
            elements = item.find("c:elements", NS)
            if len(elements) > 1:
                elements.remove(elements[-1])
            channels = item.find("c:channels", NS)
            if channels is not None and len(channels) > 1:
                channels.remove(channels[0])
    for code, reason in NOT_APPLICABLE.get(name, {}).items():
        field = root.find(f"c:field[@code='{code}']", NS)
        if field is not None:
            for item in field.findall("c:item", NS):
                field.remove(item)
            na = ET.Element(C + "not-applicable", {"reason": reason})
            field.insert(0, na)
    for n, (code, anchor, category, item_name, elements) in enumerate(LOCAL_ITEMS.get(name, []), 1):
        field = root.find(f"c:field[@code='{code}']", NS)
        if field is None:
            continue
        item = ET.SubElement(field, C + "item", {"id": f"L-{code}-{n}", "levels": "township",
                                                  "anchor": anchor or code})
        ET.SubElement(item, C + "category").text = category
        ET.SubElement(item, C + "name").text = item_name
        el = ET.SubElement(item, C + "elements")
        for e in elements:
            ET.SubElement(el, C + "element").text = e
        tl = ET.SubElement(item, C + "time-limit", {"text": "信息形成或者变更之日起20个工作日内"})
        ET.SubElement(ET.SubElement(tl, C + "clause"), C + "relative",
                      {"n": "20", "unit": "workday", "anchor": "formed-or-changed"})
        ET.SubElement(item, C + "subject").text = f"{name}人民政府" if not name.endswith("局直") else name
        ch = ET.SubElement(item, C + "channels")
        ET.SubElement(ch, C + "channel", {"code": "website", "required": "true"})
        ET.SubElement(ch, C + "channel", {"code": "bulletin-board"})
        ET.SubElement(item, C + "audience", {"public": "true"})
        ET.SubElement(item, C + "mode", {"proactive": "true"})
    tree.write(path, encoding="UTF-8", xml_declaration=True)


def thin_catalog(path, rng, share):
    """An earlier state of the same catalog: a share of its items not yet written in."""
    tree = ET.parse(path)
    for field, item in list(items(tree.getroot())):
        if rng.random() < share:
            field.remove(item)
    tree.write(path, encoding="UTF-8", xml_declaration=True)


def rule_of(item):
    clause = item.find("c:time-limit/c:clause", NS)
    if clause is None:
        return None
    return clause[0]


def ledger_records(code, name, catalog_path, rng, calendar):
    """A year of records: most on time, some late (many of them across 春节 and 国庆); a careless unit leaves
    some items without any disclosure (空白) and stops updating some in spring (应更新未更新)."""
    root = ET.parse(catalog_path).getroot()
    holidays = [dt.date(YEAR, 1, 28), dt.date(YEAR, 10, 1)]
    diligence = 0.04 + PROFILE.get(name, 0.1)  # how often this unit is late
    silence = PROFILE.get(name, 0.1) * 0.2      # share of its items it never publishes
    neglect = PROFILE.get(name, 0.1) / 3        # share of its items it stops updating after May
    records = []
    for field, item in items(root):
        mode = item.find("c:mode", NS)
        if item.find("c:not-applicable", NS) is not None or mode is None or mode.get("proactive") != "true":
            continue
        if rng.random() < silence:
            continue  # never published
        rule = rule_of(item)
        channels = [c.get("code") for c in item.findall("c:channels/c:channel", NS) if c.get("code") in LEDGER_CHANNELS]
        channel = channels[0] if channels else "website"
        kind = rule.tag.replace(C, "") if rule is not None else "relative"
        if kind == "periodic":
            per_year = {"month": 12, "quarter": 4, "half-year": 2, "year": 1}[rule.get("period")] * int(rule.get("count", "1"))
            formed = [dt.date(YEAR, 1, 1) + dt.timedelta(days=int((i + 1) * 365 / per_year) - 10) for i in range(per_year)]
        else:
            # events (or, for a standing item, revisions) through the year, the last of them in the second
            # half; a neglected item's end in May
            count = rng.randint(1, 3) if kind == "standing" else rng.randint(2, 5)
            if rng.random() < neglect:
                days = [rng.randrange(0, 150) for _ in range(count)]
            else:
                days = [rng.randrange(0, 340) for _ in range(count - 1)] + [rng.randrange(190, 320)]
            formed = sorted(dt.date(YEAR, 1, 2) + dt.timedelta(days=d) for d in days)
        limit = int(rule.get("n")) if rule is not None and kind == "relative" and rule.get("unit") == "workday" else 20
        for f in formed:
            if not calendar.workday(f):
                f = calendar.add_workdays(f, 1)
            near_holiday = any(0 <= (h - f).days <= 10 for h in holidays)
            if kind == "immediate":
                published = f
            elif rng.random() < diligence or (near_holiday and rng.random() < 0.5):
                published = calendar.add_workdays(f, limit + rng.randint(1, 12))  # late
            else:
                published = calendar.add_workdays(f, rng.randint(1, max(1, limit - 2)))
            if published.year > YEAR:
                continue
            title = f"{name}{item.find('c:name', NS).text}（{f.month}月）"
            records.append((f, published, item.get("id"), channel, title))
    return sorted(records)


def ledger_xml(code, records, until):
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<ledger xmlns="urn:gkml:ledger:1" unit="{code}" from="{YEAR}-01-01" to="{until}">']
    for n, (f, published, item, channel, title) in enumerate(records, 1):
        lines.append(f'  <record id="{code}-{YEAR}-{n:04d}" item="{item}" formed="{f}" published="{published}" '
                     f'channel="{channel}">')
        lines.append(f"    <title>{html.escape(title, quote=False)}</title>")
        lines.append("  </record>")
    lines.append("</ledger>")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gkml", default=str(ROOT / "build" / "gkml"))
    args = parser.parse_args()
    gkml = Path(args.gkml)
    if not gkml.exists():
        sys.exit(f"generate.py: {gkml} not found: build gkml first (bash scripts/setup.sh)")
    rng = random.Random(SEED)
    calendar = Calendar([YEAR, YEAR + 1])
    if OUT.exists():
        shutil.rmtree(OUT)
    for sub in ("catalogs", "ledgers", "sources", "2025-06/catalogs", "2025-06/ledgers"):
        (OUT / sub).mkdir(parents=True)
    (OUT / "units.xml").write_text(units_xml(), encoding="utf-8")
    standard = ROOT / "catalogs" / "standard"

    units = [(code, name, "township", None) for code, name in TOWNSHIPS]
    units += [(code, name, "county", fields) for code, name, fields in DEPARTMENTS]
    for code, name, level, fields in units:
        catalog = OUT / "catalogs" / f"{code}.xml"
        run(gkml, "init", "--standard", standard, "--unit", code, "--level", level,
            "--units", OUT / "units.xml", "-o", catalog)
        vary_catalog(catalog, name, rng, fields)
        run(gkml, "format", catalog)
        if name == WORKBOOK_TOWNSHIP:
            workbook = OUT / "sources" / f"{code}.xlsx"
            run(gkml, "export", "--format", "xlsx", catalog, "-o", workbook)
            run(gkml, "import", "--from", "xlsx", "--standard", standard, "--unit", code, workbook, "-o", catalog)
        if name == HTML_TOWNSHIP:
            page = OUT / "sources" / f"{code}.html"
            run(gkml, "export", "--format", "html", catalog, "-o", page)
            run(gkml, "import", "--from", "html", "--standard", standard, "--unit", code, page, "-o", catalog)
        records = ledger_records(code, name, catalog, rng, calendar)
        (OUT / "ledgers" / f"{code}-{YEAR}.xml").write_text(ledger_xml(code, records, f"{YEAR}-12-31"), encoding="utf-8")
        # The mid-year self-check (年中自查): the catalog before the clerk's second pass, records so far.
        midyear = OUT / "2025-06" / "catalogs" / f"{code}.xml"
        shutil.copy(catalog, midyear)
        thin_catalog(midyear, rng, 0.12)
        run(gkml, "format", midyear)
        half = [r for r in records if r[1] <= MIDYEAR]
        (OUT / "2025-06" / "ledgers" / f"{code}-{YEAR}-06.xml").write_text(ledger_xml(code, half, str(MIDYEAR)),
                                                                          encoding="utf-8")
    print(f"examples/youyi: {len(units)} units, catalogs and {YEAR} ledgers written")


if __name__ == "__main__":
    main()
