#include "gkml/xml.hpp"

#include "screen.hpp"

#include <pugixml.hpp>

#include <algorithm>
#include <charconv>
#include <map>

#include "gkml/files.hpp"

namespace gkml {

namespace {

std::string_view local_name(std::string_view qname) {
    auto colon = qname.find(':');
    return colon == std::string_view::npos ? qname : qname.substr(colon + 1);
}

// Maps byte offsets of one buffer to 1-based line and column (columns count UTF-8 characters).
class LineIndex {
public:
    explicit LineIndex(std::string_view text) : text_(text) {
        starts_.push_back(0);
        for (std::size_t i = 0; i < text.size(); ++i)
            if (text[i] == '\n') starts_.push_back(i + 1);
    }
    std::pair<int, int> at(std::ptrdiff_t offset) const {
        if (offset < 0) return {0, 0};
        auto it = std::upper_bound(starts_.begin(), starts_.end(), static_cast<std::size_t>(offset));
        std::size_t line_start = *(it - 1);
        int column = 1;
        for (std::size_t i = line_start; i < static_cast<std::size_t>(offset) && i < text_.size(); ++i)
            if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++column;
        return {static_cast<int>(it - starts_.begin()), column};
    }

private:
    std::string_view text_;
    std::vector<std::size_t> starts_;
};

class Reader {
public:
    // Without positions, nodes are placed at line 0 (text gkml wrote itself, whose lines no user sees).
    Reader(std::string_view text, std::string_view file, bool positions = true)
        : lines_(positions ? text : std::string_view{}), file_(file), positions_(positions) {}

    SourcePos pos(pugi::xml_node node) const {
        if (!positions_) return SourcePos{file_, 0, 0, {}};
        // pugixml points at the element's name; users expect the column of its '<'.
        auto offset = node.offset_debug() - (node.type() == pugi::node_element ? 1 : 0);
        auto [line, column] = lines_.at(offset);
        return SourcePos{file_, line, column, {}};
    }

    Error error_at(pugi::xml_node node, std::string message) const {
        return Error{ErrorKind::invalid_input, std::move(message), file_, pos(node).line};
    }

    template <typename E>
    std::expected<E, Error> token(pugi::xml_node node, const char* attribute,
                                  std::optional<E> (*from)(std::string_view), E fallback) const {
        auto a = node.attribute(attribute);
        if (!a) return fallback;
        if (auto v = from(a.value())) return *v;
        return std::unexpected(error_at(node, std::string("unknown value \"") + a.value() + "\" of " + attribute));
    }

    std::expected<int, Error> number(pugi::xml_node node, const char* attribute, int fallback) const {
        auto a = node.attribute(attribute);
        if (!a) return fallback;
        std::string_view s = a.value();
        int v = 0;
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (ec != std::errc{} || p != s.data() + s.size())
            return std::unexpected(error_at(node, std::string("not a number: ") + attribute + "=\"" + a.value() + "\""));
        return v;
    }

private:
    LineIndex lines_;
    std::string file_;
    bool positions_;
};

// Children of `node` with a given local name, in document order.
std::vector<pugi::xml_node> children(pugi::xml_node node, std::string_view name) {
    std::vector<pugi::xml_node> out;
    for (auto child : node.children())
        if (child.type() == pugi::node_element && local_name(child.name()) == name) out.push_back(child);
    return out;
}

pugi::xml_node child(pugi::xml_node node, std::string_view name) {
    for (auto c : node.children())
        if (c.type() == pugi::node_element && local_name(c.name()) == name) return c;
    return {};
}

std::string text_of(pugi::xml_node node) { return node ? node.child_value() : ""; }

std::string attr(pugi::xml_node node, const char* name) { return node.attribute(name).value(); }

bool flag(pugi::xml_node node, const char* name) {
    std::string_view v = node.attribute(name).value();
    return v == "true" || v == "1";
}

std::vector<std::string_view> split_ws(std::string_view s) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
        std::size_t j = i;
        while (j < s.size() && !std::isspace(static_cast<unsigned char>(s[j]))) ++j;
        if (j > i) out.push_back(s.substr(i, j - i));
        i = j;
    }
    return out;
}

