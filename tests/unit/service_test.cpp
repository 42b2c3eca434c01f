#include <catch2/catch.hpp>

#include <unistd.h>

#include "gkml/accounts.hpp"
#include "gkml/files.hpp"
#include "gkml/ledger.hpp"
#include "gkml/service.hpp"
#include "gkml/tabular.hpp"
#include "gkml/xlsx.hpp"
#include "gkml/xml.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path source = GKML_SOURCE_DIR;
const fs::path youyi = source / "examples" / "youyi";

struct TempService {
    fs::path dir = fs::temp_directory_path() / ("gkml-service-" + std::to_string(::getpid()));
    std::unique_ptr<gkml::Service> service;
    explicit TempService(std::size_t uploads_per_hour = 60) {
        fs::remove_all(dir);
        fs::create_directories(dir);
        auto opened = gkml::Service::open(gkml::ServiceOptions{dir / "county.db", source, {}, youyi / "units.xml", 20u << 20, uploads_per_hour});
        REQUIRE(opened);
        service = std::move(*opened);
    }
    ~TempService() { fs::remove_all(dir); }
    gkml::Account add(const std::string& name, gkml::Role role, const std::string& unit, const std::string& password) {
        auto hash = gkml::hash_password(password);
        REQUIRE(hash);
        gkml::Account account{name, role, unit, *hash, ""};
        auto store = gkml::Store::open(dir / "county.db");
        REQUIRE(store);
        REQUIRE(store->put_account(account));
        return account;
    }
    std::size_t snapshots() {
        auto store = gkml::Store::open_read_only(dir / "county.db");
        REQUIRE(store);
        auto all = store->snapshots();
        REQUIRE(all);
        return all->size();
    }
};

std::string bytes_of(const fs::path& file) {
    auto read = gkml::read_file(file);
    REQUIRE(read);
    return *read;
}

}  // namespace

TEST_CASE("a password is kept only as a salted Argon2 hash that the right password alone matches", "[accounts]") {
    auto a = gkml::hash_password("友谊县兴隆镇2025");
    auto b = gkml::hash_password("友谊县兴隆镇2025");
    REQUIRE(a);
    REQUIRE(b);
    CHECK(*a != *b);  // salted
    CHECK(a->find("友谊县") == std::string::npos);
    CHECK(a->starts_with("$argon2id$"));
    CHECK(gkml::verify_password(*a, "友谊县兴隆镇2025"));
    CHECK_FALSE(gkml::verify_password(*a, "友谊县兴隆镇2026"));
    CHECK_FALSE(gkml::verify_password("not a hash", "x"));
    CHECK(gkml::password_problem("zhang", "短口令"));
    CHECK(gkml::password_problem("zhangsan1234", "zhangsan1234"));
    CHECK_FALSE(gkml::password_problem("zhang", "一二三四五六七八九十"));  // ten characters, not ten bytes
}

TEST_CASE("a township account reads its own unit, a county account every unit under it", "[accounts]") {
    auto registry = gkml::read_units(youyi / "units.xml");
    REQUIRE(registry);
    gkml::Account township{"t", gkml::Role::township, "230522100000", "", ""};
    gkml::Account county{"c", gkml::Role::county, "230522", "", ""};
    CHECK(gkml::may_read(township, *registry, "230522100000"));
    CHECK_FALSE(gkml::may_read(township, *registry, "230522101000"));
    CHECK_FALSE(gkml::may_read(township, *registry, "230522"));
    CHECK(gkml::may_read(county, *registry, "230522101000"));
    CHECK(gkml::may_read(county, *registry, "230522-mzj"));
    CHECK_FALSE(gkml::may_read(county, *registry, "230500"));  // the city above it
    CHECK(gkml::may_upload(township, "230522100000"));
    CHECK_FALSE(gkml::may_upload(township, "230522101000"));
    CHECK_FALSE(gkml::may_upload(county, "230522101000"));  // the county reads; each unit uploads its own
}

