#include "gkml/validate.hpp"

#include "screen.hpp"

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>

#include "diagnose.hpp"
#include "gkml/files.hpp"
#include "gkml/ledger.hpp"
#include "gkml/timelimit.hpp"

namespace gkml::detail {
std::string_view embedded_schema(std::string_view name);
}

namespace gkml {

namespace {

struct SchemaDeleter {
    void operator()(xmlSchema* s) const { xmlSchemaFree(s); }
};
struct ParserContextDeleter {
    void operator()(xmlSchemaParserCtxt* c) const { xmlSchemaFreeParserCtxt(c); }
};
struct ValidContextDeleter {
    void operator()(xmlSchemaValidCtxt* c) const { xmlSchemaFreeValidCtxt(c); }
};
struct DocDeleter {
    void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};

// Collects libxml2's structured errors for one document.
struct Collector {
    std::string file;
    std::string code;
    std::vector<Diagnostic>* out;
};

std::string tidy_libxml_message(std::string message) {
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    for (std::string_view ns : {catalog_ns, ledger_ns, units_ns, calendar_ns}) {
        std::string braced = "{" + std::string(ns) + "}";
        for (auto p = message.find(braced); p != std::string::npos; p = message.find(braced))
            message.erase(p, braced.size());
    }
    return message;
}

void collect_error(void* user, const xmlError* error) {
    auto* c = static_cast<Collector*>(user);
    if (!error || error->level == XML_ERR_NONE) return;
    bool duplicate = error->domain == XML_FROM_SCHEMASV && error->code == XML_SCHEMAV_CVC_IDC;
    bool schema = error->domain == XML_FROM_SCHEMASV;
    std::string message = tidy_libxml_message(error->message ? error->message : "");
    Diagnostic d;
    d.file = c->file;
    d.line = error->line;
    d.column = error->int2 > 0 ? error->int2 : 0;
    d.severity = error->level == XML_ERR_WARNING ? Severity::warning : Severity::error;
    if (duplicate) {
        d.code = "GKML-E006";
        d.message_zh = "编号或代码重复";
        d.message_en = message;
        d.hint = "每个事项编号（序号）和领域代码在一个目录中只能出现一次：改掉重复的编号。";
    } else if (schema) {
        d.code = "GKML-E005";
        d.message_zh = "不符合目录格式（XSD）";
        d.message_en = message;
        d.hint = "对照 xsd/ 中的格式修改该处：元素顺序、必填属性和取值范围。";
    } else {
        d.code = "GKML-E002";
        d.message_zh = "不是格式正确的 XML";
        d.message_en = message;
        d.hint = "用文本编辑器检查该行的标签是否闭合、特殊字符（& <）是否转义，文件是否为 UTF-8。";
    }
    c->out->push_back(std::move(d));
}

extern "C" void structured_error(void* user, xmlErrorPtr error) { collect_error(user, error); }
extern "C" void silent_generic(void*, const char*, ...) {}

// A file that is not well-formed XML: only the parser's complaints count (what the schema said of
// the half-read document would only confuse), and at least one is given.
std::vector<Diagnostic> well_formedness_errors(std::vector<Diagnostic> out, std::string_view file) {
    std::erase_if(out, [](const Diagnostic& d) { return d.code != "GKML-E002" || d.severity != Severity::error; });
    if (out.empty())
        out.push_back(Diagnostic{"GKML-E002", Severity::error, std::string(file), 1, 1, "不是格式正确的 XML",
                                 "not well-formed XML", "检查文件是否完整、是否为 UTF-8 编码。", {}});
    return out;
}

// Streaming validation finds a duplicate (or dangling) key where the element ends; the clerk needs
// the start tag. libxml2 names the element and the key ("Element 'item': Duplicate key-sequence
// ['20-001'] ..."): the start tag is the last <item …> up to that line that carries the key.
// Where each line starts, found once per file: every duplicate is then placed by halves, not by
// counting lines from the top (which made 5 000 duplicates take a minute).
struct Lines {
    std::vector<std::size_t> starts{0};
    explicit Lines(std::string_view xml) {
        for (std::size_t at = xml.find('\n'); at != std::string_view::npos; at = xml.find('\n', at + 1)) starts.push_back(at + 1);
    }
    std::size_t end_of(int line, std::size_t size) const {  // one past the line's last character
        auto next = static_cast<std::size_t>(std::max(line, 1));
        return next < starts.size() ? starts[next] - 1 : size;
    }
    std::pair<int, int> at(std::size_t offset) const {
        auto it = std::upper_bound(starts.begin(), starts.end(), offset) - 1;
        return {static_cast<int>(it - starts.begin()) + 1, static_cast<int>(offset - *it) + 1};
    }
};

void point_at_start_tag(Diagnostic& d, std::string_view xml, const Lines& lines) {
    const std::string& m = d.message_en;
    auto name_at = m.find("Element '");
    auto key_at = m.find("['");
    if (name_at == std::string::npos || key_at == std::string::npos) return;
    name_at += 9;
    std::string name = m.substr(name_at, m.find('\'', name_at) - name_at);
    if (auto colon = name.rfind(':'); colon != std::string::npos) name.erase(0, colon + 1);
    key_at += 2;
    std::string key = m.substr(key_at, m.find('\'', key_at) - key_at);
    std::string_view before = xml.substr(0, lines.end_of(d.line, xml.size()));
    std::string tag = "<" + name;
    for (auto p = before.rfind(tag); p != std::string_view::npos; p = p ? before.rfind(tag, p - 1) : std::string_view::npos) {
        std::string_view start = xml.substr(p, xml.find('>', p) - p);
        char after = start.size() > tag.size() ? start[tag.size()] : '>';
        if (!std::isspace(static_cast<unsigned char>(after)) && after != '>' && after != '/') continue;
        if (start.find('"' + key + '"') == std::string_view::npos && start.find('\'' + key + '\'') == std::string_view::npos)
            continue;
        std::tie(d.line, d.column) = lines.at(p);
        return;
    }
}

std::string_view schema_name(DocumentKind kind) {
    switch (kind) {
        case DocumentKind::catalog:
        case DocumentKind::fields: return "catalog";
        case DocumentKind::ledger: return "ledger";
        case DocumentKind::units: return "units";
        case DocumentKind::calendar: return "calendar";
        case DocumentKind::unknown: break;
    }
    return {};
}

}  // namespace

struct Schemas::Compiled {
    std::map<std::string, std::unique_ptr<xmlSchema, SchemaDeleter>, std::less<>> by_name;
};

std::expected<Schemas, Error> Schemas::compile() {
    static std::once_flag init;
    std::call_once(init, [] { xmlInitParser(); });
    auto compiled = std::make_shared<Compiled>();
    for (std::string_view name : {"catalog", "ledger", "units", "calendar"}) {
        std::string_view text = detail::embedded_schema(name);
        if (text.empty()) return std::unexpected(Error{ErrorKind::io, "schema not built in: " + std::string(name), "", 0});
        std::vector<Diagnostic> problems;
        Collector collector{"xsd/" + std::string(name) + ".xsd", "", &problems};
        xmlSetStructuredErrorFunc(&collector, structured_error);
        std::unique_ptr<xmlSchemaParserCtxt, ParserContextDeleter> parser(
            xmlSchemaNewMemParserCtxt(text.data(), static_cast<int>(text.size())));
        xmlSchemaSetParserStructuredErrors(parser.get(), structured_error, &collector);
        std::unique_ptr<xmlSchema, SchemaDeleter> schema(xmlSchemaParse(parser.get()));
        xmlSetStructuredErrorFunc(nullptr, nullptr);
        if (!schema) {
            std::string why = problems.empty() ? "unknown error" : problems.front().message_en;
            return std::unexpected(Error{ErrorKind::io, "schema does not compile: " + why, collector.file, 0});
        }
        compiled->by_name.emplace(std::string(name), std::move(schema));
    }
    return Schemas(std::move(compiled));
}

std::vector<Diagnostic> Schemas::check(std::string_view xml, std::string_view file, DocumentKind& kind) const {
    // Most bytes are ledgers; most ledgers are plainly valid, which one pugixml pass can tell.
    if (root_of(xml).kind == DocumentKind::ledger && is_plainly_valid_ledger(xml)) {
        kind = DocumentKind::ledger;
        return {};
    }
    return check_with_xsd(xml, file, kind);
}

std::vector<Diagnostic> Schemas::check_with_xsd(std::string_view xml, std::string_view file, DocumentKind& kind) const {
    std::vector<Diagnostic> out;
    kind = DocumentKind::unknown;
    if (auto refused = screen(xml, file)) {
        out.push_back(*refused);
        return out;
    }
    RootInfo root = root_of(xml);
    kind = root.kind;
    Collector collector{std::string(file), "", &out};
    xmlSetStructuredErrorFunc(&collector, structured_error);
    xmlSetGenericErrorFunc(nullptr, silent_generic);
    auto found = compiled_->by_name.find(schema_name(kind));
    if (found == compiled_->by_name.end()) {
        // Not one of ours: parse it only to tell a broken file from a foreign one, and where its root is.
        std::unique_ptr<xmlDoc, DocDeleter> doc(xmlReadMemory(xml.data(), static_cast<int>(xml.size()),
                                                              std::string(file).c_str(), nullptr,
                                                              XML_PARSE_NONET | XML_PARSE_BIG_LINES));
        xmlSetStructuredErrorFunc(nullptr, nullptr);
        if (!doc) return well_formedness_errors(std::move(out), file);
        out.clear();
        xmlNode* element = xmlDocGetRootElement(doc.get());
        int line = element ? static_cast<int>(xmlGetLineNo(element)) : 1;
        out.push_back(Diagnostic{
            "GKML-E004", Severity::error, std::string(file), line, 1, "不认识的文件类型：根元素 <" + root.name + ">（命名空间 \"" +
                root.namespace_ + "\"）",
            "unknown document: root <" + root.name + "> in namespace \"" + root.namespace_ + "\"",
            "目录文件的根元素应为 <catalog xmlns=\"urn:gkml:catalog:1\">；台账为 urn:gkml:ledger:1，单位为 urn:gkml:units:1。", {}});
        return out;
    }
    // Validated while it is parsed (SAX, no tree): one pass, and no allocation per node.
    std::unique_ptr<xmlSchemaValidCtxt, ValidContextDeleter> context(xmlSchemaNewValidCtxt(found->second.get()));
    xmlSchemaSetValidStructuredErrors(context.get(), structured_error, &collector);
    xmlSchemaValidateSetFilename(context.get(), std::string(file).c_str());
    // The parser pulls the text in chunks from where it is (handed to and freed by the stream call):
    // a buffer made from memory copies it whole, doubling the memory of checking a large catalog.
    struct Chunks {
        std::string_view rest;
        static int read(void* context, char* buffer, int length) {
            auto& self = *static_cast<Chunks*>(context);
            auto n = std::min(self.rest.size(), static_cast<std::size_t>(length));
            std::memcpy(buffer, self.rest.data(), n);
            self.rest.remove_prefix(n);
            return static_cast<int>(n);
        }
    } chunks{xml};
    xmlParserInputBuffer* input = xmlParserInputBufferCreateIO(&Chunks::read, nullptr, &chunks, XML_CHAR_ENCODING_NONE);
    xmlSchemaValidateStream(context.get(), input, XML_CHAR_ENCODING_NONE, nullptr, nullptr);
    xmlSetStructuredErrorFunc(nullptr, nullptr);
    bool broken = std::ranges::any_of(out, [](const Diagnostic& d) { return d.code == "GKML-E002" && d.severity == Severity::error; });
    if (broken) return well_formedness_errors(std::move(out), file);
    std::erase_if(out, [](const Diagnostic& d) { return d.code == "GKML-E002"; });  // the parser's own warnings
    if (std::ranges::any_of(out, [](const Diagnostic& d) { return d.code == "GKML-E006"; })) {
        const Lines lines(xml);
        for (auto& d : out)
            if (d.code == "GKML-E006") point_at_start_tag(d, xml, lines);
    }
    return out;
}

// ---- semantic rules ----

namespace {

bool is_standard_id(std::string_view id) { return id.size() == 6 && id[2] == '-'; }

// Whitespace-free view of a text, so "要素" and " 要素 " compare equal.
std::string squeeze(std::string_view s) {
    std::string out;
    for (char c : s)
        if (!std::isspace(static_cast<unsigned char>(c))) out += c;
    return out;
}

bool blank(std::string_view s) { return squeeze(s).empty(); }

std::string levels_zh(const std::vector<Level>& levels) {
    std::string out;
    for (auto l : levels) {
        if (!out.empty()) out += "、";
        out += label_zh(l);
    }
    return out;
}

// The reading of a time-limit text, remembered per thread: the same few hundred texts recur in
// every catalog of a county.
const TimeLimit& time_limit_reading(const std::string& text) {
    thread_local std::unordered_map<std::string, TimeLimit> readings;
    if (readings.size() > 4096) readings.clear();
    auto it = readings.find(text);
    if (it == readings.end()) it = readings.emplace(text, parse_time_limit(text)).first;
    return it->second;
}

void check_item(const Catalog& catalog, const Field& field, const Item& item, const CheckContext& context,
                std::vector<Diagnostic>& out) {
    const auto& p = item.pos;
    const bool standard = catalog.kind == CatalogKind::standard;
    if (is_standard_id(item.id) && item.id.substr(0, 2) != field.code)
        out.push_back(diagnose("GKML-E016", p, "事项编号 " + item.id + " 不属于领域 " + field.code,
                               "item " + item.id + " is filed under field " + field.code,
                               "编号前两位是领域代码：把事项移到领域 " + item.id.substr(0, 2) + "，或改正编号。"));
    if (item.is_local()) {
        // A locality's own standard (based on the national one) adds items of its own; the national one holds none.
        if (standard && catalog.based_on.empty())
            out.push_back(diagnose("GKML-E018", p, "标准目录中不能有本地事项 " + item.id,
                                   "a standard catalog holds no local item (" + item.id + ")",
                                   "本地事项只属于单位目录或地方标准目录（based-on 国家标准）；标准事项用 FF-NNN 编号。"));
        if (item.anchor.empty())
            out.push_back(diagnose("GKML-E024", p, "本地事项 " + item.id + " 没有说明挂靠的标准事项或领域",
                                   "local item " + item.id + " names no anchor",
                                   "加上 anchor=\"FF-NNN\"（所扩展的标准事项）或 anchor=\"FF\"（领域代码）。"));
    } else if (!item.anchor.empty()) {
        out.push_back(diagnose("GKML-E024", p, "只有本地事项（L-…）可以设置 anchor", "only local items (L-…) carry an anchor",
                               "删除 anchor 属性，或把该事项改为本地事项。"));
    }
    if (item.not_applicable && blank(item.not_applicable->reason))
        out.push_back(diagnose("GKML-E013", p, "事项 " + item.id + " 标为不适用，但没有写明理由",
                               "item " + item.id + " is marked not applicable without a reason",
                               "在 reason 中写明不适用的理由（例如：本乡无城市综合执法职能）。"));
    if (item.not_applicable && standard)
        out.push_back(diagnose("GKML-E018", p, "标准目录不能把事项标为不适用", "a standard catalog marks nothing not applicable",
                               "不适用只在单位目录中标注。"));
    if (item.status == ItemStatus::active && !item.replaced_by.empty())
        out.push_back(diagnose("GKML-E017", p, "事项 " + item.id + " 未停用，却写了替代事项",
                               "item " + item.id + " is active but names a replacement",
                               "停用的事项加 status=\"deprecated\"；仍在用的事项删除 replaced-by。"));
    // Nothing ticked, or (in a unit's catalog) the whole group gone where the standard item has it.
    const Item* standard_item = catalog.kind == CatalogKind::unit && context.standard && !item.is_local()
                                    ? context.standard->find_item(item.id) : nullptr;
    if ((item.audience && !item.audience->everyone && !item.audience->specific) ||
        (!item.audience && standard_item && standard_item->audience))
        out.push_back(diagnose("GKML-E020", p, "公开对象未勾选（全社会或特定群体）", "audience: neither 全社会 nor 特定群体 is ticked",
                               "在工作簿的“全社会”或“特定群体”格内选“√”（XML 中：<audience public=\"true\"/> 或 specific=\"true\"）。"));
    if ((item.mode && !item.mode->proactive && !item.mode->on_request) || (!item.mode && standard_item && standard_item->mode))
        out.push_back(diagnose("GKML-E020", p, "公开方式未勾选（主动或依申请）", "mode: neither 主动 nor 依申请 is ticked",
                               "在工作簿的“主动”或“依申请”格内选“√”（XML 中：<mode proactive=\"true\"/> 或 on-request=\"true\"）。"));
    std::set<std::string> seen_channels;
    for (const auto& c : item.channels) {
        if (c.code == ChannelCode::other && blank(c.text))
            out.push_back(diagnose("GKML-E021", p, "渠道“其他”没有写明是什么渠道", "channel `other` without its name",
                                   "写明平台或载体名称，例如 <channel code=\"other\">投资项目在线审批监管平台</channel>。"));
        std::string key = std::string(to_string(c.code)) + "|" + squeeze(c.text);
        if (!seen_channels.insert(key).second)
            out.push_back(diagnose("GKML-W005", p, "渠道重复：" + std::string(label_zh(c.code)),
                                   "channel listed twice: " + std::string(to_string(c.code)), "删除重复的一行。",
                                   Severity::warning));
    }
    std::set<std::string> seen_elements;
    for (const auto& e : item.elements)
        if (!seen_elements.insert(squeeze(e.text)).second)
            out.push_back(diagnose("GKML-W005", p, "要素重复：" + e.text, "element listed twice: " + e.text,
                                   "删除重复的要素。", Severity::warning));
    if (item.time_limit && !item.time_limit->parsed())
        out.push_back(diagnose("GKML-W001", p, "公开时限无法解析：" + item.time_limit->text,
                               "time limit not understood: " + item.time_limit->text,
                               "写成“信息形成或者变更之日起20个工作日内”之类的表述，期限才能计算。", Severity::warning));
    if (item.time_limit && item.time_limit->parsed()) {
        const auto& reading = time_limit_reading(item.time_limit->text);
        if (reading.parsed() && reading.clauses != item.time_limit->clauses)
            out.push_back(diagnose("GKML-W011", p, "公开时限的规则与文字不一致：" + item.time_limit->text,
                                   "the stored rule differs from what the time-limit text says",
                                   "用 gkml deadline 查看文字的解读，改正规则或文字。", Severity::warning));
    }
    if (item.audience && item.audience->specific && blank(item.audience->group) && catalog.kind == CatalogKind::unit)
        out.push_back(diagnose("GKML-W006", p, "公开对象为特定群体，但没有写明是哪些群体",
                               "audience 特定群体 without the group named", "在 group 中写明，例如“低保对象”。",
                               Severity::warning));
    if (standard) {
        std::vector<std::string> missing;
        if (item.basis.empty()) missing.push_back("公开依据");
        if (!item.time_limit) missing.push_back("公开时限");
        if (blank(item.subject)) missing.push_back("公开主体");
        if (item.channels.empty()) missing.push_back("公开渠道");
        if (!item.audience) missing.push_back("公开对象");
        if (!item.mode) missing.push_back("公开方式");
        if (!missing.empty()) {
            std::string list;
            for (const auto& m : missing) list += (list.empty() ? "" : "、") + m;
            out.push_back(diagnose("GKML-W008", p, "标准事项缺少栏目：" + list, "standard item lacks columns: " + list,
                                   "标准目录的每个事项都应填齐全部栏目。", Severity::warning));
        }
        if (item.evidence.empty())
            out.push_back(diagnose("GKML-W004", p, "标准事项 " + item.id + " 没有出处",
                                   "standard item " + item.id + " carries no evidence",
                                   "加上 <evidence><seen href=\"…\"/></evidence>，或 <reconstructed> 说明依据。",
                                   Severity::warning));
    }

    // Against the standard the catalog is based on.
    const Catalog* std_catalog = context.standard;
    const bool derived = standard && !catalog.based_on.empty();  // a locality's standard, based on the national one
    if (std_catalog && (!standard || derived) && item.is_local() && !item.anchor.empty()) {
        bool resolves = item.anchor.size() == 2 ? std_catalog->find_field(item.anchor) != nullptr
                                                : std_catalog->find_item(item.anchor) || catalog.find_item(item.anchor);
        if (!resolves)
            out.push_back(diagnose("GKML-E012", p, "本地事项挂靠的 " + item.anchor + " 在标准目录和本目录中都不存在",
                                   "anchor " + item.anchor + " is neither in the standard nor in this catalog",
                                   "anchor 应是所扩展的标准事项编号（FF-NNN）或领域代码（FF）。"));
    }
    if (!std_catalog || (standard && !derived) || item.is_local()) return;
    const Item* reference = std_catalog->find_item(item.id);
    if (!reference) {
        out.push_back(diagnose("GKML-E015", p, "标准目录中没有事项 " + item.id,
                               "item " + item.id + " is not in the standard " + catalog.based_on,
                               "若是本单位新增事项，请用 L- 开头的编号并设置 anchor；否则改正编号。"));
        return;
    }
    if (derived) return;  // the locality words, levels and ticks its items as it decides
    const auto& unit = catalog.meta.unit;
    if (unit && catalog.kind == CatalogKind::unit && !reference->at_level(unit->level))
        out.push_back(diagnose("GKML-E014", p,
                               "事项 " + item.id + " 在标准中只属于" + levels_zh(reference->levels) + "，本单位是" +
                                   std::string(label_zh(unit->level)),
                               "item " + item.id + " is not at the unit's level (" + std::string(to_string(unit->level)) +
                                   ") in the standard",
                               "删除该事项，或确认单位层级是否填错。"));
    if (reference->status == ItemStatus::deprecated)
        out.push_back(diagnose("GKML-W003", p, "事项 " + item.id + " 在标准中已停用",
                               "item " + item.id + " is deprecated in the standard",
                               reference->replaced_by.empty() ? "删除该事项。"
                                                              : "改用替代事项 " + reference->replaced_by + "。",
                               Severity::warning));
    if (item.not_applicable) return;
    for (const auto& c : reference->channels) {
        if (!c.required) continue;
        bool present = std::ranges::any_of(item.channels, [&](const Channel& mine) { return mine.code == c.code; });
        if (!present)
            out.push_back(diagnose("GKML-W002", p,
                                   "事项 " + item.id + " 缺少标准要求的渠道：" + std::string(label_zh(c.code)),
                                   "item " + item.id + " lacks a required channel: " + std::string(to_string(c.code)),
                                   "标准中 ■ 的渠道是必选项，请补上。", Severity::warning));
    }
    for (const auto& e : reference->elements) {
        if (e.mark != ElementMark::required) continue;
        bool present = std::ranges::any_of(item.elements, [&](const Element& mine) { return squeeze(mine.text) == squeeze(e.text); });
        if (!present)
            out.push_back(diagnose("GKML-W007", p, "事项 " + item.id + " 缺少必选要素：" + e.text,
                                   "item " + item.id + " lacks a required element: " + e.text,
                                   "标准中 ● 的要素是必选项，请补上。", Severity::warning));
    }
}

}  // namespace

std::vector<Diagnostic> check_catalog(const Catalog& catalog, const CheckContext& context) {
    std::vector<Diagnostic> out;
    const auto& p = catalog.pos;
    if (catalog.kind != CatalogKind::standard && catalog.based_on.empty())
        out.push_back(diagnose("GKML-E011", p, "单位目录没有写明依据的标准目录（based-on）",
                               "a unit or template catalog must name the standard it is based on",
                               "在 <catalog> 上加 based-on=\"gkml-standard\" based-on-version=\"…\"；用 gkml init 生成的目录会自带。"));
    if (catalog.based_on.empty() && !catalog.based_on_version.empty())
        out.push_back(diagnose("GKML-E023", p, "写了 based-on-version 却没有 based-on", "based-on-version without based-on",
                               "补上 based-on，或删除 based-on-version。"));
    if (catalog.kind == CatalogKind::unit && !catalog.meta.unit)
        out.push_back(diagnose("GKML-E019", p, "单位目录没有写明单位（<meta><unit …/>）", "a unit catalog must name its unit",
                               "在 <meta> 中加 <unit code=\"统计用区划代码\" name=\"单位名称\" level=\"township\"/>。"));
    if (catalog.kind == CatalogKind::template_ && catalog.meta.unit)
        out.push_back(diagnose("GKML-W010", p, "模板仍带有单位信息", "a template still names a unit",
                               "用 gkml template 去掉单位信息后再分发。", Severity::warning));
    std::map<std::string, const FieldEntry*> registry;
    if (context.registry)
        for (const auto& f : *context.registry) registry[f.code] = &f;
    std::set<std::string> names_seen;
    for (const auto& field : catalog.fields) {
        if (context.registry) {
            auto it = registry.find(field.code);
            if (it == registry.end())
                out.push_back(diagnose("GKML-E022", field.pos, "领域代码 " + field.code + " 不在领域名录中",
                                       "field code " + field.code + " is not in catalogs/fields.xml",
                                       "用 gkml fields 查看 26 个领域的代码。"));
            else if (it->second->name != field.name &&
                     std::ranges::find(it->second->aliases, field.name) == it->second->aliases.end())
                out.push_back(diagnose("GKML-W013", field.pos,
                                       "领域 " + field.code + " 的名称“" + field.name + "”与名录中的“" + it->second->name +
                                           "”不同",
                                       "field " + field.code + " is named differently from the registry",
                                       "用名录中的名称或其别名。", Severity::warning));
        }
        if (field.not_applicable && blank(field.not_applicable->reason))
            out.push_back(diagnose("GKML-E013", field.pos, "领域 " + field.code + " 标为未涉及，但没有写明理由",
                                   "field " + field.code + " is marked not applicable without a reason",
                                   "在 reason 中写明（未涉及领域事项说明）。"));
        std::set<std::string> pairs;
        for (const auto& item : field.items) {
            check_item(catalog, field, item, context, out);
            std::string key = squeeze(item.category) + "\x1f" + squeeze(item.name);
            if (!pairs.insert(key).second)
                out.push_back(diagnose("GKML-W009", item.pos,
                                       "同一领域中“" + item.category + " / " + item.name + "”出现了两次",
                                       "the same 一级/二级事项 appears twice in field " + field.code,
                                       "合并两行，或改正其中一行的事项名称。", Severity::warning));
        }
    }
    return out;
}

namespace {

// What the rules across a catalog set need of each item; kept instead of whole catalogs, so a run
// over thousands of files holds only this much once a file is checked.
struct SetEntry {
    std::string id;
    std::string anchor;
    std::string replaced_by;
    SourcePos pos;
};

struct SetIndex {
    CatalogKind kind = CatalogKind::standard;
    std::vector<std::string> fields;
    std::vector<SetEntry> items;
};

SetIndex index_of(const Catalog& catalog) {
    SetIndex index{catalog.kind, {}, {}};
    for (const auto& field : catalog.fields) {
        index.fields.push_back(field.code);
        for (const auto& item : field.items) index.items.push_back({item.id, item.anchor, item.replaced_by, item.pos});
    }
    return index;
}

std::vector<Diagnostic> check_set(const std::vector<const SetIndex*>& files) {
    std::vector<Diagnostic> out;
    std::map<std::string, const SetEntry*> ids;
    std::set<std::string> field_codes;
    for (const auto* file : files) {
        field_codes.insert(file->fields.begin(), file->fields.end());
        for (const auto& item : file->items) {
            auto [it, fresh] = ids.emplace(item.id, &item);
            if (!fresh && it->second->pos.file != item.pos.file)
                out.push_back(diagnose("GKML-E010", item.pos,
                                       "事项编号 " + item.id + " 在 " + it->second->pos.file + " 中已经用过",
                                       "item id " + item.id + " is already used in " + it->second->pos.file + ":" +
                                           std::to_string(it->second->pos.line),
                                       "同一套目录的各文件中，事项编号必须唯一：给其中一个换新编号。"));
        }
    }
    for (const auto* file : files)
        for (const auto& item : file->items) {
            if (!item.anchor.empty() && file->kind == CatalogKind::standard) {
                bool resolves = item.anchor.size() == 2 ? field_codes.contains(item.anchor) : ids.contains(item.anchor);
                if (!resolves)
                    out.push_back(diagnose("GKML-E012", item.pos, "本地事项挂靠的 " + item.anchor + " 不存在",
                                           "anchor " + item.anchor + " does not resolve",
                                           "anchor 应是本目录中的事项编号或领域代码。"));
            }
            if (!item.replaced_by.empty() && !ids.contains(item.replaced_by))
                out.push_back(diagnose("GKML-E017", item.pos, "替代事项 " + item.replaced_by + " 不存在",
                                       "replacement " + item.replaced_by + " does not resolve",
                                       "replaced-by 应指向本目录中仍在用的事项。"));
        }
    return out;
}

}  // namespace

namespace {

// Points each schema finding inside an <item> of the XML about to be written at where that item came
// from (a workbook's cell, a source file's line): the written file does not exist yet, and a clerk
// never saw its lines. The items are matched by id and, for an id written twice, by occurrence.
void point_at_sources(std::vector<Diagnostic>& out, const Catalog& catalog, std::string_view xml) {
    std::map<std::string, std::vector<const Item*>, std::less<>> by_id;
    for (const auto& field : catalog.fields)
        for (const auto& item : field.items) by_id[item.id].push_back(&item);
    struct Span {
        int first, last;
        const Item* item;
    };
    std::vector<Span> spans;  // in document order, so by first line
    std::map<std::string, std::size_t, std::less<>> seen;
    int line = 1;
    for (std::size_t i = 0; i < xml.size(); ++i) {
        if (xml[i] == '\n') {
            ++line;
        } else if (xml.compare(i, 6, "<item ") == 0) {
            auto quote = xml.find("id=\"", i);
            auto end = quote == std::string_view::npos ? quote : xml.find('"', quote + 4);
            if (end == std::string_view::npos) break;
            std::string id(xml.substr(quote + 4, end - quote - 4));
            auto found = by_id.find(id);
            auto k = seen[id]++;
            if (found != by_id.end() && k < found->second.size()) spans.push_back(Span{line, line, found->second[k]});
        } else if (xml.compare(i, 7, "</item>") == 0 && !spans.empty()) {
            spans.back().last = line;
        }
    }
    for (auto& d : out) {
        auto after = std::ranges::upper_bound(spans, d.line, {}, &Span::first);
        if (d.line <= 0 || after == spans.begin() || d.line > std::prev(after)->last) continue;
        const auto& pos = std::prev(after)->item->pos;
        if (pos.line <= 0 && pos.cell.empty()) continue;  // made in memory: the written line is all there is
        if (!pos.file.empty()) d.file = pos.file;
        d.line = pos.line;
        d.column = pos.column;
        d.cell = pos.cell;
    }
}

}  // namespace

std::vector<Diagnostic> check_before_writing(const Catalog& catalog, std::string_view xml, std::string_view file,
                                             const Schemas& schemas, const CheckContext& context) {
    DocumentKind kind;
    auto out = schemas.check(xml, file, kind);
    point_at_sources(out, catalog, xml);
    if (has_errors(out)) return out;
    // The rules point at where each item came from (a workbook's row, a source file's line): the file
    // about to be written does not exist yet.
    for (auto& d : check_catalog(catalog, context)) out.push_back(std::move(d));
    return out;
}

std::vector<Diagnostic> check_catalog_set(const std::vector<const Catalog*>& files) {
    std::vector<SetIndex> indexes;
    for (const auto* catalog : files) indexes.push_back(index_of(*catalog));
    std::vector<const SetIndex*> pointers;
    for (const auto& index : indexes) pointers.push_back(&index);
    return check_set(pointers);
}

// ---- the whole run ----

namespace {

void collect_files(const std::filesystem::path& path, std::vector<std::filesystem::path>& files,
                   std::vector<Diagnostic>& out) {
    std::error_code ec;
    auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status)) {
        out.push_back(Diagnostic{"GKML-E001", Severity::error, path.string(), 0, 0, "找不到该文件或文件夹",
                                 "no such file or folder", "检查路径是否写错。", {}});
        return;
    }
    if (!std::filesystem::is_directory(status)) {
        files.push_back(path);
        return;
    }
    std::filesystem::recursive_directory_iterator it(path, std::filesystem::directory_options::skip_permission_denied, ec);
    for (; !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec))
        if (it->is_regular_file(ec) && it->path().extension() == ".xml") files.push_back(it->path());
    if (ec)
        out.push_back(Diagnostic{"GKML-E001", Severity::error, path.string(), 0, 0, "无法读取文件夹", ec.message(),
                                 "检查文件夹权限。", {}});
}