#define GKML_TRY(var, expr)                                   \
    auto var##_result = (expr);                               \
    if (!var##_result) return std::unexpected(var##_result.error()); \
    auto var = *std::move(var##_result)  // moved: an item is a few hundred bytes of strings

std::expected<Clause, Error> read_clause(const Reader& r, pugi::xml_node node) {
    Clause clause;
    clause.scope = attr(node, "scope");
    bool have_rule = false;
    for (auto c : node.children()) {
        if (c.type() != pugi::node_element) continue;
        auto name = local_name(c.name());
        if (name == "extension") {
            Extension e;
            GKML_TRY(n, r.number(c, "n", 0));
            GKML_TRY(unit, r.token(c, "unit", time_unit_from, TimeUnit::workday));
            e.n = n;
            e.unit = unit;
            e.condition = attr(c, "condition");
            clause.extension = e;
            continue;
        }
        if (have_rule) return std::unexpected(r.error_at(c, "a clause holds one rule"));
        have_rule = true;
        if (name == "relative") {
            Relative v;
            GKML_TRY(n, r.number(c, "n", 0));
            GKML_TRY(unit, r.token(c, "unit", time_unit_from, TimeUnit::workday));
            GKML_TRY(anchor, r.token(c, "anchor", anchor_event_from, AnchorEvent::formed_or_changed));
            v.n = n;
            v.unit = unit;
            v.anchor = anchor;
            v.anchor_text = attr(c, "anchor-text");
            clause.rule = v;
        } else if (name == "immediate") {
            GKML_TRY(kind, r.token(c, "kind", immediate_kind_from, ImmediateKind::timely));
            clause.rule = Immediate{kind, attr(c, "trigger")};
        } else if (name == "standing") {
            GKML_TRY(kind, r.token(c, "kind", standing_kind_from, StandingKind::long_term));
            clause.rule = Standing{kind};
        } else if (name == "periodic") {
            Periodic v;
            GKML_TRY(period, r.token(c, "period", period_from, Period::year));
            GKML_TRY(count, r.number(c, "count", 1));
            GKML_TRY(month, r.number(c, "due-month", 0));
            GKML_TRY(day, r.number(c, "due-day", 0));
            v.period = period;
            v.count = count;
            v.due_month = month;
            v.due_day = day;
            clause.rule = v;
        } else if (name == "lead-time" || name == "duration") {
            GKML_TRY(n, r.number(c, "n", 0));
            GKML_TRY(unit, r.token(c, "unit", time_unit_from, TimeUnit::day));
            if (name == "lead-time")
                clause.rule = LeadTime{n, unit};
            else
                clause.rule = Duration{n, unit};
        } else {
            return std::unexpected(r.error_at(c, "unknown rule <" + std::string(name) + ">"));
        }
    }
    if (!have_rule) return std::unexpected(r.error_at(node, "a clause needs a rule"));
    return clause;
}

std::expected<TimeLimit, Error> read_time_limit(const Reader& r, pugi::xml_node node) {
    TimeLimit t;
    t.text = attr(node, "text");
    t.defer_to_law = flag(node, "defer-to-law");
    for (auto c : children(node, "clause")) {
        GKML_TRY(clause, read_clause(r, c));
        t.clauses.push_back(std::move(clause));
    }
    return t;
}

std::vector<Seen> read_seen(pugi::xml_node parent, std::string_view name) {
    std::vector<Seen> out;
    for (auto s : children(parent, name)) out.push_back(Seen{attr(s, "href"), attr(s, "locality")});
    return out;
}

// An item's parts, each its first child of that name, found in one pass over the children (a
// province's coverage reads 370 000 items).
struct ItemParts {
    pugi::xml_node category, name, elements, basis, time_limit, subject, channels, audience, mode, not_applicable, evidence, note;

    explicit ItemParts(pugi::xml_node item) {
        static constexpr std::pair<std::string_view, pugi::xml_node ItemParts::*> slots[] = {
            {"category", &ItemParts::category}, {"name", &ItemParts::name}, {"elements", &ItemParts::elements},
            {"basis", &ItemParts::basis}, {"time-limit", &ItemParts::time_limit}, {"subject", &ItemParts::subject},
            {"channels", &ItemParts::channels}, {"audience", &ItemParts::audience}, {"mode", &ItemParts::mode},
            {"not-applicable", &ItemParts::not_applicable}, {"evidence", &ItemParts::evidence}, {"note", &ItemParts::note}};
        for (auto c : item.children()) {
            if (c.type() != pugi::node_element) continue;
            const auto local = local_name(c.name());
            for (const auto& [part, slot] : slots)
                if (local == part) {
                    if (!(this->*slot)) this->*slot = c;
                    break;
                }
        }
    }
};

std::expected<Item, Error> read_item(const Reader& r, pugi::xml_node node) {
    const ItemParts parts(node);
    Item item;
    item.pos = r.pos(node);
    item.id = attr(node, "id");
    for (auto token : split_ws(node.attribute("levels").value())) {
        auto level = level_from(token);
        if (!level) return std::unexpected(r.error_at(node, "unknown level \"" + std::string(token) + "\""));
        item.levels.push_back(*level);
    }
    GKML_TRY(status, r.token(node, "status", item_status_from, ItemStatus::active));
    item.status = status;
    item.replaced_by = attr(node, "replaced-by");
    item.anchor = attr(node, "anchor");
    if (node.attribute("column-kind")) {
        GKML_TRY(kind, r.token(node, "column-kind", column_kind_from, ColumnKind::policy));
        item.column_kind = kind;
    }
    item.category = text_of(parts.category);
    item.name = text_of(parts.name);
    for (auto e : children(parts.elements, "element")) {
        GKML_TRY(mark, r.token(e, "mark", element_mark_from, ElementMark::unmarked));
        item.elements.push_back(Element{e.child_value(), mark});
    }
    for (auto s : children(parts.basis, "source")) {
        GKML_TRY(kind, r.token(s, "kind", basis_kind_from, BasisKind::other));
        item.basis.push_back(BasisSource{s.child_value(), kind, attr(s, "number")});
    }
    if (auto t = parts.time_limit) {
        GKML_TRY(limit, read_time_limit(r, t));
        item.time_limit = std::move(limit);
    }
    item.subject = text_of(parts.subject);
    for (auto c : children(parts.channels, "channel")) {
        GKML_TRY(code, r.token(c, "code", channel_code_from, ChannelCode::other));
        item.channels.push_back(Channel{code, flag(c, "required"), c.child_value()});
    }
    if (auto a = parts.audience) item.audience = Audience{flag(a, "public"), flag(a, "specific"), attr(a, "group")};
    if (auto m = parts.mode) item.mode = Mode{flag(m, "proactive"), flag(m, "on-request")};
    if (auto na = parts.not_applicable) item.not_applicable = NotApplicable{attr(na, "reason")};
    if (auto ev = parts.evidence) {
        item.evidence.seen = read_seen(ev, "seen");
        item.evidence.reconstructed = text_of(child(ev, "reconstructed"));
    }
    item.note = text_of(parts.note);
    return item;
}

std::expected<void, Error> load(pugi::xml_document& doc, std::string_view xml, std::string_view file, bool screened = false) {
    // What validate refuses, every reader refuses: a DOCTYPE, a binary file, an encoding other than UTF-8.
    if (auto refused = screened ? std::nullopt : screen(xml, file))
        return std::unexpected(Error{ErrorKind::invalid_input, refused->code + " " + refused->message_zh + " / " + refused->message_en,
                                     std::string(file), refused->line});
    // No pugi::parse_doctype expansion exists; DOCTYPE is skipped, entities other than the five are left alone.
    auto result = doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!result) {
        auto [line, column] = LineIndex(xml).at(result.offset);
        (void)column;
        return std::unexpected(Error{ErrorKind::invalid_input,
                                     std::string("not well-formed XML: ") + result.description(), std::string(file),
                                     line});
    }
    return {};
}

// ---- writer ----

void set(pugi::xml_node node, const char* name, std::string_view value) {
    if (!value.empty()) node.append_attribute(name).set_value(std::string(value).c_str());
}

void set_flag(pugi::xml_node node, const char* name, bool value) {
    if (value) node.append_attribute(name).set_value("true");
}

void set_number(pugi::xml_node node, const char* name, int value) {
    node.append_attribute(name).set_value(std::to_string(value).c_str());
}

pugi::xml_node text_child(pugi::xml_node parent, const char* name, std::string_view text) {
    auto node = parent.append_child(name);
    node.append_child(pugi::node_pcdata).set_value(std::string(text).c_str());
    return node;
}

void write_clause(pugi::xml_node parent, const Clause& clause) {
    auto node = parent.append_child("clause");
    set(node, "scope", clause.scope);
    std::visit(
        [&](const auto& rule) {
            using T = std::decay_t<decltype(rule)>;
            if constexpr (std::is_same_v<T, Relative>) {
                auto r = node.append_child("relative");
                set_number(r, "n", rule.n);
                set(r, "unit", to_string(rule.unit));
                set(r, "anchor", to_string(rule.anchor));
                set(r, "anchor-text", rule.anchor_text);
            } else if constexpr (std::is_same_v<T, Immediate>) {
                auto r = node.append_child("immediate");
                set(r, "kind", to_string(rule.kind));
                set(r, "trigger", rule.trigger);
            } else if constexpr (std::is_same_v<T, Standing>) {
                set(node.append_child("standing"), "kind", to_string(rule.kind));
            } else if constexpr (std::is_same_v<T, Periodic>) {
                auto r = node.append_child("periodic");
                set(r, "period", to_string(rule.period));
                if (rule.count != 1) set_number(r, "count", rule.count);
                if (rule.due_month) set_number(r, "due-month", rule.due_month);
                if (rule.due_day) set_number(r, "due-day", rule.due_day);
            } else {
                auto r = node.append_child(std::is_same_v<T, LeadTime> ? "lead-time" : "duration");
                set_number(r, "n", rule.n);
                set(r, "unit", to_string(rule.unit));
            }
        },
        clause.rule);
    if (clause.extension) {
        auto e = node.append_child("extension");
        set_number(e, "n", clause.extension->n);
        set(e, "unit", to_string(clause.extension->unit));
        set(e, "condition", clause.extension->condition);
    }
}

void write_seen(pugi::xml_node parent, const char* name, const Seen& seen) {
    auto s = parent.append_child(name);
    set(s, "href", seen.href);
    set(s, "locality", seen.locality);
}

void write_item(pugi::xml_node parent, const Item& item) {
    auto node = parent.append_child("item");
    set(node, "id", item.id);
    std::string levels;
    for (auto level : item.levels) {
        if (!levels.empty()) levels += ' ';
        levels += to_string(level);
    }
    set(node, "levels", levels);
    if (item.status != ItemStatus::active) set(node, "status", to_string(item.status));
    set(node, "replaced-by", item.replaced_by);
    set(node, "anchor", item.anchor);
    if (item.column_kind) set(node, "column-kind", to_string(*item.column_kind));
    text_child(node, "category", item.category);
    text_child(node, "name", item.name);
    auto elements = node.append_child("elements");
    for (const auto& e : item.elements) {
        auto el = text_child(elements, "element", e.text);
        if (e.mark != ElementMark::unmarked) set(el, "mark", to_string(e.mark));
    }
    if (!item.basis.empty()) {
        auto basis = node.append_child("basis");
        for (const auto& s : item.basis) {
            auto src = basis.append_child("source");
            set(src, "kind", to_string(s.kind));
            set(src, "number", s.number);
            src.append_child(pugi::node_pcdata).set_value(s.title.c_str());
        }
    }
    if (item.time_limit) {
        auto t = node.append_child("time-limit");
        set(t, "text", item.time_limit->text);
        set_flag(t, "defer-to-law", item.time_limit->defer_to_law);
        if (item.time_limit->clauses.empty()) t.append_child("unparsed");
        for (const auto& clause : item.time_limit->clauses) write_clause(t, clause);
    }
    if (!item.subject.empty()) text_child(node, "subject", item.subject);
    if (!item.channels.empty()) {
        auto channels = node.append_child("channels");
        for (const auto& c : item.channels) {
            auto ch = channels.append_child("channel");
            set(ch, "code", to_string(c.code));
            set_flag(ch, "required", c.required);
            if (!c.text.empty()) ch.append_child(pugi::node_pcdata).set_value(c.text.c_str());
        }
    }
    if (item.audience) {
        auto a = node.append_child("audience");
        set_flag(a, "public", item.audience->everyone);
        set_flag(a, "specific", item.audience->specific);
        set(a, "group", item.audience->group);
    }
    if (item.mode) {
        auto m = node.append_child("mode");
        set_flag(m, "proactive", item.mode->proactive);
        set_flag(m, "on-request", item.mode->on_request);
    }
    if (item.not_applicable) node.append_child("not-applicable").append_attribute("reason").set_value(
        item.not_applicable->reason.c_str());
    if (!item.evidence.empty()) {
        auto ev = node.append_child("evidence");
        if (!item.evidence.reconstructed.empty())
            text_child(ev, "reconstructed", item.evidence.reconstructed);
        else
            for (const auto& s : item.evidence.seen) write_seen(ev, "seen", s);
    }
    if (!item.note.empty()) text_child(node, "note", item.note);
}

}  // namespace

