#include <SQLiteCpp/SQLiteCpp.h>

#include <cctype>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "sql.hpp"

namespace gkml::sql {

namespace {

// SQLite numbers parameters ?N; the store's statements are written with PostgreSQL's $N.
std::string numbered(std::string_view sql) {
    std::string out(sql);
    for (std::size_t i = 0; i + 1 < out.size(); ++i)
        if (out[i] == '$' && std::isdigit(static_cast<unsigned char>(out[i + 1]))) out[i] = '?';
    return out;
}

// Binds without SQLite copying: text goes through `held`, kept (and its capacity reused) until the
// statement runs again.
void bind(SQLite::Statement& statement, int index, const Param& param, std::string& held) {
    if (auto* text = std::get_if<std::string_view>(&param)) {
        held.assign(*text);
        statement.bindNoCopy(index, held);
    } else if (auto* number = std::get_if<std::int64_t>(&param)) {
        statement.bind(index, *number);
    } else {
        auto bytes = std::get<Blob>(param).bytes;
        statement.bindNoCopy(index, bytes.data(), static_cast<int>(bytes.size()));
    }
}

void bind_all(SQLite::Statement& statement, Params params, std::vector<std::string>& held) {
    held.resize(params.size());
    int i = 0;
    for (const auto& p : params) {
        bind(statement, i + 1, p, held[static_cast<std::size_t>(i)]);
        ++i;
    }
}

// A connection's statements, prepared once and reused: preparing was 6 % of the province's coverage
// (perf; six small queries a unit). Kept for the store's fixed texts, a few of each.
class Prepared {
public:
    using Statement = std::unique_ptr<SQLite::Statement>;
    explicit Prepared(SQLite::Database& db) : db_(db) {}
    Statement take(std::string_view sql) {
        auto text = numbered(sql);
        if (auto it = idle_.find(text); it != idle_.end() && !it->second.empty()) {
            auto statement = std::move(it->second.back());
            it->second.pop_back();
            return statement;
        }
        return std::make_unique<SQLite::Statement>(db_, text);
    }
    // Reset (its read ends), bindings cleared, kept for the next use of the same text.
    void give_back(Statement statement) noexcept {
        statement->tryReset();
        try {
            statement->clearBindings();
            auto& list = idle_[statement->getQuery()];
            if (list.size() < 4 && idle_.size() <= 64) list.push_back(std::move(statement));
        } catch (const std::exception&) {  // not kept: finalized here
        }
    }

private:
    SQLite::Database& db_;
    std::unordered_map<std::string, std::vector<Statement>> idle_;
};

class SqliteRows final : public Rows {
public:
    SqliteRows(Prepared& prepared, std::string_view sql, Params params) : prepared_(prepared), q_(prepared.take(sql)) {
        bind_all(*q_, params, held_);
    }
    ~SqliteRows() override { prepared_.give_back(std::move(q_)); }
    SqliteRows(const SqliteRows&) = delete;
    SqliteRows& operator=(const SqliteRows&) = delete;
    bool next() override { return q_->executeStep(); }
    std::string_view text(int c) const override {
        auto column = q_->getColumn(c);
        return {column.getText(), static_cast<std::size_t>(column.getBytes())};
    }
    std::int64_t int64(int c) const override { return q_->getColumn(c).getInt64(); }
    bool null(int c) const override { return q_->getColumn(c).isNull(); }
    std::string blob(int c) const override {
        auto column = q_->getColumn(c);
        return {static_cast<const char*>(column.getBlob()), static_cast<std::size_t>(column.getBytes())};
    }

private:
    Prepared& prepared_;
    Prepared::Statement q_;
    std::vector<std::string> held_;
};

class SqliteBulk final : public Bulk {
public:
    SqliteBulk(SQLite::Database& db, std::string_view table, const std::vector<std::string_view>& columns)
        : q_(db, statement(table, columns)), held_(columns.size()) {}
    void add(const std::vector<Param>& row) override {
        for (std::size_t i = 0; i < row.size(); ++i) bind(q_, static_cast<int>(i + 1), row[i], held_.at(i));
        q_.exec();
        q_.reset();
    }
    void finish() override {}

private:
    static std::string statement(std::string_view table, const std::vector<std::string_view>& columns) {
        std::string names, marks;
        for (auto c : columns) {
            names += (names.empty() ? "" : ", ") + std::string(c);
            marks += marks.empty() ? "?" : ", ?";
        }
        return "INSERT INTO " + std::string(table) + " (" + names + ") VALUES (" + marks + ")";
    }
    SQLite::Statement q_;
    std::vector<std::string> held_;
};

class SqliteConnection final : public Connection {
public:
    SqliteConnection(const std::string& file, Access access, int wait_ms)
        : db_(file, access == Access::read_only ? SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX
                                                : SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX,
              wait_ms),
          prepared_(db_) {}
    Dialect dialect() const override { return Dialect::sqlite; }
    void script(std::string_view sql) override { db_.exec(std::string(sql)); }
    std::unique_ptr<Rows> query(std::string_view sql, Params params) override {
        return std::make_unique<SqliteRows>(prepared_, sql, params);
    }
    std::int64_t run(std::string_view sql, Params params) override {
        SqliteRows rows(prepared_, sql, params);
        rows.next();
        return db_.getChanges();
    }
    std::unique_ptr<Bulk> bulk(std::string_view table, const std::vector<std::string_view>& columns) override {
        return std::make_unique<SqliteBulk>(db_, table, columns);
    }
    // IMMEDIATE: the write lock is taken up front, so two writers queue on the busy timeout instead
    // of failing when one upgrades its read lock.
    void begin_write() override { db_.exec("BEGIN IMMEDIATE"); }
    void lock_unit(std::string_view) override {}
    int schema_version() override { return db_.execAndGet("PRAGMA user_version").getInt(); }
    void set_schema_version(int version) override { db_.exec("PRAGMA user_version = " + std::to_string(version)); }

private:
    SQLite::Database db_;
    Prepared prepared_;  // after db_: its statements are finalized before the database closes
};

}  // namespace

std::unique_ptr<Connection> open_sqlite(const std::string& file, Access access, int wait_ms, int cache_kib) {
    auto connection = std::make_unique<SqliteConnection>(file, access, wait_ms);
    if (access == Access::read_write) {
        connection->script("PRAGMA journal_mode = WAL");
        // Under WAL, NORMAL loses no committed transaction to a crash of gkml, only (at worst) the
        // last ones to a power cut, and never corrupts the file; a re-ingest restores what was lost.
        connection->script("PRAGMA synchronous = NORMAL");
        connection->script("PRAGMA foreign_keys = ON");
    }
    connection->script("PRAGMA cache_size = -" + std::to_string(cache_kib));
    return connection;
}

bool is_postgresql_url(std::string_view location) {
    return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

}  // namespace gkml::sql
