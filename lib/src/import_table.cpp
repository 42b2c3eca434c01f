#include <algorithm>

#include "gkml/docx.hpp"
#include "gkml/html.hpp"
#include "gkml/tabular.hpp"
#include "gkml/xlsx.hpp"

namespace gkml {

std::string table_format_of(const std::filesystem::path& file) {
    auto extension = file.extension().string();
    std::ranges::transform(extension, extension.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (extension == ".xlsx") return "xlsx";
    if (extension == ".csv") return "csv";
    if (extension == ".html" || extension == ".htm") return "html";
    if (extension == ".docx") return "docx";
    return "";
}

std::expected<Imported, Error> import_table(std::string_view bytes, std::string_view format, const ImportOptions& options) {
    if (format == "xlsx") return catalog_from_xlsx(bytes, options);
    if (format == "csv") return catalog_from_csv(bytes, options);
    if (format == "html") return catalog_from_html(bytes, options);
    if (format == "docx") return catalog_from_docx(bytes, options);
    return std::unexpected(Error{ErrorKind::usage, "表格格式只能是 xlsx、csv、html 或 docx / the format is xlsx, csv, html or docx", options.file, 0});
}

}  // namespace gkml
