#include "gkml/text.hpp"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

namespace gkml {

namespace {

int width_of(UChar32 c) {
    if (c == 0) return 0;
    if (u_getCombiningClass(c) > 0 || u_charType(c) == U_NON_SPACING_MARK || u_charType(c) == U_ENCLOSING_MARK)
        return 0;
    if (u_iscntrl(c)) return 0;
    auto w = static_cast<UEastAsianWidth>(u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH));
    return (w == U_EA_WIDE || w == U_EA_FULLWIDTH) ? 2 : 1;
}

template <typename F>
void for_each_char(std::string_view s, F&& f) {
    int32_t i = 0;
    const auto* bytes = reinterpret_cast<const uint8_t*>(s.data());
    const auto length = static_cast<int32_t>(s.size());
    while (i < length) {
        int32_t start = i;
        UChar32 c;
        U8_NEXT(bytes, i, length, c);
        if (!f(c, s.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(i - start)))) return;
    }
}

void append_utf8(std::string& out, UChar32 c) {
    char buffer[4];
    int32_t n = 0;
    UBool error = false;
    U8_APPEND(reinterpret_cast<uint8_t*>(buffer), n, 4, c, error);
    if (!error) out.append(buffer, static_cast<std::size_t>(n));
}

}  // namespace

int display_width(std::string_view utf8) {
    int width = 0;
    for_each_char(utf8, [&](UChar32 c, std::string_view) {
        width += c < 0 ? 1 : width_of(c);
        return true;
    });
    return width;
}

std::string truncate_to_width(std::string_view utf8, int columns) {
    if (display_width(utf8) <= columns) return std::string(utf8);
    std::string out;
    int width = 0;
    for_each_char(utf8, [&](UChar32 c, std::string_view bytes) {
        int w = c < 0 ? 1 : width_of(c);
        if (width + w > columns - 1) return false;
        out += bytes;
        width += w;
        return true;
    });
    return out + "…";
}

std::string fold_width(std::string_view utf8) {
    std::string out;
    out.reserve(utf8.size());
    for_each_char(utf8, [&](UChar32 c, std::string_view bytes) {
        if (c >= 0xFF01 && c <= 0xFF5E)
            append_utf8(out, c - 0xFEE0);
        else if (c == 0x3000)
            out += ' ';
        else
            out += bytes;
        return true;
    });
    return out;
}

std::string escape_html(std::string_view text, bool line_breaks) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\n': out += line_breaks ? "<br>" : "\n"; break;
            default: out += c;
        }
    }
    return out;
}

}  // namespace gkml
