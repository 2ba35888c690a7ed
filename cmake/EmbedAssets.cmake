# Turns every file of a folder (the web pages' templates, CSS and JavaScript) into a C++ source
# holding each file's text under its name, so `niikit serve` needs no files beside the binary.
# Run at build time: cmake -DIN_DIR=... -DOUT=... -P this.
file(GLOB asset_files "${IN_DIR}/*")
list(SORT asset_files)
set(body "")
foreach(f ${asset_files})
  get_filename_component(name "${f}" NAME)
  file(READ "${f}" text)
  string(FIND "${text}" ")niikit_asset\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${f} contains the raw-string delimiter )niikit_asset\"")
  endif()
  string(APPEND body "    {\"${name}\", R\"niikit_asset(${text})niikit_asset\"},\n")
endforeach()
file(WRITE "${OUT}.tmp" "// Generated from templates/web by cmake/EmbedAssets.cmake; do not edit.
#include <map>
#include <string>
namespace niikit::web {
const std::map<std::string, std::string>& embedded_assets() {
  static const std::map<std::string, std::string> files{
${body}  };
  return files;
}
}  // namespace niikit::web
")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT}.tmp")
