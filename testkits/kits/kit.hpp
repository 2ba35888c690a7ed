// The test-kit interface (DESIGN.md §3.1; docs/kits.md): a kit turns a scan of a phantom into a
// scored, explained result.
//
//   KitInput in  = image (+ low-energy plane, blank images, extra views), phantom, options
//   KitResult out = located phantom (mm → px affine, residual, flips, polarity), one TestEntry
//                   per test (metric values keyed `<kit>.<test>.<quantity>_<unit>`, the decision
//                   rule with its threshold and provenance, the result in the standard's words,
//                   the ROIs used), warnings, what is missing when the phantom is cropped.
//
// Kits are listed explicitly in kit_registry(); run_kit() dispatches by id. A test that ran
// and did not pass is a result (verdict fail), not an error. Errors (Result) are reserved for
// input that cannot be scored, all ErrorCode::input (exit 3): mismatched images, unknown pixel
// pitch, "phantom not found" (no acceptable fiducial fit: the image is not a scan of this
// phantom), a test the caller explicitly asked for that cannot run (e.g. material
// discrimination without a low-energy image), a phantom of the wrong family for the kit.
// ErrorCode::test_failed (exit 7) is left to callers that judge requirements.
//
// Metric keys are a contract with the requirement catalogue (app/domain/requirements.hpp) and
// the acceptance records: never rename a key; add new ones. kit_registry() lists every key a
// kit can produce with its unit and better direction.
//
// Everything here is a plain value; kits are pure functions (no I/O, no printing, no globals)
// and thread-safe: several kits may run at once on different inputs.
#pragma once

#include <QJsonObject>

#include <opencv2/core.hpp>

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "phantoms/phantom.hpp"
#include "testkits/image/image.hpp"

namespace niikit::testkits::kits {

// --- Input ------------------------------------------------------------------------------------

// Image polarity: normal = transmission (attenuating material darker than air), inverted = log
// or inverted display (attenuating material brighter); automatic = decided from the located
// object (its known attenuating parts against their surroundings), the histogram only as a
// first guess.
enum class Polarity { automatic, normal, inverted };
std::string_view polarity_name(Polarity p);  // "auto", "normal", "inverted"

// Manual localisation overrides for when fiducial detection fails or must be forced. Any field
// left unset is estimated from the image. Given per image (the scan, and each view apart).
struct LocateOverrides {
  std::optional<double> center_x_px;  // image position of the phantom outline's centre, px
  std::optional<double> center_y_px;
  std::optional<double> angle_deg;    // phantom rotation, degrees, + from +x to +y; range ±180
  std::optional<double> scale;        // magnification (detector px per phantom px at the
                                      // nominal pitch); range [0.5, 2]
  std::optional<bool> flip_x;         // image mirrored left-right relative to the phantom file
  std::optional<bool> flip_y;         // image mirrored top-bottom
  std::optional<Polarity> polarity;   // this image's polarity; unset = KitOptions::polarity
};

struct KitOptions {
  // Pixel pitch at the detector plane, mm, across (x, columns) and along (y, rows) the scan.
  // 0 = take it from the image metadata; the kit refuses (input error) when neither is known.
  double pixel_mm_x = 0;
  double pixel_mm_y = 0;
  LocateOverrides overrides;  // for the scan (KitInput::image); views carry their own
  // Overrides of KitInput::views[i] (same order; missing entries = none). Never copied from
  // the scan's: each view is its own placement.
  std::vector<LocateOverrides> view_overrides;
  Polarity polarity = Polarity::automatic;  // every image's polarity unless its overrides say
  // Largest RMS fiducial fit residual accepted, px. Default 1.5; range (0, 50]. Above it the
  // kit refuses with "phantom not found".
  double max_residual_px = 1.5;
  // Tests to run, by test id (e.g. "penetration", "material"); empty = every test of the kit.
  // A test named here that cannot run (missing low-energy image, feature cropped away) is an
  // input error instead of a "not run" entry.
  std::vector<std::string> tests;

