// Catalogs as web pages: reading the tables localities publish (gumbo), and writing one self-contained
// page styled like the national table, printable on A4 landscape.
#pragma once

#include <cstddef>
#include <expected>
#include <string>
#include <string_view>

#include "gkml/error.hpp"
#include "gkml/model.hpp"
#include "gkml/tabular.hpp"

namespace gkml {

// Every table of the page (UTF-8 or GB18030) with its rowspans and colspans spread; a table is named by
// its caption or the heading above it, then the page title, which is where the field is usually named.
// Tables of two columns without a catalog header give the catalog's attributes.
std::expected<Imported, Error> catalog_from_html(std::string_view bytes, const ImportOptions& options,
                                                 std::size_t max_bytes = 32u << 20);

std::string catalog_to_html(const Catalog& catalog);

}  // namespace gkml
