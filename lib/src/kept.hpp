// Coverage kept in the store (the design's coverage snapshots): a unit's figures and findings as
// coverage_of computed them, packed with cereal's binary archive, under a digest of every input the
// computation read besides the unit's own snapshots. A roll-up then reads one row per unit.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gkml/coverage.hpp"

namespace gkml::kept {

// What the figures of every unit depend on besides the unit and its snapshots: this gkml's figure
// definitions, the standards, the calendar and the options (with the day they are judged on
// resolved). A digest (BLAKE2b, hex) that changes when any of them does.
std::string run_inputs(const std::vector<Catalog>& standards, const Calendar& calendar, const CoverageOptions& options);

// The same, narrowed to one unit's registry row (name, level and fields are read by coverage_of).
// Empty where `run` is: nothing is then kept or read back.
std::string unit_inputs(std::string_view run, const Unit& unit);

std::string pack(const UnitCoverage& coverage);
// nullopt: not a packed coverage of this format (a damaged row is computed again).
std::optional<UnitCoverage> unpack(std::string_view bytes);

}  // namespace gkml::kept
