#include "gkml/coverage.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cstdio>
#include <map>
#include <ranges>
#include <set>
#include <sstream>
#include <thread>
#include <unordered_map>

#include "gkml/match.hpp"
#include "gkml/timelimit.hpp"

namespace gkml {

namespace {

bool has_reason(const std::optional<NotApplicable>& na) { return na && !na->reason.empty(); }

ItemRef ref_of(const Item& item, const Field& field) { return {item.id, field.code, item.category, item.name}; }

template <typename Rule>
bool has_clause(const TimeLimit& limit) {
    return std::ranges::any_of(limit.clauses, [](const Clause& c) { return std::holds_alternative<Rule>(c.rule); });
}

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

Ratio elements_listed(const Item& standard, const Item& unit) {
    auto required = standard.elements | std::views::filter([](const Element& e) { return e.mark == ElementMark::required; });
    bool none_marked = std::ranges::empty(required);
    Ratio out;
    for (const auto& e : standard.elements) {
        if (!none_marked && e.mark != ElementMark::required) continue;
        ++out.den;
        auto wanted = normalized_name(e.text);
        if (std::ranges::any_of(unit.elements, [&](const Element& u) { return normalized_name(u.text) == wanted; })) ++out.num;
    }
    return out;
}

Ratio channels_present(const Item& standard, const Item& unit) {
    Ratio out;
    for (const auto& c : standard.channels) {
        if (!c.required) continue;
        ++out.den;
        if (std::ranges::any_of(unit.channels, [&](const Channel& u) {
                return u.code == c.code && (c.code != ChannelCode::other || normalized_name(u.text) == normalized_name(c.text));
            }))
            ++out.num;
    }
    return out;
}

using Records = std::vector<const Record*>;

// nullopt: the rule expects nothing in the period.
std::optional<bool> expectation_met(const TimeLimit* limit, const Records& records, const CoveragePeriod& period,
                                    const Calendar& calendar) {
    auto published_in_period = std::ranges::count_if(records, [&](const Record* r) { return r->published >= period.from && r->published <= period.to; });
    if (limit)
        for (const auto& clause : limit->clauses) {
            const auto* rule = std::get_if<Periodic>(&clause.rule);
            if (!rule) continue;
            auto one_per_period = *rule;
            one_per_period.count = 1;
            auto dues = periodic_dues(one_per_period, period.from, period.to, calendar);
            if (!dues || dues->empty()) return std::nullopt;
            return published_in_period >= static_cast<long>(dues->size()) * rule->count;
        }
    bool event = limit && !has_clause<Standing>(*limit) &&
                 (has_clause<Relative>(*limit) || has_clause<Immediate>(*limit) || has_clause<LeadTime>(*limit) ||
                  has_clause<Duration>(*limit));
    if (event) {
        std::map<Date, bool> events;  // formed date → published by the period's end
        for (const auto* r : records)
            if (r->formed >= period.from && r->formed <= period.to) events[r->formed] |= r->published <= period.to;
        if (events.empty()) return std::nullopt;
        return std::ranges::all_of(events, [](const auto& e) { return e.second; });
    }
    return std::ranges::any_of(records, [&](const Record* r) { return r->published <= period.to; });
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
    for (const auto& [name, ratio] : scored(f)) out[std::string(name)] = ratio_json(ratio);
    out["stale"] = ratio_json(f.stale);
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

void text_figures(std::ostringstream& out, const Figures& f) {
    auto line = [&](std::string_view name, const Ratio& r) {
        char buffer[96];
        std::snprintf(buffer, sizeof buffer, "  %-12s%9s  ", std::string(name).c_str(), fraction(r).c_str());
        out << buffer << percent(r) << '\n';
    };
    for (const auto& [name, ratio] : scored(f)) line(name, ratio);
    line("stale", f.stale);
}

void text_items(std::ostringstream& out, std::string_view label, const std::vector<ItemRef>& items) {
    for (const auto& i : items)
        out << "  " << label << std::string(12 - label.size(), ' ') << i.id << ' ' << i.category << " / " << i.name << '\n';
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
    disclosure += o.disclosure;
    timeliness += o.timeliness;
    stale += o.stale;
    return *this;
}

std::array<std::pair<std::string_view, Ratio>, 5> scored(const Figures& f) {
    return {{{"catalog", f.catalog},
             {"elements", f.elements},
             {"channels", f.channels},
             {"disclosure", f.disclosure},
             {"timeliness", f.timeliness}}};
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
    UnitCoverage out;
    out.code = unit.code;
    out.name = unit.name;
    out.level = level;
    std::map<std::string, Figures> by_field;
    std::map<std::string, Records> by_item;
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
            auto& figures = by_field[field.code];
            ++figures.catalog.den;
            if (!u || u->not_applicable) {
                out.missing.push_back(ref_of(s, field));
                continue;
            }
            ++figures.catalog.num;
            auto listed = elements_listed(s, *u);
            auto present = channels_present(s, *u);
            figures.elements += listed;
            figures.channels += present;
            if (listed.num < listed.den || present.num < present.den) out.incomplete.push_back(ref_of(s, field));
            const auto& item_records = by_item[s.id];
            const TimeLimit* limit = u->time_limit ? &*u->time_limit : s.time_limit ? &*s.time_limit : nullptr;
            const auto& mode = u->mode ? u->mode : s.mode;
            if (mode && mode->proactive)
                if (auto met = expectation_met(limit, item_records, period, calendar)) {
                    ++figures.disclosure.den;
                    if (*met)
                        ++figures.disclosure.num;
                    else
                        out.undisclosed.push_back(ref_of(s, field));
                }
            if (limit && has_clause<Standing>(*limit)) {
                std::optional<Date> newest;
                for (const auto* r : item_records)
                    if (r->published <= period.to && (!newest || r->published > *newest)) newest = r->published;
                if (!newest) continue;
                ++figures.stale.den;
                if ((std::chrono::sys_days(period.to) - std::chrono::sys_days(*newest)).count() > options.stale_days) {
                    ++figures.stale.num;
                    out.stale.push_back(ref_of(s, field));
                }
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
        const Item* rule_of = u && u->time_limit ? u : s && s->time_limit ? s : nullptr;
        if (!rule_of || !in_scope(field->code)) continue;
        auto due = due_of(*rule_of->time_limit, r.formed, calendar);
        if (!due) continue;
        auto& timeliness = by_field[field->code].timeliness;
        ++timeliness.den;
        if (r.published <= *due)
            ++timeliness.num;
        else
            out.late.push_back(LateRecord{r.item, r.formed, r.published, *due});
    }
    std::ranges::sort(out.late, [](const LateRecord& a, const LateRecord& b) {
        return std::tie(a.item, a.formed, a.published) < std::tie(b.item, b.formed, b.published);
    });
    for (const auto& [code, figures] : by_field) {
        out.fields.push_back(FieldFigures{code, figures});
        out.figures += figures;
    }
    return out;
}

std::expected<std::vector<UnitCoverage>, Error> coverage_in_store(const Store& store, const std::vector<Unit>& units,
                                                                  const std::vector<Catalog>& standards,
                                                                  const Calendar& calendar, const CoverageOptions& options,
                                                                  std::int64_t as_of) {
    using Outcome = std::expected<std::optional<UnitCoverage>, Error>;
    auto one = [&](const Store& reader, const Unit& unit) -> Outcome {
        if (!unit.level) return std::nullopt;
        auto catalog = reader.catalog_of(unit.code, as_of);
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
        auto records = reader.records_of(unit.code, as_of);
        if (!records) return std::unexpected(records.error());
        return coverage_of(unit, c, *standard, *records, calendar, options);
    };
    // Units are independent: each thread reads through a connection of its own.
    std::vector<std::optional<Outcome>> outcomes(units.size());
    std::atomic<std::size_t> next{0};
    auto work = [&](const Store& reader) {
        for (std::size_t i; (i = next.fetch_add(1)) < units.size();) {
            outcomes[i] = one(reader, units[i]);
            if (!*outcomes[i]) next = units.size();  // the first error ends the run
        }
    };
    const unsigned threads = static_cast<unsigned>(
        std::min<std::size_t>(std::max(1u, std::thread::hardware_concurrency()), units.size() / 8 + 1));
    std::vector<std::expected<Store, Error>> readers;
    for (unsigned t = 1; t < threads; ++t)
        if (auto reader = store.reader()) readers.push_back(std::move(reader));
    {
        std::vector<std::jthread> pool;
        for (const auto& reader : readers) pool.emplace_back(work, std::cref(*reader));
        work(store);
    }
    std::vector<UnitCoverage> out;
    for (auto& outcome : outcomes) {
        if (!outcome) continue;
        if (!*outcome) return std::unexpected(outcome->error());
        if (**outcome) out.push_back(std::move(***outcome));
    }
    return out;
}

std::expected<CoveragePeriod, Error> default_period(const Store& store) {
    auto newest = store.latest_formed();
    if (!newest) return std::unexpected(newest.error());
    auto year = *newest ? int((*newest)->year())
                        : int(Date{std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())}.year());
    return *parse_period(std::to_string(year));
}

CoverageReport roll_up(CoveragePeriod period, std::vector<UnitCoverage> units, const std::vector<Unit>& registry) {
    CoverageReport report{std::move(period), std::move(units), {}, {}};
    std::ranges::sort(report.units, {}, &UnitCoverage::code);
    std::map<std::string, AreaCoverage> areas;
    for (const auto& u : report.units) {
        report.total += u.figures;
        for (const Unit* above : lineage(registry, u.code)) {
            if (above->level != Level::county && above->level != Level::city) continue;
            auto& area = areas[above->code];
            area.code = above->code;
            area.name = above->name;
            area.level = above->level;
            ++area.units;
            area.figures += u.figures;
        }
    }
    for (auto& [code, area] : areas) report.areas.push_back(std::move(area));
    return report;
}

std::string coverage_to_json(const CoverageReport& report) {
    nlohmann::ordered_json out;
    out["period"] = {{"label", report.period.label}, {"from", format_date(report.period.from)}, {"to", format_date(report.period.to)}};
    out["units"] = nlohmann::ordered_json::array();
    for (const auto& u : report.units) {
        nlohmann::ordered_json unit{{"code", u.code}, {"name", u.name}, {"level", to_string(u.level)}};
        put_figures(unit, u.figures);
        unit["fields"] = nlohmann::ordered_json::array();
        for (const auto& f : u.fields) {
            nlohmann::ordered_json field{{"code", f.code}};
            put_figures(field, f.figures);
            unit["fields"].push_back(std::move(field));
        }
        unit["missing"] = ids(u.missing);
        unit["undisclosed"] = ids(u.undisclosed);
        unit["incomplete"] = ids(u.incomplete);
        unit["stale_items"] = ids(u.stale);
        unit["local"] = ids(u.local);
        unit["unmatched"] = ids(u.unmatched);
        unit["late"] = nlohmann::ordered_json::array();
        for (const auto& l : u.late)
            unit["late"].push_back({{"item", l.item}, {"formed", format_date(l.formed)}, {"published", format_date(l.published)},
                                    {"due", format_date(l.due)}});
        out["units"].push_back(std::move(unit));
    }
    nlohmann::ordered_json rollup{{"units", report.units.size()}};
    put_figures(rollup, report.total);
    rollup["areas"] = nlohmann::ordered_json::array();
    for (const auto& a : report.areas) {
        nlohmann::ordered_json area{{"code", a.code}, {"name", a.name}, {"level", level_name(a.level)}, {"units", a.units}};
        put_figures(area, a.figures);
        rollup["areas"].push_back(std::move(area));
    }
    out["rollup"] = std::move(rollup);
    return out.dump(2) + "\n";
}

std::string coverage_to_csv(const CoverageReport& report) {
    std::ostringstream out;
    out << "code,name,level,field";
    for (const auto& [name, ratio] : scored(Figures{})) out << ',' << name << "_num," << name << "_den";
    out << ",stale_num,stale_den\r\n";
    auto row = [&](const UnitCoverage& u, std::string_view field, const Figures& f) {
        out << csv_cell(u.code) << ',' << csv_cell(u.name) << ',' << to_string(u.level) << ',' << field;
        for (const auto& [name, ratio] : scored(f)) out << ',' << ratio.num << ',' << ratio.den;
        out << ',' << f.stale.num << ',' << f.stale.den << "\r\n";
    };
    for (const auto& u : report.units) {
        row(u, "", u.figures);
        for (const auto& f : u.fields) row(u, f.code, f.figures);
    }
    return out.str();
}

std::string coverage_to_text(const CoverageReport& report) {
    std::ostringstream out;
    out << "Coverage " << report.period.label << " (" << format_date(report.period.from) << " to "
        << format_date(report.period.to) << "), worst catalog coverage first\n";
    std::vector<const UnitCoverage*> order;
    for (const auto& u : report.units) order.push_back(&u);
    std::ranges::stable_sort(order, [](const UnitCoverage* a, const UnitCoverage* b) {
        return a->figures.catalog.value().value_or(2) < b->figures.catalog.value().value_or(2);
    });
    for (const auto* u : order) {
        out << '\n' << u->code << ' ' << u->name << " (" << to_string(u->level) << ")\n";
        text_figures(out, u->figures);
        text_items(out, "missing", u->missing);
        text_items(out, "undisclosed", u->undisclosed);
        text_items(out, "stale", u->stale);
        for (const auto& l : u->late)
            out << "  late        " << l.item << " formed " << format_date(l.formed) << ", published "
                << format_date(l.published) << ", due " << format_date(l.due) << '\n';
        text_items(out, "local", u->local);
        text_items(out, "unmatched", u->unmatched);
    }
    for (const auto& a : report.areas) {
        out << '\n' << a.code << ' ' << a.name << " (" << level_name(a.level) << ", units covered: " << a.units << ")\n";
        text_figures(out, a.figures);
    }
    out << "\nAll " << report.units.size() << " units\n";
    text_figures(out, report.total);
    return out.str();
}

std::string percent(const Ratio& r) {
    auto v = r.value();
    if (!v) return "—";
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%.1f%%", *v * 100);
    return buffer;
}

}  // namespace gkml
