// The catalog as an Excel/WPS workbook, and back: a cover sheet with the catalog's attributes and
// instructions, then one sheet per field laid out like the national table.
#pragma once

#include <cstddef>
#include <expected>
#include <filesystem>
#include <string>
#include <string_view>

#include "gkml/error.hpp"
#include "gkml/model.hpp"
#include "gkml/tabular.hpp"

namespace gkml {

// The workbook's bytes. The standard's columns are locked (protection without a password), the
// unit's columns open; drop-downs on the √ columns; frozen headers.
// `scratch_folder` holds the workbook while it is written (libxlsxwriter writes to a path): the target's
// folder, so a run killed half-way leaves nothing in /tmp and the next export there removes it.
std::expected<std::string, Error> catalog_to_xlsx(const Catalog& catalog,
                                                  const std::filesystem::path& scratch_folder = std::filesystem::temp_directory_path());

// What a workbook may hold before it is refused as a zip bomb or a runaway sheet.
struct XlsxLimits {
    std::size_t max_entry_bytes = 64u << 20;  // uncompressed size of one part
    std::size_t max_total_bytes = 256u << 20;
    std::size_t max_rows = 100'000;           // per sheet
    std::size_t max_columns = 256;
    std::size_t max_cells = 1'000'000;         // per sheet, merged ranges spread (a national table: a few thousand)
};

// Any workbook whose sheets look like the national table (merged cells spread); the cover sheet, when
// present, restores the catalog's attributes. Cells that map nowhere are reported by sheet and address.
std::expected<Imported, Error> catalog_from_xlsx(std::string_view bytes, const ImportOptions& options,
                                                 const XlsxLimits& limits = {});

// The same in two steps: the workbook's sheets as grids (merged cells spread, the cover among them),
// then the catalog they hold.
std::expected<std::vector<Grid>, Error> sheets_from_xlsx(std::string_view bytes, const std::string& file,
                                                         const XlsxLimits& limits = {});
std::expected<Imported, Error> catalog_from_sheets(const std::vector<Grid>& sheets, const ImportOptions& options);

}  // namespace gkml
