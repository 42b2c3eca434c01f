#include <catch2/catch.hpp>

#include <filesystem>

#include "calendar_fixtures.hpp"
#include "gkml/calendar.hpp"
#include "gkml/timelimit.hpp"

using namespace gkml;

namespace {

Clause rel(int n, TimeUnit unit, AnchorEvent anchor, std::string anchor_text = {}, std::string scope = {}) {
    return Clause{std::move(scope), Relative{n, unit, anchor, std::move(anchor_text)}, std::nullopt};
}
Clause workdays(int n, AnchorEvent anchor = AnchorEvent::formed_or_changed, std::string anchor_text = {}) {
    return rel(n, TimeUnit::workday, anchor, std::move(anchor_text));
}
Clause immediate(ImmediateKind kind, std::string trigger = {}) { return Clause{{}, Immediate{kind, std::move(trigger)}, std::nullopt}; }
Clause standing(StandingKind kind, std::string scope = {}) { return Clause{std::move(scope), Standing{kind}, std::nullopt}; }
Clause periodic(Period period, int count = 1, int due_month = 0, int due_day = 0) {
    return Clause{{}, Periodic{period, count, due_month, due_day}, std::nullopt};
}
Clause scoped(std::string scope, Clause clause) {
    clause.scope = std::move(scope);
    return clause;
}

TimeLimit rule(std::string_view text, std::vector<Clause> clauses, bool defer = false) {
    return TimeLimit{std::string{text}, std::move(clauses), defer};
}

using gkml::test::bundled_calendar;
using gkml::test::date;

std::string due(std::string_view text, std::string_view anchor, const Calendar& calendar, std::size_t clause = 0) {
    auto limit = parse_time_limit(text);
    REQUIRE(limit.clauses.size() > clause);
    auto d = due_for(limit.clauses[clause], date(anchor), calendar);
    REQUIRE(d);
    return format_date(d->date);
}

struct Phrasing {
    int number;  // as in domain.md §4.1
    std::string_view text;
    std::vector<Clause> clauses;
    bool defer = false;
};

}  // namespace

