#include <unistd.h>

#include <chrono>
#include <iostream>
#include <thread>
#include <variant>

#include "commands.hpp"
#include "gkml/diagnostics.hpp"
#include "gkml/files.hpp"
#include "gkml/parallel.hpp"
#include "gkml/store.hpp"
#include "gkml/validate.hpp"

namespace gkml::cli {

namespace {

struct IngestArgs {
    std::filesystem::path db;
    std::filesystem::path units;
    std::filesystem::path standard;
    std::vector<std::filesystem::path> paths;
    std::string label;
};

struct Tally {
    std::size_t added = 0, unchanged = 0, invalid = 0, skipped = 0;
};

std::vector<std::filesystem::path> input_files(const std::vector<std::filesystem::path>& paths, Tally& tally) {
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
        if (ec) {
            report(Error{ErrorKind::io, ec.message(), path.string(), 0});
            ++tally.invalid;
        }
    }
    std::ranges::sort(out);
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

// One file read, checked and parsed (in a worker thread), waiting to be put into the store.
struct Prepared {
    std::filesystem::path path;
    std::string hash;
    std::vector<Diagnostic> diagnostics;
    std::optional<Error> refused;  // unreadable, or not readable as what it claims to be
    std::string skipped;           // why it is not for the store
    std::variant<std::monostate, StoredCatalog, std::vector<Ledger>, std::vector<Unit>> content;
};

// Prepares files (thread-safe: reads only what it was built with) and puts them (one thread).
// A returned error is the store's (the run stops); a bad file only counts.
class Ingest {
public:
    Ingest(Store& store, const Schemas& schemas, CheckContext context, const std::vector<Catalog>& standards,
           std::string label)
        : store_(store), schemas_(schemas), context_(context), standards_(standards), label_(std::move(label)) {}

    Prepared prepare(const std::filesystem::path& path) const {
        Prepared out{path, {}, {}, {}, {}, {}};
        auto bytes = read_file(path);
        if (!bytes) return refuse(std::move(out), bytes.error());
        out.hash = content_hash(*bytes);
        if (path.extension() == ".csv") {
            auto ledgers = parse_ledger_csv(*bytes, path.string());
            if (!ledgers) return refuse(std::move(out), ledgers.error());
            out.content = std::move(*ledgers);
            return out;
        }
        // A plainly valid ledger is checked and read in one pass; anything else the schema decides.
        if (root_of(*bytes).kind == DocumentKind::ledger)
            if (auto ledger = parse_plainly_valid_ledger(*bytes)) {
                out.content = std::vector<Ledger>{std::move(*ledger)};
                return out;
            }
        DocumentKind kind = DocumentKind::unknown;
        out.diagnostics = schemas_.check_with_xsd(*bytes, path.string(), kind);
        if (has_errors(out.diagnostics)) return out;
        switch (kind) {
            case DocumentKind::catalog: return catalog(std::move(out), *bytes);
            case DocumentKind::ledger: {
                auto ledger = parse_ledger_xml(*bytes, path.string());
                if (!ledger) return refuse(std::move(out), ledger.error());
                out.content = std::vector<Ledger>{std::move(*ledger)};
                return out;
            }
            case DocumentKind::units: {
                auto units = parse_units_xml(*bytes, path.string());
                if (!units) return refuse(std::move(out), units.error());
                out.content = std::move(*units);
                return out;
            }
            default: out.skipped = "neither a unit catalog, a ledger nor a units registry"; return out;
        }
    }

    std::expected<void, Error> put(const Prepared& file) {
        std::cerr << diagnostics_to_text(file.diagnostics);
        if (file.refused) {
            report(*file.refused);
            ++tally_.invalid;
            return {};
        }
        if (has_errors(file.diagnostics)) {
            ++tally_.invalid;
            return {};
        }
        if (!file.skipped.empty()) {
            std::cerr << "gkml: " << file.path.string() << ": skipped, " << file.skipped << '\n';
            ++tally_.skipped;
            return {};
        }
        const std::string source = file.path.string();
        if (const auto* catalog = std::get_if<StoredCatalog>(&file.content))
            return count(store_.put_catalog(*catalog, source, file.hash, label_));
        if (const auto* ledgers = std::get_if<std::vector<Ledger>>(&file.content)) {
            for (const auto& ledger : *ledgers)
                if (auto put = count(store_.put_ledger(ledger, source, file.hash, label_)); !put) return put;
            return {};
        }
        if (const auto* units = std::get_if<std::vector<Unit>>(&file.content)) return store_.put_units(*units);
        return {};
    }

    const Tally& tally() const { return tally_; }

private:
    Prepared catalog(Prepared out, const std::string& bytes) const {
        auto catalog = parse_catalog(bytes, out.path.string());
        if (!catalog) return refuse(std::move(out), catalog.error());
        if (catalog->kind != CatalogKind::unit) {
            out.skipped = "not a unit catalog";
            return out;
        }
        auto context = context_;
        for (const auto& s : standards_)
            if (s.id == catalog->based_on && (catalog->based_on_version.empty() || s.version == catalog->based_on_version))
                context.standard = &s;
        for (auto& d : check_catalog(*catalog, context)) out.diagnostics.push_back(std::move(d));
        if (!has_errors(out.diagnostics)) out.content = stored_form(*catalog);  // serialized here, not in the writer
        return out;
    }

