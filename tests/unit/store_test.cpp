#include <catch2/catch.hpp>

#include <thread>
#include <unistd.h>

#include "gkml/files.hpp"
#include "gkml/store.hpp"
#include "gkml/xml.hpp"

namespace fs = std::filesystem;

namespace {

fs::path fixture(const char* name) { return fs::path(GKML_SOURCE_DIR) / "tests/data/coverage" / name; }

struct TempDb {
    fs::path dir = fs::temp_directory_path() / ("gkml-store-" + std::to_string(::getpid()));
    fs::path file = dir / "county.db";
    TempDb() {
        fs::remove_all(dir);
        fs::create_directories(dir);
    }
    ~TempDb() { fs::remove_all(dir); }
};

gkml::Ledger ledger_of(const char* name) {
    auto text = gkml::read_file(fixture(name));
    return *gkml::parse_ledger_xml(*text, name);
}

}  // namespace

TEST_CASE("a new store is at the current schema version and reopens", "[store]") {
    TempDb db;
    {
        auto store = gkml::Store::open(db.file);
        REQUIRE(store);
        auto units = gkml::read_units(fixture("units.xml"));
        REQUIRE(store->put_units(*units));
    }
    auto again = gkml::Store::open(db.file);
    REQUIRE(again);
    auto units = again->units();
    REQUIRE(units);
    CHECK(units->size() == 6);
    CHECK(units->at(3) == gkml::Unit{"230522-mzj", "友谊县民政局", gkml::Level::county, "230522", {"20", "21"}});
}

TEST_CASE("ingesting the same catalog twice changes nothing; a new version is a new snapshot", "[store]") {
    TempDb db;
    auto store = gkml::Store::open(db.file);
    REQUIRE(store);
    auto catalog = gkml::read_catalog(fixture("xinglong-catalog.xml"));
    REQUIRE(catalog);
    auto first = store->put_catalog(*catalog, "xinglong-catalog.xml", "h1");
    REQUIRE(first);
    REQUIRE(*first);
    auto second = store->put_catalog(*catalog, "xinglong-catalog.xml", "h1");
    REQUIRE(second);
    CHECK_FALSE(*second);

    auto changed = *catalog;
    changed.fields[1].items.pop_back();  // 21-002 dropped from field 21 only
    changed.fields.erase(changed.fields.begin());
    auto third = store->put_catalog(changed, "xinglong-field21.xml", "h2");
    REQUIRE(third);
    REQUIRE(*third);

    auto now = store->catalog_of("230522101000");
    REQUIRE(now);
    REQUIRE(*now);
    REQUIRE((*now)->fields.size() == 2);
    CHECK((*now)->fields[0] == catalog->fields[0]);  // field 20 kept from the first snapshot
    CHECK((*now)->fields[1].items.size() == 1);
    auto then = store->catalog_of("230522101000", (*first)->id);
    REQUIRE(then);
    CHECK((*then)->fields == catalog->fields);
    CHECK((*then)->meta.unit == catalog->meta.unit);
    CHECK(store->snapshots("230522101000")->size() == 2);
    auto units = store->units();
    REQUIRE(units->size() == 1);
    CHECK(units->front() == gkml::Unit{"230522101000", "兴隆镇", gkml::Level::township, "", {}});
}

TEST_CASE("records already held are kept once; history is kept per snapshot", "[store]") {
    TempDb db;
    auto store = gkml::Store::open(db.file);
    REQUIRE(store);
    auto ledger = ledger_of("xinglong-ledger.xml");
    auto part = ledger;
    part.records.resize(3);
    auto first = store->put_ledger(part, "part.xml", gkml::content_hash("part"));
    auto second = store->put_ledger(ledger, "all.xml", gkml::content_hash("all"));
    REQUIRE(first);
    REQUIRE(second);
    auto records = store->records_of("230522101000");
    REQUIRE(records);
    CHECK(records->size() == 9);
    CHECK(store->records_of("230522101000", (*first)->id)->size() == 3);
    CHECK(store->latest_formed().value() == gkml::parse_date("2024-12-20"));
    CHECK(std::ranges::is_sorted(*records, {}, &gkml::Record::item));
}

