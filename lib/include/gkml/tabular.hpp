// The national table as every tabular format shows it (XLSX, CSV, HTML, Markdown): one column layout,
// the text of each cell, and one reader that maps any table that looks like the national one back to
// items. The cell texts are written so that reading them back gives the same catalog.
#pragma once

#include <expected>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gkml/error.hpp"
#include "gkml/model.hpp"

namespace gkml {

enum class Column {
    seq, id, field_code, field_name, category, name, tertiary, elements, basis, time_limit, subject, channels,
    audience_public, audience_specific, audience_text, proactive, on_request, mode_text, levels, levels_text,
    not_applicable, anchor, status, column_kind, note, evidence, extra
};

struct ColumnHead {
    Column column = Column::extra;
    std::string group;          // the first header row where it spans several columns (公开事项 …), else empty
    std::string label;          // the column's own label
    std::vector<Level> levels;  // Column::levels: the levels the column ticks
    bool operator==(const ColumnHead&) const = default;
};

// Whether a column holds what the standard sets (locked in a workbook) or what the unit fills in.
bool is_unit_column(Column column);

// Columns that hold √ or nothing.
bool is_tick_column(Column column);

// Columns in the order of the national table, then gkml's own; level columns only for the levels the
// catalog's items use; a 领域代码 column first when `with_field` (one table for all fields).
std::vector<ColumnHead> columns_of(const Catalog& catalog, bool with_field);

// The text of each cell of an item's row; `seq` is the 序号 shown.
std::vector<std::string> cells_of(const Item& item, const Field& field, const std::vector<ColumnHead>& columns,
                                  std::size_t seq);

// The catalog's own attributes and fields as (label, value) pairs: a workbook's cover sheet, the
// `#` lines of a CSV file.
using MetaRow = std::pair<std::string, std::string>;
std::vector<MetaRow> meta_rows(const Catalog& catalog);

// Channels of a 公开渠道和载体 cell: ■/□ checklists and their look-alikes (口 ▄ ◆ þ √), plain lists,
// numbered lists, local spellings. A full checklist (10 or more boxes) keeps only the ticked ones;
// a short one is the national form, ■ required and □ optional. Unknown names become `other`.
std::vector<Channel> parse_channels(std::string_view cell);

// A table as read from a sheet, a CSV file or an HTML page: merged cells already spread, so a merged
// cell's text sits in every cell it covers.
struct Grid {
    std::string name;  // sheet name or page title: may name the field
    std::vector<std::vector<std::string>> rows;
    std::size_t first_row = 0;  // rows of the source above rows[0] (a CSV's # lines): cell addresses count them
};

// A locality's own standard catalog, as it publishes it (a Word document, a workbook, a web page),
// read as a kind="standard" catalog based on `ImportOptions::standard` (the national one): rows that
// are a national item take its id, the locality's own rows get local ids (L-FF-N), every item keeps the
// document's wording and is attested by the document (`source`).
struct StandardIdentity {
    std::string id;        // e.g. 230500-standard
    std::string version;   // e.g. 2021
    std::string source;    // where the locality publishes it: an address, or the file's name
    std::string locality;  // e.g. 黑龙江省双鸭山市
};

struct ImportOptions {
    std::string file;                                  // names the source in diagnostics
    const Catalog* standard = nullptr;                 // rows without ids are matched against it
    const std::vector<FieldEntry>* registry = nullptr; // field names and aliases
    std::optional<UnitRef> unit;                       // the unit the catalog belongs to
    std::string field_code;                            // when nothing in the file names the field
    std::optional<StandardIdentity> as_standard;       // read as a locality's standard, not a unit's catalog
};

struct Imported {
    Catalog catalog;
    std::vector<Diagnostic> diagnostics;  // every cell that could not be mapped, with its address
    std::vector<std::string> local_items; // ids given to rows matching no standard item
};

// `A1`-style address of a cell (row and column from 0).
std::string cell_address(std::size_t row, std::size_t column);

// Reads the catalog of tables that look like the national one. `meta` restores what meta_rows wrote.
// An error when no table has a recognizable header.
std::expected<Imported, Error> catalog_from_grids(const std::vector<Grid>& grids, const std::vector<MetaRow>& meta,
                                                  const ImportOptions& options);

// The catalog as one CSV table (UTF-8 with BOM): `#label,value` lines (meta_rows), the header, one row per
// item with its 领域代码. Reading takes UTF-8 with or without BOM, or GB18030.
std::string catalog_to_csv(const Catalog& catalog);
std::expected<Imported, Error> catalog_from_csv(std::string_view bytes, const ImportOptions& options);

// One Markdown table per field, with the catalog's title and attributes above.
std::string markdown_of(const Catalog& catalog);

// The table format a file's name says: "xlsx", "csv", "html" (.htm too) or "docx"; empty for any other.
std::string table_format_of(const std::filesystem::path& file);

// A table of one of those formats, read as its reader reads it (catalog_from_xlsx, _csv, _html, _docx).
std::expected<Imported, Error> import_table(std::string_view bytes, std::string_view format, const ImportOptions& options);

}  // namespace gkml