TEST_CASE("every 公开时限 phrasing seen in real catalogs parses to its rule", "[timelimit]") {
    using enum AnchorEvent;
    const std::vector<Phrasing> phrasings{
        {1, "自信息形成或者变更之日起20个工作日内予以公开", {workdays(20)}},
        {2, "信息形成或变更之日起20个工作日内", {workdays(20)}},
        {3, "信息形成或者变更之日起20个工作日内", {workdays(20)}},
        {4, "自该信息形成或者变更之日起20个工作日内", {workdays(20)}},
        {5, "自该政府信息形成或者变更之日起20个工作日内及时公开", {workdays(20)}},
        {6, "信息形成或者变更之日起20个工作日内。法律、法规对政府信息公开的期限另有规定的,从其规定。", {workdays(20)}, true},
        {7, "信息形成或变更之日起20个工作日内。法律法规对政府信息公开的期限另有规定的,从其规定。", {workdays(20)}, true},
        {8, "信息形成或者变更之日起20个工作日内予以公开;", {workdays(20)}},
        {9, "形成或者变更之日起20个工作日内予以公开", {workdays(20)}},
        {10, "信息形成之日起20个工作日内", {workdays(20, formed)}},
        {11, "信息形成或变更之日起20个工作日内公开", {workdays(20)}},
        {12, "信息形成或者变更之日起20个工作日内公开", {workdays(20)}},
        {13, "公开事项信息形成或变更之日起20个工作日内公开", {workdays(20)}},
        {14, "执法决定信息在决定作出之日起7个工作日内公开,其他相关信息形成或变更之日起20个工作日内公开",
         {scoped("执法决定信息", workdays(7, decided)), scoped("其他相关信息", workdays(20))}},
        {15, "信息形成20个工作日内公开;其中行政许可、行政处罚事项应自作出行政决定之日起7个工作日内公示",
         {workdays(20, formed), scoped("行政许可、行政处罚事项", workdays(7, decided))}},
        {16, "信息形成20个工作日内公开", {workdays(20, formed)}},
        {17, "信息形成(变更)20个工作日内", {workdays(20)}},
        {18, "信息形成(变更)下发至本单位20个工作日内", {workdays(20, received, "形成(变更)下发至本单位")}},
        {19, "信息形成或变更20个工作日内", {workdays(20)}},
        {20, "关联规范性文件公开3个工作日内", {workdays(3, related_published, "关联规范性文件公开")}},
        {22, "自制作或获取该信息之日起20个工作日内公开", {workdays(20, made_or_obtained)}},
        {23, "制定或获取信息之日起10个工作日内", {workdays(10, made_or_obtained)}},
        {24, "制定或获取备案政策之日起10个工作日内", {workdays(10, made_or_obtained, "制定或获取备案政策")}},
        {25, "制定或获取扶持补贴政策之日起10个工作日内", {workdays(10, made_or_obtained, "制定或获取扶持补贴政策")}},
        {26, "制定或获取文件之日起10个工作日内", {workdays(10, made_or_obtained, "制定或获取文件")}},
        {26, "制定或获取扶持政策措施之日起10个工作日内", {workdays(10, made_or_obtained, "制定或获取扶持政策措施")}},
        {26, "制定或获取指南之日起10个工作日内", {workdays(10, made_or_obtained, "制定或获取指南")}},
        {27, "信息形成或变更之日起10个工作日内", {workdays(10)}},
        {28, "信息形成或变更之日起3个工作日内", {workdays(3)}},
        {29, "实时公开", {immediate(ImmediateKind::real_time)}},
        {30, "及时公开", {immediate(ImmediateKind::timely)}},
        {31, "按进展情况及时公开", {immediate(ImmediateKind::timely, "按进展情况")}},
        {32, "重大决策作出后及时公开", {immediate(ImmediateKind::timely, "重大决策作出后")}},
        {33, "及时公开,公告期限为5个工作日",
         {immediate(ImmediateKind::timely), Clause{{}, Duration{5, TimeUnit::workday}, std::nullopt}}},
        {35, "半年至少更新1次", {periodic(Period::half_year)}},
        {36, "提前一周发通知邀请", {Clause{{}, LeadTime{1, TimeUnit::week}, std::nullopt}}},
        {37, "永久公开", {standing(StandingKind::permanent)}},
        {38, "1.除处罚决定外其他内容:长期公开(动态调整); 2.处罚决定:20个工作日内。",
         {standing(StandingKind::long_term, "除处罚决定外其他内容"), scoped("处罚决定", workdays(20))}},
        {39, "作出决定之日起7个工作日内;情况复杂的,经本单位负责人批准,可延长7个工作日",
         {Clause{{}, Relative{7, TimeUnit::workday, decided, {}}, Extension{7, TimeUnit::workday, "情况复杂的,经本单位负责人批准"}}}},
        {40, "本级人民代表大会或其常务委员会批准后20日内",
         {rel(20, TimeUnit::day, approved, "本级人民代表大会或其常务委员会批准")}},
        {41, "分配结果确定后20个工作日内", {workdays(20, allocated)}},
        {42, "20个工作日", {workdays(20)}},
        {43, "20工作日", {workdays(20)}},
    };
    for (const auto& p : phrasings) {
        INFO("phrasing " << p.number << ": " << p.text);
        CHECK(parse_time_limit(p.text) == rule(p.text, p.clauses, p.defer));
    }
}

