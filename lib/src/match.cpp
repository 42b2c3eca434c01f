#include "gkml/match.hpp"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <unordered_map>

#include "gkml/diff.hpp"
#include "gkml/text.hpp"

namespace gkml {

namespace {

std::vector<ItemPos> positions(const Catalog& catalog) {
    std::vector<ItemPos> out;
    for (std::size_t f = 0; f < catalog.fields.size(); ++f)
        for (std::size_t i = 0; i < catalog.fields[f].items.size(); ++i) out.push_back({f, i});
    return out;
}

bool same_but_id(const Item& a, const Item& b) {
    Item copy = b;
    copy.id = a.id;
    return copy == a;
}

struct Scored {
    std::size_t other;
    double score;
};

// The single best candidate, or nothing when several lie within the margin of the best.
std::optional<std::size_t> unique_best(const std::vector<Scored>& list, double margin) {
    if (list.empty() || (list.size() > 1 && list[0].score - list[1].score < margin)) return std::nullopt;
    return list[0].other;
}

}  // namespace

const Item& item_at(const Catalog& catalog, ItemPos pos) { return catalog.fields[pos.field].items[pos.item]; }
const Field& field_of(const Catalog& catalog, ItemPos pos) { return catalog.fields[pos.field]; }

bool has_usable_id(const Item& item) {
    // FF-NNN, or L- and 1 to 40 of [0-9A-Za-z_-] (the regex this replaces took 5 % of a province's coverage).
    std::string_view id = item.id;
    auto digits = [](std::string_view s) { return std::ranges::all_of(s, [](char c) { return c >= '0' && c <= '9'; }); };
    if (id.size() == 6 && id[2] == '-' && digits(id.substr(0, 2)) && digits(id.substr(3))) return true;
    if (id.size() < 3 || id.size() > 42 || !id.starts_with("L-")) return false;
    return std::ranges::all_of(id.substr(2), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == '-';
    });
}

namespace {

bool dropped_from_names(UChar32 c) { return u_ispunct(c) || u_isUWhiteSpace(c) || u_hasBinaryProperty(c, UCHAR_PATTERN_SYNTAX); }

}  // namespace

// fold_width, then every character but punctuation, spaces and symbols, ASCII in lower case; in one
// pass, asking ICU only about characters that are neither ASCII nor CJK ideographs (the test holds
// this to ICU's answers for every code point). Coverage names every element of every item this way.
std::string normalized_name(std::string_view text) {
    static const auto ascii = [] {
        std::array<char, 0x80> kept{};  // the character a name keeps, or 0
        for (UChar32 c = 1; c < 0x80; ++c) kept[static_cast<std::size_t>(c)] = dropped_from_names(c) ? 0 : static_cast<char>(u_tolower(c));
        return kept;
    }();
    std::string out;
    out.reserve(text.size());
    const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
    const auto length = static_cast<int32_t>(text.size());
    for (int32_t i = 0; i < length;) {
        int32_t start = i;
        UChar32 c;
        U8_NEXT(bytes, i, length, c);
        if (c >= 0xFF01 && c <= 0xFF5E) c -= 0xFEE0;  // full-width ASCII, as fold_width
        if (c < 0 || c == 0x3000) continue;           // malformed bytes; the ideographic space
        if (c == 0) {
            out += '\0';
        } else if (c < 0x80) {
            if (char kept = ascii[static_cast<std::size_t>(c)]) out += kept;
        } else if ((c >= 0x4E00 && c <= 0x9FFF) || !dropped_from_names(c)) {
            out.append(text, static_cast<std::size_t>(start), static_cast<std::size_t>(i - start));
        }
    }
    return out;
}

namespace {

std::vector<UChar32> code_points(std::string_view text) {
    std::vector<UChar32> out;
    const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
    const auto length = static_cast<int32_t>(text.size());
    for (int32_t i = 0; i < length;) {
        UChar32 c;
        U8_NEXT(bytes, i, length, c);
        out.push_back(c);
    }
    return out;
}

// 2 × the longest common subsequence / both lengths, on code points: what diff_text's pieces add up
// to (common prefix and suffix first; past 4 000 000 cells of the middle, the middle counts as replaced).
double similarity(const std::vector<UChar32>& a, const std::vector<UChar32>& b) {
    if (a.empty() && b.empty()) return 1.0;
    std::size_t prefix = 0;
    while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
    std::size_t suffix = 0;
    while (suffix < a.size() - prefix && suffix < b.size() - prefix && a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix])
        ++suffix;
    std::size_t n = a.size() - prefix - suffix, m = b.size() - prefix - suffix, common = prefix + suffix;
    if (n && m && n * m <= 4'000'000) {
        std::vector<std::uint32_t> row(m + 1, 0), next(m + 1, 0);
        for (std::size_t i = n; i-- > 0;) {
            for (std::size_t j = m; j-- > 0;)
                next[j] = a[prefix + i] == b[prefix + j] ? row[j + 1] + 1 : std::max(row[j], next[j + 1]);
            std::swap(row, next);
        }
        common += row[0];
    }
    return 2.0 * static_cast<double>(common) / static_cast<double>(a.size() + b.size());
}

