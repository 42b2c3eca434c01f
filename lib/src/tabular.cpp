#include "gkml/tabular.hpp"

#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <map>
#include <set>
#include <span>

#include "gkml/csv.hpp"
#include "gkml/match.hpp"
#include "gkml/text.hpp"
#include "gkml/timelimit.hpp"
#include "gkml/units.hpp"

namespace gkml {

using namespace std::string_view_literals;

namespace {

constexpr std::string_view tick = "√";
constexpr std::string_view basis_number_open = "（文号：";
constexpr std::string_view reconstructed_prefix = "重构：";
constexpr std::string_view deprecated_word = "停用";
// 栏目类别 as the inspection rules name them, in ColumnKind order.
constexpr std::array<std::string_view, 3> column_kind_zh{"动态要闻类", "通知公告类", "政策文件类"};
constexpr std::string_view not_applicable_field = "（未涉及：";
constexpr std::array<std::string_view, 3> kind_zh{"标准目录", "单位目录", "模板"};

std::string trim(std::string_view s) {
    constexpr std::array<std::string_view, 5> blanks{" ", "\t", "\r", "\n", "\u3000"};
    bool again = true;
    while (again) {
        again = false;
        for (auto b : blanks) {
            if (s.starts_with(b)) s.remove_prefix(b.size()), again = true;
            if (s.ends_with(b)) s.remove_suffix(b.size()), again = true;
        }
    }
    return std::string{s};
}

std::vector<std::string> lines_of(std::string_view text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        if (auto line = trim(text.substr(start, end - start)); !line.empty()) out.push_back(std::move(line));
        start = end + 1;
    }
    return out;
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
    std::string out;
    for (const auto& p : parts) {
        if (!out.empty()) out += separator;
        out += p;
    }
    return out;
}

// Labels compared without width, spaces or line breaks.
std::string label_key(std::string_view text) {
    std::string out;
    for (char c : fold_width(text))
        if (c != ' ' && c != '\n' && c != '\r' && c != '\t') out += c;
    return out;
}

bool contains(std::string_view s, std::string_view part) { return s.find(part) != std::string_view::npos; }

std::vector<Level> levels_of_label(std::string_view label) {
    std::string key = label_key(label);
    std::vector<Level> out;
    bool county = contains(key, "县") || contains(key, "区");
    if (!county && (contains(key, "市") || contains(key, "州"))) out.push_back(Level::city);
    if (county) out.push_back(Level::county);
    if (contains(key, "乡") || contains(key, "镇") || contains(key, "街")) out.push_back(Level::township);
    if (contains(key, "村")) out.push_back(Level::village);
    return out;
}

ColumnHead recognize(std::string_view label, std::string_view group) {
    std::string l = label_key(label), g = label_key(group);
    auto is = [&](Column c) { return ColumnHead{c, std::string{group}, std::string{label}, {}}; };
    if (l.empty()) return is(Column::extra);
    if (contains(l, "序号")) return is(Column::seq);
    if (l == "编号" || l == "事项编号") return is(Column::id);
    if (contains(l, "领域代码")) return is(Column::field_code);
    if (contains(l, "领域")) return is(Column::field_name);
    if (contains(l, "一级事项") || contains(l, "一级目录")) return is(Column::category);
    if (contains(l, "二级事项") || contains(l, "二级目录") || l == "事项名称" || l == "公开事项") return is(Column::name);
    if (contains(l, "三级事项") || contains(l, "三级目录")) return is(Column::tertiary);
    if (contains(l, "条款") || contains(l, "效力") || contains(l, "位阶")) return is(Column::extra);
    if (contains(l, "内容") || contains(l, "要素")) return is(Column::elements);
    if (contains(l, "依据")) return is(Column::basis);
    if (contains(l, "时限")) return is(Column::time_limit);
    if (contains(l, "主体")) return is(Column::subject);
    if (contains(l, "渠道") || contains(l, "载体")) return is(Column::channels);
    if (l == "全社会" || l == "社会") return is(Column::audience_public);
    if (l.starts_with("特定")) return is(Column::audience_specific);
    if (l == "主动" || l == "主动公开") return is(Column::proactive);
    if (l == "依申请" || l == "依申请公开" || l == "申请") return is(Column::on_request);
    if (auto levels = levels_of_label(l);
        !levels.empty() && (contains(g, "层级") || l.ends_with("级") || display_width(l) <= 8)) {
        auto head = is(Column::levels);
        head.levels = std::move(levels);
        return head;
    }
    if (contains(l, "公开对象") || contains(l, "公开范围")) return is(Column::audience_text);
    if (contains(l, "公开方式")) return is(Column::mode_text);
    if (contains(l, "层级")) return is(Column::levels_text);
    if (contains(l, "不适用")) return is(Column::not_applicable);
    if (contains(l, "挂靠")) return is(Column::anchor);
    if (l == "状态") return is(Column::status);
    if (contains(l, "栏目类")) return is(Column::column_kind);
    if (contains(l, "备注")) return is(Column::note);
    if (l == "来源") return is(Column::evidence);
    return is(Column::extra);
}

// ---- writing cells ----

std::string elements_cell(const Item& item) {
    std::vector<std::string> lines;
    for (const auto& e : item.elements)
        lines.push_back(std::string{e.mark == ElementMark::required   ? "●"
                                    : e.mark == ElementMark::optional ? "〇"
                                                                       : ""} +
                        e.text);
    return join(lines, "\n");
}

std::string basis_cell(const Item& item) {
    std::vector<std::string> lines;
    for (const auto& s : item.basis)
        lines.push_back("【" + std::string{label_zh(s.kind)} + "】" + s.title +
                        (s.number.empty() ? "" : std::string{basis_number_open} + s.number + "）"));
    return join(lines, "\n");
}

std::string channels_cell(const Item& item) {
    std::vector<std::string> lines;
    for (const auto& c : item.channels)
        lines.push_back(std::string{c.required ? "■" : "□"} + std::string{label_zh(c.code)} +
                        (c.code == ChannelCode::other && !c.text.empty() ? "：" + c.text : ""));
    return join(lines, "\n");
}

std::string evidence_cell(const Evidence& evidence) {
    std::vector<std::string> lines;
    for (const auto& s : evidence.seen) lines.push_back(s.locality.empty() ? s.href : s.href + " " + s.locality);
    if (!evidence.reconstructed.empty()) lines.push_back(std::string{reconstructed_prefix} + evidence.reconstructed);
    return join(lines, "\n");
}

std::string mark(bool on) { return on ? std::string{tick} : std::string{}; }

// ---- reading cells ----

bool is_ticked(std::string_view cell) {
    static const std::set<std::string, std::less<>> blank{"", "□", "口", "☐", "×", "✗", "否", "无", "-", "—", "/"};
    return !blank.contains(trim(cell));
}

std::string strip_ticks(std::string_view cell) {
    std::string s = trim(cell);
    for (auto t : {"√"sv, "✓"sv, "✔"sv, "■"sv, "☑"sv, "●"sv})
        while (s.starts_with(t)) s = trim(std::string_view{s}.substr(t.size()));
    return s;
}

std::vector<Element> parse_elements(std::string_view cell) {
    std::vector<Element> out;
    for (const auto& line : lines_of(cell)) {
        std::string_view rest = line;
        ElementMark mark = ElementMark::unmarked;
        std::string text;
        auto flush = [&] {
            if (auto t = trim(text); !t.empty()) out.push_back({std::move(t), mark});
            text.clear();
        };
        while (!rest.empty()) {
            std::optional<ElementMark> next;
            std::size_t len = 0;
            for (auto [m, v] : {std::pair{"●"sv, ElementMark::required}, {"〇"sv, ElementMark::optional},
                                {"○"sv, ElementMark::optional}})
                if (rest.starts_with(m)) next = v, len = m.size();
            if (next) {
                flush();
                mark = *next;
                rest.remove_prefix(len);
            } else {
                text += rest.front();
                rest.remove_prefix(1);
            }
        }
        flush();
    }
    // "1.文件名称 2.文号": a numbered list on one line
    std::vector<Element> split;
    for (auto& e : out) {
        if (!e.text.starts_with("1.") && !e.text.starts_with("1、")) {
            split.push_back(std::move(e));
            continue;
        }
        std::string_view rest = e.text;
        int number = 1;
        std::vector<std::string> parts;
        while (true) {
            auto prefix = std::to_string(number);
            auto here = rest.starts_with(prefix + ".") || rest.starts_with(prefix + "、");
            if (!here) break;
            rest.remove_prefix(prefix.size() + (rest[prefix.size()] == '.' ? 1 : "、"sv.size()));
            auto next = std::to_string(++number);
            std::size_t at = std::string_view::npos;
            for (auto sep : {next + ".", next + "、"})
                if (auto p = rest.find(sep); p != std::string_view::npos && p < at) at = p;
            parts.push_back(trim(rest.substr(0, at)));
            if (at == std::string_view::npos) break;
            rest.remove_prefix(at);
        }
        if (parts.size() < 2) {
            split.push_back(std::move(e));
            continue;
        }
        for (auto& p : parts)
            if (!p.empty()) split.push_back({std::move(p), e.mark});
    }
    return split;
}

std::vector<BasisSource> parse_basis(std::string_view cell) {
    std::vector<BasisSource> out;
    for (auto line : lines_of(cell)) {
        BasisSource source;
        if (line.starts_with("【")) {
            if (auto close = line.find("】"); close != std::string::npos) {
                std::string tag = label_key(line.substr("【"sv.size(), close - "【"sv.size()));
                for (auto k : {BasisKind::law, BasisKind::administrative_regulation, BasisKind::departmental_rule,
                               BasisKind::normative_document, BasisKind::local_regulation, BasisKind::other})
                    if (tag == label_zh(k)) source.kind = k;
                if (tag == "条例") source.kind = BasisKind::administrative_regulation;
                if (tag == "规章" || tag == "部门规章及规范性文件") source.kind = BasisKind::departmental_rule;
                line = trim(std::string_view{line}.substr(close + "】"sv.size()));
            }
        }
        if (auto open = line.rfind(basis_number_open); open != std::string::npos && line.ends_with("）")) {
            source.number = line.substr(open + basis_number_open.size(),
                                        line.size() - open - basis_number_open.size() - "）"sv.size());
            line.resize(open);
        }
        source.title = std::move(line);
        out.push_back(std::move(source));
    }
    return out;
}

Evidence parse_evidence(std::string_view cell) {
    Evidence out;
    for (const auto& line : lines_of(cell)) {
        if (line.starts_with(reconstructed_prefix)) {
            out.reconstructed = line.substr(reconstructed_prefix.size());
            continue;
        }
        auto space = line.find(' ');
        out.seen.push_back({line.substr(0, space), space == std::string::npos ? "" : trim(line.substr(space + 1))});
    }
    return out;
}

// ---- channels ----

struct ChannelWord {
    std::string_view text;
    ChannelCode code;
};

constexpr ChannelWord channel_words[] = {
    {"政府网站", ChannelCode::website}, {"政府门户网站", ChannelCode::website},
    {"门户网站", ChannelCode::website}, {"政府公报", ChannelCode::gazette}, {"公报", ChannelCode::gazette},
    {"两微一端", ChannelCode::weibo_wechat_app}, {"一微一端", ChannelCode::weibo_wechat_app},
    {"政务新媒体", ChannelCode::weibo_wechat_app}, {"微信公众号", ChannelCode::weibo_wechat_app},
    {"公众号", ChannelCode::weibo_wechat_app}, {"新媒体", ChannelCode::weibo_wechat_app},
    {"发布会/听证会", ChannelCode::press_hearing}, {"发布会听证会", ChannelCode::press_hearing},
    {"新闻发布会", ChannelCode::press_hearing}, {"发布会", ChannelCode::press_hearing},
    {"听证会", ChannelCode::press_hearing}, {"广播电视", ChannelCode::radio_tv}, {"广播", ChannelCode::radio_tv},
    {"电视", ChannelCode::radio_tv}, {"纸质媒体", ChannelCode::print}, {"纸质载体", ChannelCode::print},
    {"报刊", ChannelCode::print}, {"公开查阅点", ChannelCode::reading_point},
    {"公开查询点", ChannelCode::reading_point}, {"查阅点", ChannelCode::reading_point},
    {"政务服务中心", ChannelCode::service_center}, {"提供政务服务的场所", ChannelCode::service_center},
    {"行政服务中心", ChannelCode::service_center}, {"政府服务中心", ChannelCode::service_center},
    {"便民服务中心", ChannelCode::service_center}, {"便民惠民服务中心", ChannelCode::service_center},
    {"党群服务中心", ChannelCode::service_center}, {"便民服务站", ChannelCode::service_station},
    {"入户/现场", ChannelCode::door_to_door}, {"入户", ChannelCode::door_to_door},
    {"现场", ChannelCode::door_to_door}, {"社区/企事业单位/村公示栏(电子屏)", ChannelCode::bulletin_board},
    {"社区/企事业单位/村公示栏（电子屏）", ChannelCode::bulletin_board},
    {"社区/企事业单位、村公示栏（电子屏）", ChannelCode::bulletin_board},
    {"村居/企事业单位公示栏（电子屏）", ChannelCode::bulletin_board},
    {"单位/村委会公示栏（电子屏）", ChannelCode::bulletin_board}, {"公示栏（电子屏）", ChannelCode::bulletin_board},
    {"社区/企事业单位、村公示栏(电子屏)", ChannelCode::bulletin_board},
    {"村居/企事业单位公示栏(电子屏)", ChannelCode::bulletin_board},
    {"单位/村委会公示栏(电子屏)", ChannelCode::bulletin_board}, {"公示栏(电子屏)", ChannelCode::bulletin_board},
    {"线下公示栏", ChannelCode::bulletin_board}, {"行政村公示栏", ChannelCode::bulletin_board},
    {"乡镇公示栏", ChannelCode::bulletin_board}, {"公示栏", ChannelCode::bulletin_board},
    {"政务公开栏", ChannelCode::bulletin_board}, {"村务公开栏", ChannelCode::bulletin_board}, {"公开栏", ChannelCode::bulletin_board},
    {"电子屏", ChannelCode::bulletin_board}, {"精准推送", ChannelCode::targeted_push},
    {"图书馆", ChannelCode::library}, {"国家档案馆", ChannelCode::archives}, {"档案馆", ChannelCode::archives},
    {"其他", ChannelCode::other}, {"其它", ChannelCode::other},
};

enum class Box { none, filled, empty, unused };  // unused: marked as a channel the unit does not use

constexpr std::array<std::string_view, 9> filled_boxes{"■", "▄", "◆", "þ", "√", "☑", "✔", "▇", "✓"};
// A clerk's way of saying "used" or "not used", before a channel (是：政府网站) or after it (政府网站：否).
constexpr std::array<std::pair<std::string_view, Box>, 8> said_marks{
    {{"是", Box::filled}, {"有", Box::filled}, {"否", Box::unused}, {"无", Box::unused},
     {"×", Box::unused}, {"✗", Box::unused}, {"✘", Box::unused}, {"╳", Box::unused}}};
constexpr std::array<std::string_view, 3> empty_boxes{"□", "☐", "○"};
// Look-alikes that are also ordinary characters: boxes only right before a channel name.
constexpr std::array<std::pair<std::string_view, Box>, 2> lookalike_boxes{{{"口", Box::empty}, {"t", Box::filled}}};
// "/" separates only between entries: names such as 入户/现场 contain it.
constexpr std::array<std::string_view, 12> separators{" ", "\n", "\t", "\r", "、", ",", "，", ";", "；", "|", "。", "/"};
constexpr auto text_stops = std::span{separators}.first(separators.size() - 1);

const ChannelWord* word_at(std::string_view s) {
    const ChannelWord* best = nullptr;
    for (const auto& w : channel_words)
        if (s.starts_with(w.text) && (!best || w.text.size() > best->text.size())) best = &w;
    return best;
}

std::size_t prefix_in(std::string_view s, std::span<const std::string_view> set) {
    for (auto p : set)
        if (s.starts_with(p)) return p.size();
    return 0;
}

// "1." "2、" "(3)" before an entry
std::size_t numbering_at(std::string_view s) {
    std::size_t i = s.starts_with("(") ? 1 : 0, digits = 0;
    while (i + digits < s.size() && s[i + digits] >= '0' && s[i + digits] <= '9') ++digits;
    if (digits == 0) return 0;
    auto rest = s.substr(i + digits);
    if (i == 1) return rest.starts_with(")") ? i + digits + 1 : 0;
    if (rest.starts_with(".")) return digits + 1;
    if (rest.starts_with("、")) return digits + "、"sv.size();
    return 0;
}

}  // namespace

