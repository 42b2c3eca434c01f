#!/usr/bin/env python3
"""Marks the standard items that are notice (通知公告类) or policy (政策文件类) website columns, the two
kinds 国办秘函〔2019〕19号 and the 普查 rules hold to a 6-month update, as `column-kind` on the item.

Run once after a standard changes (python3 scripts/column_kinds.py), review the diff, commit it: the
marks are data, read by coverage, never guessed per run. The rule below is their only source: a run
rewrites every mark, so a mark is changed by changing the rule. The rule, from each item's 一级/二级事项:
  policy  the name or category says 政策, 法规, 规范性文件, 部门文件 or 规章, and the name is not a
          consultation (咨询), an execution report (执行情况), a guide (指南) or an approval (审批);
          the items under a 政策文件 category (标准, 重大决策草案 …) too;
  notice  otherwise, a name with 公告 or 公示 (招标公告, 中标结果公示, 欠税公告 …).
No national item is a news column (动态要闻类); a unit marks its own items `news` where it keeps one.
"""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ITEM = re.compile(r'(<item id="[^"]+"[^>]*?)( column-kind="[a-z]+")?(\s*/?>)')
TEXT = re.compile(r"<(category|name)>([^<]*)</\1>")


def kind_of(category, name):
    if category == "政策文件":
        return "policy"
    if re.search("政策|法规|规范性文件|部门文件|规章", category + name) and not re.search("咨询|执行情况|指南|审批", name):
        return "policy"
    if re.search("公告|公示", name):
        return "notice"
    return None


def main():
    changed = 0
    for path in sorted((ROOT / "catalogs" / "standard").glob("*.xml")):
        text = path.read_text(encoding="utf-8")
        out, at = [], 0
        for m in ITEM.finditer(text):
            body_end = text.find("</item>", m.end())
            texts = dict(TEXT.findall(text[m.end():body_end]))
            kind = kind_of(texts.get("category", ""), texts.get("name", ""))
            out.append(text[at:m.start()] + m.group(1) + (f' column-kind="{kind}"' if kind else "") + m.group(3))
            at = m.end()
        new = "".join(out) + text[at:]
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed += 1
    print(f"column_kinds.py: {changed} standard files changed", file=sys.stderr)


if __name__ == "__main__":
    main()
