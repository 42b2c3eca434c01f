#include "gkml/store.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <numeric>
#include <optional>
#include <random>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "gkml/xml.hpp"
#include "packed.hpp"
#include "sql.hpp"

namespace gkml {

namespace {

// Migration N brings a database from user_version N to N + 1; never edit one that has shipped. These
// are SQL; migration 8 (pack_snapshots, below) is code.
constexpr std::array<std::string_view, 8> migrations{
    R"(CREATE TABLE units (
         code   TEXT PRIMARY KEY,
         name   TEXT NOT NULL,
         level  TEXT NOT NULL,
         parent TEXT NOT NULL DEFAULT '',
         fields TEXT NOT NULL DEFAULT ''
       );
       CREATE TABLE snapshots (
         id     INTEGER PRIMARY KEY AUTOINCREMENT,
         unit   TEXT NOT NULL,
         kind   TEXT NOT NULL CHECK (kind IN ('catalog', 'ledger')),
         source TEXT NOT NULL,
         hash   TEXT NOT NULL,
         taken  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
         UNIQUE (hash, unit, kind)
       );
       CREATE INDEX snapshots_by_unit ON snapshots (unit, id);
       CREATE TABLE catalog_fields (
         snapshot INTEGER NOT NULL REFERENCES snapshots (id),
         field    TEXT NOT NULL,
         xml      TEXT NOT NULL,
         PRIMARY KEY (snapshot, field)
       );
       CREATE TABLE records (
         unit      TEXT NOT NULL,
         item      TEXT NOT NULL,
         formed    TEXT NOT NULL,
         published TEXT NOT NULL,
         channel   TEXT NOT NULL,
         title     TEXT NOT NULL,
         url       TEXT NOT NULL,
         record_id TEXT NOT NULL,
         snapshot  INTEGER NOT NULL REFERENCES snapshots (id),
         UNIQUE (unit, item, formed, published, channel, title, url, record_id)
       );
       CREATE INDEX records_by_unit ON records (unit, snapshot);)",
    R"(ALTER TABLE snapshots ADD COLUMN label TEXT NOT NULL DEFAULT '';)",
    // The default period asks for the newest formed date: without this, every record is read.
    R"(CREATE INDEX records_by_formed ON records (formed);)",
    // The uniqueness of a unit's records is kept by put_ledger (it reads the unit's records before it
    // adds); an index over all eight columns doubled the cost of every insert.
    R"(CREATE TABLE records_v4 (
         unit      TEXT NOT NULL,
         item      TEXT NOT NULL,
         formed    TEXT NOT NULL,
         published TEXT NOT NULL,
         channel   TEXT NOT NULL,
         title     TEXT NOT NULL,
         url       TEXT NOT NULL,
         record_id TEXT NOT NULL,
         snapshot  INTEGER NOT NULL REFERENCES snapshots (id)
       );
       INSERT INTO records_v4 SELECT unit, item, formed, published, channel, title, url, record_id, snapshot FROM records ORDER BY rowid;
       DROP TABLE records;
       ALTER TABLE records_v4 RENAME TO records;
       CREATE INDEX records_by_unit ON records (unit, snapshot);
       CREATE INDEX records_by_formed ON records (formed);)",
    // Records clustered by unit and snapshot (WITHOUT ROWID): one B-tree to write per record instead
    // of three, and a unit's records side by side. The newest formed date is kept per snapshot.
    R"(CREATE TABLE records_v5 (
         unit      TEXT NOT NULL,
         snapshot  INTEGER NOT NULL REFERENCES snapshots (id),
         seq       INTEGER NOT NULL,
         item      TEXT NOT NULL,
         formed    TEXT NOT NULL,
         published TEXT NOT NULL,
         channel   TEXT NOT NULL,
         title     TEXT NOT NULL,
         url       TEXT NOT NULL,
         record_id TEXT NOT NULL,
         PRIMARY KEY (unit, snapshot, seq)
       ) WITHOUT ROWID;
       INSERT INTO records_v5 SELECT unit, snapshot, rowid, item, formed, published, channel, title, url, record_id FROM records;
       DROP TABLE records;
       ALTER TABLE records_v5 RENAME TO records;
       ALTER TABLE snapshots ADD COLUMN newest_formed TEXT NOT NULL DEFAULT '';
       UPDATE snapshots SET newest_formed = coalesce(
         (SELECT max(formed) FROM records r WHERE r.unit = snapshots.unit AND r.snapshot = snapshots.id), '');)",
    // A ledger snapshot holds the whole export and the publication dates it says it covers; an export
    // reaching further supersedes another's records inside its span. Older snapshots kept only the
    // records new to them, so they cannot restate anything: their span stays empty (covers nothing).
    R"(ALTER TABLE snapshots ADD COLUMN span_from TEXT NOT NULL DEFAULT '';
       ALTER TABLE snapshots ADD COLUMN span_to TEXT NOT NULL DEFAULT '';
       ALTER TABLE snapshots ADD COLUMN newest_published TEXT NOT NULL DEFAULT '';
       UPDATE snapshots SET newest_published = coalesce(
         (SELECT max(published) FROM records r WHERE r.unit = snapshots.unit AND r.snapshot = snapshots.id), '')
       WHERE kind = 'ledger';)",
    // gkml serve: who may sign in (the password as a libsodium crypto_pwhash string, never the
    // password), and who uploaded what, when and with what result.
    R"(CREATE TABLE accounts (
         name    TEXT PRIMARY KEY,
         role    TEXT NOT NULL CHECK (role IN ('township', 'county', 'admin')),
         unit    TEXT NOT NULL DEFAULT '',
         pwhash  TEXT NOT NULL,
         created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
       );
       CREATE TABLE uploads (
         id        INTEGER PRIMARY KEY AUTOINCREMENT,
         taken     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
         account   TEXT NOT NULL,
         unit      TEXT NOT NULL,
         file      TEXT NOT NULL,
         bytes     INTEGER NOT NULL,
         outcome   TEXT NOT NULL CHECK (outcome IN ('added', 'unchanged', 'rejected')),
         errors    INTEGER NOT NULL,
         warnings  INTEGER NOT NULL,
         snapshots TEXT NOT NULL DEFAULT ''
       );
       CREATE INDEX uploads_by_unit ON uploads (unit, id);)",
    // Coverage computed once per unit, snapshot and inputs (KeptCoverage); a cache, safe to empty.
    // And the run each snapshot came from (Snapshot::run).
    R"(CREATE TABLE coverage_kept (
         unit     TEXT NOT NULL,
         through  INTEGER NOT NULL,
         inputs   TEXT NOT NULL,
         coverage BLOB NOT NULL,
         UNIQUE (unit, through, inputs)
       );
       ALTER TABLE snapshots ADD COLUMN run TEXT NOT NULL DEFAULT '';)"};

