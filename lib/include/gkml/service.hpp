// The county's service, without HTTP: what `gkml serve` does for a signed-in account — sign in,
// upload (the same checks as gkml ingest, for the account's own unit only, all-or-nothing), and the
// audits and logs it may read — and the pages it shows (server-rendered HTML in the report's look,
// no external assets, usable without JavaScript). The HTTP face (tools/gkml/serve.cpp) maps these to
// routes, cookies and status codes.
#pragma once

#include <cstddef>
#include <expected>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <semaphore>
#include <string>
#include <vector>

#include "gkml/accounts.hpp"
#include "gkml/audit.hpp"
#include "gkml/ingest.hpp"
#include "gkml/store.hpp"

namespace gkml {

struct ServiceOptions {
    std::filesystem::path db;
    std::filesystem::path data_dir;   // catalogs/ and xsd/ as bundled
    std::filesystem::path standards;  // instead of data_dir/catalogs/standard when given
    std::filesystem::path units;      // a registry (XML or CSV) put into the store at start, when given
    std::size_t max_upload_bytes = 20u << 20;
    std::size_t uploads_per_hour = 60;  // per account
};

// What one upload came to. `status` is the HTTP status it maps to: 200 put (or unchanged), 403 not
// the account's unit, 413 too large, 422 the file has errors, 429 too many uploads, 500 the store failed.
struct UploadResult {
    int status = 200;
    std::string message;  // one sentence for the clerk, in Chinese (and English)
    PreparedFile file;
    UploadEntry entry;    // as logged (id 0 when nothing was logged)
    std::vector<std::string> warnings;
};

class Service {
public:
    static std::expected<std::unique_ptr<Service>, Error> open(const ServiceOptions& options);

    const ServiceOptions& options() const { return options_; }
    const AuditBasis& basis() const { return basis_; }

    // The account when `password` is its own; at most as many checks at once as there are cores (each
    // takes 64 MiB), so a burst of sign-ins cannot exhaust the machine. A name with no account is
    // checked against a hash of nothing, in the same time, so the answer's time tells no names.
    std::expected<std::optional<Account>, Error> sign_in(std::string_view name, std::string_view password);
    std::expected<std::optional<Account>, Error> account(std::string_view name) const;

    std::expected<std::vector<Unit>, Error> registry() const;
    std::expected<bool, Error> may_read(const Account& account, std::string_view unit) const;

    // The file as the clerk sent it (xlsx, csv, html, docx, or the XML gkml writes), for `unit`: refused
    // (403) when it is another unit's (an XML's unit, a workbook cover's 单位代码). Checks run one per
    // core at once; only checked files count against the hourly limit.
    UploadResult upload(const Account& account, std::string_view unit, std::string file_name, const std::string& bytes);

    // An audit of `unit` (and the units under it) the account may read; empty `unit`: everything it may read.
    std::expected<Audit, Error> audit(const Account& account, std::string_view unit, std::string_view period = {}) const;
    std::expected<std::vector<UploadEntry>, Error> uploads(const Account& account, std::string_view unit, std::size_t limit) const;

private:
    explicit Service(ServiceOptions options, AuditBasis basis, Schemas schemas, Store writer, std::string no_account);
    const Catalog& national() const;

    ServiceOptions options_;
    AuditBasis basis_;
    Schemas schemas_;
    std::mutex write_mutex_;
    Store writer_;  // the one connection that writes, under write_mutex_
    // Whether `name` may do one more of what `by_account` counts this hour (it is then counted).
    bool within_hour(std::map<std::string, std::vector<Clock::time_point>, std::less<>>& by_account, const std::string& name);
    std::mutex hour_mutex_;
    std::map<std::string, std::vector<Clock::time_point>, std::less<>> uploads_by_account_;  // checked uploads
    std::map<std::string, std::vector<Clock::time_point>, std::less<>> refusals_by_account_;  // logged refusals
    std::string no_account_;  // a hash of a random password: what a name with no account is checked against
    std::counting_semaphore<> verifying_;  // password checks at once: one per core
    std::counting_semaphore<> checking_;   // upload checks at once: one per core
};

// The pages. `csrf` goes into every form; `account` is who is signed in.
struct PageContext {
    const Account* account = nullptr;
    std::string csrf;
};

std::string sign_in_page(std::string_view csrf, std::string_view problem, std::string_view name);

// A unit's page: its figures and 整改清单 findings, the upload form, what its last upload said, its uploads.
struct UnitPage {
    Unit unit;
    std::optional<UnitCoverage> coverage;  // none before its first catalog
    std::string period;
    Date due;                               // 整改期限 of its findings
    const UploadResult* upload = nullptr;   // the upload just made, if any
    std::vector<UploadEntry> uploads;
    bool may_upload = false;
};
std::string unit_page(const PageContext& context, const UnitPage& page);

// The county's page: every unit it may read with its figures, the trend, the ingest log and the uploads.
struct CountyPage {
    std::string title;
    CoverageReport coverage;
    std::vector<TrendPoint> trend;
    std::vector<Snapshot> snapshots;  // newest first
    std::vector<UploadEntry> uploads;
    std::string scope;                // the unit asked about ("" the whole county)
};
std::string county_page(const PageContext& context, const CountyPage& page);

std::string message_page(const PageContext& context, int status, std::string_view title, std::string_view text);

}  // namespace gkml