// The best similarity two texts of these lengths could have.
double at_most(std::size_t a, std::size_t b) {
    return a + b == 0 ? 1.0 : 2.0 * static_cast<double>(std::min(a, b)) / static_cast<double>(a + b);
}

// An item's names, normalized once: a pair of catalogs compares each with many others.
struct Names {
    std::vector<UChar32> category, name;
    explicit Names(const Item& item)
        : category(code_points(normalized_name(item.category))), name(code_points(normalized_name(item.name))) {}
    double similarity_to(const Names& other) const {
        return (similarity(category, other.category) + 2 * similarity(name, other.name)) / 3;
    }
    double at_most_to(const Names& other) const {
        return (at_most(category.size(), other.category.size()) + 2 * at_most(name.size(), other.name.size())) / 3;
    }
};

}  // namespace

double text_similarity(std::string_view a, std::string_view b) { return similarity(code_points(a), code_points(b)); }

double name_similarity(const Item& a, const Item& b) { return Names(a).similarity_to(Names(b)); }

Matching match_items(const Catalog& old_catalog, const Catalog& new_catalog, const MatchOptions& options) {
    Matching out;
    std::map<std::string, ItemPos> new_by_id;
    for (auto pos : positions(new_catalog))
        if (const auto& item = item_at(new_catalog, pos); has_usable_id(item)) new_by_id.emplace(item.id, pos);

    std::vector<ItemPos> old_left;
    std::map<ItemPos, bool> new_taken;
    for (auto pos : positions(old_catalog)) {
        const auto& item = item_at(old_catalog, pos);
        auto hit = has_usable_id(item) ? new_by_id.find(item.id) : new_by_id.end();
        if (hit != new_by_id.end() && !new_taken[hit->second]) {
            out.pairs.push_back({pos, hit->second, MatchKind::id, 1.0});
            new_taken[hit->second] = true;
        } else {
            old_left.push_back(pos);
        }
    }
    std::vector<ItemPos> new_left;
    for (auto pos : positions(new_catalog))
        if (!new_taken[pos]) new_left.push_back(pos);

    // Renames: an unpaired id whose item is, apart from the id, an unpaired item of the other side.
    std::vector<bool> old_done(old_left.size()), new_done(new_left.size());
    std::unordered_map<std::string, std::vector<std::size_t>> new_by_names;
    auto names_key = [](const Item& item) { return item.category + '\x1f' + item.name; };
    for (std::size_t n = 0; n < new_left.size(); ++n)
        if (const auto& b = item_at(new_catalog, new_left[n]); has_usable_id(b)) new_by_names[names_key(b)].push_back(n);
    for (std::size_t o = 0; o < old_left.size(); ++o) {
        const auto& a = item_at(old_catalog, old_left[o]);
        if (!has_usable_id(a)) continue;
        auto bucket = new_by_names.find(names_key(a));
        if (bucket == new_by_names.end()) continue;
        for (auto n : bucket->second) {
            if (new_done[n] || !same_but_id(a, item_at(new_catalog, new_left[n]))) continue;
            out.pairs.push_back({old_left[o], new_left[n], MatchKind::renamed, 1.0});
            old_done[o] = new_done[n] = true;
            break;
        }
    }

    // By name, where one side has no usable id. First names equal once normalized, one on each side;
    // then candidates at or above the threshold, best first, unless that means too many comparisons.
    std::vector<bool> new_has_id(new_left.size());
    for (std::size_t n = 0; n < new_left.size(); ++n) new_has_id[n] = has_usable_id(item_at(new_catalog, new_left[n]));
    std::vector<bool> old_has_id(old_left.size());
    for (std::size_t o = 0; o < old_left.size(); ++o) old_has_id[o] = has_usable_id(item_at(old_catalog, old_left[o]));
    auto normalized = [](const Item& item) { return normalized_name(item.category) + '\x1f' + normalized_name(item.name); };
    std::unordered_map<std::string, std::pair<std::vector<std::size_t>, std::vector<std::size_t>>> same_names;
    for (std::size_t o = 0; o < old_left.size(); ++o)
        if (!old_done[o]) same_names[normalized(item_at(old_catalog, old_left[o]))].first.push_back(o);
    for (std::size_t n = 0; n < new_left.size(); ++n)
        if (!new_done[n]) same_names[normalized(item_at(new_catalog, new_left[n]))].second.push_back(n);
    for (const auto& [name, sides] : same_names) {
        if (sides.first.size() != 1 || sides.second.size() != 1) continue;
        auto o = sides.first[0], n = sides.second[0];
        if (old_has_id[o] && new_has_id[n]) continue;
        out.pairs.push_back({old_left[o], new_left[n], MatchKind::name, 1.0});
        old_done[o] = new_done[n] = true;
    }
    std::vector<std::vector<Scored>> for_old(old_left.size()), for_new(new_left.size());
    std::vector<std::optional<Names>> old_names(old_left.size()), new_names(new_left.size());
    // The pairs the pass would compare: never two items that both have ids.
    std::size_t old_with_id = 0, old_without = 0, new_with_id = 0, new_without = 0;
    for (std::size_t o = 0; o < old_left.size(); ++o)
        if (!old_done[o]) old_names[o].emplace(item_at(old_catalog, old_left[o])), ++(old_has_id[o] ? old_with_id : old_without);
    for (std::size_t n = 0; n < new_left.size(); ++n)
        if (!new_done[n]) new_names[n].emplace(item_at(new_catalog, new_left[n])), ++(new_has_id[n] ? new_with_id : new_without);
    out.names_compared = old_without * (new_with_id + new_without) + old_with_id * new_without <= options.max_comparisons;
    for (std::size_t o = 0; o < old_left.size() && out.names_compared; ++o) {
        if (old_done[o]) continue;
        for (std::size_t n = 0; n < new_left.size(); ++n) {
            if (new_done[n] || (old_has_id[o] && new_has_id[n])) continue;
            if (old_names[o]->at_most_to(*new_names[n]) < options.threshold) continue;
            double score = old_names[o]->similarity_to(*new_names[n]);
            if (score < options.threshold) continue;
            for_old[o].push_back({n, score});
            for_new[n].push_back({o, score});
        }
    }
    auto best_first = [](std::vector<Scored>& list) {
        std::stable_sort(list.begin(), list.end(), [](const Scored& a, const Scored& b) { return a.score > b.score; });
    };
    std::ranges::for_each(for_old, best_first);
    std::ranges::for_each(for_new, best_first);
    for (std::size_t o = 0; o < old_left.size(); ++o) {
        auto best = unique_best(for_old[o], options.margin);
        if (best && unique_best(for_new[*best], options.margin) == o) {
            out.pairs.push_back({old_left[o], new_left[*best], MatchKind::name, for_old[o][0].score});
            old_done[o] = new_done[*best] = true;
        }
    }
    auto report_ambiguous = [&](bool in_old, const std::vector<ItemPos>& left, const std::vector<ItemPos>& others,
                                const std::vector<std::vector<Scored>>& lists, const std::vector<bool>& done) {
        for (std::size_t k = 0; k < left.size(); ++k) {
            if (done[k] || lists[k].empty()) continue;
            Ambiguity a{in_old, left[k], {}, lists[k][0].score};
            for (const auto& s : lists[k])
                if (lists[k][0].score - s.score < options.margin) a.candidates.push_back(others[s.other]);
            if (a.candidates.size() > 1) out.ambiguous.push_back(std::move(a));
        }
    };
    report_ambiguous(true, old_left, new_left, for_old, old_done);
    report_ambiguous(false, new_left, old_left, for_new, new_done);

    for (std::size_t o = 0; o < old_left.size(); ++o)
        if (!old_done[o]) out.only_old.push_back(old_left[o]);
    for (std::size_t n = 0; n < new_left.size(); ++n)
        if (!new_done[n]) out.only_new.push_back(new_left[n]);
    std::ranges::sort(out.pairs, {}, &MatchedPair::old_item);
    return out;
}

}  // namespace gkml