// PostgreSQL starts at the schema SQLite reached by migration 8, in one step; later migrations are
// written for both. Text is compared and ordered byte by byte (COLLATE "C", as SQLite does), so
// figures and listings do not depend on the database's locale.
constexpr std::string_view postgresql_schema_8 = R"(
    CREATE TABLE units (
      code   TEXT COLLATE "C" PRIMARY KEY,
      name   TEXT COLLATE "C" NOT NULL,
      level  TEXT COLLATE "C" NOT NULL,
      parent TEXT COLLATE "C" NOT NULL DEFAULT '',
      fields TEXT COLLATE "C" NOT NULL DEFAULT ''
    );
    CREATE TABLE snapshots (
      id     BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
      unit   TEXT COLLATE "C" NOT NULL,
      kind   TEXT COLLATE "C" NOT NULL CHECK (kind IN ('catalog', 'ledger')),
      source TEXT COLLATE "C" NOT NULL,
      hash   TEXT COLLATE "C" NOT NULL,
      taken  TEXT COLLATE "C" NOT NULL DEFAULT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
      label  TEXT COLLATE "C" NOT NULL DEFAULT '',
      newest_formed    TEXT COLLATE "C" NOT NULL DEFAULT '',
      span_from        TEXT COLLATE "C" NOT NULL DEFAULT '',
      span_to          TEXT COLLATE "C" NOT NULL DEFAULT '',
      newest_published TEXT COLLATE "C" NOT NULL DEFAULT '',
      run    TEXT COLLATE "C" NOT NULL DEFAULT '',
      UNIQUE (hash, unit, kind)
    );
    CREATE INDEX snapshots_by_unit ON snapshots (unit, id);
    CREATE TABLE catalog_fields (
      snapshot BIGINT NOT NULL REFERENCES snapshots (id),
      field    TEXT COLLATE "C" NOT NULL,
      xml      TEXT COLLATE "C" NOT NULL,
      PRIMARY KEY (snapshot, field)
    );
    CREATE TABLE records (
      unit      TEXT COLLATE "C" NOT NULL,
      snapshot  BIGINT NOT NULL REFERENCES snapshots (id),
      seq       BIGINT NOT NULL,
      item      TEXT COLLATE "C" NOT NULL,
      formed    TEXT COLLATE "C" NOT NULL,
      published TEXT COLLATE "C" NOT NULL,
      channel   TEXT COLLATE "C" NOT NULL,
      title     TEXT COLLATE "C" NOT NULL,
      url       TEXT COLLATE "C" NOT NULL,
      record_id TEXT COLLATE "C" NOT NULL,
      PRIMARY KEY (unit, snapshot, seq)
    );
    CREATE TABLE accounts (
      name    TEXT COLLATE "C" PRIMARY KEY,
      role    TEXT COLLATE "C" NOT NULL CHECK (role IN ('township', 'county', 'admin')),
      unit    TEXT COLLATE "C" NOT NULL DEFAULT '',
      pwhash  TEXT COLLATE "C" NOT NULL,
      created TEXT COLLATE "C" NOT NULL DEFAULT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
    );
    CREATE TABLE uploads (
      id        BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
      taken     TEXT COLLATE "C" NOT NULL DEFAULT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
      account   TEXT COLLATE "C" NOT NULL,
      unit      TEXT COLLATE "C" NOT NULL,
      file      TEXT COLLATE "C" NOT NULL,
      bytes     BIGINT NOT NULL,
      outcome   TEXT COLLATE "C" NOT NULL CHECK (outcome IN ('added', 'unchanged', 'rejected')),
      errors    BIGINT NOT NULL,
      warnings  BIGINT NOT NULL,
      snapshots TEXT COLLATE "C" NOT NULL DEFAULT ''
    );
    CREATE INDEX uploads_by_unit ON uploads (unit, id);
    CREATE TABLE coverage_kept (
      id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      unit     TEXT COLLATE "C" NOT NULL,
      through  BIGINT NOT NULL,
      inputs   TEXT COLLATE "C" NOT NULL,
      coverage BYTEA NOT NULL,
      UNIQUE (unit, through, inputs)
    );)";

