// The unit registry: the county, its townships and departments, by statistical division code, with
// the parent each rolls up to (township → county → city). XML per xsd/units.xsd, or CSV.
#pragma once

#include <expected>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gkml/error.hpp"
#include "gkml/model.hpp"

namespace gkml {

struct Unit {
    std::string code;
    std::string name;
    std::optional<Level> level;  // nullopt: a province, which keeps no catalog of its own
    std::string parent;          // empty: top of the registry
    std::vector<std::string> fields;  // field codes the unit keeps a catalog for; empty: all
    bool operator==(const Unit&) const = default;
};

// A schema-valid units document.
std::expected<std::vector<Unit>, Error> parse_units_xml(std::string_view xml, std::string_view file);

// CSV with a header row: code,name,level,parent (or 代码/区划代码, 名称/单位名称, 层级/级别, 上级/上级代码),
// UTF-8 or GB18030. Levels in English (county) or Chinese (县级, 乡镇 …).
std::expected<std::vector<Unit>, Error> parse_units_csv(std::string_view bytes, std::string_view file);

// By extension: .csv is CSV, anything else XML.
std::expected<std::vector<Unit>, Error> read_units(const std::filesystem::path& file);

// The unit and its parents up the registry, nearest first; a parent missing from `units` ends the chain.
// A unit code as the schemas take it: a 6-, 9- or 12-digit division code, for a department with
// -简称 after it (230522-mzj).
bool is_unit_code(std::string_view code);

std::vector<const Unit*> lineage(const std::vector<Unit>& units, std::string_view code);

// Province levels are not catalog levels; this is the name as units.xsd writes it.
std::string_view level_name(const std::optional<Level>& level);

}  // namespace gkml
