#include "gkml/timelimit.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <utility>
#include <variant>

namespace gkml {

namespace {

using namespace std::string_view_literals;
using sv = std::string_view;

// ---- UTF-8 ----

char32_t decode(sv s, std::size_t& i) {
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char lead = byte(i);
    int len = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + static_cast<std::size_t>(len) > s.size()) {
        ++i;
        return 0xFFFD;
    }
    char32_t cp = len == 1 ? lead : len == 2 ? lead & 0x1F : len == 3 ? lead & 0x0F : lead & 0x07;
    for (int k = 1; k < len; ++k) cp = (cp << 6) | (byte(i + static_cast<std::size_t>(k)) & 0x3F);
    i += static_cast<std::size_t>(len);
    return cp;
}

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// Traditional characters seen in deadline wording, with their simplified forms.
constexpr auto traditional = std::to_array<std::pair<char32_t, char32_t>>({
    {U'內', U'内'}, {U'個', U'个'}, {U'時', U'时'}, {U'變', U'变'}, {U'開', U'开'}, {U'實', U'实'}, {U'長', U'长'},
    {U'週', U'周'}, {U'規', U'规'}, {U'從', U'从'}, {U'關', U'关'}, {U'準', U'准'}, {U'獲', U'获'}, {U'製', U'制'},
    {U'進', U'进'}, {U'況', U'况'}, {U'務', U'务'}, {U'據', U'据'}, {U'經', U'经'}, {U'後', U'后'}, {U'發', U'发'},
    {U'會', U'会'}, {U'與', U'与'}, {U'應', U'应'}, {U'級', U'级'}, {U'議', U'议'}, {U'為', U'为'}, {U'項', U'项'},
    {U'調', U'调'}, {U'結', U'结'}, {U'確', U'确'}, {U'認', U'认'}, {U'單', U'单'}, {U'該', U'该'}, {U'將', U'将'},
    {U'續', U'续'}, {U'於', U'于'}, {U'處', U'处'}, {U'罰', U'罚'}, {U'許', U'许'}, {U'權', U'权'}, {U'決', U'决'},
    {U'報', U'报'}, {U'執', U'执'}, {U'資', U'资'}, {U'訊', U'讯'}, {U'產', U'产'}, {U'當', U'当'}, {U'辦', U'办'},
    {U'臨', U'临'}, {U'動', U'动'}, {U'態', U'态'}, {U'複', U'复'}, {U'雜', U'杂'}, {U'審', U'审'}, {U'終', U'终'},
    {U'佈', U'布'}, {U'曆', U'历'}, {U'欄', U'栏'}, {U'遞', U'递'}, {U'週', U'周'}, {U'傳', U'传'}, {U'屆', U'届'},
    {U'歲', U'岁'},
});

bool is_space(char32_t cp) {
    return cp == U' ' || cp == U'\t' || cp == U'\n' || cp == U'\r' || cp == U'\v' || cp == U'\f' || cp == 0x00A0 ||
           cp == 0x3000 || cp == 0x200B || cp == 0xFEFF;
}

int numeral_value(char32_t cp) {
    switch (cp) {
        case U'零': case U'〇': return 0;
        case U'一': return 1;
        case U'二': case U'两': return 2;
        case U'三': return 3;
        case U'四': return 4;
        case U'五': return 5;
        case U'六': return 6;
        case U'七': return 7;
        case U'八': return 8;
        case U'九': return 9;
        case U'十': return 10;
        case U'百': return 100;
        default: return -1;
    }
}

// A Chinese numeral is read as a number only right before one of these (个, 工作日, 日, 小时, 周 …).
bool is_unit_start(char32_t cp) {
    constexpr std::u32string_view units = U"个工日天小周星月年次季";
    return units.find(cp) != std::u32string_view::npos;
}

// A run's value; none past 100 000 (no period is that long, and a run of digits past it would overflow).
std::optional<int> numeral_run_value(std::u32string_view run) {
    constexpr long long most = 100'000;
    long long total = 0, current = 0;
    for (char32_t cp : run) {
        int v = numeral_value(cp);
        if (v == 10 || v == 100) {
            total += (current == 0 ? 1 : current) * v;
            current = 0;
        } else {
            current = current * 10 + v;  // 二〇 style digit strings read positionally
        }
        if (total > most || current > most) return std::nullopt;
    }
    if (total + current > most) return std::nullopt;
    return static_cast<int>(total + current);
}

// Everything normalize_time_limit does except removing spaces: runs of white space become one ' ',
// which the parser can still use to tell two sentences apart.
std::string normalize_spaced(sv text) {
    std::u32string cps;
    for (std::size_t i = 0; i < text.size();) {
        char32_t cp = decode(text, i);
        if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;
        if (cp == U'。' || cp == U'｡') cp = U'。';
        if (cp == U'〔' || cp == U'［') cp = U'(';
        if (cp == U'〕' || cp == U'］') cp = U')';
        for (auto [from, to] : traditional)
            if (cp == from) cp = to;
        if (is_space(cp)) {
            if (!cps.empty() && cps.back() != U' ') cps += U' ';
            continue;
        }
        cps += cp;
    }
    while (!cps.empty() && cps.back() == U' ') cps.pop_back();

    std::string out;
    for (std::size_t i = 0; i < cps.size();) {
        if (numeral_value(cps[i]) >= 0) {
            std::size_t j = i;
            while (j < cps.size() && numeral_value(cps[j]) >= 0) ++j;
            bool before_unit = j < cps.size() && is_unit_start(cps[j]);
            bool only_zero = std::all_of(cps.begin() + static_cast<std::ptrdiff_t>(i), cps.begin() + static_cast<std::ptrdiff_t>(j),
                                         [](char32_t c) { return numeral_value(c) == 0; });
            auto value = before_unit && !only_zero ? numeral_run_value(std::u32string_view{cps}.substr(i, j - i)) : std::nullopt;
            if (value) {
                out += std::to_string(*value);
            } else {
                for (std::size_t k = i; k < j; ++k) append_utf8(out, cps[k]);
            }
            i = j;
            continue;
        }
        append_utf8(out, cps[i]);
        ++i;
    }
    return out;
}

std::string without_spaces(sv text) {
    std::string out;
    for (char c : text)
        if (c != ' ') out += c;
    return out;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool has_digit(sv s) { return std::ranges::any_of(s, is_digit); }

bool strip_prefix(sv& s, sv prefix) {
    if (!s.starts_with(prefix)) return false;
    s.remove_prefix(prefix.size());
    return true;
}

bool strip_suffix(sv& s, sv suffix) {
    if (!s.ends_with(suffix)) return false;
    s.remove_suffix(suffix.size());
    return true;
}

template <class Words>
bool strip_any_prefix(sv& s, const Words& prefixes) {
    for (sv p : prefixes)
        if (strip_prefix(s, p)) return true;
    return false;
}
bool strip_any_prefix(sv& s, std::initializer_list<sv> prefixes) { return strip_any_prefix<std::initializer_list<sv>>(s, prefixes); }

template <class Words>
bool strip_any_suffix(sv& s, const Words& suffixes) {
    for (sv p : suffixes)
        if (strip_suffix(s, p)) return true;
    return false;
}
bool strip_any_suffix(sv& s, std::initializer_list<sv> suffixes) { return strip_any_suffix<std::initializer_list<sv>>(s, suffixes); }

template <class Words>
bool is_one_of(sv s, const Words& words) {
    return std::ranges::find(words, s) != std::ranges::end(words);
}
bool is_one_of(sv s, std::initializer_list<sv> words) { return is_one_of<std::initializer_list<sv>>(s, words); }

// ---- pieces of a rule ----

struct Span {
    int n = 0;
    TimeUnit unit = TimeUnit::workday;
    std::size_t begin = 0;  // where the number starts
    std::size_t end = 0;    // just past the unit
};

// Reads "N[个](工作日|日|天|小时|周|星期|个月)" at `pos`, which must hold a digit.
std::optional<Span> span_at(sv s, std::size_t pos) {
    std::size_t i = pos;
    int n = 0;
    while (i < s.size() && is_digit(s[i])) {
        n = n * 10 + (s[i] - '0');
        if (n > 100000) return std::nullopt;
        ++i;
    }
    if (i == pos || n == 0) return std::nullopt;  // "0个工作日" is no span a rule can hold: not understood
    sv rest = s.substr(i);
    bool counted = strip_prefix(rest, "个");
    struct Word {
        sv text;
        TimeUnit unit;
    };
    constexpr auto words = std::to_array<Word>({{"工作日", TimeUnit::workday},
                                         {"自然日", TimeUnit::day},
                                         {"日历日", TimeUnit::day},
                                         {"小时", TimeUnit::hour},
                                         {"日", TimeUnit::day},
                                         {"天", TimeUnit::day},
                                         {"周", TimeUnit::week},
                                         {"星期", TimeUnit::week},
                                         {"月", TimeUnit::month}});
    for (const auto& w : words) {
        if (!rest.starts_with(w.text)) continue;
        if (w.unit == TimeUnit::month && !counted) return std::nullopt;  // "3月" names a month, "3个月" is a span
        std::size_t end = s.size() - rest.size() + w.text.size();
        return Span{n, w.unit, pos, end};
    }
    return std::nullopt;
}

std::optional<Span> first_span(sv s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (!is_digit(s[i]) || (i > 0 && is_digit(s[i - 1]))) continue;
        if (auto span = span_at(s, i)) return span;
    }
    return std::nullopt;
}

constexpr auto publish_words = std::to_array<sv>({"公开", "公示", "发布", "公布", "更新", "公告", "张贴", "告知", "推送"});

// What may follow a deadline: 内, 予以公开, 及时公开 …
bool is_publish_tail(sv tail) {
    strip_any_prefix(tail, {"以内", "之内", "内"});
    strip_any_prefix(tail, {"予以", "及时", "进行", "完成"});
    return tail.empty() || is_one_of(tail, publish_words);
}

bool is_lead_tail(sv tail) {
    strip_any_prefix(tail, {"予以", "进行"});
    strip_prefix(tail, "发出");
    strip_prefix(tail, "发");
    return tail.empty() || is_one_of(tail, publish_words) ||
           is_one_of(tail, {"通知", "通知邀请", "邀请"});
}

constexpr auto generic_subjects = std::to_array<sv>({"信息", "该信息", "政府信息", "该政府信息", "公开事项信息", "本信息", "相关信息", "该项信息"});
constexpr auto generic_objects = std::to_array<sv>({"信息", "该信息", "政府信息", "该政府信息"});

bool names_a_part(sv subject) {
    return subject.ends_with("信息") || subject.ends_with("事项") || subject.ends_with("内容") ||
           subject.ends_with("文件") || subject.ends_with("材料") || subject.ends_with("决定");
}

struct EventWord {
    sv text;
    AnchorEvent event;
};

constexpr auto event_words = std::to_array<EventWord>({
    {"形成或者变更", AnchorEvent::formed_or_changed}, {"形成或变更", AnchorEvent::formed_or_changed},
    {"形成(变更)", AnchorEvent::formed_or_changed},   {"形成、变更", AnchorEvent::formed_or_changed},
    {"形成变更", AnchorEvent::formed_or_changed},     {"产生或者变更", AnchorEvent::formed_or_changed},
    {"产生或变更", AnchorEvent::formed_or_changed},   {"产生、变更", AnchorEvent::formed_or_changed},
    {"制作或者获取", AnchorEvent::made_or_obtained},  {"制作或获取", AnchorEvent::made_or_obtained},
    {"制定或者获取", AnchorEvent::made_or_obtained},  {"制定或获取", AnchorEvent::made_or_obtained},
    {"作出行政处罚决定", AnchorEvent::decided},       {"作出行政许可决定", AnchorEvent::decided},
    {"作出行政决定", AnchorEvent::decided},           {"作出处罚决定", AnchorEvent::decided},
    {"作出许可决定", AnchorEvent::decided},           {"批复", AnchorEvent::approved},
    {"作出决定", AnchorEvent::decided},               {"决定作出", AnchorEvent::decided},
    {"分配结果确定", AnchorEvent::allocated},         {"批准", AnchorEvent::approved},
    {"形成", AnchorEvent::formed},                    {"产生", AnchorEvent::formed},
    {"变更", AnchorEvent::changed},
});

// Words that make the event the receipt of something, wherever they stand (收到征地批准文件).
constexpr auto receipt_words = std::to_array<sv>({"收到", "接到", "下发至本单位", "下发到本单位", "获取"});

struct Anchor {
    AnchorEvent event = AnchorEvent::formed_or_changed;
    std::string anchor_text;
    std::string scope;
};

// The words before the number: [subject][自] event [object][之日起|后].
std::optional<Anchor> read_anchor(sv words, bool scoped) {
    strip_any_prefix(words, {"自", "从", "于", "在"});
    bool ends_with_event = strip_any_suffix(words, {"之日起", "之日", "之后", "以后", "时起", "算起", "后", "起"}) ||
                           words.ends_with("下达");  // 资金分配结果下达15个工作日内
    strip_any_prefix(words, {"自", "从", "于", "在"});
    if (words.empty()) return Anchor{};  // a bare "20个工作日": 形成或变更 by convention

    if (words.starts_with("关联") && words.ends_with("公开"))
        return Anchor{AnchorEvent::related_published, words == "关联文件公开" ? "" : std::string{words}, {}};

    for (sv receipt : receipt_words) {
        if (words.find(receipt) == sv::npos) continue;
        if (words.find("制作或") != sv::npos || words.find("制定或") != sv::npos) break;
        sv text = words;
        for (sv generic : generic_subjects)
            if (text.starts_with(generic) && text.size() > generic.size()) {
                text.remove_prefix(generic.size());
                break;
            }
        strip_any_prefix(text, {"自", "从", "在"});
        bool plain = text == "收到" || text == "获取" || text == "接到";
        return Anchor{AnchorEvent::received, plain ? "" : std::string{text}, {}};
    }

    const EventWord* found = nullptr;
    std::size_t at = sv::npos;
    for (const auto& word : event_words) {
        auto pos = words.find(word.text);
        if (pos == sv::npos) continue;
        if (pos < at || (pos == at && word.text.size() > found->text.size())) {
            at = pos;
            found = &word;
        }
    }
    if (!found) {
        // An event the enum does not name ("拟征收土地现状调查结束后"): kept as text.
        if (!ends_with_event) return std::nullopt;
        return Anchor{AnchorEvent::other, std::string{words}, {}};
    }

    sv subject = words.substr(0, at);
    sv event_text = found->text;
    sv object = words.substr(at + found->text.size());
    AnchorEvent event = found->event;
    std::string decision_subject;
    if (event_text == "决定作出" && !subject.empty() &&
        !(subject.ends_with("在") || subject.ends_with("自") || subject.ends_with("于") || subject.ends_with("应"))) {
        // "行政许可和行政处罚决定作出后": the decision is the part the clause is about.
        decision_subject = std::string{subject} + "决定";
        subject = decision_subject;
        event_text = "作出";
    }
    while (strip_any_suffix(subject, {"应自", "应从", "应在", "应于", "在", "自", "从", "于", "应"})) {
    }
    if ((event == AnchorEvent::formed || event == AnchorEvent::formed_or_changed) && subject.ends_with("决定") &&
        object.empty() && !scoped) {
        return Anchor{AnchorEvent::decided, {}, {}};  // "行政处罚决定形成": the decision is made
    }
    Anchor anchor{event, {}, {}};
    bool generic_subject = subject.empty() || is_one_of(subject, generic_subjects);
    bool generic_object = object.empty() || is_one_of(object, generic_objects);
    std::string wording = std::string{event_text} + std::string{object};
    if (!generic_subject && (scoped || names_a_part(subject))) {
        anchor.scope = subject;
        if (!generic_object) anchor.anchor_text = wording;
    } else if (!generic_subject) {
        anchor.anchor_text = std::string{subject} + wording;  // who acts: 本级人民代表大会或其常务委员会批准
    } else if (!generic_object) {
        anchor.anchor_text = wording;  // what is made or obtained: 制定或获取备案政策
    }
    return anchor;
}

std::optional<Clause> read_relative(sv piece, bool scoped) {
    auto span = first_span(piece);
    if (!span) return std::nullopt;
    sv before = piece.substr(0, span->begin);
    sv after = piece.substr(span->end);
    if (strip_prefix(after, "前") || strip_prefix(after, "以前") || strip_prefix(after, "之前")) {
        // "在组织听证7个工作日前予以公开": a lead time before the event named in front.
        if (before.empty() || !is_lead_tail(after)) return std::nullopt;
        return Clause{{}, LeadTime{span->n, span->unit}, std::nullopt};
    }
    if (!is_publish_tail(after)) return std::nullopt;
    auto anchor = read_anchor(before, scoped);
    if (!anchor) return std::nullopt;
    return Clause{anchor->scope, Relative{span->n, span->unit, anchor->event, anchor->anchor_text}, std::nullopt};
}

std::optional<Clause> read_lead_time(sv piece) {
    if (!strip_prefix(piece, "提前")) return std::nullopt;
    auto span = span_at(piece, 0);
    if (!span || !is_lead_tail(piece.substr(span->end))) return std::nullopt;
    return Clause{{}, LeadTime{span->n, span->unit}, std::nullopt};
}

std::optional<Clause> read_duration(sv piece) {
    constexpr auto openers = std::to_array<sv>({"公告期限为", "公示期限为", "公示期限不得少于", "公告期限不得少于", "公示期不得少于",
                                         "公示时间不少于", "公示期不少于", "公告期限", "公示期限",
                                         "公告期为",   "公示期为",   "公示时间为",     "公告时间为",   "公示不少于", "公告期",
                                         "公示期",     "公示"});
    if (!strip_any_prefix(piece, openers)) return std::nullopt;
    auto span = span_at(piece, 0);
    if (!span) return std::nullopt;
    sv tail = piece.substr(span->end);
    if (!(tail.empty() || tail == "以上")) return std::nullopt;
    return Clause{{}, Duration{span->n, span->unit}, std::nullopt};
}

std::optional<Clause> read_standing(sv piece) {
    bool dynamic_note = strip_any_suffix(piece, {"(动态调整)", "(动态更新)", "(实时更新)"});
    if (is_one_of(piece, {"长期公开", "长期", "保持长期公开", "长期保持公开", "长期公示", "长期有效", "常年公开",
                                           "长期保留"}))
        return Clause{{}, Standing{StandingKind::long_term}, std::nullopt};
    if (dynamic_note) return std::nullopt;
    if (is_one_of(piece, {"永久公开", "永久", "永久公示", "永久保存"}))
        return Clause{{}, Standing{StandingKind::permanent}, std::nullopt};
    if (is_one_of(piece, {"动态调整", "动态更新", "动态公开", "动态调整公开", "动态"}))
        return Clause{{}, Standing{StandingKind::dynamic}, std::nullopt};
    return std::nullopt;
}

bool read_number(sv& s, int& n) {
    std::size_t i = 0;
    int value = 0;
    while (i < s.size() && is_digit(s[i]) && value < 10000) value = value * 10 + (s[i++] - '0');
    if (i == 0) return false;
    n = value;
    s.remove_prefix(i);
    return true;
}

std::optional<Clause> read_periodic(sv piece) {
    bool every = strip_any_prefix(piece, {"每一", "每", "按"});
    Periodic rule;
    if (strip_prefix(piece, "季度") || strip_prefix(piece, "季")) rule.period = Period::quarter;
    else if (strip_prefix(piece, "半年度") || strip_prefix(piece, "半年")) rule.period = Period::half_year;
    else if (strip_prefix(piece, "年度") || strip_prefix(piece, "年")) rule.period = Period::year;
    else if (strip_prefix(piece, "月度") || strip_prefix(piece, "月")) rule.period = Period::month;
    else return std::nullopt;
    // Without 每/按 only "半年至少更新1次" style counts are periodic; "年" alone is not.
    if (!every && rule.period != Period::half_year && !piece.starts_with("至少")) return std::nullopt;

    sv rest = piece;
    int n = 0;
    if (rule.period == Period::year && read_number(rest, n) && n >= 1 && n <= 12) {
        if (strip_any_prefix(rest, {"月底前", "月末前", "月底", "月末"})) {
            rule.due_month = n;
            piece = rest;
        } else if (strip_prefix(rest, "月")) {
            int day = 0;
            if (read_number(rest, day) && day >= 1 && day <= 31 &&
                strip_any_prefix(rest, {"日前", "日之前", "日以前", "日"})) {
                rule.due_month = n;
                rule.due_day = day;
                piece = rest;
            } else if (strip_any_prefix(rest, {"前", "份前"})) {
                rule.due_month = n - 1 == 0 ? 12 : n - 1;  // 每年3月前: by the end of February
                piece = rest;
            } else {
                return std::nullopt;
            }
        } else {
            return std::nullopt;
        }
    } else if (rule.period == Period::month && read_number(rest, n) && n >= 1 && n <= 31) {
        if (!strip_any_prefix(rest, {"日前", "日之前", "日"})) return std::nullopt;
        rule.due_day = n;
        piece = rest;
    }

    strip_prefix(piece, "至少");
    for (sv verb : publish_words)
        if (strip_prefix(piece, verb)) break;
    if (!piece.empty() && is_digit(piece.front())) {
        if (!read_number(piece, rule.count) || rule.count < 1 || !strip_prefix(piece, "次")) return std::nullopt;
    }
    strip_any_prefix(piece, {"予以", "及时"});
    if (!(piece.empty() || is_one_of(piece, publish_words) || piece == "更新公开")) return std::nullopt;
    return Clause{{}, rule, std::nullopt};
}

std::optional<Clause> read_immediate(sv piece) {
    if (has_digit(piece)) return std::nullopt;
    sv words = piece;
    for (sv tail : {"实时公开", "实时更新", "实时发布", "实时公示", "实时推送", "实时"}) {
        if (strip_suffix(words, tail))
            return Clause{{}, Immediate{ImmediateKind::real_time, std::string{words}}, std::nullopt};
    }
    if (auto pos = words.rfind("及时"); pos != sv::npos) {
        sv tail = words.substr(pos + "及时"sv.size());
        if (tail.empty() || is_one_of(tail, publish_words) || tail == "予以公开")
            return Clause{{}, Immediate{ImmediateKind::timely, std::string{words.substr(0, pos)}}, std::nullopt};
    }
    // "随采购公告、采购文件公开": published together with something else.
    if (words.starts_with("随") && (words.ends_with("公开") || words.ends_with("公示") || words.ends_with("发布") || words.ends_with("公告")))
        return Clause{{}, Immediate{ImmediateKind::timely, std::string{words}}, std::nullopt};
    // "在实地启动拟征收土地工作时": at the moment of an event.
    sv trigger = words;
    strip_any_suffix(trigger, {"予以公开", "公开"});
    if ((trigger.starts_with("在") || trigger.starts_with("于")) && trigger.ends_with("时") && trigger.size() > 6)
        return Clause{{}, Immediate{ImmediateKind::timely, std::string{trigger}}, std::nullopt};
    return std::nullopt;
}

// "在村公示栏公开": where, not when; it adds nothing to the rule.
bool is_place_phrase(sv piece) {
    if (has_digit(piece) || !(piece.starts_with("在") || piece.starts_with("通过"))) return false;
    sv words = piece;
    if (!strip_any_suffix(words, publish_words)) return false;
    strip_suffix(words, "予以");
    return !words.ends_with("时") && !words.ends_with("后") && !words.ends_with("前");
}

bool is_defer_to_law(sv piece) {
    if (has_digit(piece)) return false;
    if (piece.find("另有规定") != sv::npos) return true;
    return is_one_of(piece, {"从其规定", "的从其规定", "从其规定的", "按其规定", "依照其规定"});
}

struct ExtensionPiece {
    Extension extension;
    std::string condition_head;  // the words before 可延长 in the same phrase
};

std::optional<ExtensionPiece> read_extension(sv piece) {
    auto pos = piece.find("延长");
    if (pos == sv::npos) return std::nullopt;
    sv head = piece.substr(0, pos);
    sv rest = piece.substr(pos + "延长"sv.size());
    strip_any_suffix(head, {"可以", "可", "最多"});
    strip_any_prefix(rest, {"期限", "不超过", "最多", "最长", "至多"});
    strip_any_prefix(rest, {"不超过", "最多", "最长"});
    auto span = span_at(rest, 0);
    if (!span) return std::nullopt;
    sv tail = rest.substr(span->end);
    if (!is_publish_tail(tail)) return std::nullopt;
    return ExtensionPiece{Extension{span->n, span->unit, {}}, std::string{head}};
}

struct Ignored {};
struct DeferPiece {};
using PieceRule = std::variant<std::monostate, Clause, ExtensionPiece, DeferPiece, Ignored>;

PieceRule read_piece(sv piece) {
    if (piece.empty()) return Ignored{};
    if (is_defer_to_law(piece)) return DeferPiece{};
    if (auto extension = read_extension(piece)) return *extension;
    bool scoped = strip_prefix(piece, "其中");
    if (auto c = read_standing(piece)) return *c;
    if (auto c = read_periodic(piece)) return *c;
    if (auto c = read_immediate(piece)) return *c;
    if (auto c = read_duration(piece)) return *c;
    if (auto c = read_lead_time(piece)) return *c;
    if (auto c = read_relative(piece, scoped)) return *c;
    if (is_place_phrase(piece)) return Ignored{};
    return std::monostate{};
}

// Splits on any of `separators` outside parentheses.
std::vector<sv> split_outside_parens(sv text, std::initializer_list<sv> separators) {
    std::vector<sv> parts;
    int depth = 0;
    std::size_t start = 0;
    for (std::size_t i = 0; i < text.size();) {
        if (text[i] == '(') ++depth;
        if (text[i] == ')' && depth > 0) --depth;
        if (depth == 0) {
            bool cut = false;
            for (sv sep : separators) {
                if (text.substr(i).starts_with(sep)) {
                    parts.push_back(text.substr(start, i - start));
                    i += sep.size();
                    start = i;
                    cut = true;
                    break;
                }
            }
            if (cut) continue;
        }
        ++i;
    }
    parts.push_back(text.substr(start));
    return parts;
}

sv trim(sv s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
}

// 1.… 2.…, 1、… 2、…, (1)… (2)…, ①… ②…: the text of each numbered part, when the text starts with 1.
std::vector<sv> split_numbered(sv text) {
    auto marker = [](int k, int style) -> std::string {
        std::string n = std::to_string(k);
        switch (style) {
            case 0: return n + ".";
            case 1: return n + "、";
            case 2: return "(" + n + ")";
            default: {
                std::string out;
                append_utf8(out, static_cast<char32_t>(0x2460 + k - 1));
                return out;
            }
        }
    };
    for (int style = 0; style < 4; ++style) {
        if (!text.starts_with(marker(1, style))) continue;
        std::vector<std::size_t> starts{0};
        std::vector<std::size_t> bodies{marker(1, style).size()};
        for (int k = 2; k <= 20; ++k) {
            std::string m = marker(k, style);
            std::size_t from = bodies.back();
            std::size_t pos = from;
            bool found = false;
            while ((pos = text.find(m, pos)) != sv::npos) {
                bool digit_before = pos > 0 && is_digit(text[pos - 1]);
                bool digit_after = pos + m.size() < text.size() && is_digit(text[pos + m.size()]);
                if (!digit_before && !(style == 0 && digit_after)) {
                    found = true;
                    break;
                }
                ++pos;
            }
            if (!found) break;
            starts.push_back(pos);
            bodies.push_back(pos + m.size());
        }
        std::vector<sv> parts;
        for (std::size_t i = 0; i < starts.size(); ++i) {
            std::size_t end = i + 1 < starts.size() ? starts[i + 1] : text.size();
            parts.push_back(text.substr(bodies[i], end - bodies[i]));
        }
        return parts;
    }
    return {text};
}

struct Reading {
    std::vector<Clause> clauses;
    bool defer_to_law = false;
    bool failed = false;
};

// A parenthesis that only says "另有规定的从其规定" is the defer flag, wherever it stands.
std::string drop_defer_parentheses(sv text, bool& defer) {
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        if (text[i] == '(') {
            auto close = text.find(')', i);
            if (close != sv::npos && text.substr(i, close - i).find("另有规定") != sv::npos) {
                defer = true;
                i = close + 1;
                continue;
            }
        }
        out += text[i++];
    }
    return out;
}

