// 公开台账: what a unit actually published, record by record. XML per xsd/ledger.xsd, or CSV as a
// website CMS exports it.
#pragma once

#include <expected>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gkml/calendar.hpp"
#include "gkml/error.hpp"
#include "gkml/model.hpp"

namespace gkml {

struct Record {
    std::string id;    // the CMS's own id, where it gives one
    std::string item;  // FF-NNN or L-…
    Date formed;       // the information was formed or changed: the anchor of its deadline
    Date published;
    ChannelCode channel = ChannelCode::website;
    std::string title;
    std::string url;
    bool operator==(const Record&) const = default;
};

struct Ledger {
    std::string unit;  // statistical division code
    std::vector<Record> records;  // in file order
    // The publication dates the export covers (@from, @to), where it says. A later ledger of the unit
    // restates what it covers: the store drops an earlier ledger's records published inside it.
    std::optional<Date> from, to;
    bool operator==(const Ledger&) const = default;
};

// A schema-valid ledger document.
std::expected<Ledger, Error> parse_ledger_xml(std::string_view xml, std::string_view file);

// The ledger, when `xml` is for certain valid against xsd/ledger.xsd and written the plain way gkml
// and common exporters write it: UTF-8, the ledger namespace as the default one, no prefixes,
// comments or character references, values without surrounding spaces. nullopt when it is not valid,
// or when only the full XSD check can tell: then run that (Schemas::check) for the diagnostics. One
// pugixml pass, several times faster than libxml2's validation; ledgers are most of a county's bytes.
std::optional<Ledger> parse_plainly_valid_ledger(std::string_view xml);
bool is_plainly_valid_ledger(std::string_view xml);  // the same check, the records not kept

// A CMS export: UTF-8 or GB18030; a header row naming at least the unit, item, formed date, publication
// date and channel columns, in Chinese (单位代码, 事项编号, 形成日期, 发布日期, 发布渠道, 标题, 链接 …) or
// English (unit, item, formed, published, channel, title, url). Dates as 2024-03-05, 2024/3/5 or
// 2024年3月5日, a time after them ignored; channels as codes or their Chinese labels. One ledger per
// unit, in code order.
std::expected<std::vector<Ledger>, Error> parse_ledger_csv(std::string_view bytes, std::string_view file);

// Whether a CSV (UTF-8 or GB18030) is a ledger: its first row names a formed-date column. A catalog's
// CSV starts with its # lines and its 公开时限 may say 形成.
bool is_ledger_csv(std::string_view bytes);

// YYYY-MM-DD, YYYY/M/D or YYYY年M月D日, with anything after a space ignored.
std::optional<Date> parse_loose_date(std::string_view text);

}  // namespace gkml