TEST_CASE("two writers at once lose nothing", "[store]") {
    TempDb db;
    REQUIRE(gkml::Store::open(db.file));
    auto ledger = ledger_of("xinglong-ledger.xml");
    // Catch2 assertions are not thread-safe: each writer counts its failures.
    auto write = [&](int writer, int& failures) {
        auto store = gkml::Store::open(db.file);
        if (!store) return void(++failures);
        for (int i = 0; i < 40; ++i) {
            auto copy = ledger;
            copy.unit = "23052210" + std::to_string(writer) + "000";
            for (auto& r : copy.records) r.id += "-" + std::to_string(i);
            if (!store->put_ledger(copy, "l.xml", std::to_string(i))) ++failures;
        }
    };
    int failures_a = 0, failures_b = 0;
    std::thread a(write, 1, std::ref(failures_a)), b(write, 3, std::ref(failures_b));
    a.join();
    b.join();
    CHECK(failures_a + failures_b == 0);
    auto store = gkml::Store::open(db.file);
    CHECK(store->records_of("230522101000")->size() == 9 * 40);
    CHECK(store->records_of("230522103000")->size() == 9 * 40);
    CHECK(store->snapshots()->size() == 80);
}

TEST_CASE("content hashes tell files apart and repeat", "[store]") {
    CHECK(gkml::content_hash("a") == gkml::content_hash("a"));
    CHECK(gkml::content_hash("a") != gkml::content_hash("b"));
    CHECK(gkml::content_hash("").size() == 16);
}

TEST_CASE("a batch's puts are seen by others once committed, and what is not committed is not kept", "[store]") {
    TempDb db;
    auto ledger = ledger_of("xinglong-ledger.xml");
    auto store = gkml::Store::open(db.file);
    REQUIRE(store);
    {
        auto batch = store->batch();
        REQUIRE(store->put_ledger(ledger, "l.xml", "h1").value());
        // Inside the batch the writer sees its own records; a reader does not yet.
        CHECK(store->records_of(ledger.unit)->size() == 9);
        auto reader = gkml::Store::open_read_only(db.file);
        REQUIRE(reader);
        CHECK(reader->records_of(ledger.unit)->empty());
        REQUIRE(batch.commit());
        CHECK(reader->records_of(ledger.unit)->size() == 9);
        auto other = ledger;
        other.unit = "230522103000";
        REQUIRE(store->put_ledger(other, "other.xml", "h2").value());
    }  // the batch ends without a second commit: the other ledger is rolled back
    CHECK(store->records_of("230522103000")->empty());
    CHECK(store->snapshots()->size() == 1);
    // After the batch, puts are their own transactions again.
    REQUIRE(store->put_ledger(ledger, "l2.xml", "h3").value());
    CHECK(gkml::Store::open_read_only(db.file)->snapshots()->size() == 2);
}

TEST_CASE("a read-only open refuses a missing database and does not create it", "[store]") {
    TempDb db;
    auto store = gkml::Store::open_read_only(db.file);
    REQUIRE_FALSE(store);
    CHECK(store.error().kind == gkml::ErrorKind::database);
    CHECK_FALSE(fs::exists(db.file));
}

TEST_CASE("a database from schema version 3 is migrated with every snapshot and record kept", "[store]") {
    TempDb db;
    fs::copy_file(fs::path(GKML_SOURCE_DIR) / "tests/data/store/schema-3.db", db.file);
    // An older database is not for reading as it is: a read-only open says so.
    auto old = gkml::Store::open_read_only(db.file);
    REQUIRE_FALSE(old);
    CHECK(old.error().message.find("schema version 3") != std::string::npos);
    auto store = gkml::Store::open(db.file);
    REQUIRE(store);
    CHECK(gkml::Store::open_read_only(db.file));
    CHECK(store->snapshots()->size() == 4);
    CHECK(store->latest_formed().value() == gkml::parse_date("2024-12-20"));
    auto xinglong = store->records_of("230522101000");
    REQUIRE(xinglong);
    auto from_file = ledger_of("xinglong-ledger.xml").records;
    std::ranges::sort(from_file, {}, [](const gkml::Record& r) { return std::tie(r.item, r.formed, r.published); });
    CHECK(*xinglong == from_file);
    CHECK(store->records_of("230522103000")->size() == 4);
    CHECK(store->catalog_of("230522101000").value()->meta.unit->name == "兴隆镇");
    // And it takes new records as a new database would.
    auto ledger = ledger_of("xinglong-ledger.xml");
    ledger.records.front().title = "更正后的标题";
    REQUIRE(store->put_ledger(ledger, "again.xml", "h-again").value());
    CHECK(store->records_of("230522101000")->size() == from_file.size() + 1);
}