TEST_CASE("what the parser cannot read is kept and reported, never dropped", "[timelimit]") {
    SECTION("#21 is cut off in the only copy: its unit is unknown") {
        auto limit = parse_time_limit("信息获取(形成变更)20个工作…");
        CHECK_FALSE(limit.parsed());
        CHECK(limit.text == "信息获取(形成变更)20个工作…");
    }
    SECTION("the complete form of #21 does parse") {
        CHECK(parse_time_limit("信息获取（形成变更）20个工作日内").clauses ==
              std::vector{workdays(20, AnchorEvent::received, "获取(形成变更)")});
    }
    SECTION("#34 同上 has no rule of its own") { CHECK_FALSE(parse_time_limit("同上").parsed()); }
    SECTION("a text with one part understood and one not is unparsed as a whole") {
        auto limit = parse_time_limit("①《听证通知书》在组织听证7个工作日前予以公开；②其他听证公开内容为依申请公开。");
        CHECK_FALSE(limit.parsed());
        CHECK_FALSE(limit.defer_to_law);
    }
    SECTION("a run of Chinese numerals too long for any period is kept as written (the fuzzer's overflow)") {
        auto limit = parse_time_limit("一二一一二一一二一二一二个工作日内");
        CHECK_FALSE(limit.parsed());
        CHECK(limit.text == "一二一一二一一二一二一二个工作日内");
        CHECK(normalize_time_limit("一二一一二一一二一二一二个工作日内") == "一二一一二一一二一二一二个工作日内");
        CHECK(parse_time_limit("二十个工作日内").clauses == std::vector{workdays(20, AnchorEvent::formed_or_changed)});
    }
    SECTION("a span of zero (a clerk's slip, or the fuzzer's splice) is no rule: the catalog could not hold it") {
        for (std::string_view text : {"信息形成之日起0个工作日内", "零个工作日内", "每月0日前公开", "00日内"}) {
            INFO(text);
            auto limit = parse_time_limit(text);
            CHECK_FALSE(limit.parsed());
            CHECK(limit.text == text);
        }
        CHECK(parse_time_limit("信息形成之日起10个工作日内").parsed());
    }
    SECTION("vague or empty wording") {
        for (std::string_view text : {"按规定时限", "依申请公开", "", "   ", "20", "法律法规另有规定的从其规定"}) {
            INFO(text);
            auto limit = parse_time_limit(text);
            CHECK_FALSE(limit.parsed());
            CHECK(limit.text == text);
        }
    }
}

TEST_CASE("the text is normalised before it is read, and kept byte for byte", "[timelimit]") {
    SECTION("full-width digits and punctuation") {
        std::string_view text = "信息形成或者变更之日起２０个工作日内。法律、法规对政府信息公开的期限另有规定的，从其规定。";
        auto limit = parse_time_limit(text);
        CHECK(limit == rule(text, {workdays(20)}, true));
        CHECK(normalize_time_limit("（变更）２０") == "(变更)20");
    }
    SECTION("Chinese numerals before a unit") {
        CHECK(parse_time_limit("信息形成之日起二十个工作日内").clauses == std::vector{workdays(20, AnchorEvent::formed)});
        CHECK(parse_time_limit("两个工作日内公开").clauses == std::vector{workdays(2)});
        CHECK(parse_time_limit("批准后十五日内").clauses == std::vector{rel(15, TimeUnit::day, AnchorEvent::approved)});
        CHECK(normalize_time_limit("提前一周；每年十二月底前；两微一端") == "提前1周;每年12月底前;两微一端");
    }
    SECTION("spaces, line breaks and traditional characters") {
        std::string_view text = "信息形成或變更之日起 20 個\n工作日內";
        auto limit = parse_time_limit(text);
        CHECK(limit.text == text);
        CHECK(limit.clauses == std::vector{workdays(20)});
    }
    SECTION("two rules side by side with only a space between them") {
        CHECK(parse_time_limit("自信息形成或者变更之日起20个工作日内予以公开 自信息形成或者变更之日起7个工作日内予以公开").clauses ==
              std::vector{workdays(20), workdays(7)});
    }
}

