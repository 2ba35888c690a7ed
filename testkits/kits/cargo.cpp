// The cargo kit: IEC 62523 / ANSI N42.46 methods on the cargo phantom (docs/kits.md).
#include "testkits/kits/cargo.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "testkits/kits/kit_tests.hpp"

namespace niikit::testkits::kits {

namespace {

constexpr const char* kKit = "cargo";

MetricInfo mi(std::string key, std::string unit, Better b, std::string d) {
  return {std::move(key), std::move(unit), b, std::move(d)};
}

Result<TestEntry> test_cargo_wires(const KitContext& ctx) {
  TestNames names{kKit, "wire", "Wire detection"};
  auto e = make_entry(names,
                      "Per copper wire: strip resampled along the located wire (on its steel cover when it has one), "
                      "plane background removed, Radon-style projections over ±2° along the strip, peak z-score near "
                      "the centre line against the σ measured over segments along the strip; threshold = Gumbel "
                      "quantile calibrated on wire-free strips of the same size and orientation from the open fields "
                      "(testkits/metrics/wire_detect). Per cover thickness the result is the thinnest wire detected "
                      "together with every thicker one.");
  auto outcomes = detect_wires(ctx, phantoms::Purpose::wire_detection, e);
  if (!outcomes) return tl::unexpected(outcomes.error());
  if (outcomes->empty()) return not_run(ctx.input->options, std::move(e), "no wire in the image");
  std::map<double, std::vector<WireOutcome>> by_cover;
  for (const auto& o : *outcomes) by_cover[o.cover_mm].push_back(o);
  double ref = ctx.input->options.wire_reference_steel_mm;
  if (ref <= 0) ref = by_cover.rbegin()->first;
  bool all = true;
  for (auto& [cover, wires] : by_cover) {
    std::sort(wires.begin(), wires.end(), [](const auto& a, const auto& b) { return a.diameter_mm > b.diameter_mm; });
    std::optional<double> smallest;
    for (const auto& w : wires) {
      if (!w.detected) break;
      smallest = w.diameter_mm;
    }
    const std::string where = cover > 0 ? fmt::format("behind {} mm Fe", num(cover)) : "in air";
    if (smallest) {
      e.metrics.push_back({cover > 0 ? fmt::format("cargo.wire.cu_behind_fe{}_mm", num(cover)) : "cargo.wire.cu_in_air_mm",
                           *smallest, "mm"});
      if (cover > 0 && std::abs(cover - ref) < 1e-6) e.metrics.push_back({"cargo.wire.cu_behind_steel_mm", *smallest, "mm"});
      e.result_text += (e.result_text.empty() ? "" : "; ") + fmt::format("wire {} mm Cu {}", num(*smallest), where);
    } else {
      all = false;
      e.result_text += (e.result_text.empty() ? "" : "; ") + fmt::format("no wire detected {}", where);
    }
  }
  e.verdict = all ? Verdict::pass : Verdict::fail;
  return e;
}

}  // namespace

KitInfo cargo_kit_info() {
  KitInfo k;
  k.id = kKit;
  k.version = "1.0";
  k.title = "Cargo / vehicle inspection image quality";
  k.standard = "IEC 62523 / ANSI N42.46 (methods)";
  k.default_phantom = "cargo-iec62523";
  k.family = phantoms::MethodFamily::cargo;
  k.description = "Steel penetration, wire detection in air and behind steel, contrast sensitivity, spatial resolution "
                  "(bars, both axes), dual-energy material discrimination and edge MTF on the cargo phantom.";
  k.run = &run_cargo;
  k.tests = {
      {"penetration", "Steel penetration",
       "Lead block behind each steel step; Welch t (correlation-corrected) of block vs step; thickest step passing with "
       "every thinner one.",
       "Welch t >= 5 (option penetration_t)", false, false,
       {mi("cargo.penetration.steel_mm", "mm", Better::higher, "thickest steel penetrated (0 = thinnest step fails)")}},
      {"wire", "Wire detection",
       "Radon-style projection z-score on a strip along each wire, Gumbel threshold calibrated on wire-free strips of the same image; per "
       "cover the thinnest wire detected with every thicker one.",
       "false-alarm rate 0.01 per wire search (option wire_false_alarm)", false, false,
       {mi("cargo.wire.cu_in_air_mm", "mm", Better::lower, "thinnest copper wire detected in air"),
        mi("cargo.wire.cu_behind_steel_mm", "mm", Better::lower,
           "thinnest copper wire detected behind the reference steel cover (option wire_reference_steel_mm, default 100)"),
        mi("cargo.wire.cu_behind_fe<T>_mm", "mm", Better::lower, "the same behind T mm steel, one key per cover in the phantom")}},
      {"contrast", "Contrast sensitivity",
       "Rose visibility CNR·√N of each plate against the base beside it; smallest contrast visible with every larger one.",
       "Rose >= 5 (option rose_k)", false, false,
       {mi("cargo.contrast.sensitivity_pct", "%", Better::lower,
           "smallest visible plate contrast on the reference base (option contrast_reference_mm, default the thickest)"),
        mi("cargo.contrast.sensitivity_fe<T>_pct", "%", Better::lower, "the same per base of T mm steel")}},
      {"resolution", "Spatial resolution",
       "Bar groups resampled to the phantom frame, modulation of the fundamental at the nominal pitch; finest group "
       "resolved with every coarser one, per axis.",
       "modulation >= 0.1 (option bar_modulation)", false, false,
       {mi("cargo.resolution.bar_x_mm", "mm", Better::lower, "finest bar width resolved along x"),
        mi("cargo.resolution.bar_y_mm", "mm", Better::lower, "finest bar width resolved along y")}},
      {"material", "Material discrimination",
       "Dual energy: R = A_low/A_high per block against calibration curves; share of blocks in their expected class.",
       "class = expected class; calibration 'dual-mev' (option material_calibration)", true, false,
       {mi("cargo.material.correct_pct", "%", Better::higher, "material blocks classified correctly")}},
      {"mtf", "Edge MTF",
       "Slanted-edge MTF on the four sides of the tilted steel square; x from near-vertical sides, y from near-horizontal.",
       "none (value reported)", false, false,
       {mi("cargo.mtf.mtf20_x_lp_mm", "lp/mm", Better::higher, "MTF20 along x, detector plane"),
        mi("cargo.mtf.mtf20_y_lp_mm", "lp/mm", Better::higher, "MTF20 along y"),
        mi("cargo.mtf.mtf50_x_lp_mm", "lp/mm", Better::higher, "MTF50 along x"),
        mi("cargo.mtf.mtf50_y_lp_mm", "lp/mm", Better::higher, "MTF50 along y")}},
  };
  return k;
}

Result<KitResult> run_cargo(const KitInput& input) {
  auto ctx = prepare_context(input, phantoms::MethodFamily::cargo, kKit);
  if (!ctx) return tl::unexpected(ctx.error());
  static const KitInfo info = cargo_kit_info();
  KitResult result = make_result(info, *ctx);
  const auto& o = input.options;
  Status s = add_test(result, o, "penetration", [&] {
    return test_penetration(*ctx, {kKit, "penetration", "Steel penetration"}, phantoms::Purpose::penetration);
  });
  if (s) s = add_test(result, o, "wire", [&] { return test_cargo_wires(*ctx); });
  if (s) s = add_test(result, o, "contrast", [&] { return test_contrast(*ctx, {kKit, "contrast", "Contrast sensitivity"}); });
  if (s) s = add_test(result, o, "resolution", [&] { return test_bars(*ctx, {kKit, "resolution", "Spatial resolution"}); });
  if (s)
    s = add_test(result, o, "material",
                 [&] { return test_material(*ctx, {kKit, "material", "Material discrimination"}, "dual-mev"); });
  if (s) s = add_test(result, o, "mtf", [&] { return test_edge_mtf(*ctx, {kKit, "mtf", "Edge MTF"}); });
  if (!s) return tl::unexpected(s.error().with_context(input.image.source.empty() ? "cargo kit" : input.image.source));
  return result;
}

}  // namespace niikit::testkits::kits
