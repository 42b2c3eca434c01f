#include <catch2/catch.hpp>

#include "gkml/text.hpp"

TEST_CASE("Chinese characters take two terminal columns, ASCII one", "[text]") {
    CHECK(gkml::display_width("abc") == 3);
    CHECK(gkml::display_width("社会救助") == 8);
    CHECK(gkml::display_width("20个工作日") == 10);
    CHECK(gkml::display_width("（）") == 4);
}

TEST_CASE("cutting a long cell keeps whole characters and marks the cut", "[text]") {
    CHECK(gkml::truncate_to_width("最低生活保障审核信息", 9) == "最低生活…");
    CHECK(gkml::truncate_to_width("短", 9) == "短");
}

TEST_CASE("full-width digits and letters fold to half-width, Chinese punctuation stays", "[text]") {
    CHECK(gkml::fold_width("２０个工作日") == "20个工作日");
    CHECK(gkml::fold_width("（Ａ）　、。《》") == "(A) 、。《》");
}
