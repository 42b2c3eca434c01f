// An OOXML package (a zip of XML parts: .xlsx, .docx) read with bounds: each part and the whole
// unpacked size are capped, so a zip bomb is refused before it fills memory. Internal to lib/.
#pragma once

#include <zip.h>

#include <cstddef>
#include <expected>
#include <memory>
#include <optional>
#include <pugixml.hpp>
#include <string>
#include <string_view>

#include "gkml/error.hpp"

namespace gkml {

struct ZipClose {
    void operator()(zip_t* z) const { zip_discard(z); }
};
struct ZipFileClose {
    void operator()(zip_file_t* f) const { zip_fclose(f); }
};

struct PackageLimits {
    std::size_t max_entry_bytes;
    std::size_t max_total_bytes;
    // Elements (start tags) in one part: each becomes a node of 60–100 bytes when parsed, so 64 MB of
    // `<c/>` would take gigabytes. A national table's sheet has a few thousand.
    std::size_t max_elements = 1'000'000;
};

class Package {
public:
    // `what` names the document in messages: 工作簿, 文档.
    static std::expected<Package, Error> open(std::string_view bytes, std::string file, std::string what, PackageLimits limits) {
        zip_error_t error;
        zip_error_init(&error);
        zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
        zip_t* zip = source ? zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error) : nullptr;
        if (!zip) {
            if (source) zip_source_free(source);
            zip_error_fini(&error);
            return std::unexpected(Error{ErrorKind::invalid_input, "", std::move(file), 0});
        }
        return Package(std::unique_ptr<zip_t, ZipClose>(zip), std::move(file), std::move(what), limits);
    }

    Error refuse(std::string message) const { return Error{ErrorKind::invalid_input, std::move(message), file_, 0}; }

    // A part's text, or an empty optional when the part is absent.
    std::expected<std::optional<std::string>, Error> read(const std::string& name) {
        zip_stat_t stat;
        zip_stat_init(&stat);
        if (zip_stat(zip_.get(), name.c_str(), 0, &stat) != 0) return std::optional<std::string>{};
        const auto too_large = [&] { return refuse(what_ + "的 " + name + " 解压后过大（疑似压缩炸弹） / part too large when unpacked"); };
        if ((stat.valid & ZIP_STAT_SIZE) && (stat.size > limits_.max_entry_bytes || total_ + stat.size > limits_.max_total_bytes))
            return std::unexpected(too_large());
        std::unique_ptr<zip_file_t, ZipFileClose> part(zip_fopen(zip_.get(), name.c_str(), 0));
        if (!part) return std::unexpected(refuse(what_ + "已损坏，无法读取 " + name + " / damaged package"));
        std::string out;
        char buffer[1 << 16];
        for (zip_int64_t n; (n = zip_fread(part.get(), buffer, sizeof buffer)) > 0;) {
            out.append(buffer, std::size_t(n));
            if (out.size() > limits_.max_entry_bytes) return std::unexpected(too_large());
        }
        if (out.size() < stat.size || (stat.valid & ZIP_STAT_SIZE && out.size() != stat.size))
            return std::unexpected(refuse(what_ + "已损坏，" + name + " 不完整 / damaged package"));
        std::size_t elements = 0;
        for (auto at = out.find('<'); at != std::string::npos; at = out.find('<', at + 1))
            if (at + 1 < out.size() && out[at + 1] != '/' && out[at + 1] != '?' && out[at + 1] != '!' && ++elements > limits_.max_elements)
                return std::unexpected(refuse(what_ + "的 " + name + " 中元素超过 " + std::to_string(limits_.max_elements / 10000) +
                                              " 万个，不是一份目录表（疑似构造的文件） / part has too many elements"));
        total_ += out.size();
        return std::optional<std::string>{std::move(out)};
    }

private:
    Package(std::unique_ptr<zip_t, ZipClose> zip, std::string file, std::string what, PackageLimits limits)
        : zip_(std::move(zip)), file_(std::move(file)), what_(std::move(what)), limits_(limits) {}

    std::unique_ptr<zip_t, ZipClose> zip_;
    std::string file_;
    std::string what_;
    PackageLimits limits_;
    std::size_t total_ = 0;
};

// An element's name without its namespace prefix (w:tbl → tbl).
inline std::string_view local_name(pugi::xml_node node) {
    std::string_view name = node.name();
    auto colon = name.find(':');
    return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

}  // namespace gkml