RootInfo root_of(std::string_view xml) {
    RootInfo info;
    // Skip the prolog: declaration, comments, processing instructions, DOCTYPE.
    std::size_t i = 0;
    if (xml.starts_with("\xEF\xBB\xBF")) i = 3;
    while (i < xml.size()) {
        i = xml.find('<', i);
        if (i == std::string_view::npos || i + 1 >= xml.size()) return info;
        char c = xml[i + 1];
        if (c == '?' || c == '!') {
            std::string_view end = xml.substr(i, 4) == "<!--" ? "-->" : ">";
            i = xml.find(end, i + 2);
            if (i == std::string_view::npos) return info;
            i += end.size();
            continue;
        }
        break;
    }
    std::size_t end = xml.find('>', i);
    if (end == std::string_view::npos) return info;
    std::string_view tag = xml.substr(i + 1, end - i - 1);
    std::size_t name_end = tag.find_first_of(" \t\r\n/");
    std::string_view qname = tag.substr(0, name_end);
    info.name = std::string(local_name(qname));
    std::string prefix = qname.find(':') == std::string_view::npos ? "" : std::string(qname.substr(0, qname.find(':')));
    std::string wanted = prefix.empty() ? "xmlns" : "xmlns:" + prefix;
    for (std::size_t p = tag.find(wanted); p != std::string_view::npos; p = tag.find(wanted, p + 1)) {
        std::size_t q = p + wanted.size();
        while (q < tag.size() && std::isspace(static_cast<unsigned char>(tag[q]))) ++q;
        if (q >= tag.size() || tag[q] != '=') continue;
        ++q;
        while (q < tag.size() && std::isspace(static_cast<unsigned char>(tag[q]))) ++q;
        if (q >= tag.size() || (tag[q] != '"' && tag[q] != '\'')) continue;
        char quote = tag[q];
        std::size_t close = tag.find(quote, q + 1);
        if (close == std::string_view::npos) break;
        info.namespace_ = std::string(tag.substr(q + 1, close - q - 1));
        break;
    }
    if (info.namespace_ == catalog_ns && info.name == "catalog") info.kind = DocumentKind::catalog;
    else if (info.namespace_ == catalog_ns && info.name == "fields") info.kind = DocumentKind::fields;
    else if (info.namespace_ == ledger_ns && info.name == "ledger") info.kind = DocumentKind::ledger;
    else if (info.namespace_ == units_ns && info.name == "units") info.kind = DocumentKind::units;
    else if (info.namespace_ == calendar_ns && info.name == "calendar") info.kind = DocumentKind::calendar;
    return info;
}

