// The cabinet kit: ASTM F792 methods on the cabinet phantom (docs/kits.md).
#include "testkits/kits/cabinet.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "testkits/kits/kit_tests.hpp"

namespace niikit::testkits::kits {

namespace {

constexpr const char* kKit = "cabinet";

MetricInfo mi(std::string key, std::string unit, Better b, std::string d) {
  return {std::move(key), std::move(unit), b, std::move(d)};
}

// American Wire Gauge of a diameter: d = 0.127 mm · 92^((36 − n)/39), rounded to the gauge.
int awg_of(double diameter_mm) {
  return static_cast<int>(std::lround(36.0 - 39.0 * std::log(diameter_mm / 0.127) / std::log(92.0)));
}

Result<TestEntry> test_wire_display(const KitContext& ctx) {
  TestNames names{kKit, "wire", "Wire display"};
  auto e = make_entry(names,
                      "Copper wires AWG 24–40 in air, each detected by Radon-style projection z-score against a "
                      "Gumbel threshold calibrated on wire-free strips of the same image, scored on a strip along each wire "
                      "(testkits/metrics/wire_detect). "
                      "Result = thinnest wire displayed together with every thicker one.");
  auto outcomes = detect_wires(ctx, phantoms::Purpose::wire_detection, e);
  if (!outcomes) return tl::unexpected(outcomes.error());
  if (outcomes->empty()) return not_run(ctx.input->options, std::move(e), "no wire in the image");
  auto wires = *outcomes;
  std::sort(wires.begin(), wires.end(), [](const auto& a, const auto& b) { return a.diameter_mm > b.diameter_mm; });
  std::optional<double> smallest;
  for (const auto& w : wires) {
    if (!w.detected) break;
    smallest = w.diameter_mm;
  }
  if (smallest) {
    e.metrics.push_back({"cabinet.wire.awg", static_cast<double>(awg_of(*smallest)), "AWG"});
    e.metrics.push_back({"cabinet.wire.cu_mm", *smallest, "mm"});
    e.result_text = fmt::format("wire display AWG {} ({} mm Cu)", awg_of(*smallest), num(*smallest));
  } else {
    e.result_text = "no wire displayed";
  }
  e.verdict = smallest ? Verdict::pass : Verdict::fail;
  return e;
}

Result<TestEntry> test_useful_penetration(const KitContext& ctx) {
  TestNames names{kKit, "useful_penetration", "Useful penetration"};
  auto e = make_entry(names,
                      "The same copper wire behind steel of increasing thickness, each detected as in wire display. "
                      "Result = thickest steel behind which the wire is displayed, together with every thinner cover.");
  auto outcomes = detect_wires(ctx, phantoms::Purpose::useful_penetration, e);
  if (!outcomes) return tl::unexpected(outcomes.error());
  if (outcomes->empty()) return not_run(ctx.input->options, std::move(e), "no covered wire in the image");
  auto wires = *outcomes;
  std::sort(wires.begin(), wires.end(), [](const auto& a, const auto& b) { return a.cover_mm < b.cover_mm; });
  std::optional<double> thickest;
  for (const auto& w : wires) {
    if (!w.detected) break;
    thickest = w.cover_mm;
  }
  e.metrics.push_back({"cabinet.useful_penetration.steel_mm", thickest.value_or(0.0), "mm"});
  e.result_text = thickest ? fmt::format("useful penetration {} mm steel (AWG {} wire)", num(*thickest), awg_of(wires.front().diameter_mm))
                           : "useful penetration below the thinnest cover";
  e.verdict = thickest ? Verdict::pass : Verdict::fail;
  return e;
}

}  // namespace

KitInfo cabinet_kit_info() {
  KitInfo k;
  k.id = kKit;
  k.version = "1.0";
  k.title = "Cabinet X-ray image quality";
  k.standard = "ASTM F792 (methods)";
  k.default_phantom = "cabinet-astm-f792";
  k.family = phantoms::MethodFamily::cabinet;
  k.description = "Wire display, useful penetration, simple penetration, spatial resolution (bar gratings, both axes), "
                  "thin organic and organic/inorganic differentiation (dual energy) on the cabinet phantom.";
  k.run = &run_cabinet;
  k.tests = {
      {"wire", "Wire display", "Wire z-score per AWG wire in air, Gumbel-calibrated threshold; thinnest displayed.",
       "false-alarm rate 0.01 (option wire_false_alarm)", false, false,
       {mi("cabinet.wire.awg", "AWG", Better::higher, "gauge of the thinnest wire displayed"),
        mi("cabinet.wire.cu_mm", "mm", Better::lower, "its diameter")}},
      {"useful_penetration", "Useful penetration", "AWG 24 wire behind steel steps; thickest cover with the wire displayed.",
       "false-alarm rate 0.01 (option wire_false_alarm)", false, false,
       {mi("cabinet.useful_penetration.steel_mm", "mm", Better::higher, "thickest steel with the wire displayed")}},
      {"penetration", "Simple penetration", "Lead strip behind each steel step; Welch t of strip vs step.",
       "Welch t >= 5 (option penetration_t)", false, false,
       {mi("cabinet.penetration.steel_mm", "mm", Better::higher, "thickest step whose lead strip is visible")}},
      {"resolution", "Spatial resolution", "Bar gratings, modulation of the fundamental, both axes.",
       "modulation >= 0.1 (option bar_modulation)", false, false,
       {mi("cabinet.resolution.bar_x_mm", "mm", Better::lower, "finest bar width resolved along x"),
        mi("cabinet.resolution.bar_y_mm", "mm", Better::lower, "finest bar width resolved along y")}},
      {"thin_organic", "Thin organic", "Rose visibility of thin polyethylene sheets against the air beside them.",
       "Rose >= 5 (option rose_k)", false, false,
       {mi("cabinet.thin_organic.pe_mm", "mm", Better::lower, "thinnest polyethylene sheet visible")}},
      {"material", "Organic/inorganic differentiation", "Dual energy R = A_low/A_high per block against calibration curves.",
       "class = expected class; calibration 'dual-kv' (option material_calibration)", true, false,
       {mi("cabinet.material.correct_pct", "%", Better::higher, "blocks classified correctly")}},
  };
  return k;
}

Result<KitResult> run_cabinet(const KitInput& input) {
  auto ctx = prepare_context(input, phantoms::MethodFamily::cabinet, kKit);
  if (!ctx) return tl::unexpected(ctx.error());
  static const KitInfo info = cabinet_kit_info();
  KitResult result = make_result(info, *ctx);
  const auto& o = input.options;
  Status s = add_test(result, o, "wire", [&] { return test_wire_display(*ctx); });
  if (s) s = add_test(result, o, "useful_penetration", [&] { return test_useful_penetration(*ctx); });
  if (s)
    s = add_test(result, o, "penetration", [&] {
      return test_penetration(*ctx, {kKit, "penetration", "Simple penetration"}, phantoms::Purpose::penetration);
    });
  if (s) s = add_test(result, o, "resolution", [&] { return test_bars(*ctx, {kKit, "resolution", "Spatial resolution"}); });
  if (s)
    s = add_test(result, o, "thin_organic", [&] {
      return test_thin_slabs(*ctx, {kKit, "thin_organic", "Thin organic"}, phantoms::Purpose::thin_organic, "pe");
    });
  if (s)
    s = add_test(result, o, "material", [&] {
      return test_material(*ctx, {kKit, "material", "Organic/inorganic differentiation"}, "dual-kv");
    });
  if (!s) return tl::unexpected(s.error().with_context(input.image.source.empty() ? "cabinet kit" : input.image.source));
  return result;
}

}  // namespace niikit::testkits::kits
