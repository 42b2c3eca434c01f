#include "gkml/ledger.hpp"

#include "gkml/units.hpp"

#include <pugixml.hpp>

#include <algorithm>
#include <charconv>
#include <map>
#include <unordered_set>

#include "gkml/csv.hpp"
#include "gkml/text.hpp"

namespace gkml {

namespace {

Error invalid(std::string message, std::string_view file, int line) {
    return Error{ErrorKind::invalid_input, std::move(message), std::string(file), line};
}

std::string trimmed(std::string_view s) {
    auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    return std::string(s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1));
}

// A code, a label of the national tables, or a name CMSs commonly use; full-width forms folded.
std::optional<ChannelCode> channel_from(const std::string& cell) {
    auto text = fold_width(cell);
    if (auto code = channel_code_from(text)) return code;
    for (int c = 0; c <= static_cast<int>(ChannelCode::other); ++c)
        if (fold_width(label_zh(static_cast<ChannelCode>(c))) == text) return static_cast<ChannelCode>(c);
    static const std::map<std::string, ChannelCode, std::less<>> common{
        {"网站", ChannelCode::website},          {"门户网站", ChannelCode::website},
        {"政务新媒体", ChannelCode::weibo_wechat_app}, {"微信公众号", ChannelCode::weibo_wechat_app},
        {"政务微博", ChannelCode::weibo_wechat_app},   {"公示栏", ChannelCode::bulletin_board},
        {"公开栏", ChannelCode::bulletin_board}};
    if (auto it = common.find(text); it != common.end()) return it->second;
    return std::nullopt;
}

}  // namespace

std::optional<Date> parse_loose_date(std::string_view text) {
    auto s = trimmed(fold_width(text));
    s = s.substr(0, s.find(' '));
    int parts[3] = {0, 0, 0};
    std::size_t at = 0;
    for (int k = 0; k < 3; ++k) {
        auto [p, ec] = std::from_chars(s.data() + at, s.data() + s.size(), parts[k]);
        if (ec != std::errc{}) return std::nullopt;
        at = static_cast<std::size_t>(p - s.data());
        std::string_view rest(s.data() + at, s.size() - at);
        static constexpr std::string_view separators[3][3] = {{"-", "/", "年"}, {"-", "/", "月"}, {"", "日", ""}};
        auto sep = std::ranges::find_if(separators[k], [&](std::string_view x) {
            return k == 2 ? rest == x : !x.empty() && rest.starts_with(x);
        });
        if (sep == std::end(separators[k])) return std::nullopt;
        at += sep->size();
    }
    Date date{std::chrono::year{parts[0]}, std::chrono::month{static_cast<unsigned>(parts[1])},
              std::chrono::day{static_cast<unsigned>(parts[2])}};
    if (!date.ok()) return std::nullopt;
    return date;
}

namespace {

// Well-formed UTF-8 of characters XML 1.0 allows (no C0 controls but tab, LF and CR; no surrogates,
// U+FFFE or U+FFFF); no character reference or entity beyond the five predefined ones; no comment or
// DOCTYPE: what pugixml would let pass and libxml2 (or gkml's own screening) would not.
bool plain_xml_text(std::string_view s) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const auto* end = p + s.size();
    while (p < end) {
        unsigned c = *p;
        if (c < 0x80) {
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return false;
            if (c == '&') {
                std::string_view rest(reinterpret_cast<const char*>(p), static_cast<std::size_t>(end - p));
                if (!(rest.starts_with("&amp;") || rest.starts_with("&lt;") || rest.starts_with("&gt;") ||
                      rest.starts_with("&quot;") || rest.starts_with("&apos;")))
                    return false;
            }
            if (c == '<' && end - p > 1 && p[1] == '!' &&  // a comment, a DOCTYPE: only CDATA is plain
                !std::string_view(reinterpret_cast<const char*>(p), static_cast<std::size_t>(end - p)).starts_with("<![CDATA["))
                return false;
            ++p;
            continue;
        }
        int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC2 ? 1 : -1;
        if (extra < 0 || c > 0xF4 || end - p <= extra) return false;
        std::uint32_t code = c & (0x3Fu >> extra);
        for (int k = 1; k <= extra; ++k) {
            if ((p[k] & 0xC0) != 0x80) return false;
            code = (code << 6) | (p[k] & 0x3Fu);
        }
        if ((extra == 2 && code < 0x800) || (extra == 3 && (code < 0x10000 || code > 0x10FFFF)) ||
            (code >= 0xD800 && code <= 0xDFFF) || code == 0xFFFE || code == 0xFFFF)
            return false;
        p += extra + 1;
    }
    return true;
}

bool digits(std::string_view s) {
    return std::ranges::all_of(s, [](char c) { return c >= '0' && c <= '9'; });
}

