// The fast path for ledgers (one pugixml pass) against the reference (libxml2 and xsd/ledger.xsd):
// whatever the fast path passes, the schema must pass too, and both must read the same records.
#include <catch2/catch.hpp>

#include <filesystem>
#include <random>

#include "gkml/files.hpp"
#include "gkml/ledger.hpp"
#include "gkml/validate.hpp"

namespace fs = std::filesystem;

namespace {

const gkml::Schemas& schemas() {
    static auto compiled = gkml::Schemas::compile();
    REQUIRE(compiled);
    return *compiled;
}

bool xsd_valid(const std::string& xml) {
    gkml::DocumentKind kind;
    auto found = schemas().check_with_xsd(xml, "mutant.xml", kind);
    return kind == gkml::DocumentKind::ledger && !gkml::has_errors(found);
}

const std::string base = R"(<?xml version="1.0" encoding="UTF-8"?>
<ledger xmlns="urn:gkml:ledger:1" unit="230522101000" from="2024-01-01" to="2024-12-31">
  <record id="r1" item="20-001" formed="2024-03-01" published="2024-03-05" channel="website">
    <title>低保对象名单（3月）&amp;公示</title>
    <url>http://www.youyi.gov.cn/xxgk/20-001/1.html?a=1&amp;b=2</url>
  </record>
  <record id="r2" item="L-20-1" formed="2024-05-06" published="2024-05-08" channel="bulletin-board">
    <title><![CDATA[临时救助 <备用金> 使用情况]]></title>
  </record>
  <record item="21-004" formed="2024-10-08" published="2024-10-12" channel="weibo-wechat-app"><title/></record>
</ledger>
)";

}  // namespace

TEST_CASE("plainly valid ledgers are read without libxml2, with the same records", "[ledger]") {
    std::vector<std::string> texts{base};
    for (const auto& entry : fs::directory_iterator(fs::path(GKML_SOURCE_DIR) / "examples/youyi/ledgers"))
        texts.push_back(*gkml::read_file(entry.path()));
    texts.push_back(*gkml::read_file(fs::path(GKML_SOURCE_DIR) / "tests/data/coverage/xinglong-ledger.xml"));
    for (const auto& xml : texts) {
        auto fast = gkml::parse_plainly_valid_ledger(xml);
        REQUIRE(fast);
        CHECK(xsd_valid(xml));
        CHECK(*fast == *gkml::parse_ledger_xml(xml, "ledger.xml"));
    }
    auto fast = gkml::parse_plainly_valid_ledger(base);
    REQUIRE(fast->records.size() == 3);
    CHECK(fast->records[0].title == "低保对象名单（3月）&公示");
    CHECK(fast->records[1].title == "临时救助 <备用金> 使用情况");
    CHECK(fast->records[2].id.empty());
}

TEST_CASE("what pugixml alone would let pass is left to the schema", "[ledger]") {
    auto with = [](std::string_view from, std::string_view to) {
        std::string out = base;
        auto at = out.find(from);
        REQUIRE(at != std::string::npos);
        return out.replace(at, from.size(), to);
    };
    const std::vector<std::string> invalid{
        with("</ledger>\n", "</ledger>\njunk"),                          // text after the root
        with(R"(id="r2")", R"(id="r1")"),                                // a duplicate id
        with(R"(channel="website")", R"(channel="website" channel="print")"),  // a duplicate attribute
        with(R"(id="r1")", R"(id="r<1")"),                               // a raw < in a value
        with("（3月）", "\x01"),                                        // a control character
        with("（3月）", "\xC3("),                                        // broken UTF-8
        with("&amp;公示", "&#1;"),                                       // a reference to a control character
        with("&amp;公示", "&nbsp;"),                                     // an undeclared entity
        with("公示</title>", "公示]]></title>"),                         // ]]> outside CDATA
        with(R"(formed="2024-03-01")", R"(formed="2024-02-30")"),        // no such day
        with(R"(item="20-001")", R"(item="20-1")"),                      // not an item id
        with(R"(unit="230522101000")", R"(unit="23052210100")"),         // not a division code
        with("<title>低保", "<url>x</url><title>低保"),                  // url before title
        with(R"(channel="bulletin-board")", R"(channel="noticeboard")"), // not a channel
    };
    for (const auto& xml : invalid) {
        INFO(xml);
        CHECK_FALSE(gkml::parse_plainly_valid_ledger(xml));
        CHECK_FALSE(xsd_valid(xml));
    }
    // Valid, but not the plain way: the fast path declines, the schema decides and says valid.
    for (const auto& xml : {with("<ledger xmlns=", "<!-- 2024 -->\n<ledger xmlns="),         // a comment
                            with(R"(channel="website")", R"(channel=" website ")"),           // xs:token collapses spaces
                            with("低保对象", "&#x4F4E;保对象")}) {                           // a character reference
        INFO(xml);
        CHECK_FALSE(gkml::parse_plainly_valid_ledger(xml));
        CHECK(xsd_valid(xml));
    }
}

TEST_CASE("thousands of random edits: whatever the fast path passes, the schema passes", "[ledger]") {
    std::mt19937 random(20251201);
    const std::string alphabet = "<>&;\"'= -/!?#:]x1\x01\xC3\xA9\n";
    int fast_valid = 0, schema_valid = 0;
    for (int n = 0; n < 40000; ++n) {
        std::string xml = base;
        for (int edits = 1 + static_cast<int>(random() % 3); edits > 0; --edits) {
            std::size_t at = random() % xml.size();
            switch (random() % 3) {
                case 0: xml.erase(at, 1 + random() % 6); break;
                case 1: xml.insert(at, 1, alphabet[random() % alphabet.size()]); break;
                default: xml.insert(at, xml.substr(random() % xml.size(), 1 + random() % 12)); break;
            }
        }
        auto fast = gkml::parse_plainly_valid_ledger(xml);
        bool reference = xsd_valid(xml);
        schema_valid += reference;
        if (!fast) continue;
        ++fast_valid;
        INFO(xml);
        REQUIRE(reference);
        CHECK(*fast == *gkml::parse_ledger_xml(xml, "mutant.xml"));
    }
    // The edits are not all fatal: the comparison ran on mutants both accept.
    CHECK(fast_valid > 100);
    CHECK(schema_valid >= fast_valid);
}