struct FileResult {
    std::vector<Diagnostic> diagnostics;
    DocumentKind kind = DocumentKind::unknown;
    std::optional<std::pair<std::string, std::string>> set;  // the catalog's id and version
    std::optional<SetIndex> index;
    std::optional<Catalog> catalog;  // kept only while its checks wait for a standard among the inputs
};

// What every worker reads and nobody writes: the registry and the standard folder, loaded once.
struct Shared {
    const Schemas& schemas;
    std::vector<FieldEntry> registry;
    std::vector<Catalog> standards;

    const Catalog* standard_for(const Catalog& c) const {
        for (const auto& s : standards)
            if (s.id == c.based_on && (c.based_on_version.empty() || s.version == c.based_on_version)) return &s;
        return nullptr;
    }
    CheckContext context(const Catalog* standard) const {
        return CheckContext{registry.empty() ? nullptr : &registry, standard};
    }
};

FileResult check_one(const std::filesystem::path& file, const Shared& shared) {
    FileResult result;
    auto text = read_file(file);
    if (!text) {
        result.diagnostics.push_back(Diagnostic{"GKML-E001", Severity::error, file.string(), 0, 0, "无法读取文件",
                                                text.error().message, "检查文件是否存在、是否有读取权限。", {}});
        return result;
    }
    result.diagnostics = shared.schemas.check(*text, file.string(), result.kind);
    if (result.kind != DocumentKind::catalog || has_errors(result.diagnostics)) return result;
    auto catalog = parse_catalog(*text, file.string());
    if (!catalog) {
        result.diagnostics.push_back(Diagnostic{"GKML-E005", Severity::error, file.string(), catalog.error().line, 0,
                                                "目录内容无法读取", catalog.error().message, "对照 xsd/catalog.xsd 修改。", {}});
        return result;
    }
    result.set = std::pair{catalog->id, catalog->version};
    result.index = index_of(*catalog);
    const Catalog* standard = catalog->kind == CatalogKind::standard ? nullptr : shared.standard_for(*catalog);
    if (catalog->kind == CatalogKind::standard || (!standard && !catalog->based_on.empty())) {
        result.catalog = std::move(*catalog);  // checked once every input is read
        return result;
    }
    for (auto& d : check_catalog(*catalog, shared.context(standard))) result.diagnostics.push_back(std::move(d));
    return result;
}

}  // namespace