std::vector<Channel> parse_channels(std::string_view cell) {
    std::string text{cell};  // not width-folded: the text of `other` channels is kept as written
    for (auto paren : {" ("sv, " （"sv})
        for (std::size_t p; (p = text.find(paren)) != std::string::npos;) text.erase(p, 1);
    struct Entry {
        Channel channel;
        Box box;
    };
    std::vector<Entry> entries;
    std::string_view s = text;
    Box pending = Box::none;
    Box line_mark = Box::none;  // 无：政府公报、政务新媒体: a mark with a colon covers its line
    auto at_entry_end = [&](std::string_view r) {
        return r.empty() || prefix_in(r, filled_boxes) || prefix_in(r, empty_boxes) || r.starts_with("\n");
    };
    while (!s.empty()) {
        if (auto n = prefix_in(s, separators)) {
            if (s.starts_with("\n")) line_mark = Box::none;
            s.remove_prefix(n);
            continue;
        }
        if (auto n = prefix_in(s, filled_boxes)) {
            pending = Box::filled, s.remove_prefix(n);
            continue;
        }
        if (auto n = prefix_in(s, empty_boxes)) {
            pending = Box::empty, s.remove_prefix(n);
            continue;
        }
        if (auto n = numbering_at(s); n && pending == Box::none) {
            s.remove_prefix(n);
            continue;
        }
        // 是/否/有/无/× before a channel: with a colon after it, or right before a channel's name.
        bool said = false;
        for (auto [word, box] : said_marks) {
            if (!s.starts_with(word)) continue;
            auto rest = s.substr(word.size());
            auto colon = rest.starts_with("：") ? "："sv.size() : rest.starts_with(":") ? std::size_t{1} : 0;
            if (!colon && !word_at(rest)) continue;
            pending = box, s.remove_prefix(word.size() + colon), said = true;
            if (colon) line_mark = box;
            break;
        }
        if (said) continue;
        bool lookalike = false;
        for (auto [look, box] : lookalike_boxes)
            if (s.starts_with(look) && word_at(s.substr(look.size())) && !word_at(s)) {
                pending = box, s.remove_prefix(look.size()), lookalike = true;
                break;
            }
        if (lookalike) continue;
        Channel channel;
        if (const auto* word = word_at(s)) {
            channel.code = word->code;
            s.remove_prefix(word->text.size());
            if (word->code == ChannelCode::other) {
                std::string rest;
                bool named = s.starts_with(":") || s.starts_with("：") || s.starts_with("_") || s.starts_with("(") ||
                             s.starts_with("（");
                // 其他法律服务网: the name right after the word, up to the next separator.
                bool glued = !named && !at_entry_end(s) && !prefix_in(s, separators);
                while (named && !at_entry_end(s)) rest += s.front(), s.remove_prefix(1);
                while (glued && !at_entry_end(s) && !prefix_in(s, text_stops)) rest += s.front(), s.remove_prefix(1);
                for (auto lead : {":"sv, "："sv, "_"sv})
                    if (rest.starts_with(lead)) rest = trim(std::string_view{rest}.substr(lead.size()));
                for (auto [open, close] : {std::pair{"("sv, ")"sv}, {"（"sv, "）"sv}})
                    if (rest.starts_with(open) && rest.ends_with(close))
                        rest = rest.substr(open.size(), rest.size() - open.size() - close.size());
                std::erase(rest, '_');
                channel.text = trim(rest);
                if (channel.text == "无" || channel.text == "没有" || channel.text == "否") pending = Box::unused;  // 其他：无
            }
        } else {
            std::string rest;
            while (!at_entry_end(s) && !prefix_in(s, text_stops)) rest += s.front(), s.remove_prefix(1);
            channel.text = trim(rest);
        }
        const bool boxed = pending != Box::none;
        entries.push_back({std::move(channel), boxed ? pending : line_mark});
        pending = Box::none;
        // A mark after the channel (政府网站：否, 政府网站（√）, 政府网站 ×) that ends its line.
        // Not when the channel had its own box in front (■ 政府网站 □ 政府公报: the □ is the next one's).
        std::string_view after = boxed ? std::string_view{} : s;
        bool spaced = false;
        for (auto lead : {"："sv, ":"sv, "（"sv, "("sv, " "sv})
            if (after.starts_with(lead)) {
                after.remove_prefix(lead.size());
                spaced = lead == " "sv;
                break;
            }
        std::optional<Box> mark;
        std::size_t mark_size = 0;
        for (auto [word, box] : said_marks)
            if (after.starts_with(word)) mark = box, mark_size = word.size();
        if (!mark)
            if (auto n = prefix_in(after, filled_boxes)) mark = Box::filled, mark_size = n;
        if (!mark)
            if (auto n = prefix_in(after, empty_boxes)) mark = Box::empty, mark_size = n;
        if (mark) {
            auto tail = after.substr(mark_size);
            for (auto close : {"）"sv, ")"sv})
                if (tail.starts_with(close)) tail.remove_prefix(close.size());
            auto line_end = std::min(tail.find('\n'), tail.size());
            bool ends_line = std::ranges::all_of(tail.substr(0, line_end), [](char c) { return c == ' ' || c == '\r' || c == '\t'; }) ||
                             (!spaced && prefix_in(tail, separators));
            if (ends_line) {
                entries.back().box = *mark;
                s = tail;
            }
        }
    }
    bool full_checklist =
        entries.size() >= 10 && std::ranges::any_of(entries, [](const Entry& e) { return e.box == Box::empty; });
    std::vector<Channel> out;
    for (auto& [channel, box] : entries) {
        if ((full_checklist && box == Box::empty) || box == Box::unused) continue;
        channel.required = box != Box::empty;
        bool seen = std::ranges::any_of(out, [&](const Channel& c) { return c.code == channel.code && c.text == channel.text; });
        if (!seen) out.push_back(std::move(channel));
    }
    return out;
}

