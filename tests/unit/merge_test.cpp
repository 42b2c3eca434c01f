#include <catch2/catch.hpp>

#include "gkml/merge.hpp"
#include "gkml/xml.hpp"

namespace {

gkml::Catalog read(const std::string& name) {
    return *gkml::read_catalog(std::string(GKML_SOURCE_DIR) + "/tests/data/diff/" + name);
}

gkml::Item& item_of(gkml::Catalog& catalog, const std::string& id) { return *const_cast<gkml::Item*>(catalog.find_item(id)); }

std::vector<std::string> ids_of(const gkml::Catalog& catalog) {
    std::vector<std::string> out;
    for (const auto& field : catalog.fields)
        for (const auto& item : field.items) out.push_back(field.code + ":" + item.id);
    return out;
}

}  // namespace

TEST_CASE("a township carries its catalog from standard v1 to v2 without losing local work", "[merge]") {
    auto result = gkml::merge_catalogs(read("standard-v1.xml"), read("township-v1.xml"), read("standard-v2.xml"));
    REQUIRE(result.clean());
    const auto& merged = result.catalog;
    CHECK(merged.based_on_version == "2");
    CHECK(merged.id == "unit-230522100000");
    // theirs' order; the local item next to its anchor; 20-002 now at township level; 20-006 county-only, not carried
    CHECK(ids_of(merged) == std::vector<std::string>{"20:20-001", "20:L-20-1", "20:20-002", "20:20-003", "20:20-005",
                                                     "21:21-001"});
    const auto* reworded = merged.find_item("20-001");
    CHECK(reworded->name == "办事指南（申请条件和流程）");
    CHECK(reworded->elements.back().text == "本镇咨询电话");
    CHECK(reworded->channels.size() == 3);
    CHECK(merged.find_item("20-003")->status == gkml::ItemStatus::deprecated);
    CHECK(merged.find_item("20-003")->not_applicable);
    CHECK(merged.find_item("21-001")->not_applicable->reason == "由县民政局统一公开");
    CHECK(gkml::write_catalog(merged) ==
          gkml::write_catalog(read("township-v2-expected.xml")));
}

TEST_CASE("merge is idempotent: merge(x, x, y) = y and merge(b, o, b) = o", "[merge]") {
    auto v1 = read("standard-v1.xml"), v2 = read("standard-v2.xml"), township = read("township-v1.xml");
    CHECK(gkml::merge_catalogs(v1, v1, v2).catalog == v2);
    CHECK(gkml::merge_catalogs(township, township, v2).catalog == v2);
    CHECK(gkml::merge_catalogs(v1, township, v1).catalog == township);
    CHECK(gkml::merge_catalogs(v1, v2, v1).catalog == v2);
}

TEST_CASE("two edits of one catalog merge column by column", "[merge]") {
    auto base = read("standard-v1.xml");
    auto ours = base, theirs = base;
    SECTION("one side's change wins over no change, the same change on both sides agrees") {
        item_of(ours, "20-001").subject = "乡镇政府";
        item_of(ours, "20-002").name = "审核结果";
        item_of(theirs, "20-002").name = "审核结果";
        item_of(theirs, "20-003").category = "临时救助（修订）";
        auto result = gkml::merge_catalogs(base, ours, theirs);
        CHECK(result.clean());
        CHECK(result.catalog.find_item("20-001")->subject == "乡镇政府");
        CHECK(result.catalog.find_item("20-002")->name == "审核结果");
        CHECK(result.catalog.find_item("20-003")->category == "临时救助（修订）");
    }
    SECTION("set columns merge member by member") {
        item_of(ours, "20-001").elements.push_back({"本镇要素", gkml::ElementMark::unmarked});
        item_of(theirs, "20-001").elements.erase(item_of(theirs, "20-001").elements.begin());
        item_of(theirs, "20-001").levels = {gkml::Level::township};
        auto result = gkml::merge_catalogs(base, ours, theirs);
        REQUIRE(result.clean());
        const auto& elements = result.catalog.find_item("20-001")->elements;
        REQUIRE(elements.size() == 2);
        CHECK(elements[0].text == "所需材料");
        CHECK(elements[1].text == "本镇要素");
        CHECK(result.catalog.find_item("20-001")->levels == std::vector{gkml::Level::township});
    }
    SECTION("different changes to one column conflict, and the result keeps ours") {
        item_of(ours, "20-001").subject = "乡镇政府";
        item_of(theirs, "20-001").subject = "县级民政部门";
        auto result = gkml::merge_catalogs(base, ours, theirs);
        REQUIRE(result.conflicts.size() == 1);
        CHECK(result.conflicts[0] == gkml::Conflict{"20-001", "subject", "changed differently on both sides",
                                                    "县级政府民政部门、乡镇政府（街道办事处）", "乡镇政府", "县级民政部门"});
        CHECK(result.catalog.find_item("20-001")->subject == "乡镇政府");
        auto marked = gkml::write_with_conflicts(result);
        CHECK(marked.find("<conflict xmlns=\"urn:gkml:merge:1\" column=\"subject\"") != std::string::npos);
        CHECK(marked.find("<theirs>县级民政部门</theirs>") != std::string::npos);
    }
    SECTION("removing an item the other side changed is a conflict, not a silent loss") {
        ours.fields[0].items.erase(ours.fields[0].items.begin());
        item_of(theirs, "20-001").subject = "县级民政部门";
        theirs.fields[0].items.erase(theirs.fields[0].items.begin() + 1);
        item_of(ours, "20-002").subject = "乡镇政府";
        auto result = gkml::merge_catalogs(base, ours, theirs);
        REQUIRE(result.conflicts.size() == 2);
        CHECK(result.conflicts[0].item == "20-001");
        CHECK(result.conflicts[0].reason == "removed by ours, changed by theirs");
        CHECK(result.conflicts[1].item == "20-002");
        CHECK(result.conflicts[1].reason == "changed by ours, removed by theirs");
    }
    SECTION("an item removed on one side and untouched on the other is gone") {
        theirs.fields[0].items.pop_back();
        auto result = gkml::merge_catalogs(base, ours, theirs);
        CHECK(result.clean());
        CHECK(result.catalog.find_item("20-004") == nullptr);
    }
}
