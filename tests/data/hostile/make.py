#!/usr/bin/env python3
"""Writes the small hostile workbooks of this folder (python3 tests/data/hostile/make.py). Deterministic:
no randomness, fixed zip timestamps. The large hostile pages are built by the tests themselves."""
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
STAMP = (2025, 1, 1, 0, 0, 0)

CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 '<Default Extension="xml" ContentType="application/xml"/></Types>')
WORKBOOK = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            '<sheet name="20 社会救助" sheetId="1" r:id="rId1"/></sheets></workbook>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/></Relationships>')
HEADER = ["序号", "一级事项", "二级事项", "公开内容（要素）", "公开时限"]


def sheet(rows, merges=()):
    out = ['<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
    for r, cells in enumerate(rows, 1):
        out.append(f'<row r="{r}">')
        for c, text in enumerate(cells):
            out.append(f'<c r="{chr(65 + c)}{r}" t="inlineStr"><is><t>{text}</t></is></c>')
        out.append("</row>")
    out.append("</sheetData>")
    if merges:
        out.append(f'<mergeCells count="{len(merges)}">' + "".join(f'<mergeCell ref="{m}"/>' for m in merges) + "</mergeCells>")
    out.append("</worksheet>")
    return "".join(out)


def workbook(name, sheet_xml, shared=None):
    with zipfile.ZipFile(HERE / name, "w", zipfile.ZIP_DEFLATED) as z:
        for part, text in (("[Content_Types].xml", CONTENT_TYPES), ("xl/workbook.xml", WORKBOOK),
                           ("xl/_rels/workbook.xml.rels", RELS), ("xl/worksheets/sheet1.xml", sheet_xml)) + \
                          ((("xl/sharedStrings.xml", shared),) if shared else ()):
            info = zipfile.ZipInfo(part, STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text)


ROWS = [HEADER, ["1", "最低生活保障", "办事指南", "申请条件", "20个工作日"]]
# One merge of 99 995 rows × 256 columns from a cell that has text.
workbook("merge-huge.xlsx", sheet(ROWS + [["一个合并单元格里的一段不短的文字，复制到每一格"]], ["A3:IV99999"]))
# Two hundred merges over the whole sheet.
workbook("merges-200.xlsx", sheet(ROWS + [["一个合并单元格里的一段不短的文字，复制到每一格"]], ["A3:IV99999"] * 200))
# A shared string whose <t> is nested 30 000 deep (the sheet uses it in A3).
deep = "<t>" * 30000 + "深" + "</t>" * 30000
shared = ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
          f"<si>{deep}</si></sst>")
workbook("deep-shared-string.xlsx", sheet(ROWS).replace("</sheetData>", '<row r="3"><c r="A3" t="s"><v>0</v></c></row></sheetData>'), shared)
# Control characters (U+0001, U+0008) and a NUL written as Excel escapes them, in a clerk's cell.
workbook("control-characters.xlsx", sheet([HEADER, ["1", "最低生活保障", "办事_x0001_指南_x0000_续", "申请_x0008_条件", "20个工作日"]]))
# Three million empty shared strings (15 MB unpacked, 15 KB packed): gigabytes once parsed into nodes.
workbook("shared-strings-3m.xlsx", sheet(ROWS), '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
         'spreadsheetml/2006/main">' + "<si/>" * 3_000_000 + "</sst>")
# The header row and nothing under it.
workbook("header-only.xlsx", sheet([HEADER]))
print("tests/data/hostile: workbooks written")
