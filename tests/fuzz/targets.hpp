// The fuzz targets: one per reader, each taking any bytes. A target returns normally on any input;
// a crash, a sanitizer report or a broken promise (an abort from `expect`) is a finding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace gkml::fuzz {

using Target = void (*)(std::string_view bytes);

struct Named {
    const char* name;
    Target run;
};

// XML of every kind: screened and validated as `gkml validate` does; a catalog that validates is
// written in canonical form and must validate again, and read back the same.
void xml(std::string_view bytes);
// A workbook as `gkml import` reads one.
void xlsx(std::string_view bytes);
// The bytes as the first sheet of an otherwise valid workbook: the sheet's structure, not the zip.
void xlsx_sheet(std::string_view bytes);
// The bytes as word/document.xml of a Word document: its tables (merged cells), as a unit's catalog
// and as a locality's standard.
void docx(std::string_view bytes);
// A web page of catalog tables.
void html(std::string_view bytes);
// CSV three ways: a catalog, a CMS ledger, a unit registry.
void csv(std::string_view bytes);
// A 公开时限 text: parsed, and every clause's due date from a fixed day.
void time_limit(std::string_view bytes);

inline constexpr Named all[] = {{"xml", xml},   {"xlsx", xlsx}, {"xlsx_sheet", xlsx_sheet}, {"docx", docx},
                                {"html", html}, {"csv", csv},   {"time_limit", time_limit}};

}  // namespace gkml::fuzz
