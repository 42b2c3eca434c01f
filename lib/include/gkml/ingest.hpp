// Ingest: files read, checked and parsed on every core, then put into the store in order by one
// writer. What `gkml ingest` runs and what `gkml serve` runs for an upload: the same checks, the same
// store, nothing printed (what happened comes back as values).
#pragma once

#include <cstddef>
#include <expected>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "gkml/diagnostics.hpp"
#include "gkml/error.hpp"
#include "gkml/ledger.hpp"
#include "gkml/model.hpp"
#include "gkml/store.hpp"
#include "gkml/tabular.hpp"
#include "gkml/units.hpp"
#include "gkml/validate.hpp"

namespace gkml {

// One file read, checked and parsed, waiting to be put into the store.
struct PreparedFile {
    std::string source;  // the path, or the name an upload came under
    std::string hash;
    std::vector<Diagnostic> diagnostics;
    std::optional<Error> refused;  // unreadable, or not readable as what it claims to be
    std::string skipped;           // why it is not for the store
    std::variant<std::monostate, StoredCatalog, std::vector<Ledger>, std::vector<Unit>> content;

    // Nothing refused it, no error among its diagnostics, and it is for the store.
    bool accepted() const;
    // The units whose catalog or ledgers it holds (empty for a registry or a file not accepted).
    std::vector<std::string> units() const;
};

// What putting one file did.
struct PutOutcome {
    std::vector<Snapshot> added;    // new snapshots (none: the same content was already in)
    std::size_t unchanged = 0;      // catalogs or ledgers already ingested with this content
    std::size_t units = 0;          // registry rows put
    std::vector<std::string> warnings;  // worth a look, not wrong (a ledger leaving fewer records in its span)
};

struct IngestTally {
    std::size_t added = 0, unchanged = 0, invalid = 0, skipped = 0;
};

// Prepares files (thread-safe: reads only what it was built with) and puts them (one thread).
class Ingester {
public:
    // `standards`: every standard a catalog may be based on; a catalog is checked against its own.
    Ingester(const Schemas& schemas, CheckContext context, const std::vector<Catalog>& standards)
        : schemas_(schemas), context_(context), standards_(standards) {}

    // A catalog, ledger or units registry as XML, or a ledger CSV (by extension).
    PreparedFile prepare(const std::filesystem::path& path) const;
    // The same from bytes already read; `source` names them and, by its extension, says which.
    PreparedFile prepare(const std::string& bytes, std::string source) const;
    // A unit catalog from the document it was filled in (`gkml import`'s reading: xlsx, csv, html,
    // docx), checked as if it were ingested: every cell that cannot be read is a diagnostic.
    PreparedFile prepare_table(const std::string& bytes, std::string source, std::string_view format,
                               const ImportOptions& options) const;

    // Puts what `file` holds, each catalog and ledger all-or-nothing. A returned error is the
    // store's; a file not accepted puts nothing.
    static std::expected<PutOutcome, Error> put(Store& store, const PreparedFile& file, std::string_view label);

private:
    PreparedFile catalog(PreparedFile out, Catalog catalog) const;
    CheckContext context_of(const Catalog& catalog) const;  // with the standard it is based on

    const Schemas& schemas_;
    CheckContext context_;
    const std::vector<Catalog>& standards_;
};

// The files named: each file as given, each folder's *.xml and *.csv (recursively), sorted, once
// each. A folder that cannot be listed is an error in `unreadable`; the rest are still listed.
std::vector<std::filesystem::path> ingest_inputs(const std::vector<std::filesystem::path>& paths,
                                                 std::vector<Error>& unreadable);

// Told after each file is put, in order: its index, the file, and what it did (null when it was not
// accepted).
using IngestProgress = std::function<void(std::size_t index, const PreparedFile& file, const PutOutcome* outcome)>;

// Prepares the files on every core and puts them in order in batches of about a second. What went in
// before a store error stays in: every file is whole or absent.
std::expected<IngestTally, Error> ingest_files(Store& store, const Ingester& ingester,
                                               const std::vector<std::filesystem::path>& files, std::string_view label,
                                               const IngestProgress& progress = {});

}  // namespace gkml
