// A plain terminal table whose columns line up with Chinese text (two columns per wide character).
#pragma once

#include <string>
#include <vector>

namespace gkml::cli {

struct Column {
    std::string title;
    int max_width;  // cells wider than this are cut with "…"
};

std::string render_table(const std::vector<Column>& columns, const std::vector<std::vector<std::string>>& rows);

}  // namespace gkml::cli
