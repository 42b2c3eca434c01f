#include <unistd.h>

#include <iostream>

#include "commands.hpp"
#include "gkml/diagnostics.hpp"
#include "gkml/files.hpp"
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

// Puts one file's content; a returned error is the store's (the run stops), a bad file only counts.
class Ingest {
public:
    Ingest(Store& store, const Schemas& schemas, CheckContext context, const std::vector<Catalog>& standards,
           std::string label)
        : store_(store), schemas_(schemas), context_(context), standards_(standards), label_(std::move(label)) {}

    std::expected<void, Error> file(const std::filesystem::path& path) {
        auto bytes = read_file(path);
        if (!bytes) return refuse(bytes.error());
        const auto hash = content_hash(*bytes);
        if (path.extension() == ".csv") {
            auto ledgers = parse_ledger_csv(*bytes, path.string());
            if (!ledgers) return refuse(ledgers.error());
            for (const auto& ledger : *ledgers)
                if (auto put = count(store_.put_ledger(ledger, path.string(), hash, label_)); !put) return put;
            return {};
        }
        DocumentKind kind = DocumentKind::unknown;
        if (!checked(schemas_.check(*bytes, path.string(), kind))) return {};
        switch (kind) {
            case DocumentKind::catalog: return catalog(*bytes, path, hash);
            case DocumentKind::ledger: {
                auto ledger = parse_ledger_xml(*bytes, path.string());
                if (!ledger) return refuse(ledger.error());
                return count(store_.put_ledger(*ledger, path.string(), hash, label_));
            }
            case DocumentKind::units: {
                auto units = parse_units_xml(*bytes, path.string());
                if (!units) return refuse(units.error());
                return store_.put_units(*units);
            }
            default: return skip(path, "neither a unit catalog, a ledger nor a units registry");
        }
    }

    const Tally& tally() const { return tally_; }

private:
    std::expected<void, Error> catalog(const std::string& bytes, const std::filesystem::path& path, const std::string& hash) {
        auto catalog = parse_catalog(bytes, path.string());
        if (!catalog) return refuse(catalog.error());
        if (catalog->kind != CatalogKind::unit) return skip(path, "not a unit catalog");
        auto context = context_;
        for (const auto& s : standards_)
            if (s.id == catalog->based_on && (catalog->based_on_version.empty() || s.version == catalog->based_on_version))
                context.standard = &s;
        if (!checked(check_catalog(*catalog, context))) return {};
        return count(store_.put_catalog(*catalog, path.string(), hash, label_));
    }

    bool checked(const std::vector<Diagnostic>& diagnostics) {
        std::cerr << diagnostics_to_text(diagnostics);
        if (!has_errors(diagnostics)) return true;
        ++tally_.invalid;
        return false;
    }

    std::expected<void, Error> refuse(const Error& error) {
        report(error);
        ++tally_.invalid;
        return {};
    }

    std::expected<void, Error> skip(const std::filesystem::path& path, std::string_view why) {
        std::cerr << "gkml: " << path.string() << ": skipped, " << why << '\n';
        ++tally_.skipped;
        return {};
    }

    std::expected<void, Error> count(const std::expected<std::optional<Snapshot>, Error>& put) {
        if (!put) return std::unexpected(put.error());
        ++(*put ? tally_.added : tally_.unchanged);
        return {};
    }

    Store& store_;
    const Schemas& schemas_;
    CheckContext context_;
    const std::vector<Catalog>& standards_;
    std::string label_;
    Tally tally_;
};

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
        if (auto put = ingest.file(args.units); !put) return report(put.error());
        if (ingest.tally().invalid > 0) return invalid;
    }
    Tally listing;
    auto files = input_files(args.paths, listing);
    const bool progress = ::isatty(STDERR_FILENO);
    for (std::size_t i = 0; i < files.size(); ++i) {
        if (progress) std::cerr << "\r\033[K[" << i + 1 << '/' << files.size() << "] " << files[i].string() << std::flush;
        if (auto done = ingest.file(files[i]); !done) return report(done.error());
    }
    if (progress) std::cerr << "\r\033[K";
    const auto& t = ingest.tally();
    std::cerr << files.size() << " files: " << t.added << " snapshots added, " << t.unchanged << " unchanged, "
              << t.invalid + listing.invalid << " invalid, " << t.skipped << " skipped\n";
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
