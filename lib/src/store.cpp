#include "gkml/store.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <optional>
#include <random>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "gkml/xml.hpp"

namespace gkml {

namespace {

// Migration N brings a database from user_version N to N + 1; never edit one that has shipped.
constexpr std::array<std::string_view, Store::schema_version> migrations{
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

constexpr int busy_timeout_ms = 60'000;

// Tells one run's snapshots from another's, whatever their times (64 random bits, hex).
std::string new_run_id() {
    static thread_local std::mt19937_64 bits{std::random_device{}()};
    char out[17];
    std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(bits()));
    return out;
}

Error database_error(const std::exception& e, const std::filesystem::path& file) {
    return Error{ErrorKind::database, e.what(), file.string(), 0};
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
    std::filesystem::path file;
    SQLite::Database db;
    bool batching = false;    // a Batch is open
    bool in_batch_transaction = false;  // and its transaction has begun
    std::string run;  // the open Batch's run id (Snapshot::run)

    Impl(const std::filesystem::path& path, int flags) : file(path), db(path.string(), flags, busy_timeout_ms) {}

    // Runs `body` inside an IMMEDIATE transaction: the write lock is taken up front, so two writers
    // queue on the busy timeout instead of failing when one upgrades its read lock. In a batch, the
    // body is a savepoint of the batch's transaction.
    template <typename F>
    auto write(F&& body) -> std::expected<decltype(body()), Error> {
        try {
            if (batching && !in_batch_transaction) {
                db.exec("BEGIN IMMEDIATE");
                in_batch_transaction = true;
            }
            if (batching) db.exec("SAVEPOINT put");
            std::optional<SQLite::Transaction> transaction;
            if (!batching) transaction.emplace(db, SQLite::TransactionBehavior::IMMEDIATE);
            auto done = [&] {
                if (transaction) transaction->commit();
                else db.exec("RELEASE put");
            };
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
                if (batching) db.exec("ROLLBACK TO put; RELEASE put");
                throw;
            }
        } catch (const std::exception& e) {
            return std::unexpected(database_error(e, file));
        }
    }

    std::expected<void, Error> end_batch_transaction(std::string_view how) {
        if (!in_batch_transaction) return {};
        in_batch_transaction = false;
        try {
            db.exec(std::string(how));
            return {};
        } catch (const std::exception& e) {
            return std::unexpected(database_error(e, file));
        }
    }

    template <typename F>
    auto read(F&& body) const -> std::expected<decltype(body()), Error> {
        try {
            return body();
        } catch (const std::exception& e) {
            return std::unexpected(database_error(e, file));
        }
    }

    bool already_ingested(std::string_view hash, std::string_view unit, SnapshotKind kind) {
        SQLite::Statement q(db, "SELECT 1 FROM snapshots WHERE hash = ? AND unit = ? AND kind = ?");
        q.bind(1, std::string(hash));
        q.bind(2, std::string(unit));
        q.bind(3, std::string(to_string(kind)));
        return q.executeStep();
    }

    Snapshot new_snapshot(std::string_view unit, SnapshotKind kind, std::string_view source, std::string_view hash,
                          std::string_view label) {
        SQLite::Statement insert(
            db, "INSERT INTO snapshots (unit, kind, source, hash, label, run) VALUES (?, ?, ?, ?, ?, ?) RETURNING id, taken");
        insert.bind(1, std::string(unit));
        insert.bind(2, std::string(to_string(kind)));
        insert.bind(3, std::string(source));
        insert.bind(4, std::string(hash));
        insert.bind(5, std::string(label));
        const std::string run_id = batching ? run : new_run_id();
        insert.bind(6, run_id);
        insert.executeStep();
        Snapshot out{insert.getColumn(0).getInt64(), std::string(unit), kind, std::string(source),
                     insert.getColumn(1).getString(), std::string(label), 0, 0, 0, run_id};
        while (insert.executeStep()) {}
        return out;
    }

