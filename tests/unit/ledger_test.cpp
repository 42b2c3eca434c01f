#include <catch2/catch.hpp>

#include "gkml/files.hpp"
#include "gkml/ledger.hpp"

namespace {

std::filesystem::path fixture(const char* name) { return std::filesystem::path(GKML_SOURCE_DIR) / "tests/data/coverage" / name; }

gkml::Date day(const char* text) { return *gkml::parse_date(text); }

}  // namespace

TEST_CASE("a ledger XML gives its records in file order", "[ledger]") {
    auto text = gkml::read_file(fixture("xinglong-ledger.xml"));
    REQUIRE(text);
    auto ledger = gkml::parse_ledger_xml(*text, "xinglong-ledger.xml");
    REQUIRE(ledger);
    CHECK(ledger->unit == "230522101000");
    REQUIRE(ledger->records.size() == 9);
    CHECK(ledger->records[1] == gkml::Record{"r3", "20-003", day("2024-03-01"), day("2024-03-05"), gkml::ChannelCode::website,
                                             "临时救助政策文件", "http://www.youyi.gov.cn/xxgk/20-003/1.html"});
}

TEST_CASE("a CMS export in GB18030 with Chinese headers and mixed date forms reads like the XML", "[ledger]") {
    auto bytes = gkml::read_file(fixture("fenggang-ledger.csv"));
    REQUIRE(bytes);
    auto ledgers = gkml::parse_ledger_csv(*bytes, "fenggang-ledger.csv");
    REQUIRE(ledgers);
    REQUIRE(ledgers->size() == 1);
    const auto& records = ledgers->front().records;
    CHECK(ledgers->front().unit == "230522103000");
    REQUIRE(records.size() == 4);
    CHECK(records[1] == gkml::Record{"FG-002", "20-001", day("2024-02-05"), day("2024-03-05"), gkml::ChannelCode::website,
                                     "低保办事指南（春节后，按工作日未超期）", "http://www.youyi.gov.cn/fg/2.html"});
    CHECK(records[2].published == day("2024-04-08"));
    CHECK(records[2].channel == gkml::ChannelCode::bulletin_board);
    CHECK(records[3].channel == gkml::ChannelCode::website);
}

TEST_CASE("an English-header export with several units gives one ledger per unit, in code order", "[ledger]") {
    auto ledgers = gkml::parse_ledger_csv("unit,item,formed,published,channel,title,url\n"
                                          "230522103000,20-001,2024-01-02,2024-01-03,website,b,\n"
                                          "230522101000,20-001,2024-01-02,2024-01-04,两微一端,a,\n",
                                          "export.csv");
    REQUIRE(ledgers);
    REQUIRE(ledgers->size() == 2);
    CHECK(ledgers->at(0).unit == "230522101000");
    CHECK(ledgers->at(0).records.at(0).channel == gkml::ChannelCode::weibo_wechat_app);
    CHECK(ledgers->at(1).unit == "230522103000");
}

TEST_CASE("a bad date, an unknown channel or a missing column names the line", "[ledger]") {
    auto header = std::string("unit,item,formed,published,channel\n");
    auto bad_date = gkml::parse_ledger_csv(header + "230522101000,20-001,2024-02-30,2024-03-01,website\n", "e.csv");
    REQUIRE_FALSE(bad_date);
    CHECK(bad_date.error().line == 2);
    CHECK(bad_date.error().message.find("2024-02-30") != std::string::npos);
    auto bad_channel = gkml::parse_ledger_csv(header + "230522101000,20-001,2024-02-01,2024-03-01,飞鸽传书\n", "e.csv");
    REQUIRE_FALSE(bad_channel);
    CHECK(bad_channel.error().message.find("飞鸽传书") != std::string::npos);
    CHECK_FALSE(gkml::parse_ledger_csv("item,formed,published\n20-001,2024-01-01,2024-01-02\n", "e.csv"));
}

TEST_CASE("dates as CMSs write them", "[ledger]") {
    CHECK(gkml::parse_loose_date("2024-03-05") == day("2024-03-05"));
    CHECK(gkml::parse_loose_date("2024/3/5") == day("2024-03-05"));
    CHECK(gkml::parse_loose_date("2024年3月5日") == day("2024-03-05"));
    CHECK(gkml::parse_loose_date(" 2024-03-05 17:20 ") == day("2024-03-05"));
    CHECK_FALSE(gkml::parse_loose_date("2024-13-01"));
    CHECK_FALSE(gkml::parse_loose_date("2024-03"));
    CHECK_FALSE(gkml::parse_loose_date("2024-03-05x"));
}
