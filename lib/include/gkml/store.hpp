// The store: units, catalog and ledger snapshots, and ledger records, in one SQLite file (embedded,
// the default) or one PostgreSQL database (shared, for a city's or province's platform).
//
// SQLite is opened in WAL mode with a busy timeout, so several processes can ingest at once (one
// writes at a time); PostgreSQL writers run side by side, one at a time per unit. Each put is one
// transaction for one unit, or, inside a Batch, one savepoint of the batch's transaction. Putting the same content again (same hash, unit and kind) is a
// no-op. Every other put makes a snapshot; what the store held as of any snapshot can be read back.
#pragma once

#include <cstdint>
#include <expected>
#include <filesystem>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gkml/error.hpp"
#include "gkml/ledger.hpp"
#include "gkml/model.hpp"
#include "gkml/units.hpp"

namespace gkml {

enum class SnapshotKind { catalog, ledger };

struct Snapshot {
    std::int64_t id = 0;  // ascending in ingest order
    std::string unit;
    SnapshotKind kind = SnapshotKind::catalog;
    std::string source;  // the file it came from
    std::string taken;   // UTC, YYYY-MM-DDTHH:MM:SSZ
    std::string label;   // what the ingest run was called (gkml ingest --label), e.g. 2025年中自查
    // Of a ledger just put (not kept; read back, all are 0): the records it lists, and the unit's
    // records inside its declared span before and after it went in.
    std::int64_t records = 0, span_before = 0, span_after = 0;
    // The run that put it: one id per Batch (an ingest, an upload), a put outside a batch its own;
    // empty for snapshots a gkml before store schema 8 put.
    std::string run;
    bool operator==(const Snapshot&) const = default;
};

// Who may sign in to gkml serve. A township account reads and uploads for its unit; a county account
// reads every unit under its unit; an admin reads all and manages accounts.
enum class Role { township, county, admin };
std::string_view to_string(Role);
std::optional<Role> parse_role(std::string_view text);

struct Account {
    std::string name;
    Role role = Role::township;
    std::string unit;      // division code; empty for an admin
    std::string pwhash;    // crypto_pwhash_str (see accounts.hpp), never the password
    std::string created;   // UTC, YYYY-MM-DDTHH:MM:SSZ (set by the store)
    bool operator==(const Account&) const = default;
};

// One upload through gkml serve, and what came of it.
struct UploadEntry {
    std::int64_t id = 0;
    std::string taken;  // UTC (set by the store)
    std::string account, unit, file;
    std::int64_t bytes = 0;
    std::string outcome;  // added, unchanged, rejected
    std::int64_t errors = 0, warnings = 0;
    std::string snapshots;  // ids of the snapshots it added, space-separated
    bool operator==(const UploadEntry&) const = default;
};

// A unit's coverage as computed once (the design's coverage snapshots): `inputs` is a digest of what
// the computation read besides the unit's snapshots, `through` the unit's newest snapshot it saw,
// `coverage` the packed result. Only coverage_in_store reads and writes these.
struct KeptCoverage {
    std::string unit;
    std::int64_t through = 0;
    std::string inputs;
    std::string coverage;
};

// What Store::copy_to copied.
struct StoreCopy {
    std::int64_t units = 0, snapshots = 0, records = 0, accounts = 0, uploads = 0;
};

inline constexpr std::int64_t latest_snapshot = std::numeric_limits<std::int64_t>::max();

// A store's location as it may be shown: a postgresql:// URL without its password.
std::string shown_location(std::string_view location);

// Identifies a file's content for idempotent ingest (64-bit FNV-1a, hex).
std::string content_hash(std::string_view bytes);

std::string_view to_string(SnapshotKind);

// A unit catalog as the store keeps it: for each field, the canonical XML of the catalog holding that
// field alone (so each field can be replaced by a later snapshot on its own), compressed.
struct StoredCatalog {
    std::optional<UnitRef> unit;
    std::vector<std::pair<std::string, std::string>> fields;  // field code, XML compressed with zstd
};
StoredCatalog stored_form(const Catalog& catalog);

// A Store is one connection, for one thread at a time; reader() gives another thread its own.
class Store {
public:
    // `location` is a file (SQLite, created if needed) or a postgresql:// URL naming a database
    // (libpq's form, e.g. postgresql://gkml@db.county.lan/gkml or postgresql:///gkml?host=/run/postgresql),
    // whose tables are made on first use. Either is migrated to the current schema version.
    static std::expected<Store, Error> open(const std::filesystem::path& location);
    static constexpr int schema_version = 9;
    // For reading only: no write lock, no migration (a database from an older gkml is refused until
    // a read-write open migrates it).
    static std::expected<Store, Error> open_read_only(const std::filesystem::path& location);

    struct Impl;

    Store(Store&&) noexcept;
    Store& operator=(Store&&) noexcept;
    ~Store();

