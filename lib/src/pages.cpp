// The pages of gkml serve (service.hpp): server-rendered, in the report's look, without JavaScript.
#include <fmt/format.h>

#include <algorithm>

#include "gkml/rectify.hpp"
#include "gkml/report.hpp"
#include "gkml/service.hpp"
#include "gkml/text.hpp"

namespace gkml {

namespace {

constexpr std::string_view page_style = R"(
body{padding:0}main{padding:18px 32px 40px;max-width:1280px}
nav.top{display:flex;gap:14px;align-items:center;padding:8px 32px;background:#1d2733;color:#fff}
nav.top a{color:#fff}nav.top .who{margin-left:auto;color:#c9d1db}
form.inline{display:inline;margin:0}button{font:inherit;padding:3px 12px;cursor:pointer}
.box{border:1px solid var(--line);border-left:5px solid #3a9a5b;padding:8px 14px;margin:12px 0;background:#f6faf7}
.box.bad{border-left-color:var(--accent);background:#fdf3f3}
form.upload{border:1px dashed var(--line);padding:12px 14px;margin:12px 0}
form.signin{max-width:360px;margin:60px auto;border:1px solid var(--line);padding:20px 24px;border-radius:6px}
form.signin label{display:block;margin:10px 0 2px}form.signin input{width:100%;padding:5px;font:inherit}
td.where{white-space:nowrap;font-family:monospace}details.warnings summary{cursor:pointer;margin:8px 0}tr.error td.sev{color:var(--accent);font-weight:600}
)";

std::string shell(const PageContext& context, std::string_view title, std::string_view body) {
    std::string html = "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
                       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" +
                       escape_html(title) + "</title><style>" + std::string(report_style()) + std::string(page_style) +
                       "</style></head><body>\n<nav class=\"top\"><b>基层政务公开标准目录</b>";
    if (context.account) {
        html += "<a href=\"/\">首页</a>";
        html += fmt::format(R"(<span class="who">{}（{}）</span><form class="inline" method="post" action="/logout">)"
                            R"(<input type="hidden" name="csrf" value="{}"><button type="submit">退出</button></form>)",
                            escape_html(context.account->name),
                            context.account->role == Role::admin    ? "管理员"
                            : context.account->role == Role::county ? "县级"
                                                                    : "本单位",
                            escape_html(context.csrf));
    }
    return html + "</nav>\n<main>" + std::string(body) + "</main></body></html>\n";
}

std::string figure_text(const Ratio& r, const FigureInfo& figure) {
    return figure.higher_is_better || !r.den ? percent(r) : fmt::format("{}/{}", r.num, r.den);
}

std::string figure_heads() {
    std::string out;
    for (const auto& figure : figure_info) out += "<th>" + std::string(figure.name_zh) + "</th>";
    return out;
}

std::string figure_cells(const Figures& f) {
    std::string out;
    for (const auto& figure : figure_info)
        out += fmt::format(R"(<td class="num" title="{}/{}">{}</td>)", (f.*figure.ratio).num, (f.*figure.ratio).den,
                           figure_text(f.*figure.ratio, figure));
    return out;
}

std::string where(const Diagnostic& d) {
    if (!d.cell.empty()) return d.cell;
    if (d.line > 0) return "第 " + std::to_string(d.line) + " 行";
    return "";
}

// A table of the diagnostics of one severity.
std::string diagnostics_rows(const std::vector<Diagnostic>& diagnostics, bool errors) {
    std::string html = R"(<table class="diagnostics"><tr><th>位置</th><th>级别</th><th>代码</th><th>问题</th><th>怎么改</th></tr>)";
    for (const auto& d : diagnostics) {
        if ((d.severity == Severity::error) != errors) continue;
        html += fmt::format(R"(<tr class="{}"><td class="where">{}</td><td class="sev">{}</td><td><code>{}</code></td><td>{}</td><td>{}</td></tr>)",
                            to_string(d.severity), escape_html(where(d)),
                            d.severity == Severity::error ? "错误" : d.severity == Severity::warning ? "警告" : "提示", escape_html(d.code),
                            escape_html(d.message_zh.empty() ? d.message_en : d.message_zh), escape_html(d.hint));
    }
    return html + "</table>";
}

// The errors (what keeps the file out) in full; the warnings folded under their count, so that a
// workbook's hundred notes on rows the standard has do not bury the one cell to fix.
std::string diagnostics_table(const std::vector<Diagnostic>& diagnostics) {
    const auto errors = std::ranges::count(diagnostics, Severity::error, &Diagnostic::severity);
    const auto others = static_cast<std::ptrdiff_t>(diagnostics.size()) - errors;
    std::string html;
    if (errors > 0) html += fmt::format("<h3>要改正的错误（{} 处）</h3>", errors) + diagnostics_rows(diagnostics, true);
    if (others > 0)
        html += fmt::format(R"(<details class="warnings"><summary>警告和提示 {} 条（不影响入库，点开查看）</summary>)", others) +
                diagnostics_rows(diagnostics, false) + "</details>";
    return html;
}

std::string outcome_zh(std::string_view outcome) {
    return outcome == "added" ? "已入库" : outcome == "unchanged" ? "未变" : "未入库";
}

std::string uploads_table(const std::vector<UploadEntry>& uploads, bool with_unit) {
    if (uploads.empty()) return R"(<p class="muted">还没有上传记录。</p>)";
    std::string html = "<table class=\"uploads\"><tr><th>#</th><th>时间（UTC）</th>" + std::string(with_unit ? "<th>单位</th>" : "") +
                       "<th>账号</th><th>文件</th><th>结果</th><th>错误</th><th>警告</th></tr>";
    for (const auto& u : uploads)
        html += fmt::format("<tr><td class=\"num\">{}</td><td>{}</td>{}<td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                            u.id, escape_html(u.taken), with_unit ? "<td>" + escape_html(u.unit) + "</td>" : "", escape_html(u.account),
                            escape_html(u.file), outcome_zh(u.outcome), u.errors, u.warnings);
    return html + "</table>";
}

}  // namespace

std::string sign_in_page(std::string_view csrf, std::string_view problem, std::string_view name) {
    std::string body = R"(<form class="signin" method="post" action="/login"><h1>登录</h1>)";
    if (!problem.empty()) body += R"(<p class="box bad" role="alert">)" + escape_html(problem) + "</p>";
    body += fmt::format(R"(<input type="hidden" name="csrf" value="{}">
<label for="name">账号</label><input id="name" name="name" autocomplete="username" required value="{}">
<label for="password">口令</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<p><button type="submit">登录</button></p></form>)",
                        escape_html(csrf), escape_html(name));
    return shell(PageContext{}, "登录 · 基层政务公开标准目录", body);
}

std::string unit_page(const PageContext& context, const UnitPage& page) {
    const auto& u = page.unit;
    std::string body = fmt::format(R"(<h1>{}</h1><p class="muted">{} · {} · 统计期间 {}</p>)", escape_html(u.name), escape_html(u.code),
                                   u.level ? label_zh(*u.level) : "", escape_html(page.period));
    if (page.upload) {
        const auto& r = *page.upload;
        body += fmt::format(R"(<div class="box{}" role="status" id="result"><p><b>{}</b>：{}</p>)", r.status == 200 ? "" : " bad",
                            escape_html(r.entry.file), escape_html(r.message));
        body += diagnostics_table(r.file.diagnostics);
        for (const auto& w : r.warnings) body += "<p>" + escape_html(w) + "</p>";
        body += "</div>";
    }
    if (page.may_upload)
        body += fmt::format(R"(<form class="upload" method="post" action="/unit/{}/upload" enctype="multipart/form-data">
<input type="hidden" name="csrf" value="{}"><b>上传目录或台账</b>：
<input type="file" name="file" required accept=".xlsx,.csv,.html,.htm,.docx,.xml"> <button type="submit">上传并检查</button>
<p class="muted">Excel/WPS 工作簿（.xlsx）、CSV、网页（.html）、Word（.docx）或 gkml 的 XML。有错误的文件不入库，逐格列出要改的地方。</p></form>)",
                            escape_html(u.code), escape_html(context.csrf));
    if (!page.coverage) {
        body += R"(<p class="muted">还没有本单位的目录：上传后在这里看到覆盖情况和整改清单。</p>)";
    } else {
        const auto& c = *page.coverage;
        body += "<h2 class=\"first\">覆盖情况</h2><div class=\"cards\">";
        for (const auto& figure : figure_info)
            body += fmt::format(R"(<div class="card"><span class="muted">{}</span><b>{}</b><span class="muted">{}/{}</span></div>)",
                                figure.name_zh, figure_text(c.figures.*figure.ratio, figure), (c.figures.*figure.ratio).num,
                                (c.figures.*figure.ratio).den);
        body += "</div>";
        if (c.veto.any()) body += R"(<p class="veto"><b>单项否决风险：</b>)" + escape_html(veto_reasons(c)) + "</p>";
        auto list = rectify_list(c, page.due);
        body += fmt::format(R"(<h2>整改清单 <span class="muted">{} 项，整改期限 {}</span></h2><nav>)"
                            R"(<a href="/unit/{}/rectify.xlsx">下载工作簿（.xlsx）</a><a href="/unit/{}/rectify.html">打印整改通知</a>)"
                            R"(<a href="/api/units/{}/coverage">覆盖数据（JSON）</a></nav>)",
                            list.findings.size(), format_date(page.due), escape_html(u.code), escape_html(u.code), escape_html(u.code));
        if (list.findings.empty()) {
            body += "<p>没有要整改的问题。</p>";
        } else {
            body += R"(<table class="findings"><tr><th>类别</th><th>编号</th><th>事项</th><th>问题</th><th>整改要求</th></tr>)";
            for (const auto& f : list.findings)
                body += fmt::format("<tr><td>{}</td><td class=\"where\">{}</td><td>{}{}</td><td>{}</td><td>{}</td></tr>", label_zh(f.kind), escape_html(f.item),
                                    f.category.empty() ? "" : escape_html(f.category) + " · ", escape_html(f.name), escape_html(f.problem),
                                    escape_html(f.action));
            body += "</table>";
        }
    }
    body += "<h2>上传记录</h2>" + uploads_table(page.uploads, false);
    return shell(context, u.name + " · 基层政务公开标准目录", body);
}

std::string county_page(const PageContext& context, const CountyPage& page) {
    const auto& c = page.coverage;
    const std::string scope = page.scope.empty() ? "" : "?unit=" + escape_html(page.scope);
    std::string body = fmt::format(R"(<h1>{}</h1><p class="muted">统计期间 {}（{} 至 {}）· {} 个单位</p><nav>)"
                                   R"(<a href="/report{}">完整报告（可打印）</a><a href="/rectify.xlsx{}">全部整改清单（.xlsx）</a>)"
                                   R"(<a href="/rectify.html{}">打印整改通知</a><a href="/api/coverage{}">覆盖数据（JSON）</a></nav>)",
                                   escape_html(page.title), escape_html(c.period.label), format_date(c.period.from),
                                   format_date(c.period.to), c.units.size(), scope, scope, scope, scope);
    body += "<h2 class=\"first\">各单位</h2><table class=\"summary\"><tr><th>代码</th><th>单位</th>" + figure_heads() +
            "<th>缺失事项</th><th>逾期记录</th><th>否决风险</th></tr>";
    for (const auto& u : c.units)
        body += fmt::format(R"(<tr><td>{}</td><td><a href="/unit/{}">{}</a></td>{}<td class="num">{}</td><td class="num">{}</td><td class="veto">{}</td></tr>)",
                            escape_html(u.code), escape_html(u.code), escape_html(u.name), figure_cells(u.figures), u.missing.size(),
                            u.late.size(), u.veto.any() ? "是" : "");
    if (c.units.size() > 1) body += "<tr><th></th><th>合计</th>" + figure_cells(c.total) + "<td></td><td></td><td></td></tr>";
    body += "</table>";
    body += "<h2>历次入库</h2><table class=\"trend\"><tr><th>轮次</th>" + figure_heads() + "</tr>";
    for (const auto& t : page.trend) body += "<tr><td>" + escape_html(t.label) + "</td>" + figure_cells(t.figures) + "</tr>";
    body += "</table><h2>上传记录</h2>" + uploads_table(page.uploads, true);
    body += "<h2>入库日志</h2><table class=\"snapshots\"><tr><th>快照</th><th>时间（UTC）</th><th>单位</th><th>类型</th><th>来源</th><th>轮次</th></tr>";
    for (const auto& s : page.snapshots)
        body += fmt::format("<tr><td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", s.id, escape_html(s.taken),
                            escape_html(s.unit), s.kind == SnapshotKind::catalog ? "目录" : "台账", escape_html(s.source), escape_html(s.label));
    body += "</table>";
    return shell(context, page.title, body);
}

std::string message_page(const PageContext& context, int status, std::string_view title, std::string_view text) {
    return shell(context, title, fmt::format(R"(<h1>{}</h1><p class="box bad">{}</p><p class="muted">HTTP {}</p>)", escape_html(title),
                                             escape_html(text), status));
}

}  // namespace gkml
