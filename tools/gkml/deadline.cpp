#include "commands.hpp"

namespace gkml::cli {

void add_deadline(CLI::App& app, int& exit_code) {
    auto* cmd = app.add_subcommand("deadline", "Due date of a 公开时限 text from an anchor date");
    cmd->callback([&exit_code] { exit_code = ok; });
}

}  // namespace gkml::cli
