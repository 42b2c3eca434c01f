// Runs the real `gkml` binary the way a user does, and captures what it prints.
#pragma once

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <vector>

namespace gkml::test {

struct Run {
    int exit_code = -1;
    std::string out;
    std::string err;
};

inline std::string quote(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

inline std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline void spit(const std::filesystem::path& p, const std::string& content) {
    std::ofstream(p, std::ios::binary) << content;
}

// `args` are passed to gkml, each quoted; the working folder is the source tree. `bounds` go before
// the command (ulimit, timeout): a reader that runs away then fails instead of taking the machine.
inline Run run_gkml(const std::vector<std::string>& args, const std::string& bounds = "") {
    static int counter = 0;
    auto dir = std::filesystem::temp_directory_path() / ("gkml-cli-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto out = dir / ("out" + std::to_string(++counter));
    auto err = dir / ("err" + std::to_string(counter));
    std::string command = "cd " + quote(GKML_SOURCE_DIR) + " && " + bounds + " GKML_HOME=" + quote(GKML_SOURCE_DIR) + " " + quote(GKML_BINARY);
    for (const auto& a : args) command += " " + quote(a);
    command += " >" + quote(out.string()) + " 2>" + quote(err.string()) + " </dev/null";
    int status = std::system(command.c_str());
    Run run;
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    run.out = slurp(out);
    run.err = slurp(err);
    return run;
}

inline std::filesystem::path source(const std::string& relative) { return std::filesystem::path(GKML_SOURCE_DIR) / relative; }

}  // namespace gkml::test
