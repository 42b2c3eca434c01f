// Validation: the XSD of each document (libxml2), then the rules a schema cannot express.
#pragma once

#include <expected>
#include <filesystem>
#include <memory>
#include <string_view>
#include <vector>

#include "gkml/error.hpp"
#include "gkml/model.hpp"
#include "gkml/xml.hpp"

namespace gkml {

// The schemas of xsd/, compiled once and shared; each validation uses its own context, so one
// Schemas value serves every thread.
class Schemas {
public:
    static std::expected<Schemas, Error> compile();

    // Well-formedness (no DTD, no entities, no network), then the schema the root names.
    // `kind` is filled with what the document turned out to be.
    // A plainly valid ledger (parse_plainly_valid_ledger) is passed without libxml2.
    std::vector<Diagnostic> check(std::string_view xml, std::string_view file, DocumentKind& kind) const;

    // The same, always through libxml2's XSD validation: the reference the fast path is tested against.
    std::vector<Diagnostic> check_with_xsd(std::string_view xml, std::string_view file, DocumentKind& kind) const;

    struct Compiled;

private:
    explicit Schemas(std::shared_ptr<const Compiled> compiled) : compiled_(std::move(compiled)) {}
    std::shared_ptr<const Compiled> compiled_;
};

// What the semantic checks know beyond the file itself.
struct CheckContext {
    const std::vector<FieldEntry>* registry = nullptr;  // catalogs/fields.xml
    const Catalog* standard = nullptr;                  // the catalog `based-on` names, joined across its files
};

// Rules within one catalog file (and against its standard, when the context has it).
std::vector<Diagnostic> check_catalog(const Catalog& catalog, const CheckContext& context);

// Rules across the files of one catalog set (same id and version): ids unique, anchors and
// replacements resolve.
std::vector<Diagnostic> check_catalog_set(const std::vector<const Catalog*>& files);

// What gkml checks before it writes a catalog: the schema, then the rules of check_catalog. Findings
// inside an item point at where the item came from (a workbook's sheet!cell, a source file's line);
// others at `file`'s lines as `xml` would be written. An error means the file would fail
// `gkml validate`; the caller writes nothing.
std::vector<Diagnostic> check_before_writing(const Catalog& catalog, std::string_view xml, std::string_view file,
                                             const Schemas& schemas, const CheckContext& context);

struct ValidateOptions {
    std::filesystem::path standard_dir;  // where `based-on` is looked up when no input provides it
    std::filesystem::path fields_file;   // the field registry; empty: not checked against it
    unsigned threads = 0;                // 0: all cores
};

struct ValidateReport {
    std::vector<Diagnostic> diagnostics;  // sorted by file, line, column, code
    std::size_t files = 0;
};

// Validates files and folders (recursively, *.xml), in parallel.
ValidateReport validate_paths(const std::vector<std::filesystem::path>& paths, const ValidateOptions& options,
                              const Schemas& schemas);

}  // namespace gkml