TEST_CASE("the wordings of the standard catalogs and the evidence files", "[timelimit]") {
    using enum AnchorEvent;
    CHECK(parse_time_limit("信息产生、变更之日起20个工作日内公开,保持长期公开(相关政策法规另有规定的应从其规定)") ==
          rule("信息产生、变更之日起20个工作日内公开,保持长期公开(相关政策法规另有规定的应从其规定)",
               {workdays(20), standing(StandingKind::long_term)}, true));
    CHECK(parse_time_limit("自该信息形成或者变更之日起20个工作日内予以公开,法律法规另有规定的除外。").defer_to_law);
    CHECK(parse_time_limit("自收到申请之日起20个工作日内公开").clauses == std::vector{workdays(20, received, "收到申请")});
    CHECK(parse_time_limit("拟征收土地现状调查结束后5个工作日内,在村公示栏公开。").clauses ==
          std::vector{workdays(5, other, "拟征收土地现状调查结束")});
    CHECK(parse_time_limit("在实地启动拟征收土地工作时,在村公示栏公开。").clauses ==
          std::vector{immediate(ImmediateKind::timely, "在实地启动拟征收土地工作时")});
    CHECK(parse_time_limit("信息形成之日起20个工作日内;行政许可和行政处罚决定作出后7个工作日内").clauses ==
          std::vector{workdays(20, formed), scoped("行政许可和行政处罚决定", workdays(7, decided))});
    CHECK(parse_time_limit("作出行政处罚决定之日起7个工作日内").clauses == std::vector{workdays(7, decided)});
    CHECK(parse_time_limit("行政处罚决定形成之日起20个工作日内").clauses == std::vector{workdays(20, decided)});
    CHECK(parse_time_limit("本级政府财政部门批复后20日内").clauses ==
          std::vector{rel(20, TimeUnit::day, approved, "本级政府财政部门批复")});
    CHECK(parse_time_limit("随采购公告、采购文件公开").clauses ==
          std::vector{immediate(ImmediateKind::timely, "随采购公告、采购文件公开")});
    CHECK(parse_time_limit("自信息形成或者变更之日起20个工作日内予以公开；结果信息：自信息形成或者变更之日起7个工作日内予以公开").clauses ==
          std::vector{workdays(20), scoped("结果信息", workdays(7))});
    CHECK(parse_time_limit("长期").clauses == std::vector{standing(StandingKind::long_term)});
    CHECK(parse_time_limit("动态调整").clauses == std::vector{standing(StandingKind::dynamic)});
}

TEST_CASE("periodic, lead-time, display and hour rules", "[timelimit]") {
    CHECK(parse_time_limit("每月").clauses == std::vector{periodic(Period::month)});
    CHECK(parse_time_limit("每季度公开").clauses == std::vector{periodic(Period::quarter)});
    CHECK(parse_time_limit("每半年更新一次").clauses == std::vector{periodic(Period::half_year)});
    CHECK(parse_time_limit("每年12月底前").clauses == std::vector{periodic(Period::year, 1, 12)});
    CHECK(parse_time_limit("每年3月31日前公开").clauses == std::vector{periodic(Period::year, 1, 3, 31)});
    CHECK(parse_time_limit("每年至少公开2次").clauses == std::vector{periodic(Period::year, 2)});
    CHECK(parse_time_limit("每月10日前").clauses == std::vector{periodic(Period::month, 1, 0, 10)});
    CHECK(parse_time_limit("提前3个工作日公告").clauses == std::vector{Clause{{}, LeadTime{3, TimeUnit::workday}, std::nullopt}});
    CHECK(parse_time_limit("公示期不少于7天").clauses == std::vector{Clause{{}, Duration{7, TimeUnit::day}, std::nullopt}});
    CHECK(parse_time_limit("突发事件发生后5小时内发布").clauses ==
          std::vector{rel(5, TimeUnit::hour, AnchorEvent::other, "突发事件发生")});
}

TEST_CASE("the 政府采购 wordings of the guideline: side by side with 、, 或者, 不得少于, 随…同时, 下达", "[timelimit]") {
    auto lead = [](int n, TimeUnit unit) { return Clause{{}, LeadTime{n, unit}, std::nullopt}; };
    CHECK(parse_time_limit("投标截止时间至少15日前、提交资格预审申请文件截止时间至少3日前，或者提交首次响应文件截止之日3个工作日前").clauses ==
          std::vector{lead(15, TimeUnit::day), lead(3, TimeUnit::day), lead(3, TimeUnit::workday)});
    CHECK(parse_time_limit("及时公开，公示期限不得少于5个工作日").clauses ==
          std::vector{immediate(ImmediateKind::timely), Clause{{}, Duration{5, TimeUnit::workday}, std::nullopt}});
    CHECK(parse_time_limit("随中标、成交结果同时公告，中标、成交结果公告前采购文件已公告的，不再重复公告").clauses ==
          std::vector{immediate(ImmediateKind::timely, "随中标、成交结果同时公告")});
    CHECK(parse_time_limit("资金分配结果下达15个工作日内").clauses ==
          std::vector{rel(15, TimeUnit::workday, AnchorEvent::other, "资金分配结果下达")});
    // A condition with nothing after it is still not a rule.
    CHECK_FALSE(parse_time_limit("中标、成交结果公告前采购文件已公告的").parsed());
}