namespace {

std::expected<Catalog, Error> read_catalog_text(std::string_view xml, std::string_view file, bool stored) {
    pugi::xml_document doc;
    if (auto loaded = load(doc, xml, file, stored); !loaded) return std::unexpected(loaded.error());
    Reader r(xml, file, !stored);
    auto root = doc.document_element();
    if (local_name(root.name()) != "catalog")
        return std::unexpected(r.error_at(root, "not a catalog: the root element is <" + std::string(root.name()) + ">"));
    Catalog catalog;
    catalog.pos = r.pos(root);
    catalog.id = attr(root, "id");
    catalog.version = attr(root, "version");
    GKML_TRY(kind, r.token(root, "kind", catalog_kind_from, CatalogKind::standard));
    catalog.kind = kind;
    catalog.based_on = attr(root, "based-on");
    catalog.based_on_version = attr(root, "based-on-version");
    auto meta = child(root, "meta");
    catalog.meta.title = text_of(child(meta, "title"));
    catalog.meta.issuer = text_of(child(meta, "issuer"));
    catalog.meta.document_number = text_of(child(meta, "document-number"));
    catalog.meta.date = text_of(child(meta, "date"));
    if (auto u = child(meta, "unit")) {
        GKML_TRY(level, r.token(u, "level", level_from, Level::township));
        catalog.meta.unit = UnitRef{attr(u, "code"), attr(u, "name"), level};
    }
    catalog.meta.sources = read_seen(meta, "source");
    catalog.meta.note = text_of(child(meta, "note"));
    for (auto f : children(root, "field")) {
        Field field;
        field.pos = r.pos(f);
        field.code = attr(f, "code");
        field.name = attr(f, "name");
        if (auto na = child(f, "not-applicable")) field.not_applicable = NotApplicable{attr(na, "reason")};
        for (auto i : children(f, "item")) {
            GKML_TRY(item, read_item(r, i));
            field.items.push_back(std::move(item));
        }
        catalog.fields.push_back(std::move(field));
    }
    return catalog;
}

}  // namespace