void read_sentence(sv sentence, Reading& reading) {
    sentence = trim(sentence);
    if (sentence.empty()) return;
    std::string scope;
    if (auto colon = sentence.find(':'); colon != sv::npos) {
        sv head = trim(sentence.substr(0, colon));
        if (!head.empty() && !has_digit(head) && head.find(',') == sv::npos) {
            scope = without_spaces(head);
            sentence = sentence.substr(colon + 1);
        }
    }
    std::vector<std::string> pending;  // phrases that only make sense as an extension's condition
    std::size_t first_clause = reading.clauses.size();
    auto take = [&](PieceRule rule) -> bool {
        if (std::holds_alternative<std::monostate>(rule)) return false;
        if (auto* clause = std::get_if<Clause>(&rule)) {
            if (!pending.empty()) return false;
            reading.clauses.push_back(std::move(*clause));
        } else if (auto* extension = std::get_if<ExtensionPiece>(&rule)) {
            if (reading.clauses.empty() || reading.clauses.back().extension) return false;
            if (!extension->condition_head.empty()) pending.push_back(extension->condition_head);
            std::string condition;
            for (const auto& p : pending) condition += (condition.empty() ? "" : ",") + p;
            extension->extension.condition = condition;
            reading.clauses.back().extension = std::move(extension->extension);
            pending.clear();
        } else if (std::holds_alternative<DeferPiece>(rule)) {
            if (!pending.empty()) return false;
            reading.defer_to_law = true;
        }
        return true;
    };
    for (sv phrase : split_outside_parens(sentence, {","})) {
        phrase = trim(phrase);
        strip_any_prefix(phrase, {"或者", "或"});  // 或者提交首次响应文件截止之日3个工作日前
        std::string compact = without_spaces(phrase);
        // "…已公告的,不再重复公告": the condition before it says when nothing more is due.
        if (is_one_of(compact, {"不再重复公告", "不再重复公开"}) && !pending.empty()) {
            pending.clear();
            continue;
        }
        auto rule = read_piece(compact);
        bool unknown = std::holds_alternative<std::monostate>(rule);
        if (take(std::move(rule))) continue;
        // Two rules written side by side with only a space, or a 、, between them.
        bool side_by_side = false;
        for (sv between : {" "sv, "、"sv}) {
            if (side_by_side || phrase.find(between) == sv::npos) continue;
            std::vector<PieceRule> parts;
            for (sv part : split_outside_parens(phrase, {between})) parts.push_back(read_piece(without_spaces(part)));
            if (std::ranges::all_of(parts, [](const PieceRule& r) { return std::holds_alternative<Clause>(r); }) &&
                pending.empty()) {
                for (auto& part : parts) take(std::move(part));
                side_by_side = true;
            }
        }
        if (side_by_side) continue;
        if (unknown && !has_digit(compact)) {
            pending.push_back(compact);  // perhaps the condition of a 可延长 that follows
            continue;
        }
        reading.failed = true;
        return;
    }
    if (!pending.empty()) reading.failed = true;
    for (std::size_t i = first_clause; i < reading.clauses.size(); ++i)
        if (reading.clauses[i].scope.empty()) reading.clauses[i].scope = scope;
}

}  // namespace

