#include <catch2/catch.hpp>

#include <algorithm>

#include "gkml/validate.hpp"

namespace {

bool has_code(const std::vector<gkml::Diagnostic>& ds, std::string_view code) {
    return std::any_of(ds.begin(), ds.end(), [&](const gkml::Diagnostic& d) { return d.code == code; });
}

const gkml::Schemas& schemas() {
    static auto compiled = gkml::Schemas::compile();
    REQUIRE(compiled);
    return *compiled;
}

std::string standard_with_items(const std::string& items) {
    return R"(<catalog xmlns="urn:gkml:catalog:1" id="s" version="1" kind="standard"><meta><title>t</title></meta>)"
           R"(<field code="20" name="社会救助">)" + items + "</field></catalog>";
}

std::string item(const std::string& id) {
    return R"(<item id=")" + id + R"(" levels="county"><category>a</category><name>)" + id +
           R"(</name><elements><element>c</element></elements></item>)";
}

}  // namespace

TEST_CASE("the schema's identity constraints really catch a duplicate id", "[validate]") {
    gkml::DocumentKind kind;
    auto once = schemas().check(standard_with_items(item("20-001") + item("20-002")), "ok.xml", kind);
    CHECK(kind == gkml::DocumentKind::catalog);
    CHECK(once.empty());
    auto twice = schemas().check(standard_with_items(item("20-001") + item("20-001")), "dup.xml", kind);
    CHECK(has_code(twice, "GKML-E006"));
}

TEST_CASE("a name or a 公开时限 written on several lines is text, a blank one is refused", "[validate]") {
    // A cell a clerk broke with Alt+Enter, a published page's <br>: the schema's "not blank" must
    // not mean "on one line" (XSD's '.' stops at a line end; the fuzzer found it through the HTML import).
    auto with = [](const std::string& name, const std::string& limit) {
        return standard_with_items(R"(<item id="20-001" levels="county"><category>a</category><name>)" + name +
                                   R"(</name><elements><element>c</element></elements><time-limit text=")" + limit +
                                   R"("><unparsed/></time-limit></item>)");
    };
    gkml::DocumentKind kind;
    CHECK(schemas().check(with("低保对象\n认定条件", "信息形成之日起&#10;20个工作日内"), "two-lines.xml", kind).empty());
    CHECK(has_code(schemas().check(with(" \n\t ", "20个工作日内"), "blank-name.xml", kind), "GKML-E005"));
    CHECK(has_code(schemas().check(with("低保", "&#10; "), "blank-limit.xml", kind), "GKML-E005"));
}

TEST_CASE("the same id in two files of one catalog set is caught", "[validate]") {
    auto a = gkml::parse_catalog(standard_with_items(item("20-001")), "a.xml");
    auto b = gkml::parse_catalog(standard_with_items(item("20-001")), "b.xml");
    REQUIRE(a);
    REQUIRE(b);
    auto found = gkml::check_catalog_set({&*a, &*b});
    REQUIRE(found.size() == 1);
    CHECK(found[0].code == "GKML-E010");
    CHECK(found[0].file == "b.xml");
}

TEST_CASE("a unit item is held to the required elements and channels of its standard item", "[validate]") {
    auto standard = gkml::parse_catalog(
        standard_with_items(R"(<item id="20-001" levels="county township"><category>a</category><name>b</name>)"
                            R"(<elements><element mark="required">审核结果</element><element mark="optional">备注</element></elements>)"
                            R"(<channels><channel code="website" required="true"/><channel code="bulletin-board"/></channels></item>)"),
        "standard.xml");
    REQUIRE(standard);
    auto unit = gkml::parse_catalog(
        R"(<catalog xmlns="urn:gkml:catalog:1" id="u" version="1" kind="unit" based-on="s" based-on-version="1">)"
        R"(<meta><title>t</title><unit code="230522101000" name="兴隆镇" level="township"/></meta><field code="20" name="社会救助">)"
        R"(<item id="20-001" levels="township"><category>a</category><name>b</name><elements><element>备注</element></elements>)"
        R"(<channels><channel code="bulletin-board"/></channels></item></field></catalog>)",
        "unit.xml");
    REQUIRE(unit);
    gkml::CheckContext context{nullptr, &*standard};
    auto found = gkml::check_catalog(*unit, context);
    CHECK(has_code(found, "GKML-W007"));
    CHECK(has_code(found, "GKML-W002"));
    CHECK_FALSE(gkml::has_errors(found));
}

TEST_CASE("a catalog marked not applicable needs no required elements", "[validate]") {
    auto standard = gkml::parse_catalog(
        standard_with_items(R"(<item id="20-001" levels="township"><category>a</category><name>b</name>)"
                            R"(<elements><element mark="required">审核结果</element></elements></item>)"),
        "standard.xml");
    auto unit = gkml::parse_catalog(
        R"(<catalog xmlns="urn:gkml:catalog:1" id="u" version="1" kind="unit" based-on="s" based-on-version="1">)"
        R"(<meta><title>t</title><unit code="230522101000" name="兴隆镇" level="township"/></meta><field code="20" name="社会救助">)"
        R"(<item id="20-001" levels="township"><category>a</category><name>b</name><elements><element>x</element></elements>)"
        R"(<not-applicable reason="由县民政局统一办理"/></item></field></catalog>)",
        "unit.xml");
    REQUIRE(standard);
    REQUIRE(unit);
    gkml::CheckContext context{nullptr, &*standard};
    CHECK(gkml::check_catalog(*unit, context).empty());
}

TEST_CASE("a duplicate record id deep in a long ledger is reported at its own start tag", "[validate]") {
    // 40 000 records of three lines each: past the 65 535 lines a libxml2 tree can number.
    std::string xml = R"(<ledger xmlns="urn:gkml:ledger:1" unit="230522101000" from="2025-01-01" to="2025-12-31">)" "\n";
    auto record = [](int n) {
        return "  <record id=\"r" + std::to_string(n) +
               "\" item=\"20-001\" formed=\"2025-01-02\" published=\"2025-01-06\" channel=\"website\">\n"
               "    <title>低保公示</title>\n  </record>\n";
    };
    for (int n = 1; n <= 40000; ++n) xml += record(n);
    xml += record(7);  // the duplicate: its start tag is line 2 + 3 × 40 000
    xml += "</ledger>\n";
    gkml::DocumentKind kind;
    auto found = schemas().check(xml, "ledger.xml", kind);
    CHECK(kind == gkml::DocumentKind::ledger);
    REQUIRE(found.size() == 1);
    CHECK(found[0].code == "GKML-E006");
    CHECK(found[0].line == 120002);
    CHECK(found[0].column == 3);
}

TEST_CASE("a broken file gets only the parser's complaint, not what the schema made of the rest", "[validate]") {
    gkml::DocumentKind kind;
    auto found = schemas().check(standard_with_items(item("20-001")).substr(0, 200), "cut.xml", kind);
    REQUIRE_FALSE(found.empty());
    CHECK(std::all_of(found.begin(), found.end(), [](const gkml::Diagnostic& d) { return d.code == "GKML-E002"; }));
}
