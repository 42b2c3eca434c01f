#include "gkml/error.hpp"

#include <algorithm>

namespace gkml {

std::string_view to_string(Severity s) {
    switch (s) {
        case Severity::error: return "error";
        case Severity::warning: return "warning";
        case Severity::note: return "note";
    }
    return "error";
}

int exit_code_of(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::invalid_input: return 2;
        case ErrorKind::usage: return 3;
        case ErrorKind::io:
        case ErrorKind::database: return 4;
    }
    return 2;
}

bool has_errors(const std::vector<Diagnostic>& diagnostics) {
    return std::ranges::any_of(diagnostics, [](const Diagnostic& d) { return d.severity == Severity::error; });
}

}  // namespace gkml
