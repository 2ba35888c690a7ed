# Layered include roots: the build enforces that dependencies point one way (DESIGN.md §5).
#
# No target sees the repository root. Each library gets its own include root in the build
# tree holding symbolic links to the source folders it owns, e.g. for niikit_db:
#   build/layers/niikit_db/db -> <source>/db
# and publishes that root to the targets that link it. A file in db/ that includes
# "app/services/x.hpp" or "testkits/image/image.hpp" therefore fails to compile, because no
# include root that db/ can see holds those paths. Include lines keep their repository-relative
# form ("db/database.hpp").
#
# niikit_expose(TARGET FOLDER...)   FOLDER relative to the source root, e.g. app/services
function(niikit_expose target)
  set(root "${CMAKE_BINARY_DIR}/layers/${target}")
  foreach(rel IN LISTS ARGN)
    set(link "${root}/${rel}")
    get_filename_component(parent "${link}" DIRECTORY)
    file(MAKE_DIRECTORY "${parent}")
    if(NOT IS_SYMLINK "${link}")
      file(CREATE_LINK "${PROJECT_SOURCE_DIR}/${rel}" "${link}" SYMBOLIC)
    endif()
  endforeach()
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "INTERFACE_LIBRARY")
    target_include_directories(${target} INTERFACE "${root}")
  else()
    target_include_directories(${target} PUBLIC "${root}")
  endif()
endfunction()