  // --- Decision thresholds (stored in every result) ---------------------------------------
  // Penetration: Welch t (noise-correlation corrected) of the lead block against the step beside
  // it needed for a step to count as penetrated. Default 5; range (0, 100].
  double penetration_t = 5.0;
  // Contrast sensitivity / thin organic: Rose visibility CNR·√N needed for a plate to count as
  // visible. Default 5 (Rose criterion); range (0, 100].
  double rose_k = 5.0;
  // Wire detection: false-alarm probability per wire search of the extreme-value calibrated
  // detection threshold. Default 0.01; range (0, 0.5].
  double wire_false_alarm = 0.01;
  // Bar gauges: modulation of the fundamental needed for a group to count as resolved.
  // Default 0.1; range (0, 1].
  double bar_modulation = 0.1;
  // Wire detection: the steel cover thickness that cargo.wire.cu_behind_steel_mm reports, mm;
  // 0 = the thickest cover in the phantom. Default 100; range [0, 1000].
  double wire_reference_steel_mm = 100;
  // Material discrimination: calibration name passed to default_material_calibration()
  // (testkits/metrics/material_classes.hpp), e.g. "dual-mev", "dual-kv"; empty = the kit's
  // default (cargo "dual-mev", cabinet "dual-kv"). A real system should use the curves of its
  // own calibration; the built-in ones describe the synthetic generator's beams.
  std::string material_calibration;
  // Contrast sensitivity: the base thickness cargo.contrast.sensitivity_pct reports, mm;
  // 0 = the thickest base. Default 0.
  double contrast_reference_mm = 0;
  // Edge MTF: the smallest edge signal-to-noise ratio (plateau difference / per-pixel noise σ
  // along the edge) from which a side's MTF is used. Below it the side is "not measurable"; an
  // axis with no side left reports no MTF figure (result text and warning say so). On generated
  // cargo edges MTF50 stayed within 5.4 % of the truth from SNR 21 up and was off by up to
  // 10.6 % at 17 and 20 % at 11-13. Default 20; range (0, 10,000].
  double mtf_min_edge_snr = 20;
  // Dark level (detector offset: the reading with no X-rays), image units, removed before the
  // metrics that need dose-linear signal (bar modulation). Unset = estimated from the located
  // phantom: the lowest median over its fully attenuating regions (transmission below
  // kFullyAttenuating at every energy of the attenuation tables, e.g. a lead block behind thick
  // steel), else 0 (with a warning when the phantom has bar groups, the figure that depends on
  // it). Ignored for inverted (log) images. Range: finite.
  std::optional<double> dark_level;
};

// A region counts as fully attenuating for the dark-level estimate when its largest
// transmission over 20 keV–10 MeV is below this (its signal is < 0.1 % of the open beam).
inline constexpr double kFullyAttenuating = 1e-3;

struct KitInput {
  Image image;                   // the scan (single energy, or the high-energy plane)
  std::optional<Image> low_energy;  // the low-energy plane of a dual-energy scan (same size)
  std::vector<Image> blanks;     // blank (open-beam) images: portable NEQ and flatness
  std::vector<Image> views;      // further views of the same object (portable: 90°, 180°, 270°)
  phantoms::Phantom phantom;
  KitOptions options;
};

// --- Result -----------------------------------------------------------------------------------

// mm (phantom frame, docs/phantom-format.md) → px (x = column, y = row, pixel centres at
// integers): px = A · mm + t.
struct MmToPx {
  std::array<double, 6> m{1, 0, 0, 0, 1, 0};  // x_px = m0·x + m1·y + m2; y_px = m3·x + m4·y + m5

