#include "gkml/coverage.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cstdio>
#include <functional>
#include <map>
#include <mutex>
#include <numeric>
#include <ranges>
#include <set>
#include <sstream>
#include <thread>
#include <unordered_map>

#include "gkml/match.hpp"
#include "kept.hpp"
#include "spool.hpp"
#include "gkml/text.hpp"
#include "gkml/timelimit.hpp"

namespace gkml {

namespace {

bool has_reason(const std::optional<NotApplicable>& na) { return na && !na->reason.empty(); }

ItemRef ref_of(const Item& item, const Field& field) { return {item.id, field.code, item.category, item.name}; }

// Every item of a catalog by its id: a unit's records look their items up thousands of times.
class ItemIndex {
public:
    explicit ItemIndex(const Catalog& catalog) {
        for (const auto& field : catalog.fields)
            for (const auto& item : field.items) by_id_.emplace(item.id, std::pair{&field, &item});
    }
    std::pair<const Field*, const Item*> operator()(std::string_view id) const {
        auto it = by_id_.find(id);
        return it == by_id_.end() ? std::pair<const Field*, const Item*>{nullptr, nullptr} : it->second;
    }

private:
    std::unordered_map<std::string_view, std::pair<const Field*, const Item*>> by_id_;
};

// The ratios below also name what is missing, into `lacking`.
Ratio elements_listed(const Item& standard, const Item& unit, std::vector<std::string>& lacking) {
    auto required = standard.elements | std::views::filter([](const Element& e) { return e.mark == ElementMark::required; });
    bool none_marked = std::ranges::empty(required);
    std::vector<std::string> listed;
    for (const auto& u : unit.elements) listed.push_back(normalized_name(u.text));
    Ratio out;
    for (const auto& e : standard.elements) {
        if (!none_marked && e.mark != ElementMark::required) continue;
        ++out.den;
        if (std::ranges::find(listed, normalized_name(e.text)) != listed.end()) ++out.num;
        else lacking.push_back(e.text);
    }
    return out;
}

Ratio channels_present(const Item& standard, const Item& unit, std::vector<std::string>& lacking) {
    Ratio out;
    for (const auto& c : standard.channels) {
        if (!c.required) continue;
        ++out.den;
        if (std::ranges::any_of(unit.channels, [&](const Channel& u) {
                return u.code == c.code && (c.code != ChannelCode::other || normalized_name(u.text) == normalized_name(c.text));
            }))
            ++out.num;
        else lacking.push_back(c.code == ChannelCode::other ? c.text : std::string(label_zh(c.code)));
    }
    return out;
}

using Records = std::vector<const Record*>;

struct UpdateWindow {
    UpdateRule rule;
    Date since;  // the newest disclosure should be on or after this day
};

Date days_before(Date date, int days) { return Date{std::chrono::sys_days(date) - std::chrono::days{days}}; }

// The same day `months` earlier; a month's last day gives the last day of that month (31 Dec → 30 Jun,
// 30 Jun → 31 Dec), a day the shorter month lacks its last day (31 Aug → 28 Feb).
Date months_before(Date date, int months) {
    std::chrono::year_month ym = date.year() / date.month();
    bool month_end = date.day() == (ym / std::chrono::last).day();
    ym -= std::chrono::months{months};
    auto last = (ym / std::chrono::last).day();
    return ym / (month_end ? last : std::min(date.day(), last));
}

// nullopt: nothing to judge the item's updates by (no column kind, a 公开时限 unparsed or absent).
// The column kind comes first: the inspection judges a column by its kind, whatever its own 时限.
std::optional<UpdateWindow> update_window(const TimeLimit* limit, std::optional<ColumnKind> kind, Date judged,
                                          const Calendar& calendar, int stale_days) {
    if (kind == ColumnKind::news) return UpdateWindow{UpdateRule::news, days_before(judged, 14)};
    if (kind == ColumnKind::notice) return UpdateWindow{UpdateRule::notice, months_before(judged, 6)};
    if (kind == ColumnKind::policy) return UpdateWindow{UpdateRule::policy, months_before(judged, 6)};
    if (limit)
        for (const auto& clause : limit->clauses) {
            const auto* rule = std::get_if<Periodic>(&clause.rule);
            if (!rule) continue;
            // The due dates of its cycles (每年…2次: two half years); two years back holds the one
            // before the last, whatever the period.
            auto dues = periodic_dues(*rule, days_before(judged, 2 * 366), judged, calendar);
            if (!dues) break;
            std::erase_if(*dues, [&](Date d) { return d > judged; });
            if (dues->size() < 2) break;
            return UpdateWindow{UpdateRule::periodic, Date{std::chrono::sys_days((*dues)[dues->size() - 2]) + std::chrono::days{1}}};
        }
    if (limit && limit->parsed()) return UpdateWindow{UpdateRule::other, days_before(judged, stale_days)};
    return std::nullopt;
}

std::optional<Date> due_of(const TimeLimit& limit, Date formed, const Calendar& calendar) {
    for (const auto& clause : limit.clauses)
        if (auto due = due_for(clause, formed, calendar)) return due->date;
    return std::nullopt;
}


std::string fraction(const Ratio& r) { return std::to_string(r.num) + "/" + std::to_string(r.den); }

nlohmann::ordered_json ratio_json(const Ratio& r) {
    auto v = r.value();
    return {{"ratio", v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr)}, {"num", r.num}, {"den", r.den}};
}

void put_figures(nlohmann::ordered_json& out, const Figures& f) {
    for (const auto& figure : figure_info) out[std::string(figure.key)] = ratio_json(f.*figure.ratio);
}

nlohmann::ordered_json ids(const std::vector<ItemRef>& items) {
    auto out = nlohmann::ordered_json::array();
    for (const auto& i : items) out.push_back(i.id);
    return out;
}

std::string csv_cell(std::string_view s) {
    if (s.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(s);
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

// Padded to a display width: a Chinese character takes two columns.
std::string padded(std::string_view text, int width) {
    return std::string(text) + std::string(static_cast<std::size_t>(std::max(0, width - display_width(text))), ' ');
}

void text_figures(std::ostream& out, const Figures& f) {
    for (const auto& figure : figure_info) {
        const auto& r = f.*figure.ratio;
        auto shown = fraction(r);
        out << "  " << padded(figure.name_zh, 14) << std::string(static_cast<std::size_t>(std::max<int>(1, 11 - int(shown.size()))), ' ')
            << shown << "  " << percent(r) << '\n';
    }
}

void text_item(std::ostream& out, std::string_view label, const ItemRef& i, std::string_view detail = {}) {
    out << "  " << padded(label, 14) << i.id << ' ' << i.category << " / " << i.name << detail << '\n';
}

void text_items(std::ostream& out, std::string_view label, const std::vector<ItemRef>& items) {
    for (const auto& i : items) text_item(out, label, i);
}

std::string_view rule_key(UpdateRule rule) {
    constexpr std::array<std::string_view, 5> keys{"periodic", "news", "notice", "policy", "other"};
    return keys[static_cast<std::size_t>(rule)];
}

std::size_t short_cycle_count(const std::vector<NotUpdated>& items) {
    return static_cast<std::size_t>(std::ranges::count_if(items, [](const NotUpdated& n) {
        return n.rule == UpdateRule::news || n.rule == UpdateRule::notice || n.rule == UpdateRule::policy;
    }));
}

nlohmann::ordered_json unit_json(const UnitCoverage& u) {
    nlohmann::ordered_json unit{{"code", u.code}, {"name", u.name}, {"level", to_string(u.level)},
                                {"standard", {{"id", u.standard}, {"version", u.standard_version}}}};
    put_figures(unit, u.figures);
    unit["veto"] = {{"any", u.veto.any()}, {"blank", u.veto.blank}, {"short_cycle", u.veto.short_cycle},
                    {"not_updated", u.veto.not_updated}};
    unit["fields"] = nlohmann::ordered_json::array();
    for (const auto& f : u.fields) {
        nlohmann::ordered_json field{{"code", f.code}};
        put_figures(field, f.figures);
        unit["fields"].push_back(std::move(field));
    }
    unit["missing"] = ids(u.missing);
    unit["to_verify"] = ids(u.to_verify);
    unit["incomplete"] = ids(u.incomplete);
    unit["lacking"] = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < u.incomplete.size() && i < u.lacking.size(); ++i)
        unit["lacking"].push_back({{"item", u.incomplete[i].id}, {"elements", u.lacking[i].elements}, {"channels", u.lacking[i].channels}});
    unit["blank_items"] = ids(u.blank);
    unit["not_updated_items"] = nlohmann::ordered_json::array();
    for (const auto& n : u.not_updated)
        unit["not_updated_items"].push_back({{"item", n.item.id}, {"rule", rule_key(n.rule)}, {"newest", format_date(n.newest)},
                                             {"since", format_date(n.since)}});
    unit["local"] = ids(u.local);
    unit["unmatched"] = ids(u.unmatched);
    unit["late"] = nlohmann::ordered_json::array();
    for (const auto& l : u.late)
        unit["late"].push_back({{"item", l.item}, {"name", l.name}, {"formed", format_date(l.formed)},
                                {"published", format_date(l.published)}, {"due", format_date(l.due)}});
    return unit;
}

}  // namespace

std::optional<double> Ratio::value() const {
    if (den == 0) return std::nullopt;
    return static_cast<double>(num) / static_cast<double>(den);
}

Ratio& Ratio::operator+=(const Ratio& o) {
    num += o.num;
    den += o.den;
    return *this;
}

Figures& Figures::operator+=(const Figures& o) {
    catalog += o.catalog;
    elements += o.elements;
    channels += o.channels;
    blank += o.blank;
    not_updated += o.not_updated;
    timeliness += o.timeliness;
    return *this;
}

std::string_view label_zh(UpdateRule rule) {
    switch (rule) {
        case UpdateRule::periodic: return "定期公开，上一期限后未见新的公开";
        case UpdateRule::news: return "动态要闻类，2周";
        case UpdateRule::notice: return "通知公告类，6个月";
        case UpdateRule::policy: return "政策文件类，6个月";
        case UpdateRule::other: return "长期未更新";
    }
    return "";
}

std::optional<CoveragePeriod> parse_period(std::string_view text) {
    int year = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), year);
    std::string_view rest(p, static_cast<std::size_t>(text.data() + text.size() - p));
    if (ec != std::errc{} || p - text.data() != 4) return std::nullopt;
    std::chrono::year y{year};
    if (rest.empty()) return CoveragePeriod{y / 1 / 1, y / 12 / 31, std::string(text)};
    if (rest.size() != 3 || !rest.starts_with("-Q") || rest[2] < '1' || rest[2] > '4') return std::nullopt;
    unsigned q = static_cast<unsigned>(rest[2] - '0');
    std::chrono::month first{3 * q - 2}, last{3 * q};
    return CoveragePeriod{y / first / 1, Date{std::chrono::year_month_day_last{y, std::chrono::month_day_last{last}}},
                          std::string(text)};
}

