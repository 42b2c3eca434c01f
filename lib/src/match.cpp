#include "gkml/match.hpp"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <map>
#include <optional>
#include <regex>

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

// For each item of one side, its candidates on the other side at or above the threshold, best first.
std::vector<std::vector<Scored>> candidates_of(const std::vector<std::vector<double>>& scores, std::size_t cols,
                                               bool by_row, double threshold) {
    std::size_t rows = scores.size();
    std::vector<std::vector<Scored>> out(by_row ? rows : cols);
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < cols; ++c)
            if (scores[r][c] >= threshold) out[by_row ? r : c].push_back({by_row ? c : r, scores[r][c]});
    for (auto& list : out)
        std::stable_sort(list.begin(), list.end(), [](const Scored& a, const Scored& b) { return a.score > b.score; });
    return out;
}

// The single best candidate, or nothing when several lie within the margin of the best.
std::optional<std::size_t> unique_best(const std::vector<Scored>& list, double margin) {
    if (list.empty() || (list.size() > 1 && list[0].score - list[1].score < margin)) return std::nullopt;
    return list[0].other;
}

}  // namespace

const Item& item_at(const Catalog& catalog, ItemPos pos) { return catalog.fields[pos.field].items[pos.item]; }
const Field& field_of(const Catalog& catalog, ItemPos pos) { return catalog.fields[pos.field]; }

bool has_usable_id(const Item& item) {
    static const std::regex pattern(R"([0-9]{2}-[0-9]{3}|L-[0-9A-Za-z_\-]{1,40})");
    return std::regex_match(item.id, pattern);
}

std::string normalized_name(std::string_view text) {
    std::string folded = fold_width(text), out;
    const auto* bytes = reinterpret_cast<const uint8_t*>(folded.data());
    const auto length = static_cast<int32_t>(folded.size());
    for (int32_t i = 0; i < length;) {
        int32_t start = i;
        UChar32 c;
        U8_NEXT(bytes, i, length, c);
        if (c < 0 || u_ispunct(c) || u_isUWhiteSpace(c) || u_hasBinaryProperty(c, UCHAR_PATTERN_SYNTAX)) continue;
        if (c < 0x80)
            out += static_cast<char>(u_tolower(c));
        else
            out.append(folded, static_cast<std::size_t>(start), static_cast<std::size_t>(i - start));
    }
    return out;
}

double text_similarity(std::string_view a, std::string_view b) {
    if (a.empty() && b.empty()) return 1.0;
    std::size_t common = 0, total = 0;
    for (const auto& piece : diff_text(a, b)) {
        auto chars = static_cast<std::size_t>(std::ranges::count_if(piece.text, [](char c) { return (c & 0xC0) != 0x80; }));
        total += piece.kind == TextPiece::same ? 2 * chars : chars;
        if (piece.kind == TextPiece::same) common += 2 * chars;
    }
    return total == 0 ? 1.0 : static_cast<double>(common) / static_cast<double>(total);
}

double name_similarity(const Item& a, const Item& b) {
    return (text_similarity(normalized_name(a.category), normalized_name(b.category)) +
            2 * text_similarity(normalized_name(a.name), normalized_name(b.name))) /
           3;
}

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

    std::vector<bool> old_done(old_left.size()), new_done(new_left.size());
    for (std::size_t o = 0; o < old_left.size(); ++o) {
        const auto& a = item_at(old_catalog, old_left[o]);
        if (!has_usable_id(a)) continue;
        for (std::size_t n = 0; n < new_left.size(); ++n) {
            const auto& b = item_at(new_catalog, new_left[n]);
            if (new_done[n] || !has_usable_id(b) || !same_but_id(a, b)) continue;
            out.pairs.push_back({old_left[o], new_left[n], MatchKind::renamed, 1.0});
            old_done[o] = new_done[n] = true;
            break;
        }
    }

    std::vector<std::vector<double>> scores(old_left.size(), std::vector<double>(new_left.size(), 0.0));
    for (std::size_t o = 0; o < old_left.size(); ++o)
        for (std::size_t n = 0; n < new_left.size(); ++n) {
            const auto& a = item_at(old_catalog, old_left[o]);
            const auto& b = item_at(new_catalog, new_left[n]);
            bool by_name = !has_usable_id(a) || !has_usable_id(b);
            if (!old_done[o] && !new_done[n] && by_name) scores[o][n] = name_similarity(a, b);
        }
    auto for_old = candidates_of(scores, new_left.size(), true, options.threshold);
    auto for_new = candidates_of(scores, new_left.size(), false, options.threshold);
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
