// Diagnostics as the user reads them: compiler-style text, JSON, SARIF 2.1.0.
#pragma once

#include <string>
#include <vector>

#include "gkml/error.hpp"

namespace gkml {

// `file:line:col: error GKML-E012: 中文 (English)` and an indented hint line.
std::string diagnostics_to_text(const std::vector<Diagnostic>& diagnostics);

// A JSON array of {code, severity, file, line, column, message, message_zh, message_en, hint}.
std::string diagnostics_to_json(const std::vector<Diagnostic>& diagnostics);

// SARIF 2.1.0, one run of tool "gkml", for code-scanning services.
std::string diagnostics_to_sarif(const std::vector<Diagnostic>& diagnostics);

}  // namespace gkml
