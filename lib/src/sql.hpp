// The store's one narrow way to a database: statements with $1… parameters, rows read in order, rows
// written in bulk. Two implementations, SQLite (SQLiteCpp) and PostgreSQL (libpq); store.cpp is
// written once over this, so both keep the same data the same way.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace gkml::sql {

struct Blob {
    std::string_view bytes;
};
using Param = std::variant<std::string_view, std::int64_t, Blob>;
using Params = std::initializer_list<Param>;

// A query's rows; a column's text is valid until next().
class Rows {
public:
    virtual ~Rows() = default;
    virtual bool next() = 0;
    virtual std::string_view text(int column) const = 0;
    virtual std::int64_t int64(int column) const = 0;
    virtual bool null(int column) const = 0;
    virtual std::string blob(int column) const = 0;
};

// Rows for one table, written in one go: COPY on PostgreSQL, one prepared INSERT on SQLite.
class Bulk {
public:
    virtual ~Bulk() = default;
    virtual void add(const std::vector<Param>& row) = 0;
    virtual void finish() = 0;
};

enum class Dialect { sqlite, postgresql };

// One connection. Every failure is thrown as std::runtime_error (the store turns it into an Error).
class Connection {
public:
    virtual ~Connection() = default;
    virtual Dialect dialect() const = 0;
    // Several statements, without parameters (schema, BEGIN, COMMIT, SAVEPOINT…).
    virtual void script(std::string_view sql) = 0;
    virtual std::unique_ptr<Rows> query(std::string_view sql, Params params = {}) = 0;
    // A statement that returns no rows; how many rows it changed.
    virtual std::int64_t run(std::string_view sql, Params params = {}) = 0;
    virtual std::unique_ptr<Bulk> bulk(std::string_view table, const std::vector<std::string_view>& columns) = 0;
    // Begins a transaction that will write: SQLite takes the file's write lock up front.
    virtual void begin_write() = 0;
    // Inside a write transaction, until it ends: one writer at a time for this unit's snapshots, so
    // that a unit's snapshots become visible in the order of their ids (SQLite: the file lock does it).
    virtual void lock_unit(std::string_view unit) = 0;
    virtual int schema_version() = 0;
    virtual void set_schema_version(int version) = 0;
};

enum class Access { read_write, read_only };

// `wait_ms`: how long a statement waits for another writer's lock before it fails.
std::unique_ptr<Connection> open_sqlite(const std::string& file, Access access, int wait_ms, int cache_kib);
std::unique_ptr<Connection> open_postgresql(const std::string& url, Access access, int wait_ms);

bool is_postgresql_url(std::string_view location);

}  // namespace gkml::sql
