#include <unistd.h>

#include <iostream>

#include "commands.hpp"
#include "gkml/diagnostics.hpp"
#include "gkml/ingest.hpp"
#include "gkml/xml.hpp"

namespace gkml::cli {

namespace {

struct IngestArgs {
    std::filesystem::path db;
    std::filesystem::path units;
    std::filesystem::path standard;
    std::vector<std::filesystem::path> paths;
    std::string label;
};

// Prints what one file did, as gkml always has: its diagnostics, why it was refused or skipped, warnings.
void tell(const PreparedFile& file, const PutOutcome* outcome) {
    std::cerr << diagnostics_to_text(file.diagnostics);
    if (file.refused) report(*file.refused);
    if (!file.skipped.empty()) std::cerr << "gkml: " << file.source << ": skipped, " << file.skipped << '\n';
    if (outcome)
        for (const auto& warning : outcome->warnings) std::cerr << "gkml: " << warning << '\n';
}

int run_ingest(const IngestArgs& args) {
    auto schemas = Schemas::compile();
    if (!schemas) return report(schemas.error());
    auto standards = read_catalog_dir(args.standard.empty() ? data_dir() / "catalogs" / "standard" : args.standard);
    if (!standards) return report(standards.error());
    auto registry = read_fields(data_dir() / "catalogs" / "fields.xml");
    auto store = Store::open(args.db);
    if (!store) return report(store.error());
    Ingester ingester(*schemas, CheckContext{registry ? &*registry : nullptr, nullptr}, *standards);
    if (args.units.extension() == ".csv") {
        auto units = read_units(args.units);
        if (!units) return report(units.error());
        if (auto put = store->put_units(*units); !put) return report(put.error());
    } else if (!args.units.empty()) {
        auto prepared = ingester.prepare(args.units);
        tell(prepared, nullptr);
        if (!prepared.accepted()) return invalid;
        if (auto put = Ingester::put(*store, prepared, args.label); !put) return report(put.error());
    }
    std::vector<Error> unlisted;
    auto files = ingest_inputs(args.paths, unlisted);
    for (const auto& e : unlisted) report(e);
    const bool progress = ::isatty(STDERR_FILENO);
    auto tally = ingest_files(*store, ingester, files, args.label, [&](std::size_t i, const PreparedFile& file, const PutOutcome* outcome) {
        if (progress) std::cerr << "\r\033[K";
        tell(file, outcome);
        if (progress) std::cerr << '[' << i + 1 << '/' << files.size() << "] " << file.source << std::flush;
    });
    if (progress) std::cerr << "\r\033[K";
    if (!tally) return report(tally.error());
    const auto& t = *tally;
    const auto bad = t.invalid + unlisted.size();
    std::cerr << files.size() << " 个文件：新增 " << t.added << " 份，未变 " << t.unchanged << " 份，无效 " << bad << " 份，跳过 "
              << t.skipped << " 份 (" << files.size() << " files: " << t.added << " snapshots added, " << t.unchanged
              << " unchanged, " << bad << " invalid, " << t.skipped << " skipped)\n";
    return bad > 0 ? invalid : ok;
}

}  // namespace

void add_ingest(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<IngestArgs>();
    auto* sub = app.add_subcommand("ingest", "Validate unit catalogs and ledgers and put them into the database");
    sub->add_option("--db", args->db, "The store: a SQLite file (created if needed) or a postgresql:// URL")->required();
    sub->add_option("--units", args->units, "A units registry (XML or CSV) to load first");
    sub->add_option("--standard", args->standard, "Folder of the standard catalogs (default: catalogs/standard)");
    sub->add_option("--label", args->label, "A name for this ingest run, shown in history and the report's trend (e.g. 2025年中自查)");
    sub->add_option("paths", args->paths, "Files or folders (recursively *.xml, *.csv)")->required();
    sub->footer("An invalid file is reported and skipped; the rest goes in (exit 2). Re-ingesting a file changes nothing.");
    sub->callback([args, &exit_code] { exit_code = run_ingest(*args); });
}

}  // namespace gkml::cli
