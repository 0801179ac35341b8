# Writes OUTPUT, a C++ source holding every SCHEMA_DIR/NNN_name.sql as a string,
# in version order. Run at build time, so a change to a .sql file rebuilds.
if(NOT SCHEMA_DIR OR NOT OUTPUT)
  message(FATAL_ERROR "usage: cmake -DSCHEMA_DIR=... -DOUTPUT=... -P embed_migrations.cmake")
endif()

file(GLOB files "${SCHEMA_DIR}/*.sql")
list(SORT files)

set(entries "")
set(expected 1)
foreach(path IN LISTS files)
  get_filename_component(file_name "${path}" NAME)
  if(NOT file_name MATCHES "^([0-9][0-9][0-9])_([a-z0-9_]+)\\.sql$")
    message(FATAL_ERROR "schema/${file_name}: migrations are named NNN_name.sql")
  endif()
  set(name "${CMAKE_MATCH_2}")
  string(REGEX REPLACE "^0+" "" version "${CMAKE_MATCH_1}")
  if(NOT version STREQUAL "${expected}")
    message(FATAL_ERROR "schema/${file_name}: expected migration number ${expected}")
  endif()
  file(READ "${path}" sql)
  string(FIND "${sql}" ")signaal_sql\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "schema/${file_name} contains the raw string delimiter )signaal_sql\"")
  endif()
  string(APPEND entries "    {${version}, \"${name}\", R\"signaal_sql(${sql})signaal_sql\"},\n")
  math(EXPR expected "${expected} + 1")
endforeach()

if(entries STREQUAL "")
  message(FATAL_ERROR "no migrations found in ${SCHEMA_DIR}")
endif()

set(text "// Generated from schema/*.sql by server/store/embed_migrations.cmake. Do not edit.
#include \"server/store/migrations.hpp\"

namespace signaal::store {

namespace {

constexpr migration all_migrations[] = {
${entries}};

} // namespace

std::span<const migration> embedded_migrations() { return all_migrations; }

} // namespace signaal::store
")
file(WRITE "${OUTPUT}.tmp" "${text}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
