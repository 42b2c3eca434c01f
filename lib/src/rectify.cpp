#include "gkml/rectify.hpp"

#include <fmt/format.h>
#include <xlsxwriter.h>

#include <array>
#include <memory>

#include "gkml/files.hpp"
#include "gkml/text.hpp"

namespace gkml {

namespace {

std::string joined(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : "、") + p;
    return out;
}

Finding of_item(FindingKind kind, const ItemRef& item, std::string problem, std::string action) {
    return Finding{kind, item.id, item.category, item.name, std::move(problem), std::move(action)};
}

// The columns of the sheet and the notice: the office's, then the unit's to fill in.
constexpr std::array<std::string_view, 11> columns{"序号", "问题类别", "事项编号", "一级事项", "二级事项", "问题说明",
                                                  "整改要求",  "整改期限", "整改措施", "完成时限", "责任人"};
constexpr std::array<double, 11> widths{5, 12, 14, 16, 22, 40, 30, 11, 30, 11, 10};
constexpr std::array<int, 11> html_widths{4, 7, 6, 9, 11, 19, 14, 8, 11, 6, 5};  // per cent of an A4 landscape line
constexpr std::size_t first_open_column = 8;

std::vector<std::string> cells_of(const Finding& f, std::size_t seq, const RectifyList& list) {
    return {std::to_string(seq), std::string(label_zh(f.kind)), f.item, f.category, f.name, f.problem, f.action,
            f.kind == FindingKind::to_verify ? "" : format_date(list.due), "", "", ""};
}

// A sheet name Excel takes: no []:*?/\, at most 31 characters.
std::string sheet_name(const RectifyList& list) {
    std::string name;
    for (char c : list.code + " " + list.name)
        if (std::string_view("[]:*?/\\").find(c) == std::string_view::npos) name += c;
    std::string out;
    int chars = 0;
    for (std::size_t i = 0; i < name.size() && chars < 31; ++chars) {
        auto c = static_cast<unsigned char>(name[i]);
        std::size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        out += name.substr(i, n);
        i += n;
    }
    return out;
}

struct WorkbookClose {
    void operator()(lxw_workbook* w) const { workbook_close(w); }
};

std::string intro(const RectifyList& list, const RectifyHeading& heading) {
    return fmt::format("{}（{}）：统计期间 {}，判断日 {}。{}。共 {} 项问题，请于 {} 前完成整改，填写整改措施、完成时限和责任人后报送。",
                       list.name, list.code, heading.period, format_date(list.judged_on), heading.standard, list.findings.size(),
                       format_date(list.due));
}

}  // namespace

std::string_view label_zh(FindingKind kind) {
    constexpr std::array<std::string_view, 6> labels{"缺失事项", "要素渠道不全", "空白栏目", "应更新未更新", "逾期公开", "待核实"};
    return labels[static_cast<std::size_t>(kind)];
}

RectifyList rectify_list(const UnitCoverage& unit, Date due) {
    RectifyList out{unit.code, unit.name, unit.level, unit.judged_on, due, {}};
    auto& f = out.findings;
    for (const auto& i : unit.missing)
        f.push_back(of_item(FindingKind::missing, i, "本单位目录中没有这一标准事项",
                            "补列该事项；确不适用的，写明理由"));
    for (std::size_t k = 0; k < unit.incomplete.size(); ++k) {
        std::string problem;
        if (k < unit.lacking.size()) {
            const auto& lacks = unit.lacking[k];
            if (!lacks.elements.empty()) problem += "缺少标准要求的要素：" + joined(lacks.elements);
            if (!lacks.channels.empty()) problem += (problem.empty() ? "" : "；") + ("缺少必选公开渠道：" + joined(lacks.channels));
        }
        if (problem.empty()) problem = "缺少标准要求的要素或必选公开渠道";
        f.push_back(of_item(FindingKind::incomplete, unit.incomplete[k], std::move(problem), "按标准目录补齐要素和公开渠道"));
    }
    for (const auto& i : unit.blank)
        f.push_back(of_item(FindingKind::blank, i, "截至 " + format_date(unit.judged_on) + " 没有公开记录（空白栏目）",
                            "按公开时限公开这一事项的信息"));
    for (const auto& n : unit.not_updated)
        f.push_back(of_item(FindingKind::not_updated, n.item,
                            fmt::format("最近一次公开在 {}，应有 {} 以后的公开（{}）", format_date(n.newest), format_date(n.since),
                                        label_zh(n.rule)),
                            "更新这一栏目，此后按更新要求定期公开"));
    for (const auto& l : unit.late) {
        auto days = (std::chrono::sys_days(l.published) - std::chrono::sys_days(l.due)).count();
        f.push_back(Finding{FindingKind::late, l.item, "", l.name,
                            fmt::format("信息形成于 {}，应于 {} 前公开，{} 才公开（逾期 {} 天）", format_date(l.formed),
                                        format_date(l.due), format_date(l.published), days),
                            "查明逾期原因，此后按公开时限公开"});
    }
    for (const auto& i : unit.to_verify)
        f.push_back(of_item(FindingKind::to_verify, i, "标准中的推定事项（未见已公开的目录），本单位目录中没有；不计入覆盖率",
                            "核实本单位是否有这一公开内容；有的，在目录中补列"));
    return out;
}