    void put_unit(const Unit& unit, bool replace) {
        SQLite::Statement q(db, std::string(replace ? "INSERT OR REPLACE" : "INSERT OR IGNORE") +
                                    " INTO units (code, name, level, parent, fields) VALUES (?, ?, ?, ?, ?)");
        q.bind(1, unit.code);
        q.bind(2, unit.name);
        q.bind(3, std::string(level_name(unit.level)));
        q.bind(4, unit.parent);
        q.bind(5, joined(unit.fields));
        q.exec();
    }

    void migrate() {
        int version = db.execAndGet("PRAGMA user_version").getInt();
        if (version > Store::schema_version)
            throw std::runtime_error("the database has schema version " + std::to_string(version) +
                                     ", newer than this gkml knows (" + std::to_string(Store::schema_version) + ")");
        for (; version < Store::schema_version; ++version) db.exec(std::string(migrations[static_cast<std::size_t>(version)]));
        db.exec("PRAGMA user_version = " + std::to_string(version));
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

// Page cache per connection (negative: KiB): the record indexes of a province stay in memory while
// it is ingested, well inside the memory a county office machine has.
constexpr int cache_kib = 64 * 1024;
// A reader goes through a unit's rows once (and the OS caches the file): a small cache per
// connection keeps a province's coverage, one connection per core, inside its memory bound.
constexpr int reader_cache_kib = 8 * 1024;

std::expected<Store, Error> Store::open(const std::filesystem::path& file) {
    std::unique_ptr<Impl> impl;
    try {
        impl = std::make_unique<Impl>(file, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX);
        impl->db.exec("PRAGMA journal_mode = WAL");
        // Under WAL, NORMAL loses no committed transaction to a crash of gkml, only (at worst) the
        // last ones to a power cut, and never corrupts the file; a re-ingest restores what was lost.
        impl->db.exec("PRAGMA synchronous = NORMAL");
        impl->db.exec("PRAGMA cache_size = -" + std::to_string(cache_kib));
        impl->db.exec("PRAGMA foreign_keys = ON");
    } catch (const std::exception& e) {
        return std::unexpected(database_error(e, file));
    }
    if (auto migrated = impl->write([&] { impl->migrate(); }); !migrated) return std::unexpected(migrated.error());
    return Store(std::move(impl));
}

std::expected<Store, Error> Store::open_read_only(const std::filesystem::path& file) {
    std::unique_ptr<Impl> impl;
    try {
        if (!std::filesystem::exists(file))
            return std::unexpected(Error{ErrorKind::database, "数据库文件不存在（先用 gkml ingest 建库） / no such database", file.string(), 0});
        impl = std::make_unique<Impl>(file, SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX);
        impl->db.exec("PRAGMA cache_size = -" + std::to_string(reader_cache_kib));
        int version = impl->db.execAndGet("PRAGMA user_version").getInt();
        if (version != Store::schema_version)
            return std::unexpected(Error{ErrorKind::database,
                                         "the database has schema version " + std::to_string(version) + ", this gkml reads " +
                                             std::to_string(Store::schema_version) + " (gkml ingest brings an older one up to date)",
                                         file.string(), 0});
    } catch (const std::exception& e) {
        return std::unexpected(database_error(e, file));
    }
    return Store(std::move(impl));
}

std::expected<Store, Error> Store::reader() const { return open_read_only(impl_->file); }

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
        out.fields.emplace_back(field.code, write_catalog(one));
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
        if (impl_->already_ingested(hash, unit.code, SnapshotKind::catalog)) return std::nullopt;
        impl_->put_unit(Unit{unit.code, unit.name, unit.level, {}, {}}, false);
        auto snapshot = impl_->new_snapshot(unit.code, SnapshotKind::catalog, source, hash, label);
        SQLite::Statement insert(impl_->db, "INSERT OR REPLACE INTO catalog_fields (snapshot, field, xml) VALUES (?, ?, ?)");
        for (const auto& [code, xml] : catalog.fields) {
            insert.bind(1, snapshot.id);
            insert.bindNoCopy(2, code);
            insert.bindNoCopy(3, xml);
            insert.exec();
            insert.reset();
        }
        return snapshot;
    });
}