TEST_CASE("sign-in attempts are refused for a while after five failures of a name or twelve from an address", "[accounts]") {
    gkml::SignInThrottle throttle(5, 12, std::chrono::seconds(300));
    auto t = gkml::Clock::now();
    for (int i = 0; i < 5; ++i) CHECK(throttle.admit("zhang", "10.0.0.5", t) == 0);  // five wrong, or still being checked
    CHECK(throttle.admit("zhang", "10.0.0.9", t) > 0);   // the account, from anywhere
    CHECK(throttle.admit("li", "10.0.0.5", t) == 0);     // others at the same office still sign in
    throttle.succeeded("li", "10.0.0.5");                // and a right password is not held against the address
    for (int i = 0; i < 7; ++i) CHECK(throttle.admit("name" + std::to_string(i), "10.0.0.5", t) == 0);
    CHECK(throttle.admit("li", "10.0.0.5", t) > 0);      // one address trying many names
    CHECK(throttle.admit("li", "10.0.0.9", t) == 0);
    const auto later = t + std::chrono::seconds(301);
    CHECK(throttle.admit("zhang", "10.0.0.5", later) == 0);
    throttle.succeeded("zhang", "10.0.0.5");           // the right password forgets the name's failures
    for (int i = 0; i < 4; ++i) CHECK(throttle.admit("zhang", "10.0.0.7", later) == 0);
    CHECK(throttle.admit("zhang", "10.0.0.7", later) == 0);  // the fifth: four are held against it, not five
}

TEST_CASE("an upload goes in only for the account's own unit and only when it has no errors", "[service]") {
    TempService s;
    const auto clerk = s.add("xinglong", gkml::Role::township, "230522100000", "兴隆镇政务公开2025");
    auto other = s.add("youyi", gkml::Role::township, "230522101000", "友谊镇政务公开2025");
    auto office = s.add("county", gkml::Role::county, "230522", "友谊县政务公开办2025");

    auto signed_in = s.service->sign_in("xinglong", "兴隆镇政务公开2025");
    REQUIRE(signed_in);
    REQUIRE(*signed_in);
    CHECK((*signed_in)->name == "xinglong");
    CHECK((*signed_in)->unit == "230522100000");
    CHECK((*signed_in)->role == gkml::Role::township);
    auto wrong = s.service->sign_in("xinglong", "兴隆镇政务公开2024");
    REQUIRE(wrong);
    CHECK_FALSE(*wrong);

    const auto own = bytes_of(youyi / "catalogs" / "230522100000.xml");
    // Another unit's catalog, under one's own unit: refused, nothing put in, the refusal logged.
    auto theirs = s.service->upload(clerk, "230522100000", "友谊镇.xml", bytes_of(youyi / "catalogs" / "230522101000.xml"));
    CHECK(theirs.status == 403);
    CHECK(s.snapshots() == 0);
    CHECK(s.service->upload(clerk, "230522101000", "x.xml", own).status == 403);   // not the account's unit
    CHECK(s.service->upload(office, "230522100000", "x.xml", own).status == 403);  // the county only reads

    // A catalog the schema refuses: its diagnostics, no snapshot.
    auto broken = own;
    broken.replace(broken.find("<catalog"), 8, "<catalogue");
    auto refused = s.service->upload(clerk, "230522100000", "兴隆镇.xml", broken);
    CHECK(refused.status == 422);
    CHECK_FALSE(refused.file.diagnostics.empty());
    CHECK(s.snapshots() == 0);

    auto put = s.service->upload(clerk, "230522100000", "C:\\Users\\clerk\\兴隆镇.xml", own);
    INFO(put.message);
    CHECK(put.status == 200);
    CHECK(put.entry.outcome == "added");
    CHECK(put.entry.file == "兴隆镇.xml");  // the folder the browser sent is dropped
    CHECK(s.snapshots() == 1);
    auto again = s.service->upload(clerk, "230522100000", "兴隆镇.xml", own);
    CHECK(again.status == 200);
    CHECK(again.entry.outcome == "unchanged");
    CHECK(s.snapshots() == 1);

    auto seen_by_clerk = s.service->uploads(clerk, "", 100);
    auto seen_by_other = s.service->uploads(other, "", 100);
    auto seen_by_office = s.service->uploads(office, "", 100);
    REQUIRE(seen_by_clerk);
    REQUIRE(seen_by_other);
    REQUIRE(seen_by_office);
    CHECK(seen_by_clerk->size() == 4);  // the refused other-unit file, the broken one, added, unchanged
    CHECK(seen_by_other->empty());
    CHECK(seen_by_office->size() == 4);

    auto audit = s.service->audit(clerk, "");
    REQUIRE(audit);
    CHECK(audit->units.size() == 1);
    CHECK_FALSE(s.service->audit(clerk, "230522101000"));
    auto county = s.service->audit(office, "");
    REQUIRE(county);
    CHECK(county->units.size() > 10);
}

