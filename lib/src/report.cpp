#include "gkml/report.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <functional>
#include <map>
#include <sstream>

#include "gkml/calendar.hpp"
#include "gkml/text.hpp"
#include "spool.hpp"

namespace gkml {

namespace {

std::string fraction(const Ratio& r) { return r.den ? fmt::format("{}/{}", r.num, r.den) : ""; }

// Red (0) through amber to green (1); grey where nothing was judged.
std::string colour(std::optional<double> good) {
    if (!good) return "#e8e8e8";
    return fmt::format("hsl({:.0f},62%,{:.0f}%)", *good * 120.0, 78.0 - *good * 8.0);
}

std::string colour(const Ratio& r) { return colour(r.value()); }

// A rate as a percentage; blank and not-updated items as the count an inspection counts, red as the
// count nears its veto line.
std::string figure_cell(const Ratio& r, const FigureInfo& figure) {
    if (figure.higher_is_better || !r.den)
        return fmt::format(R"(<td class="num" style="background:{}" title="{}">{}</td>)", colour(r), fraction(r), percent(r));
    double line = figure.ratio == &Figures::blank ? veto_blank : veto_not_updated;
    return fmt::format(R"(<td class="num" style="background:{}" title="{}">{}</td>)", colour(std::max(0.0, 1.0 - r.num / line)),
                       fraction(r), r.num);
}

// One sentence per figure: the legend under the summary table.
std::string legend(int stale_days) {
    return fmt::format(R"(<dl class="legend">
<dt>目录覆盖</dt><dd>本单位层级适用的标准事项中，目录已列入的比例；说明理由的“不适用”事项和领域不计入分母。</dd>
<dt>要素完整</dt><dd>已列入事项中，标准标为必选（●）的公开要素被列出的比例（标准未标必选时计全部要素）。</dd>
<dt>渠道齐全</dt><dd>已列入事项中，标准标为必选（■）的公开渠道被勾选的比例。</dd>
<dt>空白栏目</dt><dd>主动公开的已列入事项中，台账里截至判断日没有任何一条公开记录的事项个数（分母为主动公开事项数）；达到 {} 个即有单项否决风险。</dd>
<dt>应更新未更新</dt><dd>有公开记录、且有更新要求（栏目类别、定期公开或可解析的公开时限）的主动公开事项中，最近一次公开早于要求的事项个数：动态要闻类 2 周内、通知公告类和政策文件类 6 个月内须有更新，定期公开的事项须在上一个期限之后有新的公开，其他事项 {} 天内；其中动态要闻、通知公告、政策文件类达到 {} 个，或全部达到 {} 个，即有单项否决风险。</dd>
<dt>按时公开</dt><dd>统计期内形成的信息中，在公开时限（按国务院办公厅节假日安排的工作日计算）之内公开的记录比例。</dd>
<dt>判断日</dt><dd>统计期末；台账只到更早的日子（如年中自查）时，按台账截至的那一天判断空白栏目和应更新未更新。</dd>
<dt>单项否决风险</dt><dd>按《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）“栏目不更新”“空白栏目”的否决线（超过（含）5 个或 10 个）判断，提示该单位若受检将被判为不合格。</dd>
</dl>)",
                       veto_blank, stale_days, veto_short_cycle, veto_not_updated);
}

constexpr std::string_view style = R"(
:root{--ink:#1d2733;--line:#c9d1db;--muted:#5b6675;--accent:#b2202a}
*{box-sizing:border-box}
body{margin:0;padding:24px 32px;color:var(--ink);font:14px/1.55 "Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif;background:#fff}
h1{font-size:24px;margin:0 0 4px;color:var(--accent)}h2{font-size:19px;margin:32px 0 10px;border-bottom:2px solid var(--accent);padding-bottom:4px}
h3{font-size:16px;margin:24px 0 8px}.muted{color:var(--muted)}
table{border-collapse:collapse;margin:6px 0 14px}th,td{border:1px solid var(--line);padding:3px 7px;vertical-align:top}
th{background:#f1f4f7;font-weight:600}td.num{text-align:right;white-space:nowrap}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:14px 0}.card{border:1px solid var(--line);border-radius:6px;padding:8px 14px;min-width:130px}
.card b{display:block;font-size:22px}.heat td{width:44px;text-align:center;font-size:12px;padding:3px 2px}
.heat th.f{writing-mode:vertical-rl;font-size:12px;font-weight:500;height:120px;padding:4px 2px}
.heat td.na{background:#e8e8e8;color:#888}svg.units,svg.trend{max-width:100%;height:auto}
.charts{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}.charts figure{margin:0;flex:1 1 480px;max-width:800px}.unit{page-break-inside:avoid}
ul.items{margin:4px 0 10px;padding-left:22px}ul.items li{margin:1px 0}
nav a{margin-right:10px;white-space:nowrap}.veto{color:var(--accent)}.card.veto b{color:var(--accent)}
.summary td:nth-child(3){white-space:nowrap}dl.legend{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;font-size:13px;margin:4px 0 14px}dl.legend dt{font-weight:600}dl.legend dd{margin:0}
.print-only{display:none}
@page{size:A4 landscape;margin:10mm 10mm 12mm;@bottom-center{content:"第 " counter(page) " 页，共 " counter(pages) " 页";font-size:9px;color:#5b6675}}
@media print{body{padding:0;font-size:10px;line-height:1.4}nav,.noprint,.screen-only{display:none}.print-only{display:revert}
header.cover{break-after:page;padding-top:45mm;text-align:center}header.cover h1{font-size:28px}header.cover .cards{justify-content:center;margin-top:18mm}
header.cover p.issuer{margin-top:25mm;font-size:14px}
h2{break-before:page;margin-top:0}h2.first{break-before:avoid}h2#units{display:none}
.charts{flex-wrap:nowrap}.charts figure{flex:1 1 50%}
.summary{font-size:10px}.summary th,.summary td{padding:1px 4px}dl.legend{font-size:9px}
.heat{font-size:9px}.heat th{white-space:nowrap;padding:1px 4px}.heat td{width:auto;min-width:30px;font-size:9px;padding:1px}
.heat th.f{writing-mode:horizontal-tb;height:auto;padding:1px}.heat th.f .fname{display:none}
section.unit{break-before:page;page-break-inside:auto;font-size:9px;line-height:1.35}section.unit h3{margin:0 0 2px}
section.unit p{margin:3px 0 1px}section.unit table{font-size:9px;margin:2px 0 4px}
section.unit th,section.unit td{padding:1px 4px}
ul.items{padding:0;margin:0 0 6px}ul.items li{display:inline}ul.items li::after{content:"；"}ul.items li:last-child::after{content:""}}
)";

}  // namespace

std::string_view report_style() { return style; }

namespace {

// What the page shows of a unit outside its own section: its summary row, heat-map row and bar.
struct UnitLine {
    std::string code, name;
    Level level = Level::township;
    Figures figures;
    std::size_t missing = 0, to_verify = 0, late = 0;
    std::string veto;                                   // veto_reasons
    std::vector<std::pair<std::string, Ratio>> fields;  // catalog coverage by field code
};

UnitLine line_of(const UnitCoverage& u) {
    UnitLine line{u.code, u.name, u.level, u.figures, u.missing.size(), u.to_verify.size(), u.late.size(), veto_reasons(u), {}};
    for (const auto& ff : u.fields) line.fields.emplace_back(ff.code, ff.figures.catalog);
    return line;
}

std::string trend_svg(const std::vector<TrendPoint>& trend) {
    const int width = 760, height = 260, left = 44, right = 150, top = 16, bottom = 40;
    const int plot_w = width - left - right, plot_h = height - top - bottom;
    static constexpr std::string_view colours[] = {"#b2202a", "#d9822b", "#2b7bb9", "#3a9a5b", "#7a4fb0"};
    std::string svg = fmt::format(
        R"(<svg class="trend" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="{}" height="{}" role="img" aria-label="各项指标随快照变化">)",
        width, height, width, height);
    for (int p = 0; p <= 100; p += 25) {
        double y = top + plot_h * (1.0 - p / 100.0);
        svg += fmt::format(R"(<line x1="{}" y1="{:.1f}" x2="{}" y2="{:.1f}" stroke="#dde3ea"/>)", left, y, left + plot_w, y);
        svg += fmt::format(R"(<text x="{}" y="{:.1f}" font-size="11" text-anchor="end" fill="#5b6675">{}%</text>)",
                           left - 6, y + 4, p);
    }
    auto x_of = [&](std::size_t i) {
        return trend.size() < 2 ? left + plot_w / 2.0 : left + plot_w * static_cast<double>(i) / static_cast<double>(trend.size() - 1);
    };
    for (std::size_t i = 0; i < trend.size(); ++i)
        svg += fmt::format(R"(<text x="{:.1f}" y="{}" font-size="11" text-anchor="middle" fill="#5b6675">{}</text>)",
                           x_of(i), height - bottom + 18, escape_html(trend[i].label));
    std::vector<const FigureInfo*> rates;  // the figures where higher is better share one 0–100 % axis
    for (const auto& figure : figure_info)
        if (figure.higher_is_better) rates.push_back(&figure);
    for (std::size_t s = 0; s < rates.size(); ++s) {
        std::string points;
        for (std::size_t i = 0; i < trend.size(); ++i) {
            auto v = (trend[i].figures.*rates[s]->ratio).value();
            if (!v) continue;
            double y = top + plot_h * (1.0 - *v);
            points += fmt::format("{:.1f},{:.1f} ", x_of(i), y);
            svg += fmt::format(R"(<circle cx="{:.1f}" cy="{:.1f}" r="3" fill="{}"/>)", x_of(i), y, colours[s]);
        }
        if (!points.empty())
            svg += fmt::format(R"(<polyline fill="none" stroke="{}" stroke-width="2" points="{}"/>)", colours[s], points);
        double ly = top + 14 + 20.0 * static_cast<double>(s);
        svg += fmt::format(R"(<rect x="{}" y="{:.1f}" width="12" height="12" fill="{}"/>)", left + plot_w + 16, ly - 10, colours[s]);
        svg += fmt::format(R"(<text x="{}" y="{:.1f}" font-size="12" fill="#1d2733">{}</text>)", left + plot_w + 34, ly,
                           rates[s]->name_zh);
    }
    return svg + "</svg>";
}

// A bar per unit, best first: its catalog coverage, the county's rate as a dashed line; bars under the
// county's rate dark, the others light, and every value written out, so that grey print reads alike.
std::string units_svg(const std::vector<const UnitLine*>& worst_first, std::optional<double> county) {
    const int label_w = 190, bar_w = 520, row_h = 17, top = 22, width = label_w + bar_w + 70;
    const int height = top + row_h * static_cast<int>(worst_first.size()) + 10;
    std::string svg = fmt::format(
        R"(<svg class="units" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="{}" height="{}" role="img" aria-label="各单位目录覆盖率与全县比">)",
        width, height, width, height);
    for (int p = 0; p <= 100; p += 25)
        svg += fmt::format(R"(<text x="{:.1f}" y="12" font-size="10" text-anchor="middle" fill="#5b6675">{}%</text>)",
                           label_w + bar_w * p / 100.0, p);
    int row = 0;
    for (auto it = worst_first.rbegin(); it != worst_first.rend(); ++it, ++row) {
        const auto& u = **it;
        auto v = u.figures.catalog.value();
        double y = top + row_h * row;
        svg += fmt::format(R"(<text x="{}" y="{:.1f}" font-size="11" text-anchor="end" fill="#1d2733">{}</text>)", label_w - 6,
                           y + 12, escape_html(u.name));
        if (!v) continue;
        bool under = county && *v < *county;
        svg += fmt::format(R"(<rect x="{}" y="{:.1f}" width="{:.1f}" height="{}" fill="{}" stroke="#333" stroke-width="0.5"/>)", label_w,
                           y + 2, bar_w * *v, row_h - 5, under ? "#555" : "#c8c8c8");
        svg += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" font-size="10" fill="#1d2733">{}</text>)", label_w + bar_w * *v + 4, y + 12,
                           percent(u.figures.catalog));
    }
    if (county) {
        double x = label_w + bar_w * *county;
        svg += fmt::format(R"(<line x1="{:.1f}" y1="{}" x2="{:.1f}" y2="{}" stroke="#b2202a" stroke-width="1.5" stroke-dasharray="5 3"/>)", x,
                           top - 4, x, height - 6);
        svg += fmt::format(R"(<text x="{:.1f}" y="{}" font-size="10" fill="#b2202a">全县 {:.1f}%</text>)", x + 4, top - 8 + 2,
                           *county * 100);
    }
    return svg + "</svg>";
}

std::string item_list(const std::vector<ItemRef>& items) {
    std::string out = R"(<ul class="items">)";
    for (const auto& i : items)
        out += fmt::format("<li><code>{}</code> {} · {}</li>", escape_html(i.id), escape_html(i.category), escape_html(i.name));
    return out + "</ul>";
}

std::string level_zh(Level level) { return std::string(label_zh(level)); }

}  // namespace

namespace {

// A unit's own section: its figures by field and every finding.
std::string unit_section(const UnitCoverage& unit, const std::map<std::string, std::string, std::less<>>& field_names) {
    const auto* u = &unit;
    std::string html;
    html += fmt::format(R"(<section class="unit" id="u-{}"><h3>{} <span class="muted">{} · {}</span></h3>)", escape_html(u->code),
                        escape_html(u->name), escape_html(u->code), level_zh(u->level));
    if (u->veto.any()) html += R"(<p class="veto"><b>单项否决风险：</b>)" + escape_html(veto_reasons(*u)) + "</p>";
    // On paper the unit's totals (the heat map has the fields); on screen every field.
    html += R"(<table class="print-only"><thead><tr>)";
    for (const auto& figure : figure_info) html += "<th>" + std::string(figure.name_zh) + "</th>";
    html += "</tr></thead><tbody><tr>";
    for (const auto& figure : figure_info) html += figure_cell(u->figures.*figure.ratio, figure);
    html += "</tr></tbody></table>";
    html += R"(<table class="screen-only"><thead><tr><th>领域</th>)";
    for (const auto& figure : figure_info) html += "<th>" + std::string(figure.name_zh) + "</th>";
    html += "</tr></thead><tbody>";
    for (const auto& ff : u->fields) {
        if (!ff.figures.catalog.den && !ff.figures.blank.den) continue;
        auto name = field_names.find(ff.code);
        html += fmt::format("<tr><td>{} {}</td>", escape_html(ff.code), escape_html(name == field_names.end() ? "" : name->second));
        for (const auto& figure : figure_info) html += figure_cell(ff.figures.*figure.ratio, figure);
        html += "</tr>";
    }
    html += "</tbody></table>";
    if (!u->missing.empty())
        html += fmt::format("<p><b>目录中缺少的标准事项（{}）</b></p>", u->missing.size()) + item_list(u->missing);
    if (!u->to_verify.empty())
        html += fmt::format("<p><b>待核实：标准中的推定事项，未见已公开目录，本单位没有（{}，不计入覆盖率）</b></p>", u->to_verify.size()) +
                item_list(u->to_verify);
    if (!u->incomplete.empty())
        html += fmt::format("<p><b>缺少必选要素或渠道的事项（{}）</b></p>", u->incomplete.size()) + item_list(u->incomplete);
    if (!u->blank.empty())
        html += fmt::format("<p><b>空白栏目：截至期末无公开记录的事项（{}）</b></p>", u->blank.size()) + item_list(u->blank);
    if (!u->not_updated.empty()) {
        html += fmt::format("<p><b>应更新未更新的事项（{}）</b></p>", u->not_updated.size());
        html += R"(<ul class="items print-only">)";
        for (const auto& n : u->not_updated)
            html += fmt::format("<li><code>{}</code> {}：最近 {}，应有 {} 以后的公开（{}）</li>", escape_html(n.item.id),
                                escape_html(n.item.name), format_date(n.newest), format_date(n.since), label_zh(n.rule));
        html += "</ul>";
        html += R"(<table class="screen-only"><thead><tr><th>事项</th><th>最近公开</th><th>应有此日以后的公开</th><th>依据</th></tr></thead><tbody>)";
        for (const auto& n : u->not_updated)
            html += fmt::format(R"(<tr><td><code>{}</code> {} · {}</td><td>{}</td><td>{}</td><td>{}</td></tr>)", escape_html(n.item.id),
                                escape_html(n.item.category), escape_html(n.item.name), format_date(n.newest),
                                format_date(n.since), label_zh(n.rule));
        html += "</tbody></table>";
    }
    if (!u->late.empty()) {
        html += fmt::format("<p><b>逾期公开的记录（{}）</b></p>", u->late.size());
        // On paper by item: how often, and the longest delay (gkml rectify lists every record).
        std::vector<std::pair<const LateRecord*, std::pair<int, long>>> by_item;
        for (const auto& l : u->late) {
            long days = (std::chrono::sys_days(l.published) - std::chrono::sys_days(l.due)).count();
            if (by_item.empty() || by_item.back().first->item != l.item) by_item.push_back({&l, {0, 0}});
            ++by_item.back().second.first;
            by_item.back().second.second = std::max(by_item.back().second.second, days);
        }
        html += R"(<ul class="items print-only">)";
        for (const auto& [first, counts] : by_item)
            html += fmt::format("<li><code>{}</code> {}：{} 次，最长逾期 {} 天</li>", escape_html(first->item), escape_html(first->name),
                                counts.first, counts.second);
        html += "</ul>";
        html += R"(<table class="screen-only"><thead><tr><th>事项</th><th>名称</th><th>信息形成</th><th>应公开日期</th><th>实际公开</th><th>逾期天数</th></tr></thead><tbody>)";
        for (const auto& l : u->late)
            html += fmt::format(R"(<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class="num">{}</td></tr>)",
                                escape_html(l.item), escape_html(l.name), format_date(l.formed), format_date(l.due), format_date(l.published),
                                (std::chrono::sys_days(l.published) - std::chrono::sys_days(l.due)).count());
        html += "</tbody></table>";
    }
    if (!u->local.empty())
        html += fmt::format("<p><b>本单位自设事项（{}，不计入覆盖率）</b></p>", u->local.size()) + item_list(u->local);
    if (!u->unmatched.empty())
        html += fmt::format("<p><b>未能对应标准的事项（{}）</b></p>", u->unmatched.size()) + item_list(u->unmatched);
    return html + "</section>\n";
}

std::map<std::string, std::string, std::less<>> names_of(const std::vector<FieldEntry>& fields) {
    std::map<std::string, std::string, std::less<>> names;
    for (const auto& f : fields) names[f.code] = f.name;
    return names;
}

// The page, around the units' sections: `section(i, out)` writes the section of `lines[i]`.
std::expected<void, Error> write_page(std::ostream& out, const ReportInput& input, const std::vector<UnitLine>& lines,
                                      const std::function<std::expected<void, Error>(std::size_t, std::ostream&)>& section) {
    const auto& cov = input.coverage;
    // Worst first: what the office has to chase is on top.
    std::vector<const UnitLine*> units;
    for (const auto& u : lines) units.push_back(&u);
    std::ranges::stable_sort(units, [](const UnitLine* a, const UnitLine* b) {
        return a->figures.catalog.value().value_or(1.0) < b->figures.catalog.value().value_or(1.0);
    });

    std::string html = "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">";
    html += "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">";
    html += "<title>" + escape_html(input.title) + "</title><style>" + std::string(style) + "</style></head><body>\n";
    html += R"(<header class="cover"><h1>)" + escape_html(input.title) + "</h1>";
    html += fmt::format(R"(<p class="muted">统计期间 {}（{} 至 {}）· 数据截至 {} · 判断日 {} · 共 {} 个单位</p>)",
                        escape_html(cov.period.label), format_date(cov.period.from), format_date(cov.period.to), escape_html(input.as_of),
                        format_date(cov.judged_on), lines.size());
    for (const auto& s : cov.standards) html += R"(<p class="muted standard">)" + escape_html(standard_text(s)) + "</p>";
    html += R"(<nav class="noprint"><a href="#summary">汇总表</a><a href="#heat">领域热力图</a><a href="#trend">变化趋势</a><a href="#units">各单位情况</a></nav>)";

    html += R"(<div class="cards">)";
    for (const auto& figure : figure_info) {
        const auto& r = cov.total.*figure.ratio;
        html += fmt::format(R"(<div class="card"><span class="muted">{}</span><b>{}</b><span class="muted">{}</span></div>)",
                            figure.name_zh, figure.higher_is_better || !r.den ? percent(r) : fmt::format("{} 个", r.num), fraction(r));
    }
    html += fmt::format(R"(<div class="card veto"><span class="muted">单项否决风险</span><b>{} 个单位</b><span class="muted">共 {} 个</span></div>)",
                        cov.at_risk, lines.size());
    html += "</div>";
    html += R"(<p class="print-only issuer">)" + escape_html(input.issuer) + (input.issuer.empty() ? "" : "<br>") + escape_html(input.as_of) +
            "</p></header>\n";

    html += R"(<h2 id="summary" class="first">汇总表</h2><p class="muted">按目录覆盖率从低到高排列；排名按目录覆盖率从高到低；“与全县比”为目录覆盖率高于（+）或低于（−）全县合计的百分点；比例格悬停可见分子/分母，空白栏目、应更新未更新为事项个数。</p>)";
    // 排名: by catalog coverage, best first (ties share a rank); 与全县比: points above or below the total's rate.
    std::map<std::string, int, std::less<>> rank;
    {
        std::vector<const UnitLine*> best(units.rbegin(), units.rend());
        std::ranges::stable_sort(best, std::greater<>{}, [](const UnitLine* u) { return u->figures.catalog.value().value_or(-1.0); });
        for (std::size_t i = 0; i < best.size(); ++i)
            rank[best[i]->code] = i > 0 && best[i]->figures.catalog.value() == best[i - 1]->figures.catalog.value()
                                      ? rank[best[i - 1]->code] : static_cast<int>(i + 1);
    }
    const auto county_rate = cov.total.catalog.value();
    auto gap = [&](const UnitLine& u) -> std::string {
        auto v = u.figures.catalog.value();
        if (!v || !county_rate) return "—";
        return fmt::format("{:+.1f}", (*v - *county_rate) * 100);
    };
    html += R"(<table class="summary"><thead><tr><th>排名</th><th>单位</th><th>代码</th><th>层级</th>)";
    for (const auto& figure : figure_info) {
        html += "<th>" + std::string(figure.name_zh) + "</th>";
        if (figure.ratio == &Figures::catalog) html += "<th>与全县比</th>";
    }
    html += "<th>缺失事项</th><th>待核实</th><th>逾期记录</th><th>单项否决风险</th></tr></thead><tbody>";
    for (const auto* u : units) {
        html += fmt::format(R"(<tr><td class="num">{}</td><td><a href="#u-{}">{}</a></td><td>{}</td><td>{}</td>)", rank[u->code],
                            escape_html(u->code), escape_html(u->name), escape_html(u->code), level_zh(u->level));
        for (const auto& figure : figure_info) {
            html += figure_cell(u->figures.*figure.ratio, figure);
            if (figure.ratio == &Figures::catalog) html += R"(<td class="num">)" + gap(*u) + "</td>";
        }
        html += fmt::format(R"(<td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="veto">{}</td></tr>)",
                            u->missing, u->to_verify, u->late, escape_html(u->veto));
    }
    html += "</tbody></table>\n" + legend(input.stale_days);

    html += R"(<h2 id="heat">领域热力图</h2><p class="muted">每格为该单位在该领域的目录覆盖率；灰色表示该单位在该领域无适用事项或已说明未涉及。</p>)";
    // A field no unit has anything to count in (not kept at these levels) gets no column: said once.
    std::vector<FieldEntry> shown_fields, idle_fields;
    for (const auto& f : input.fields) {
        bool counted = std::ranges::any_of(lines, [&](const UnitLine& u) {
            return std::ranges::any_of(u.fields, [&](const auto& ff) { return ff.first == f.code && ff.second.den > 0; });
        });
        (counted ? shown_fields : idle_fields).push_back(f);
    }
    if (!idle_fields.empty()) {
        std::string names;
        for (const auto& f : idle_fields) names += (names.empty() ? "" : "、") + f.code + " " + f.name;
        html += R"(<p class="muted">以下领域在这些单位中没有适用事项，不列入热力图：)" + escape_html(names) + "。</p>";
    }
    html += R"(<table class="heat"><thead><tr><th>单位</th>)";
    for (const auto& f : shown_fields)
        html += fmt::format(R"(<th class="f" title="{}">{}<span class="fname"> {}</span></th>)", escape_html(f.name), escape_html(f.code),
                            escape_html(f.name));
    html += "</tr></thead><tbody>";
    out << html;  // from here on a row at a time: a province's page is 100 MB
    for (const auto* u : units) {
        std::map<std::string_view, Ratio> by_field(u->fields.begin(), u->fields.end());
        html = "<tr><th>" + escape_html(u->name) + "</th>";
        for (const auto& f : shown_fields) {
            auto it = by_field.find(f.code);
            Ratio r = it == by_field.end() ? Ratio{} : it->second;
            html += fmt::format(R"(<td class="cell{}" data-unit="{}" data-field="{}" style="background:{}" title="{} · {} {}">{}</td>)",
                                r.den ? "" : " na", escape_html(u->code), escape_html(f.code), colour(r), escape_html(u->name),
                                escape_html(f.name), fraction(r), r.den ? percent(r) : "—");
        }
        out << html << "</tr>";
    }
    out << "</tbody></table>\n";

    html = R"(<h2 id="trend">变化趋势与单位对比</h2><div class="charts"><figure>)";
    if (input.trend.empty())
        html += R"(<p class="muted">尚无历史快照。</p>)";
    else
        html += trend_svg(input.trend);
    html += R"(<figcaption class="muted">各项比率在每次导入后的全县合计。</figcaption></figure><figure>)" +
            units_svg(units, cov.total.catalog.value()) +
            R"(<figcaption class="muted">各单位目录覆盖率：深色低于全县合计，虚线为全县合计。</figcaption></figure></div>)";
    out << html << R"(<h2 id="units">各单位情况</h2>)";
    for (const auto* u : units)
        if (auto written = section(static_cast<std::size_t>(u - lines.data()), out); !written) return written;
    out << R"(<p class="muted">由 gkml 生成：目录覆盖按单位层级计算适用的标准事项，说明理由的“不适用”不计入分母；期限按国务院办公厅节假日安排通知的工作日计算。</p>)";
    out << "</body></html>\n";
    return {};
}

}  // namespace

std::string report_html(const ReportInput& input) {
    const auto names = names_of(input.fields);
    std::vector<UnitLine> lines;
    for (const auto& u : input.coverage.units) lines.push_back(line_of(u));
    std::ostringstream out;
    (void)write_page(out, input, lines, [&](std::size_t i, std::ostream& to) -> std::expected<void, Error> {
        to << unit_section(input.coverage.units[i], names);
        return {};
    });
    return std::move(out).str();
}

struct ReportWriter::State {
    std::map<std::string, std::string, std::less<>> names;
    std::vector<UnitLine> lines;
    std::expected<Spool, Error> spool = Spool::make();
    std::vector<Spool::Piece> sections;
};

ReportWriter::ReportWriter(const std::vector<FieldEntry>& fields) : state_(std::make_unique<State>()) { state_->names = names_of(fields); }
ReportWriter::ReportWriter(ReportWriter&&) noexcept = default;
ReportWriter::~ReportWriter() = default;

void ReportWriter::unit(const UnitCoverage& unit) {
    auto& s = *state_;
    if (!s.spool) return;  // finish() says why
    auto piece = s.spool->append(unit_section(unit, s.names));
    if (!piece) {
        s.spool = std::unexpected(piece.error());
        return;
    }
    s.sections.push_back(*piece);
    s.lines.push_back(line_of(unit));
}

std::expected<void, Error> ReportWriter::finish(std::ostream& out, const ReportInput& input) {
    auto& s = *state_;
    if (!s.spool) return std::unexpected(s.spool.error());
    return write_page(out, input, s.lines, [&](std::size_t i, std::ostream& to) { return s.spool->copy(s.sections[i], to); });
}

}  // namespace gkml
