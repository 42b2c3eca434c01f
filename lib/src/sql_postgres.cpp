#include <dlfcn.h>
#include <libpq-fe.h>

#include <charconv>
#include <stdexcept>

#include "sql.hpp"

namespace gkml::sql {

namespace {

// libpq, opened the first time a PostgreSQL store is: linked, it and what it brings (Kerberos,
// LDAP, GnuTLS: 20 more shared objects) cost every gkml process ≈ 4 ms of start-up, SQLite's too.
// These are the functions used, each a pointer of its own type in the table.
#define GKML_LIBPQ_FUNCTIONS(X)                                                                              \
    X(PQclear) X(PQcmdTuples) X(PQconnectdb) X(PQerrorMessage) X(PQexec) X(PQexecParams) X(PQfinish)       \
    X(PQfreemem) X(PQgetResult) X(PQgetisnull) X(PQgetlength) X(PQgetvalue) X(PQntuples) X(PQputCopyData) \
    X(PQputCopyEnd) X(PQresultErrorMessage) X(PQresultStatus) X(PQstatus) X(PQunescapeBytea)

struct Libpq {
#define GKML_POINTER(name) decltype(&::name) name = nullptr;
    GKML_LIBPQ_FUNCTIONS(GKML_POINTER)
#undef GKML_POINTER
};

// Null when libpq.so.5 is not installed (or lacks one of the functions).
const Libpq* loaded_libpq() {
    static const Libpq* library = []() -> const Libpq* {
        void* handle = ::dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
        if (!handle) return nullptr;
        static Libpq table;
        bool found = true;
#define GKML_LOAD(name)                                                           \
    table.name = reinterpret_cast<decltype(table.name)>(::dlsym(handle, #name)); \
    found = found && table.name;
        GKML_LIBPQ_FUNCTIONS(GKML_LOAD)
#undef GKML_LOAD
        return found ? &table : nullptr;
    }();
    return library;
}
#undef GKML_LIBPQ_FUNCTIONS

const Libpq& pq() { return *loaded_libpq(); }  // after open_postgresql found it

// libpq's message without its trailing newline.
std::string message_of(PGconn* connection, const PGresult* result = nullptr) {
    std::string message = result ? pq().PQresultErrorMessage(result) : pq().PQerrorMessage(connection);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    return message;
}

[[noreturn]] void fail(PGconn* connection, const PGresult* result = nullptr) {
    throw std::runtime_error("PostgreSQL: " + message_of(connection, result));
}

using Result = std::unique_ptr<PGresult, decltype(&::PQclear)>;

// Parameters as libpq takes them: text for text and numbers (NUL-terminated copies), binary for bytes.
Result execute(PGconn* connection, std::string_view sql, Params params) {
    std::vector<std::string> texts;
    texts.reserve(params.size());
    std::vector<const char*> values;
    std::vector<int> lengths, formats;
    for (const auto& p : params) {
        if (auto* text = std::get_if<std::string_view>(&p)) {
            texts.emplace_back(*text);
            values.push_back(texts.back().c_str());
            lengths.push_back(0);
            formats.push_back(0);
        } else if (auto* number = std::get_if<std::int64_t>(&p)) {
            texts.push_back(std::to_string(*number));
            values.push_back(texts.back().c_str());
            lengths.push_back(0);
            formats.push_back(0);
        } else {
            auto bytes = std::get<Blob>(p).bytes;
            values.push_back(bytes.data());
            lengths.push_back(static_cast<int>(bytes.size()));
            formats.push_back(1);
        }
    }
    Result result(pq().PQexecParams(connection, std::string(sql).c_str(), static_cast<int>(values.size()), nullptr, values.data(),
                               lengths.data(), formats.data(), 0),
                  pq().PQclear);
    auto status = pq().PQresultStatus(result.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(connection, result.get());
    return result;
}

class PgRows final : public Rows {
public:
    explicit PgRows(Result result) : result_(std::move(result)), rows_(pq().PQntuples(result_.get())) {}
    bool next() override { return ++row_ < rows_; }
    std::string_view text(int c) const override {
        return {pq().PQgetvalue(result_.get(), row_, c), static_cast<std::size_t>(pq().PQgetlength(result_.get(), row_, c))};
    }
    std::int64_t int64(int c) const override {
        auto t = text(c);
        std::int64_t out = 0;
        std::from_chars(t.data(), t.data() + t.size(), out);
        return out;
    }
    bool null(int c) const override { return pq().PQgetisnull(result_.get(), row_, c) != 0; }
    std::string blob(int c) const override {
        std::size_t length = 0;
        auto* bytes = pq().PQunescapeBytea(reinterpret_cast<const unsigned char*>(pq().PQgetvalue(result_.get(), row_, c)), &length);
        if (!bytes) throw std::runtime_error("PostgreSQL: a bytea value does not decode");
        std::string out(reinterpret_cast<const char*>(bytes), length);
        pq().PQfreemem(bytes);
        return out;
    }

private:
    Result result_;
    int rows_ = 0, row_ = -1;
};

// COPY … FROM STDIN in text format: a row is its values escaped and tab-separated.
class PgBulk final : public Bulk {
public:
    PgBulk(PGconn* connection, std::string_view table, const std::vector<std::string_view>& columns) : connection_(connection) {
        std::string names;
        for (auto c : columns) names += (names.empty() ? "" : ", ") + std::string(c);
        Result result(pq().PQexec(connection_, ("COPY " + std::string(table) + " (" + names + ") FROM STDIN").c_str()), pq().PQclear);
        if (pq().PQresultStatus(result.get()) != PGRES_COPY_IN) fail(connection_, result.get());
        open_ = true;
    }
    ~PgBulk() override {
        if (open_) {
            pq().PQputCopyEnd(connection_, "abandoned");
            while (PGresult* r = pq().PQgetResult(connection_)) pq().PQclear(r);
        }
    }
    void add(const std::vector<Param>& row) override {
        for (std::size_t i = 0; i < row.size(); ++i) {
            if (i) buffer_ += '\t';
            if (auto* text = std::get_if<std::string_view>(&row[i])) escape(*text);
            else if (auto* number = std::get_if<std::int64_t>(&row[i])) buffer_ += std::to_string(*number);
            else throw std::logic_error("bytes are not copied in bulk");
        }
        buffer_ += '\n';
        if (buffer_.size() >= 1 << 20) flush();
    }
    void finish() override {
        flush();
        open_ = false;
        if (pq().PQputCopyEnd(connection_, nullptr) != 1) fail(connection_);
        Result result(pq().PQgetResult(connection_), pq().PQclear);
        if (pq().PQresultStatus(result.get()) != PGRES_COMMAND_OK) fail(connection_, result.get());
        while (PGresult* r = pq().PQgetResult(connection_)) pq().PQclear(r);
    }

private:
    void escape(std::string_view text) {
        for (char c : text) switch (c) {
                case '\\': buffer_ += "\\\\"; break;
                case '\t': buffer_ += "\\t"; break;
                case '\n': buffer_ += "\\n"; break;
                case '\r': buffer_ += "\\r"; break;
                default: buffer_ += c;
            }
    }
    void flush() {
        if (buffer_.empty()) return;
        if (pq().PQputCopyData(connection_, buffer_.data(), static_cast<int>(buffer_.size())) != 1) fail(connection_);
        buffer_.clear();
    }
    PGconn* connection_;
    std::string buffer_;
    bool open_ = false;
};

class PgConnection final : public Connection {
public:
    PgConnection(const std::string& url, Access access, int wait_ms) : connection_(pq().PQconnectdb(url.c_str()), pq().PQfinish) {
        if (pq().PQstatus(connection_.get()) != CONNECTION_OK)
            throw std::runtime_error("连不上 PostgreSQL 数据库（核对 --db 的地址、用户和库名，服务是否在运行） / cannot connect to PostgreSQL: " +
                                     message_of(connection_.get()));
        // UTF-8 whatever the server's default; notices (e.g. "relation exists") are not for the user.
        script("SET client_encoding = 'UTF8'; SET client_min_messages = warning; SET lock_timeout = " +
               std::to_string(wait_ms));
        if (access == Access::read_only) script("SET default_transaction_read_only = on");
    }
    Dialect dialect() const override { return Dialect::postgresql; }
    void script(std::string_view sql) override {
        Result result(pq().PQexec(connection_.get(), std::string(sql).c_str()), pq().PQclear);
        auto status = pq().PQresultStatus(result.get());
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(connection_.get(), result.get());
    }
    std::unique_ptr<Rows> query(std::string_view sql, Params params) override {
        return std::make_unique<PgRows>(execute(connection_.get(), sql, params));
    }
    std::int64_t run(std::string_view sql, Params params) override {
        auto result = execute(connection_.get(), sql, params);
        std::string_view changed = pq().PQcmdTuples(result.get());
        std::int64_t out = 0;
        std::from_chars(changed.data(), changed.data() + changed.size(), out);
        return out;
    }
    std::unique_ptr<Bulk> bulk(std::string_view table, const std::vector<std::string_view>& columns) override {
        return std::make_unique<PgBulk>(connection_.get(), table, columns);
    }
    void begin_write() override { script("BEGIN"); }
    void lock_unit(std::string_view unit) override {
        execute(connection_.get(), "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", {unit});
    }
    int schema_version() override {
        auto rows = query("SELECT to_regclass('gkml_schema') IS NOT NULL", {});
        if (!rows->next() || rows->text(0) != "t") return 0;
        auto version = query("SELECT max(version) FROM gkml_schema", {});
        return version->next() && !version->null(0) ? static_cast<int>(version->int64(0)) : 0;
    }
    void set_schema_version(int version) override {
        script("CREATE TABLE IF NOT EXISTS gkml_schema (version INTEGER NOT NULL); DELETE FROM gkml_schema");
        run("INSERT INTO gkml_schema (version) VALUES ($1)", {std::int64_t{version}});
    }

private:
    std::unique_ptr<PGconn, decltype(&::PQfinish)> connection_;
};

}  // namespace

std::unique_ptr<Connection> open_postgresql(const std::string& url, Access access, int wait_ms) {
    if (!loaded_libpq())
        throw std::runtime_error("找不到 PostgreSQL 的客户端库 libpq.so.5，请安装 libpq5（apt-get install libpq5） / "
                                 "libpq.so.5, PostgreSQL's client library, is not installed: apt-get install libpq5");
    return std::make_unique<PgConnection>(url, access, wait_ms);
}

}  // namespace gkml::sql
