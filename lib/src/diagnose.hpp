// Building diagnostics from a model position: shared by the checks of lib/.
#pragma once

#include <string>

#include "gkml/error.hpp"
#include "gkml/model.hpp"

namespace gkml {

inline Diagnostic diagnose(std::string code, const SourcePos& pos, std::string zh, std::string en, std::string hint,
                           Severity severity = Severity::error) {
    return Diagnostic{std::move(code), severity, pos.file, pos.line, pos.column, std::move(zh), std::move(en),
                      std::move(hint), pos.cell};
}

}  // namespace gkml