UnitCoverage coverage_of(const Unit& unit, const Catalog& catalog, const Catalog& standard,
                         const std::vector<Record>& records, const Calendar& calendar, const CoverageOptions& options) {
    const Level level = *unit.level;
    const auto& period = options.period;
    auto in_scope = [&](const std::string& field) {
        return (options.field.empty() || field == options.field) &&
               (unit.fields.empty() || std::ranges::find(unit.fields, field) != unit.fields.end());
    };
    const Date judged = options.judged_on ? std::min(*options.judged_on, period.to) : period.to;
    UnitCoverage out;
    out.code = unit.code;
    out.name = unit.name;
    out.level = level;
    out.judged_on = judged;
    std::map<std::string, Figures> by_field;
    std::unordered_map<std::string_view, Records> by_item;
    for (const auto& r : records) by_item[r.item].push_back(&r);

    auto matching = match_items(standard, catalog);
    std::map<ItemPos, ItemPos> held;
    for (const auto& pair : matching.pairs) held.emplace(pair.old_item, pair.new_item);
    for (std::size_t f = 0; f < standard.fields.size(); ++f) {
        const auto& field = standard.fields[f];
        const auto* unit_field = catalog.find_field(field.code);
        if (!in_scope(field.code) || (unit_field && has_reason(unit_field->not_applicable))) continue;
        for (std::size_t i = 0; i < field.items.size(); ++i) {
            const auto& s = field.items[i];
            if (s.status != ItemStatus::active || !s.at_level(level)) continue;
            auto hit = held.find({f, i});
            const Item* u = hit == held.end() ? nullptr : &item_at(catalog, hit->second);
            if (u && has_reason(u->not_applicable)) continue;
            if (s.inferred() && !options.include_inferred) {
                if (!u || u->not_applicable) out.to_verify.push_back(ref_of(s, field));
                continue;
            }
            auto& figures = by_field[field.code];
            ++figures.catalog.den;
            if (!u || u->not_applicable) {
                out.missing.push_back(ref_of(s, field));
                continue;
            }
            ++figures.catalog.num;
            Lacking lacks;
            auto listed = elements_listed(s, *u, lacks.elements);
            auto present = channels_present(s, *u, lacks.channels);
            figures.elements += listed;
            figures.channels += present;
            if (listed.num < listed.den || present.num < present.den) {
                out.incomplete.push_back(ref_of(s, field));
                out.lacking.push_back(std::move(lacks));
            }
            static const Records none;
            const auto found = by_item.find(s.id);
            const auto& item_records = found == by_item.end() ? none : found->second;
            const TimeLimit* limit = u->time_limit ? &*u->time_limit : s.time_limit ? &*s.time_limit : nullptr;
            const auto& mode = u->mode ? u->mode : s.mode;
            if (!mode || !mode->proactive) continue;
            std::optional<Date> newest;
            for (const auto* r : item_records)
                if (r->published <= judged && (!newest || r->published > *newest)) newest = r->published;
            ++figures.blank.den;
            if (!newest) {
                ++figures.blank.num;
                out.blank.push_back(ref_of(s, field));
                continue;
            }
            auto window = update_window(limit, u->column_kind ? u->column_kind : s.column_kind, judged, calendar, options.stale_days);
            if (!window) continue;
            ++figures.not_updated.den;
            if (*newest < window->since) {
                ++figures.not_updated.num;
                out.not_updated.push_back(NotUpdated{ref_of(s, field), window->rule, *newest, window->since});
            }
        }
    }
    for (auto pos : matching.only_new) {
        const auto& field = field_of(catalog, pos);
        const auto& item = item_at(catalog, pos);
        if (in_scope(field.code)) (item.is_local() ? out.local : out.unmatched).push_back(ref_of(item, field));
    }

    const ItemIndex in_catalog(catalog), in_standard(standard);
    for (const auto& r : records) {
        if (r.formed < period.from || r.formed > period.to) continue;
        auto [unit_field, u] = in_catalog(r.item);
        auto [standard_field, s] = in_standard(r.item);
        const Field* field = unit_field ? unit_field : standard_field;
        // An inferred standard item's 时限 judges only the units that hold it (and so took it on).
        const bool standard_counts = s && (!s->inferred() || options.include_inferred);
        const Item* rule_of = u && u->time_limit ? u : standard_counts && s->time_limit ? s : nullptr;
        if (!rule_of || !in_scope(field->code)) continue;
        auto due = due_of(*rule_of->time_limit, r.formed, calendar);
        if (!due) continue;
        auto& timeliness = by_field[field->code].timeliness;
        ++timeliness.den;
        if (r.published <= *due)
            ++timeliness.num;
        else
            out.late.push_back(LateRecord{r.item, u ? u->name : s->name, r.formed, r.published, *due});
    }
    std::ranges::sort(out.late, [](const LateRecord& a, const LateRecord& b) {
        return std::tie(a.item, a.formed, a.published) < std::tie(b.item, b.formed, b.published);
    });
    for (const auto& [code, figures] : by_field) {
        out.fields.push_back(FieldFigures{code, figures});
        out.figures += figures;
    }
    out.veto = VetoRisk{out.figures.blank.num >= veto_blank, short_cycle_count(out.not_updated) >= veto_short_cycle,
                        out.figures.not_updated.num >= veto_not_updated};
    return out;
}

