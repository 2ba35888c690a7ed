// Test procedures shared by the kits (internal to testkits/kits). Each takes the prepared
// KitContext and the kit's naming (kit id, test id, title) and returns a filled TestEntry:
// metric values keyed `<kit>.<test>.<quantity>_<unit>`, rule, threshold, provenance, ROIs for
// the overlay, per-item details, warnings and the features missing from the image. The
// methods are documented in docs/kits.md. Pure functions over the context: thread-safe.
#pragma once

#include <string>
#include <vector>

#include "core/error.hpp"
#include "testkits/kits/kit_common.hpp"
#include "testkits/metrics/edge_mtf.hpp"

namespace niikit::testkits::kits {

struct TestNames {
  std::string kit;    // "cargo"
  std::string id;     // "penetration"
  std::string title;  // "Steel penetration"
};

// Lead block behind each step of the wedges with `purpose`: Welch t per step
// (measure_step_wedge), penetration = thickest step that passes with every thinner one.
// Metric <kit>.<id>.steel_mm (0 when the thinnest step fails).
Result<TestEntry> test_penetration(const KitContext& ctx, const TestNames& names, phantoms::Purpose purpose);

// Bar groups of the phantom, both axes: modulation of the rectified group (measure_bars);
// resolution = bar width of the finest group resolved with every coarser one.
// Metrics <kit>.<id>.bar_x_mm and bar_y_mm.
Result<TestEntry> test_bars(const KitContext& ctx, const TestNames& names);

// Contrast plates: Rose visibility per plate against the base beside it. Metrics
// <kit>.<id>.sensitivity_<mat><T>_pct per group and sensitivity_pct for the reference group.
Result<TestEntry> test_contrast(const KitContext& ctx, const TestNames& names);

// Thin slabs with `purpose` (e.g. thin organic sheets) seen against the air beside them: Rose
// visibility; metric <kit>.<id>.<metric_stem>_mm = thinnest visible sheet.
Result<TestEntry> test_thin_slabs(const KitContext& ctx, const TestNames& names, phantoms::Purpose purpose,
                                  const std::string& metric_stem);

// One wire's detection outcome (for the kit-specific wire summaries).
struct WireOutcome {
  std::string feature_id;
  double diameter_mm = 0;
  double cover_mm = 0;   // steel (or other) cover thickness, 0 = in air
  bool detected = false;
  double score = 0, threshold = 0;
};

// Detects every wire with `purpose` on a strip resampled along the located wire
// (sample_wire_strip; on its cover when it has one), threshold calibrated once per strip
// size/orientation/wire width on wire-free strips resampled from the open fields, else on
// simulated noise. Fills `entry` with ROIs, details, warnings.
Result<std::vector<WireOutcome>> detect_wires(const KitContext& ctx, phantoms::Purpose purpose, TestEntry& entry);

// Dual-energy material blocks: classify_blocks with the named calibration. Metric
// <kit>.<id>.correct_pct. "not run" without a low-energy image.
Result<TestEntry> test_material(const KitContext& ctx, const TestNames& names, const std::string& default_calibration);

// Edge MTF along x and y from the sides of the tilted square(s) (measure_edge_mtf on the
// dose-linear intensities); per axis the mean of the sides. Metrics
// <kit>.<id>.mtf20_x_lp_mm, mtf20_y_lp_mm, mtf50_x_lp_mm, mtf50_y_lp_mm. The curves go into
// entry.series ("mtf_x", "mtf_y"). `mtf_x`/`mtf_y` receive the mean curves when not null.
Result<TestEntry> test_edge_mtf(const KitContext& ctx, const TestNames& names,
                                std::vector<MtfPoint>* mtf_x = nullptr, std::vector<MtfPoint>* mtf_y = nullptr);

// A fresh entry with names and method text.
TestEntry make_entry(const TestNames& names, std::string method);

// "fe" for steel, "al", "pb", "cu", else the material's name.
std::string material_tag(phantoms::Material m);

}  // namespace niikit::testkits::kits
