#include <catch2/catch.hpp>

#include <map>
#include <random>
#include <set>

#include "gkml/diff.hpp"
#include "gkml/xml.hpp"

namespace {

gkml::Catalog read(const std::string& name) {
    return *gkml::read_catalog(std::string(GKML_SOURCE_DIR) + "/tests/data/diff/" + name);
}

const gkml::ItemChange* change_of(const gkml::CatalogDiff& diff, const std::string& id) {
    for (const auto& c : diff.items)
        if (c.id == id) return &c;
    return nullptr;
}

// What an edit script did, in the terms a diff reports.
struct Expected {
    std::set<std::string> added, removed, deprecated, moved;
    std::map<std::string, std::set<gkml::Column>> changed;
};

// Applies `count` seeded random edits, each to a different item, and records what they change.
Expected apply_edits(gkml::Catalog& catalog, std::mt19937& random, int count) {
    Expected expected;
    std::set<std::string> touched;
    auto pick = [&]() -> std::pair<std::size_t, std::size_t> {
        for (;;) {
            auto f = std::uniform_int_distribution<std::size_t>(0, catalog.fields.size() - 1)(random);
            if (catalog.fields[f].items.empty()) continue;
            auto i = std::uniform_int_distribution<std::size_t>(0, catalog.fields[f].items.size() - 1)(random);
            if (touched.insert(catalog.fields[f].items[i].id).second) return {f, i};
        }
    };
    for (int n = 0; n < count; ++n) {
        auto [f, i] = pick();
        auto& item = catalog.fields[f].items[i];
        std::string id = item.id;
        switch (std::uniform_int_distribution<int>(0, 7)(random)) {
            case 0: {
                gkml::Item added = item;
                added.id = "L-new-" + std::to_string(n);
                added.name = "新增事项" + std::to_string(n);
                catalog.fields[f].items.push_back(added);
                touched.insert(added.id);
                expected.added.insert(added.id);
                break;
            }
            case 1:
                catalog.fields[f].items.erase(catalog.fields[f].items.begin() + static_cast<std::ptrdiff_t>(i));
                expected.removed.insert(id);
                break;
            case 2:
                if (item.status == gkml::ItemStatus::deprecated) {
                    item.subject += "（修订）";
                    expected.changed[id].insert(gkml::Column::subject);
                    break;
                }
                item.status = gkml::ItemStatus::deprecated;
                expected.deprecated.insert(id);
                break;
            case 3: {
                auto to = (f + 1) % catalog.fields.size();
                catalog.fields[to].items.push_back(item);
                catalog.fields[f].items.erase(catalog.fields[f].items.begin() + static_cast<std::ptrdiff_t>(i));
                expected.moved.insert(id);
                break;
            }
            case 4:
                item.name += "（修订" + std::to_string(n) + "）";
                expected.changed[id].insert(gkml::Column::name);
                break;
            case 5:
                item.elements.push_back(gkml::Element{"新要素" + std::to_string(n), gkml::ElementMark::unmarked});
                expected.changed[id].insert(gkml::Column::elements);
                break;
            case 6:
                item.channels.push_back(gkml::Channel{gkml::ChannelCode::other, false, "平台" + std::to_string(n)});
                expected.changed[id].insert(gkml::Column::channels);
                break;
            default:
                item.category = "改" + item.category;
                expected.changed[id].insert(gkml::Column::category);
                if (item.time_limit) expected.changed[id].insert(gkml::Column::time_limit);
                item.time_limit.reset();
        }
    }
    return expected;
}

Expected reported(const gkml::CatalogDiff& diff) {
    Expected out;
    for (const auto& c : diff.items) {
        if (c.kind == gkml::ChangeKind::added) out.added.insert(c.id);
        if (c.kind == gkml::ChangeKind::removed) out.removed.insert(c.id);
        if (c.deprecated) out.deprecated.insert(c.id);
        if (c.moved()) out.moved.insert(c.id);
        for (const auto& column : c.columns) out.changed[c.id].insert(column.column);
    }
    return out;
}

}  // namespace