TEST_CASE("a clerk's workbook is read and checked as gkml import reads it", "[service]") {
    TempService s;
    auto clerk = s.add("zhen2", gkml::Role::township, "230522102000", "政务公开工作簿2025");
    auto put = s.service->upload(clerk, "230522102000", "目录.xlsx", bytes_of(youyi / "sources" / "230522102000.xlsx"));
    INFO(put.message);
    CHECK(put.status == 200);
    CHECK(put.entry.outcome == "added");
    CHECK(s.snapshots() == 1);
    auto old_format = s.service->upload(clerk, "230522102000", "目录.xls", "not read");
    CHECK(old_format.status == 422);
    CHECK(old_format.message.find("另存为") != std::string::npos);
}

TEST_CASE("a workbook's duplicate 编号 is shown at its row's cell, not at a line of XML the clerk never saw", "[service]") {
    TempService s;
    auto clerk = s.add("minzheng", gkml::Role::township, "230522-mzj", "民政局政务公开2025");
    auto catalog = gkml::read_catalog(youyi / "catalogs" / "230522-mzj.xml");
    REQUIRE(catalog);
    auto& items = catalog->fields.front().items;
    REQUIRE(items.size() >= 2);
    items[1].id = items[0].id;  // a row copied without changing its number
    auto book = gkml::catalog_to_xlsx(*catalog, s.dir);
    REQUIRE(book);
    auto put = s.service->upload(clerk, "230522-mzj", "民政局.xlsx", *book);
    CHECK(put.status == 422);
    auto duplicate = std::ranges::find(put.file.diagnostics, std::string("GKML-E006"), &gkml::Diagnostic::code);
    REQUIRE(duplicate != put.file.diagnostics.end());
    CHECK(duplicate->file == "民政局.xlsx");
    // The second item's row of the field's sheet (title and two header rows above it), at its 二级事项.
    CHECK(duplicate->cell == catalog->fields.front().code + " " + catalog->fields.front().name + "!D5");
    CHECK(s.snapshots() == 0);
}

TEST_CASE("a workbook whose cover names another unit is refused as that unit's, and nothing is put in", "[service]") {
    TempService s;
    auto clerk = s.add("jianshe", gkml::Role::township, "230522203000", "建设乡政务公开2025");
    auto other = gkml::read_catalog(youyi / "catalogs" / "230522204000.xml");  // 友邻乡's
    REQUIRE(other);
    auto book = gkml::catalog_to_xlsx(*other, s.dir);
    REQUIRE(book);
    auto put = s.service->upload(clerk, "230522203000", "友邻乡.xlsx", *book);
    CHECK(put.status == 403);
    auto cover = std::ranges::find(put.file.diagnostics, std::string("GKML-E104"), &gkml::Diagnostic::code);
    REQUIRE(cover != put.file.diagnostics.end());
    CHECK(cover->cell.starts_with("封面!"));
    CHECK(put.entry.outcome == "rejected");
    CHECK(put.entry.id > 0);  // in the upload log
    CHECK(s.snapshots() == 0);
}

TEST_CASE("a catalog's CSV goes in as a catalog though its 公开时限 say 形成, and a ledger's CSV as a ledger", "[service]") {
    TempService s;
    auto clerk = s.add("jianshe", gkml::Role::township, "230522203000", "建设乡政务公开2025");
    auto own = gkml::read_catalog(youyi / "catalogs" / "230522203000.xml");
    REQUIRE(own);
    const auto csv = gkml::catalog_to_csv(*own);
    REQUIRE(csv.find("形成") != std::string::npos);
    CHECK_FALSE(gkml::is_ledger_csv(csv));
    auto put = s.service->upload(clerk, "230522203000", "建设乡.csv", csv);
    INFO(put.message);
    CHECK(put.status == 200);
    CHECK(put.entry.outcome == "added");
    const std::string ledger = "单位代码,事项编号,形成日期,发布日期,发布渠道,标题\n230522203000,01-001,2025-03-02,2025-03-03,website,办事指南\n";
    CHECK(gkml::is_ledger_csv(ledger));
    auto records = s.service->upload(clerk, "230522203000", "台账.csv", ledger);
    INFO(records.message);
    CHECK(records.status == 200);
    CHECK(s.snapshots() == 2);
}