TEST_CASE("an importer resolves 同上 against the row above", "[timelimit]") {
    CHECK(is_same_as_above("同上"));
    CHECK(is_same_as_above(" 同上。"));
    CHECK(is_same_as_above("同前"));
    CHECK_FALSE(is_same_as_above("同上级部门"));
    CHECK_FALSE(is_same_as_above("信息形成之日起20个工作日内"));

    std::vector<std::string> column{"同上", "信息形成之日起20个工作日内", "同上", "同上。", "实时公开", "同上"};
    auto limits = parse_time_limit_column(column);
    REQUIRE(limits.size() == column.size());
    CHECK_FALSE(limits[0].parsed());  // nothing above the first row
    CHECK(limits[0].text == "同上");
    CHECK(limits[2] == rule("同上", {workdays(20, AnchorEvent::formed)}));
    CHECK(limits[3] == rule("同上。", {workdays(20, AnchorEvent::formed)}));
    CHECK(limits[5].clauses == std::vector{immediate(ImmediateKind::real_time)});

    TimeLimit above = parse_time_limit("信息形成或者变更之日起20个工作日内。法律、法规对政府信息公开的期限另有规定的，从其规定。");
    auto same = resolve_time_limit("同上", &above);
    CHECK(same.text == "同上");
    CHECK(same.clauses == above.clauses);
    CHECK(same.defer_to_law);
}

TEST_CASE("a clerk computes the due date of a disclosure", "[timelimit]") {
    auto calendar = bundled_calendar();

    SECTION("20 working days from a Friday before 国庆 2025, counting the 调休 weekend days") {
        CHECK(due("信息形成或者变更之日起20个工作日内", "2025-09-26", calendar) == "2025-10-30");
    }
    SECTION("across 春节: the 2025 revision made 除夕 a day off") {
        CHECK(due("信息形成之日起3个工作日内", "2024-02-08", calendar) == "2024-02-19");  // 除夕 2024 still counted
        CHECK(due("信息形成之日起3个工作日内", "2025-01-27", calendar) == "2025-02-07");
    }
    SECTION("across 劳动节 2025, now with 5月2日 off") {
        CHECK(due("信息形成或变更之日起1个工作日内", "2025-04-30", calendar) == "2025-05-06");
    }
    SECTION("across a year end into 元旦 2026 and its 调休 Sunday") {
        CHECK(due("20个工作日", "2025-12-26", calendar) == "2026-01-26");
        CHECK(due("2个工作日", "2025-12-30", calendar) == "2026-01-04");
    }
    SECTION("calendar days: a last day off moves to the next working day (民法典 §203)") {
        CHECK(due("本级人民代表大会或其常务委员会批准后20日内", "2025-09-12", calendar) == "2025-10-09");
        CHECK(due("本级人民代表大会或其常务委员会批准后20日内", "2025-03-10", calendar) == "2025-03-31");
        CHECK(due("本级人民代表大会或其常务委员会批准后20日内", "2025-03-04", calendar) == "2025-03-24");
    }
    SECTION("an extension gives a later date too") {
        auto limit = parse_time_limit("作出决定之日起7个工作日内；情况复杂的，经本单位负责人批准，可延长7个工作日");
        auto d = due_for(limit.clauses.at(0), date("2025-09-26"), calendar);
        REQUIRE(d);
        CHECK(format_date(d->date) == "2025-10-13");
        REQUIRE(d->extended);
        CHECK(format_date(*d->extended) == "2025-10-22");
    }
    SECTION("hour rules give a time of day") {
        auto limit = parse_time_limit("突发事件发生后5小时内发布");
        auto d = due_for(limit.clauses.at(0), date("2025-10-01"), calendar, std::chrono::hours{22});
        REQUIRE(d);
        CHECK(format_date(d->date) == "2025-10-02");
        CHECK(d->time == std::chrono::minutes{3 * 60});
    }
    SECTION("实时 is due the same day; 及时 and standing rules have no date") {
        CHECK(due("实时公开", "2025-10-03", calendar) == "2025-10-03");
        auto timely = due_for(parse_time_limit("及时公开").clauses.at(0), date("2025-10-03"), calendar);
        REQUIRE_FALSE(timely);
        CHECK(timely.error().kind == ErrorKind::invalid_input);
        CHECK_FALSE(due_for(parse_time_limit("长期公开").clauses.at(0), date("2025-10-03"), calendar));
    }
    SECTION("lead times count back and land on a working day before the event") {
        CHECK(due("提前一周发通知邀请", "2025-10-09", calendar) == "2025-09-30");
        CHECK(due("提前7个工作日公告", "2025-10-13", calendar) == "2025-09-26");
    }
    SECTION("a display period ends on its last working day") {
        CHECK(due("及时公开,公告期限为5个工作日", "2025-09-30", calendar, 1) == "2025-10-14");
    }
    SECTION("a date beyond the calendar is an error naming the year") {
        auto limit = parse_time_limit("20个工作日");
        auto d = due_for(limit.clauses.at(0), date("2026-12-20"), calendar);
        REQUIRE_FALSE(d);
        CHECK_THAT(d.error().message, Catch::Contains("2027"));
    }
}

