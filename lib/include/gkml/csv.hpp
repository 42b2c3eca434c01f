// CSV as spreadsheets and website CMSs export it: UTF-8 or GB18030, RFC 4180 quoting, headers in
// Chinese or English.
#pragma once

#include <expected>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gkml/error.hpp"

namespace gkml {

// Valid UTF-8 (a BOM is dropped) is taken as is; anything else is decoded as GB18030. Bytes that are
// neither give an invalid_input error naming `file`.
std::expected<std::string, Error> decode_text(std::string_view bytes, std::string_view file);

struct CsvRow {
    int line = 0;  // where the row starts, 1-based
    std::vector<std::string> cells;
};

// Rows of a decoded text; quoted cells may hold commas, doubled quotes and line breaks. Blank lines
// are skipped. An unterminated quote is an error with its line.
std::expected<std::vector<CsvRow>, Error> parse_csv(std::string_view text, std::string_view file);

// decode_text, then parse_csv; a file without even a header row is an error.
std::expected<std::vector<CsvRow>, Error> read_csv(std::string_view bytes, std::string_view file);

// The cell of `column` in `row`; empty when there is no such column or the row is shorter.
std::string cell_of(const CsvRow& row, std::optional<std::size_t> column);

// The column whose header is one of `names` (full-width folded, spaces dropped, ASCII case ignored).
std::optional<std::size_t> column_of(const std::vector<std::string>& header, std::initializer_list<std::string_view> names);

// UTF-8 with a BOM and CRLF line ends, as Excel expects; cells quoted only where they must be.
std::string write_csv(const std::vector<std::vector<std::string>>& rows);

}  // namespace gkml