TEST_CASE("a refusal before the check is logged and does not use up the hour's uploads, and a long name keeps its extension", "[service]") {
    TempService s(1);  // one checked upload an hour
    auto clerk = s.add("jianshe", gkml::Role::township, "230522203000", "建设乡政务公开2025");
    auto old = s.service->upload(clerk, "230522203000", "目录.xls", "not read");
    CHECK(old.status == 422);
    CHECK(old.entry.id > 0);
    auto uploads = s.service->uploads(clerk, "230522203000", 10);
    REQUIRE(uploads);
    CHECK(uploads->size() == 1);
    std::string name;
    for (int i = 0; i < 100; ++i) name += "建设乡";  // 900 bytes
    auto own = gkml::read_catalog(youyi / "catalogs" / "230522203000.xml");
    REQUIRE(own);
    auto book = gkml::catalog_to_xlsx(*own, s.dir);
    REQUIRE(book);
    auto put = s.service->upload(clerk, "230522203000", name + ".xlsx", *book);
    INFO(put.message);
    CHECK(put.status == 200);
    CHECK(put.entry.file.ends_with(".xlsx"));
    CHECK(put.entry.file.size() <= 200);
    CHECK(s.service->upload(clerk, "230522203000", "again.xlsx", *book).status == 429);  // the hour's one was that
}

TEST_CASE("a workbook whose cover's code was cleared or mangled is still known by its unit's name", "[service]") {
    TempService s;
    auto clerk = s.add("jianshe", gkml::Role::township, "230522203000", "建设乡政务公开2025");
    auto other = gkml::read_catalog(youyi / "catalogs" / "230522204000.xml");  // 友邻乡's
    REQUIRE(other);
    for (std::string code : {"", "2.30522E+11"}) {
        INFO(code);
        other->meta.unit->code = code;
        auto book = gkml::catalog_to_xlsx(*other, s.dir);
        REQUIRE(book);
        auto put = s.service->upload(clerk, "230522203000", "友邻乡.xlsx", *book);
        CHECK(put.status == 403);
    }
    CHECK(s.snapshots() == 0);
    auto own = gkml::read_catalog(youyi / "catalogs" / "230522203000.xml");
    REQUIRE(own);
    own->meta.unit->code = "2.30522E+11";  // the clerk's own workbook after Excel made the code a number
    auto book = gkml::catalog_to_xlsx(*own, s.dir);
    REQUIRE(book);
    auto put = s.service->upload(clerk, "230522203000", "建设乡.xlsx", *book);
    INFO(put.message);
    CHECK(put.status == 200);
}

TEST_CASE("a ledger record dated in the future is refused: it would move every unit's period", "[service]") {
    TempService s;
    auto clerk = s.add("jianshe", gkml::Role::township, "230522203000", "建设乡政务公开2025");
    const std::string ledger = "单位代码,事项编号,形成日期,发布日期,发布渠道,标题\n230522203000,01-001,2099-12-30,2099-12-31,website,办事指南\n";
    auto put = s.service->upload(clerk, "230522203000", "台账.csv", ledger);
    CHECK(put.status == 422);
    CHECK(put.message.find("2099-12-30") != std::string::npos);
    CHECK(s.snapshots() == 0);
}

TEST_CASE("a ledger CSV in GB18030 is told from a catalog's, and a township's trend holds only its own runs", "[service]") {
    const std::string gb18030_header = "\xB5\xA5\xCE\xBB\xB4\xFA\xC2\xEB,\xCA\xC2\xCF\xEE\xB1\xE0\xBA\xC5,\xD0\xCE\xB3\xC9\xC8\xD5\xC6\xDA,"
                                       "\xB7\xA2\xB2\xBC\xC8\xD5\xC6\xDA,\xB7\xA2\xB2\xBC\xC7\xFE\xB5\xC0\n";  // 单位代码,事项编号,形成日期,发布日期,发布渠道
    CHECK(gkml::is_ledger_csv(gb18030_header + "230522203000,01-001,2025-03-02,2025-03-03,website\n"));
    TempService s;
    auto clerk = s.add("jianshe", gkml::Role::township, "230522203000", "建设乡政务公开2025");
    auto neighbour = s.add("youlin", gkml::Role::township, "230522204000", "友邻乡政务公开2025");
    auto mine = gkml::read_catalog(youyi / "catalogs" / "230522203000.xml");
    auto theirs = gkml::read_catalog(youyi / "catalogs" / "230522204000.xml");
    REQUIRE(mine);
    REQUIRE(theirs);
    REQUIRE(s.service->upload(clerk, "230522203000", "建设乡.xml", gkml::write_catalog(*mine)).status == 200);
    REQUIRE(s.service->upload(neighbour, "230522204000", "友邻乡.xml", gkml::write_catalog(*theirs)).status == 200);
    auto audit = s.service->audit(clerk, "230522203000");
    REQUIRE(audit);
    auto snapshots = gkml::audit_snapshots(*audit);
    REQUIRE(snapshots);
    REQUIRE(snapshots->size() == 1);
    CHECK(snapshots->front().unit == "230522203000");
    auto report = gkml::audit_report(*audit, "", "");
    REQUIRE(report);
    CHECK(report->trend.size() == 1);
}
