// One error type for the library, and the diagnostic every check reports.
#pragma once

#include <string>
#include <vector>

namespace gkml {

// What went wrong, in the terms the exit codes of docs/design.md use.
enum class ErrorKind {
    invalid_input,  // exit 2: the user's file or text is wrong
    usage,          // exit 3: the request itself makes no sense
    io,             // exit 4: a file or folder could not be read or written
    database,       // exit 4: the store failed
};

struct Error {
    ErrorKind kind = ErrorKind::invalid_input;
    std::string message;
    std::string file;  // empty when no file is involved
    int line = 0;
};

enum class Severity { error, warning, note };

// One finding of a check: a stable code (GKML-Ennn / GKML-Wnnn), where, and what to do.
struct Diagnostic {
    std::string code;
    Severity severity = Severity::error;
    std::string file;
    int line = 0;
    int column = 0;
    std::string message_zh;
    std::string message_en;
    std::string hint;
    std::string cell;  // a workbook's "sheet!cell" (or a table's cell): shown instead of line and column
    bool operator==(const Diagnostic&) const = default;
};

std::string_view to_string(Severity);

// Exit code of docs/design.md for an error kind.
int exit_code_of(ErrorKind);

bool has_errors(const std::vector<Diagnostic>&);

}  // namespace gkml