// Migration 8 → 9, both dialects: a ledger snapshot's records are one packed block (packed.hpp)
// instead of a row each, and a catalog field's XML is compressed. An older store's records are packed
// in the order put_ledger packs them (item, formed, published, then as exported).
void pack_snapshots(sql::Connection& db) {
    const bool postgresql = db.dialect() == sql::Dialect::postgresql;
    db.script(postgresql ? R"(
        CREATE TABLE ledger_records (snapshot BIGINT PRIMARY KEY REFERENCES snapshots (id), count BIGINT NOT NULL, records BYTEA NOT NULL);
        CREATE TABLE catalog_fields_9 (
          snapshot BIGINT NOT NULL REFERENCES snapshots (id),
          field    TEXT COLLATE "C" NOT NULL,
          packed   BYTEA NOT NULL,
          PRIMARY KEY (snapshot, field)
        );)"
                         : R"(
        CREATE TABLE ledger_records (snapshot INTEGER PRIMARY KEY REFERENCES snapshots (id), count INTEGER NOT NULL, records BLOB NOT NULL);
        CREATE TABLE catalog_fields_9 (
          snapshot INTEGER NOT NULL REFERENCES snapshots (id),
          field    TEXT NOT NULL,
          packed   BLOB NOT NULL,
          PRIMARY KEY (snapshot, field)
        );)");
    // Snapshot by snapshot, so that a province's store is not held in memory.
    std::vector<std::int64_t> catalogs;
    auto ids = db.query("SELECT id FROM snapshots WHERE kind = 'catalog' ORDER BY id");
    while (ids->next()) catalogs.push_back(ids->int64(0));
    for (auto id : catalogs) {
        std::vector<std::pair<std::string, std::string>> fields;
        auto rows = db.query("SELECT field, xml FROM catalog_fields WHERE snapshot = $1 ORDER BY field", {id});
        while (rows->next()) fields.emplace_back(rows->text(0), packed::pack_text(rows->text(1)));
        for (const auto& [field, block] : fields)
            db.run("INSERT INTO catalog_fields_9 (snapshot, field, packed) VALUES ($1, $2, $3)", {id, field, sql::Blob{block}});
    }
    db.script("DROP TABLE catalog_fields; ALTER TABLE catalog_fields_9 RENAME TO catalog_fields");
    std::vector<std::pair<std::int64_t, std::string>> ledgers;
    auto snapshots = db.query("SELECT id, unit FROM snapshots WHERE kind = 'ledger' ORDER BY id");
    while (snapshots->next()) ledgers.emplace_back(snapshots->int64(0), std::string(snapshots->text(1)));
    for (const auto& [id, unit] : ledgers) {
        packed::Packer packer;
        auto rows = db.query("SELECT item, formed, published, channel, title, url, record_id FROM records WHERE unit = $1 AND snapshot = $2 "
                             "ORDER BY item, formed, published, seq",
                             {unit, id});
        while (rows->next())
            packer.add({rows->text(0), rows->text(1), rows->text(2), rows->text(3), rows->text(4), rows->text(5), rows->text(6)});
        const auto block = packer.finish();
        db.run("INSERT INTO ledger_records (snapshot, count, records) VALUES ($1, $2, $3)",
               {id, static_cast<std::int64_t>(packer.size()), sql::Blob{block}});
    }
    db.script("DROP TABLE records");
}

constexpr int busy_timeout_ms = 60'000;
// Page cache per connection (KiB): the record indexes of a province stay in memory while it is
// ingested, well inside the memory a county office machine has.
constexpr int cache_kib = 64 * 1024;
// A reader goes through a unit's rows once (and the OS caches the file): a small cache per
// connection keeps a province's coverage, one connection per core, inside its memory bound.
constexpr int reader_cache_kib = 8 * 1024;

std::unique_ptr<sql::Connection> connect(const std::string& location, sql::Access access, int wait_ms) {
    if (sql::is_postgresql_url(location)) return sql::open_postgresql(location, access, wait_ms);
    return sql::open_sqlite(location, access, wait_ms, access == sql::Access::read_only ? reader_cache_kib : cache_kib);
}

// Tells one run's snapshots from another's, whatever their times (64 random bits, hex).
std::string new_run_id() {
    static thread_local std::mt19937_64 bits{std::random_device{}()};
    char out[17];
    std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(bits()));
    return out;
}

Error database_error(const std::exception& e, const std::string& location) {
    return Error{ErrorKind::database, e.what(), shown_location(location), 0};
}

std::string joined(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : " ") + p;
    return out;
}

std::vector<std::string> split(const std::string& text) {
    std::vector<std::string> out;
    for (std::size_t at = 0; at < text.size();) {
        auto end = std::min(text.find(' ', at), text.size());
        out.push_back(text.substr(at, end - at));
        at = end + 1;
    }
    return out;
}

}  // namespace

struct Store::Impl {
    std::string location;  // a file, or a postgresql:// URL
    std::unique_ptr<sql::Connection> db;
    bool batching = false;    // a Batch is open
    bool in_batch_transaction = false;  // and its transaction has begun
    std::string run;  // the open Batch's run id (Snapshot::run)

    Impl(std::string where, sql::Access access) : location(std::move(where)), db(connect(location, access, busy_timeout_ms)) {}

    bool postgresql() const { return db->dialect() == sql::Dialect::postgresql; }

    // Runs `body` inside a write transaction (on SQLite the write lock is taken up front). In a
    // batch, the body is a savepoint of the batch's transaction.
    template <typename F>
    auto write(F&& body) -> std::expected<decltype(body()), Error> {
        try {
            if (batching && !in_batch_transaction) {
                db->begin_write();
                in_batch_transaction = true;
            }
            if (batching) db->script("SAVEPOINT put");
            else db->begin_write();
            auto done = [&] { db->script(batching ? "RELEASE put" : "COMMIT"); };
            try {
                if constexpr (std::is_void_v<decltype(body())>) {
                    body();
                    done();
                    return {};
                } else {
                    auto result = body();
                    done();
                    return result;
                }
            } catch (...) {
                try {
                    db->script(batching ? "ROLLBACK TO put; RELEASE put" : "ROLLBACK");
                } catch (const std::exception&) {
                    // the connection is gone: what the body threw says why
                }
                throw;
            }
        } catch (const std::exception& e) {
            return std::unexpected(database_error(e, location));
        }
    }

    std::expected<void, Error> end_batch_transaction(std::string_view how) {
        if (!in_batch_transaction) return {};
        in_batch_transaction = false;
        try {
            db->script(how);
            return {};
        } catch (const std::exception& e) {
            return std::unexpected(database_error(e, location));
        }
    }

    template <typename F>
    auto read(F&& body) const -> std::expected<decltype(body()), Error> {
        try {
            return body();
        } catch (const std::exception& e) {
            return std::unexpected(database_error(e, location));
        }
    }

