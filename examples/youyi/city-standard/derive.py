#!/usr/bin/python3
"""Derives the worked example's city standard from the national one, as a city derives its own:
the national items in force, two of them left out, two local items added. The result is gkml's
example, not the standard 双鸭山市 publishes.

usage: derive.py NATIONAL.csv CITY.csv   (NATIONAL.csv: gkml export --format csv catalogs/standard)
Then: gkml import CITY.csv --as-standard … (derive.sh does both).
"""
import csv
import sys

LEFT_OUT = {"18-018", "10-023"}  # the example city leaves these two inferred items out
ADDED = [  # the example city's own items (a 低保 sub-item, a local subsidy), in the national columns
    {"领域代码": "20", "一级事项": "最低生活保障", "二级事项": "低保边缘家庭认定结果",
     "公开内容（要素）": "认定对象\n认定条件\n认定结果", "公开依据": "【行政法规】《社会救助暂行办法》（文号：国务院令第649号）",
     "公开时限": "认定结果作出后10个工作日内", "公开主体": "县级人民政府民政部门、乡镇人民政府（街道办事处）",
     "公开渠道和载体": "■政府网站\n■公开查阅点\n■社区/企事业单位/村公示栏（电子屏）", "特定群体": "√", "主动": "√",
     "县级": "√", "乡级": "√", "备注": "gkml 示例：地方标准目录增设的事项"},
    {"领域代码": "21", "一级事项": "养老服务补贴", "二级事项": "高龄津贴发放",
     "公开内容（要素）": "发放对象\n发放标准\n发放结果", "公开依据": "【法律】《中华人民共和国老年人权益保障法》",
     "公开时限": "每季度", "公开主体": "县级人民政府民政部门、乡镇人民政府（街道办事处）",
     "公开渠道和载体": "■政府网站\n■公开查阅点\n■社区/企事业单位/村公示栏（电子屏）", "全社会": "√", "主动": "√",
     "县级": "√", "乡级": "√", "备注": "gkml 示例：地方标准目录增设的事项"},
]
META = {"标题": "双鸭山市基层政务公开标准目录（gkml 示例）",
        "说明": "gkml 的示例数据，不是双鸭山市发布的标准目录：据国家标准目录 gkml-standard 2019.1 派生，"
                "去掉停用事项和 18-018、10-023 两项，增设低保边缘家庭认定结果、高龄津贴发放两项，以示地方标准目录的常见做法"}


def main():
    with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    meta = [r for r in rows if r and r[0].startswith("#")]
    table = [r for r in rows if r and not r[0].startswith("#")]
    header, body = table[0], table[1:]
    col = {name: i for i, name in enumerate(header)}
    kept_meta = [r for r in meta if r[0] == "#领域"]
    out_meta = [["#" + k, v] for k, v in META.items()] + kept_meta
    out = []
    for r in body:
        if r[col["状态"]] or r[col["编号"]] in LEFT_OUT:
            continue
        r[col["来源"]] = r[col["备注"]] = ""  # gkml's research notes are not the city's
        out.append(r)
    for item in ADDED:  # after the last row of its field, without an id: the import gives it one
        row = [item.get(name, "") for name in header]
        last = max(i for i, r in enumerate(out) if r[col["领域代码"]] == item["领域代码"])
        out.insert(last + 1, row)
    with open(sys.argv[2], "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(out_meta + [header] + out)


if __name__ == "__main__":
    main()
