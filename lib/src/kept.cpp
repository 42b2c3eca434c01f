#include "kept.hpp"

#include <cereal/archives/binary.hpp>
#include <cereal/types/string.hpp>
#include <cereal/types/vector.hpp>
#include <sodium.h>

#include <sstream>

#include "gkml/version.hpp"
#include "gkml/xml.hpp"

namespace gkml {

namespace {

// Bump when coverage_of or what it reads changes what it computes, or when the packed layout
// changes: every kept coverage is then computed again (gkml's version is part of the digest too).
constexpr std::string_view definitions = "kept-coverage 1";

// A date as its day number, both ways (std::chrono's types cannot take a serialize of ours).
struct DayNumber {
    Date& date;
    template <class Archive>
    void save(Archive& archive) const {
        archive(static_cast<std::int32_t>(std::chrono::sys_days(date).time_since_epoch().count()));
    }
    template <class Archive>
    void load(Archive& archive) {
        std::int32_t days = 0;
        archive(days);
        date = Date{std::chrono::sys_days{std::chrono::days{days}}};
    }
};

}  // namespace

template <class Archive>
void serialize(Archive& a, Ratio& r) { a(r.num, r.den); }
template <class Archive>
void serialize(Archive& a, Figures& f) { a(f.catalog, f.elements, f.channels, f.blank, f.not_updated, f.timeliness); }
template <class Archive>
void serialize(Archive& a, FieldFigures& f) { a(f.code, f.figures); }
template <class Archive>
void serialize(Archive& a, ItemRef& i) { a(i.id, i.field, i.category, i.name); }
template <class Archive>
void serialize(Archive& a, Lacking& l) { a(l.elements, l.channels); }
template <class Archive>
void serialize(Archive& a, VetoRisk& v) { a(v.blank, v.short_cycle, v.not_updated); }
template <class Archive>
void serialize(Archive& a, NotUpdated& n) { a(n.item, n.rule, DayNumber{n.newest}, DayNumber{n.since}); }
template <class Archive>
void serialize(Archive& a, LateRecord& l) { a(l.item, l.name, DayNumber{l.formed}, DayNumber{l.published}, DayNumber{l.due}); }
template <class Archive>
void serialize(Archive& a, UnitCoverage& u) {
    a(u.code, u.name, u.level, DayNumber{u.judged_on}, u.figures, u.fields, u.missing, u.incomplete, u.lacking, u.blank,
      u.not_updated, u.veto, u.local, u.unmatched, u.late, u.to_verify, u.standard, u.standard_version);
}

namespace kept {

namespace {

class Digest {
public:
    Digest() { crypto_generichash_init(&state_, nullptr, 0, crypto_generichash_BYTES); }
    // Each part with its length, so ("ab", "c") and ("a", "bc") differ.
    Digest& operator<<(std::string_view part) {
        auto size = static_cast<std::uint64_t>(part.size());
        crypto_generichash_update(&state_, reinterpret_cast<const unsigned char*>(&size), sizeof size);
        crypto_generichash_update(&state_, reinterpret_cast<const unsigned char*>(part.data()), part.size());
        return *this;
    }
    Digest& operator<<(std::int64_t n) { return *this << std::string_view(std::to_string(n)); }
    std::string hex() {
        unsigned char out[crypto_generichash_BYTES];
        crypto_generichash_final(&state_, out, sizeof out);
        char text[2 * sizeof out + 1];
        sodium_bin2hex(text, sizeof text, out, sizeof out);
        return text;
    }

private:
    crypto_generichash_state state_;
};

std::int64_t day_number(Date date) { return std::chrono::sys_days(date).time_since_epoch().count(); }

}  // namespace

std::string run_inputs(const std::vector<Catalog>& standards, const Calendar& calendar, const CoverageOptions& options) {
    if (sodium_init() < 0) return {};  // an empty digest is never kept under
    Digest d;
    d << definitions << version << static_cast<std::int64_t>(standards.size());
    for (const auto& standard : standards) d << write_catalog(standard);
    d << static_cast<std::int64_t>(calendar.years.size());
    for (const auto& year : calendar.years) {
        d << std::int64_t{year.year};
        for (const auto& day : year.days)
            d << day_number(day.date) << std::int64_t{static_cast<int>(day.kind)} << std::int64_t{day.adjoining_weekend};
    }
    d << day_number(options.period.from) << day_number(options.period.to) << options.period.label
      << std::int64_t{options.stale_days} << options.field << std::int64_t{options.include_inferred}
      << (options.judged_on ? day_number(*options.judged_on) : std::int64_t{-1});
    return d.hex();
}

std::string unit_inputs(std::string_view run, const Unit& unit) {
    if (run.empty()) return {};  // no digest could be made: nothing is kept or read back
    Digest d;
    d << run << unit.code << unit.name << (unit.level ? to_string(*unit.level) : std::string_view{});
    for (const auto& field : unit.fields) d << field;
    return d.hex();
}

std::string pack(const UnitCoverage& coverage) {
    std::ostringstream out;
    {
        cereal::BinaryOutputArchive archive(out);
        archive(const_cast<UnitCoverage&>(coverage));  // cereal's serialize is one function for both ways
    }
    return std::move(out).str();
}

std::optional<UnitCoverage> unpack(std::string_view bytes) {
    try {
        std::istringstream in{std::string(bytes)};
        cereal::BinaryInputArchive archive(in);
        UnitCoverage out;
        archive(out);
        if (in.peek() != std::char_traits<char>::eof()) return std::nullopt;
        return out;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

}  // namespace kept

}  // namespace gkml
