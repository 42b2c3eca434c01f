#include "gkml/ledger.hpp"

#include <pugixml.hpp>

#include <algorithm>
#include <charconv>
#include <map>

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

std::expected<Ledger, Error> parse_ledger_xml(std::string_view xml, std::string_view file) {
    pugi::xml_document doc;
    auto parsed = doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!parsed) return std::unexpected(invalid(parsed.description(), file, 0));
    auto root = doc.document_element();
    Ledger ledger{root.attribute("unit").value(), {}};
    for (auto node : root.children("record")) {
        auto formed = parse_date(node.attribute("formed").value());
        auto published = parse_date(node.attribute("published").value());
        auto channel = channel_code_from(node.attribute("channel").value());
        if (!formed || !published || !channel)
            return std::unexpected(invalid("a record with a bad date or channel", file, 0));
        ledger.records.push_back(Record{node.attribute("id").value(), node.attribute("item").value(), *formed, *published,
                                        *channel, node.child_value("title"), node.child_value("url")});
    }
    return ledger;
}

std::expected<std::vector<Ledger>, Error> parse_ledger_csv(std::string_view bytes, std::string_view file) {
    auto rows = read_csv(bytes, file);
    if (!rows) return std::unexpected(rows.error());
    const auto& header = rows->front().cells;
    auto unit = column_of(header, {"unit", "单位代码", "单位", "区划代码", "发布单位代码"});
    auto item = column_of(header, {"item", "事项编号", "事项", "目录编号", "事项代码"});
    auto formed = column_of(header, {"formed", "形成日期", "信息形成日期", "形成或变更日期", "变更日期", "生成日期"});
    auto published = column_of(header, {"published", "发布日期", "公开日期", "发布时间", "公开时间"});
    auto channel = column_of(header, {"channel", "发布渠道", "公开渠道", "渠道"});
    auto title = column_of(header, {"title", "标题", "信息标题"});
    auto id = column_of(header, {"id", "索引号", "信息编号"});
    auto url = column_of(header, {"url", "address", "链接", "网址", "地址", "链接地址"});
    if (!unit || !item || !formed || !published || !channel)
        return std::unexpected(invalid("the header needs unit, item, formed, published and channel columns "
                                       "(单位代码, 事项编号, 形成日期, 发布日期, 发布渠道)",
                                       file, rows->front().line));
    std::map<std::string, Ledger> by_unit;
    for (std::size_t r = 1; r < rows->size(); ++r) {
        const auto& row = (*rows)[r];
        auto cell = [&](std::optional<std::size_t> c) { return trimmed(cell_of(row, c)); };
        auto formed_date = parse_loose_date(cell(formed));
        auto published_date = parse_loose_date(cell(published));
        auto channel_code = channel_from(cell(channel));
        if (cell(unit).empty() || cell(item).empty())
            return std::unexpected(invalid("a record without its unit or item", file, row.line));
        if (!formed_date || !published_date)
            return std::unexpected(invalid("not a date: \"" + (formed_date ? cell(published) : cell(formed)) + "\"", file, row.line));
        if (!channel_code) return std::unexpected(invalid("unknown channel \"" + cell(channel) + "\"", file, row.line));
        auto& ledger = by_unit[cell(unit)];
        ledger.unit = cell(unit);
        ledger.records.push_back(Record{cell(id), cell(item), *formed_date, *published_date, *channel_code, cell(title), cell(url)});
    }
    std::vector<Ledger> out;
    for (auto& [code, ledger] : by_unit) out.push_back(std::move(ledger));
    return out;
}

}  // namespace gkml