    bool already_ingested(std::string_view hash, std::string_view unit, SnapshotKind kind) {
        return db->query("SELECT 1 FROM snapshots WHERE hash = $1 AND unit = $2 AND kind = $3", {hash, unit, to_string(kind)})->next();
    }

    Snapshot new_snapshot(std::string_view unit, SnapshotKind kind, std::string_view source, std::string_view hash,
                          std::string_view label) {
        const std::string run_id = batching ? run : new_run_id();
        auto inserted = db->query("INSERT INTO snapshots (unit, kind, source, hash, label, run) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, taken",
                                  {unit, to_string(kind), source, hash, label, std::string_view(run_id)});
        if (!inserted->next()) throw std::runtime_error("a snapshot was not added");
        Snapshot out{inserted->int64(0), std::string(unit), kind, std::string(source), std::string(inserted->text(1)), std::string(label), 0, 0, 0, run_id};
        while (inserted->next()) {}
        return out;
    }

    void put_unit(const Unit& unit, bool replace) {
        const std::string fields = joined(unit.fields);
        db->run(std::string("INSERT INTO units (code, name, level, parent, fields) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (code) DO ") +
                    (replace ? "UPDATE SET name = excluded.name, level = excluded.level, parent = excluded.parent, fields = excluded.fields"
                             : "NOTHING"),
                {unit.code, unit.name, level_name(unit.level), unit.parent, fields});
    }

    void migrate() {
        // Two gkml opening a new PostgreSQL database at once: one makes the schema, the other waits.
        if (postgresql()) db->script("SELECT pg_advisory_xact_lock(7041998)");
        int version = db->schema_version();
        if (version > Store::schema_version)
            throw std::runtime_error("the database has schema version " + std::to_string(version) +
                                     ", newer than this gkml knows (" + std::to_string(Store::schema_version) + ")");
        if (version == Store::schema_version) return;
        if (postgresql()) {
            if (version != 0) throw std::runtime_error("a PostgreSQL store of schema version " + std::to_string(version) + " is not one gkml made");
            db->script(postgresql_schema_8);
            version = 8;
        }
        for (; version < static_cast<int>(migrations.size()); ++version) db->script(migrations[static_cast<std::size_t>(version)]);
        if (version == 8) {
            pack_snapshots(*db);
            version = 9;
        }
        static_assert(Store::schema_version == 9, "a new migration goes here");
        db->set_schema_version(version);
    }
};

std::string content_hash(std::string_view bytes) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : bytes) h = (h ^ c) * 0x100000001b3ULL;
    char out[17];
    std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(h));
    return out;
}

std::string_view to_string(SnapshotKind kind) { return kind == SnapshotKind::catalog ? "catalog" : "ledger"; }

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

