#include <algorithm>
#include <iostream>
#include <string_view>
#include <vector>

#include "commands.hpp"
#include "gkml/version.hpp"

namespace {

// Edits (insert, delete, replace, swap two neighbours) that turn `a` into `b`.
std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i)
        for (std::size_t j = 1; j <= b.size(); ++j) {
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[a.size()][b.size()];
}

// The commands a mistyped one probably meant: those it begins, or within two edits of it.
std::vector<std::string> suggestions(const CLI::App& app, std::string_view typed) {
    std::vector<std::string> near;
    for (const auto* sub : app.get_subcommands({})) {
        const auto& name = sub->get_name();
        if ((typed.size() >= 2 && name.starts_with(typed)) || edit_distance(typed, name) <= std::min<std::size_t>(2, name.size() / 2))
            near.push_back(name);
    }
    return near;
}

// Says that `typed` is no command, with what it may have meant; returns the usage exit code.
int unknown_command(const CLI::App& app, std::string_view typed) {
    std::cerr << "gkml: 没有 " << typed << " 这个命令 (no such command).";
    auto near = suggestions(app, typed);
    if (!near.empty()) {
        std::cerr << " 是不是要用 (did you mean):";
        for (const auto& name : near) std::cerr << " gkml " << name;
    }
    std::cerr << "\n全部命令 (all commands): gkml help\n";
    return gkml::cli::usage;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"gkml: 基层政务公开标准目录 toolkit"};
    app.name("gkml");
    app.require_subcommand(1);
    app.set_version_flag("--version", "gkml " + std::string(gkml::version));
    int exit_code = gkml::cli::ok;
    gkml::cli::add_validate(app, exit_code);
    gkml::cli::add_fields(app, exit_code);
    gkml::cli::add_show(app, exit_code);
    gkml::cli::add_format(app, exit_code);
    gkml::cli::add_deadline(app, exit_code);
    gkml::cli::add_calendar(app, exit_code);
    gkml::cli::add_workdays(app, exit_code);
    gkml::cli::add_stats(app, exit_code);
    gkml::cli::add_diff(app, exit_code);
    gkml::cli::add_merge(app, exit_code);
    gkml::cli::add_merge_driver(app, exit_code);
    gkml::cli::add_ingest(app, exit_code);
    gkml::cli::add_coverage(app, exit_code);
    gkml::cli::add_history(app, exit_code);
    gkml::cli::add_report(app, exit_code);
    gkml::cli::add_rectify(app, exit_code);
    gkml::cli::add_init(app, exit_code);
    gkml::cli::add_import(app, exit_code);
    gkml::cli::add_export(app, exit_code);
    gkml::cli::add_template(app, exit_code);
    gkml::cli::add_serve(app, exit_code);
    gkml::cli::add_users(app, exit_code);
    gkml::cli::add_migrate(app, exit_code);

    std::string topic;
    auto* help = app.add_subcommand("help", "Show the options of a command (gkml help import), or list the commands");
    help->add_option("command", topic, "The command");
    help->callback([&] {
        if (topic.empty()) {
            std::cout << app.get_formatter()->make_help(&app, "gkml", CLI::AppFormatMode::Normal);
            return;
        }
        try {
            std::cout << app.get_subcommand(topic)->help("gkml");
        } catch (const CLI::OptionNotFound&) {
            exit_code = unknown_command(app, topic);
        }
    });

    // Set after the commands are added, which would otherwise each inherit it.
    app.footer(
        "gkml help COMMAND (or gkml COMMAND --help) shows a command's options.\n"
        "\n"
        "Exit status: 0 ok; 1 differs (diff, a coverage threshold, a merge conflict); 2 invalid input\n"
        "(every finding printed with its file and line or sheet!cell); 3 usage; 4 a file or the database\n"
        "could not be read or written.\n"
        "\n"
        "Environment: GKML_HOME, the folder holding catalogs/ (the field registry, the standard catalogs,\n"
        "the holiday calendar); by default share/gkml beside the installed program (/usr/share/gkml).");

    if (argc > 1) {
        std::string_view first = argv[1];
        bool known = false;
        for (const auto* sub : app.get_subcommands({})) known = known || sub->get_name() == first;
        if (!first.starts_with('-') && !known) return unknown_command(app, first);
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return gkml::cli::usage;
    }
    return exit_code;
}