std::expected<Catalog, Error> parse_catalog(std::string_view xml, std::string_view file) { return read_catalog_text(xml, file, false); }

std::expected<Catalog, Error> parse_stored_catalog(std::string_view xml, std::string_view file) {
    return read_catalog_text(xml, file, true);
}

std::expected<Catalog, Error> read_catalog(const std::filesystem::path& file) {
    GKML_TRY(text, read_file(file));
    return parse_catalog(text, file.string());
}

std::string write_catalog(const Catalog& catalog) {
    pugi::xml_document doc;
    auto root = doc.append_child("catalog");
    set(root, "xmlns", catalog_ns);
    set(root, "id", catalog.id);
    set(root, "version", catalog.version);
    set(root, "kind", to_string(catalog.kind));
    set(root, "based-on", catalog.based_on);
    set(root, "based-on-version", catalog.based_on_version);
    auto meta = root.append_child("meta");
    text_child(meta, "title", catalog.meta.title);
    if (!catalog.meta.issuer.empty()) text_child(meta, "issuer", catalog.meta.issuer);
    if (!catalog.meta.document_number.empty()) text_child(meta, "document-number", catalog.meta.document_number);
    if (!catalog.meta.date.empty()) text_child(meta, "date", catalog.meta.date);
    if (catalog.meta.unit) {
        auto u = meta.append_child("unit");
        set(u, "code", catalog.meta.unit->code);
        set(u, "name", catalog.meta.unit->name);
        set(u, "level", to_string(catalog.meta.unit->level));
    }
    for (const auto& s : catalog.meta.sources) write_seen(meta, "source", s);
    if (!catalog.meta.note.empty()) text_child(meta, "note", catalog.meta.note);
    // Written a piece at a time: the document holds the catalog's head, then one field's head, then
    // one item, each printed where a placeholder stands (a tree of 100 000 items held 280 MB for 80 MB
    // of text). The bytes are those of printing the whole tree at once.
    struct Appender : pugi::xml_writer {
        std::string text;
        void write(const void* data, std::size_t bytes) override { text.append(static_cast<const char*>(data), bytes); }
    } out;
    constexpr const char* here = "gkml:here";
    auto print_around = [&](pugi::xml_node node, unsigned depth, const auto& inside) {
        Appender head;
        node.print(head, "  ", pugi::format_indent, pugi::encoding_utf8, depth);
        const std::string mark = std::string(2 * (depth + 1), ' ') + "<!--" + here + "-->\n";
        auto at = head.text.find(mark);
        out.text.append(head.text, 0, at);
        inside();
        out.text.append(head.text, at + mark.size());
    };
    auto print_fields = [&] {
        for (const auto& field : catalog.fields) {
            pugi::xml_document piece;
            auto f = piece.append_child("field");
            set(f, "code", field.code);
            set(f, "name", field.name);
            if (field.not_applicable)
                f.append_child("not-applicable").append_attribute("reason").set_value(field.not_applicable->reason.c_str());
            if (field.items.empty()) {
                f.print(out, "  ", pugi::format_indent, pugi::encoding_utf8, 1);
                continue;
            }
            f.append_child(pugi::node_comment).set_value(here);
            print_around(f, 1, [&] {
                for (const auto& item : field.items) {
                    pugi::xml_document one;
                    write_item(one, item);
                    one.first_child().print(out, "  ", pugi::format_indent, pugi::encoding_utf8, 2);
                }
            });
        }
    };
    out.text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    if (catalog.fields.empty()) {
        root.print(out, "  ", pugi::format_indent, pugi::encoding_utf8, 0);
    } else {
        root.append_child(pugi::node_comment).set_value(here);
        print_around(root, 0, print_fields);
    }
    return std::move(out.text);
}