    // Groups the puts made while it is open into one transaction: far fewer commits when thousands
    // of files go in. Each put stays all-or-nothing (a savepoint). commit() makes what was put so far
    // durable and goes on in a new transaction; what is not committed when the batch ends is rolled
    // back. The write lock is held from the first put to commit(): commit often enough (about once a
    // second) that another writer's busy timeout is not reached.
    class Batch {
    public:
        Batch(Batch&&) noexcept;
        Batch& operator=(Batch&&) = delete;
        ~Batch();
        std::expected<void, Error> commit();

    private:
        friend class Store;
        explicit Batch(Impl& impl) : impl_(&impl) {}
        Impl* impl_;
    };
    Batch batch();

    // Another read-only connection to the same store, for a thread of its own.
    std::expected<Store, Error> reader() const;
    // Where it is, as it may be shown (a URL's password left out).
    std::string location() const;

    // Registry rows replace the units of the same code.
    std::expected<void, Error> put_units(const std::vector<Unit>& units);

    // A unit catalog (its meta names the unit). Its fields replace the same fields of earlier
    // snapshots. nullopt: this content was already ingested for this unit.
    std::expected<std::optional<Snapshot>, Error> put_catalog(const Catalog& catalog, std::string_view source,
                                                              std::string_view hash, std::string_view label = {});
    // The same from its stored form, which can be made beforehand, outside the write lock.
    std::expected<std::optional<Snapshot>, Error> put_catalog(const StoredCatalog& catalog, std::string_view source,
                                                              std::string_view hash, std::string_view label = {});

    // A ledger is the unit's list as exported at one time, kept whole in its snapshot. A ledger that
    // declares its span (@from and @to) restates what the unit's exports reaching less far said there.
    std::expected<std::optional<Snapshot>, Error> put_ledger(const Ledger& ledger, std::string_view source,
                                                             std::string_view hash, std::string_view label = {});

    std::expected<std::vector<Unit>, Error> units() const;  // by code

    // Snapshots of one unit, or of all when `unit` is empty, by id.
    std::expected<std::vector<Snapshot>, Error> snapshots(std::string_view unit = {}) const;

    // The unit's catalog as of a snapshot: for each field, the newest version ingested up to it.
    std::expected<std::optional<Catalog>, Error> catalog_of(std::string_view unit,
                                                            std::int64_t as_of = latest_snapshot) const;

    // The unit's records as of a snapshot, by item, formed, published: each ledger's records less those
    // inside the span of an export reaching further (its span ends later; at a tie, ingested later),
    // whatever the order of ingest; a record (item, formed, published, channel, URL or else title)
    // that several ledgers list counted once, whatever record id each export gave it. Without text,
    // each record's id, title and URL are left empty (coverage reads neither).
    std::expected<std::vector<Record>, Error> records_of(std::string_view unit, std::int64_t as_of = latest_snapshot,
                                                         bool with_text = true) const;

    // The day the ledgers run to as of a snapshot: the latest declared span end or publication.
    std::expected<std::optional<Date>, Error> ledgers_until(std::int64_t as_of = latest_snapshot) const;

    // The newest formed date of any record.
    std::expected<std::optional<Date>, Error> latest_formed() const;

    // The unit's newest snapshot up to `as_of`; 0 when it has none.
    std::expected<std::int64_t, Error> newest_snapshot(std::string_view unit, std::int64_t as_of = latest_snapshot) const;

    // Kept coverage (KeptCoverage), by unit, snapshot and inputs.
    std::expected<std::optional<std::string>, Error> kept_coverage(std::string_view unit, std::int64_t through,
                                                                    std::string_view inputs) const;
    // Keeps them, replacing the same key; each unit keeps its newest few. A cache: it writes through a
    // connection of its own (a read-only store too), waits a moment at most for the write lock, and
    // returns false where the file cannot be written then (read-only media, another writer busy).
    bool keep_coverage(const std::vector<KeptCoverage>& kept) const;

    // Accounts of gkml serve: put replaces the account of the same name (its created date kept).
    std::expected<void, Error> put_account(const Account& account);
    std::expected<std::optional<Account>, Error> account(std::string_view name) const;
    std::expected<std::vector<Account>, Error> accounts() const;  // by name
    std::expected<bool, Error> remove_account(std::string_view name);

    // The upload log: an entry is put in the same transaction (or batch) as what the upload added.
    std::expected<std::int64_t, Error> log_upload(const UploadEntry& entry);
    // Newest first; of the units given, or of all when `units` is empty; at most `limit`.
    std::expected<std::vector<UploadEntry>, Error> uploads(const std::vector<std::string>& units, std::size_t limit) const;

    // Copies everything this store holds into `target`, which must hold no snapshots, uploads or
    // accounts (a county's SQLite file into a shared PostgreSQL store, or back): ids, times, labels
    // and runs kept, so history and trends read the same. Kept coverage is not copied (the target
    // computes it again). One transaction: the target gets all of it or nothing.
    std::expected<StoreCopy, Error> copy_to(Store& target) const;

private:
    explicit Store(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace gkml