bool alnum(char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

// [0-9]{2}-[0-9]{3}|L-[0-9A-Za-z_\-]{1,40}
bool item_id_pattern(std::string_view s) {
    if (s.size() == 6 && s[2] == '-') return digits(s.substr(0, 2)) && digits(s.substr(3));
    if (!s.starts_with("L-") || s.size() < 3 || s.size() > 42) return false;
    return std::ranges::all_of(s.substr(2), [](char c) { return alnum(c) || c == '_' || c == '-'; });
}


// xs:date as YYYY-MM-DD exactly (no time zone, no surrounding space).
std::optional<Date> plain_date(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !digits(s.substr(0, 4)) || !digits(s.substr(5, 2)) ||
        !digits(s.substr(8)) || s.starts_with("0000"))
        return std::nullopt;
    return parse_date(s);
}

// What libxml2 accepts as xs:anyURI for certain: empty, or an http(s) address of unreserved and
// sub-delimiter characters, "%" with two hex digits, at most one "#" and no port, IPv6 or user part.
bool plain_uri(std::string_view s) {
    if (s.empty()) return true;
    if (s.starts_with("https://")) s.remove_prefix(8);
    else if (s.starts_with("http://")) s.remove_prefix(7);
    else return false;
    if (s.empty() || !alnum(s.front()) || std::ranges::count(s, '#') > 1) return false;
    auto hex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f'); };
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '%') {
            if (i + 2 >= s.size() + 0 || !hex(s[i + 1]) || !hex(s[i + 2])) return false;
            i += 2;
        } else if (!alnum(c) && std::string_view("-._~/?#!$&'()*+,;=").find(c) == std::string_view::npos) {
            return false;
        }
    }
    return true;
}

// The text of an element that may hold only text; nullopt when it holds an element.
std::optional<std::string> text_only(pugi::xml_node node) {
    std::string out;
    for (auto child : node.children()) {
        if (child.type() != pugi::node_pcdata && child.type() != pugi::node_cdata) return std::nullopt;
        out += child.value();
    }
    return out;
}

bool blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

}  // namespace

namespace {

// The plain-ledger check; the records are kept only when `out` is given (validate needs none).
bool plain_ledger(std::string_view xml, Ledger* out) {
    if (xml.starts_with("\xEF\xBB\xBF")) xml.remove_prefix(3);
    // The declaration, if any, in one of the forms every writer uses; nothing else may start with "<?".
    for (std::string_view declaration : {R"(<?xml version="1.0" encoding="UTF-8"?>)", R"(<?xml version="1.0" encoding="utf-8"?>)",
                                         R"(<?xml version="1.0"?>)"})
        if (xml.starts_with(declaration)) {
            xml.remove_prefix(declaration.size());
            break;
        }
    if (xml.find("<?") != std::string_view::npos || !plain_xml_text(xml)) return false;
    // Nothing but space before the root (pugixml would drop text there without a word).
    auto first = xml.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos || xml[first] != '<') return false;
    // Nothing but space after the root, and every "]]>" closes a CDATA section.
    auto last = xml.find_last_not_of(" \t\r\n");
    if (last == std::string_view::npos || !xml.substr(0, last + 1).ends_with("</ledger>")) return false;
    std::size_t cdata = 0, closes = 0;
    for (auto at = xml.find("<![CDATA["); at != std::string_view::npos; at = xml.find("<![CDATA[", at + 1)) ++cdata;
    for (auto at = xml.find("]]>"); at != std::string_view::npos; at = xml.find("]]>", at + 1)) ++closes;
    if (cdata != closes) return false;