    static Prepared refuse(Prepared out, const Error& error) {
        out.refused = error;
        return out;
    }

    std::expected<void, Error> count(const std::expected<std::optional<Snapshot>, Error>& put) {
        if (!put) return std::unexpected(put.error());
        ++(*put ? tally_.added : tally_.unchanged);
        // A ledger declaring a span restates it: one that leaves fewer records there is worth a look.
        if (*put && (*put)->span_after < (*put)->span_before)
            std::cerr << "gkml: " << (*put)->source << ": warning: 单位 " << (*put)->unit << " 在这份台账 from–to 时段内的记录从 "
                      << (*put)->span_before << " 条变为 " << (*put)->span_after
                      << " 条（它取代了以前台账在该时段的记录）；如果它只是一部分导出，请去掉 from/to / the unit's records in the span went from "
                      << (*put)->span_before << " to " << (*put)->span_after << '\n';
        return {};
    }

    Store& store_;
    const Schemas& schemas_;
    CheckContext context_;
    const std::vector<Catalog>& standards_;
    std::string label_;
    Tally tally_;
};

// How long one batch may hold the write lock before it is committed: short beside the busy
// timeout another gkml waits on, long enough that commits are few.
constexpr auto commit_every = std::chrono::seconds(1);

int run_ingest(const IngestArgs& args) {
    auto schemas = Schemas::compile();
    if (!schemas) return report(schemas.error());
    auto standards = read_catalog_dir(args.standard.empty() ? data_dir() / "catalogs" / "standard" : args.standard);
    if (!standards) return report(standards.error());
    auto registry = read_fields(data_dir() / "catalogs" / "fields.xml");
    auto store = Store::open(args.db);
    if (!store) return report(store.error());
    Ingest ingest(*store, *schemas, CheckContext{registry ? &*registry : nullptr, nullptr}, *standards,
                  args.label);
    if (args.units.extension() == ".csv") {
        auto units = read_units(args.units);
        if (!units) return report(units.error());
        if (auto put = store->put_units(*units); !put) return report(put.error());
    } else if (!args.units.empty()) {
        if (auto put = ingest.put(ingest.prepare(args.units)); !put) return report(put.error());
        if (ingest.tally().invalid > 0) return invalid;
    }
    Tally listing;
    auto files = input_files(args.paths, listing);
    const bool progress = ::isatty(STDERR_FILENO);
    // Files are read, checked and parsed on every core; one writer puts them in order, a second's
    // worth per transaction.
    auto batch = store->batch();
    auto last_commit = std::chrono::steady_clock::now();
    std::optional<Error> failed;
    const unsigned threads = std::max(1u, std::thread::hardware_concurrency()) + 1;  // the writer rarely waits for a file
    ordered_parallel(
        files.size(), threads, 4 * threads, [&](std::size_t i) { return ingest.prepare(files[i]); },
        [&](std::size_t i, Prepared prepared) {
            if (progress) std::cerr << "\r\033[K[" << i + 1 << '/' << files.size() << "] " << files[i].string() << std::flush;
            if (auto done = ingest.put(prepared); !done) {
                failed = done.error();
                return false;
            }
            if (std::chrono::steady_clock::now() - last_commit < commit_every) return true;
            last_commit = std::chrono::steady_clock::now();
            if (auto committed = batch.commit(); !committed) {
                failed = committed.error();
                return false;
            }
            return true;
        });
    // What went in before a failure stays in: every file is whole or absent.
    if (auto committed = batch.commit(); !committed && !failed) failed = committed.error();
    if (failed) {
        if (progress) std::cerr << "\r\033[K";
        return report(*failed);
    }
    if (progress) std::cerr << "\r\033[K";
    const auto& t = ingest.tally();
    const auto bad = t.invalid + listing.invalid;
    std::cerr << files.size() << " 个文件：新增 " << t.added << " 份，未变 " << t.unchanged << " 份，无效 " << bad << " 份，跳过 "
              << t.skipped << " 份 (" << files.size() << " files: " << t.added << " snapshots added, " << t.unchanged
              << " unchanged, " << bad << " invalid, " << t.skipped << " skipped)\n";
    return t.invalid + listing.invalid > 0 ? invalid : ok;
}

}  // namespace

void add_ingest(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<IngestArgs>();
    auto* sub = app.add_subcommand("ingest", "Validate unit catalogs and ledgers and put them into the database");
    sub->add_option("--db", args->db, "The database file (created if needed)")->required();
    sub->add_option("--units", args->units, "A units registry (XML or CSV) to load first");
    sub->add_option("--standard", args->standard, "Folder of the standard catalogs (default: catalogs/standard)");
    sub->add_option("--label", args->label, "A name for this ingest run, shown in history and the report's trend (e.g. 2025年中自查)");
    sub->add_option("paths", args->paths, "Files or folders (recursively *.xml, *.csv)")->required();
    sub->footer("An invalid file is reported and skipped; the rest goes in (exit 2). Re-ingesting a file changes nothing.");
    sub->callback([args, &exit_code] { exit_code = run_ingest(*args); });
}

}  // namespace gkml::cli
