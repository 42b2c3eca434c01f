// Chinese text as data: display width in a terminal, and the folding used to compare names.
#pragma once

#include <string>
#include <string_view>

namespace gkml {

// Columns the text takes in a terminal: East Asian wide and full-width characters count two.
int display_width(std::string_view utf8);

// Cuts the text to at most `columns` display columns, ending with "…" when it had to cut.
std::string truncate_to_width(std::string_view utf8, int columns);

// Full-width ASCII forms (０-９, Ａ-Ｚ, （）…) folded to half-width, ideographic space to space (NFKC on
// the full-width block only: Chinese punctuation such as 、。《》 is kept).
std::string fold_width(std::string_view utf8);

// Text made safe inside HTML content and quoted attributes (& < > "); line breaks become <br> when asked,
// so a cell's line breaks show as the clerk typed them.
std::string escape_html(std::string_view text, bool line_breaks = false);

}  // namespace gkml