bool is_tick_column(Column c) {
    return c == Column::audience_public || c == Column::audience_specific || c == Column::proactive ||
           c == Column::on_request || c == Column::levels;
}

bool is_unit_column(Column column) {
    switch (column) {
        case Column::subject:
        case Column::channels:
        case Column::audience_public:
        case Column::audience_specific:
        case Column::proactive:
        case Column::on_request:
        case Column::not_applicable:
        case Column::anchor:
        case Column::note: return true;
        default: return false;
    }
}

std::vector<ColumnHead> columns_of(const Catalog& catalog, bool with_field) {
    bool local = false, deprecated = false, evidence = false, kinds = false, not_applicable = catalog.kind != CatalogKind::standard;
    std::set<Level> levels;
    for (const auto& f : catalog.fields)
        for (const auto& i : f.items) {
            local |= i.is_local();
            deprecated |= i.status == ItemStatus::deprecated || !i.replaced_by.empty();
            evidence |= !i.evidence.empty();
            kinds |= i.column_kind.has_value();
            not_applicable |= i.not_applicable.has_value();
            levels.insert(i.levels.begin(), i.levels.end());
        }
    std::vector<ColumnHead> out;
    auto add = [&](Column c, std::string group, std::string label) { out.push_back({c, std::move(group), std::move(label), {}}); };
    add(Column::seq, "", "序号");
    add(Column::id, "", "编号");
    if (with_field) add(Column::field_code, "", "领域代码");
    add(Column::category, "公开事项", "一级事项");
    add(Column::name, "公开事项", "二级事项");
    add(Column::elements, "", "公开内容（要素）");
    add(Column::basis, "", "公开依据");
    add(Column::time_limit, "", "公开时限");
    add(Column::subject, "", "公开主体");
    add(Column::channels, "", "公开渠道和载体");
    add(Column::audience_public, "公开对象", "全社会");
    add(Column::audience_specific, "公开对象", "特定群体");
    add(Column::proactive, "公开方式", "主动");
    add(Column::on_request, "公开方式", "依申请");
    for (auto level : levels) out.push_back({Column::levels, "公开层级", std::string{label_zh(level)}, {level}});
    if (not_applicable) add(Column::not_applicable, "", "不适用理由");
    if (local || catalog.kind != CatalogKind::standard) add(Column::anchor, "", "挂靠事项");
    if (deprecated) add(Column::status, "", "状态");
    if (kinds) add(Column::column_kind, "", "栏目类别");
    add(Column::note, "", "备注");
    if (evidence) add(Column::evidence, "", "来源");
    return out;
}

std::vector<std::string> cells_of(const Item& item, const Field& field, const std::vector<ColumnHead>& columns,
                                  std::size_t seq) {
    std::vector<std::string> out;
    for (const auto& head : columns) {
        switch (head.column) {
            case Column::seq: out.push_back(std::to_string(seq)); break;
            case Column::id: out.push_back(item.id); break;
            case Column::field_code: out.push_back(field.code); break;
            case Column::category: out.push_back(item.category); break;
            case Column::name: out.push_back(item.name); break;
            case Column::elements: out.push_back(elements_cell(item)); break;
            case Column::basis: out.push_back(basis_cell(item)); break;
            case Column::time_limit: out.push_back(item.time_limit ? item.time_limit->text : ""); break;
            case Column::subject: out.push_back(item.subject); break;
            case Column::channels: out.push_back(channels_cell(item)); break;
            case Column::audience_public: out.push_back(mark(item.audience && item.audience->everyone)); break;
            case Column::audience_specific: {
                bool on = item.audience && item.audience->specific;
                out.push_back(mark(on) + (on && !item.audience->group.empty() ? "（" + item.audience->group + "）" : ""));
                break;
            }
            case Column::proactive: out.push_back(mark(item.mode && item.mode->proactive)); break;
            case Column::on_request: out.push_back(mark(item.mode && item.mode->on_request)); break;
            case Column::levels: out.push_back(mark(item.at_level(head.levels.front()))); break;
            case Column::not_applicable: out.push_back(item.not_applicable ? item.not_applicable->reason : ""); break;
            case Column::anchor: out.push_back(item.anchor); break;
            case Column::status:
                out.push_back(item.status == ItemStatus::deprecated
                                  ? std::string{deprecated_word} + (item.replaced_by.empty() ? "" : "→" + item.replaced_by)
                                  : "");
                break;
            case Column::column_kind:
                out.emplace_back(item.column_kind ? column_kind_zh[static_cast<std::size_t>(*item.column_kind)] : "");
                break;
            case Column::note: out.push_back(item.note); break;
            case Column::evidence: out.push_back(evidence_cell(item.evidence)); break;
            default: out.emplace_back(); break;
        }
    }
    return out;
}

