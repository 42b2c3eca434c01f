#include "gkml/audit.hpp"

#include <algorithm>
#include <set>
#include <unordered_map>

#include "gkml/xml.hpp"

namespace gkml {

std::expected<AuditBasis, Error> load_audit_basis(const std::filesystem::path& data_dir,
                                                  const std::filesystem::path& standards) {
    auto read = read_catalog_dir(standards.empty() ? data_dir / "catalogs" / "standard" : standards);
    if (!read) return std::unexpected(read.error());
    auto calendar = load_calendar(data_dir / "catalogs" / "calendar");
    if (!calendar) return std::unexpected(calendar.error());
    auto fields = read_fields(data_dir / "catalogs" / "fields.xml");
    if (!fields) return std::unexpected(fields.error());
    return AuditBasis{std::move(*read), std::move(*calendar), std::move(*fields)};
}

std::vector<Unit> units_under(const std::vector<Unit>& registry, std::string_view code) {
    // Walk up from each unit through a parent index; a parent missing from the registry ends the chain.
    std::unordered_map<std::string_view, std::string_view> parent_of;
    for (const auto& unit : registry) parent_of.emplace(unit.code, unit.parent);
    auto under = [&](std::string_view at) {
        for (std::size_t steps = 0; !at.empty() && steps <= registry.size(); ++steps) {
            auto it = parent_of.find(at);
            if (it == parent_of.end()) return false;
            if (at == code) return true;
            at = it->second;
        }
        return false;
    };
    std::vector<Unit> out;
    for (const auto& unit : registry)
        if (under(unit.code)) out.push_back(unit);
    return out;
}

std::expected<Audit, Error> audit_of(Store store, const AuditBasis& basis, const AuditScope& scope) {
    auto period = scope.period.empty() ? default_period(store) : [&]() -> std::expected<CoveragePeriod, Error> {
        if (auto p = parse_period(scope.period)) return *p;
        return std::unexpected(Error{ErrorKind::usage, "--period 写成年份（2025）或季度（2025-Q1） / --period takes YYYY or YYYY-Qn, not " + scope.period, "", 0});
    }();
    if (!period) return std::unexpected(period.error());
    auto registry = store.units();
    if (!registry) return std::unexpected(registry.error());
    auto units = scope.unit.empty() ? *registry : units_under(*registry, scope.unit);
    if (units.empty())
        return std::unexpected(Error{ErrorKind::usage, "数据库中没有单位 " + scope.unit + " / no unit " + scope.unit + " in the database", "", 0});
    return Audit{std::move(store), &basis,
                 CoverageOptions{*period, scope.stale_days, scope.field, {}, scope.include_inferred}, std::move(*registry),
                 std::move(units)};
}

std::expected<Audit, Error> open_audit(const std::filesystem::path& db, const AuditBasis& basis, const AuditScope& scope) {
    // Read-only: no write lock; only kept coverage is written, through a connection of its own
    // (Store::keep_coverage). A database an older gkml made is migrated first.
    auto store = Store::open_read_only(db);
    if (!store && std::filesystem::exists(db)) store = Store::open(db);
    if (!store) return std::unexpected(store.error());
    return audit_of(std::move(*store), basis, scope);
}

const Unit* county_of(const std::vector<Unit>& registry, const std::vector<Unit>& units) {
    for (const auto& u : units)
        for (const auto* above : lineage(registry, u.code))
            if (above->level == Level::county && above->fields.empty()) return above;
    return nullptr;
}

std::expected<CoverageReport, Error> audit_coverage(const Audit& audit, std::int64_t as_of) {
    auto units = coverage_in_store(audit.store, audit.units, audit.basis->standards, audit.basis->calendar, audit.options, as_of);
    if (!units) return std::unexpected(units.error());
    auto result = roll_up(audit.options.period, std::move(*units), audit.registry);
    result.standards = standards_used(result.units, audit.basis->standards, audit.options);
    return result;
}

std::expected<CoverageReport, Error> audit_coverage(const Audit& audit, std::int64_t as_of,
                                                   const std::function<void(const UnitCoverage&)>& each) {
    std::vector<UnitCoverage> units;
    auto done = for_each_coverage(audit.store, audit.units, audit.basis->standards, audit.basis->calendar, audit.options, as_of,
                                  [&](UnitCoverage&& unit) {
                                      each(unit);
                                      UnitCoverage figures_only;  // what the roll-up and the standards used read
                                      figures_only.code = std::move(unit.code);
                                      figures_only.name = std::move(unit.name);
                                      figures_only.level = unit.level;
                                      figures_only.judged_on = unit.judged_on;
                                      figures_only.figures = unit.figures;
                                      figures_only.veto = unit.veto;
                                      figures_only.standard = std::move(unit.standard);
                                      figures_only.standard_version = std::move(unit.standard_version);
                                      units.push_back(std::move(figures_only));
                                  });
    if (!done) return std::unexpected(done.error());
    auto result = roll_up(audit.options.period, std::move(units), audit.registry);
    result.standards = standards_used(result.units, audit.basis->standards, audit.options);
    return result;
}

std::expected<std::vector<HistoryRow>, Error> audit_history(const Audit& audit) {
    auto snapshots = audit.store.snapshots();
    if (!snapshots) return std::unexpected(snapshots.error());
    std::vector<HistoryRow> rows;
    for (const auto& s : *snapshots) {
        auto unit = std::ranges::find(audit.units, s.unit, &Unit::code);
        if (unit == audit.units.end()) continue;
        auto figures = coverage_in_store(audit.store, {*unit}, audit.basis->standards, audit.basis->calendar, audit.options, s.id);
        if (!figures) return std::unexpected(figures.error());
        rows.push_back(HistoryRow{s, figures->empty() ? std::nullopt : std::optional<Figures>(figures->front().figures)});
    }
    return rows;
}

std::vector<std::pair<std::string, std::int64_t>> ingest_runs(const std::vector<Snapshot>& snapshots) {
    std::vector<std::pair<std::string, std::int64_t>> runs;
    std::string last;
    for (const auto& s : snapshots) {
        std::string name = s.label.empty() ? s.taken.substr(0, 10) + " " + s.taken.substr(11, 5) : s.label;
        // A label is the user's name for a run, whichever runs put it; else the run id; else (an
        // older store) the minute it was taken in.
        std::string key = !s.label.empty() ? "label " + s.label : !s.run.empty() ? "run " + s.run : "taken " + name;
        if (!runs.empty() && key == last)
            runs.back().second = s.id;
        else
            runs.emplace_back(std::move(name), s.id);
        last = std::move(key);
    }
    return runs;
}

namespace {

std::string default_title(const std::vector<Unit>& registry, const std::vector<Unit>& units) {
    if (units.size() == 1) return units.front().name + "基层政务公开标准目录落实情况";  // one unit: its page
    const Unit* county = county_of(registry, units);
    return (county ? county->name : std::string()) + "基层政务公开标准目录落实情况";
}

}  // namespace

std::expected<std::vector<Snapshot>, Error> audit_snapshots(const Audit& audit) {
    auto snapshots = audit.store.snapshots();
    if (!snapshots) return snapshots;
    std::set<std::string, std::less<>> audited;
    for (const auto& u : audit.units) audited.insert(u.code);
    std::erase_if(*snapshots, [&](const Snapshot& s) { return !audited.contains(s.unit); });
    return snapshots;
}

namespace {

std::expected<ReportInput, Error> report_of(const Audit& audit, std::expected<CoverageReport, Error> now, std::string title,
                                            std::string issuer) {
    if (!now) return std::unexpected(now.error());
    ReportInput input;
    input.title = title.empty() ? default_title(audit.registry, audit.units) : std::move(title);
    input.stale_days = audit.options.stale_days;
    input.issuer = std::move(issuer);
    input.coverage = std::move(*now);
    input.fields = audit.basis->fields;
    // The runs that touched the units audited: another county's ingest, or another unit's upload,
    // is neither a point of this trend nor anything they should learn of.
    auto snapshots = audit_snapshots(audit);
    if (!snapshots) return std::unexpected(snapshots.error());
    for (const auto& [name, last] : ingest_runs(*snapshots)) {
        if (last == snapshots->back().id) {  // the newest run is what the store holds now
            input.trend.push_back({name, input.coverage.total});
            continue;
        }
        Figures total;  // the run's figures only: a province's older runs are not held whole
        auto then = for_each_coverage(audit.store, audit.units, audit.basis->standards, audit.basis->calendar, audit.options, last,
                                      [&](UnitCoverage&& u) { total += u.figures; });
        if (!then) return std::unexpected(then.error());
        input.trend.push_back({name, total});
    }
    auto newest = audit.store.latest_formed();
    if (!newest) return std::unexpected(newest.error());
    input.as_of = *newest ? format_date(**newest) : format_date(audit.options.period.to);
    return input;
}

}  // namespace

std::expected<ReportInput, Error> audit_report(const Audit& audit, std::string title, std::string issuer) {
    return report_of(audit, audit_coverage(audit), std::move(title), std::move(issuer));
}

std::expected<ReportInput, Error> audit_report(const Audit& audit, std::string title, std::string issuer,
                                               const std::function<void(const UnitCoverage&)>& each) {
    return report_of(audit, audit_coverage(audit, latest_snapshot, each), std::move(title), std::move(issuer));
}

std::expected<RectifyNotice, Error> audit_rectify(const Audit& audit, std::optional<Date> date, int within,
                                                  std::string title, std::string issuer) {
    auto result = audit_coverage(audit);
    if (!result) return std::unexpected(result.error());
    return audit_rectify(audit, *result, date, within, std::move(title), std::move(issuer));
}

std::expected<RectifyNotice, Error> audit_rectify(const Audit& audit, const CoverageReport& coverage, std::optional<Date> date,
                                                  int within, std::string title, std::string issuer) {
    // Issued on the day the data runs to (so that runs give the same bytes), unless told otherwise.
    Date issued = audit.options.period.to;
    if (date) {
        issued = *date;
    } else if (auto newest = audit.store.latest_formed(); newest && *newest) {
        issued = **newest;
    }
    auto due = add_workdays(issued, within, audit.basis->calendar);
    if (!due) return std::unexpected(due.error());
    const Unit* county = county_of(audit.registry, audit.units);
    RectifyNotice notice;
    notice.due = *due;
    auto& heading = notice.heading;
    heading.title = !title.empty() ? std::move(title) : (county ? county->name : std::string()) + "基层政务公开标准目录落实问题整改清单";
    heading.issuer = !issuer.empty() ? std::move(issuer) : county ? county->name : "";
    heading.period = coverage.period.label;
    for (const auto& s : coverage.standards) heading.standard += (heading.standard.empty() ? "" : "；") + standard_text(s);
    heading.issued = issued;
    for (const auto& u : coverage.units) notice.lists.push_back(rectify_list(u, *due));
    return notice;
}

}  // namespace gkml
