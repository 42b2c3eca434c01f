// Catalog XML (urn:gkml:catalog:1): a reader that keeps positions, and a canonical, deterministic writer.
#pragma once

#include <expected>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "gkml/error.hpp"
#include "gkml/model.hpp"

namespace gkml {

inline constexpr std::string_view catalog_ns = "urn:gkml:catalog:1";
inline constexpr std::string_view ledger_ns = "urn:gkml:ledger:1";
inline constexpr std::string_view units_ns = "urn:gkml:units:1";
inline constexpr std::string_view calendar_ns = "urn:gkml:calendar:1";

// What a document is, told by its root element and namespace.
enum class DocumentKind { catalog, fields, ledger, units, calendar, unknown };

struct RootInfo {
    DocumentKind kind = DocumentKind::unknown;
    std::string name;       // local name of the root element
    std::string namespace_; // its namespace URI
};

// Looks at the root element only; cheap enough to run on every file of a folder.
RootInfo root_of(std::string_view xml);

// Reads a catalog. `file` names the source in positions and errors. The text is expected to be
// schema-valid; what is not gives an Error with the line.
std::expected<Catalog, Error> parse_catalog(std::string_view xml, std::string_view file);
// A catalog gkml wrote into its store (write_catalog's canonical form, checked when it went in): not
// screened again, and without source positions (lines of the stored text mean nothing to a user).
std::expected<Catalog, Error> parse_stored_catalog(std::string_view xml, std::string_view file);
std::expected<Catalog, Error> read_catalog(const std::filesystem::path& file);

// The canonical form: fixed element and attribute order, two-space indent, defaults omitted,
// UTF-8 text byte-exact. Two writes of equal catalogs give the same bytes.
std::string write_catalog(const Catalog& catalog);

std::expected<std::vector<FieldEntry>, Error> parse_fields(std::string_view xml, std::string_view file);
std::expected<std::vector<FieldEntry>, Error> read_fields(const std::filesystem::path& file);

// Reads every catalog file of a folder (sorted by name) into one catalog per (id, version) set:
// the fields of all its files in file order. The standard is such a set.
std::expected<std::vector<Catalog>, Error> read_catalog_dir(const std::filesystem::path& folder);

// Merges catalogs of one set (same id and version) into one, fields in order.
Catalog join_catalogs(std::vector<Catalog> parts);

}  // namespace gkml