std::vector<MetaRow> meta_rows(const Catalog& catalog) {
    std::vector<MetaRow> out;
    auto add = [&](std::string label, const std::string& value) {
        if (!value.empty()) out.emplace_back(std::move(label), value);
    };
    add("目录编号", catalog.id);
    add("版本", catalog.version);
    add("目录类型", std::string{kind_zh[static_cast<std::size_t>(catalog.kind)]});
    add("依据标准", catalog.based_on);
    add("依据标准版本", catalog.based_on_version);
    add("标题", catalog.meta.title);
    add("发布机构", catalog.meta.issuer);
    add("文号", catalog.meta.document_number);
    add("日期", catalog.meta.date);
    if (const auto& unit = catalog.meta.unit) {
        add("单位代码", unit->code);
        add("单位名称", unit->name);
        add("单位层级", std::string{label_zh(unit->level)});
    }
    for (const auto& s : catalog.meta.sources) add("来源", s.locality.empty() ? s.href : s.href + " " + s.locality);
    add("说明", catalog.meta.note);
    for (const auto& f : catalog.fields)
        add("领域", f.code + " " + f.name +
                        (f.not_applicable ? std::string{not_applicable_field} + f.not_applicable->reason + "）" : ""));
    return out;
}

std::string cell_address(std::size_t row, std::size_t column) {
    std::string letters;
    for (std::size_t c = column + 1; c > 0; c = (c - 1) / 26) letters.insert(letters.begin(), char('A' + (c - 1) % 26));
    return letters + std::to_string(row + 1);
}

namespace {

std::optional<Level> level_from_zh(std::string_view text) {
    for (auto level : {Level::city, Level::county, Level::township, Level::village})
        if (label_zh(level) == text) return level;
    return std::nullopt;
}

// A catalog's id as catalog.xsd's CatalogId has it: letters, digits, '.', '_', '-', a letter or digit first.
bool is_catalog_id(std::string_view s) {
    const auto plain = [](char ch) { return (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z'); };
    return !s.empty() && s.size() <= 81 && plain(s.front()) &&
           std::ranges::all_of(s, [&](char ch) { return plain(ch) || ch == '.' || ch == '_' || ch == '-'; });
}

// The cover's rows (a workbook's 封面 sheet, a page's first table). A value the catalog cannot hold
// is an error at the cover (GKML-E105); a field listed twice keeps its first listing (GKML-W108).
Catalog catalog_from_meta(const std::vector<MetaRow>& meta, const ImportOptions& options, std::vector<Diagnostic>& diagnostics) {
    const auto refuse = [&](std::string zh, std::string en, std::string hint) {
        diagnostics.push_back(Diagnostic{"GKML-E105", Severity::error, options.file, 0, 0, std::move(zh), std::move(en), std::move(hint), "封面"});
    };
    for (const auto& [label, value] : meta)
        if ((label == "目录编号" || label == "依据标准") && !value.empty() && !is_catalog_id(value))
            refuse("封面的" + label + "“" + value + "”只能用字母、数字和 . _ -，且以字母或数字开头",
                   "the cover's " + std::string(label == "目录编号" ? "catalog id" : "based-on") + " \"" + value + "\" is not an id",
                   "照导出时的样子改回，如 gkml-standard。");
    Catalog c;
    c.kind = CatalogKind::unit;
    UnitRef unit;
    bool has_unit = false;
    for (const auto& [label, value] : meta) {
        if (label == "目录编号") c.id = value;
        else if (label == "版本") c.version = value;
        else if (label == "目录类型") {
            for (std::size_t k = 0; k < kind_zh.size(); ++k)
                if (kind_zh[k] == value) c.kind = static_cast<CatalogKind>(k);
        } else if (label == "依据标准") c.based_on = value;
        else if (label == "依据标准版本") c.based_on_version = value;
        else if (label == "标题") c.meta.title = value;
        else if (label == "发布机构") c.meta.issuer = value;
        else if (label == "文号") c.meta.document_number = value;
        else if (label == "日期") c.meta.date = value;
        else if (label == "单位代码") unit.code = value, has_unit = true;
        else if (label == "单位名称") unit.name = value;
        else if (label == "单位层级") unit.level = level_from_zh(value).value_or(Level::township);
        else if (label == "来源") {
            auto space = value.find(' ');
            c.meta.sources.push_back({value.substr(0, space), space == std::string::npos ? "" : value.substr(space + 1)});
        } else if (label == "说明") c.meta.note = value;
        else if (label == "领域") {
            // One field a row (workbook, CSV), or all of them a line each in one cell (a page).
            for (std::size_t start = 0; start <= value.size();) {
                auto end = std::min(value.find('\n', start), value.size());
                auto line = trim(std::string_view(value).substr(start, end - start));
                start = end + 1;
                if (line.empty()) continue;
                Field f;
                auto space = line.find(' ');
                f.code = line.substr(0, space);
                f.name = space == std::string::npos ? "" : line.substr(space + 1);
                if (auto open = f.name.find(not_applicable_field); open != std::string::npos && f.name.ends_with("）")) {
                    f.not_applicable = NotApplicable{f.name.substr(open + not_applicable_field.size(),
                                                                   f.name.size() - open - not_applicable_field.size() - "）"sv.size())};
                    f.name.resize(open);
                }
                if (f.code.size() != 2 || !std::isdigit(static_cast<unsigned char>(f.code[0])) ||
                    !std::isdigit(static_cast<unsigned char>(f.code[1]))) {
                    refuse("封面上的领域“" + std::string(line) + "”开头不是两位数字的领域代码",
                           "the cover's field \"" + std::string(line) + "\" does not start with a two-digit field code",
                           "每个领域写一行：两位代码、一个空格、领域名称，如“20 社会救助”。");
                    continue;
                }
                if (std::ranges::find(c.fields, f.code, &Field::code) != c.fields.end()) {
                    diagnostics.push_back(Diagnostic{"GKML-W108", Severity::warning, options.file, 0, 0,
                                                     "封面上领域 " + f.code + " 列了两次，“" + std::string(line) + "”这一条未采用",
                                                     "field " + f.code + " is listed twice on the cover; \"" + std::string(line) + "\" ignored",
                                                     "每个领域在封面上只列一次：删去重复的一行，或改正领域代码。", "封面"});
                    continue;
                }
                c.fields.push_back(std::move(f));
            }
        }
    }
    if (has_unit) c.meta.unit = unit;
    return c;
}

// The field a text names: a registry name or alias inside it (the longest wins).
const FieldEntry* field_named_in(std::string_view text, const std::vector<FieldEntry>* registry) {
    if (!registry) return nullptr;
    const FieldEntry* best = nullptr;
    std::size_t best_len = 0;
    std::string key = label_key(text);
    for (const auto& f : *registry) {
        std::vector<std::string_view> names{f.name};
        names.insert(names.end(), f.aliases.begin(), f.aliases.end());
        for (auto n : names)
            if (!n.empty() && contains(key, n) && n.size() > best_len) best = &f, best_len = n.size();
    }
    return best;
}

bool is_field_code(std::string_view s) {
    return s.size() == 2 && s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9';
}

// The field a local id gkml gave names: L-20-3, L-230500-standard-20-1 (…-FF-N); empty for others.
std::string local_field_of(std::string_view id) {
    if (!id.starts_with("L-")) return {};
    auto last = id.rfind('-');
    if (last == std::string_view::npos || last < 4 || last + 1 == id.size() ||
        !std::ranges::all_of(id.substr(last + 1), [](char c) { return c >= '0' && c <= '9'; }))
        return {};
    auto code = id.substr(last - 2, 2);
    if (id[last - 3] != '-' || !is_field_code(code)) return {};
    return std::string(code);
}

struct Header {
    std::size_t first_data_row = 0;
    std::vector<ColumnHead> columns;
};

// Distinct kinds of column recognized: a merged title row repeats one text and counts once.
std::size_t recognized_count(const std::vector<ColumnHead>& heads) {
    std::set<Column> kinds;
    for (const auto& h : heads)
        if (h.column != Column::extra) kinds.insert(h.column);
    return kinds.size();
}

std::optional<Header> find_header(const Grid& grid) {
    for (std::size_t r = 0; r < std::min<std::size_t>(grid.rows.size(), 30); ++r) {
        const auto& row = grid.rows[r];
        std::vector<ColumnHead> single;
        for (const auto& cell : row) single.push_back(recognize(cell, ""));
        bool names_items = std::ranges::any_of(row, [](const std::string& c) {
            auto k = label_key(c);
            return contains(k, "事项") || contains(k, "目录");
        });
        if (!names_items || recognized_count(single) < 3) continue;
        Header header{r + 1, single};
        if (r + 1 < grid.rows.size()) {
            const auto& below = grid.rows[r + 1];
            std::vector<ColumnHead> two;
            std::size_t sub = 0, unknown = 0;
            for (std::size_t c = 0; c < std::max(row.size(), below.size()); ++c) {
                std::string top = c < row.size() ? row[c] : "", low = c < below.size() ? below[c] : "";
                bool differs = !trim(low).empty() && label_key(low) != label_key(top);
                auto head = differs ? recognize(low, top) : recognize(top, "");
                if (differs) ++(head.column == Column::extra ? unknown : sub);
                if (!differs) head.group.clear();
                two.push_back(std::move(head));
            }
            if (sub >= 2 && sub > unknown) header = Header{r + 2, std::move(two)};
        }
        return header;
    }
    return std::nullopt;
}

// "20 社会救助!S17": where a clerk finds a cell (a CSV has no sheet name: "S17").
std::string cell_of(const Grid& grid, std::size_t row, std::size_t column) {
    return (grid.name.empty() ? "" : grid.name + "!") + cell_address(grid.first_row + row, column);
}

// The 1-based row of the source (as a spreadsheet shows it) of `row` of the grid.
int source_row(const Grid& grid, std::size_t row) { return int(grid.first_row + row + 1); }

Diagnostic cell_diagnostic(const ImportOptions& options, const Grid& grid, std::size_t row, std::size_t column,
                           std::string zh, std::string en, std::string code = "GKML-W101", std::string hint = "",
                           Severity severity = Severity::warning) {
    return Diagnostic{std::move(code), severity, options.file, source_row(grid, row), int(column + 1), std::move(zh), std::move(en),
                      std::move(hint), cell_of(grid, row, column)};
}

Diagnostic cell_warning(const ImportOptions& options, const Grid& grid, std::size_t row, std::size_t column,
                        std::string zh, std::string en, std::string code = "GKML-W101") {
    return cell_diagnostic(options, grid, row, column, std::move(zh), std::move(en), std::move(code));
}

// A cell's text as XML 1.0 can carry it: control characters other than tab and line breaks (a NUL
// among them), U+FFFE and U+FFFF, and bytes that are not UTF-8 are taken out. What went, as U+XXXX;
// with no `removed` to fill, only whether anything would go.
bool xml_safe(std::string_view text, std::string* out, std::vector<std::string>* removed) {
    bool changed = false;
    for (std::int32_t i = 0, n = static_cast<std::int32_t>(text.size()); i < n;) {
        std::int32_t start = i;
        UChar32 c;
        U8_NEXT(text.data(), i, n, c);
        bool allowed = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c != 0xFFFE && c != 0xFFFF);
        if (allowed) {
            if (out) out->append(text.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(i - start)));
            continue;
        }
        changed = true;
        if (!removed) return true;
        char code[16];
        std::snprintf(code, sizeof code, c < 0 ? "0x%02X" : "U+%04X", c < 0 ? static_cast<unsigned char>(text[static_cast<std::size_t>(start)]) : c);
        if (std::ranges::find(*removed, code) == removed->end()) removed->emplace_back(code);
    }
    return changed;
}

// The grid with every cell made safe for XML, each cell that changed named in a warning; the grid
// itself (no copy) when every cell already is.
const Grid& xml_safe(const Grid& grid, Grid& copy, const ImportOptions& options, Imported& result) {
    auto unsafe = [](const std::string& cell) { return xml_safe(cell, nullptr, nullptr); };
    bool any = std::ranges::any_of(grid.rows, [&](const auto& row) { return std::ranges::any_of(row, unsafe); });
    if (!any) return grid;
    copy = grid;
    for (std::size_t r = 0; r < copy.rows.size(); ++r)
        for (std::size_t c = 0; c < copy.rows[r].size(); ++c) {
            auto& cell = copy.rows[r][c];
            if (!unsafe(cell)) continue;
            std::vector<std::string> removed;
            std::string safe;
            xml_safe(cell, &safe, &removed);
            std::string list;
            for (const auto& code : removed) list += (list.empty() ? "" : " ") + code;
            result.diagnostics.push_back(cell_warning(options, copy, r, c,
                                                      "单元格含有目录文件不能保存的字符（" + list + "，多为复制粘贴带入的控制字符），已删除",
                                                      "characters XML cannot hold (" + list + ") removed", "GKML-W104"));
            cell = std::move(safe);
        }
    return copy;
}

struct PendingItem {
    std::string field_code;
    Item item;
    bool has_levels = false;
};

// A time limit no looser than the standard's: each clause a count of the same days from the same
// event, none longer. A unit may hold itself to that (a stricter limit is a local choice).
bool no_looser(const TimeLimit& unit, const TimeLimit& standard) {
    if (!unit.parsed() || unit.clauses.size() != standard.clauses.size()) return false;
    for (std::size_t k = 0; k < unit.clauses.size(); ++k) {
        if (unit.clauses[k] == standard.clauses[k]) continue;
        const auto* mine = std::get_if<Relative>(&unit.clauses[k].rule);
        const auto* theirs = std::get_if<Relative>(&standard.clauses[k].rule);
        if (!mine || !theirs || mine->unit != theirs->unit || mine->anchor != theirs->anchor || mine->n > theirs->n ||
            mine->anchor_text != theirs->anchor_text || unit.clauses[k].scope != standard.clauses[k].scope ||
            (unit.clauses[k].extension && unit.clauses[k].extension != standard.clauses[k].extension))
            return false;
    }
    return true;
}

std::size_t column_at(const std::vector<ColumnHead>& columns, Column column) {
    return static_cast<std::size_t>(std::ranges::find(columns, column, &ColumnHead::column) - columns.begin());
}

constexpr std::string_view restore_hint = "标准目录的列（灰色底）由标准决定，不能在本单位目录中修改；本单位的情况请写在备注列，"
                                          "标准本身有误请报县政务公开办。";

struct GridReader {
    const ImportOptions& options;
    Imported& result;
    std::vector<PendingItem>& items;
    bool unit_catalog = false;  // a unit's workbook: its standard rows are held to the standard
    std::vector<std::pair<std::string, std::string>> sheets;  // (sheet name, field code) of each table read

