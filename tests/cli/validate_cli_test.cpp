#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <regex>

#include "run.hpp"

using gkml::test::run_gkml;

namespace {

// Each invalid fixture says what it must raise: <!-- expect: GKML-E006 line 31 -->
struct Expectation {
    std::string code;
    int line = 0;
};

std::vector<Expectation> expectations_of(const std::filesystem::path& file) {
    std::vector<Expectation> out;
    std::string text = gkml::test::slurp(file);
    std::regex pattern(R"(expect: (GKML-[EW][0-9]{3}) line ([0-9]+))");
    for (std::sregex_iterator it(text.begin(), text.end(), pattern), end; it != end; ++it)
        out.push_back({(*it)[1], std::stoi((*it)[2])});
    return out;
}

std::vector<std::filesystem::path> files_in(const std::string& folder) {
    std::vector<std::filesystem::path> out;
    for (const auto& e : std::filesystem::directory_iterator(gkml::test::source(folder)))
        if (e.is_regular_file()) out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

TEST_CASE("the bundled catalogs validate with no errors and no warnings", "[cli][validate]") {
    auto run = run_gkml({"validate", "--strict", "catalogs/", "examples/youyi/city-standard/"});
    INFO(run.out << run.err);
    CHECK(run.exit_code == 0);
    CHECK(run.out.empty());
    // Hand edits of the standard leave it in the form gkml writes (one diff line per change).
    for (const auto& file : std::filesystem::directory_iterator(gkml::test::source("catalogs/standard"))) {
        INFO(file.path());
        CHECK(run_gkml({"format", "--check", file.path().string()}).exit_code == 0);
    }
}

TEST_CASE("every valid fixture passes", "[cli][validate]") {
    auto run = run_gkml({"validate", "--strict", "--standard", "tests/data/standard", "tests/data/valid/", "tests/data/standard/"});
    INFO(run.out << run.err);
    CHECK(run.exit_code == 0);
}

TEST_CASE("every invalid fixture raises exactly the code it names, at its line", "[cli][validate]") {
    auto files = files_in("tests/data/invalid");
    REQUIRE(files.size() >= 10);
    for (const auto& file : files) {
        auto expected = expectations_of(file);
        INFO(file.filename().string());
        REQUIRE_FALSE(expected.empty());
        auto relative = "tests/data/invalid/" + file.filename().string();
        auto run = run_gkml({"validate", "--format", "json", "--standard", "tests/data/standard", relative});
        INFO(run.out << run.err);
        bool any_error = std::any_of(expected.begin(), expected.end(), [](const Expectation& e) { return e.code[5] == 'E'; });
        CHECK(run.exit_code == (any_error ? 2 : 0));
        auto found = nlohmann::json::parse(run.out);
        for (const auto& e : expected) {
            bool hit = false;
            for (const auto& d : found)
                if (d["code"] == e.code && d["line"] == e.line && d["file"] == relative) hit = true;
            INFO("expected " << e.code << " at line " << e.line);
            CHECK(hit);
        }
        for (const auto& d : found) {
            bool wanted = std::any_of(expected.begin(), expected.end(), [&](const Expectation& e) { return d["code"] == e.code; });
            INFO("unexpected " << d["code"] << " at line " << d["line"]);
            CHECK(wanted);
        }
    }
}

TEST_CASE("a clerk reads diagnostics like compiler messages, with a hint", "[cli][validate]") {
    auto run = run_gkml({"validate", "--standard", "tests/data/standard", "tests/data/invalid/not-applicable-without-reason.xml"});
    CHECK(run.exit_code == 2);
    CHECK(run.out.find("tests/data/invalid/not-applicable-without-reason.xml:") == 0);
    CHECK(run.out.find("error GKML-E013:") != std::string::npos);
    CHECK(run.out.find("hint:") != std::string::npos);
}

TEST_CASE("SARIF output is a 2.1.0 log with one result per finding", "[cli][validate]") {
    auto run = run_gkml({"validate", "--format", "sarif", "tests/data/invalid/duplicate-item-id.xml"});
    CHECK(run.exit_code == 2);
    auto sarif = nlohmann::json::parse(run.out);
    CHECK(sarif["version"] == "2.1.0");
    REQUIRE(sarif["runs"].size() == 1);
    CHECK(sarif["runs"][0]["tool"]["driver"]["name"] == "gkml");
    REQUIRE(sarif["runs"][0]["results"].size() >= 1);
    CHECK(sarif["runs"][0]["results"][0]["ruleId"] == "GKML-E006");
}

TEST_CASE("missing paths and usage errors have their own exit codes", "[cli][validate]") {
    CHECK(run_gkml({"validate", "no/such/file.xml"}).exit_code == 2);
    CHECK(run_gkml({"validate"}).exit_code == 3);
    CHECK(run_gkml({"validate", "--format", "yaml", "catalogs/"}).exit_code == 3);
}

TEST_CASE("gkml help names a command's options, and a mistyped command is told what it may have meant", "[cli]") {
    auto help = run_gkml({"help", "import"});
    CHECK(help.exit_code == 0);
    CHECK(help.out.find("Usage: gkml import") != std::string::npos);
    CHECK(help.out.find("--as-standard") != std::string::npos);
    auto all = run_gkml({"help"});
    CHECK(all.exit_code == 0);
    CHECK(all.out.find("rectify") != std::string::npos);
    CHECK(all.out.find("GKML_HOME") != std::string::npos);
    auto typo = run_gkml({"imprt", "a.xlsx"});
    CHECK(typo.exit_code == 3);
    CHECK(typo.err.find("没有 imprt 这个命令") != std::string::npos);
    CHECK(typo.err.find("gkml import") != std::string::npos);
    CHECK(run_gkml({"cov"}).err.find("gkml coverage") != std::string::npos);  // the start of a command
    auto unknown = run_gkml({"help", "publish"});
    CHECK(unknown.exit_code == 3);
    CHECK(unknown.err.find("没有 publish 这个命令") != std::string::npos);
    auto serve = run_gkml({"help", "serve"});
    CHECK(serve.exit_code == 0);
    CHECK(serve.out.find("--listen") != std::string::npos);
    CHECK(serve.out.find("gkml users add") != std::string::npos);
}

TEST_CASE("hostile and broken files get a diagnostic, never a crash", "[cli][validate]") {
    auto dir = std::filesystem::temp_directory_path() / ("gkml-hostile-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    SECTION("an empty file") {
        std::ofstream(dir / "empty.xml").close();
        auto run = run_gkml({"validate", "--format", "json", (dir / "empty.xml").string()});
        CHECK(run.exit_code == 2);
        auto found = nlohmann::json::parse(run.out);
        REQUIRE(found.size() == 1);
        CHECK(found[0]["code"] == "GKML-E002");
    }
    SECTION("a folder of 10 000 files, some broken") {
        auto many = dir / "many";
        std::filesystem::create_directories(many);
        std::string valid = gkml::test::slurp(gkml::test::source("tests/data/standard/sample-standard.xml"));
        for (int i = 0; i < 10000; ++i) {
            std::ofstream out(many / ("f" + std::to_string(i) + ".xml"));
            if (i % 1000 == 7)
                out << "<catalog";
            else
                out << "<units xmlns=\"urn:gkml:units:1\"><unit code=\"230522\" name=\"友谊县\" level=\"county\"/></units>";
        }
        auto run = run_gkml({"validate", "--format", "json", many.string()});
        CHECK(run.exit_code == 2);
        auto found = nlohmann::json::parse(run.out);
        CHECK(found.size() == 10);
        CHECK(run.err.find("10000 files checked") != std::string::npos);
    }
    std::filesystem::remove_all(dir);
}

TEST_CASE("an external entity is never read: the file it names stays out of the output", "[cli][validate]") {
    auto run = run_gkml({"validate", "tests/data/invalid/doctype-external-entity.xml"});
    CHECK(run.exit_code == 2);
    CHECK(run.out.find("root:") == std::string::npos);
    CHECK(run.out.find("GKML-E003") != std::string::npos);
}
