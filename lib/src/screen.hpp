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

// What no catalog, ledger or unit registry comes near, and what makes a parser slow beyond measure:
// libxml2 joins a text by re-measuring it (quadratic: 51 MB of text in one element takes minutes)
// and compares each attribute with every earlier one (200 000 attributes: 12 s).
struct XmlLimits {
    std::size_t max_text = std::size_t{1} << 20;  // bytes of text in one element (comments do not split it)
    std::size_t max_attributes = 256;             // on one element
    std::size_t max_depth = 256;                  // elements open at once (libxml2's own limit)
};

// One pass from the root's start tag: text, attributes and nesting counted, not parsed. Markup the
// scan does not understand is left to the parser, which reports it with its line.
inline std::optional<Diagnostic> beyond_limits(std::string_view xml, std::size_t root, std::string_view file,
                                               const XmlLimits& limits = {}) {
    auto refuse = [&](std::size_t at, const std::string& zh, const std::string& en) {
        int line = 1 + static_cast<int>(std::count(xml.begin(), xml.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
        return Diagnostic{"GKML-E008", Severity::error, std::string(file), line, 1, zh, en,
                          "这不像目录、台账或单位文件；请检查是否选错了文件，或文件已被其他程序改坏。", {}};
    };
    auto too_much_text = [&](std::size_t at) {
        auto mb = std::to_string(limits.max_text >> 20);
        return refuse(at, "一个元素中的文字超过 " + mb + " MB", "more than " + mb + " MB of text in one element");
    };
    std::size_t text = 0, depth = 0, i = root;
    const std::size_t n = xml.size();
    while (i < n) {
        if (xml[i] != '<') {
            auto next = std::min(xml.find('<', i), n);
            text += next - i;
            if (text > limits.max_text)
                return too_much_text(i);
            i = next;
            continue;
        }
        std::string_view rest = xml.substr(i);
        if (rest.starts_with("<!--")) {
            i = std::min(xml.find("-->", i + 4), n);
            i = i == n ? n : i + 3;
        } else if (rest.starts_with("<![CDATA[")) {
            auto end = std::min(xml.find("]]>", i + 9), n);
            text += end - (i + 9);
            if (text > limits.max_text)
                return too_much_text(i);
            i = end == n ? n : end + 3;
        } else if (rest.starts_with("<?")) {
            i = std::min(xml.find("?>", i + 2), n);
            i = i == n ? n : i + 2;
        } else {
            // A start or end tag: to its '>' outside quotes, counting attributes by their '='.
            const bool closing = rest.starts_with("</");
            std::size_t attributes = 0, j = i + 1;
            char quote = 0;
            for (; j < n; ++j) {
                char c = xml[j];
                if (quote) {
                    if (c == quote) quote = 0;
                } else if (c == '"' || c == '\'') {
                    quote = c;
                } else if (c == '=') {
                    ++attributes;
                } else if (c == '>') {
                    break;
                }
            }
            if (attributes > limits.max_attributes)
                return refuse(i, "一个元素有 " + std::to_string(attributes) + " 个属性（上限 " +
                                     std::to_string(limits.max_attributes) + "）",
                              std::to_string(attributes) + " attributes on one element (limit " +
                                  std::to_string(limits.max_attributes) + ")");
            const bool empty = j < n && j > i && xml[j - 1] == '/';
            if (closing) {
                if (depth) --depth;
            } else if (!empty && ++depth > limits.max_depth) {
                return refuse(i, "元素嵌套超过 " + std::to_string(limits.max_depth) + " 层",
                              "elements nested deeper than " + std::to_string(limits.max_depth));
            }
            text = 0;
            i = j < n ? j + 1 : n;
        }
    }
    return std::nullopt;
}

// Before parsing: refuse what no catalog needs and every attack uses (DTDs, entity declarations).
inline std::optional<Diagnostic> screen(std::string_view xml, std::string_view file) {
    auto bad = [&](std::string code, std::string zh, std::string en, std::string hint, int line = 1) {
        return Diagnostic{std::move(code), Severity::error, std::string(file), line, 1, std::move(zh), std::move(en),
                          std::move(hint), {}};
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
    if (i == std::string_view::npos) return std::nullopt;  // no root element: the parser says so
    return beyond_limits(xml, i, file);
}

}  // namespace gkml