    // A standard row of a unit's workbook: the standard's columns are the standard's. What the unit
    // may tailor (a stricter 公开时限, its own ticks for 公开对象 and 公开方式) is kept and said; any
    // other change is undone and said, at its cell.
    void hold_to_standard(const Grid& grid, std::size_t r, const std::vector<ColumnHead>& columns, PendingItem& pending) {
        Item& item = pending.item;
        const Item* standard = options.standard ? options.standard->find_item(item.id) : nullptr;
        if (!standard || !unit_catalog) return;
        auto at = [&](Column c) { auto k = column_at(columns, c); return k < columns.size() ? k : 0; };
        auto undone = [&](Column c, const std::string& what, const std::string& typed, const std::string& kept) {
            result.diagnostics.push_back(cell_diagnostic(
                options, grid, r, at(c),
                "标准事项 " + item.id + " 的" + what + "不能修改" + (typed.empty() ? "（被清空了）" : "（改成了“" + typed + "”）") +
                    "，已按标准恢复" + (kept.empty() ? "" : "为“" + kept + "”"),
                "the standard's " + what + " of " + item.id + " was changed; restored", "GKML-W105", std::string(restore_hint)));
        };
        auto kept = [&](Column c, const std::string& what, const std::string& why) {
            result.diagnostics.push_back(cell_diagnostic(options, grid, r, at(c), "标准事项 " + item.id + " 的" + what + why,
                                                         "the unit's own " + what + " of " + item.id + " kept", "GKML-W106",
                                                         "确认这是本单位的做法；不是的话，改回标准的写法后重新导入。"));
        };
        if (item.category != standard->category) undone(Column::category, "一级事项", item.category, standard->category), item.category = standard->category;
        if (item.name != standard->name) undone(Column::name, "二级事项", item.name, standard->name), item.name = standard->name;
        if (item.elements != standard->elements) {
            Item shown;
            shown.elements = item.elements;
            undone(Column::elements, "公开内容（要素）", elements_cell(shown), "");
            item.elements = standard->elements;
        }
        if (item.basis != standard->basis) {
            Item shown;
            shown.basis = item.basis;
            undone(Column::basis, "公开依据", basis_cell(shown), "");
            item.basis = standard->basis;
        }
        if (item.time_limit != standard->time_limit) {
            std::string typed = item.time_limit ? item.time_limit->text : "", theirs = standard->time_limit ? standard->time_limit->text : "";
            bool same_rule = item.time_limit && standard->time_limit && item.time_limit->clauses == standard->time_limit->clauses &&
                             item.time_limit->parsed();
            if (item.time_limit && standard->time_limit && !same_rule && no_looser(*item.time_limit, *standard->time_limit)) {
                kept(Column::time_limit, "公开时限改为“" + typed + "”，比标准（“" + theirs + "”）更严", "，已按本单位填写保留");
            } else if (!same_rule) {
                undone(Column::time_limit, "公开时限", typed, theirs);
                item.time_limit = standard->time_limit;
            }
        }
        auto sorted = [](std::vector<Level> levels) {
            std::ranges::sort(levels);
            return levels;
        };
        if (pending.has_levels && sorted(item.levels) != sorted(standard->levels)) {
            std::string typed;
            for (auto l : item.levels) typed += (typed.empty() ? "" : "、") + std::string(label_zh(l));
            std::string theirs;
            for (auto l : standard->levels) theirs += (theirs.empty() ? "" : "、") + std::string(label_zh(l));
            undone(Column::levels, "公开层级", typed, theirs);
            item.levels = standard->levels;
        }
        if (item.mode && standard->mode && *item.mode != *standard->mode)
            kept(Column::proactive, "公开方式与标准不同", "（" + std::string(item.mode->proactive ? "主动" : "") +
                                                             (item.mode->proactive && item.mode->on_request ? "、" : "") +
                                                             (item.mode->on_request ? "依申请" : "") + "），已按本单位填写保留");
        if (item.audience && standard->audience && (item.audience->everyone != standard->audience->everyone ||
                                                    item.audience->specific != standard->audience->specific))
            kept(Column::audience_public, "公开对象与标准不同", "，已按本单位填写保留");
    }

