#include "gkml/accounts.hpp"

#include <sodium.h>

#include <algorithm>


namespace gkml {

namespace {

bool sodium_ready() {
    static const bool ready = sodium_init() >= 0;
    return ready;
}

}  // namespace

std::expected<std::string, Error> hash_password(std::string_view password) {
    char out[crypto_pwhash_STRBYTES];
    if (!sodium_ready() || crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                             crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return std::unexpected(Error{ErrorKind::io, "内存不足，无法计算口令散列 / not enough memory to hash the password", "", 0});
    return std::string(out);
}

bool verify_password(std::string_view pwhash, std::string_view password) {
    if (!sodium_ready() || pwhash.size() >= crypto_pwhash_STRBYTES) return false;
    std::string stored(pwhash);  // NUL-terminated, as libsodium reads it
    return crypto_pwhash_str_verify(stored.c_str(), password.data(), password.size()) == 0;
}

std::optional<std::string> password_problem(std::string_view name, std::string_view password) {
    constexpr std::size_t shortest = 10;
    auto characters = std::ranges::count_if(password, [](unsigned char c) { return (c & 0xC0) != 0x80; });
    if (static_cast<std::size_t>(characters) < shortest)
        return "口令至少 " + std::to_string(shortest) + " 个字符 / the password needs at least " + std::to_string(shortest) + " characters";
    if (password == name) return std::string("口令不能与账号名相同 / the password must not be the account's name");
    return std::nullopt;
}

std::string random_token() {
    unsigned char bytes[32];
    (void)sodium_ready();
    randombytes_buf(bytes, sizeof bytes);
    char hex[2 * sizeof bytes + 1];
    sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
    return hex;
}

bool same_token(std::string_view a, std::string_view b) {
    return !a.empty() && a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool may_read(const Account& account, const std::vector<Unit>& registry, std::string_view unit) {
    switch (account.role) {
        case Role::admin: return true;
        case Role::township: return !account.unit.empty() && unit == account.unit;
        case Role::county:
            if (account.unit.empty()) return false;
            for (const auto* above : lineage(registry, unit))
                if (above->code == account.unit) return true;
            return false;
    }
    return false;
}

bool may_upload(const Account& account, std::string_view unit) {
    return account.role == Role::township && !account.unit.empty() && unit == account.unit;
}

std::vector<Unit> readable_units(const Account& account, const std::vector<Unit>& registry) {
    std::vector<Unit> out;
    for (const auto& u : registry)
        if (may_read(account, registry, u.code)) out.push_back(u);
    return out;
}

Session Sessions::start(const std::string& account, Clock::time_point now, std::string stamp) {
    Session s{random_token(), account, random_token(), now, std::move(stamp)};
    std::lock_guard lock(mutex_);
    std::erase_if(sessions_, [&](const auto& entry) { return now - entry.second.last_seen > idle_; });
    sessions_[s.id] = s;
    return s;
}

std::optional<Session> Sessions::find(std::string_view id, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    auto it = sessions_.find(id);
    if (it == sessions_.end()) return std::nullopt;
    if (now - it->second.last_seen > idle_) {
        sessions_.erase(it);
        return std::nullopt;
    }
    it->second.last_seen = now;
    return it->second;
}

void Sessions::end(std::string_view id) {
    std::lock_guard lock(mutex_);
    if (auto it = sessions_.find(id); it != sessions_.end()) sessions_.erase(it);
}

long SignInThrottle::wait_for(const std::string& key, std::size_t failures, Clock::time_point now) {
    auto it = attempts_.find(key);
    if (it == attempts_.end()) return 0;
    auto& times = it->second;
    std::erase_if(times, [&](Clock::time_point t) { return now - t >= window_; });
    if (times.empty()) {
        attempts_.erase(it);
        return 0;
    }
    if (times.size() < failures) return 0;
    auto until = times[times.size() - failures] + window_;
    return std::max<long>(1, std::chrono::duration_cast<std::chrono::seconds>(until - now).count());
}

long SignInThrottle::admit(std::string_view account, std::string_view client, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    if (attempts_.size() > 10'000)  // names and addresses tried once and long ago are not kept
        std::erase_if(attempts_, [&](const auto& entry) { return entry.second.empty() || now - entry.second.back() >= window_; });
    const std::string by_name = "a:" + std::string(account), by_client = "c:" + std::string(client);
    if (auto wait = std::max(wait_for(by_name, per_account_, now), wait_for(by_client, per_client_, now)); wait > 0) return wait;
    attempts_[by_name].push_back(now);
    attempts_[by_client].push_back(now);
    return 0;
}

void SignInThrottle::succeeded(std::string_view account, std::string_view client) {
    std::lock_guard lock(mutex_);
    attempts_.erase("a:" + std::string(account));
    if (auto it = attempts_.find("c:" + std::string(client)); it != attempts_.end() && !it->second.empty()) it->second.pop_back();
}

}  // namespace gkml