std::expected<std::optional<Snapshot>, Error> Store::put_ledger(const Ledger& ledger, std::string_view source,
                                                                std::string_view hash, std::string_view label) {
    return impl_->write([&]() -> std::optional<Snapshot> {
        if (impl_->already_ingested(hash, ledger.unit, SnapshotKind::ledger)) return std::nullopt;
        auto snapshot = impl_->new_snapshot(ledger.unit, SnapshotKind::ledger, source, hash, label);
        SQLite::Statement insert(impl_->db,
                                 "INSERT INTO records (unit, item, formed, published, channel, title, url, "
                                 "record_id, snapshot, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        insert.bindNoCopy(1, ledger.unit);
        insert.bind(9, snapshot.id);
        // A row the export lists twice, word for word, is one record.
        std::unordered_set<std::string> seen;
        seen.reserve(ledger.records.size());
        std::string key;
        std::int64_t seq = 0;
        std::string newest_formed;
        std::string newest_published;
        for (const auto& r : ledger.records) {
            const std::string formed = format_date(r.formed), published = format_date(r.published);
            const std::string_view channel = to_string(r.channel);
            key.clear();
            for (std::string_view part : {std::string_view(r.item), std::string_view(formed), std::string_view(published), channel,
                                          std::string_view(r.title), std::string_view(r.url), std::string_view(r.id)})
                (key += part) += '\x1f';
            if (!seen.insert(key).second) continue;
            insert.bindNoCopy(2, r.item);
            insert.bind(3, formed);
            insert.bind(4, published);
            insert.bind(5, std::string(channel));
            insert.bindNoCopy(6, r.title);
            insert.bindNoCopy(7, r.url);
            insert.bindNoCopy(8, r.id);
            insert.bind(10, seq++);
            insert.exec();
            insert.reset();
            newest_formed = std::max(newest_formed, formed);
            newest_published = std::max(newest_published, published);
        }
        // Only a span the export declares whole restates: a CSV, or a file naming one end only,
        // covers nothing and adds to what the unit held (a record it repeats still counts once).
        const bool spanned = ledger.from && ledger.to;
        const std::string span_from = spanned ? format_date(*ledger.from) : "", span_to = spanned ? format_date(*ledger.to) : "";
        SQLite::Statement update(impl_->db, "UPDATE snapshots SET newest_formed = ?, newest_published = ?, span_from = ?, span_to = ? WHERE id = ?");
        update.bind(1, newest_formed);
        update.bind(2, newest_published);
        update.bind(3, span_from);
        update.bind(4, span_to);
        update.bind(5, snapshot.id);
        update.exec();
        SQLite::Statement earlier(impl_->db, "SELECT 1 FROM snapshots WHERE unit = ? AND kind = 'ledger' AND id < ? LIMIT 1");
        earlier.bind(1, ledger.unit);
        earlier.bind(2, snapshot.id);
        if (spanned && earlier.executeStep()) {
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
        snapshot.records = seq;
        return snapshot;
    });
}

std::expected<std::vector<Unit>, Error> Store::units() const {
    return impl_->read([&] {
        std::vector<Unit> out;
        SQLite::Statement q(impl_->db, "SELECT code, name, level, parent, fields FROM units ORDER BY code");
        while (q.executeStep())
            out.push_back(Unit{q.getColumn(0).getString(), q.getColumn(1).getString(),
                               level_from(q.getColumn(2).getString()), q.getColumn(3).getString(),
                               split(q.getColumn(4).getString())});
        return out;
    });
}

std::expected<std::vector<Snapshot>, Error> Store::snapshots(std::string_view unit) const {
    return impl_->read([&] {
        std::vector<Snapshot> out;
        SQLite::Statement q(impl_->db, "SELECT id, unit, kind, source, taken, label, run FROM snapshots WHERE ?1 = '' OR unit = ?1 ORDER BY id");
        q.bind(1, std::string(unit));
        while (q.executeStep())
            out.push_back(Snapshot{q.getColumn(0).getInt64(), q.getColumn(1).getString(),
                                   q.getColumn(2).getString() == "catalog" ? SnapshotKind::catalog : SnapshotKind::ledger,
                                   q.getColumn(3).getString(), q.getColumn(4).getString(), q.getColumn(5).getString(), 0, 0, 0,
                                   q.getColumn(6).getString()});
        return out;
    });
}

std::expected<std::optional<Catalog>, Error> Store::catalog_of(std::string_view unit, std::int64_t as_of) const {
    auto parts = impl_->read([&] {
        std::vector<std::string> out;
        // The newest version of each field up to `as_of`; the newest snapshot first, so its header wins.
        SQLite::Statement q(impl_->db, R"(
            SELECT cf.xml FROM catalog_fields cf JOIN snapshots s ON s.id = cf.snapshot
            WHERE s.unit = ?1 AND s.id <= ?2 AND cf.snapshot = (
                SELECT max(c2.snapshot) FROM catalog_fields c2 JOIN snapshots s2 ON s2.id = c2.snapshot
                WHERE s2.unit = ?1 AND s2.id <= ?2 AND c2.field = cf.field)
            ORDER BY cf.snapshot DESC, cf.field)");
        q.bind(1, std::string(unit));
        q.bind(2, as_of);
        while (q.executeStep()) out.push_back(q.getColumn(0).getString());
        return out;
    });
    if (!parts) return std::unexpected(parts.error());
    if (parts->empty()) return std::optional<Catalog>{};
    std::optional<Catalog> out;
    for (const auto& xml : *parts) {
        auto catalog = parse_stored_catalog(xml, impl_->file.string());
        if (!catalog) return std::unexpected(Error{ErrorKind::database, "库中保存的目录无法读取 / a stored catalog no longer reads: " + catalog.error().message,
                                                   impl_->file.string(), 0});
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
        SQLite::Statement snapshots(impl_->db, R"(
            SELECT id, span_from, span_to FROM snapshots WHERE unit = ? AND kind = 'ledger' AND id <= ?
            ORDER BY span_to DESC, id DESC)");
        snapshots.bind(1, std::string(unit));
        snapshots.bind(2, as_of);
        while (snapshots.executeStep())
            spans.push_back(Span{snapshots.getColumn(0).getInt64(), snapshots.getColumn(1).getString(), snapshots.getColumn(2).getString()});

        // A record is dropped when an export ranked before its own covers its publication date, and an
        // identity (what the publisher sees: item, dates, channel, URL or else title; not the export's
        // record id) is kept as many times as the one export that lists it most often, so a renumbered
        // restatement never counts twice. A unit with one ledger needs neither.
        const bool restated = spans.size() > 1;
        std::vector<Record> out;
        std::unordered_map<std::string, int> kept, in_snapshot;
        std::string identity;
        SQLite::Statement q(impl_->db, R"(
            SELECT record_id, item, formed, published, channel, title, url FROM records
            WHERE unit = ? AND snapshot = ? ORDER BY seq)");
        for (std::size_t rank = 0; rank < spans.size(); ++rank) {
            q.reset();
            q.bind(1, std::string(unit));
            q.bind(2, spans[rank].snapshot);
            while (q.executeStep()) {
                auto text = [&](int c) {
                    auto column = q.getColumn(c);
                    return std::string_view(column.getText(), static_cast<std::size_t>(column.getBytes()));
                };
                auto published = text(3);
                bool superseded = std::any_of(spans.begin(), spans.begin() + static_cast<std::ptrdiff_t>(rank), [&](const Span& s) {
                    return !s.from.empty() && s.from <= published && published <= s.to;
                });
                if (superseded) continue;
                auto formed = parse_date(text(2)), on = parse_date(published);
                if (!formed || !on) throw std::runtime_error("a stored record has no date: " + std::string(text(2)) + " " + std::string(published));
                if (restated) {
                    auto url = text(6);
                    identity.clear();
                    for (auto part : {text(1), text(2), published, text(4)}) (identity += part) += '\x1f';
                    if (url.empty()) (identity += "title:") += text(5);
                    else identity += url;
                    identity += '\x1f';
                    int occurrence = ++in_snapshot[identity];
                    if (auto it = kept.find(identity); it != kept.end() && occurrence <= it->second) continue;
                }
                Record record{{}, std::string(text(1)), *formed, *on, channel_code_from(text(4)).value_or(ChannelCode::other), {}, {}};
                if (with_text) {
                    record.id = text(0);
                    record.title = text(5);
                    record.url = text(6);
                }
                out.push_back(std::move(record));
            }
            for (auto& [key, count] : in_snapshot) kept[key] = std::max(kept[key], count);
            in_snapshot.clear();
        }
        std::ranges::stable_sort(out, [](const Record& a, const Record& b) {
            return std::tie(a.item, a.formed, a.published) < std::tie(b.item, b.formed, b.published);
        });
        return out;
    });
}

std::expected<std::optional<Date>, Error> Store::ledgers_until(std::int64_t as_of) const {
    return impl_->read([&] {
        SQLite::Statement q(impl_->db, R"(
            SELECT max(max(span_to, newest_published)) FROM snapshots WHERE kind = 'ledger' AND id <= ?)");
        q.bind(1, as_of);
        std::optional<Date> out;
        if (q.executeStep() && !q.getColumn(0).isNull()) out = parse_date(q.getColumn(0).getString());
        return out;
    });
}

std::expected<std::int64_t, Error> Store::newest_snapshot(std::string_view unit, std::int64_t as_of) const {
    return impl_->read([&] {
        SQLite::Statement q(impl_->db, "SELECT coalesce(max(id), 0) FROM snapshots WHERE unit = ? AND id <= ?");
        q.bind(1, std::string(unit));
        q.bind(2, as_of);
        q.executeStep();
        return q.getColumn(0).getInt64();
    });
}

std::expected<std::optional<std::string>, Error> Store::kept_coverage(std::string_view unit, std::int64_t through,
                                                                      std::string_view inputs) const {
    return impl_->read([&] {
        SQLite::Statement q(impl_->db, "SELECT coverage FROM coverage_kept WHERE unit = ? AND through = ? AND inputs = ?");
        q.bind(1, std::string(unit));
        q.bind(2, through);
        q.bind(3, std::string(inputs));
        std::optional<std::string> out;
        if (q.executeStep()) {
            auto column = q.getColumn(0);
            out.emplace(static_cast<const char*>(column.getBlob()), static_cast<std::size_t>(column.getBytes()));
        }
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
        SQLite::Database db(impl_->file.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX, keep_wait_ms);
        SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
        SQLite::Statement put(db, "INSERT OR REPLACE INTO coverage_kept (unit, through, inputs, coverage) VALUES (?, ?, ?, ?)");
        SQLite::Statement prune(db, R"(
            DELETE FROM coverage_kept WHERE unit = ?1 AND rowid NOT IN (
                SELECT rowid FROM coverage_kept WHERE unit = ?1 ORDER BY rowid DESC LIMIT ?2))");
        for (const auto& k : kept) {
            put.reset();
            put.bind(1, k.unit);
            put.bind(2, k.through);
            put.bind(3, k.inputs);
            put.bind(4, k.coverage.data(), static_cast<int>(k.coverage.size()));
            put.exec();
            prune.reset();
            prune.bind(1, k.unit);
            prune.bind(2, kept_per_unit);
            prune.exec();
        }
        transaction.commit();
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

std::expected<std::optional<Date>, Error> Store::latest_formed() const {
    return impl_->read([&] {
        auto newest = impl_->db.execAndGet("SELECT max(newest_formed) FROM snapshots WHERE kind = 'ledger'");
        return newest.isNull() || newest.getString().empty() ? std::optional<Date>{} : parse_date(newest.getString());
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

Account account_row(SQLite::Statement& q) {
    return Account{q.getColumn(0).getString(), parse_role(q.getColumn(1).getString()).value_or(Role::township),
                   q.getColumn(2).getString(), q.getColumn(3).getString(), q.getColumn(4).getString()};
}

}  // namespace

std::expected<void, Error> Store::put_account(const Account& account) {
    return impl_->write([&] {
        SQLite::Statement q(impl_->db, R"(INSERT INTO accounts (name, role, unit, pwhash) VALUES (?, ?, ?, ?)
            ON CONFLICT (name) DO UPDATE SET role = excluded.role, unit = excluded.unit, pwhash = excluded.pwhash)");
        q.bind(1, account.name);
        q.bind(2, std::string(to_string(account.role)));
        q.bind(3, account.unit);
        q.bind(4, account.pwhash);
        q.exec();
    });
}

std::expected<std::optional<Account>, Error> Store::account(std::string_view name) const {
    return impl_->read([&] {
        SQLite::Statement q(impl_->db, "SELECT name, role, unit, pwhash, created FROM accounts WHERE name = ?");
        q.bind(1, std::string(name));
        return q.executeStep() ? std::optional<Account>(account_row(q)) : std::nullopt;
    });
}

std::expected<std::vector<Account>, Error> Store::accounts() const {
    return impl_->read([&] {
        std::vector<Account> out;
        SQLite::Statement q(impl_->db, "SELECT name, role, unit, pwhash, created FROM accounts ORDER BY name");
        while (q.executeStep()) out.push_back(account_row(q));
        return out;
    });
}

std::expected<bool, Error> Store::remove_account(std::string_view name) {
    return impl_->write([&] {
        SQLite::Statement q(impl_->db, "DELETE FROM accounts WHERE name = ?");
        q.bind(1, std::string(name));
        return q.exec() > 0;
    });
}

std::expected<std::int64_t, Error> Store::log_upload(const UploadEntry& e) {
    return impl_->write([&] {
        SQLite::Statement q(impl_->db, R"(INSERT INTO uploads (account, unit, file, bytes, outcome, errors, warnings, snapshots)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id)");
        q.bind(1, e.account);
        q.bind(2, e.unit);
        q.bind(3, e.file);
        q.bind(4, e.bytes);
        q.bind(5, e.outcome);
        q.bind(6, e.errors);
        q.bind(7, e.warnings);
        q.bind(8, e.snapshots);
        q.executeStep();
        auto id = q.getColumn(0).getInt64();
        while (q.executeStep()) {}
        return id;
    });
}

std::expected<std::vector<UploadEntry>, Error> Store::uploads(const std::vector<std::string>& units, std::size_t limit) const {
    return impl_->read([&] {
        std::vector<UploadEntry> out;
        SQLite::Statement q(impl_->db, "SELECT id, taken, account, unit, file, bytes, outcome, errors, warnings, snapshots "
                                       "FROM uploads ORDER BY id DESC");
        while (out.size() < limit && q.executeStep()) {
            auto unit = q.getColumn(3).getString();
            if (!units.empty() && std::ranges::find(units, unit) == units.end()) continue;
            out.push_back(UploadEntry{q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString(), unit,
                                      q.getColumn(4).getString(), q.getColumn(5).getInt64(), q.getColumn(6).getString(),
                                      q.getColumn(7).getInt64(), q.getColumn(8).getInt64(), q.getColumn(9).getString()});
        }
        return out;
    });
}

}  // namespace gkml