    bool anchor_exists(const std::string& anchor) const {
        if (is_field_code(anchor) || anchor.starts_with("L-")) return true;  // a local item: validate checks it is in the catalog
        if (options.standard) return options.standard->find_item(anchor) != nullptr;
        return anchor.size() == 6 && is_field_code(std::string_view{anchor}.substr(0, 2)) && anchor[2] == '-';
    }

    // A sheet named "21 养老服务" as gkml writes it, else a field name or alias in the name.
    std::string field_of_grid(const Grid& grid) {
        if (grid.name.size() > 3 && is_field_code(std::string_view{grid.name}.substr(0, 2)) && grid.name[2] == ' ')
            return grid.name.substr(0, 2);
        if (const auto* f = field_named_in(grid.name, options.registry)) return f->code;
        return options.field_code;
    }

    void read(const Grid& grid) {
        auto header = find_header(grid);
        if (!header) return;
        const auto& columns = header->columns;
        std::string grid_field = field_of_grid(grid);
        if (column_at(columns, Column::id) < columns.size()) sheets.emplace_back(grid.name, grid_field);
        std::vector<std::string> previous;
        std::optional<TimeLimit> previous_limit;
        for (std::size_t r = header->first_data_row; r < grid.rows.size(); ++r) {
            auto row = grid.rows[r];
            std::vector<std::size_t> filled;
            for (std::size_t c = 0; c < row.size(); ++c)
                if (!trim(row[c]).empty()) filled.push_back(c);
            if (filled.empty()) continue;
            if (row == grid.rows[header->first_data_row - 1]) continue;  // the header repeated after a page break
            bool title_row = filled.size() > 1 &&
                             std::ranges::all_of(filled, [&](std::size_t c) { return row[c] == row[filled.front()]; });
            if (title_row) {
                if (const auto* f = field_named_in(row[filled.front()], options.registry)) grid_field = f->code;
                else
                    result.diagnostics.push_back(cell_warning(options, grid, r, filled.front(),
                                                              "这一行不是事项，已跳过：" + trim(row[filled.front()]),
                                                              "a row that is not an item, skipped"));
                continue;
            }
            for (std::size_t c = 0; c < row.size() && c < columns.size(); ++c)
                if (is_same_as_above(row[c]) && columns[c].column != Column::time_limit && c < previous.size())
                    row[c] = previous[c];
            previous = row;
            read_row(grid, r, row, columns, grid_field, previous_limit);
        }
    }

