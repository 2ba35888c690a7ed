# Turns db/migrations/NNNN_name.sql into a C++ source holding each file's text, so the
# schema ships inside the binary. Run at build time: cmake -DIN_DIR=... -DOUT=... -P this.
file(GLOB sql_files "${IN_DIR}/*.sql")
list(SORT sql_files)
set(body "")
foreach(f ${sql_files})
  get_filename_component(base "${f}" NAME_WE)
  string(REGEX MATCH "^([0-9]+)_(.+)$" _ "${base}")
  if(NOT CMAKE_MATCH_1)
    message(FATAL_ERROR "migration file name must be NNNN_name.sql: ${f}")
  endif()
  math(EXPR version "${CMAKE_MATCH_1}")
  set(name "${CMAKE_MATCH_2}")
  file(READ "${f}" text)
  string(APPEND body "    {${version}, \"${name}\", R\"niikit_sql(${text})niikit_sql\"},\n")
endforeach()
file(WRITE "${OUT}.tmp" "// Generated from db/migrations/*.sql by cmake/EmbedMigrations.cmake; do not edit.
#include \"db/migrations_embedded.hpp\"
namespace niikit::db {
const std::vector<EmbeddedSql>& embedded_sql() {
  static const std::vector<EmbeddedSql> files{
${body}  };
  return files;
}
}  // namespace niikit::db
")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT}.tmp")
