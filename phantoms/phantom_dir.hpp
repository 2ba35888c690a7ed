// Location of the shipped phantom definition files. Thread-safe (reads the environment).
#pragma once
#include <string>

namespace niikit::phantoms {
std::string shipped_phantom_dir();
}
