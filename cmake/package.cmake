# CPack: two Debian packages from the install components (cpack -G DEB in a build tree).
#   gkml      the program, its data (share/gkml), man page, bash completion, docs
#   gkml-dev  headers, the static library, gkmlConfig.cmake, gkml.pc
# The program's shared-library dependencies come from dpkg-shlibdeps (Debian's dpkg-dev); the
# development package depends on the -dev packages its static library needs at link time.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME gkml)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "gkml developers")
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL Runtime Development)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME gkml)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SHLIBDEPS ON)
# libpq is opened at run time, for a postgresql:// store only: shlibdeps cannot see it.
set(CPACK_DEBIAN_RUNTIME_PACKAGE_RECOMMENDS "libpq5")
# The synopsis of both is the project's DESCRIPTION; these are the long descriptions.
set(CPACK_DEBIAN_RUNTIME_DESCRIPTION
    "gkml validates, audits and exchanges the standardized catalogs of government-affairs\ndisclosure that every county and township keeps for the 26 national pilot fields: the\ncatalogs and ledgers as XML, Excel/WPS workbooks, CSV, web pages and Word documents, each\nunit's coverage against the standard, the county report and the 整改清单.")
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_NAME gkml-dev)
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_DEPENDS
    "libpugixml-dev, libxml2-dev, libicu-dev, libsqlitecpp-dev, libsqlite3-dev, libfmt-dev, libxlsxwriter-dev, libzip-dev, libgumbo-dev, libsodium-dev, libzstd-dev, nlohmann-json3-dev, pkg-config")
set(CPACK_DEBIAN_DEVELOPMENT_DESCRIPTION
    "The C++ library of gkml (C++23, static) with its headers, a CMake package (find_package(gkml),\nthe gkml::gkml target) and a pkg-config file: read, validate, match, diff, merge and ingest\ncatalogs, compute each unit's coverage against its standard.")
include(CPack)
