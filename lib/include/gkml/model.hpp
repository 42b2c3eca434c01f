// The catalog model: plain value types for fields, items, catalogs, units and ledgers. No I/O.
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace gkml {

enum class Level { city, county, township, village };
enum class CatalogKind { standard, unit, template_ };
enum class ItemStatus { active, deprecated };
// The kind of column an item is on a government website, as 国办秘函〔2019〕19号 and the 普查 rules judge
// how often it must be updated: 动态要闻类 (2 weeks), 通知公告类 and 政策文件类 (6 months).
enum class ColumnKind { news, notice, policy };
enum class ElementMark { unmarked, required, optional };
enum class BasisKind { law, administrative_regulation, departmental_rule, normative_document, local_regulation, other };
enum class ChannelCode {
    website, gazette, weibo_wechat_app, press_hearing, radio_tv, print, reading_point, service_center,
    service_station, door_to_door, bulletin_board, targeted_push, library, archives, other
};
enum class TimeUnit { hour, workday, day, week, month };
enum class AnchorEvent {
    formed, changed, formed_or_changed, made_or_obtained, received, decided, approved, allocated,
    related_published, other
};
enum class ImmediateKind { real_time, timely };
enum class StandingKind { long_term, permanent, dynamic };
enum class Period { month, quarter, half_year, year };

// ---- 公开时限: the parsed rule ----

struct Relative {
    int n = 0;
    TimeUnit unit = TimeUnit::workday;
    AnchorEvent anchor = AnchorEvent::formed_or_changed;
    std::string anchor_text;  // the wording of the event where it says more than the enum (e.g. 备案政策)
    bool operator==(const Relative&) const = default;
};
struct Immediate {
    ImmediateKind kind = ImmediateKind::timely;
    std::string trigger;  // 按进展情况, 重大决策作出后 …
    bool operator==(const Immediate&) const = default;
};
struct Standing {
    StandingKind kind = StandingKind::long_term;
    bool operator==(const Standing&) const = default;
};
struct Periodic {
    Period period = Period::year;
    int count = 1;      // records expected per period
    int due_month = 0;  // 0: end of the period
    int due_day = 0;    // 0: end of the month
    bool operator==(const Periodic&) const = default;
};
struct LeadTime {  // 提前N…: before the event
    int n = 0;
    TimeUnit unit = TimeUnit::day;
    bool operator==(const LeadTime&) const = default;
};
struct Duration {  // 公告期限为N…: how long it stays up
    int n = 0;
    TimeUnit unit = TimeUnit::day;
    bool operator==(const Duration&) const = default;
};
struct Extension {  // 可延长N个工作日
    int n = 0;
    TimeUnit unit = TimeUnit::workday;
    std::string condition;
    bool operator==(const Extension&) const = default;
};

using RuleKind = std::variant<Relative, Immediate, Standing, Periodic, LeadTime, Duration>;

struct Clause {
    std::string scope;  // empty: applies to the whole item
    RuleKind rule;
    std::optional<Extension> extension;
    bool operator==(const Clause&) const = default;
};

struct TimeLimit {
    std::string text;             // as written, never altered
    std::vector<Clause> clauses;  // empty: unparsed
    bool defer_to_law = false;    // 另有规定的，从其规定
    bool parsed() const { return !clauses.empty(); }
    bool operator==(const TimeLimit&) const = default;
};

// ---- item columns ----

struct Element {
    std::string text;
    ElementMark mark = ElementMark::unmarked;
    bool operator==(const Element&) const = default;
};

struct BasisSource {
    std::string title;
    BasisKind kind = BasisKind::other;
    std::string number;
    bool operator==(const BasisSource&) const = default;
};

struct Channel {
    ChannelCode code = ChannelCode::other;
    bool required = false;
    std::string text;  // the platform's name, for `other`
    bool operator==(const Channel&) const = default;
};

struct Audience {
    bool everyone = false;  // 全社会
    bool specific = false;  // 特定群体
    std::string group;
    bool operator==(const Audience&) const = default;
};

struct Mode {
    bool proactive = false;   // 主动
    bool on_request = false;  // 依申请
    bool operator==(const Mode&) const = default;
};

struct NotApplicable {
    std::string reason;
    bool operator==(const NotApplicable&) const = default;
};

struct Seen {
    std::string href;
    std::string locality;
    bool operator==(const Seen&) const = default;
};

struct Evidence {
    std::vector<Seen> seen;
    std::string reconstructed;  // why, where no published row was found
    bool empty() const { return seen.empty() && reconstructed.empty(); }
    bool operator==(const Evidence&) const = default;
};

// Where in a file a value came from, for diagnostics. Not part of equality.
struct SourcePos {
    std::string file;
    int line = 0;
    int column = 0;
    std::string cell;  // in a workbook or table: "20 社会救助!C17" (sheet!cell), else empty
};

struct Item {
    std::string id;  // FF-NNN, or L-… for local items
    std::vector<Level> levels;
    ItemStatus status = ItemStatus::active;
    std::string replaced_by;
    std::string anchor;  // local items: the standard item or field code they extend
    std::optional<ColumnKind> column_kind;  // none: judged by its 公开时限 alone
    std::string category;  // 一级事项
    std::string name;      // 二级事项
    std::vector<Element> elements;
    std::vector<BasisSource> basis;
    std::optional<TimeLimit> time_limit;
    std::string subject;
    std::vector<Channel> channels;
    std::optional<Audience> audience;
    std::optional<Mode> mode;
    std::optional<NotApplicable> not_applicable;
    Evidence evidence;
    std::string note;  // 备注
    SourcePos pos;

    bool is_local() const { return id.starts_with("L-"); }
    // A standard item no published table was found to show (it carries <reconstructed>): it never
    // counts against a unit unless an audit asks for it (CoverageOptions::include_inferred).
    bool inferred() const { return !evidence.reconstructed.empty(); }
    bool at_level(Level level) const;
    bool operator==(const Item& other) const;
};

struct Field {
    std::string code;
    std::string name;
    std::optional<NotApplicable> not_applicable;  // 未涉及领域: the whole field
    std::vector<Item> items;
    SourcePos pos;
    bool operator==(const Field& other) const;
};

struct UnitRef {
    std::string code;
    std::string name;
    Level level = Level::township;
    bool operator==(const UnitRef&) const = default;
};

struct Meta {
    std::string title;
    std::string issuer;
    std::string document_number;
    std::string date;  // YYYY-MM-DD or empty
    std::optional<UnitRef> unit;
    std::vector<Seen> sources;
    std::string note;
    bool operator==(const Meta&) const = default;
};

struct Catalog {
    std::string id;
    std::string version;
    CatalogKind kind = CatalogKind::standard;
    std::string based_on;
    std::string based_on_version;
    Meta meta;
    std::vector<Field> fields;
    SourcePos pos;

    const Item* find_item(std::string_view id) const;
    const Field* find_field(std::string_view code) const;
    std::size_t item_count() const;
    bool operator==(const Catalog& other) const;
};

// ---- the field registry ----

struct Guideline {
    std::string number;
    std::string date;
    std::string certainty;  // verified | uncertain | disputed | unknown
    std::string note;
    bool operator==(const Guideline&) const = default;
};

struct FieldEntry {
    std::string code;
    std::string slug;
    std::string name;
    std::string en;
    std::vector<std::string> issuers;
    Guideline guideline;
    std::string applies_to;
    std::vector<std::string> aliases;
    bool operator==(const FieldEntry&) const = default;
};

// ---- enum names as written in the XML ----

std::string_view to_string(Level);
std::string_view to_string(CatalogKind);
std::string_view to_string(ItemStatus);
std::string_view to_string(ColumnKind);
std::string_view to_string(ElementMark);
std::string_view to_string(BasisKind);
std::string_view to_string(ChannelCode);
std::string_view to_string(TimeUnit);
std::string_view to_string(AnchorEvent);
std::string_view to_string(ImmediateKind);
std::string_view to_string(StandingKind);
std::string_view to_string(Period);

std::optional<Level> level_from(std::string_view);
std::optional<CatalogKind> catalog_kind_from(std::string_view);
std::optional<ItemStatus> item_status_from(std::string_view);
std::optional<ColumnKind> column_kind_from(std::string_view);
std::optional<ElementMark> element_mark_from(std::string_view);
std::optional<BasisKind> basis_kind_from(std::string_view);
std::optional<ChannelCode> channel_code_from(std::string_view);
std::optional<TimeUnit> time_unit_from(std::string_view);
std::optional<AnchorEvent> anchor_event_from(std::string_view);
std::optional<ImmediateKind> immediate_kind_from(std::string_view);
std::optional<StandingKind> standing_kind_from(std::string_view);
std::optional<Period> period_from(std::string_view);

// Chinese labels as the national tables print them.
std::string_view label_zh(Level);
std::string_view label_zh(ChannelCode);
std::string_view label_zh(BasisKind);

}  // namespace gkml
