// gkml users add|passwd|list|remove: the accounts of gkml serve. A password is read from the
// terminal with echo off (twice), or as one line of standard input when that is not a terminal;
// never from the command line, where other users of the machine could read it.
#include <algorithm>
#include <cctype>
#include <iostream>
#include <string>

#include <termios.h>
#include <unistd.h>

#include "commands.hpp"
#include "gkml/accounts.hpp"
#include "gkml/store.hpp"

namespace gkml::cli {

namespace {

struct UsersArgs {
    std::filesystem::path db, units;
    std::string name, role = "township", unit;
};

// One line from standard input, echo off when it is a terminal.
std::optional<std::string> read_line(bool terminal, std::string_view prompt) {
    termios saved{};
    if (terminal) {
        std::cerr << prompt << std::flush;
        tcgetattr(STDIN_FILENO, &saved);
        termios quiet = saved;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    std::string line;
    const bool read = static_cast<bool>(std::getline(std::cin, line));
    if (terminal) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        std::cerr << '\n';
    }
    if (!read) return std::nullopt;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

// The hash of a new password for `name`, read and checked against the rules; an error when it is refused.
std::expected<std::string, Error> new_password_hash(std::string_view name) {
    const bool terminal = isatty(STDIN_FILENO) != 0;
    auto password = read_line(terminal, "新口令 (new password, at least 10 characters): ");
    if (!password) return std::unexpected(Error{ErrorKind::usage, "没有读到口令 / no password on standard input", "", 0});
    if (auto problem = password_problem(name, *password)) return std::unexpected(Error{ErrorKind::usage, *problem, "", 0});
    if (terminal) {
        auto again = read_line(terminal, "再输一次 (again): ");
        if (!again || *again != *password) return std::unexpected(Error{ErrorKind::usage, "两次输入的口令不一致 / the passwords differ", "", 0});
    }
    return hash_password(*password);
}

std::expected<Store, Error> open_store(const UsersArgs& args) {
    auto store = Store::open(args.db);
    if (!store) return store;
    if (!args.units.empty()) {
        auto units = read_units(args.units);
        if (!units) return std::unexpected(units.error());
        if (auto put = store->put_units(*units); !put) return std::unexpected(put.error());
    }
    return store;
}

int run_add(const UsersArgs& args) {
    auto role = parse_role(args.role);
    if (!role) return report(Error{ErrorKind::usage, "--role 是 township、county 或 admin / --role is township, county or admin", "", 0});
    if (args.name.empty() || args.name.size() > 64 ||
        !std::ranges::all_of(args.name, [](unsigned char c) { return std::isalnum(c) || c == '.' || c == '_' || c == '-'; }))
        return report(Error{ErrorKind::usage, "账号名用字母、数字、. _ -，不超过 64 个 / a name is letters, digits, . _ - (at most 64)", "", 0});
    if ((*role == Role::admin) != args.unit.empty())
        return report(Error{ErrorKind::usage, *role == Role::admin ? "管理员账号不属于某个单位，不要 --unit / an admin has no --unit"
                                                                   : "乡镇和县级账号要用 --unit 指明单位代码 / give the account's --unit",
                            "", 0});
    auto store = open_store(args);
    if (!store) return report(store.error());
    if (*role != Role::admin) {
        auto units = store->units();
        if (!units) return report(units.error());
        if (std::ranges::find(*units, args.unit, &Unit::code) == units->end())
            return report(Error{ErrorKind::usage, "单位名录中没有 " + args.unit + "：先用 --units 导入单位名录 / the unit is not in the registry (give --units FILE)", "", 0});
    }
    auto existing = store->account(args.name);
    if (!existing) return report(existing.error());
    if (*existing) return report(Error{ErrorKind::usage, "已有账号 " + args.name + "：改口令用 gkml users passwd / the account exists", "", 0});
    auto hash = new_password_hash(args.name);
    if (!hash) return report(hash.error());
    if (auto put = store->put_account(Account{args.name, *role, args.unit, *hash, ""}); !put) return report(put.error());
    std::cerr << "gkml: 账号 " << args.name << " 已建立 (" << to_string(*role) << (args.unit.empty() ? "" : " " + args.unit) << ")\n";
    return ok;
}

int run_passwd(const UsersArgs& args) {
    auto store = open_store(args);
    if (!store) return report(store.error());
    auto account = store->account(args.name);
    if (!account) return report(account.error());
    if (!*account) return report(Error{ErrorKind::usage, "没有账号 " + args.name + " / no such account", "", 0});
    auto hash = new_password_hash(args.name);
    if (!hash) return report(hash.error());
    (*account)->pwhash = *hash;
    if (auto put = store->put_account(**account); !put) return report(put.error());
    std::cerr << "gkml: " << args.name << " 的口令已更改，已登录的会话随即失效 (password changed; its sessions end at once)\n";
    return ok;
}

int run_list(const UsersArgs& args) {
    auto store = open_store(args);
    if (!store) return report(store.error());
    auto accounts = store->accounts();
    if (!accounts) return report(accounts.error());
    for (const auto& a : *accounts) std::cout << a.name << '\t' << to_string(a.role) << '\t' << a.unit << '\t' << a.created << '\n';
    return ok;
}

int run_remove(const UsersArgs& args) {
    auto store = open_store(args);
    if (!store) return report(store.error());
    auto removed = store->remove_account(args.name);
    if (!removed) return report(removed.error());
    if (!*removed) return report(Error{ErrorKind::usage, "没有账号 " + args.name + " / no such account", "", 0});
    std::cerr << "gkml: 账号 " << args.name << " 已删除；它的会话随即失效 (removed; its sessions end at once)\n";
    return ok;
}

}  // namespace

void add_users(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<UsersArgs>();
    auto* users = app.add_subcommand("users", "The accounts of gkml serve: add, passwd, list, remove");
    users->require_subcommand(1);
    auto common = [&](CLI::App* sub) {
        sub->add_option("--db", args->db, "The store gkml serve uses: a SQLite file or a postgresql:// URL")->required();
        sub->add_option("--units", args->units, "A unit registry (XML or CSV) to put into the database first");
    };
    auto* add = users->add_subcommand("add", "Add an account; the password is read from the terminal (or one line of stdin)");
    add->add_option("name", args->name, "The account's name (letters, digits, . _ -)")->required();
    add->add_option("--role", args->role, "township (its own unit), county (every unit under its unit) or admin (all)")
        ->check(CLI::IsMember({"township", "county", "admin"}));
    add->add_option("--unit", args->unit, "The account's unit: its division code in the registry");
    common(add);
    add->callback([args, &exit_code] { exit_code = run_add(*args); });
    auto* passwd = users->add_subcommand("passwd", "Set an account's password (read from the terminal, or one line of stdin)");
    passwd->add_option("name", args->name, "The account")->required();
    common(passwd);
    passwd->callback([args, &exit_code] { exit_code = run_passwd(*args); });
    auto* list = users->add_subcommand("list", "List the accounts: name, role, unit, created (tab-separated)");
    common(list);
    list->callback([args, &exit_code] { exit_code = run_list(*args); });
    auto* remove = users->add_subcommand("remove", "Remove an account");
    remove->add_option("name", args->name, "The account")->required();
    common(remove);
    remove->callback([args, &exit_code] { exit_code = run_remove(*args); });
}

}  // namespace gkml::cli
