#include "gkml/csv.hpp"

#include <unicode/ucnv.h>
#include <unicode/ustring.h>

#include <limits>
#include <memory>

#include "gkml/text.hpp"

namespace gkml {

namespace {

constexpr std::string_view bom = "\xEF\xBB\xBF";

Error invalid(std::string message, std::string_view file, int line = 0) {
    return Error{ErrorKind::invalid_input, std::move(message), std::string{file}, line};
}

bool valid_utf8(std::string_view bytes) {
    UErrorCode status = U_ZERO_ERROR;
    int32_t length = 0;
    u_strFromUTF8(nullptr, 0, &length, bytes.data(), static_cast<int32_t>(bytes.size()), &status);
    return status == U_BUFFER_OVERFLOW_ERROR || U_SUCCESS(status);
}

struct ConverterClose {
    void operator()(UConverter* c) const { ucnv_close(c); }
};

std::expected<std::string, Error> from_gb18030(std::string_view bytes, std::string_view file) {
    auto fail = [&](std::string why) { return std::unexpected(invalid("neither UTF-8 nor GB18030: " + why, file)); };
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<UConverter, ConverterClose> converter(ucnv_open("GB18030", &status));
    if (U_FAILURE(status)) return fail(u_errorName(status));
    ucnv_setToUCallBack(converter.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
    std::u16string wide(bytes.size() + 1, u'\0');
    int32_t n = ucnv_toUChars(converter.get(), reinterpret_cast<UChar*>(wide.data()), static_cast<int32_t>(wide.size()),
                              bytes.data(), static_cast<int32_t>(bytes.size()), &status);
    if (U_FAILURE(status)) return fail(u_errorName(status));
    std::string out(static_cast<std::size_t>(n) * 3, '\0');
    int32_t written = 0;
    u_strToUTF8(out.data(), static_cast<int32_t>(out.size()), &written, reinterpret_cast<const UChar*>(wide.data()), n,
                &status);
    if (U_FAILURE(status)) return fail(u_errorName(status));
    out.resize(static_cast<std::size_t>(written));
    return out;
}

std::string header_key(std::string_view text) {
    std::string out;
    for (char c : fold_width(text)) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
        out += (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
    }
    return out;
}

}  // namespace

std::expected<std::string, Error> decode_text(std::string_view bytes, std::string_view file) {
    if (bytes.size() >= static_cast<std::size_t>(std::numeric_limits<int32_t>::max() / 2))
        return std::unexpected(invalid("file too large to decode", file));
    if (bytes.starts_with(bom) && valid_utf8(bytes.substr(bom.size()))) return std::string{bytes.substr(bom.size())};
    if (valid_utf8(bytes)) return std::string{bytes};
    return from_gb18030(bytes, file);
}

std::expected<std::vector<CsvRow>, Error> parse_csv(std::string_view text, std::string_view file) {
    std::vector<CsvRow> rows;
    CsvRow row;
    std::string cell;
    bool quoted = false, cell_started = false;
    int line = 1, quote_line = 0;
    auto end_cell = [&] {
        row.cells.push_back(std::move(cell));
        cell.clear();
        cell_started = false;
    };
    auto end_row = [&] {
        bool blank = row.cells.size() == 1 && row.cells.front().empty();
        if (!blank) rows.push_back(std::move(row));
        row = CsvRow{};
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (row.line == 0) row.line = line;
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') cell += '"', ++i;
            else if (c == '"') quoted = false;
            else {
                if (c == '\n') ++line;
                if (c != '\r') cell += c;
            }
            continue;
        }
        if (c == '"' && !cell_started) quoted = true, cell_started = true, quote_line = line;
        else if (c == ',') end_cell();
        else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
            end_cell();
            end_row();
            ++line;
        } else cell += c, cell_started = true;
    }
    if (quoted) return std::unexpected(invalid("这一行开始的单元格以英文双引号 \" 开头却没有结尾的引号，其后的内容都会被当成这一格：补上引号，或去掉开头的引号 / unterminated quoted cell", file, quote_line));
    if (cell_started || !row.cells.empty()) {
        end_cell();
        end_row();
    }
    return rows;
}

std::expected<std::vector<CsvRow>, Error> read_csv(std::string_view bytes, std::string_view file) {
    auto text = decode_text(bytes, file);
    if (!text) return std::unexpected(text.error());
    auto rows = parse_csv(*text, file);
    if (rows && rows->empty()) return std::unexpected(Error{ErrorKind::invalid_input, "文件里没有表头行 / no header row", std::string(file), 1});
    return rows;
}

std::string cell_of(const CsvRow& row, std::optional<std::size_t> column) {
    return column && *column < row.cells.size() ? row.cells[*column] : std::string();
}

std::optional<std::size_t> column_of(const std::vector<std::string>& header, std::initializer_list<std::string_view> names) {
    for (std::size_t i = 0; i < header.size(); ++i) {
        auto key = header_key(header[i]);
        for (auto name : names)
            if (key == header_key(name)) return i;
    }
    return std::nullopt;
}

std::string write_csv(const std::vector<std::vector<std::string>>& rows) {
    std::string out{bom};
    for (const auto& row : rows) {
        for (std::size_t i = 0; i < row.size(); ++i) {
            if (i) out += ',';
            const auto& cell = row[i];
            if (cell.find_first_of(",\"\r\n") == std::string::npos) {
                out += cell;
                continue;
            }
            out += '"';
            for (char c : cell) out += c == '"' ? std::string("\"\"") : std::string(1, c);
            out += '"';
        }
        out += "\r\n";
    }
    return out;
}

}  // namespace gkml
