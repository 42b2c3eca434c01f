#include "gkml/ingest.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

#include "gkml/files.hpp"
#include "gkml/parallel.hpp"
#include "gkml/xml.hpp"

namespace gkml {

bool PreparedFile::accepted() const {
    return !refused && !has_errors(diagnostics) && skipped.empty() && !std::holds_alternative<std::monostate>(content);
}

std::vector<std::string> PreparedFile::units() const {
    std::vector<std::string> out;
    if (!accepted()) return out;
    if (const auto* catalog = std::get_if<StoredCatalog>(&content)) {
        if (catalog->unit) out.push_back(catalog->unit->code);
    } else if (const auto* ledgers = std::get_if<std::vector<Ledger>>(&content)) {
        for (const auto& l : *ledgers) out.push_back(l.unit);
    }
    std::ranges::sort(out);
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

namespace {

PreparedFile refuse(PreparedFile out, const Error& error) {
    out.refused = error;
    return out;
}

}  // namespace

PreparedFile Ingester::prepare(const std::filesystem::path& path) const {
    auto bytes = read_file(path);
    if (!bytes) return refuse(PreparedFile{path.string(), {}, {}, {}, {}, {}}, bytes.error());
    return prepare(*bytes, path.string());
}

PreparedFile Ingester::prepare(const std::string& bytes, std::string source) const {
    PreparedFile out{std::move(source), content_hash(bytes), {}, {}, {}, {}};
    if (table_format_of(out.source) == "csv") {
        auto ledgers = parse_ledger_csv(bytes, out.source);
        if (!ledgers) return refuse(std::move(out), ledgers.error());
        out.content = std::move(*ledgers);
        return out;
    }
    // A plainly valid ledger is checked and read in one pass; anything else the schema decides.
    if (root_of(bytes).kind == DocumentKind::ledger)
        if (auto ledger = parse_plainly_valid_ledger(bytes)) {
            out.content = std::vector<Ledger>{std::move(*ledger)};
            return out;
        }
    DocumentKind kind = DocumentKind::unknown;
    out.diagnostics = schemas_.check_with_xsd(bytes, out.source, kind);
    if (has_errors(out.diagnostics)) return out;
    switch (kind) {
        case DocumentKind::catalog: {
            auto catalog = parse_catalog(bytes, out.source);
            if (!catalog) return refuse(std::move(out), catalog.error());
            return this->catalog(std::move(out), std::move(*catalog));
        }
        case DocumentKind::ledger: {
            auto ledger = parse_ledger_xml(bytes, out.source);
            if (!ledger) return refuse(std::move(out), ledger.error());
            out.content = std::vector<Ledger>{std::move(*ledger)};
            return out;
        }
        case DocumentKind::units: {
            auto units = parse_units_xml(bytes, out.source);
            if (!units) return refuse(std::move(out), units.error());
            out.content = std::move(*units);
            return out;
        }
        default: out.skipped = "neither a unit catalog, a ledger nor a units registry"; return out;
    }
}

PreparedFile Ingester::prepare_table(const std::string& bytes, std::string source, std::string_view format,
                                     const ImportOptions& options) const {
    PreparedFile out{std::move(source), content_hash(bytes), {}, {}, {}, {}};
    auto imported = import_table(bytes, format, options);
    if (!imported) return refuse(std::move(out), imported.error());
    out.diagnostics = std::move(imported->diagnostics);
    if (has_errors(out.diagnostics)) return out;
    if (imported->catalog.kind != CatalogKind::unit || !imported->catalog.meta.unit)
        return refuse(std::move(out), Error{ErrorKind::invalid_input,
                                            "文件中没有写明是哪个单位的目录 / the file does not say whose catalog it is", out.source, 0});
    // What gkml import would write must pass what gkml validate checks: the schema, then the rules.
    const auto& catalog = imported->catalog;
    for (auto& d : check_before_writing(catalog, write_catalog(catalog), out.source, schemas_, context_of(catalog)))
        out.diagnostics.push_back(std::move(d));
    if (!has_errors(out.diagnostics)) out.content = stored_form(catalog);
    return out;
}

CheckContext Ingester::context_of(const Catalog& catalog) const {
    auto context = context_;
    for (const auto& s : standards_)
        if (s.id == catalog.based_on && (catalog.based_on_version.empty() || s.version == catalog.based_on_version))
            context.standard = &s;
    return context;
}

PreparedFile Ingester::catalog(PreparedFile out, Catalog catalog) const {
    if (catalog.kind != CatalogKind::unit) {
        out.skipped = "not a unit catalog";
        return out;
    }
    for (auto& d : check_catalog(catalog, context_of(catalog))) out.diagnostics.push_back(std::move(d));
    if (!has_errors(out.diagnostics)) out.content = stored_form(catalog);  // serialized here, not in the writer
    return out;
}

namespace {

// A ledger declaring a span restates it: one that leaves fewer records there is worth a look.
std::expected<void, Error> count(const std::expected<std::optional<Snapshot>, Error>& put, PutOutcome& outcome) {
    if (!put) return std::unexpected(put.error());
    if (!*put) {
        ++outcome.unchanged;
        return {};
    }
    const auto& s = **put;
    outcome.added.push_back(s);
    if (s.span_after < s.span_before)
        outcome.warnings.push_back(s.source + ": warning: 单位 " + s.unit + " 在这份台账 from–to 时段内的记录从 " +
                                   std::to_string(s.span_before) + " 条变为 " + std::to_string(s.span_after) +
                                   " 条（它取代了以前台账在该时段的记录）；如果它只是一部分导出，请去掉 from/to / the unit's records in the span went from " +
                                   std::to_string(s.span_before) + " to " + std::to_string(s.span_after));
    return {};
}

}  // namespace

std::expected<PutOutcome, Error> Ingester::put(Store& store, const PreparedFile& file, std::string_view label) {
    PutOutcome outcome;
    if (!file.accepted()) return outcome;
    if (const auto* catalog = std::get_if<StoredCatalog>(&file.content)) {
        if (auto done = count(store.put_catalog(*catalog, file.source, file.hash, label), outcome); !done)
            return std::unexpected(done.error());
    } else if (const auto* ledgers = std::get_if<std::vector<Ledger>>(&file.content)) {
        for (const auto& ledger : *ledgers)
            if (auto done = count(store.put_ledger(ledger, file.source, file.hash, label), outcome); !done)
                return std::unexpected(done.error());
    } else if (const auto* units = std::get_if<std::vector<Unit>>(&file.content)) {
        if (auto done = store.put_units(*units); !done) return std::unexpected(done.error());
        outcome.units = units->size();
    }
    return outcome;
}

std::vector<std::filesystem::path> ingest_inputs(const std::vector<std::filesystem::path>& paths,
                                                 std::vector<Error>& unreadable) {
    std::vector<std::filesystem::path> out;
    for (const auto& path : paths) {
        std::error_code ec;
        if (!std::filesystem::is_directory(path, ec)) {
            out.push_back(path);
            continue;
        }
        for (std::filesystem::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec))
            if (it->is_regular_file() && (it->path().extension() == ".xml" || it->path().extension() == ".csv"))
                out.push_back(it->path());
        if (ec) unreadable.push_back(Error{ErrorKind::io, ec.message(), path.string(), 0});
    }
    std::ranges::sort(out);
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

// How long one batch may hold the write lock before it is committed: short beside the busy
// timeout another gkml waits on, long enough that commits are few.
constexpr auto commit_every = std::chrono::seconds(1);

std::expected<IngestTally, Error> ingest_files(Store& store, const Ingester& ingester,
                                               const std::vector<std::filesystem::path>& files, std::string_view label,
                                               const IngestProgress& progress) {
    IngestTally tally;
    auto batch = store.batch();
    auto last_commit = std::chrono::steady_clock::now();
    std::optional<Error> failed;
    const unsigned threads = std::max(1u, std::thread::hardware_concurrency()) + 1;  // the writer rarely waits for a file
    ordered_parallel(
        files.size(), threads, 4 * threads, [&](std::size_t i) { return ingester.prepare(files[i]); },
        [&](std::size_t i, PreparedFile prepared) {
            if (!prepared.accepted()) {
                ++(prepared.skipped.empty() ? tally.invalid : tally.skipped);
                if (progress) progress(i, prepared, nullptr);
                return true;
            }
            auto outcome = Ingester::put(store, prepared, label);
            if (!outcome) {
                failed = outcome.error();
                return false;
            }
            tally.added += outcome->added.size();
            tally.unchanged += outcome->unchanged;
            if (progress) progress(i, prepared, &*outcome);
            if (std::chrono::steady_clock::now() - last_commit < commit_every) return true;
            last_commit = std::chrono::steady_clock::now();
            if (auto committed = batch.commit(); !committed) {
                failed = committed.error();
                return false;
            }
            return true;
        });
    if (auto committed = batch.commit(); !committed && !failed) failed = committed.error();
    if (failed) return std::unexpected(*failed);
    return tally;
}

}  // namespace gkml