// Kept coverage is written this many units at a time, not held until the end of a province.
constexpr std::size_t keep_at_once = 64;

// Units are computed this many at a time and handed over in order before the next ones start.
constexpr std::size_t units_at_once = 256;

std::expected<void, Error> for_each_coverage(const Store& store, const std::vector<Unit>& units,
                                             const std::vector<Catalog>& standards, const Calendar& calendar,
                                             const CoverageOptions& options, std::int64_t as_of,
                                             const std::function<void(UnitCoverage&&)>& each) {
    using Outcome = std::expected<std::optional<UnitCoverage>, Error>;
    auto judging = options;
    if (!judging.judged_on) {
        auto until = store.ledgers_until(as_of);
        if (!until) return std::unexpected(until.error());
        if (*until && **until < options.period.to) judging.judged_on = **until;
    }
    // A unit's coverage computed before for the same inputs is read back instead (kept.hpp); what is
    // computed here is kept for the next run.
    const auto run_inputs = kept::run_inputs(standards, calendar, judging);
    std::vector<KeptCoverage> computed;
    std::mutex computed_lock;
    std::atomic<bool> keeping{true};
    auto one = [&](const Store& reader, const Unit& unit) -> Outcome {
        if (!unit.level) return std::nullopt;
        auto through = reader.newest_snapshot(unit.code, as_of);
        if (!through) return std::unexpected(through.error());
        if (*through == 0) return std::nullopt;
        auto inputs = kept::unit_inputs(run_inputs, unit);
        auto kept = reader.kept_coverage(unit.code, *through, inputs);
        if (!kept) return std::unexpected(kept.error());
        if (*kept)
            if (auto coverage = kept::unpack(**kept)) return std::move(*coverage);
        // Read as of `through`, not `as_of`: a snapshot put since `through` was read is not in what is
        // kept under it (each read is a statement of its own, and an upload may land between them).
        auto catalog = reader.catalog_of(unit.code, *through);
        if (!catalog) return std::unexpected(catalog.error());
        if (!*catalog) return std::nullopt;
        const auto& c = **catalog;
        auto standard = std::ranges::find_if(standards, [&](const Catalog& s) {
            return s.id == c.based_on && (c.based_on_version.empty() || s.version == c.based_on_version);
        });
        if (standard == standards.end())
            return std::unexpected(Error{ErrorKind::invalid_input,
                                         "unit " + unit.code + " is based on " + c.based_on + " " + c.based_on_version +
                                             ", which is not among the standard catalogs given",
                                         "", 0});
        auto records = reader.records_of(unit.code, *through, false);
        if (!records) return std::unexpected(records.error());
        auto measured = coverage_of(unit, c, *standard, *records, calendar, judging);
        measured.standard = standard->id;
        measured.standard_version = standard->version;
        if (inputs.empty() || !keeping) return measured;
        std::vector<KeptCoverage> to_keep;
        {
            std::lock_guard hold(computed_lock);
            computed.push_back(KeptCoverage{unit.code, *through, std::move(inputs), kept::pack(measured)});
            if (computed.size() >= keep_at_once) std::swap(to_keep, computed);
        }
        // Written outside the lock; where it cannot be kept (a writer holds the file), no more is tried
        // this run and the next run computes it again.
        if (!to_keep.empty() && !store.keep_coverage(to_keep)) keeping = false;
        return measured;
    };
    // Units are independent: each thread reads through a connection of its own.
    const unsigned threads = static_cast<unsigned>(
        std::min<std::size_t>(std::max(1u, std::thread::hardware_concurrency()), units.size() / 8 + 1));
    std::vector<std::expected<Store, Error>> readers;
    for (unsigned t = 1; t < threads; ++t)
        if (auto reader = store.reader()) readers.push_back(std::move(reader));
    for (std::size_t first = 0; first < units.size(); first += units_at_once) {
        const std::size_t end = std::min(units.size(), first + units_at_once);
        std::vector<std::optional<Outcome>> outcomes(end - first);
        std::atomic<std::size_t> next{first};
        auto work = [&](const Store& reader) {
            for (std::size_t i; (i = next.fetch_add(1)) < end;) {
                outcomes[i - first] = one(reader, units[i]);
                if (!*outcomes[i - first]) next = end;  // the first error ends the run
            }
        };
        {
            std::vector<std::jthread> pool;
            for (const auto& reader : readers) pool.emplace_back(work, std::cref(*reader));
            work(store);
        }
        for (auto& outcome : outcomes) {
            if (!outcome) continue;
            if (!*outcome) return std::unexpected(outcome->error());
            if (**outcome) each(std::move(***outcome));
        }
    }
    if (keeping) store.keep_coverage(computed);
    return {};
}

