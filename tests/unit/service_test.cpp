#include <catch2/catch.hpp>

#include <unistd.h>

#include "gkml/accounts.hpp"
#include "gkml/files.hpp"
#include "gkml/service.hpp"
#include "gkml/xlsx.hpp"
#include "gkml/xml.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path source = GKML_SOURCE_DIR;
const fs::path youyi = source / "examples" / "youyi";

struct TempService {
    fs::path dir = fs::temp_directory_path() / ("gkml-service-" + std::to_string(::getpid()));
    std::unique_ptr<gkml::Service> service;
    TempService() {
        fs::remove_all(dir);
        fs::create_directories(dir);
        auto opened = gkml::Service::open(gkml::ServiceOptions{dir / "county.db", source, {}, youyi / "units.xml", 20u << 20, 60});
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
    for (int i = 0; i < 5; ++i) {
        CHECK(throttle.wait("zhang", "10.0.0.5", t) == 0);
        throttle.failed("zhang", "10.0.0.5", t);
    }
    CHECK(throttle.wait("zhang", "10.0.0.9", t) > 0);   // the account, from anywhere
    CHECK(throttle.wait("li", "10.0.0.5", t) == 0);     // others at the same office still sign in
    for (int i = 0; i < 7; ++i) throttle.failed("name" + std::to_string(i), "10.0.0.5", t);
    CHECK(throttle.wait("li", "10.0.0.5", t) > 0);      // one address trying many names
    CHECK(throttle.wait("li", "10.0.0.9", t) == 0);
    CHECK(throttle.wait("zhang", "10.0.0.5", t + std::chrono::seconds(301)) == 0);
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
    CHECK(duplicate->cell.starts_with(catalog->fields.front().code + " "));  // the field's sheet, e.g. "20 社会救助!D5"
    CHECK(duplicate->cell.ends_with("5"));                                  // the second item's row, under the two header rows and the title
    CHECK(s.snapshots() == 0);
}
