#include "commands.hpp"

namespace gkml::cli {

void add_calendar(CLI::App& app, int& exit_code) {
    auto* cmd = app.add_subcommand("calendar", "Days off and 调休 working days of a year");
    cmd->callback([&exit_code] { exit_code = ok; });
}

void add_workdays(CLI::App& app, int& exit_code) {
    auto* cmd = app.add_subcommand("workdays", "Working days after FROM up to and including TO");
    cmd->callback([&exit_code] { exit_code = ok; });
}

}  // namespace gkml::cli