std::expected<std::vector<FieldEntry>, Error> parse_fields(std::string_view xml, std::string_view file) {
    pugi::xml_document doc;
    if (auto loaded = load(doc, xml, file); !loaded) return std::unexpected(loaded.error());
    Reader r(xml, file);
    auto root = doc.document_element();
    if (local_name(root.name()) != "fields")
        return std::unexpected(r.error_at(root, "not a field registry: the root element is <" +
                                                    std::string(root.name()) + ">"));
    std::vector<FieldEntry> out;
    for (auto f : children(root, "field")) {
        FieldEntry e;
        e.code = attr(f, "code");
        e.slug = attr(f, "slug");
        e.name = attr(f, "name");
        e.en = attr(f, "en");
        for (auto i : children(f, "issuer")) e.issuers.push_back(i.child_value());
        auto g = child(f, "guideline");
        e.guideline = Guideline{attr(g, "number"), attr(g, "date"), attr(g, "certainty"), attr(g, "note")};
        e.applies_to = text_of(child(f, "applies-to"));
        for (auto a : children(f, "alias")) e.aliases.push_back(a.child_value());
        out.push_back(std::move(e));
    }
    return out;
}

std::expected<std::vector<FieldEntry>, Error> read_fields(const std::filesystem::path& file) {
    GKML_TRY(text, read_file(file));
    return parse_fields(text, file.string());
}

