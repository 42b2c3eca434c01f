// The options `gkml coverage`, `history`, `report` and `rectify` share, and the audit they open.
#pragma once

#include <CLI/CLI.hpp>

#include "gkml/audit.hpp"

namespace gkml::cli {

struct AuditArgs {
    std::filesystem::path db;
    std::filesystem::path standard;
    AuditScope scope;
};

void add_audit_options(CLI::App& sub, AuditArgs& args);

// The audit the options ask for, measured with `basis` (filled here from the bundled data, or
// --standard): it must outlive the audit.
std::expected<Audit, Error> open_audit(const AuditArgs& args, std::optional<AuditBasis>& basis);

}  // namespace gkml::cli