std::expected<std::string, Error> rectify_to_xlsx(const std::vector<RectifyList>& lists, const RectifyHeading& heading,
                                                  const std::filesystem::path& scratch_folder) {
    auto temp = scratch_file(scratch_folder, ".gkml-xlsx-", ".xlsx");
    if (!temp) return std::unexpected(temp.error());
    const char* path = temp->path.c_str();
    {
        std::unique_ptr<lxw_workbook, WorkbookClose> wb(workbook_new(path));
        if (!wb) return std::unexpected(Error{ErrorKind::io, "无法开始写工作簿 / cannot start the workbook", path, 0});
        lxw_doc_properties properties{};
        std::string title = heading.title;
        properties.title = title.data();
        properties.created = 1546300800;  // fixed: the same findings give the same bytes
        workbook_set_properties(wb.get(), &properties);
        auto* head = workbook_add_format(wb.get());
        format_set_bold(head);
        format_set_border(head, LXW_BORDER_THIN);
        format_set_text_wrap(head);
        format_set_align(head, LXW_ALIGN_CENTER);
        format_set_align(head, LXW_ALIGN_VERTICAL_CENTER);
        format_set_bg_color(head, 0xE8E8E8);
        auto* banner = workbook_add_format(wb.get());
        format_set_bold(banner);
        format_set_font_size(banner, 14);
        auto* note = workbook_add_format(wb.get());
        format_set_text_wrap(note);
        format_set_align(note, LXW_ALIGN_VERTICAL_TOP);
        auto* cell = workbook_add_format(wb.get());
        format_set_border(cell, LXW_BORDER_THIN);
        format_set_text_wrap(cell);
        format_set_align(cell, LXW_ALIGN_VERTICAL_TOP);
        auto* open = workbook_add_format(wb.get());  // the unit's columns: shaded, to fill in
        format_set_border(open, LXW_BORDER_THIN);
        format_set_text_wrap(open);
        format_set_align(open, LXW_ALIGN_VERTICAL_TOP);
        format_set_bg_color(open, 0xFFF8DC);
        for (const auto& list : lists) {
            auto name = sheet_name(list);
            auto* ws = workbook_add_worksheet(wb.get(), name.c_str());
            if (!ws) return std::unexpected(Error{ErrorKind::invalid_input, "工作表名称重复或无效：" + name + " / bad sheet name", path, 0});
            for (std::size_t c = 0; c < columns.size(); ++c) worksheet_set_column(ws, lxw_col_t(c), lxw_col_t(c), widths[c], nullptr);
            worksheet_merge_range(ws, 0, 0, 0, lxw_col_t(columns.size() - 1), (heading.title + "（" + list.name + "）").c_str(), banner);
            worksheet_merge_range(ws, 1, 0, 1, lxw_col_t(columns.size() - 1), intro(list, heading).c_str(), note);
            worksheet_set_row(ws, 1, 45, nullptr);
            for (std::size_t c = 0; c < columns.size(); ++c)
                worksheet_write_string(ws, 2, lxw_col_t(c), std::string(columns[c]).c_str(), head);
            lxw_row_t row = 3;
            std::size_t seq = 0;
            for (const auto& f : list.findings) {
                auto cells = cells_of(f, ++seq, list);
                for (std::size_t c = 0; c < cells.size(); ++c)
                    worksheet_write_string(ws, row, lxw_col_t(c), cells[c].c_str(), c >= first_open_column ? open : cell);
                ++row;
            }
            worksheet_freeze_panes(ws, 3, 0);
            worksheet_set_landscape(ws);
            worksheet_set_paper(ws, 9);  // A4
            worksheet_repeat_rows(ws, 2, 2);
            worksheet_fit_to_pages(ws, 1, 0);
            worksheet_print_area(ws, 0, 0, row > 3 ? row - 1 : 3, lxw_col_t(columns.size() - 1));
            worksheet_set_footer(ws, "&C第 &P 页，共 &N 页");
        }
        if (lists.empty()) workbook_add_worksheet(wb.get(), "无问题");
        if (auto status = workbook_close(wb.release()); status != LXW_NO_ERROR)
            return std::unexpected(Error{ErrorKind::io, std::string("cannot write the workbook: ") + lxw_strerror(status), path, 0});
    }
    return read_file(temp->path);
}