std::string normalize_time_limit(std::string_view text) { return without_spaces(normalize_spaced(text)); }

TimeLimit parse_time_limit(std::string_view text) {
    TimeLimit result{std::string{text}, {}, false};
    Reading reading;
    std::string spaced = drop_defer_parentheses(normalize_spaced(text), reading.defer_to_law);
    for (sv part : split_numbered(trim(spaced))) {
        for (sv sentence : split_outside_parens(part, {";", "。"})) {
            read_sentence(sentence, reading);
            if (reading.failed) return result;
        }
    }
    if (reading.clauses.empty()) return result;
    result.clauses = std::move(reading.clauses);
    result.defer_to_law = reading.defer_to_law;
    return result;
}

bool is_same_as_above(std::string_view text) {
    std::string t = normalize_time_limit(text);
    while (!t.empty() && (t.back() == '.' || t.ends_with("。"))) t.resize(t.back() == '.' ? t.size() - 1 : t.size() - "。"sv.size());
    return t == "同上" || t == "同前" || t == "同上条" || t == "同上一条" || t == "同上一项";
}

TimeLimit resolve_time_limit(std::string_view text, const TimeLimit* previous) {
    if (!is_same_as_above(text)) return parse_time_limit(text);
    TimeLimit result{std::string{text}, {}, false};
    if (previous) {
        result.clauses = previous->clauses;
        result.defer_to_law = previous->defer_to_law;
    }
    return result;
}