    pugi::xml_document doc;
    if (!doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8)) return false;
    auto root = doc.first_child();
    if (!root || root.next_sibling() || root.type() != pugi::node_element || std::string_view(root.name()) != "ledger")
        return false;
    Ledger ledger;
    bool has_ns = false, has_unit = false;
    for (auto a : root.attributes()) {
        std::string_view name = a.name(), value = a.value();
        if (name == "xmlns" && !has_ns && value == "urn:gkml:ledger:1") {
            has_ns = true;
        } else if (name == "unit" && !has_unit && is_unit_code(value)) {
            has_unit = true;
            ledger.unit = value;
        } else if ((name == "from" || name == "to") && root.attribute(a.name()) == a) {  // present once
            auto date = plain_date(value);
            if (!date) return false;
            (name == "from" ? ledger.from : ledger.to) = date;
        } else {
            return false;
        }
    }
    if (!has_ns || !has_unit) return false;
    if (ledger.from && ledger.to && *ledger.from > *ledger.to) return false;  // the full path says why
    std::unordered_set<std::string_view> ids;
    for (auto node : root.children()) {
        if (node.type() == pugi::node_pcdata && blank(node.value())) continue;
        if (node.type() != pugi::node_element || std::string_view(node.name()) != "record") return false;
        Record record;
        std::optional<Date> formed, published;
        std::optional<ChannelCode> channel;
        bool has_id = false, has_item = false;
        for (auto a : node.attributes()) {
            std::string_view name = a.name(), value = a.value();
            if (value.find('<') != std::string_view::npos) return false;  // raw or escaped: the full check decides
            if (name == "id" && !has_id) {
                has_id = true;
                if (!ids.insert(value).second) return false;
                if (out) record.id = value;
            } else if (name == "item" && !has_item && item_id_pattern(value)) {
                has_item = true;
                if (out) record.item = value;
            } else if (name == "formed" && !formed && (formed = plain_date(value))) {
            } else if (name == "published" && !published && (published = plain_date(value))) {
            } else if (name == "channel" && !channel && (channel = channel_code_from(value))) {
            } else {
                return false;
            }
        }
        if (!has_item || !formed || !published || !channel) return false;
        record.formed = *formed;
        record.published = *published;
        record.channel = *channel;
        // <title> then an optional <url>, text only, with nothing but space around them.
        int seen = 0;
        for (auto child : node.children()) {
            if (child.type() == pugi::node_pcdata && blank(child.value())) continue;
            if (child.type() != pugi::node_element || child.first_attribute()) return false;
            std::string_view name = child.name();
            auto text = text_only(child);
            if (!text) return false;
            if (name == "title" && seen == 0) {
                if (out) record.title = std::move(*text);
            } else if (name == "url" && seen == 1 && plain_uri(*text)) {
                if (out) record.url = std::move(*text);
            } else {
                return false;
            }
            ++seen;
        }
        if (seen == 0) return false;
        if (out) ledger.records.push_back(std::move(record));
    }
    if (out) *out = std::move(ledger);
    return true;
}

}  // namespace

std::optional<Ledger> parse_plainly_valid_ledger(std::string_view xml) {
    Ledger ledger;
    if (!plain_ledger(xml, &ledger)) return std::nullopt;
    return ledger;
}

bool is_plainly_valid_ledger(std::string_view xml) { return plain_ledger(xml, nullptr); }

// An xs:date: YYYY-MM-DD, with the time zone the schema allows after it (Z, +08:00) set aside: the
// day is what a deadline counts.
std::optional<Date> xs_date(std::string_view text) {
    if (text.size() > 10) {
        auto zone = text.substr(10);
        bool offset = zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':';
        if (zone != "Z" && !offset) return std::nullopt;
        text = text.substr(0, 10);
    }
    return parse_date(text);
}

std::expected<Ledger, Error> parse_ledger_xml(std::string_view xml, std::string_view file) {
    pugi::xml_document doc;
    auto parsed = doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!parsed) return std::unexpected(invalid(parsed.description(), file, 0));
    auto root = doc.document_element();
    Ledger ledger{root.attribute("unit").value(), {}, {}, {}};
    for (auto [name, date] : {std::pair{"from", &ledger.from}, std::pair{"to", &ledger.to}})
        if (auto a = root.attribute(name)) {
            *date = xs_date(a.value());
            if (!*date)
                return std::unexpected(invalid(std::string("台账的 ") + name + " 不是日期（应为 2025-01-01 的形式）：" + a.value() + " / @" + name +
                                                   " is not a date",
                                               file, 0));
        }
    if (ledger.from && ledger.to && *ledger.from > *ledger.to)
        return std::unexpected(invalid("台账的起始日期（from）晚于截止日期（to） / @from is after @to", file, 0));
    for (auto node : root.children("record")) {
        auto formed = xs_date(node.attribute("formed").value());
        auto published = xs_date(node.attribute("published").value());
        auto channel = channel_code_from(node.attribute("channel").value());
        if (!formed || !published || !channel)
            return std::unexpected(invalid("a record with a bad date or channel", file, 0));
        ledger.records.push_back(Record{node.attribute("id").value(), node.attribute("item").value(), *formed, *published,
                                        *channel, text_only(node.child("title")).value_or(""),
                                        text_only(node.child("url")).value_or("")});
    }
    return ledger;
}

namespace {

std::optional<std::size_t> formed_column(const std::vector<std::string>& header) {
    return column_of(header, {"formed", "形成日期", "信息形成日期", "形成或变更日期", "变更日期", "生成日期"});
}

}  // namespace

