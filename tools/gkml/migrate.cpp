// gkml migrate --from FILE.db --to postgresql://…: a county's store moved into a shared one (or back).
#include <iostream>

#include "commands.hpp"
#include "gkml/store.hpp"

namespace gkml::cli {

namespace {

struct MigrateArgs {
    std::filesystem::path from, to;
};

int run_migrate(const MigrateArgs& args) {
    auto from = Store::open_read_only(args.from);
    if (!from) return report(from.error());
    auto to = Store::open(args.to);
    if (!to) return report(to.error());
    auto copied = from->copy_to(*to);
    if (!copied) return report(copied.error());
    std::cerr << "gkml migrate: 已迁入 " << to->location() << "：单位 " << copied->units << " 个，快照 " << copied->snapshots << " 份，记录 "
              << copied->records << " 条，账号 " << copied->accounts << " 个，上传记录 " << copied->uploads << " 条 (" << copied->units
              << " units, " << copied->snapshots << " snapshots, " << copied->records << " records, " << copied->accounts << " accounts, "
              << copied->uploads << " uploads copied)" << std::endl;
    return ok;
}

}  // namespace

void add_migrate(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<MigrateArgs>();
    auto* sub = app.add_subcommand("migrate", "Copy a store into another: a county's SQLite file into a shared PostgreSQL database, or back");
    sub->add_option("--from", args->from, "The store to copy: a SQLite file or a postgresql:// URL (read only)")->required();
    sub->add_option("--to", args->to, "The store to copy into, empty or new: a postgresql:// URL or a SQLite file")->required();
    sub->footer("Everything is copied in one transaction, ids and times kept, so history and trends read the same; kept\n"
                "coverage is computed again by the target. The target must hold no snapshots, uploads or accounts.");
    sub->callback([args, &exit_code] { exit_code = run_migrate(*args); });
}

}  // namespace gkml::cli