std::string shown_location(std::string_view location) {
    std::string out(location);
    if (!sql::is_postgresql_url(out)) return out;
    // postgresql://user:password@host/db: the password is never shown.
    auto scheme_end = out.find("://") + 3;
    auto at = out.find('@', scheme_end);
    auto colon = out.find(':', scheme_end);
    if (at != std::string::npos && colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    constexpr std::string_view key = "password=";
    for (auto p = out.find(key); p != std::string::npos; p = out.find(key, p + 1)) {
        auto end = out.find('&', p);
        out.replace(p + key.size(), (end == std::string::npos ? out.size() : end) - p - key.size(), "***");
    }
    return out;
}

std::expected<Store, Error> Store::open(const std::filesystem::path& location) {
    std::unique_ptr<Impl> impl;
    try {
        impl = std::make_unique<Impl>(location.string(), sql::Access::read_write);
    } catch (const std::exception& e) {
        return std::unexpected(database_error(e, location.string()));
    }
    if (auto migrated = impl->write([&] { impl->migrate(); }); !migrated) return std::unexpected(migrated.error());
    return Store(std::move(impl));
}

std::expected<Store, Error> Store::open_read_only(const std::filesystem::path& location) {
    std::unique_ptr<Impl> impl;
    const std::string where = location.string();
    try {
        if (!sql::is_postgresql_url(where) && !std::filesystem::exists(location))
            return std::unexpected(Error{ErrorKind::database, "数据库文件不存在（先用 gkml ingest 建库） / no such database", where, 0});
        impl = std::make_unique<Impl>(where, sql::Access::read_only);
        int version = impl->db->schema_version();
        if (version != Store::schema_version)
            return std::unexpected(Error{ErrorKind::database,
                                         version == 0 && impl->postgresql()
                                             ? "数据库里还没有 gkml 的表（先用 gkml ingest 建库） / the database holds no gkml store yet"
                                             : "the database has schema version " + std::to_string(version) + ", this gkml reads " +
                                                   std::to_string(Store::schema_version) + " (gkml ingest brings an older one up to date)",
                                         shown_location(where), 0});
    } catch (const std::exception& e) {
        return std::unexpected(database_error(e, where));
    }
    return Store(std::move(impl));
}

std::expected<Store, Error> Store::reader() const { return open_read_only(impl_->location); }

std::string Store::location() const { return shown_location(impl_->location); }

Store::Batch Store::batch() {
    impl_->batching = true;
    impl_->run = new_run_id();
    return Batch(*impl_);
}

Store::Batch::Batch(Batch&& other) noexcept : impl_(std::exchange(other.impl_, nullptr)) {}

Store::Batch::~Batch() {
    if (!impl_) return;
    (void)impl_->end_batch_transaction("ROLLBACK");
    impl_->batching = false;
}

std::expected<void, Error> Store::Batch::commit() { return impl_->end_batch_transaction("COMMIT"); }

std::expected<void, Error> Store::put_units(const std::vector<Unit>& units) {
    return impl_->write([&] {
        for (const auto& unit : units) impl_->put_unit(unit, true);
    });
}

StoredCatalog stored_form(const Catalog& catalog) {
    StoredCatalog out{catalog.meta.unit, {}};
    Catalog one = catalog;
    one.fields.clear();
    for (const auto& field : catalog.fields) {
        one.fields = {field};
        out.fields.emplace_back(field.code, packed::pack_text(write_catalog(one)));
    }
    return out;
}

std::expected<std::optional<Snapshot>, Error> Store::put_catalog(const Catalog& catalog, std::string_view source,
                                                                 std::string_view hash, std::string_view label) {
    return put_catalog(stored_form(catalog), source, hash, label);
}

std::expected<std::optional<Snapshot>, Error> Store::put_catalog(const StoredCatalog& catalog, std::string_view source,
                                                                 std::string_view hash, std::string_view label) {
    if (!catalog.unit)
        return std::unexpected(Error{ErrorKind::invalid_input, "目录没有写明是哪个单位的 / the catalog names no unit", std::string(source), 0});
    const auto& unit = *catalog.unit;
    return impl_->write([&]() -> std::optional<Snapshot> {
        impl_->db->lock_unit(unit.code);
        if (impl_->already_ingested(hash, unit.code, SnapshotKind::catalog)) return std::nullopt;
        impl_->put_unit(Unit{unit.code, unit.name, unit.level, {}, {}}, false);
        auto snapshot = impl_->new_snapshot(unit.code, SnapshotKind::catalog, source, hash, label);
        for (const auto& [code, block] : catalog.fields)
            impl_->db->run("INSERT INTO catalog_fields (snapshot, field, packed) VALUES ($1, $2, $3) "
                           "ON CONFLICT (snapshot, field) DO UPDATE SET packed = excluded.packed",
                           {snapshot.id, code, sql::Blob{block}});
        return snapshot;
    });
}

std::expected<std::optional<Snapshot>, Error> Store::put_ledger(const Ledger& ledger, std::string_view source,
                                                                std::string_view hash, std::string_view label) {
    return impl_->write([&]() -> std::optional<Snapshot> {
        impl_->db->lock_unit(ledger.unit);
        if (impl_->already_ingested(hash, ledger.unit, SnapshotKind::ledger)) return std::nullopt;
        auto snapshot = impl_->new_snapshot(ledger.unit, SnapshotKind::ledger, source, hash, label);
        packed::Packer packer;
        // A row the export lists twice, word for word, is one record.
        std::unordered_set<std::string> seen;
        seen.reserve(ledger.records.size());
        std::string key;
        std::string newest_formed;
        std::string newest_published;
        // Packed in the order records_of gives (item, formed, published; ties as exported), so that
        // reading a unit's one ledger needs no sort.
        std::vector<std::uint32_t> order(ledger.records.size());
        std::iota(order.begin(), order.end(), 0u);
        std::ranges::sort(order, [&](std::uint32_t a, std::uint32_t b) {
            const auto &x = ledger.records[a], &y = ledger.records[b];
            return std::tie(x.item, x.formed, x.published, a) < std::tie(y.item, y.formed, y.published, b);
        });
        for (auto at : order) {
            const auto& r = ledger.records[at];
            const std::string formed = format_date(r.formed), published = format_date(r.published);
            const std::string_view channel = to_string(r.channel);
            key.clear();
            for (std::string_view part : {std::string_view(r.item), std::string_view(formed), std::string_view(published), channel,
                                          std::string_view(r.title), std::string_view(r.url), std::string_view(r.id)})
                (key += part) += '\x1f';
            if (!seen.insert(key).second) continue;
            packer.add({r.item, formed, published, channel, r.title, r.url, r.id});
            newest_formed = std::max(newest_formed, formed);
            newest_published = std::max(newest_published, published);
        }
        const auto block = packer.finish();
        const auto count = static_cast<std::int64_t>(packer.size());
        impl_->db->run("INSERT INTO ledger_records (snapshot, count, records) VALUES ($1, $2, $3)", {snapshot.id, count, sql::Blob{block}});
        // Only a span the export declares whole restates: a CSV, or a file naming one end only,
        // covers nothing and adds to what the unit held (a record it repeats still counts once).
        const bool spanned = ledger.from && ledger.to;
        const std::string span_from = spanned ? format_date(*ledger.from) : "", span_to = spanned ? format_date(*ledger.to) : "";
        impl_->db->run("UPDATE snapshots SET newest_formed = $1, newest_published = $2, span_from = $3, span_to = $4 WHERE id = $5",
                       {newest_formed, newest_published, span_from, span_to, snapshot.id});
        if (spanned &&
            impl_->db->query("SELECT 1 FROM snapshots WHERE unit = $1 AND kind = 'ledger' AND id < $2 LIMIT 1", {ledger.unit, snapshot.id})->next()) {
            // What the unit's records in that span were before it, and are now: a restatement that
            // leaves fewer is worth a word to whoever ingests it.
            auto in_span = [&](std::int64_t as_of) -> std::int64_t {
                auto records = records_of(ledger.unit, as_of);
                if (!records) throw std::runtime_error(records.error().message);
                return std::ranges::count_if(*records, [&](const Record& r) { return r.published >= *ledger.from && r.published <= *ledger.to; });
            };
            snapshot.span_before = in_span(snapshot.id - 1);
            snapshot.span_after = in_span(snapshot.id);
        }
        snapshot.records = count;
        return snapshot;
    });
}

std::expected<std::vector<Unit>, Error> Store::units() const {
    return impl_->read([&] {
        std::vector<Unit> out;
        auto q = impl_->db->query("SELECT code, name, level, parent, fields FROM units ORDER BY code");
        while (q->next())
            out.push_back(Unit{std::string(q->text(0)), std::string(q->text(1)), level_from(std::string(q->text(2))),
                               std::string(q->text(3)), split(std::string(q->text(4)))});
        return out;
    });
}

std::expected<std::vector<Snapshot>, Error> Store::snapshots(std::string_view unit) const {
    return impl_->read([&] {
        std::vector<Snapshot> out;
        auto q = impl_->db->query("SELECT id, unit, kind, source, taken, label, run FROM snapshots "
                                  "WHERE CAST($1 AS TEXT) = '' OR unit = $1 ORDER BY id",
                                  {unit});
        while (q->next())
            out.push_back(Snapshot{q->int64(0), std::string(q->text(1)), q->text(2) == "catalog" ? SnapshotKind::catalog : SnapshotKind::ledger,
                                   std::string(q->text(3)), std::string(q->text(4)), std::string(q->text(5)), 0, 0, 0, std::string(q->text(6))});
        return out;
    });
}

std::expected<std::optional<Catalog>, Error> Store::catalog_of(std::string_view unit, std::int64_t as_of) const {
    auto parts = impl_->read([&] {
        std::vector<std::string> out;
        // The newest version of each field up to `as_of`; the newest snapshot first, so its header wins.
        auto q = impl_->db->query(R"(
            SELECT cf.packed FROM catalog_fields cf JOIN snapshots s ON s.id = cf.snapshot
            WHERE s.unit = $1 AND s.id <= $2 AND cf.snapshot = (
                SELECT max(c2.snapshot) FROM catalog_fields c2 JOIN snapshots s2 ON s2.id = c2.snapshot
                WHERE s2.unit = $1 AND s2.id <= $2 AND c2.field = cf.field)
            ORDER BY cf.snapshot DESC, cf.field)",
                                  {unit, as_of});
        while (q->next()) out.push_back(packed::unpack_text(q->blob(0)));
        return out;
    });
    if (!parts) return std::unexpected(parts.error());
    if (parts->empty()) return std::optional<Catalog>{};
    std::optional<Catalog> out;
    for (const auto& xml : *parts) {
        auto catalog = parse_stored_catalog(xml, location());
        if (!catalog) return std::unexpected(Error{ErrorKind::database, "库中保存的目录无法读取 / a stored catalog no longer reads: " + catalog.error().message,
                                                   location(), 0});
        if (!out)
            out = std::move(*catalog);
        else
            out->fields.push_back(std::move(catalog->fields.front()));
    }
    std::ranges::sort(out->fields, {}, &Field::code);
    return out;
}

