#include <iostream>

#include "commands.hpp"

int main(int argc, char** argv) {
    CLI::App app{"gkml: 基层政务公开标准目录 toolkit"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "gkml 0.1.0");
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
