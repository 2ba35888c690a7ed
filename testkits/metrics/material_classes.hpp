// Dual-energy material classification of blocks (DESIGN.md §3.2 "Material discrimination";
// method and validation: docs/methods/material.md).
//
// For each block ROI of a dual-energy pair (high- and low-energy planes, raw counts linear in
// dose):
//   T = (mean I − dark) / (air − dark) per plane, air from air ROIs of the same scan;
//   A = −ln T per plane;  R = A_low / A_high.
// A calibration holds one curve R_c(A_high) per class (piecewise linear in A_high, constant
// beyond its end points). A block gets the class whose curve is nearest in R at the block's
// A_high; so the class boundaries are the mid-curves between neighbouring classes, functions
// of A_high (material_boundaries()). This works whichever way the classes are ordered in R:
// at kV energies (photoelectric) heavy elements have the larger R, at MeV energies (pair
// production) the smaller.
//
// Calibrations come from reference samples of known class (calibrate_material_classes: e.g. the
// phantom's material blocks and step wedges scanned on the system), or the built-in defaults
// for the synthetic generator's dual-energy beam presets (default_material_calibration).
//
// Class names are the four of DESIGN.md §3.2 — "organic", "mixed", "inorganic", "heavy" — plus
// "unclassified" for a block that cannot be classified (starved, too thin, saturated); a
// calibration may use any subset of the four.
//
// Pure and thread-safe: no I/O, no globals; images are not modified.
#pragma once

#include <opencv2/core.hpp>

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "testkits/metrics/roi.hpp"

namespace niikit::testkits {

// "organic", "mixed", "inorganic", "heavy", in order of increasing effective Z.
std::span<const std::string_view> material_class_names();
inline constexpr std::string_view unclassified_material_class = "unclassified";

// One block to classify (or to calibrate with): where it is, and what it should be.
struct MaterialSample {
  std::string label;           // free text, e.g. "md-steel" or "20 mm steel"
  std::string expected_class;  // one of material_class_names(), or "" when unknown
  RoiPx roi;                   // the block's ROI (keep it inside the block, clear of edges)
};

// Air and dark levels of the two planes, image units. air > dark required.
struct DualEnergyLevels {
  double air_high = 0.0;
  double air_low = 0.0;
  double dark_high = 0.0;  // detector offset (no beam), default 0
  double dark_low = 0.0;
};

// The mean of the air ROIs in each plane (dark levels set to `dark_high`/`dark_low`). Input
// error when an ROI is outside the image, the planes differ in size, or air ≤ dark.
Result<DualEnergyLevels> measure_air_levels(const cv::Mat& high, const cv::Mat& low, std::span<const RoiPx> air_rois,
                                            double dark_high = 0.0, double dark_low = 0.0);

// A point of a class curve: R expected at this A_high.
struct MaterialCurvePoint {
  double a_high = 0.0;  // −ln T of the high-energy plane, > 0
  double r = 0.0;       // A_low / A_high
};

struct MaterialClassCurve {
  std::string name;                        // a class name
  std::vector<MaterialCurvePoint> points;  // sorted by a_high, ≥ 1 point
};

struct MaterialCalibration {
  std::string source;                     // "default dual-mev", "references (12 samples)", ...
  std::vector<MaterialClassCurve> classes;  // ≥ 2 classes, each name once
  // Blocks with A_high below this are too thin to classify (R is noise): "unclassified" with a
  // "thin: ..." warning. Default 0.02.
  double min_a_high = 0.02;
  // Blocks with T below this in either plane are starved (at the detector floor):
  // "unclassified" with a "starved: ..." warning. Default 1e-4.
  double min_transmission = 1e-4;
  // Known limits of this calibration, e.g. "heavy and inorganic differ by 0.03 % in R: not
  // separable at these energies". Copied into every result's warnings as "calibration: ...".
  std::vector<std::string> notes;
};

// One measured reference for calibrate_material_classes().
struct MaterialReference {
  std::string class_name;  // one of material_class_names()
  double a_high = 0.0;     // > 0
  double r = 0.0;          // > 0
};

// A calibration whose class curves pass through the references (references of one class at
// A_high within 2 % of each other are averaged). Input error: fewer than 2 classes, an unknown
// class name, a_high or r ≤ 0 or not finite.
Result<MaterialCalibration> calibrate_material_classes(std::span<const MaterialReference> references,
                                                       std::string source = "references");

// Measures the references from samples of known class in a dual-energy pair (each sample's
// expected_class must be set), then calibrates as above.
Result<MaterialCalibration> calibrate_material_classes(const cv::Mat& high, const cv::Mat& low,
                                                       const DualEnergyLevels& levels,
                                                       std::span<const MaterialSample> samples);

// The built-in calibration for a beam preset of the synthetic generator: "dual-mev" (effective
// 2,000 / 1,400 keV) or "dual-kv" (70 / 40 keV). Derived from the NIST attenuation tables the
// generator uses (mono-energetic beams, so every curve is flat in A_high); test_material_classes
// checks them against phantoms/materials. not_found for any other name.
Result<MaterialCalibration> default_material_calibration(std::string_view beam_preset);

// The class boundaries at `a_high`: R values halfway between neighbouring class curves, sorted
// by R, with the classes below and above each.
struct MaterialBoundary {
  double r = 0.0;
  std::string class_below;  // class on the low-R side
  std::string class_above;  // class on the high-R side
};
std::vector<MaterialBoundary> material_boundaries(const MaterialCalibration& calibration, double a_high);

struct MaterialResult {
  std::string label;
  std::string expected_class;  // as given ("" = unknown)
  std::string measured_class;  // a class name, or "unclassified"
  RoiPx roi;
  double mean_high = 0.0, mean_low = 0.0;  // ROI means, image units
  double t_high = 0.0, t_low = 0.0;        // transmissions
  double a_high = 0.0, a_low = 0.0;        // −ln T
  double r = 0.0;                          // A_low / A_high (0 when not computable)
  // Standard error of R from the pixel noise (white-noise approximation; under-estimates for
  // correlated noise), and the distance from R to the nearest class boundary in those units.
  double r_sigma = 0.0;
  double margin_sigma = 0.0;
  bool correct = false;                    // measured == expected (false when expected is "")
  // "thin: ...", "starved: ...", "saturated: ...", "ambiguous: ..." (R within 2 r_sigma of a
  // class boundary), "calibration: ..." (the calibration's notes).
  std::vector<std::string> warnings;
};

// Classifies every sample. Input errors: planes empty, of different size or multi-channel; an
// ROI outside the image or smaller than 3 × 3 px; levels with air ≤ dark; a calibration with
// fewer than 2 classes. Blocks that cannot be classified are results ("unclassified" plus a
// warning), not errors.
Result<std::vector<MaterialResult>> classify_blocks(const cv::Mat& high, const cv::Mat& low, const DualEnergyLevels& levels,
                                                    std::span<const MaterialSample> samples,
                                                    const MaterialCalibration& calibration);

// Expected class × measured class counts. Rows: the classes that occur as expected; columns:
// the classes that occur as expected or measured; both in material_class_names() order, then any
// other name, with "unclassified" last. Results without an expected class are not counted.
struct ConfusionTable {
  std::vector<std::string> expected_classes;  // row labels
  std::vector<std::string> measured_classes;  // column labels
  std::vector<std::vector<int>> counts;       // [row][column]
  int total = 0;
  int correct = 0;
  [[nodiscard]] bool is_diagonal() const { return total == correct; }
};
ConfusionTable confusion(std::span<const MaterialResult> results);

}  // namespace niikit::testkits
