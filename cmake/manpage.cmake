# Writes gkml(1) from the program's own help, so the manual and --help never disagree:
#   cmake -DGKML=path/to/gkml -DOUT=gkml.1 -DVERSION=x.y.z -P manpage.cmake
# The page: NAME, SYNOPSIS, DESCRIPTION (gkml --help), then one subsection per command
# (gkml help COMMAND), in the order --help lists them.

function(help_of out)
  execute_process(COMMAND ${GKML} ${ARGN} OUTPUT_VARIABLE text RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "gkml ${ARGN} exited ${rc}")
  endif()
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

# Help text as roff: literal lines (.nf), backslashes and hyphens escaped, a line that would start
# with a control character (. or ') guarded.
function(roff_literal out text)
  string(REPLACE "\\" "\\e" text "${text}")
  string(REPLACE "-" "\\-" text "${text}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
  set(${out} ".nf\n${text}.fi\n" PARENT_SCOPE)
endfunction()

help_of(top --help)
# The first line is the title; the program's path in Usage: lines is the name it was run by.
string(REGEX REPLACE "Usage: [^ \n]*gkml" "Usage: gkml" top "${top}")
string(REGEX MATCH "\nSubcommands:\n(.*)" listing "${top}")
string(REGEX MATCHALL "\n  [a-z][a-z-]*" names "${listing}")

set(page ".TH GKML 1 \"\" \"gkml ${VERSION}\" \"User Commands\"\n")
string(APPEND page ".SH NAME\ngkml \\- 基层政务公开标准目录 toolkit: validate, audit and exchange disclosure catalogs\n")
string(APPEND page ".SH SYNOPSIS\n.B gkml\n.I COMMAND\n[\\fIOPTIONS\\fR] [\\fIARGUMENTS\\fR]\n.br\n.B gkml help\n[\\fICOMMAND\\fR]\n")
roff_literal(body "${top}")
string(APPEND page ".SH DESCRIPTION\n${body}")
string(APPEND page ".SH COMMANDS\n")
foreach(entry IN LISTS names)
  string(STRIP "${entry}" name)
  help_of(text help ${name})
  string(REGEX REPLACE "Usage: [^ \n]*gkml" "Usage: gkml" text "${text}")
  roff_literal(body "${text}")
  string(APPEND page ".SS gkml ${name}\n${body}")
endforeach()
string(APPEND page ".SH FILES\n.TP\n.I /usr/share/gkml/catalogs\n")
string(APPEND page "The field registry (fields.xml), the standard catalogs (standard/) and the holiday calendar (calendar/).\n")
string(APPEND page ".TP\n.I /usr/share/gkml/examples/youyi\nThe worked county 友谊县: units, catalogs, ledgers.\n")
string(APPEND page ".SH SEE ALSO\n/usr/share/doc/gkml/README.md, /usr/share/doc/gkml/design.md\n")
file(WRITE ${OUT} "${page}")
# Debian ships manual pages compressed.
file(ARCHIVE_CREATE OUTPUT ${OUT}.gz PATHS ${OUT} FORMAT raw COMPRESSION GZip)
