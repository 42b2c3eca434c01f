// The screen every XML input passes before any parser sees it (validate, ingest, and every command
// that reads a catalog): shared by validate.cpp and xml.cpp.
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>

#include "gkml/error.hpp"

namespace gkml {

// The encoding an XML declaration names ("" when there is no declaration or it names none).
inline std::string_view declared_encoding(std::string_view xml) {
    if (xml.starts_with("\xEF\xBB\xBF")) xml.remove_prefix(3);
    if (!xml.starts_with("<?xml")) return {};
    auto end = xml.find("?>");
    auto decl = xml.substr(0, end);
    auto at = decl.find("encoding");
    if (at == std::string_view::npos) return {};
    auto open = decl.find_first_of("\"'", at);
    if (open == std::string_view::npos) return {};
    auto close = decl.find(decl[open], open + 1);
    if (close == std::string_view::npos) return {};
    return decl.substr(open + 1, close - open - 1);
}

inline bool is_utf8_name(std::string_view name) {
    std::string lower(name);
    std::ranges::transform(lower, lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return lower == "utf-8" || lower == "utf8";
}

// Before parsing: refuse what no catalog needs and every attack uses (DTDs, entity declarations).
inline std::optional<Diagnostic> screen(std::string_view xml, std::string_view file) {
    auto bad = [&](std::string code, std::string zh, std::string en, std::string hint, int line = 1) {
        return Diagnostic{std::move(code), Severity::error, std::string(file), line, 1, std::move(zh), std::move(en),
                          std::move(hint)};
    };
    if (xml.empty())
        return bad("GKML-E002", "文件是空的", "the file is empty", "导出或保存时出错：重新保存该文件，或从备份恢复。");
    if (xml.starts_with("\xFF\xFE") || xml.starts_with("\xFE\xFF") || xml.starts_with(std::string_view("<\0", 2)) ||
        xml.starts_with(std::string_view("\0<", 2)))
        return bad("GKML-E007", "文件是 UTF-16 编码，gkml 只读 UTF-8 的 XML", "the file is UTF-16; gkml reads UTF-8 XML",
                   "用记事本或 WPS 另存为“UTF-8”编码，或：iconv -f UTF-16 -t UTF-8 原文件 > 新文件。");
    if (auto declared = declared_encoding(xml); !declared.empty() && !is_utf8_name(declared))
        return bad("GKML-E007", "文件声明的编码是 " + std::string(declared) + "，gkml 只读 UTF-8 的 XML",
                   "the file declares encoding " + std::string(declared) + "; gkml reads UTF-8 XML",
                   "转换为 UTF-8 并把声明改为 encoding=\"UTF-8\"：iconv -f " + std::string(declared) + " -t UTF-8 原文件 > 新文件。");
    if (xml.find('\0') != std::string_view::npos)
        return bad("GKML-E002", "这是二进制文件，不是 XML", "binary file, not XML",
                   "Excel 工作簿请用 gkml import 导入；这里只接受 XML 目录、台账和单位文件。");
    // The prolog ends where the root element starts; a DOCTYPE can only stand before it.
    std::size_t i = 0;
    while ((i = xml.find('<', i)) != std::string_view::npos && i + 1 < xml.size()) {
        std::string_view rest = xml.substr(i);
        if (rest.starts_with("<!DOCTYPE") || rest.starts_with("<!ENTITY")) {
            int line = 1 + static_cast<int>(std::count(xml.begin(), xml.begin() + static_cast<std::ptrdiff_t>(i), '\n'));
            return bad("GKML-E003", "文件含有 DOCTYPE 或实体声明，出于安全原因拒绝读取",
                       "DOCTYPE or entity declarations are not allowed (they can read other files or explode in size)",
                       "删除 <!DOCTYPE …> 声明；gkml 的文件不需要 DTD。", line);
        }
        if (rest.starts_with("<?")) {
            i = xml.find("?>", i);
        } else if (rest.starts_with("<!--")) {
            i = xml.find("-->", i);
        } else {
            break;
        }
        if (i == std::string_view::npos) break;
        ++i;
    }
    return std::nullopt;
}

}  // namespace gkml
