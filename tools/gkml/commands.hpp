// The subcommands of `gkml`: each file registers its own options and maps results to exit codes.
#pragma once

#include <CLI/CLI.hpp>

#include <expected>
#include <filesystem>
#include <string>

#include "gkml/error.hpp"
#include "gkml/model.hpp"

namespace gkml::cli {

// Exit codes of docs/design.md.
enum Exit : int { ok = 0, differs = 1, invalid = 2, usage = 3, io = 4 };

// Where the bundled data (catalogs/, xsd/) lives: $GKML_HOME, else share/gkml beside the installed
// binary (bin/../share/gkml, wherever the package was unpacked), else the source tree a binary in a
// build tree links to (gkml-data beside it).
std::filesystem::path data_dir();

// Prints an error the way every subcommand does and returns its exit code.
int report(const Error& error);

// Each registers one subcommand; the callback stores its exit code in `exit_code`.
void add_validate(CLI::App& app, int& exit_code);
void add_fields(CLI::App& app, int& exit_code);
void add_show(CLI::App& app, int& exit_code);
void add_format(CLI::App& app, int& exit_code);
void add_deadline(CLI::App& app, int& exit_code);
void add_calendar(CLI::App& app, int& exit_code);
void add_workdays(CLI::App& app, int& exit_code);
void add_stats(CLI::App& app, int& exit_code);
void add_diff(CLI::App& app, int& exit_code);
void add_merge(CLI::App& app, int& exit_code);
void add_merge_driver(CLI::App& app, int& exit_code);
void add_ingest(CLI::App& app, int& exit_code);
void add_coverage(CLI::App& app, int& exit_code);
void add_history(CLI::App& app, int& exit_code);
void add_report(CLI::App& app, int& exit_code);
void add_rectify(CLI::App& app, int& exit_code);
void add_init(CLI::App& app, int& exit_code);
void add_import(CLI::App& app, int& exit_code);
void add_export(CLI::App& app, int& exit_code);
void add_template(CLI::App& app, int& exit_code);
void add_serve(CLI::App& app, int& exit_code);
void add_users(CLI::App& app, int& exit_code);
void add_migrate(CLI::App& app, int& exit_code);

// The standard catalog set of a folder (default: the bundled catalogs/standard), joined into one.
std::expected<Catalog, Error> load_standard(const std::filesystem::path& folder);

// A catalog file, or a folder holding one catalog set (the files of a standard, one per field).
std::expected<Catalog, Error> read_catalog_or_folder(const std::filesystem::path& path);

// The standard `catalog` is based on, among the standards of `folder` (default: the bundled ones);
// nothing when it names none or the folder lacks it.
std::expected<std::optional<Catalog>, Error> standard_of(const Catalog& catalog, const std::filesystem::path& folder);

// Writes a catalog only when it passes what `gkml validate` checks (schema and rules, against
// `standard` when given): otherwise prints the errors, writes nothing and returns `invalid`.
int write_checked(const std::filesystem::path& out, const Catalog& catalog, const Catalog* standard = nullptr);

// A unit by its code: name and level from the registry when one is given, else from `name` and `level`.
std::expected<UnitRef, Error> unit_of(const std::string& code, const std::filesystem::path& units,
                                      const std::string& name, const std::string& level);

}  // namespace gkml::cli