std::vector<TimeLimit> parse_time_limit_column(std::span<const std::string> texts) {
    std::vector<TimeLimit> column;
    column.reserve(texts.size());
    for (const auto& text : texts) column.push_back(resolve_time_limit(text, column.empty() ? nullptr : &column.back()));
    return column;
}

// ---- deadlines ----

namespace {

using std::chrono::days;
using std::chrono::sys_days;

Date plus_days(Date day, int n) { return Date{sys_days{day} + days{n}}; }

Date plus_months(Date day, int n) {
    Date moved = day + std::chrono::months{n};
    if (!moved.ok()) moved = Date{std::chrono::year_month_day_last{moved.year(), std::chrono::month_day_last{moved.month()}}};
    return moved;
}

Error no_date(std::string why) { return Error{ErrorKind::invalid_input, std::move(why), {}, 0}; }

std::expected<Date, Error> roll_back_to_workday(Date day, const Calendar& calendar) {
    for (;;) {
        auto working = is_workday(day, calendar);
        if (!working) return std::unexpected(working.error());
        if (*working) return day;
        day = plus_days(day, -1);
    }
}

// Forward spans (deadlines, durations): working days on the calendar, others rolled forward (§203).
std::expected<Date, Error> after(Date anchor, int n, TimeUnit unit, const Calendar& calendar) {
    switch (unit) {
        case TimeUnit::workday: return add_workdays(anchor, n, calendar);
        case TimeUnit::day: return roll_to_workday(plus_days(anchor, n), calendar);
        case TimeUnit::week: return roll_to_workday(plus_days(anchor, 7 * n), calendar);
        case TimeUnit::month: return roll_to_workday(plus_months(anchor, n), calendar);
        case TimeUnit::hour: break;
    }
    return plus_days(anchor, n / 24);
}

std::expected<Due, Error> hours_after(Date anchor, std::chrono::minutes at, int n) {
    auto moment = sys_days{anchor} + at + std::chrono::hours{n};
    auto day = std::chrono::floor<days>(moment);
    return Due{Date{day}, std::chrono::duration_cast<std::chrono::minutes>(moment - day), std::nullopt};
}

std::expected<Due, Error> forward(Date anchor, int n, TimeUnit unit, const Calendar& calendar, std::chrono::minutes at) {
    if (unit == TimeUnit::hour) return hours_after(anchor, at, n);
    auto date = after(anchor, n, unit, calendar);
    if (!date) return std::unexpected(date.error());
    return Due{*date, std::nullopt, std::nullopt};
}

int months_of(Period period) {
    switch (period) {
        case Period::month: return 1;
        case Period::quarter: return 3;
        case Period::half_year: return 6;
        case Period::year: return 12;
    }
    return 12;
}

// Nominal due dates (before rolling onto a working day) in [from, to].
std::vector<Date> nominal_dues(const Periodic& rule, Date from, Date to) {
    using namespace std::chrono;
    std::vector<Date> dates;
    int first_year = static_cast<int>(from.year());
    int last_year = static_cast<int>(to.year());
    auto in_range = [&](Date d) { return from <= d && d <= to; };
    auto month_end = [](int y, unsigned m) { return Date{year_month_day_last{year{y}, month_day_last{month{m}}}}; };
    if (rule.period == Period::year && rule.due_month > 0) {
        for (int y = first_year; y <= last_year; ++y) {
            auto m = static_cast<unsigned>(rule.due_month);
            Date d = month_end(y, m);
            if (rule.due_day > 0 && static_cast<unsigned>(rule.due_day) < static_cast<unsigned>(d.day()))
                d = Date{year{y}, month{m}, day{static_cast<unsigned>(rule.due_day)}};
            if (in_range(d)) dates.push_back(d);
        }
        return dates;
    }
    int span = months_of(rule.period);
    int step = rule.count > 1 && span % rule.count == 0 ? span / rule.count : span;
    for (int y = first_year; y <= last_year; ++y) {
        for (unsigned m = 1; m <= 12; ++m) {
            if (static_cast<int>(m) % step != 0) continue;
            Date d = month_end(y, m);
            if (rule.period == Period::month && rule.due_day > 0 && static_cast<unsigned>(rule.due_day) < static_cast<unsigned>(d.day()))
                d = Date{year{y}, month{m}, day{static_cast<unsigned>(rule.due_day)}};
            if (in_range(d)) dates.push_back(d);
        }
    }
    return dates;
}

}  // namespace

