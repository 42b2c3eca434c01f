#include <catch2/catch.hpp>

#include <cstdlib>
#include <thread>
#include <unistd.h>

#include "gkml/audit.hpp"
#include "gkml/files.hpp"
#include "gkml/store.hpp"
#include "gkml/xml.hpp"
#include "../../lib/src/sql.hpp"

namespace fs = std::filesystem;

namespace {

fs::path fixture(const char* name) { return fs::path(GKML_SOURCE_DIR) / "tests/data/coverage" / name; }

// A new, empty store for one test: a SQLite file, or, when GKML_TEST_STORE names a PostgreSQL
// server's `postgres` database (ctest's "postgresql:" run of these tests), a database of its own there.
struct TempDb {
    inline static int made = 0;
    fs::path dir = fs::temp_directory_path() / ("gkml-store-" + std::to_string(::getpid()) + "-" + std::to_string(++made));
    fs::path file = dir / "county.db";
    std::string server, name;
    TempDb() {
        fs::remove_all(dir);
        fs::create_directories(dir);
        if (const char* base = std::getenv("GKML_TEST_STORE"); base && *base) {
            server = base;
            name = "gkml_store_test_" + std::to_string(::getpid()) + "_" + std::to_string(made);
            gkml::sql::open_postgresql(server, gkml::sql::Access::read_write, 10'000)->script("CREATE DATABASE " + name);
            auto at = server.find("/postgres?");
            REQUIRE(at != std::string::npos);
            file = server.substr(0, at) + "/" + name + server.substr(at + 9);
        }
    }
    ~TempDb() {
        fs::remove_all(dir);
        if (!name.empty()) gkml::sql::open_postgresql(server, gkml::sql::Access::read_write, 10'000)->script("DROP DATABASE " + name + " WITH (FORCE)");
    }
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

TEST_CASE("ingesting the same catalog twice changes nothing, a new version is a new snapshot", "[store]") {
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

TEST_CASE("a fuller export of the same span restates the first, history is kept per snapshot", "[store]") {
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
        for (int i = 10; i < 50; ++i) {
            auto copy = ledger;
            copy.unit = "230522" + std::to_string(writer) + std::to_string(i) + "000";
            if (!store->put_ledger(copy, "l.xml", std::to_string(i))) ++failures;
        }
    };
    int failures_a = 0, failures_b = 0;
    std::thread a(write, 1, std::ref(failures_a)), b(write, 3, std::ref(failures_b));
    a.join();
    b.join();
    CHECK(failures_a + failures_b == 0);
    auto store = gkml::Store::open(db.file);
    for (int i = 10; i < 50; ++i)
        for (auto writer : {"1", "3"}) CHECK(store->records_of("230522" + std::string(writer) + std::to_string(i) + "000")->size() == 9);
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

TEST_CASE("a read-only open refuses a missing database and does not create it", "[store][sqlite]") {
    TempDb db;
    auto store = gkml::Store::open_read_only(db.file);
    REQUIRE_FALSE(store);
    CHECK(store.error().kind == gkml::ErrorKind::database);
    CHECK_FALSE(fs::exists(db.file));
}

TEST_CASE("a ledger's records damaged on disk are an error naming the unit, not other records", "[store][sqlite]") {
    TempDb db;
    {
        auto store = gkml::Store::open(db.file);
        REQUIRE(store->put_ledger(ledger_of("xinglong-ledger.xml"), "l.xml", "h-l").value());
        REQUIRE(store->records_of("230522101000")->size() == 9);
    }
    // One byte of the stored block changed, as a bad sector or a careless hand would.
    gkml::sql::open_sqlite(db.file.string(), gkml::sql::Access::read_write, 1'000, 1'024)
        ->script("UPDATE ledger_records SET records = substr(records, 1, 20) || "
                 "CASE WHEN substr(records, 21, 1) = x'00' THEN x'01' ELSE x'00' END || substr(records, 22)");
    auto store = gkml::Store::open(db.file);
    auto records = store->records_of("230522101000");
    REQUIRE_FALSE(records);
    CHECK(records.error().kind == gkml::ErrorKind::database);
    CHECK(records.error().message.find("230522101000") != std::string::npos);
    CHECK(records.error().message.find("已损坏") != std::string::npos);
}

TEST_CASE("a database from schema version 3 is migrated with every snapshot and record kept", "[store][sqlite]") {
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
    // And a new export restates its span over the migrated records, as in a new database.
    auto ledger = ledger_of("xinglong-ledger.xml");
    ledger.records.front().title = "更正后的标题";
    REQUIRE(store->put_ledger(ledger, "again.xml", "h-again").value());
    auto restated = store->records_of("230522101000");
    REQUIRE(restated->size() == from_file.size());
    CHECK(std::ranges::count(*restated, "更正后的标题", &gkml::Record::title) == 1);
}

namespace {

gkml::Record record(const char* id, const char* item, const char* formed, const char* published, const char* title,
                    const char* url = "") {
    return gkml::Record{id, item, *gkml::parse_date(formed), *gkml::parse_date(published), gkml::ChannelCode::website, title, url};
}

}  // namespace

TEST_CASE("the year-end export restates the mid-year one: renumbered records count once, the mid-year point stays", "[store]") {
    TempDb db;
    auto store = gkml::Store::open(db.file);
    REQUIRE(store);
    gkml::Ledger midyear{"230522203000",
                         {record("0001", "20-001", "2025-01-06", "2025-01-10", "低保办事指南"),
                          record("0002", "20-003", "2025-03-03", "2025-03-05", "临时救助政策文件", "http://www.youyi.gov.cn/a/2.html"),
                          record("0003", "20-004", "2025-05-06", "2025-05-09", "第一季度救助对象（有误）")},
                         gkml::parse_date("2025-01-01"), gkml::parse_date("2025-06-30")};
    // The CMS renumbered, the clerk corrected the third record, and the second half year came in.
    gkml::Ledger year_end{"230522203000",
                          {record("0001", "21-001", "2025-01-02", "2025-01-02", "养老政策"),
                           record("0002", "20-001", "2025-01-06", "2025-01-10", "低保办事指南"),
                           record("0003", "20-003", "2025-03-03", "2025-03-05", "临时救助政策文件（修订标题）", "http://www.youyi.gov.cn/a/2.html"),
                           record("0004", "20-004", "2025-05-06", "2025-05-09", "第一季度救助对象"),
                           record("0005", "20-004", "2025-10-08", "2025-10-10", "第三季度救助对象")},
                          gkml::parse_date("2025-01-01"), gkml::parse_date("2025-12-31")};
    auto first = store->put_ledger(midyear, "2025-06.xml", "h-mid");
    auto second = store->put_ledger(year_end, "2025.xml", "h-end");
    REQUIRE(first.value());
    REQUIRE(second.value());
    auto sorted = year_end.records;
    std::ranges::stable_sort(sorted, {}, [](const gkml::Record& r) { return std::tie(r.item, r.formed, r.published); });
    CHECK(store->records_of("230522203000").value() == sorted);
    auto then = store->records_of("230522203000", (*first)->id).value();
    REQUIRE(then.size() == 3);
    CHECK(then[2].title == "第一季度救助对象（有误）");
    // Ingesting the mid-year file again changes nothing: its content is already in.
    CHECK_FALSE(store->put_ledger(midyear, "2025-06.xml", "h-mid").value());
    CHECK(store->records_of("230522203000")->size() == 5);
}

TEST_CASE("exports of other spans add to each other, and one that declares no span restates nothing", "[store]") {
    TempDb db;
    auto store = gkml::Store::open(db.file);
    REQUIRE(store);
    gkml::Ledger q1{"230522203000", {record("a", "20-001", "2025-01-06", "2025-01-10", "一月"), record("b", "20-001", "2025-03-03", "2025-03-20", "三月")},
                    gkml::parse_date("2025-01-01"), gkml::parse_date("2025-03-31")};
    gkml::Ledger q2{"230522203000", {record("a", "20-001", "2025-04-01", "2025-04-08", "四月")}, gkml::parse_date("2025-04-01"),
                    gkml::parse_date("2025-06-30")};
    REQUIRE(store->put_ledger(q1, "q1.xml", "h1").value());
    REQUIRE(store->put_ledger(q2, "q2.xml", "h2").value());
    CHECK(store->records_of("230522203000")->size() == 3);
    // A CMS's CSV (no span, perhaps filtered to one column) restates nothing and ranks below every
    // declared export: its repeat of March counts once, its April row yields to the export that
    // declares April to June, its July row is added.
    gkml::Ledger csv{"230522203000",
                     {record("x1", "20-001", "2025-03-03", "2025-03-20", "三月"), record("x2", "20-001", "2025-04-01", "2025-04-08", "四月（更正）"),
                      record("x3", "20-001", "2025-07-01", "2025-07-02", "七月")},
                     {}, {}};
    auto put = store->put_ledger(csv, "cms.csv", "h3");
    REQUIRE(put.value());
    CHECK((*put)->span_before == 0);  // no span: nothing restated
    auto records = store->records_of("230522203000").value();
    REQUIRE(records.size() == 4);
    CHECK(records[0].title == "一月");
    CHECK(records[1].title == "三月");
    CHECK(records[2].title == "四月");
    CHECK(records[3].title == "七月");
    // A file naming one end of its span only restates nothing either.
    gkml::Ledger open_ended{"230522203000", {record("y", "20-001", "2025-08-04", "2025-08-05", "八月")}, gkml::parse_date("2025-01-01"), {}};
    REQUIRE(store->put_ledger(open_ended, "open.xml", "h4").value());
    CHECK(store->records_of("230522203000")->size() == 5);
}

TEST_CASE("the export reaching further wins whatever order they are ingested in, and says how much it restates", "[store]") {
    gkml::Ledger midyear{"230522203000", {record("1", "20-001", "2025-01-06", "2025-01-10", "（有误）"), record("2", "20-001", "2025-06-02", "2025-06-05", "六月")},
                         gkml::parse_date("2025-01-01"), gkml::parse_date("2025-06-30")};
    gkml::Ledger year_end{"230522203000", {record("1", "20-001", "2025-01-06", "2025-01-10", "（已更正）"), record("2", "20-001", "2025-06-02", "2025-06-05", "六月"),
                                           record("3", "20-001", "2025-10-09", "2025-10-10", "十月")},
                          gkml::parse_date("2025-01-01"), gkml::parse_date("2025-12-31")};
    std::vector<gkml::Record> in_order, reversed;
    for (bool year_end_first : {false, true}) {
        TempDb db;
        auto store = gkml::Store::open(db.file);
        REQUIRE(store);
        const auto& first = year_end_first ? year_end : midyear;
        const auto& second = year_end_first ? midyear : year_end;
        REQUIRE(store->put_ledger(first, "first.xml", "h1").value());
        auto put = store->put_ledger(second, "second.xml", "h2");
        REQUIRE(put.value());
        // Year-end last: the two mid-year records become its three. Mid-year last: the year-end's
        // records stay, two of them inside the mid-year span.
        CHECK((*put)->span_before == 2);
        CHECK((*put)->span_after == (year_end_first ? 2 : 3));
        (year_end_first ? reversed : in_order) = store->records_of("230522203000").value();
    }
    CHECK(in_order == reversed);
    REQUIRE(in_order.size() == 3);
    CHECK(in_order[0].title == "（已更正）");
}

TEST_CASE("an empty export with a span says nothing was published there, and a span must run forwards", "[store][ledger]") {
    TempDb db;
    auto store = gkml::Store::open(db.file);
    REQUIRE(store);
    REQUIRE(store->put_ledger(gkml::Ledger{"230522203000", {record("1", "20-001", "2025-03-03", "2025-03-05", "三月")}, {}, {}}, "a.csv", "h1").value());
    auto empty = store->put_ledger(gkml::Ledger{"230522203000", {}, gkml::parse_date("2025-01-01"), gkml::parse_date("2025-06-30")}, "e.xml", "h2");
    REQUIRE(empty.value());
    CHECK((*empty)->records == 0);
    CHECK((*empty)->span_before == 1);
    CHECK((*empty)->span_after == 0);
    CHECK(store->records_of("230522203000")->empty());
    CHECK(store->ledgers_until().value() == gkml::parse_date("2025-06-30"));

    auto backwards = gkml::parse_ledger_xml(
        R"(<ledger xmlns="urn:gkml:ledger:1" unit="230522203000" from="2025-12-31" to="2025-01-01"/>)", "backwards.xml");
    REQUIRE_FALSE(backwards);
    CHECK(backwards.error().message.find("from") != std::string::npos);
    CHECK_FALSE(gkml::parse_plainly_valid_ledger(R"(<ledger xmlns="urn:gkml:ledger:1" unit="230522203000" from="2025-12-31" to="2025-01-01"></ledger>)"));
    // The time zone xs:date allows is set aside: the day counts.
    auto zoned = gkml::parse_ledger_xml(
        R"(<ledger xmlns="urn:gkml:ledger:1" unit="230522203000" from="2025-01-01+08:00" to="2025-12-31Z"/>)", "zoned.xml");
    REQUIRE(zoned);
    CHECK(zoned->from == gkml::parse_date("2025-01-01"));
    CHECK(zoned->to == gkml::parse_date("2025-12-31"));
}

TEST_CASE("a record listed again, renumbered, outside the later export's span counts once", "[store]") {
    TempDb db;
    auto store = gkml::Store::open(db.file);
    REQUIRE(store);
    auto june = record("230522203000-2025-0029", "20-001", "2025-06-16", "2025-06-20", "低保办事指南（6月）");
    auto twin = record("230522203000-2025-0030", "20-001", "2025-06-16", "2025-06-20", "低保办事指南（6月）");
    // The first half year lists the same posting twice (two ids): two records, as the CMS says.
    REQUIRE(store->put_ledger(gkml::Ledger{"230522203000", {june, twin}, gkml::parse_date("2025-01-01"), gkml::parse_date("2025-06-30")},
                              "h1.xml", "h1")
                .value());
    // The second half's export says it covers July to December, yet lists the June posting once more,
    // renumbered: still one of the two, not a third.
    auto again = june;
    again.id = "230522203000-2025-0031";
    auto july = record("230522203000-2025-0032", "20-001", "2025-07-01", "2025-07-03", "低保办事指南（7月）");
    REQUIRE(store->put_ledger(gkml::Ledger{"230522203000", {again, july}, gkml::parse_date("2025-07-01"), gkml::parse_date("2025-12-31")},
                              "h2.xml", "h2")
                .value());
    auto records = store->records_of("230522203000").value();
    REQUIRE(records.size() == 3);
    CHECK(records[0].id == "230522203000-2025-0031");  // the newer export's id
    CHECK(records[2].id == "230522203000-2025-0032");
}

TEST_CASE("the report's trend has one point per ingest run, whatever minutes the run spans", "[store]") {
    TempDb db;
    auto catalog = *gkml::read_catalog(fixture("xinglong-catalog.xml"));
    auto other = catalog;
    other.meta.unit->code = "230522103000";
    other.meta.unit->name = "凤岗镇";
    auto third = catalog;
    third.meta.unit->code = "230522104000";
    {
        // One ingest: a batch of three files, the last put a minute later (the clock is set by hand).
        auto store = gkml::Store::open(db.file);
        REQUIRE(store);
        auto batch = store->batch();
        REQUIRE(store->put_catalog(catalog, "a.xml", "a"));
        REQUIRE(store->put_catalog(other, "b.xml", "b"));
        REQUIRE(batch.commit());
        REQUIRE(store->put_catalog(third, "c.xml", "c"));
        REQUIRE(batch.commit());
    }
    {
        // Two uploads through one long-lived store (gkml serve), each a batch, in the same minute.
        auto store = gkml::Store::open(db.file);
        for (const char* hash : {"d", "e"}) {
            auto batch = store->batch();
            auto changed = catalog;
            changed.meta.note = hash;
            REQUIRE(store->put_catalog(changed, "d.xml", hash));
            REQUIRE(batch.commit());
        }
        // Two labelled runs of one check are one point.
        for (const char* hash : {"f", "g"}) {
            auto batch = store->batch();
            auto changed = catalog;
            changed.meta.note = hash;
            REQUIRE(store->put_catalog(changed, "f.xml", hash, "2025年中自查"));
            REQUIRE(batch.commit());
        }
    }
    auto store = gkml::Store::open(db.file);
    auto snapshots = *store->snapshots();
    REQUIRE(snapshots.size() == 7);
    for (auto& s : snapshots) s.taken = "2025-07-01T09:00:30Z";
    snapshots[2].taken = "2025-07-01T09:01:02Z";  // the first run crosses a minute
    auto runs = gkml::ingest_runs(snapshots);
    REQUIRE(runs.size() == 4);
    CHECK(runs[0] == std::pair<std::string, std::int64_t>{"2025-07-01 09:00", snapshots[2].id});
    CHECK(runs[1].second == snapshots[3].id);
    CHECK(runs[2] == std::pair<std::string, std::int64_t>{"2025-07-01 09:00", snapshots[4].id});
    CHECK(runs[3] == std::pair<std::string, std::int64_t>{"2025年中自查", snapshots[6].id});
    // A store from before runs were recorded: unlabelled snapshots are told apart by their minute,
    // so the first run is split where it crossed one, and the two uploads are one point.
    for (auto& s : snapshots) s.run.clear();
    auto by_minute = gkml::ingest_runs(snapshots);
    REQUIRE(by_minute.size() == 4);
    CHECK(by_minute[0].second == snapshots[1].id);
    CHECK(by_minute[2].second == snapshots[4].id);
}

TEST_CASE("a store copied into an empty one reads the same, and a store that holds data is refused", "[store]") {
    TempDb a;
    auto store = gkml::Store::open(a.file);
    REQUIRE(store);
    REQUIRE(store->put_units(*gkml::read_units(fixture("units.xml"))));
    auto catalog = gkml::read_catalog(fixture("xinglong-catalog.xml"));
    REQUIRE(catalog);
    REQUIRE(store->put_catalog(*catalog, "c.xml", "c1", "年中"));
    REQUIRE(store->put_ledger(ledger_of("xinglong-ledger.xml"), "l.xml", "l1", "年中"));
    REQUIRE(store->put_account(gkml::Account{"xinglong", gkml::Role::township, "230522101000", "$argon2id$x", ""}));
    REQUIRE(store->log_upload(gkml::UploadEntry{0, "", "xinglong", "230522101000", "l.xml", 10, "added", 0, 1, "2"}));

    TempDb b;
    auto copy = gkml::Store::open(b.file);
    REQUIRE(copy);
    auto copied = store->copy_to(*copy);
    REQUIRE(copied);
    CHECK(copied->snapshots == 2);
    CHECK(copied->records == 9);
    CHECK(*copy->units() == *store->units());
    CHECK(*copy->snapshots() == *store->snapshots());
    CHECK(*copy->records_of("230522101000") == *store->records_of("230522101000"));
    CHECK(copy->catalog_of("230522101000")->value().fields == store->catalog_of("230522101000")->value().fields);
    CHECK(*copy->accounts() == *store->accounts());
    CHECK(*copy->uploads({}, 10) == *store->uploads({}, 10));
    // The next snapshot's id follows the copied ones.
    auto next = copy->put_ledger(ledger_of("xinglong-ledger.xml"), "l2.xml", "l2");
    REQUIRE(next);
    CHECK(next->value().id == 3);

    auto again = store->copy_to(*copy);
    REQUIRE_FALSE(again);
    CHECK(again.error().kind == gkml::ErrorKind::database);
    CHECK(copy->snapshots()->size() == 3);
}