ValidateReport validate_paths(const std::vector<std::filesystem::path>& paths, const ValidateOptions& options,
                              const Schemas& schemas) {
    ValidateReport report;
    std::vector<std::filesystem::path> files;
    for (const auto& p : paths) collect_files(p, files, report.diagnostics);
    std::ranges::sort(files);
    files.erase(std::unique(files.begin(), files.end()), files.end());
    report.files = files.size();

    Shared shared{schemas, {}, {}};
    if (!options.fields_file.empty())
        if (auto loaded = read_fields(options.fields_file)) shared.registry = std::move(*loaded);
    if (!options.standard_dir.empty())
        if (auto loaded = read_catalog_dir(options.standard_dir)) shared.standards = std::move(*loaded);

    std::vector<FileResult> results(files.size());
    std::atomic<std::size_t> next{0};
    auto work = [&] {
        for (std::size_t i; (i = next.fetch_add(1)) < files.size();) results[i] = check_one(files[i], shared);
    };
    unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
    threads = static_cast<unsigned>(std::min<std::size_t>(threads, std::max<std::size_t>(1, files.size())));
    std::vector<std::jthread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    pool.clear();

    // Catalogs whose standard is among the inputs: the standard is that set, joined across its files.
    std::map<std::pair<std::string, std::string>, std::vector<const Catalog*>> held;
    for (const auto& r : results)
        if (r.catalog) held[*r.set].push_back(&*r.catalog);
    std::map<std::pair<std::string, std::string>, Catalog> joined;
    // A locality's standard is checked against the standard it is based on, as a unit's catalog is.
    auto based = [](const Catalog& c) { return c.kind != CatalogKind::standard || !c.based_on.empty(); };
    for (const auto& r : results) {
        if (!r.catalog || !based(*r.catalog)) continue;
        auto key = std::pair{r.catalog->based_on, r.catalog->based_on_version};
        if (joined.contains(key) || !held.contains(key)) continue;
        std::vector<Catalog> copies;
        for (const auto* c : held[key]) copies.push_back(*c);
        joined.emplace(key, join_catalogs(std::move(copies)));
    }
    std::map<std::pair<std::string, std::string>, std::vector<const SetIndex*>> sets;
    for (auto& r : results) {
        for (auto& d : r.diagnostics) report.diagnostics.push_back(std::move(d));
        if (r.index) sets[*r.set].push_back(&*r.index);
        if (!r.catalog) continue;
        const Catalog* standard = nullptr;
        if (based(*r.catalog)) {
            auto it = joined.find({r.catalog->based_on, r.catalog->based_on_version});
            standard = it != joined.end() ? &it->second : shared.standard_for(*r.catalog);
            if (!standard)
                report.diagnostics.push_back(diagnose(
                    "GKML-E011", r.catalog->pos,
                    "找不到依据的标准目录 " + r.catalog->based_on + " " + r.catalog->based_on_version,
                    "based-on " + r.catalog->based_on + " " + r.catalog->based_on_version + " does not resolve",
                    "把标准目录所在文件夹一起传给 gkml validate，或用 --standard 指定。"));
        }
        for (auto& d : check_catalog(*r.catalog, shared.context(standard))) report.diagnostics.push_back(std::move(d));
    }
    for (const auto& [key, parts] : sets)
        for (auto& d : check_set(parts)) report.diagnostics.push_back(std::move(d));

    std::ranges::sort(report.diagnostics, [](const Diagnostic& a, const Diagnostic& b) {
        return std::tie(a.file, a.line, a.column, a.code, a.message_en) <
               std::tie(b.file, b.line, b.column, b.code, b.message_en);
    });
    return report;
}

}  // namespace gkml
