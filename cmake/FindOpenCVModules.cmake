# Finds the two OpenCV modules niikit uses (core, imgproc) from Debian's per-module -dev
# packages, which ship no CMake config (only the 171-package libopencv-dev meta package does).
# Defines OpenCV::core, OpenCV::imgproc and OpenCV_LIBS. imgcodecs is deliberately not used:
# it pulls ~150 shared libraries (GDAL, GDCM, ...) into every command's start-up; PNG and TIFF
# are read and written with libpng and libtiff (testkits/image).
find_path(OpenCV_INCLUDE_DIR opencv2/core.hpp PATH_SUFFIXES opencv4 REQUIRED)
set(OpenCV_LIBS "")
foreach(module core imgproc)
  find_library(OpenCV_${module}_LIBRARY NAMES opencv_${module} REQUIRED)
  add_library(OpenCV::${module} UNKNOWN IMPORTED)
  set_target_properties(OpenCV::${module} PROPERTIES
    IMPORTED_LOCATION "${OpenCV_${module}_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${OpenCV_INCLUDE_DIR}")
  list(APPEND OpenCV_LIBS OpenCV::${module})
endforeach()
message(STATUS "OpenCV modules: ${OpenCV_INCLUDE_DIR}")