Catalog join_catalogs(std::vector<Catalog> parts) {
    if (parts.empty()) return {};
    Catalog joined = std::move(parts.front());
    for (std::size_t i = 1; i < parts.size(); ++i)
        for (auto& field : parts[i].fields) joined.fields.push_back(std::move(field));
    return joined;
}

std::expected<std::vector<Catalog>, Error> read_catalog_dir(const std::filesystem::path& folder) {
    std::error_code ec;
    if (!std::filesystem::is_directory(folder, ec))
        return std::unexpected(Error{ErrorKind::io, "不是文件夹 / not a folder", folder.string(), 0});
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(folder, ec))
        if (entry.is_regular_file() && entry.path().extension() == ".xml") files.push_back(entry.path());
    if (ec) return std::unexpected(Error{ErrorKind::io, ec.message(), folder.string(), 0});
    std::ranges::sort(files);
    std::map<std::pair<std::string, std::string>, std::vector<Catalog>> sets;
    std::vector<std::pair<std::string, std::string>> order;
    for (const auto& file : files) {
        GKML_TRY(catalog, read_catalog(file));
        auto key = std::pair{catalog.id, catalog.version};
        if (!sets.contains(key)) order.push_back(key);
        sets[key].push_back(std::move(catalog));
    }
    std::vector<Catalog> out;
    for (const auto& key : order) out.push_back(join_catalogs(std::move(sets[key])));
    return out;
}

}  // namespace gkml