std::expected<std::vector<UnitCoverage>, Error> coverage_in_store(const Store& store, const std::vector<Unit>& units,
                                                                  const std::vector<Catalog>& standards,
                                                                  const Calendar& calendar, const CoverageOptions& options,
                                                                  std::int64_t as_of) {
    std::vector<UnitCoverage> out;
    auto done = for_each_coverage(store, units, standards, calendar, options, as_of,
                                  [&](UnitCoverage&& unit) { out.push_back(std::move(unit)); });
    if (!done) return std::unexpected(done.error());
    return out;
}

std::expected<CoveragePeriod, Error> default_period(const Store& store) {
    auto newest = store.latest_formed();
    if (!newest) return std::unexpected(newest.error());
    auto year = *newest ? int((*newest)->year())
                        : int(Date{std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())}.year());
    return *parse_period(std::to_string(year));
}

std::vector<StandardUse> standards_used(const std::vector<UnitCoverage>& units, const std::vector<Catalog>& standards,
                                        const CoverageOptions& options) {
    std::vector<StandardUse> out;
    for (const auto& s : standards) {
        if (std::ranges::none_of(units, [&](const UnitCoverage& u) { return u.standard == s.id && u.standard_version == s.version; }))
            continue;
        StandardUse use{s.id, s.version, 0, 0, 0, options.include_inferred};
        for (const auto& field : s.fields)
            for (const auto& item : field.items) {
                if (item.status != ItemStatus::active) continue;
                ++use.items;
                ++(item.inferred() ? use.inferred : use.attested);
            }
        out.push_back(std::move(use));
    }
    return out;
}

