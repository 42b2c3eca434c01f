// Word documents (.docx), the form most localities publish their standard catalogs in: every table
// of word/document.xml read as a grid, merged cells (gridSpan across, vMerge down) spread, each
// table named by the paragraph above it (the heading that names the field), then read like any
// other table (catalog_from_grids).
#pragma once

#include <expected>
#include <string_view>
#include <vector>

#include "gkml/error.hpp"
#include "gkml/tabular.hpp"
#include "gkml/xlsx.hpp"

namespace gkml {

// Bounded like a workbook: unpacked sizes, rows, columns and the cells merges fill.
std::expected<std::vector<Grid>, Error> tables_from_docx(std::string_view bytes, const std::string& file,
                                                         const XlsxLimits& limits = {});

std::expected<Imported, Error> catalog_from_docx(std::string_view bytes, const ImportOptions& options,
                                                 const XlsxLimits& limits = {});

// True for an OLE compound file: a binary .doc, .xls, .ppt or .wps, which gkml does not read.
bool is_ole_compound(std::string_view bytes);

}  // namespace gkml