    void read_row(const Grid& grid, std::size_t r, const std::vector<std::string>& row,
                  const std::vector<ColumnHead>& columns, const std::string& grid_field,
                  std::optional<TimeLimit>& previous_limit) {
        PendingItem pending;
        Item& item = pending.item;
        Audience audience;
        Mode mode;
        bool has_audience = false, has_mode = false, audience_ticks = false, mode_ticks = false;
        std::string tertiary, field_code, field_name;
        std::vector<std::string> extras;
        for (std::size_t c = 0; c < row.size(); ++c) {
            std::string cell = trim(row[c]);
            if (c >= columns.size()) {
                if (!cell.empty())
                    result.diagnostics.push_back(cell_warning(options, grid, r, c, "表头之外的单元格，未读取：" + cell,
                                                              "a cell outside the table's columns, not read"));
                continue;
            }
            const auto& head = columns[c];
            switch (head.column) {
                case Column::seq: break;
                case Column::id: item.id = cell; break;
                case Column::field_code: field_code = cell; break;
                case Column::field_name: field_name = cell; break;
                case Column::category: item.category = cell; break;
                case Column::name: item.name = cell; break;
                case Column::tertiary: tertiary = cell; break;
                case Column::elements: item.elements = parse_elements(cell); break;
                case Column::basis: item.basis = parse_basis(cell); break;
                case Column::time_limit:
                    if (!cell.empty()) {
                        item.time_limit = resolve_time_limit(cell, previous_limit ? &*previous_limit : nullptr);
                        previous_limit = item.time_limit;
                        if (!item.time_limit->parsed())
                            result.diagnostics.push_back(cell_warning(options, grid, r, c, "公开时限未能解析：" + cell,
                                                                      "time limit not understood", "GKML-W102"));
                    }
                    break;
                case Column::subject: item.subject = cell; break;
                case Column::channels: item.channels = parse_channels(cell); break;
                case Column::audience_public:
                    has_audience = audience_ticks = true;
                    audience.everyone = is_ticked(cell);
                    break;
                case Column::audience_specific:
                    has_audience = audience_ticks = true;
                    audience.specific = is_ticked(cell);
                    if (auto group = strip_ticks(cell); audience.specific && !group.empty()) {
                        if (group.starts_with("（") && group.ends_with("）"))
                            group = group.substr("（"sv.size(), group.size() - 2 * "（"sv.size());
                        audience.group = group;
                    }
                    break;
                case Column::audience_text:
                    has_audience = true;
                    audience.everyone |= contains(cell, "社会");
                    audience.specific |= contains(cell, "特定");
                    break;
                case Column::proactive:
                    has_mode = mode_ticks = true;
                    mode.proactive = is_ticked(cell);
                    break;
                case Column::on_request:
                    has_mode = mode_ticks = true;
                    mode.on_request = is_ticked(cell);
                    break;
                case Column::mode_text:
                    has_mode = true;
                    mode.proactive |= contains(cell, "主动");
                    mode.on_request |= contains(cell, "申请");
                    break;
                case Column::levels:
                    pending.has_levels = true;
                    if (is_ticked(cell))
                        for (auto l : head.levels)
                            if (!item.at_level(l)) item.levels.push_back(l);
                    break;
                case Column::levels_text:
                    pending.has_levels = true;
                    for (auto l : levels_of_label(cell))
                        if (!item.at_level(l)) item.levels.push_back(l);
                    break;
                case Column::not_applicable:
                    if (!cell.empty()) item.not_applicable = NotApplicable{cell};
                    break;
                case Column::anchor:
                    item.anchor = trim(fold_width(cell));
                    if (!item.anchor.empty() && !anchor_exists(item.anchor)) {
                        result.diagnostics.push_back(cell_diagnostic(
                            options, grid, r, c, "挂靠事项“" + cell + "”不是标准目录中的事项编号",
                            "the anchor " + cell + " is not an item of the standard", "GKML-E012",
                            "写所挂靠的标准事项编号（如 20-006，见本表“编号”列），或留空挂靠到本领域。", Severity::error));
                    }
                    break;
                case Column::status:
                    if (cell.starts_with(deprecated_word)) {
                        item.status = ItemStatus::deprecated;
                        if (auto arrow = cell.find("→"); arrow != std::string::npos)
                            item.replaced_by = cell.substr(arrow + "→"sv.size());
                    } else if (!cell.empty()) {
                        result.diagnostics.push_back(cell_warning(options, grid, r, c, "状态只能是“停用”或“停用→编号”：" + cell,
                                                                  "status is 停用 or 停用→id"));
                    }
                    break;
                case Column::column_kind:
                    if (auto kind = std::ranges::find_if(column_kind_zh, [&](std::string_view k) { return contains(cell, k.substr(0, k.size() - "类"sv.size())); });
                        kind != column_kind_zh.end())
                        item.column_kind = static_cast<ColumnKind>(kind - column_kind_zh.begin());
                    else if (!cell.empty())
                        result.diagnostics.push_back(cell_warning(options, grid, r, c, "栏目类别只能是动态要闻类、通知公告类或政策文件类：" + cell,
                                                                  "column kind is 动态要闻类, 通知公告类 or 政策文件类"));
                    break;
                case Column::note: item.note = cell; break;
                case Column::evidence: item.evidence = parse_evidence(cell); break;
                case Column::extra:
                    if (!cell.empty()) extras.push_back(trim(head.label) + "：" + cell);
                    break;
            }
        }
        if (item.category.empty() && item.name.empty() && tertiary.empty()) {
            for (std::size_t c = 0; c < row.size() && c < columns.size(); ++c)
                if (!trim(row[c]).empty() && columns[c].column != Column::seq)
                    result.diagnostics.push_back(cell_warning(options, grid, r, c, "这一行没有事项名称，未读取",
                                                              "a row without item names, not read"));
            return;
        }
        // (A standard row of a unit's workbook gets its names back from the standard: W105.)
        const bool standard_row = has_usable_id(item) && !item.id.starts_with("L-") && options.standard &&
                                  options.standard->find_item(item.id);
        if (item.category.empty() != item.name.empty() && tertiary.empty() && !standard_row) {
            auto blank = item.category.empty() ? Column::category : Column::name;
            auto c = column_at(columns, blank);
            const char* which = blank == Column::category ? "一级事项" : "二级事项";
            result.diagnostics.push_back(cell_diagnostic(
                options, grid, r, c < columns.size() ? c : 0, std::string("这一行的") + which + "是空的",
                std::string(blank == Column::category ? "一级事项 (category)" : "二级事项 (item name)") + " is empty", "GKML-E103",
                std::string("填上") + which + "；若表中一、二级事项本是同一格，照抄另一格的名称。", Severity::error));
            return;
        }
        if (!tertiary.empty()) item.name = item.name.empty() ? tertiary : item.name + "—" + tertiary;
        if (!item.note.empty()) extras.insert(extras.begin(), item.note);
        item.note = join(extras, "\n");
        std::ranges::sort(item.levels);
        if (has_audience && (audience.everyone || audience.specific)) item.audience = audience;
        if (has_mode && (mode.proactive || mode.on_request)) item.mode = mode;
        auto none_ticked = [&](Column first, const char* what_zh, const char* what_en, const char* choices) {
            auto c = column_at(columns, first);
            result.diagnostics.push_back(cell_diagnostic(options, grid, r, c < columns.size() ? c : 0,
                                                         std::string(what_zh) + "一项也没有选", std::string(what_en) + ": nothing ticked",
                                                         "GKML-E020", std::string("在") + choices + "中至少一格内选“√”。",
                                                         Severity::error));
        };
        // In gkml's own workbook (it has the 编号 column) a row with no tick in a group was cleared by hand.
        const bool own_layout = column_at(columns, Column::id) < columns.size();
        if (own_layout && mode_ticks && !item.mode) none_ticked(Column::proactive, "公开方式（主动、依申请）", "公开方式", "“主动”“依申请”");
        if (own_layout && audience_ticks && !item.audience)
            none_ticked(Column::audience_public, "公开对象（全社会、特定群体）", "公开对象", "“全社会”“特定群体”");
        if (has_usable_id(item) && !item.id.starts_with("L-")) {
            // A table without 公开对象 or 公开方式 columns says nothing against the standard's.
            if (const Item* s = options.standard ? options.standard->find_item(item.id) : nullptr) {
                if (!has_audience) item.audience = s->audience;
                if (!has_mode) item.mode = s->mode;
            }
            hold_to_standard(grid, r, columns, pending);
        }
        auto name_column = static_cast<std::size_t>(
            std::ranges::find(columns, Column::name, &ColumnHead::column) - columns.begin());
        if (name_column >= columns.size()) name_column = 0;
        item.pos = SourcePos{options.file, source_row(grid, r), int(name_column + 1), cell_of(grid, r, name_column)};
        // A blank 公开内容 (or a header where no column reads as 公开内容, found by fuzzing) would give an
        // item the catalog schema refuses: said at the row's cell, the row kept so nothing is written.
        if (item.elements.empty()) {
            auto c = column_at(columns, Column::elements);
            result.diagnostics.push_back(cell_diagnostic(
                options, grid, r, c < columns.size() ? c : name_column,
                c < columns.size() ? "这一行的公开内容（要素）是空的" : "表头里没有“公开内容（要素）”列，这一行读不到公开内容",
                "公开内容 (elements) is empty", "GKML-E106",
                c < columns.size() ? "填上要公开的要素，一格内一行一个（Alt+Enter 换行）。"
                                   : "检查表头：应有一列名为“公开内容（要素）”，改正后重新导入。",
                Severity::error));
        }
        if (!has_usable_id(item)) item.id.clear();
        if (is_field_code(field_code)) pending.field_code = field_code;
        else if (const auto* f = field_named_in(field_name, options.registry)) pending.field_code = f->code;
        else if (item.id.size() > 2 && is_field_code(std::string_view{item.id}.substr(0, 2)))
            pending.field_code = item.id.substr(0, 2);
        else if (auto local = local_field_of(item.id); !local.empty())
            pending.field_code = local;
        else if (item.id.starts_with("L-") && item.id.size() > 4 && is_field_code(std::string_view{item.id}.substr(2, 2)))
            pending.field_code = item.id.substr(2, 2);
        else pending.field_code = grid_field;
        if (pending.field_code.empty()) {
            result.diagnostics.push_back(cell_diagnostic(options, grid, r, 0, "看不出第 " + std::to_string(source_row(grid, r)) + " 行属于哪个领域",
                                                         "cannot tell the field of row " + std::to_string(source_row(grid, r)), "GKML-E102",
                                                         "用 --field 指定领域代码，或在表中加“相应领域”列。", Severity::error));
            return;
        }
        items.push_back(std::move(pending));
    }
};

// "L-": a unit's own items. A locality's standard names its own after itself (L-230500-standard-20-1),
// so that they never take the id of an item a unit adds on top of them.
std::string local_prefix(const ImportOptions& options) {
    if (!options.as_standard) return "L-";
    std::string name;
    for (char c : options.as_standard->id)
        if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') name += c;
    name.resize(std::min<std::size_t>(name.size(), 30));
    return name.empty() ? "L-" : "L-" + name + "-";
}

// The one place rows meet the standard: ids by match_items, the rest kept as local items.
void assign_ids(Field& field, std::vector<bool>& has_levels, const ImportOptions& options, std::optional<Level> unit_level,
                Imported& result) {
    std::set<std::string> used;
    for (const auto& i : field.items) used.insert(i.id);
    const Field* standard_field = options.standard ? options.standard->find_field(field.code) : nullptr;
    if (standard_field) {
        Catalog wanted, incoming;
        wanted.fields.push_back(*standard_field);
        std::erase_if(wanted.fields.front().items, [&](const Item& i) { return used.contains(i.id); });
        incoming.fields.push_back(Field{field.code, field.name, {}, {}, {}});
        std::vector<std::size_t> index;
        for (std::size_t k = 0; k < field.items.size(); ++k)
            if (field.items[k].id.empty()) incoming.fields.front().items.push_back(field.items[k]), index.push_back(k);
        for (const auto& pair : match_items(wanted, incoming).pairs) {
            auto& item = field.items[index[pair.new_item.item]];
            const auto& reference = item_at(wanted, pair.old_item);
            item.id = reference.id;
            used.insert(item.id);
            // No level columns, or (outside a unit's catalog) none ticked: the standard item's levels.
            if (!has_levels[index[pair.new_item.item]] || (item.levels.empty() && !options.unit)) item.levels = reference.levels;
            // A table without 公开对象 or 公开方式 columns says nothing against the standard's.
            if (!item.audience) item.audience = reference.audience;
            if (!item.mode) item.mode = reference.mode;
        }
    }
    int next = 1;
    const std::string prefix = local_prefix(options) + field.code + "-";
    for (std::size_t k = 0; k < field.items.size(); ++k) {
        auto& item = field.items[k];
        if (!item.id.empty()) continue;
        while (used.contains(prefix + std::to_string(next))) ++next;
        item.id = prefix + std::to_string(next);
        used.insert(item.id);
        if (item.anchor.empty() ||
            !(is_field_code(item.anchor) || item.anchor.starts_with("L-") || (options.standard && options.standard->find_item(item.anchor))))
            item.anchor = field.code;
        result.local_items.push_back(item.id);
        if (options.standard)
            result.diagnostics.push_back(Diagnostic{
                "GKML-W103", Severity::warning, options.file, item.pos.line, item.pos.column,
                "“" + item.category + " / " + item.name + "”在标准目录中找不到对应事项，作为本地事项 " + item.id + " 保留",
                "row matches no standard item, kept as local item " + item.id, "若是标准事项，请改正事项名称后重新导入。",
                item.pos.cell});
    }
    // A row with no 公开层级 ticked: in a unit's catalog, the unit's own level; elsewhere nothing can
    // tell (found by fuzzing: such an item wrote no levels, which the schema requires).
    for (auto& item : field.items) {
        if (!item.levels.empty()) continue;
        if (unit_level) {
            item.levels = {*unit_level};
            continue;
        }
        result.diagnostics.push_back(Diagnostic{"GKML-E020", Severity::error, options.file, item.pos.line, item.pos.column,
                                                "“" + item.category + " / " + item.name + "”的公开层级一项也没有选",
                                                "公开层级: nothing ticked", "在“市级”“县级”“乡级”“村级”中至少一格内选“√”。",
                                                item.pos.cell});
    }
}

}  // namespace

