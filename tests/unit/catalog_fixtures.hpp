// The bundled standard and field registry, read once for the tests that import against them.
#pragma once

#include <catch2/catch.hpp>

#include <filesystem>
#include <vector>

#include "gkml/model.hpp"
#include "gkml/xml.hpp"

namespace gkml::test {

inline const Catalog& standard() {
    static const Catalog catalog = [] {
        auto sets = read_catalog_dir(std::filesystem::path(GKML_SOURCE_DIR) / "catalogs" / "standard");
        REQUIRE(sets);
        return sets->front();
    }();
    return catalog;
}

inline const std::vector<FieldEntry>& registry() {
    static const auto fields = *read_fields(std::filesystem::path(GKML_SOURCE_DIR) / "catalogs" / "fields.xml");
    return fields;
}

}  // namespace gkml::test
