#include "gkml/service.hpp"

#include <algorithm>
#include <thread>

#include "gkml/ledger.hpp"
#include "gkml/xml.hpp"

namespace gkml {

namespace {

// One of a semaphore's places, held for a scope.
struct Held {
    explicit Held(std::counting_semaphore<>& places) : places(places) { places.acquire(); }
    ~Held() { places.release(); }
    Held(const Held&) = delete;
    Held& operator=(const Held&) = delete;
    std::counting_semaphore<>& places;
};

std::ptrdiff_t cores() { return std::max(1u, std::thread::hardware_concurrency()); }

}  // namespace

Service::Service(ServiceOptions options, AuditBasis basis, Schemas schemas, Store writer, std::string no_account)
    : options_(std::move(options)), basis_(std::move(basis)), schemas_(std::move(schemas)), writer_(std::move(writer)),
      no_account_(std::move(no_account)), verifying_(cores()), checking_(cores()) {}

std::expected<std::unique_ptr<Service>, Error> Service::open(const ServiceOptions& options) {
    auto basis = load_audit_basis(options.data_dir, options.standards);
    if (!basis) return std::unexpected(basis.error());
    if (std::ranges::none_of(basis->standards, [](const Catalog& c) { return c.kind == CatalogKind::standard; }))
        return std::unexpected(Error{ErrorKind::invalid_input, "没有标准目录 / no standard catalog", options.standards.string(), 0});
    auto schemas = Schemas::compile();
    if (!schemas) return std::unexpected(schemas.error());
    auto store = Store::open(options.db);
    if (!store) return std::unexpected(store.error());
    if (!options.units.empty()) {
        auto units = read_units(options.units);
        if (!units) return std::unexpected(units.error());
        if (auto put = store->put_units(*units); !put) return std::unexpected(put.error());
    }
    auto no_account = hash_password(random_token());
    if (!no_account) return std::unexpected(no_account.error());
    return std::unique_ptr<Service>(new Service(options, std::move(*basis), std::move(*schemas), std::move(*store), std::move(*no_account)));
}

const Catalog& Service::national() const {
    return *std::ranges::find(basis_.standards, CatalogKind::standard, &Catalog::kind);
}

bool Service::within_hour(std::map<std::string, std::vector<Clock::time_point>, std::less<>>& by_account, const std::string& name) {
    std::lock_guard lock(hour_mutex_);
    auto now = Clock::now();
    auto& times = by_account[name];
    std::erase_if(times, [&](Clock::time_point t) { return now - t >= std::chrono::hours(1); });
    if (times.size() >= options_.uploads_per_hour) return false;
    times.push_back(now);
    return true;
}

std::expected<std::optional<Account>, Error> Service::account(std::string_view name) const {
    auto store = Store::open_read_only(options_.db);
    if (!store) return std::unexpected(store.error());
    return store->account(name);
}

std::expected<std::optional<Account>, Error> Service::sign_in(std::string_view name, std::string_view password) {
    auto found = account(name);
    if (!found) return found;
    Held held(verifying_);
    const bool matches = verify_password(*found ? (*found)->pwhash : no_account_, password) && *found;
    return matches ? found : std::optional<Account>{};
}

std::expected<std::vector<Unit>, Error> Service::registry() const {
    auto store = Store::open_read_only(options_.db);
    if (!store) return std::unexpected(store.error());
    return store->units();
}

std::expected<bool, Error> Service::may_read(const Account& account, std::string_view unit) const {
    auto units = registry();
    if (!units) return std::unexpected(units.error());
    return gkml::may_read(account, *units, unit);
}

std::expected<Audit, Error> Service::audit(const Account& account, std::string_view unit, std::string_view period) const {
    auto store = Store::open_read_only(options_.db);
    if (!store) return std::unexpected(store.error());
    auto units = store->units();
    if (!units) return std::unexpected(units.error());
    std::string scope(unit);
    if (scope.empty() && account.role != Role::admin) scope = account.unit;
    if (!scope.empty() && !gkml::may_read(account, *units, scope))
        return std::unexpected(Error{ErrorKind::usage, "无权查看单位 " + scope + " / not yours to read", "", 0});
    return audit_of(std::move(*store), basis_, AuditScope{scope, "", std::string(period), CoverageOptions{}.stale_days, false});
}

std::expected<std::vector<UploadEntry>, Error> Service::uploads(const Account& account, std::string_view unit,
                                                                std::size_t limit) const {
    auto store = Store::open_read_only(options_.db);
    if (!store) return std::unexpected(store.error());
    auto registry = store->units();
    if (!registry) return std::unexpected(registry.error());
    if (unit.empty() && account.role == Role::admin) return store->uploads({}, limit);  // everything
    std::vector<std::string> codes;
    for (const auto& u : unit.empty() ? readable_units(account, *registry) : units_under(*registry, unit))
        if (gkml::may_read(account, *registry, u.code)) codes.push_back(u.code);
    if (codes.empty()) return std::vector<UploadEntry>{};  // an empty list would mean every unit
    return store->uploads(codes, limit);
}

namespace {

// The name a browser sent, without any folder it named, control characters or excess length (the
// extension kept: it says how the file is read).
std::string plain_file_name(std::string name) {
    if (auto slash = name.find_last_of("/\\"); slash != std::string::npos) name.erase(0, slash + 1);
    std::erase_if(name, [](unsigned char c) { return c < 0x20 || c == 0x7f; });
    constexpr std::size_t longest = 200;
    if (name.size() > longest) {
        auto dot = name.rfind('.');
        std::string extension = dot != std::string::npos && name.size() - dot <= 10 ? name.substr(dot) : "";
        std::size_t cut = longest - extension.size();
        while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
        name = name.substr(0, cut) + extension;
    }
    return name.empty() ? "upload" : name;
}

std::string lower_extension(const std::string& name) {
    auto extension = std::filesystem::path(name).extension().string();
    std::ranges::transform(extension, extension.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return extension.empty() ? "" : extension.substr(1);
}

// A ledger's record dated after tomorrow (formed or published): it would move every unit's period
// and judging day to that date.
std::optional<std::string> dated_after_today(const PreparedFile& file) {
    const auto* ledgers = std::get_if<std::vector<Ledger>>(&file.content);
    if (!ledgers) return std::nullopt;
    const Date latest{std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()) + std::chrono::days(1)};
    for (const auto& ledger : *ledgers)
        for (const auto& r : ledger.records)
            if (r.formed > latest || r.published > latest)
                return "台账中有日期在今天之后的记录（事项 " + r.item + "，形成 " + format_date(r.formed) + "，发布 " + format_date(r.published) +
                       "），未入库：请改正日期后重新上传 / a record is dated in the future";
    return std::nullopt;
}

UploadResult refused(UploadResult out, int status, std::string message) {
    out.status = status;
    out.message = std::move(message);
    return out;
}

}  // namespace

UploadResult Service::upload(const Account& account, std::string_view unit, std::string file_name, const std::string& bytes) {
    UploadResult out;
    file_name = plain_file_name(std::move(file_name));
    out.entry = UploadEntry{0, "", account.name, std::string(unit), file_name, static_cast<std::int64_t>(bytes.size()), "rejected", 0, 0, ""};
    if (!may_upload(account, unit))
        return refused(std::move(out), 403, "这个账号只能上传本单位的目录和台账 / this account uploads for its own unit only");
    // A refusal is logged, as many an hour as uploads may be made (then only answered).
    auto log_rejected = [&](UploadResult rejected, int status, std::string message) {
        if (!within_hour(refusals_by_account_, account.name)) return refused(std::move(rejected), status, std::move(message));
        std::lock_guard lock(write_mutex_);
        if (auto id = writer_.log_upload(rejected.entry)) rejected.entry.id = *id;
        return refused(std::move(rejected), status, std::move(message));
    };
    if (bytes.size() > options_.max_upload_bytes)
        return log_rejected(std::move(out), 413, "文件太大（上限 " + std::to_string(options_.max_upload_bytes >> 20) + " MB） / the file is too large");
    const auto extension = lower_extension(file_name);
    if (extension != "xml" && table_format_of(file_name).empty()) {
        out.entry.errors = 1;
        if (extension == "xls" || extension == "et" || extension == "ods" || extension == "doc" || extension == "wps")
            return log_rejected(std::move(out), 422, "请在 Excel 或 WPS 中“另存为” .xlsx（文档另存为 .docx）后再上传 / save it as .xlsx or .docx first");
        return log_rejected(std::move(out), 422, "能上传的是 .xlsx、.csv、.html、.docx 或 .xml 文件 / upload a .xlsx, .csv, .html, .docx or .xml file");
    }
    auto units = registry();
    if (!units) return refused(std::move(out), 500, units.error().message);
    auto self = std::ranges::find(*units, unit, &Unit::code);
    if (self == units->end() || !self->level)
        return refused(std::move(out), 403, "单位 " + std::string(unit) + " 不在单位名录中 / the unit is not in the registry");
    if (!within_hour(uploads_by_account_, account.name))  // only files that are checked count
        return refused(std::move(out), 429, "一小时内上传次数已达上限，请稍后再试 / too many uploads this hour");
    const bool xml_or_ledger = extension == "xml" || (extension == "csv" && is_ledger_csv(bytes));

    {
        // At most one check per core at once: reading a workbook's parts may take a few hundred MB.
        Held held(checking_);
        Ingester ingester(schemas_, CheckContext{&basis_.fields, nullptr}, basis_.standards);
        if (xml_or_ledger) {
            out.file = ingester.prepare(bytes, file_name);
        } else {
            ImportOptions options;
            options.file = file_name;
            options.standard = &national();
            options.registry = &basis_.fields;
            options.unit = UnitRef{self->code, self->name, *self->level};
            out.file = ingester.prepare_table(bytes, file_name, table_format_of(file_name), options);
        }
    }
    if (auto late = dated_after_today(out.file)) out.file.refused = Error{ErrorKind::invalid_input, *late, file_name, 0};
    out.entry.errors = std::ranges::count(out.file.diagnostics, Severity::error, &Diagnostic::severity) + (out.file.refused ? 1 : 0);
    out.entry.warnings = std::ranges::count(out.file.diagnostics, Severity::warning, &Diagnostic::severity);
    if (std::ranges::find(out.file.diagnostics, std::string("GKML-E104"), &Diagnostic::code) != out.file.diagnostics.end())  // the cover names another unit
        return log_rejected(std::move(out), 403, "文件中写的单位不是本单位，未入库 / the file is another unit's; nothing was put in");
    if (!out.file.accepted()) {
        std::string message = out.file.refused ? out.file.refused->message
                                               : "文件有错误，未入库：请按下面的位置逐条改正后重新上传 / the file has errors; nothing was put in";
        return log_rejected(std::move(out), 422, std::move(message));
    }
    if (out.file.units() != std::vector<std::string>{std::string(unit)})
        return log_rejected(std::move(out), 403, "文件中写的单位不是本单位，未入库 / the file is another unit's; nothing was put in");

    out.file.source = "upload:" + account.name + ":" + file_name;
    std::lock_guard lock(write_mutex_);
    auto batch = writer_.batch();  // what the upload adds and its log entry, in one transaction
    auto put = Ingester::put(writer_, out.file, "");
    if (!put) return refused(std::move(out), 500, put.error().message);
    out.entry.outcome = put->added.empty() ? "unchanged" : "added";
    for (const auto& s : put->added) out.entry.snapshots += (out.entry.snapshots.empty() ? "" : " ") + std::to_string(s.id);
    out.warnings = put->warnings;
    auto id = writer_.log_upload(out.entry);
    if (!id) return refused(std::move(out), 500, id.error().message);
    if (auto committed = batch.commit(); !committed) return refused(std::move(out), 500, committed.error().message);
    out.entry.id = *id;
    out.message = put->added.empty() ? "内容与已入库的相同，未变 / the same content was already in"
                                     : "已入库 / put in";
    return out;
}

}  // namespace gkml