std::string standard_text(const StandardUse& use) {
    auto out = fmt::format("依据标准 {} {}：事项 {} 个，有出处 {} 个", use.id, use.version, use.items, use.attested);
    if (use.inferred == 0) return out;
    if (use.inferred_counted) return out + fmt::format("，推定事项 {} 个也计入了各项指标（--include-inferred）", use.inferred);
    return out + fmt::format("；推定事项 {} 个不计入，单位缺少的列为待核实", use.inferred);
}

CoverageReport roll_up(CoveragePeriod period, std::vector<UnitCoverage> units, const std::vector<Unit>& registry) {
    CoverageReport report{std::move(period), {}, std::move(units), {}, 0, {}, {}};
    report.judged_on = report.period.to;
    if (!report.units.empty())
        report.judged_on = std::ranges::max(report.units, {}, &UnitCoverage::judged_on).judged_on;
    std::ranges::sort(report.units, {}, &UnitCoverage::code);
    std::map<std::string, AreaCoverage> areas;
    for (const auto& u : report.units) {
        report.total += u.figures;
        report.at_risk += u.veto.any();
        for (const Unit* above : lineage(registry, u.code)) {
            if (above->level != Level::county && above->level != Level::city) continue;
            auto& area = areas[above->code];
            area.code = above->code;
            area.name = above->name;
            area.level = above->level;
            ++area.units;
            area.at_risk += u.veto.any();
            area.figures += u.figures;
        }
    }
    for (auto& [code, area] : areas) report.areas.push_back(std::move(area));
    return report;
}

