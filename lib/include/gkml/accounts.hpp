// Who may do what in gkml serve: passwords hashed with a memory-hard KDF (libsodium's crypto_pwhash,
// Argon2id), what an account may read and upload, sessions with their CSRF tokens, and a throttle on
// sign-in attempts. Thread-safe where it says so; nothing here prints.
#pragma once

#include <chrono>
#include <cstddef>
#include <expected>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gkml/error.hpp"
#include "gkml/store.hpp"
#include "gkml/units.hpp"

namespace gkml {

// crypto_pwhash_str at libsodium's interactive limits (64 MiB, ~0.1 s): the string holds the salt
// and the parameters. An error only when the machine cannot spare the memory.
std::expected<std::string, Error> hash_password(std::string_view password);
bool verify_password(std::string_view pwhash, std::string_view password);

// Why a new password is refused (in Chinese and English), or nothing: at least 10 characters, not
// the account's name.
std::optional<std::string> password_problem(std::string_view name, std::string_view password);

// 32 random bytes from libsodium, as hex: session ids and CSRF tokens.
std::string random_token();
// Compares in time independent of where they differ (sodium_memcmp).
bool same_token(std::string_view a, std::string_view b);

// A township account reads and uploads for its own unit only (a county department's account is a
// township account too: one unit); a county account reads every unit under its unit; an admin
// reads everything. Only a township account uploads.
bool may_read(const Account& account, const std::vector<Unit>& registry, std::string_view unit);
bool may_upload(const Account& account, std::string_view unit);
// The units `account` may read, by code.
std::vector<Unit> readable_units(const Account& account, const std::vector<Unit>& registry);

using Clock = std::chrono::steady_clock;

struct Session {
    std::string id;
    std::string account;
    std::string csrf;  // every form and every API write carries it
    Clock::time_point last_seen;
    std::string stamp;  // the account's password hash at sign-in: a session outlives no change of password
};

// Sessions in memory (a restart signs everyone out): ended after `idle` without a request. Thread-safe.
class Sessions {
public:
    explicit Sessions(std::chrono::minutes idle) : idle_(idle) {}
    Session start(const std::string& account, Clock::time_point now, std::string stamp);
    // The session of `id`, touched; nothing when unknown or idle too long.
    std::optional<Session> find(std::string_view id, Clock::time_point now);
    void end(std::string_view id);

private:
    std::mutex mutex_;
    std::chrono::minutes idle_;
    std::map<std::string, Session, std::less<>> sessions_;
};

// Sign-in attempts: after `per_account` failures within `window` for one account name, or
// `per_client` from one client address (higher: a township office may sit behind one address),
// further attempts are refused until the window has passed. Thread-safe.
class SignInThrottle {
public:
    SignInThrottle(std::size_t per_account, std::size_t per_client, std::chrono::seconds window)
        : per_account_(per_account), per_client_(per_client), window_(window) {}
    // Seconds to wait before another attempt is heard; 0 when it may go ahead, and then it is counted
    // as a failure at once, so that attempts made side by side cannot all pass before any has failed.
    long admit(std::string_view account, std::string_view client, Clock::time_point now);
    // The admitted attempt was right: it is not counted, and the name's failures are forgotten.
    void succeeded(std::string_view account, std::string_view client);

private:
    long wait_for(const std::string& key, std::size_t failures, Clock::time_point now);
    std::mutex mutex_;
    std::size_t per_account_, per_client_;
    std::chrono::seconds window_;
    std::map<std::string, std::vector<Clock::time_point>, std::less<>> attempts_;
};

}  // namespace gkml
