// Starting catalogs: a unit's catalog derived from the standard or from a pilot team's template, and a
// template made from a unit's finished catalog (可复制可推广).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "gkml/model.hpp"

namespace gkml {

// The items of `source` (a standard or a template) at the unit's level, active ones only, in the
// source's order: subjects stay the source's roles, evidence and remarks of the source are dropped,
// local items of a template are kept. `fields` limits the fields (empty: all). Based on the standard
// the source names (a standard names itself).
Catalog unit_catalog_from(const Catalog& source, const UnitRef& unit, const std::vector<std::string>& fields = {});

// Who a level's unit is, as the national tables name the role (乡镇政府（街道办事处） …).
std::string_view role_of(Level level);

// A unit's name, contact telephone numbers and addresses in a text replaced by roles and placeholders.
std::string generalize_text(std::string_view text, const UnitRef& unit);

// The unit's own government as its texts name it: 友谊镇 → 友谊镇人民政府, 西城街道 → 西城街道办事处; a name
// that already is one (友谊县民政局) stays.
std::string government_of(const UnitRef& unit);

// A template's text made the unit's again: the role becomes the unit's government, （单位名称） its name.
std::string specialize_text(std::string_view text, const UnitRef& unit);

// The unit's catalog as a template: unit and not-applicable markings removed, subjects of standard
// items back to the standard's roles (`standard` may be null: then only generalized), every text
// generalized, local items kept and marked as suggestions, the source unit and catalog recorded.
Catalog template_from(const Catalog& unit_catalog, const Catalog* standard);

}  // namespace gkml
