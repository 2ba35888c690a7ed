#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "app/services/demo_story.hpp"
#include "phantoms/generator/render.hpp"
#include "phantoms/generator/scan_files.hpp"
#include "phantoms/phantom.hpp"
#include "phantoms/phantom_dir.hpp"
#include "testkits/image/image.hpp"
#include "testkits/kits/kit.hpp"
#include "testkits/metrics/edge_mtf.hpp"

namespace niikit::services::demo {

namespace {
// The ROI around the middle of the sharp edge's side that runs nearest to the scan direction
// (a near-vertical edge in the image: MTF across the scan), from the phantom geometry mapped by
// the render's own mm → px transform.
std::optional<testkits::RoiPx> edge_roi(const phantoms::Phantom& phantom, const phantoms::generator::Placement& place) {
  for (const auto& f : phantom.features) {
    const auto* edge = std::get_if<phantoms::SharpEdge>(&f.shape);
    if (!edge) continue;
    const auto c = edge->area.corners();
    for (std::size_t i = 0; i < c.size(); ++i) {
      const auto a = place.to_px(c[i]), b = place.to_px(c[(i + 1) % c.size()]);
      if (std::abs(b.y_px - a.y_px) < 2 * std::abs(b.x_px - a.x_px)) continue;   // not near-vertical
      const double cx = (a.x_px + b.x_px) / 2, cy = (a.y_px + b.y_px) / 2;
      const int half_h = static_cast<int>(std::abs(b.y_px - a.y_px) * 0.35), half_w = 30;
      return testkits::RoiPx{static_cast<int>(cx) - half_w, static_cast<int>(cy) - half_h, 2 * half_w, 2 * half_h};
    }
  }
  return std::nullopt;
}

}  // namespace

// The toolkit checks itself before anyone relies on it: every shipped test object validates,
// and the slanted-edge MTF measured on a rendered cargo scan matches the forward model's truth.
// Issue 18: a real scanner's scatter glare, detector gain shading and dark offset must not move
// the kit's figures. The same object is rendered twice (3 mm pixels, as a quick check), clean and
// with a 3 % scatter tail, a ±3 % gain field and a 2,000-count dark offset, and the cargo kit
// scores both: penetration against a two-sided local background, bars on dark-corrected signal.
Status glare_check(Demo& d, const phantoms::Phantom& cargo) {
  phantoms::generator::RenderOptions o;
  o.beam = phantoms::generator::BeamPreset::mev;
  o.pixel_mm_x = o.pixel_mm_y = 3.0;
  o.psf_sigma_mm_x = o.psf_sigma_mm_y = 2.0;
  o.dose_photons = 20000;
  o.supersample = 2;
  o.margin_mm = 60;
  o.rotation_deg = 3;
  o.seed = 5;
  struct Scored {
    std::string penetration, bars, dark;
    double steel_mm = -1;
  };
  auto score = [&](const phantoms::generator::RenderOptions& options) -> Result<Scored> {
    auto scan = phantoms::generator::render_scan(cargo, options);
    if (!scan) return tl::unexpected(scan.error());
    testkits::kits::KitInput in;
    in.image = scan->planes[0];
    in.image.source = "rendered";
    in.phantom = cargo;
    in.options.tests = {"penetration", "resolution"};
    auto r = testkits::kits::run_kit("cargo", in);
    if (!r) return tl::unexpected(r.error().with_context("demo glare check"));
    Scored out;
    if (const auto* t = r->test("penetration")) out.penetration = t->result_text;
    if (const auto* t = r->test("resolution")) out.bars = t->result_text;
    out.dark = fmt::format("{:.0f}", r->located.dark_level);
    out.steel_mm = r->metric("cargo.penetration.steel_mm").value_or(-1);
    return out;
  };
  auto clean = score(o);
  if (!clean) return tl::unexpected(clean.error());
  o.scatter_fraction = 0.03;
  o.scatter_sigma_mm = 25;
  o.gain_field_rel = 0.03;
  o.dark_offset_counts = 2000;
  auto shaded = score(o);
  if (!shaded) return tl::unexpected(shaded.error());
  d.step("Score the same object under scatter glare, gain shading and a dark offset (niikit iq analyze)",
         fmt::format("clean render: {}; {}. With a 3 % scatter tail, ±3 % gain and a 2,000-count dark offset "
                     "(dark level found: {} counts): {}; {}",
                     clean->penetration, clean->bars, shaded->dark, shaded->penetration, shaded->bars),
         clean->steel_mm == shaded->steel_mm && clean->steel_mm > 0);
  return {};
}

Status imaging_story(Demo& d) {
  auto files = phantoms::list_phantom_files(phantoms::shipped_phantom_dir());
  if (!files) return tl::unexpected(files.error());
  std::string shipped;
  for (const auto& f : *files) {
    auto p = phantoms::load_phantom(f);
    if (!p) return tl::unexpected(p.error());
    shipped += fmt::format("{}{} ({} features)", shipped.empty() ? "" : ", ", p->id, p->features.size());
  }
  d.step("Validate the shipped test objects", shipped);

  auto cargo = phantoms::resolve_phantom("cargo-iec62523", phantoms::shipped_phantom_dir());
  if (!cargo) return tl::unexpected(cargo.error());
  phantoms::generator::RenderOptions options;   // defaults: fixed seed, supersampled, 16-bit
  options.beam = phantoms::generator::BeamPreset::dual_mev;
  options.rotation_deg = 2.5;                   // the object is never placed perfectly square
  options.shift_px_x = 14;
  options.shift_px_y = -9;
  auto scan = phantoms::generator::render_scan(*cargo, options);
  if (!scan) return tl::unexpected(scan.error());
  std::error_code ec;
  fs::create_directories(d.dir / "scans", ec);
  const auto image = d.dir / "scans" / "toolkit-check-cargo.tiff";
  const auto truth = d.dir / "scans" / "toolkit-check-cargo.truth.json";
  auto written = phantoms::generator::write_scan_files(*scan, {image.string(), "", truth.string()});
  if (!written) return tl::unexpected(written.error());
  auto check = testkits::read_dual_energy(image.string());   // read back what was written
  if (!check) return tl::unexpected(check.error());
  const auto& t = scan->truth;
  double penetrated_mm = 0;
  for (const auto& step : t.steps)
    if (!step.cnr.empty() && step.cnr[0] >= 5.0) penetrated_mm = std::max(penetrated_mm, step.step_thickness_mm);
  d.step("Render a cargo test-object scan with known truth (niikit phantom render)",
         fmt::format("{} x {} px, dual energy {} (high/low pages), seed {}; the forward model expects steel "
                     "penetration {:g} mm (lead block CNR >= 5) and MTF50 {:.2f} lp/mm across the scan",
                     check->high.pixels.cols, check->high.pixels.rows, image.filename().string(), options.seed,
                     penetrated_mm, t.mtf_x.mtf50_cycles_per_px / t.mtf_x.pixel_mm));
  // Measure what the forward model promised: the slanted-edge MTF on the image just read back.
  if (auto roi = edge_roi(*cargo, t.placement)) {
    testkits::EdgeMtfOptions mtf_options;
    mtf_options.roi = *roi;
    mtf_options.pixel_mm_x = check->high.meta.pixel_mm_x;
    mtf_options.pixel_mm_y = check->high.meta.pixel_mm_y;
    auto mtf = testkits::measure_edge_mtf(check->high.pixels, mtf_options);
    if (!mtf) return tl::unexpected(mtf.error().with_context("demo edge MTF"));
    d.step("Measure the slanted-edge MTF on the rendered scan (niikit iq mtf)",
           fmt::format("ROI {}, edge at {:.2f}°: MTF50 {:.4f} cy/px measured vs {:.4f} from the forward model; "
                       "MTF20 {:.4f} vs {:.4f}",
                       testkits::to_string(*roi), mtf->edge_angle_deg, mtf->mtf50_cy_px.value_or(0),
                       t.mtf_x.mtf50_cycles_per_px, mtf->mtf20_cy_px.value_or(0), t.mtf_x.mtf20_cycles_per_px));
  }
  if (auto st = glare_check(d, *cargo); !st) return st;
  d.result.files.push_back({image.string(), "16-bit dual-energy TIFF of the cargo test object (2 pages)"});
  d.result.files.push_back({truth.string(), fmt::format("truth: transform, {} regions, {} penetration steps, MTF",
                                                        t.regions.size(), t.steps.size())});
  return {};
}

}  // namespace niikit::services::demo