std::expected<Imported, Error> catalog_from_grids(const std::vector<Grid>& grids, const std::vector<MetaRow>& meta,
                                                  const ImportOptions& options) {
    Imported result;
    result.catalog = catalog_from_meta(meta, options, result.diagnostics);
    auto& catalog = result.catalog;
    if (options.as_standard) catalog.kind = CatalogKind::standard;
    std::vector<PendingItem> items;
    GridReader reader{options, result, items, catalog.kind == CatalogKind::unit || options.unit.has_value(), {}};
    bool any_header = false;
    for (const auto& grid : grids) {
        Grid copy;
        const auto& safe = xml_safe(grid, copy, options, result);
        any_header |= find_header(safe).has_value();
        reader.read(safe);
    }
    if (!any_header)
        return std::unexpected(Error{ErrorKind::invalid_input,
                                     "找不到目录表格（表头应有一级事项、二级事项、公开内容等列） / no catalog table found",
                                     options.file, 0});
    if (items.empty())
        return std::unexpected(Error{ErrorKind::invalid_input,
                                     "表格只有表头，没有一行事项：没有可以导入的内容 / the table has a header and no item rows",
                                     options.file, 0});
    std::map<std::string, std::vector<bool>> has_levels;
    for (auto& p : items) {
        auto found = std::ranges::find(catalog.fields, p.field_code, &Field::code);
        Field* field = found == catalog.fields.end() ? nullptr : &*found;
        if (!field) {
            std::string name;
            if (options.standard)
                if (const auto* f = options.standard->find_field(p.field_code)) name = f->name;
            if (name.empty() && options.registry)
                for (const auto& f : *options.registry)
                    if (f.code == p.field_code) name = f.name;
            catalog.fields.push_back(Field{p.field_code, name.empty() ? p.field_code : name, {}, {}, {}});
            field = &catalog.fields.back();
        }
        field->items.push_back(std::move(p.item));
        has_levels[p.field_code].push_back(p.has_levels);
    }
    // A row of the cover (a workbook's cover sheet, a CSV's # lines): its value and cell.
    auto cover = [&](std::string_view label) -> std::pair<std::string, std::string> {
        for (const auto& grid : grids)
            for (std::size_t r = 0; r < grid.rows.size(); ++r)
                if (grid.rows[r].size() >= 2 && trim(grid.rows[r][0]) == label) return {trim(grid.rows[r][1]), cell_of(grid, r, 1)};
        for (const auto& [row_label, value] : meta)
            if (trim(row_label) == label) return {trim(value), ""};
        return {};
    };
    auto unit_code_cell = [&] { return cover("单位代码").second; };
    // Read for one unit, a workbook whose cover names another holds that unit's rows: by its code, or
    // by its name when the code was cleared or mangled (2.30522E+11 may be anyone's).
    if (options.unit) {
        const auto [code, code_cell] = cover("单位代码");
        const auto [name, name_cell] = cover("单位名称");
        const bool plain_code = is_unit_code(code);
        if ((plain_code && code != options.unit->code) || (!plain_code && !name.empty() && name != options.unit->name))
            result.diagnostics.push_back(Diagnostic{
                "GKML-E104", Severity::error, options.file, 0, 0,
                "封面写的是" + (plain_code ? "单位 " + code : std::string()) + "（" + name + "）的目录，不是 " + options.unit->code + "（" +
                    options.unit->name + "）的",
                "the cover names " + (plain_code ? code : name) + ", not " + options.unit->code,
                "换成本单位的工作簿；若是拿别的单位的目录作底稿，先把封面的单位代码、单位名称改成本单位的。",
                plain_code ? code_cell : name_cell});
    }
    // A unit code Excel turned into a number (2.30522E+11) or that is no code: said at the cover's cell.
    if (catalog.meta.unit && !options.unit && !is_unit_code(catalog.meta.unit->code)) {
        const auto& code = catalog.meta.unit->code;
        std::string cell = unit_code_cell();
        bool scientific = code.find_first_of("Ee") != std::string::npos && code.find('+') != std::string::npos;
        result.diagnostics.push_back(Diagnostic{
            "GKML-E019", Severity::error, options.file, 0, 0,
            scientific ? "单位代码“" + code + "”被 Excel 改成了科学计数法，原来的代码已经丢失"
                       : "单位代码“" + code + "”不是统计用区划代码（6、9 或 12 位数字，部门加 -简称）",
            "the unit code " + code + " is not a division code" + (scientific ? " (Excel made it a number)" : ""),
            scientific ? "把该单元格设为“文本”格式（或先输入英文单引号 '），重新输入 12 位代码，例如 230522203000。"
                       : "对照统计用区划代码改正，例如 230522203000；县直部门写 230522-mzj。",
            cell});
    }
    // A cover with a 单位代码 and no 单位名称: a unit catalog must name its unit (found by fuzzing).
    if (catalog.meta.unit && !options.unit && !options.as_standard && trim(catalog.meta.unit->name).empty()) {
        auto [name, cell] = cover("单位名称");
        result.diagnostics.push_back(Diagnostic{
            "GKML-E019", Severity::error, options.file, 0, 0, "封面有单位代码 " + catalog.meta.unit->code + "，但没有单位名称",
            "the cover gives the unit code " + catalog.meta.unit->code + " but no unit name",
            "在封面“单位名称”一行写上本单位的全称，例如 友谊县建设乡。", cell.empty() ? unit_code_cell() : cell});
    }
    std::optional<Level> unit_level;
    if (options.unit) unit_level = options.unit->level;
    else if (catalog.meta.unit) unit_level = catalog.meta.unit->level;
    for (auto& field : catalog.fields) assign_ids(field, has_levels[field.code], options, unit_level, result);
    // A standard row deleted from a unit's sheet: said once per item, at the
    // sheet, after rows without their 编号 have been matched back by name.
    const auto* unit = options.unit ? &*options.unit : catalog.meta.unit ? &*catalog.meta.unit : nullptr;
    if (reader.unit_catalog && options.standard && unit)
        for (std::set<std::string> checked; const auto& [sheet, code] : reader.sheets) {
            const Field* standard_field = options.standard->find_field(code);
            if (!standard_field || !checked.insert(code).second) continue;
            std::set<std::string> present;
            for (const auto& field : catalog.fields)
                if (field.code == code)
                    for (const auto& item : field.items) present.insert(item.id);
            for (const auto& wanted : standard_field->items) {
                if (wanted.status == ItemStatus::deprecated || !wanted.at_level(unit->level) || present.contains(wanted.id)) continue;
                result.diagnostics.push_back(Diagnostic{
                    "GKML-W107", Severity::warning, options.file, 0, 0,
                    "表中没有标准事项 " + wanted.id + "（" + wanted.category + " / " + wanted.name + "），这一行被删除了？",
                    "standard item " + wanted.id + " is not in the sheet (row deleted?)",
                    "标准事项不要删除：从导出的工作簿中把这一行复制回来；本单位不适用的，在“不适用理由”列写明理由。", sheet});
            }
        }
    if (options.unit) catalog.meta.unit = options.unit;
    if (const auto& identity = options.as_standard) {
        catalog.id = identity->id;
        catalog.version = identity->version;
        catalog.meta.unit.reset();
        Seen seen{identity->source, identity->locality};
        if (std::ranges::find(catalog.meta.sources, seen) == catalog.meta.sources.end()) catalog.meta.sources.push_back(seen);
        for (auto& field : catalog.fields)
            for (auto& item : field.items) {
                item.evidence = Evidence{{seen}, {}};
                item.not_applicable.reset();
            }
    }
    if (catalog.id.empty()) catalog.id = catalog.meta.unit ? "unit-" + catalog.meta.unit->code : "imported";
    if (catalog.version.empty()) catalog.version = "1";
    const bool is_that_standard = options.standard && catalog.id == options.standard->id && catalog.version == options.standard->version;
    if (catalog.based_on.empty() && options.standard && !is_that_standard) {
        catalog.based_on = options.standard->id;
        catalog.based_on_version = options.standard->version;
    }
    if (catalog.meta.title.empty())
        catalog.meta.title = !grids.empty() && !grids.front().name.empty() ? grids.front().name : "导入的目录";
    return result;
}

std::string markdown_of(const Catalog& catalog) {
    auto escape = [](std::string_view s) {
        std::string out;
        for (char c : s) {
            if (c == '|') out += "\\|";
            else if (c == '\n') out += "<br>";
            else out += c;
        }
        return out;
    };
    std::string out = "# " + escape(catalog.meta.title) + "\n\n";
    for (const auto& [label, value] : meta_rows(catalog))
        if (label != "领域") out += "- " + label + "：" + escape(value) + "\n";
    auto columns = columns_of(catalog, false);
    for (const auto& field : catalog.fields) {
        out += "\n## " + field.code + " " + escape(field.name) + "\n\n";
        if (field.not_applicable) out += "未涉及：" + escape(field.not_applicable->reason) + "\n\n";
        if (field.items.empty()) continue;
        std::string head = "|", rule = "|";
        for (const auto& c : columns) {
            head += " " + (c.group.empty() ? c.label : c.group + "·" + c.label) + " |";
            rule += " --- |";
        }
        out += head + "\n" + rule + "\n";
        std::size_t seq = 0;
        for (const auto& item : field.items) {
            out += "|";
            for (const auto& cell : cells_of(item, field, columns, ++seq)) out += " " + escape(cell) + " |";
            out += "\n";
        }
    }
    return out;
}

std::string catalog_to_csv(const Catalog& catalog) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& [label, value] : meta_rows(catalog)) rows.push_back({"#" + label, value});
    auto columns = columns_of(catalog, true);
    std::vector<std::string> header;
    for (const auto& c : columns) header.push_back(c.label);
    rows.push_back(std::move(header));
    for (const auto& field : catalog.fields) {
        std::size_t seq = 0;
        for (const auto& item : field.items) rows.push_back(cells_of(item, field, columns, ++seq));
    }
    return write_csv(rows);
}

std::expected<Imported, Error> catalog_from_csv(std::string_view bytes, const ImportOptions& options) {
    std::vector<MetaRow> meta;
    std::vector<Grid> grids(1);
    {  // the decoded text and the parsed rows are let go once the cells are in the grid
        auto text = decode_text(bytes, options.file);
        if (!text) return std::unexpected(text.error());
        auto rows = parse_csv(*text, options.file);
        if (!rows) return std::unexpected(rows.error());
        for (auto& row : *rows) {
            if (row.cells.front().starts_with("#") && grids[0].rows.empty())
                meta.emplace_back(row.cells.front().substr(1), row.cells.size() > 1 ? row.cells[1] : "");
            else grids[0].rows.push_back(std::move(row.cells));
        }
        grids[0].first_row = meta.size();  // Excel and WPS show the # lines as the first rows
    }
    return catalog_from_grids(grids, meta, options);
}

}  // namespace gkml
