#include <cstdlib>
#include <iostream>

#include "commands.hpp"

namespace gkml::cli {

std::filesystem::path data_dir() {
    if (const char* home = std::getenv("GKML_HOME"); home && *home) return home;
    return GKML_DATA_DIR;
}

int report(const Error& error) {
    std::cerr << "gkml: ";
    if (!error.file.empty()) {
        std::cerr << error.file;
        if (error.line > 0) std::cerr << ':' << error.line;
        std::cerr << ": ";
    }
    std::cerr << error.message << '\n';
    return exit_code_of(error.kind);
}

}  // namespace gkml::cli