TEST_CASE("periodic rules give their due dates inside a period", "[timelimit]") {
    auto calendar = bundled_calendar();
    auto dues = [&](std::string_view text, std::string_view from, std::string_view to) {
        auto limit = parse_time_limit(text);
        REQUIRE(limit.clauses.size() == 1);
        auto dates = periodic_dues(std::get<Periodic>(limit.clauses[0].rule), date(from), date(to), calendar);
        REQUIRE(dates);
        std::vector<std::string> out;
        for (auto d : *dates) out.push_back(format_date(d));
        return out;
    };
    CHECK(dues("每季度", "2025-01-01", "2025-12-31") ==
          std::vector<std::string>{"2025-03-31", "2025-06-30", "2025-09-30", "2025-12-31"});
    CHECK(dues("半年至少更新1次", "2024-01-01", "2024-12-31") == std::vector<std::string>{"2024-07-01", "2024-12-31"});
    CHECK(dues("每月", "2025-05-01", "2025-06-30") == std::vector<std::string>{"2025-06-03", "2025-06-30"});  // 5/31 is 端午
    CHECK(dues("每年至少公开2次", "2025-01-01", "2025-12-31") == std::vector<std::string>{"2025-06-30", "2025-12-31"});
    CHECK(dues("每年3月底前", "2024-01-01", "2026-12-31") ==
          std::vector<std::string>{"2024-04-01", "2025-03-31", "2026-03-31"});
    CHECK(due("每季度", "2025-05-10", calendar) == "2025-06-30");
    CHECK(due("每年3月底前", "2025-05-10", calendar) == "2026-03-31");
}

TEST_CASE("N working days from any anchor in the covered years is exactly N working days on", "[timelimit]") {
    auto calendar = bundled_calendar();
    auto limit = parse_time_limit("信息形成或者变更之日起20个工作日内");
    REQUIRE(limit.parsed());
    int failures = 0;
    using namespace std::chrono;
    for (sys_days day = sys_days{date("2019-01-01")}; day <= sys_days{date("2026-11-30")}; day += days{1}) {
        auto d = due_for(limit.clauses[0], Date{day}, calendar);
        bool good = d && is_workday(d->date, calendar).value_or(false) &&
                    count_workdays(Date{day}, d->date, calendar).value_or(-1) == 20;
        if (!good) {
            ++failures;
            FAIL_CHECK("anchor " << format_date(Date{day}));
        }
    }
    CHECK(failures == 0);
}