bool is_ledger_csv(std::string_view bytes) {
    auto text = decode_text(bytes, "");
    if (!text) return false;
    std::string_view rest = *text;
    while (!rest.empty()) {
        auto end = rest.find('\n');
        auto line = rest.substr(0, end);
        if (line.find_first_not_of(" \t\r,") != std::string_view::npos) {  // the header, as parse_ledger_csv takes it
            auto header = parse_csv(line, "");
            return header && !header->empty() && formed_column(header->front().cells).has_value();
        }
        if (end == std::string_view::npos) break;
        rest.remove_prefix(end + 1);
    }
    return false;
}

std::expected<std::vector<Ledger>, Error> parse_ledger_csv(std::string_view bytes, std::string_view file) {
    auto rows = read_csv(bytes, file);
    if (!rows) return std::unexpected(rows.error());
    const auto& header = rows->front().cells;
    auto unit = column_of(header, {"unit", "单位代码", "单位", "区划代码", "发布单位代码"});
    auto item = column_of(header, {"item", "事项编号", "事项", "目录编号", "事项代码"});
    auto formed = formed_column(header);
    auto published = column_of(header, {"published", "发布日期", "公开日期", "发布时间", "公开时间"});
    auto channel = column_of(header, {"channel", "发布渠道", "公开渠道", "渠道"});
    auto title = column_of(header, {"title", "标题", "信息标题"});
    auto id = column_of(header, {"id", "索引号", "信息编号"});
    auto url = column_of(header, {"url", "address", "链接", "网址", "地址", "链接地址"});
    if (!unit || !item || !formed || !published || !channel)
        return std::unexpected(invalid("the header needs unit, item, formed, published and channel columns "
                                       "(单位代码, 事项编号, 形成日期, 发布日期, 发布渠道)",
                                       file, rows->front().line));
    // Every bad row is found, not the first only: a CMS export of a year is fixed in one go.
    std::map<std::string, Ledger> by_unit;
    std::vector<std::pair<int, std::string>> problems;
    for (std::size_t r = 1; r < rows->size(); ++r) {
        const auto& row = (*rows)[r];
        auto cell = [&](std::optional<std::size_t> c) { return trimmed(cell_of(row, c)); };
        auto formed_date = parse_loose_date(cell(formed));
        auto published_date = parse_loose_date(cell(published));
        auto channel_code = channel_from(cell(channel));
        auto control = [](const std::string& text) {
            return std::ranges::any_of(text, [](char c) { return static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r'; });
        };
        std::string problem;
        if (cell(unit).empty() || cell(item).empty())
            problem = "缺少单位代码或事项编号 / a record without its unit or item";
        else if (!formed_date || !published_date)
            problem = "不是日期：\"" + (formed_date ? cell(published) : cell(formed)) + "\"（写作 2025-03-01 或 2025/3/1） / not a date";
        else if (!channel_code)
            problem = "不认识的发布渠道 \"" + cell(channel) + "\"（如 政府网站、公开栏、政务新媒体） / unknown channel";
        // The rules the XSD holds an XML ledger to, for the same records in a CSV.
        else if (!is_unit_code(cell(unit)))
            problem = "单位代码 \"" + cell(unit) + "\" 不是统计用区划代码（6、9 或 12 位数字，可带 -部门简称） / not a division code";
        else if (!item_id_pattern(cell(item)))
            problem = "事项编号 \"" + cell(item) + "\" 不是 FF-NNN 或 L-… 的形式 / not an item id";
        else if (control(cell(title)) || control(cell(url)))
            problem = "标题或链接中有控制字符（多为复制粘贴带入），XML 台账不能保存 / control characters in the title or address";
        if (!problem.empty()) {
            problems.emplace_back(row.line, std::move(problem));
            continue;
        }
        auto& ledger = by_unit[cell(unit)];
        ledger.unit = cell(unit);
        ledger.records.push_back(Record{cell(id), cell(item), *formed_date, *published_date, *channel_code, cell(title), cell(url)});
    }
    if (!problems.empty()) {
        // The first line in the error's own place; every line in its message, as file:line: what.
        constexpr std::size_t shown = 50;
        std::string message = problems.front().second;
        for (std::size_t k = 1; k < std::min(problems.size(), shown); ++k)
            message += "\n" + std::string(file) + ":" + std::to_string(problems[k].first) + ": " + problems[k].second;
        if (problems.size() > shown) message += "\n…… 共 " + std::to_string(problems.size()) + " 行有问题 (" + std::to_string(problems.size()) + " bad rows)";
        else if (problems.size() > 1) message += "\n共 " + std::to_string(problems.size()) + " 行有问题，整份台账未导入 (" + std::to_string(problems.size()) + " bad rows; nothing ingested)";
        return std::unexpected(invalid(std::move(message), file, problems.front().first));
    }
    std::vector<Ledger> out;
    for (auto& [code, ledger] : by_unit) out.push_back(std::move(ledger));
    return out;
}

}  // namespace gkml