  [[nodiscard]] cv::Point2d apply(double x_mm, double y_mm) const {
    return {m[0] * x_mm + m[1] * y_mm + m[2], m[3] * x_mm + m[4] * y_mm + m[5]};
  }
  [[nodiscard]] cv::Point2d apply(phantoms::PointMm p) const { return apply(p.x_mm, p.y_mm); }
  [[nodiscard]] double determinant() const { return m[0] * m[4] - m[1] * m[3]; }
};

struct FiducialMatch {
  std::string feature_id;
  cv::Point2d expected_px;            // where the fitted transform puts it
  std::optional<cv::Point2d> found_px;  // the blob centroid matched to it; empty when missing
  double residual_px = 0;             // |found − expected| (0 when missing)
};

struct LocatedPhantom {
  MmToPx mm_to_px;
  double residual_px = 0;      // RMS fiducial residual of the fit, px
  double rotation_deg = 0;     // decomposed from the fit, + from +x to +y
  double scale_x = 1, scale_y = 1;  // magnification along detector x / y (1 = nominal pitch)
  bool flipped_x = false;      // the image is the phantom mirrored left-right
  bool flipped_y = false;
  bool inverted = false;       // attenuating material is bright (log or inverted image)
  std::string polarity_method;  // how `inverted` was decided (stated, or from which object contrasts)
  bool overridden = false;     // manual overrides were used
  double air_level = 0;        // estimated open-beam level, image units (before inversion)
  double dark_level = 0;       // no-signal level removed from dose-linear intensities, image units
  std::string dark_method;     // where dark_level comes from ("stated", "region ...", "none found: 0")
  std::vector<FiducialMatch> fiducials;
};

enum class Verdict { pass, fail, not_judged, info };
std::string_view verdict_name(Verdict v);  // "pass", "fail", "not_judged", "info"

// A region drawn on the overlay: an axis-aligned rectangle or a polygon, image px.
struct RoiShape {
  std::string label;                 // short text drawn next to it, e.g. "200 mm"
  std::vector<cv::Point2d> polygon;  // corners, px (4 for a rectangle)
  Verdict verdict = Verdict::info;
};

struct MetricValue {
  std::string key;    // "<kit>.<test>.<quantity>_<unit>", see kit_registry()
  double value = 0;
  std::string unit;   // "mm", "%", "lp/mm", "" (ratio)
};

// A curve a test measured (e.g. the MTF), for reports and charts.
struct Series {
  std::string name;             // "mtf_x"
  std::string x_unit, y_unit;   // "cy/px", ""
  std::vector<double> x, y;     // equal lengths
};

enum class TestStatus { ran, not_run };
std::string_view test_status_name(TestStatus s);  // "ran", "not_run"

struct TestEntry {
  std::string test_id;          // "penetration", "wire", ...
  std::string title;            // "Steel penetration"
  std::string method;           // how it was measured, one paragraph
  TestStatus status = TestStatus::ran;
  std::string not_run_reason;   // "no low-energy image"
  std::vector<MetricValue> metrics;
  std::string rule;             // "step penetrated when Welch t ≥ threshold"
  double threshold = 0;         // the number in the rule
  std::string provenance;       // where the threshold comes from ("kit default", "--rose-k")
  Verdict verdict = Verdict::info;  // the kit's own visibility verdict (requirements judge apart)
  std::string result_text;      // in the standard's words: "steel penetration 300 mm"
  std::vector<RoiShape> rois;
  std::vector<Series> series;
  std::vector<std::string> details;   // one line per item measured ("step 250 mm: t = 7.3 pass")
  std::vector<std::string> warnings;
  std::vector<std::string> missing;   // feature ids not scored because they are outside the image
};

struct KitResult {
  std::string kit_id;           // "cargo"
  std::string kit_version;      // "1.0"
  std::string phantom_id;
  std::string phantom_name;
  int phantom_revision = 0;
  std::string image_source;
  double pixel_mm_x = 0, pixel_mm_y = 0;  // pitch used
  LocatedPhantom located;
  std::vector<TestEntry> tests;
  std::vector<std::string> warnings;
  std::vector<std::string> missing_features;  // outside the image (partial crop)
  KitOptions options;           // echo of every option and threshold used

  [[nodiscard]] const TestEntry* test(std::string_view test_id) const;
  // The value of a metric key, if any test produced it.
  [[nodiscard]] std::optional<double> metric(std::string_view key) const;
};

// --- Registry ---------------------------------------------------------------------------------

enum class Better { higher, lower, nominal };  // nominal: closer to the nominal value is better
std::string_view better_name(Better b);        // "higher", "lower", "nominal"

struct MetricInfo {
  std::string key;
  std::string unit;
  Better better = Better::higher;
  std::string description;
};

struct TestInfo {
  std::string id;
  std::string title;
  std::string method;
  std::string default_threshold;  // "Welch t ≥ 5"
  bool needs_low_energy = false;
  bool needs_blanks = false;
  std::vector<MetricInfo> metrics;
};

using KitRunner = Result<KitResult> (*)(const KitInput& input);

struct KitInfo {
  std::string id;               // "cargo", "cabinet", "portable"
  std::string version;          // kit algorithm version, bumped when results may change
  std::string title;
  std::string standard;         // "IEC 62523 / ANSI N42.46 (methods)"
  std::string default_phantom;  // shipped phantom id, e.g. "cargo-iec62523"
  phantoms::MethodFamily family = phantoms::MethodFamily::custom;
  std::string description;
  std::vector<TestInfo> tests;
  KitRunner run = nullptr;
};

// Every kit, in a fixed order (cargo, portable, cabinet).
const std::vector<KitInfo>& kit_registry();
// nullptr when unknown.
const KitInfo* find_kit(std::string_view kit_id);

// Runs the kit: not_found for an unknown kit id, else the kit's own result or error.
Result<KitResult> run_kit(std::string_view kit_id, const KitInput& input);

// The result as JSON (shape in docs/kits.md / docs/cli-json.md "iq analyze").
QJsonObject kit_result_to_json(const KitResult& result);
QJsonObject kit_info_to_json(const KitInfo& info);

}  // namespace niikit::testkits::kits