std::expected<std::vector<Record>, Error> Store::records_of(std::string_view unit, std::int64_t as_of, bool with_text) const {
    return impl_->read([&] {
        struct Span {
            std::int64_t snapshot;
            std::string from, to;  // YYYY-MM-DD, compared as text; empty: covers nothing
        };
        // The unit's ledgers, the one reaching furthest first (ties: the later ingest): that order,
        // not the order of ingest, decides which export restates which.
        std::vector<Span> spans;
        auto snapshots = impl_->db->query(R"(
            SELECT id, span_from, span_to FROM snapshots WHERE unit = $1 AND kind = 'ledger' AND id <= $2
            ORDER BY span_to DESC, id DESC)",
                                          {unit, as_of});
        while (snapshots->next()) spans.push_back(Span{snapshots->int64(0), std::string(snapshots->text(1)), std::string(snapshots->text(2))});

        // A record is dropped when an export ranked before its own covers its publication date, and an
        // identity (what the publisher sees: item, dates, channel, URL or else title; not the export's
        // record id) is kept as many times as the one export that lists it most often, so a renumbered
        // restatement never counts twice. A unit with one ledger needs neither.
        const bool restated = spans.size() > 1;
        std::vector<Record> out;
        std::unordered_map<std::string, int> kept, in_snapshot;
        std::string identity;
        for (std::size_t rank = 0; rank < spans.size(); ++rank) {
            auto q = impl_->db->query("SELECT records FROM ledger_records WHERE snapshot = $1", {spans[rank].snapshot});
            const auto damaged = [&] {
                return std::runtime_error("单位 " + std::string(unit) + " 的台账快照 " + std::to_string(spans[rank].snapshot) +
                                          " 的记录已损坏，请从备份恢复数据库 / the records of this ledger snapshot are damaged: restore the database from a backup");
            };
            if (!q->next()) throw damaged();
            const auto records = [&] {
                try {
                    return packed::Records(q->blob(0));
                } catch (const std::runtime_error&) {
                    throw damaged();
                }
            }();
            for (std::size_t i = 0; i < records.size(); ++i) {
                auto text = [&](packed::Column c) { return records.at(i, c); };
                auto published = text(packed::published);
                bool superseded = std::any_of(spans.begin(), spans.begin() + static_cast<std::ptrdiff_t>(rank), [&](const Span& s) {
                    return !s.from.empty() && s.from <= published && published <= s.to;
                });
                if (superseded) continue;
                auto formed = parse_date(text(packed::formed)), on = parse_date(published);
                if (!formed || !on)
                    throw std::runtime_error("a stored record has no date: " + std::string(text(packed::formed)) + " " + std::string(published));
                if (restated) {
                    auto url = text(packed::url);
                    identity.clear();
                    for (auto part : {text(packed::item), text(packed::formed), published, text(packed::channel)}) (identity += part) += '\x1f';
                    if (url.empty()) (identity += "title:") += text(packed::title);
                    else identity += url;
                    identity += '\x1f';
                    int occurrence = ++in_snapshot[identity];
                    if (auto it = kept.find(identity); it != kept.end() && occurrence <= it->second) continue;
                }
                Record record{{}, std::string(text(packed::item)), *formed, *on, channel_code_from(text(packed::channel)).value_or(ChannelCode::other), {}, {}};
                if (with_text) {
                    record.id = text(packed::record_id);
                    record.title = text(packed::title);
                    record.url = text(packed::url);
                }
                out.push_back(std::move(record));
            }
            for (auto& [key, count] : in_snapshot) kept[key] = std::max(kept[key], count);
            in_snapshot.clear();
        }
        // In order of item, formed and published, ties as read. A unit's one ledger is in that order
        // already (put_ledger and the migration pack it so); the records of several are not: their
        // positions are sorted and each record moved once (sorting records moves each many times).
        const auto by_item = [](const Record& a, const Record& b) {
            return std::tie(a.item, a.formed, a.published) < std::tie(b.item, b.formed, b.published);
        };
        if (std::ranges::is_sorted(out, by_item)) return out;
        std::vector<std::uint32_t> order(out.size());
        std::iota(order.begin(), order.end(), 0u);
        std::ranges::sort(order, [&](std::uint32_t a, std::uint32_t b) {
            return std::tie(out[a].item, out[a].formed, out[a].published, a) < std::tie(out[b].item, out[b].formed, out[b].published, b);
        });
        std::vector<Record> sorted;
        sorted.reserve(out.size());
        for (auto at : order) sorted.push_back(std::move(out[at]));
        return sorted;
    });
}