std::expected<std::vector<Date>, Error> periodic_dues(const Periodic& rule, Date from, Date to, const Calendar& calendar) {
    std::vector<Date> dues;
    for (Date nominal : nominal_dues(rule, from, to)) {
        auto due = roll_to_workday(nominal, calendar);
        if (!due) return std::unexpected(due.error());
        dues.push_back(*due);
    }
    return dues;
}

std::expected<Due, Error> due_for(const Clause& clause, Date anchor, const Calendar& calendar, std::chrono::minutes at) {
    auto due = std::visit(
        [&](const auto& rule) -> std::expected<Due, Error> {
            using Rule = std::decay_t<decltype(rule)>;
            if constexpr (std::is_same_v<Rule, Relative> || std::is_same_v<Rule, Duration>) {
                return forward(anchor, rule.n, rule.unit, calendar, at);
            } else if constexpr (std::is_same_v<Rule, Immediate>) {
                if (rule.kind == ImmediateKind::real_time) return Due{anchor, std::nullopt, std::nullopt};
                return std::unexpected(no_date("及时公开 sets no fixed number of days: there is no due date to count"));
            } else if constexpr (std::is_same_v<Rule, Standing>) {
                return std::unexpected(no_date("a standing rule (长期/永久/动态调整) keeps the information published: it has no due date"));
            } else if constexpr (std::is_same_v<Rule, Periodic>) {
                auto dues = periodic_dues(rule, anchor, plus_months(anchor, 13), calendar);
                if (!dues) return std::unexpected(dues.error());
                if (dues->empty()) return std::unexpected(no_date("the periodic rule has no due date in the year after the anchor"));
                return Due{dues->front(), std::nullopt, std::nullopt};
            } else {
                static_assert(std::is_same_v<Rule, LeadTime>);
                if (rule.unit == TimeUnit::hour) return hours_after(anchor, at, -rule.n);
                if (rule.unit == TimeUnit::workday) {
                    auto d = add_workdays(anchor, -rule.n, calendar);
                    if (!d) return std::unexpected(d.error());
                    return Due{*d, std::nullopt, std::nullopt};
                }
                Date back = rule.unit == TimeUnit::month ? plus_months(anchor, -rule.n)
                                                         : plus_days(anchor, -(rule.unit == TimeUnit::week ? 7 : 1) * rule.n);
                auto d = roll_back_to_workday(back, calendar);
                if (!d) return std::unexpected(d.error());
                return Due{*d, std::nullopt, std::nullopt};
            }
        },
        clause.rule);
    if (!due || !clause.extension || !std::holds_alternative<Relative>(clause.rule)) return due;
    if (clause.extension->unit == TimeUnit::hour) {
        auto longer = hours_after(anchor, at, std::get<Relative>(clause.rule).n + clause.extension->n);
        due->extended = longer->date;
        return due;
    }
    auto extended = after(due->date, clause.extension->n, clause.extension->unit, calendar);
    if (!extended) return std::unexpected(extended.error());
    due->extended = *extended;
    return due;
}

}  // namespace gkml