namespace {

// What one nlohmann dump(2) of the whole document gives, written in pieces: a value dumped alone is
// indented as nested by indenting its lines.
void nested(std::ostream& out, const nlohmann::ordered_json& value, std::size_t depth) {
    std::string text;
    for (char c : value.dump(2)) {
        text += c;
        if (c == '\n') text.append(2 * depth, ' ');
    }
    out << text;
}

// The JSON document: its head (which needs every unit's day judged and standard), the units, the
// roll-up.
void json_head(std::ostream& out, const CoverageReport& report) {
    nlohmann::ordered_json period{{"label", report.period.label}, {"from", format_date(report.period.from)},
                                  {"to", format_date(report.period.to)}, {"judged_on", format_date(report.judged_on)}};
    auto standards = nlohmann::ordered_json::array();
    for (const auto& s : report.standards)
        standards.push_back({{"id", s.id}, {"version", s.version}, {"items", s.items}, {"attested", s.attested},
                             {"inferred", s.inferred}, {"inferred_counted", s.inferred_counted}});
    out << "{\n  \"period\": ";
    nested(out, period, 1);
    out << ",\n  \"standards\": ";
    nested(out, standards, 1);
    out << ",\n  \"units\": ";
}

void json_unit(std::ostream& out, const UnitCoverage& unit, bool first) {
    out << (first ? "[\n    " : ",\n    ");
    nested(out, unit_json(unit), 2);
}

void json_tail(std::ostream& out, const CoverageReport& report) {
    out << (report.units.empty() ? "[]" : "\n  ]");
    nlohmann::ordered_json rollup{{"units", report.units.size()}, {"at_risk", report.at_risk}};
    put_figures(rollup, report.total);
    rollup["areas"] = nlohmann::ordered_json::array();
    for (const auto& a : report.areas) {
        nlohmann::ordered_json area{{"code", a.code}, {"name", a.name}, {"level", level_name(a.level)}, {"units", a.units},
                                    {"at_risk", a.at_risk}};
        put_figures(area, a.figures);
        rollup["areas"].push_back(std::move(area));
    }
    out << ",\n  \"rollup\": ";
    nested(out, rollup, 1);
    out << "\n}\n";
}

void csv_head(std::ostream& out) {
    out << "code,name,level,field";
    for (const auto& figure : figure_info) out << ',' << figure.key << "_num," << figure.key << "_den";
    out << ",veto\r\n";
}

void csv_unit(std::ostream& out, const UnitCoverage& u) {
    auto row = [&](std::string_view field, const Figures& f, std::string_view veto) {
        out << csv_cell(u.code) << ',' << csv_cell(u.name) << ',' << to_string(u.level) << ',' << field;
        for (const auto& figure : figure_info) out << ',' << (f.*figure.ratio).num << ',' << (f.*figure.ratio).den;
        out << ',' << veto << "\r\n";
    };
    row("", u.figures, u.veto.any() ? "1" : "0");
    for (const auto& f : u.fields) row(f.code, f.figures, "");
}

void text_head(std::ostream& out, const CoverageReport& report) {
    out << "统计期间 " << report.period.label << "（" << format_date(report.period.from) << " 至 "
        << format_date(report.period.to) << "）" << judged_text(report) << "，按目录覆盖率从低到高\n";
    for (const auto& s : report.standards) out << standard_text(s) << '\n';
}

void text_unit(std::ostream& out, const UnitCoverage& u) {
    out << '\n' << u.code << ' ' << u.name << "（" << label_zh(u.level) << "）\n";
    if (u.veto.any()) out << "  单项否决风险：" << veto_reasons(u) << '\n';
    text_figures(out, u.figures);
    text_items(out, "缺失事项", u.missing);
    text_items(out, "待核实（推定）", u.to_verify);
    text_items(out, "要素渠道不全", u.incomplete);
    text_items(out, "空白栏目", u.blank);
    for (const auto& n : u.not_updated)
        text_item(out, "应更新未更新", n.item,
                  "：最近公开 " + format_date(n.newest) + "，应有 " + format_date(n.since) + " 以后的公开（" +
                      std::string(label_zh(n.rule)) + "）");
    for (const auto& l : u.late)
        out << "  " << padded("逾期公开", 14) << l.item << ' ' << l.name << "：形成 " << format_date(l.formed) << "，应于 "
            << format_date(l.due) << " 前公开，实际 " << format_date(l.published) << '\n';
    text_items(out, "自设事项", u.local);
    text_items(out, "未对应标准", u.unmatched);
}

// The text's order of units: worst catalog coverage first, a unit judged on nothing last.
std::vector<std::size_t> text_order(const CoverageReport& report) {
    std::vector<std::size_t> order(report.units.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::ranges::stable_sort(order, {}, [&](std::size_t i) { return report.units[i].figures.catalog.value().value_or(2); });
    return order;
}

void text_tail(std::ostream& out, const CoverageReport& report) {
    // A roll-up that sums one unit only repeats it.
    for (const auto& a : report.areas) {
        if (a.units < 2) continue;
        out << '\n' << a.code << ' ' << a.name << "（" << (a.level ? label_zh(*a.level) : "") << "，" << a.units << " 个单位，"
            << a.at_risk << " 个有单项否决风险）\n";
        text_figures(out, a.figures);
    }
    if (report.units.size() > 1) {
        out << "\n合计 " << report.units.size() << " 个单位，" << report.at_risk << " 个有单项否决风险\n";
        text_figures(out, report.total);
    }
}

}  // namespace

void write_coverage_json(std::ostream& out, const CoverageReport& report) {
    json_head(out, report);
    for (std::size_t i = 0; i < report.units.size(); ++i) json_unit(out, report.units[i], i == 0);
    json_tail(out, report);
}

std::string coverage_to_json(const CoverageReport& report) {
    std::ostringstream out;
    write_coverage_json(out, report);
    return std::move(out).str();
}

std::string coverage_to_csv(const CoverageReport& report) {
    std::ostringstream out;
    csv_head(out);
    for (const auto& u : report.units) csv_unit(out, u);
    return out.str();
}

std::string coverage_to_text(const CoverageReport& report) {
    std::ostringstream out;
    text_head(out, report);
    for (auto i : text_order(report)) text_unit(out, report.units[i]);
    text_tail(out, report);
    return out.str();
}

struct CoverageWriter::State {
    std::ostream& out;
    CoverageFormat format;
    std::expected<Spool, Error> spool = Spool::make();
    std::vector<Spool::Piece> pieces;  // per unit, in the order handed over (code order)
    std::ostringstream text;           // one unit's, reused
};

CoverageWriter::CoverageWriter(std::ostream& out, CoverageFormat format) : state_(std::make_unique<State>(out, format)) {}
CoverageWriter::CoverageWriter(CoverageWriter&&) noexcept = default;
CoverageWriter::~CoverageWriter() = default;

void CoverageWriter::unit(const UnitCoverage& unit) {
    auto& s = *state_;
    if (!s.spool) return;  // finish() says why
    s.text.str({});
    switch (s.format) {
        case CoverageFormat::json: json_unit(s.text, unit, s.pieces.empty()); break;
        case CoverageFormat::csv: csv_unit(s.text, unit); break;
        case CoverageFormat::text: text_unit(s.text, unit); break;
    }
    auto piece = s.spool->append(s.text.view());
    if (!piece) s.spool = std::unexpected(piece.error());
    else s.pieces.push_back(*piece);
}

std::expected<void, Error> CoverageWriter::finish(const CoverageReport& report) {
    auto& s = *state_;
    if (!s.spool) return std::unexpected(s.spool.error());
    if (s.pieces.size() != report.units.size())
        return std::unexpected(Error{ErrorKind::usage, fmt::format("CoverageWriter: {} units written, the report has {}", s.pieces.size(),
                                                                   report.units.size()), "", 0});
    switch (s.format) {
        case CoverageFormat::json:
            json_head(s.out, report);
            if (auto copied = s.spool->copy_all(s.out); !copied) return copied;
            json_tail(s.out, report);
            break;
        case CoverageFormat::csv:
            csv_head(s.out);
            if (auto copied = s.spool->copy_all(s.out); !copied) return copied;
            break;
        case CoverageFormat::text:
            text_head(s.out, report);
            for (auto i : text_order(report))
                if (auto copied = s.spool->copy(s.pieces[i], s.out); !copied) return copied;
            text_tail(s.out, report);
            break;
    }
    return {};
}

std::string judged_text(const CoverageReport& report) {
    if (report.judged_on >= report.period.to) return "";
    return "，台账截至 " + format_date(report.judged_on) + "，空白栏目和应更新未更新按这一天判断";
}

std::string veto_reasons(const UnitCoverage& u) {
    std::string out;
    auto add = [&](bool flagged, std::string_view what, std::size_t count, int threshold) {
        if (flagged) out += fmt::format("{}{} {} 个（≥{}）", out.empty() ? "" : "；", what, count, threshold);
    };
    add(u.veto.blank, "空白栏目", static_cast<std::size_t>(u.figures.blank.num), veto_blank);
    add(u.veto.short_cycle, "2周/6个月未更新", short_cycle_count(u.not_updated), veto_short_cycle);
    add(u.veto.not_updated, "应更新未更新", static_cast<std::size_t>(u.figures.not_updated.num), veto_not_updated);
    return out;
}

std::string percent(const Ratio& r) {
    auto v = r.value();
    if (!v) return "—";
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%.1f%%", *v * 100);
    return buffer;
}

}  // namespace gkml