std::expected<std::optional<Date>, Error> Store::ledgers_until(std::int64_t as_of) const {
    return impl_->read([&] {
        auto q = impl_->db->query(R"(
            SELECT max(CASE WHEN span_to > newest_published THEN span_to ELSE newest_published END)
            FROM snapshots WHERE kind = 'ledger' AND id <= $1)",
                                  {as_of});
        std::optional<Date> out;
        if (q->next() && !q->null(0)) out = parse_date(q->text(0));
        return out;
    });
}

std::expected<std::int64_t, Error> Store::newest_snapshot(std::string_view unit, std::int64_t as_of) const {
    return impl_->read([&] {
        auto q = impl_->db->query("SELECT coalesce(max(id), 0) FROM snapshots WHERE unit = $1 AND id <= $2", {unit, as_of});
        return q->next() ? q->int64(0) : std::int64_t{0};
    });
}

std::expected<std::optional<std::string>, Error> Store::kept_coverage(std::string_view unit, std::int64_t through,
                                                                      std::string_view inputs) const {
    return impl_->read([&] {
        auto q = impl_->db->query("SELECT coverage FROM coverage_kept WHERE unit = $1 AND through = $2 AND inputs = $3", {unit, through, inputs});
        std::optional<std::string> out;
        if (q->next()) out = q->blob(0);
        return out;
    });
}

// Enough for the periods and snapshots one unit is commonly looked at by (this year, last year, a
// baseline, the report's trend); older ones are computed again when asked for.
constexpr int kept_per_unit = 8;
constexpr int keep_wait_ms = 1'000;

bool Store::keep_coverage(const std::vector<KeptCoverage>& kept) const {
    if (kept.empty()) return true;
    try {
        auto db = connect(impl_->location, sql::Access::read_write, keep_wait_ms);
        // Newest by write order: SQLite's rowid, PostgreSQL's id.
        const std::string_view prune = db->dialect() == sql::Dialect::sqlite ? R"(
            DELETE FROM coverage_kept WHERE unit = $1 AND rowid NOT IN (
                SELECT rowid FROM coverage_kept WHERE unit = $1 ORDER BY rowid DESC LIMIT $2))"
                                                                             : R"(
            DELETE FROM coverage_kept WHERE unit = $1 AND id NOT IN (
                SELECT id FROM coverage_kept WHERE unit = $1 ORDER BY id DESC LIMIT $2))";
        db->begin_write();
        for (const auto& k : kept) {
            db->run("DELETE FROM coverage_kept WHERE unit = $1 AND through = $2 AND inputs = $3", {k.unit, k.through, k.inputs});
            db->run("INSERT INTO coverage_kept (unit, through, inputs, coverage) VALUES ($1, $2, $3, $4)",
                    {k.unit, k.through, k.inputs, sql::Blob{k.coverage}});
            db->run(prune, {k.unit, std::int64_t{kept_per_unit}});
        }
        db->script("COMMIT");
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

std::expected<std::optional<Date>, Error> Store::latest_formed() const {
    return impl_->read([&] {
        auto q = impl_->db->query("SELECT max(newest_formed) FROM snapshots WHERE kind = 'ledger'");
        return !q->next() || q->null(0) || q->text(0).empty() ? std::optional<Date>{} : parse_date(q->text(0));
    });
}

}  // namespace gkml

namespace gkml {

std::string_view to_string(Role role) {
    switch (role) {
        case Role::township: return "township";
        case Role::county: return "county";
        case Role::admin: return "admin";
    }
    return "township";
}

std::optional<Role> parse_role(std::string_view text) {
    for (auto role : {Role::township, Role::county, Role::admin})
        if (text == to_string(role)) return role;
    return std::nullopt;
}

namespace {

Account account_row(const sql::Rows& q) {
    return Account{std::string(q.text(0)), parse_role(q.text(1)).value_or(Role::township), std::string(q.text(2)),
                   std::string(q.text(3)), std::string(q.text(4))};
}

}  // namespace

std::expected<void, Error> Store::put_account(const Account& account) {
    return impl_->write([&] {
        impl_->db->run(R"(INSERT INTO accounts (name, role, unit, pwhash) VALUES ($1, $2, $3, $4)
            ON CONFLICT (name) DO UPDATE SET role = excluded.role, unit = excluded.unit, pwhash = excluded.pwhash)",
                       {account.name, to_string(account.role), account.unit, account.pwhash});
    });
}

std::expected<std::optional<Account>, Error> Store::account(std::string_view name) const {
    return impl_->read([&] {
        auto q = impl_->db->query("SELECT name, role, unit, pwhash, created FROM accounts WHERE name = $1", {name});
        return q->next() ? std::optional<Account>(account_row(*q)) : std::nullopt;
    });
}

std::expected<std::vector<Account>, Error> Store::accounts() const {
    return impl_->read([&] {
        std::vector<Account> out;
        auto q = impl_->db->query("SELECT name, role, unit, pwhash, created FROM accounts ORDER BY name");
        while (q->next()) out.push_back(account_row(*q));
        return out;
    });
}

std::expected<bool, Error> Store::remove_account(std::string_view name) {
    return impl_->write([&] { return impl_->db->run("DELETE FROM accounts WHERE name = $1", {name}) > 0; });
}

std::expected<std::int64_t, Error> Store::log_upload(const UploadEntry& e) {
    return impl_->write([&] {
        auto q = impl_->db->query(R"(INSERT INTO uploads (account, unit, file, bytes, outcome, errors, warnings, snapshots)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id)",
                                  {e.account, e.unit, e.file, e.bytes, e.outcome, e.errors, e.warnings, e.snapshots});
        if (!q->next()) throw std::runtime_error("an upload was not logged");
        auto id = q->int64(0);
        while (q->next()) {}
        return id;
    });
}

