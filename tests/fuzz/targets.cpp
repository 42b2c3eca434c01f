#include "targets.hpp"

#include <zip.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "gkml/calendar.hpp"
#include "gkml/diagnostics.hpp"
#include "gkml/docx.hpp"
#include "gkml/html.hpp"
#include "gkml/ledger.hpp"
#include "gkml/tabular.hpp"
#include "gkml/timelimit.hpp"
#include "gkml/units.hpp"
#include "gkml/validate.hpp"
#include "gkml/xlsx.hpp"
#include "gkml/xml.hpp"

namespace gkml::fuzz {

namespace {

// A promise the code makes, broken: abort, so the fuzzer keeps the input.
void expect(bool holds, const char* what) {
    if (holds) return;
    std::fprintf(stderr, "gkml fuzz: broken promise: %s\n", what);
    std::abort();
}

const Schemas& schemas() {
    static const Schemas compiled = *Schemas::compile();
    return compiled;
}

const Calendar& calendar() {
    static const Calendar loaded = *load_calendar(std::string(GKML_SOURCE_DIR) + "/catalogs/calendar");
    return loaded;
}

ImportOptions options() {
    ImportOptions o;
    o.file = "fuzz";
    o.field_code = "20";
    return o;
}

// What an import promises: an import that succeeds with no error among its findings (the CLI writes
// nothing otherwise) gives a catalog gkml can write and read back.
void written_and_read_back(const std::expected<Imported, Error>& imported) {
    if (!imported || has_errors(imported->diagnostics)) return;
    auto xml = write_catalog(imported->catalog);
    DocumentKind kind;
    auto problems = schemas().check(xml, "fuzz", kind);
    if (has_errors(problems) && !imported->catalog.fields.empty() && imported->catalog.meta.unit)
        std::fprintf(stderr, "gkml fuzz: %s\n", diagnostics_to_text(problems).c_str());
    expect(!has_errors(problems) || imported->catalog.fields.empty() || !imported->catalog.meta.unit,
           "an imported catalog writes XML that does not meet the schema");
    auto again = parse_catalog(xml, "fuzz");
    expect(again.has_value(), "an imported catalog, written, does not read back");
}

struct ZipDiscard {
    void operator()(zip_t* z) const { zip_discard(z); }
};

}  // namespace

void xml(std::string_view bytes) {
    DocumentKind kind;
    auto problems = schemas().check(bytes, "fuzz", kind);
    if (has_errors(problems)) return;
    if (kind == DocumentKind::ledger) {
        auto ledger = parse_ledger_xml(bytes, "fuzz");
        if (auto plain = parse_plainly_valid_ledger(bytes); plain && ledger) expect(*plain == *ledger, "the fast ledger path reads otherwise");
        return;
    }
    if (kind == DocumentKind::units) {
        (void)parse_units_xml(bytes, "fuzz");
        return;
    }
    if (kind != DocumentKind::catalog) return;
    auto catalog = parse_catalog(bytes, "fuzz");
    expect(catalog.has_value(), "a catalog that validates does not read");
    (void)check_catalog(*catalog, {});
    auto canonical = write_catalog(*catalog);
    auto again = schemas().check(canonical, "fuzz", kind);
    expect(!has_errors(again), "a valid catalog, written in canonical form, no longer validates");
    auto reread = parse_catalog(canonical, "fuzz");
    expect(reread && *reread == *catalog, "a valid catalog, written and read back, is not the same");
    expect(write_catalog(*reread) == canonical, "the canonical form is not stable");
}

void xlsx(std::string_view bytes) { written_and_read_back(catalog_from_xlsx(bytes, options())); }

// A zip of `parts` (name, bytes), as an office package is; empty when libzip refuses. Stored, not
// deflated: the reader's inflate is exercised by the xlsx target, and deflating every test case here
// took most of each run.
std::string packed(std::initializer_list<std::pair<const char*, std::string_view>> parts) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* out = zip_source_buffer_create(nullptr, 0, 0, &error);
    std::unique_ptr<zip_t, ZipDiscard> z(zip_open_from_source(out, ZIP_TRUNCATE, &error));
    if (!z) return {};
    zip_source_keep(out);
    for (const auto& [name, text] : parts) {
        zip_source_t* part = zip_source_buffer(z.get(), text.data(), text.size(), 0);
        auto index = zip_file_add(z.get(), name, part, ZIP_FL_OVERWRITE);
        if (index >= 0) zip_set_file_compression(z.get(), static_cast<zip_uint64_t>(index), ZIP_CM_STORE, 0);
    }
    if (zip_close(z.release()) != 0) {
        zip_source_free(out);
        return {};
    }
    zip_source_open(out);
    zip_source_seek(out, 0, SEEK_END);
    auto size = zip_source_tell(out);
    zip_source_seek(out, 0, SEEK_SET);
    std::string bytes(static_cast<std::size_t>(size), '\0');
    zip_source_read(out, bytes.data(), static_cast<zip_uint64_t>(size));
    zip_source_close(out);
    zip_source_free(out);
    return bytes;
}

void xlsx_sheet(std::string_view bytes) {
    static const std::string workbook =
        R"(<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" )"
        R"(xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="20 社会救助" sheetId="1" r:id="rId1"/></sheets></workbook>)";
    static const std::string rels =
        R"(<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
        R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>)";
    auto package = packed({{"xl/workbook.xml", workbook}, {"xl/_rels/workbook.xml.rels", rels}, {"xl/worksheets/sheet1.xml", bytes}});
    if (!package.empty()) written_and_read_back(catalog_from_xlsx(package, options()));
}

void docx(std::string_view bytes) {
    auto package = packed({{"word/document.xml", bytes}});
    if (package.empty()) return;
    written_and_read_back(catalog_from_docx(package, options()));
    auto standard = options();  // and as a locality's standard
    standard.as_standard = StandardIdentity{"fuzz-standard", "1", "fuzz.docx", ""};
    written_and_read_back(catalog_from_docx(package, standard));
}

void html(std::string_view bytes) { written_and_read_back(catalog_from_html(bytes, options())); }

void csv(std::string_view bytes) {
    written_and_read_back(catalog_from_csv(bytes, options()));
    (void)parse_ledger_csv(bytes, "fuzz");
    (void)parse_units_csv(bytes, "fuzz");
}

void time_limit(std::string_view bytes) {
    auto limit = parse_time_limit(bytes);
    expect(limit.text == bytes, "the 公开时限 text is not kept byte for byte");
    for (const auto& clause : limit.clauses) (void)due_for(clause, *parse_date("2025-09-26"), calendar());
    (void)normalize_time_limit(bytes);
}

}  // namespace gkml::fuzz
