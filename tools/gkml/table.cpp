#include "table.hpp"

#include <algorithm>

#include "gkml/text.hpp"

namespace gkml::cli {

std::string render_table(const std::vector<Column>& columns, const std::vector<std::vector<std::string>>& rows) {
    std::vector<int> widths;
    for (const auto& c : columns) widths.push_back(std::min(display_width(c.title), c.max_width));
    for (const auto& row : rows)
        for (std::size_t i = 0; i < columns.size() && i < row.size(); ++i)
            widths[i] = std::max(widths[i], std::min(display_width(row[i]), columns[i].max_width));
    auto line = [&](const std::vector<std::string>& cells) {
        std::string out;
        for (std::size_t i = 0; i < columns.size(); ++i) {
            std::string cell = truncate_to_width(i < cells.size() ? cells[i] : "", columns[i].max_width);
            out += cell;
            if (i + 1 < columns.size()) out += std::string(static_cast<std::size_t>(widths[i] - display_width(cell) + 2), ' ');
        }
        while (!out.empty() && out.back() == ' ') out.pop_back();
        return out + "\n";
    };
    std::vector<std::string> titles;
    for (const auto& c : columns) titles.push_back(c.title);
    std::string out = line(titles);
    std::vector<std::string> rules;
    for (int w : widths) rules.push_back(std::string(static_cast<std::size_t>(w), '-'));
    out += line(rules);
    for (const auto& row : rows) out += line(row);
    return out;
}

}  // namespace gkml::cli