std::expected<std::vector<UploadEntry>, Error> Store::uploads(const std::vector<std::string>& units, std::size_t limit) const {
    return impl_->read([&] {
        std::vector<UploadEntry> out;
        auto q = impl_->db->query("SELECT id, taken, account, unit, file, bytes, outcome, errors, warnings, snapshots "
                                  "FROM uploads ORDER BY id DESC");
        while (out.size() < limit && q->next()) {
            std::string unit(q->text(3));
            if (!units.empty() && std::ranges::find(units, unit) == units.end()) continue;
            out.push_back(UploadEntry{q->int64(0), std::string(q->text(1)), std::string(q->text(2)), unit, std::string(q->text(4)),
                                      q->int64(5), std::string(q->text(6)), q->int64(7), q->int64(8), std::string(q->text(9))});
        }
        return out;
    });
}

}  // namespace gkml

namespace gkml {

namespace {

struct CopiedTable {
    std::string_view name;
    std::vector<std::string_view> columns;
    std::vector<bool> numbers;  // which columns are integers
    std::string_view order;
};

// Everything but kept coverage (a cache the target fills again). Records and catalog fields go
// snapshot by snapshot, so a PostgreSQL source (whose results libpq holds whole) is read in pieces.
const CopiedTable copied_units{"units", {"code", "name", "level", "parent", "fields"}, {false, false, false, false, false}, "code"};
const CopiedTable copied_snapshots{"snapshots",
                                   {"id", "unit", "kind", "source", "hash", "taken", "label", "newest_formed", "span_from", "span_to",
                                    "newest_published", "run"},
                                   {true, false, false, false, false, false, false, false, false, false, false, false},
                                   "id"};
const CopiedTable copied_accounts{"accounts", {"name", "role", "unit", "pwhash", "created"}, {false, false, false, false, false}, "name"};
const CopiedTable copied_uploads{"uploads",
                                 {"id", "taken", "account", "unit", "file", "bytes", "outcome", "errors", "warnings", "snapshots"},
                                 {true, false, false, false, false, true, false, true, true, false},
                                 "id"};

std::int64_t copy_rows(sql::Connection& from, sql::Connection& to, const CopiedTable& table, std::string_view where = {},
                       sql::Params params = {}) {
    std::string columns;
    for (auto c : table.columns) columns += (columns.empty() ? "" : ", ") + std::string(c);
    auto rows = from.query("SELECT " + columns + " FROM " + std::string(table.name) + (where.empty() ? "" : " WHERE ") + std::string(where) +
                               " ORDER BY " + std::string(table.order),
                           params);
    auto bulk = to.bulk(table.name, table.columns);
    std::vector<sql::Param> row(table.columns.size());
    std::int64_t count = 0;
    while (rows->next()) {
        for (std::size_t i = 0; i < row.size(); ++i) {
            const int c = static_cast<int>(i);
            if (table.numbers[i]) row[i] = rows->int64(c);
            else row[i] = rows->text(c);
        }
        bulk->add(row);
        ++count;
    }
    bulk->finish();
    return count;
}

}  // namespace

std::expected<StoreCopy, Error> Store::copy_to(Store& target) const {
    auto& to = *target.impl_;
    auto empty = to.read([&] {
        auto q = to.db->query("SELECT (SELECT count(*) FROM snapshots) + (SELECT count(*) FROM uploads) + (SELECT count(*) FROM accounts)");
        return q->next() && q->int64(0) == 0;
    });
    if (!empty) return std::unexpected(empty.error());
    if (!*empty)
        return std::unexpected(Error{ErrorKind::database,
                                     "目标库已有数据，只能迁入空库 / the target already holds snapshots, uploads or accounts: copy into an empty store",
                                     target.location(), 0});
    return to.write([&] {
        StoreCopy out;
        auto& from = *impl_->db;
        out.units = copy_rows(from, *to.db, copied_units);
        out.snapshots = copy_rows(from, *to.db, copied_snapshots);
        auto snapshots = from.query("SELECT id, unit, kind FROM snapshots ORDER BY id");
        std::vector<std::pair<std::int64_t, std::string>> ledgers, catalogs;
        while (snapshots->next())
            (snapshots->text(2) == "ledger" ? ledgers : catalogs).emplace_back(snapshots->int64(0), std::string(snapshots->text(1)));
        for (const auto& [id, unit] : catalogs) {
            auto fields = from.query("SELECT field, packed FROM catalog_fields WHERE snapshot = $1 ORDER BY field", {id});
            while (fields->next()) {
                const auto block = fields->blob(1);
                to.db->run("INSERT INTO catalog_fields (snapshot, field, packed) VALUES ($1, $2, $3)", {id, fields->text(0), sql::Blob{block}});
            }
        }
        for (const auto& [id, unit] : ledgers) {
            auto records = from.query("SELECT count, records FROM ledger_records WHERE snapshot = $1", {id});
            while (records->next()) {
                const auto block = records->blob(1);
                to.db->run("INSERT INTO ledger_records (snapshot, count, records) VALUES ($1, $2, $3)", {id, records->int64(0), sql::Blob{block}});
                out.records += records->int64(0);
            }
        }
        out.accounts = copy_rows(from, *to.db, copied_accounts);
        out.uploads = copy_rows(from, *to.db, copied_uploads);
        // The ids taken next follow the copied ones (SQLite's AUTOINCREMENT follows by itself).
        if (to.postgresql())
            to.db->script("SELECT setval(pg_get_serial_sequence('snapshots', 'id'), coalesce(max(id), 0) + 1, false) FROM snapshots;"
                          "SELECT setval(pg_get_serial_sequence('uploads', 'id'), coalesce(max(id), 0) + 1, false) FROM uploads;");
        return out;
    });
}

}  // namespace gkml