TEST_CASE("reformatting a file gives no diff: attribute order, indentation, spaces, channel order", "[diff]") {
    auto diff = gkml::diff_catalogs(read("standard-v1.xml"), read("standard-v1-reformatted.xml"));
    CHECK(diff.empty());
}

TEST_CASE("a character-level diff of Chinese text keeps what is common", "[diff]") {
    auto pieces = gkml::diff_text("信息形成之日起20个工作日内", "信息形成或者变更之日起10个工作日内");
    std::vector<gkml::TextPiece> expected{{gkml::TextPiece::same, "信息形成"},    {gkml::TextPiece::added, "或者变更"},
                                          {gkml::TextPiece::same, "之日起"},      {gkml::TextPiece::removed, "2"},
                                          {gkml::TextPiece::added, "1"},          {gkml::TextPiece::same, "0个工作日内"}};
    CHECK(pieces == expected);
    CHECK(gkml::diff_text("", "").empty());
}

TEST_CASE("standard v1 to v2: reworded, added, deprecated, moved, each typed", "[diff]") {
    auto diff = gkml::diff_catalogs(read("standard-v1.xml"), read("standard-v2.xml"));
    std::vector<std::string> ids;
    for (const auto& c : diff.items) ids.push_back(c.id);
    CHECK(ids == std::vector<std::string>{"20-001", "20-002", "20-003", "20-005", "20-006", "21-001"});

    const auto* reworded = change_of(diff, "20-001");
    REQUIRE(reworded->columns.size() == 2);
    CHECK(reworded->columns[0].column == gkml::Column::name);
    CHECK(reworded->columns[0].old_text == "办事指南");
    CHECK(reworded->columns[0].pieces.back() == gkml::TextPiece{gkml::TextPiece::added, "（申请条件和流程）"});
    CHECK(reworded->columns[1].column == gkml::Column::channels);
    CHECK(reworded->columns[1].added == std::vector<std::string>{"weibo-wechat-app"});
    CHECK(reworded->columns[1].removed.empty());

    CHECK(change_of(diff, "20-002")->columns[0].added == std::vector<std::string>{"township"});
    CHECK(change_of(diff, "20-003")->deprecated);
    CHECK(change_of(diff, "20-003")->columns.size() == 1);  // replaced-by; status is the deprecation itself
    CHECK(change_of(diff, "20-005")->kind == gkml::ChangeKind::added);
    const auto* moved = change_of(diff, "21-001");
    CHECK(moved->moved());
    CHECK(moved->old_id == "20-004");
    CHECK(moved->columns.empty());
    REQUIRE(diff.header.size() == 2);
    CHECK(diff.header[0].what == "version");
}

TEST_CASE("a --field filter keeps the items of one field", "[diff]") {
    gkml::DiffOptions options;
    options.field = "21";
    auto diff = gkml::diff_catalogs(read("standard-v1.xml"), read("standard-v2.xml"), options);
    REQUIRE(diff.items.size() == 1);
    CHECK(diff.items[0].id == "21-001");
}

TEST_CASE("diff of a seeded edit script reports exactly the edits", "[diff]") {
    auto sets = gkml::read_catalog_dir(std::string(GKML_SOURCE_DIR) + "/catalogs/standard");
    REQUIRE(sets);
    REQUIRE(sets->size() == 1);
    const auto& original = sets->front();
    for (unsigned seed = 1; seed <= 40; ++seed) {
        std::mt19937 random(seed);
        auto edited = original;
        auto expected = apply_edits(edited, random, 12);
        auto got = reported(gkml::diff_catalogs(original, edited));
        INFO("seed " << seed);
        CHECK(got.added == expected.added);
        CHECK(got.removed == expected.removed);
        CHECK(got.deprecated == expected.deprecated);
        CHECK(got.moved == expected.moved);
        CHECK(got.changed == expected.changed);
    }
}