std::string rectify_to_html(const std::vector<RectifyList>& lists, const RectifyHeading& heading) {
    std::string html = "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>" + escape_html(heading.title) +
                       "</title><style>"
                       "@page{size:A4 landscape;margin:12mm 10mm 14mm}"
                       "body{font-family:\"SimSun\",\"Songti SC\",\"Noto Serif CJK SC\",serif;font-size:10.5pt;margin:0 auto;max-width:277mm}"
                       "h1{font-family:\"SimHei\",\"Noto Sans CJK SC\",sans-serif;font-size:16pt;text-align:center;margin:0 0 4mm}"
                       "section.notice{break-before:page;page-break-before:always}section.notice:first-of-type{break-before:auto;page-break-before:auto}"
                       "p.intro{text-indent:2em;line-height:1.6}p.unit{font-weight:bold;margin:0}"
                       "table{table-layout:fixed}"
                       "table{border-collapse:collapse;width:100%}th,td{border:1px solid #000;padding:2px 4px;vertical-align:top}"
                       "th{background:#e8e8e8;white-space:nowrap}thead{display:table-header-group}tr{break-inside:avoid;page-break-inside:avoid}"
                       "td.n{text-align:center;white-space:nowrap}td.fill{min-width:6em}"
                       "p.sign{text-align:right;margin-top:8mm;line-height:1.8}"
                       "</style></head><body>\n";
    for (const auto& list : lists) {
        html += "<section class=\"notice\" id=\"u-" + escape_html(list.code) + "\"><h1>" + escape_html(heading.title) + "</h1>";
        html += "<p class=\"unit\">整改单位：" + escape_html(list.name) + "（" + escape_html(list.code) + "）</p>";
        html += "<p class=\"intro\">" + escape_html(intro(list, heading)) + "</p>";
        html += "<table><colgroup>";
        for (auto w : html_widths) html += "<col style=\"width:" + std::to_string(w) + "%\">";
        html += "</colgroup><thead><tr>";
        for (auto c : columns) html += "<th>" + std::string(c) + "</th>";
        html += "</tr></thead><tbody>";
        std::size_t seq = 0;
        for (const auto& f : list.findings) {
            auto cells = cells_of(f, ++seq, list);
            html += "<tr>";
            for (std::size_t c = 0; c < cells.size(); ++c) {
                const char* cls = c == 0 || c == 2 || c == 7 ? " class=\"n\"" : c >= first_open_column ? " class=\"fill\"" : "";
                html += std::string("<td") + cls + ">" + escape_html(cells[c]) + "</td>";
            }
            html += "</tr>";
        }
        if (list.findings.empty()) html += "<tr><td colspan=\"11\">没有需要整改的问题。</td></tr>";
        html += "</tbody></table>";
        html += "<p class=\"sign\">" + escape_html(heading.issuer) + "<br>" + format_date(heading.issued) + "</p></section>\n";
    }
    return html + "</body></html>\n";
}

}  // namespace gkml
