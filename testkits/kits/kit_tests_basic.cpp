// Shared kit tests on single-energy intensities: penetration, bars, contrast, thin slabs.
#include <opencv2/imgproc.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "testkits/kits/kit_tests.hpp"
#include "testkits/metrics/bar_modulation.hpp"
#include "testkits/metrics/roi_stats.hpp"
#include "testkits/metrics/step_wedge.hpp"

namespace niikit::testkits::kits {

using phantoms::Feature;
using phantoms::Rect;

TestEntry make_entry(const TestNames& names, std::string method) {
  TestEntry e;
  e.test_id = names.id;
  e.title = names.title;
  e.method = std::move(method);
  return e;
}

std::string material_tag(phantoms::Material m) {
  switch (m) {
    case phantoms::Material::steel: return "fe";
    case phantoms::Material::aluminium: return "al";
    case phantoms::Material::lead: return "pb";
    case phantoms::Material::copper: return "cu";
    case phantoms::Material::tungsten: return "w";
    case phantoms::Material::polyethylene: return "pe";
    default: return std::string(phantoms::material_name(m));
  }
}

namespace {

std::string key(const TestNames& n, std::string_view quantity) { return fmt::format("{}.{}.{}", n.kit, n.id, quantity); }

// The widest strip of the step beside the block (left/right, or above/below when wider).
Rect beside_strip(const Rect& step, const Rect& block) {
  const Rect left{step.x_mm, block.y_mm, block.x_mm - step.x_mm, block.height_mm, 0};
  const Rect right{block.x_mm + block.width_mm, block.y_mm, step.x_mm + step.width_mm - block.x_mm - block.width_mm,
                   block.height_mm, 0};
  const Rect top{block.x_mm, step.y_mm, block.width_mm, block.y_mm - step.y_mm, 0};
  const Rect bottom{block.x_mm, block.y_mm + block.height_mm, block.width_mm,
                    step.y_mm + step.height_mm - block.y_mm - block.height_mm, 0};
  const Rect* best = &left;
  for (const Rect* r : {&right, &top, &bottom})
    if (r->width_mm * r->height_mm > best->width_mm * best->height_mm) best = r;
  return *best;
}

// Reference strips on both sides of the block inside the step, each adjacent to it and at most
// half the block's size wide: left and right, or above and below. Of the two pairs the one
// farther from the wedge's outline is used: beyond the outline lies the open field, whose
// glare falls off with distance, so the references that share the block's distance to it see
// the block's own glare (on a wedge whose steps run along y, the strips above and below).
// Empty when the step leaves no room on either pair (≥ 20 % of the block's size per side).
std::optional<std::pair<Rect, Rect>> reference_strips(const Rect& wedge, const Rect& step, const Rect& block) {
  const double left = block.x_mm - step.x_mm, right = step.x_mm + step.width_mm - block.x_mm - block.width_mm;
  const double above = block.y_mm - step.y_mm, below = step.y_mm + step.height_mm - block.y_mm - block.height_mm;
  const auto clearance = [&](const Rect& r) {
    return std::min({r.x_mm - wedge.x_mm, wedge.x_mm + wedge.width_mm - r.x_mm - r.width_mm, r.y_mm - wedge.y_mm,
                     wedge.y_mm + wedge.height_mm - r.y_mm - r.height_mm});
  };
  std::optional<std::pair<Rect, Rect>> sides, ends;
  if (std::min(left, right) >= 0.2 * block.width_mm) {
    const double w = std::min({left, right, 0.5 * block.width_mm});
    sides = std::pair{Rect{block.x_mm - w, block.y_mm, w, block.height_mm, 0},
                      Rect{block.x_mm + block.width_mm, block.y_mm, w, block.height_mm, 0}};
  }
  if (std::min(above, below) >= 0.2 * block.height_mm) {
    const double h = std::min({above, below, 0.5 * block.height_mm});
    ends = std::pair{Rect{block.x_mm, block.y_mm - h, block.width_mm, h, 0},
                     Rect{block.x_mm, block.y_mm + block.height_mm, block.width_mm, h, 0}};
  }
  if (!sides || !ends) return sides ? sides : ends;
  const double cs = std::min(clearance(sides->first), clearance(sides->second));
  const double ce = std::min(clearance(ends->first), clearance(ends->second));
  return ce > cs ? ends : sides;
}

// mm of phantom per image px along the phantom's x and y axes.
std::pair<double, double> phantom_step_mm(const MmToPx& t) {
  return {1.0 / std::hypot(t.m[0], t.m[3]), 1.0 / std::hypot(t.m[1], t.m[4])};
}

}  // namespace

namespace {

// Scored pairs of one penetration wedge: with a block behind each step (IEC 62523 style) the
// block against the step beside it; without one (ANSI N42.55) each step against its thinner
// neighbour, so the thinnest step is only the first pair's background.
struct PenetrationPairs {
  std::vector<WedgeStep> steps;
  std::size_t first_index = 0;  // wedge index of the first scored step
};

PenetrationPairs penetration_pairs(const KitContext& ctx, const phantoms::Feature& f, const phantoms::StepWedge& w,
                                   TestEntry& e) {
  PenetrationPairs out;
  const auto& t = ctx.located.mm_to_px;
  bool first = true;
  for (std::size_t k = w.behind ? 0 : 1; k < w.step_count(); ++k) {
    const Rect step = w.step_area(k);
    std::optional<RoiPx> troi, broi, broi2;
    bool inside = polygon_inside(rect_polygon_px(step, t), ctx.image.size());
    if (w.behind) {
      const Rect block = *w.behind_area(k);
      troi = inner_roi(block, roi_margin_mm(block, ctx), ctx);
      if (const auto strips = reference_strips(w.area, step, block)) {
        broi = inner_roi(strips->first, roi_margin_mm(strips->first, ctx), ctx);
        broi2 = inner_roi(strips->second, roi_margin_mm(strips->second, ctx), ctx);
        if (!broi || !broi2) broi.reset(), broi2.reset();
      }
      if (!broi) {
        const Rect beside = beside_strip(step, block);
        broi = inner_roi(beside, roi_margin_mm(beside, ctx), ctx);
      }
    } else {
      const Rect thinner = w.step_area(k - 1);
      inside = inside && polygon_inside(rect_polygon_px(thinner, t), ctx.image.size());
      troi = inner_roi(step, roi_margin_mm(step, ctx), ctx);
      broi = inner_roi(thinner, roi_margin_mm(thinner, ctx), ctx);
    }
    if (!inside || !troi || !broi) {
      e.missing.push_back(fmt::format("{}/step {} mm", f.id, num(w.step_thicknesses_mm[k])));
      continue;
    }
    if (first) out.first_index = k, first = false;
    out.steps.push_back({w.step_thicknesses_mm[k], *troi, *broi, broi2});
  }
  return out;
}

// A step decides the penetration figure when it is the last pass of the leading run or the
// first failure after it; when its |t| is within kBorderlineT of the threshold, the figure is
// uncertain by that step (|t| carries a standard error of about 1, two of them here).
constexpr double kBorderlineT = 2.0;

std::string borderline_steps(const StepWedgeResult& r) {
  std::vector<const StepResult*> order;
  for (const auto& s : r.steps) order.push_back(&s);
  std::sort(order.begin(), order.end(), [](const auto* a, const auto* b) { return a->thickness_mm < b->thickness_mm; });
  std::string out;
  for (std::size_t k = 0; k < order.size(); ++k) {
    const bool last_pass = order[k]->pass && (k + 1 == order.size() || !order[k + 1]->pass);
    const bool first_fail = !order[k]->pass && (k == 0 || order[k - 1]->pass);
    if (!last_pass && !first_fail) continue;
    if (std::abs(std::abs(order[k]->t_welch) - r.threshold) < kBorderlineT)
      out += (out.empty() ? "" : ", ") + fmt::format("step {} mm t = {:.2f}", num(order[k]->thickness_mm), std::abs(order[k]->t_welch));
    if (first_fail) break;
  }
  return out;
}

}  // namespace

Result<TestEntry> test_penetration(const KitContext& ctx, const TestNames& names, phantoms::Purpose purpose) {
  auto e = make_entry(names,
                      "Per step of the steel wedge, with a lead block behind the steps (IEC 62523): ROI on the block "
                      "behind the step against a local background model, a least-squares plane over reference strips "
                      "on both sides of the block (adjacent to it; left/right or above/below, whichever pair lies "
                      "farther from the wedge's outline and so from the open field's glare) evaluated at the block, "
                      "so smooth glare and gain cancel (one strip beside it when the step has no room on both "
                      "sides); without blocks (ANSI N42.55): ROI on each "
                      "step against ROI on its thinner neighbour. Welch t of the two means with the effective sample "
                      "size corrected for noise correlation (testkits/metrics/step_wedge). Penetration = thickest "
                      "step that passes together with every thinner step.");
  e.rule = "step penetrated when Welch t >= threshold";
  e.threshold = ctx.input->options.penetration_t;
  e.provenance = "kit option penetration_t (default 5: Rose-like criterion on the difference of means)";
  bool any = false;
  for (const auto& f : ctx.input->phantom.features) {
    if (f.purpose != purpose) continue;
    const auto* w = std::get_if<phantoms::StepWedge>(&f.shape);
    if (!w || (!w->behind && w->step_count() < 2)) continue;
    any = true;
    const auto pairs = penetration_pairs(ctx, f, *w, e);
    if (pairs.steps.empty()) continue;
    e.details.push_back(w->behind ? fmt::format("{}: lead block behind each step against the step beside it", f.id)
                                  : fmt::format("{}: each step against its thinner neighbour (no block behind)", f.id));
    StepWedgeOptions so;
    so.rule = StepRule::welch_t;
    so.threshold = e.threshold;
    so.floor = ctx.located.dark_level;  // starved = within 3 σ of the dark level, not of 0
    auto r = measure_step_wedge(ctx.image_f, pairs.steps, so);
    if (!r) return tl::unexpected(r.error().with_context(fmt::format("{} {}", names.title, f.id)));
    if (pairs.first_index != (w->behind ? 0U : 1U))
      e.warnings.push_back(fmt::format("{}: thinner steps are outside the image; penetration counted from {} mm", f.id,
                                       num(pairs.steps.front().thickness_mm)));
    for (const auto& s : r->steps) {
      const Verdict v = s.pass ? Verdict::pass : Verdict::fail;
      e.rois.push_back(roi_shape(s.target_roi, num(s.thickness_mm), v));
      e.rois.push_back(roi_shape(s.background_roi, "", Verdict::info));
      if (s.local_background) e.rois.push_back(roi_shape(s.background_other_roi, "", Verdict::info));
      e.details.push_back(fmt::format("step {} mm: t = {:.2f} (CNR {:.2f}, n_eff {:.0f}{}) {}{}{}", num(s.thickness_mm),
                                      std::abs(s.t_welch), s.cnr, s.n_eff_target,
                                      s.local_background ? ", background: plane over both sides" : "",
                                      s.pass ? "penetrated" : "not penetrated", s.starved ? ", starved" : "",
                                      s.saturated ? ", saturated" : ""));
    }
    for (const auto& wmsg : r->warnings) e.warnings.push_back(f.id + ": " + wmsg);
    const auto borderline = borderline_steps(*r);
    if (!borderline.empty())
      e.warnings.push_back(fmt::format("{}: penetration uncertain by one step: {} within {} of the threshold (Welch t has a "
                                       "standard error of about 1)",
                                       f.id, borderline, num(kBorderlineT)));
    const double pen = r->penetration_mm.value_or(0.0);
    e.metrics.push_back({key(names, "steel_mm"), pen, "mm"});
    e.verdict = r->penetration_mm ? Verdict::pass : Verdict::fail;
    e.result_text = r->penetration_mm ? fmt::format("steel penetration {} mm", num(pen))
                                      : fmt::format("steel penetration below {} mm (thinnest scored step not penetrated)",
                                                    num(pairs.steps.front().thickness_mm));
    if (!borderline.empty()) e.result_text += " (uncertain by one step: " + borderline + ")";
    break;  // one penetration wedge per kit
  }
  if (!any) return not_run(ctx.input->options, std::move(e), "the phantom has no penetration wedge");
  if (e.metrics.empty()) return not_run(ctx.input->options, std::move(e), "the penetration wedge is outside the image");
  return e;
}

Result<TestEntry> test_bars(const KitContext& ctx, const TestNames& names) {
  auto e = make_entry(names,
                      "Each bar group is resampled into the phantom frame (bilinear), averaged along the bars into a "
                      "profile and fitted with a trend plus the fundamental at the nominal pitch "
                      "(testkits/metrics/bar_modulation). Resolution = bar width of the finest group resolved "
                      "together with every coarser group on that axis.");
  e.rule = "group resolved when the modulation of the fundamental >= threshold";
  e.threshold = ctx.input->options.bar_modulation;
  e.provenance = "kit option bar_modulation (default 0.1)";
  const auto [sx, sy] = phantom_step_mm(ctx.located.mm_to_px);
  struct Group {
    double pitch_mm;
    bool resolved;
  };
  std::map<char, std::vector<Group>> per_axis;
  for (const auto& f : ctx.input->phantom.features) {
    const auto* g = std::get_if<phantoms::BarGroup>(&f.shape);
    if (!g) continue;
    const bool along_x = g->resolution_axis == phantoms::Axis::x;
    const char axis = along_x ? 'x' : 'y';
    Rect box = g->outline();
    // Keep clear of the bar ends.
    const double trim = 0.1 * g->bar_length_mm;
    if (along_x)
      box.y_mm += trim, box.height_mm -= 2 * trim;
    else
      box.x_mm += trim, box.width_mm -= 2 * trim;
    const cv::Mat patch = rectify(ctx.intensity, box, ctx.located.mm_to_px, sx, sy);
    if (patch.empty()) {
      e.missing.push_back(f.id);
      continue;
    }
    BarOptions bo;
    bo.roi = full_roi(patch);
    bo.pitch_px = g->pitch_mm / (along_x ? sx : sy);
    bo.bar_count = g->bar_count;
    bo.orientation = along_x ? BarOrientation::vertical : BarOrientation::horizontal;
    bo.threshold = e.threshold;
    const auto poly = rect_polygon_px(g->outline(), ctx.located.mm_to_px);
    if (bo.pitch_px < bar_min_pitch_px) {
      per_axis[axis].push_back({g->pitch_mm, false});
      e.details.push_back(fmt::format("{} ({} mm bars): pitch {:.2f} px is above the Nyquist frequency", f.id,
                                      num(g->bar_width_mm()), bo.pitch_px));
      e.rois.push_back(polygon_shape(poly, num(g->bar_width_mm()), Verdict::fail));
      continue;
    }
    auto r = measure_bars(patch, bo);
    if (!r) return tl::unexpected(r.error().with_context(fmt::format("{} {}", names.title, f.id)));
    per_axis[axis].push_back({g->pitch_mm, r->resolved});
    e.rois.push_back(polygon_shape(poly, num(g->bar_width_mm()), r->resolved ? Verdict::pass : Verdict::fail));
    e.details.push_back(fmt::format("{} ({} mm bars, {}): modulation {:.3f} {}", f.id, num(g->bar_width_mm()), axis,
                                    r->modulation, r->resolved ? "resolved" : "not resolved"));
    for (const auto& w : r->warnings) e.warnings.push_back(f.id + ": " + w);
  }
  if (per_axis.empty()) return not_run(ctx.input->options, std::move(e), "no bar group in the image");
  std::vector<std::string> texts;
  bool all_ok = true;
  for (auto& [axis, groups] : per_axis) {
    std::sort(groups.begin(), groups.end(), [](const Group& a, const Group& b) { return a.pitch_mm > b.pitch_mm; });
    std::optional<double> finest;
    for (const auto& g : groups) {
      if (!g.resolved) break;
      finest = g.pitch_mm / 2;
    }
    if (finest) {
      e.metrics.push_back({key(names, fmt::format("bar_{}_mm", axis)), *finest, "mm"});
      texts.push_back(fmt::format("spatial resolution {} mm along {}", num(*finest), axis));
    } else {
      all_ok = false;
      texts.push_back(fmt::format("no bar group resolved along {}", axis));
    }
  }
  e.verdict = all_ok ? Verdict::pass : Verdict::fail;
  for (const auto& s : texts) e.result_text += (e.result_text.empty() ? "" : "; ") + s;
  return e;
}

namespace {

// A background rectangle the size of `plate`, inside `base`, clear of every plate.
std::optional<Rect> plate_background(const Rect& plate, const phantoms::ContrastPlateGroup& g) {
  const double gap_y = plate.height_mm * 0.25, gap_x = plate.width_mm * 0.25;
  const std::array<std::pair<double, double>, 4> shifts{
      {{0, -(plate.height_mm + gap_y)}, {0, plate.height_mm + gap_y}, {-(plate.width_mm + gap_x), 0}, {plate.width_mm + gap_x, 0}}};
  for (const auto& [dx, dy] : shifts) {
    Rect r = plate;
    r.x_mm += dx, r.y_mm += dy;
    // Shrink towards the plate so it stays on the base.
    const Rect& b = g.base_area;
    const double x0 = std::max(r.x_mm, b.x_mm + 2), x1 = std::min(r.x_mm + r.width_mm, b.x_mm + b.width_mm - 2);
    const double y0 = std::max(r.y_mm, b.y_mm + 2), y1 = std::min(r.y_mm + r.height_mm, b.y_mm + b.height_mm - 2);
    if (x1 - x0 < 0.5 * plate.width_mm || y1 - y0 < 0.5 * plate.height_mm) continue;
    r = Rect{x0, y0, x1 - x0, y1 - y0, 0};
    bool clear = true;
    for (const auto& p : g.plates) {
      const Rect& q = p.area;
      if (r.x_mm < q.x_mm + q.width_mm && q.x_mm < r.x_mm + r.width_mm && r.y_mm < q.y_mm + q.height_mm &&
          q.y_mm < r.y_mm + r.height_mm)
        clear = false;
    }
    if (clear) return r;
  }
  return std::nullopt;
}

}  // namespace

Result<TestEntry> test_contrast(const KitContext& ctx, const TestNames& names) {
  auto e = make_entry(names,
                      "Per plate: ROI inside the plate and an equal ROI on the base beside it; CNR = |difference of "
                      "means| / detrended σ of the base ROI, Rose visibility = CNR·√(pixels in the plate ROI) "
                      "(testkits/metrics/roi_stats). Sensitivity = smallest plate contrast visible together with every "
                      "larger one on that base.");
  const auto& opt = ctx.input->options;
  e.rule = "plate visible when Rose = CNR·√N >= threshold";
  e.threshold = opt.rose_k;
  e.provenance = "kit option rose_k (default 5, the Rose criterion)";
  CnrOptions co;
  co.rose_threshold = opt.rose_k;
  struct GroupResult {
    std::string tag;
    double base_mm;
    std::optional<double> sensitivity;
  };
  std::vector<GroupResult> groups;
  for (const auto& f : ctx.input->phantom.features) {
    const auto* g = std::get_if<phantoms::ContrastPlateGroup>(&f.shape);
    if (!g) continue;
    std::vector<std::pair<double, bool>> plates;  // contrast %, visible
    for (const auto& p : g->plates) {
      const auto bg = plate_background(p.area, *g);
      auto froi = inner_roi(p.area, roi_margin_mm(p.area, ctx), ctx);
      std::optional<RoiPx> broi;
      if (bg) broi = inner_roi(*bg, roi_margin_mm(*bg, ctx), ctx);
      if (!froi || !broi) {
        e.missing.push_back(p.id);
        continue;
      }
      auto r = measure_cnr(ctx.image_f, *froi, *broi, co);
      if (!r) return tl::unexpected(r.error().with_context(fmt::format("{} {}", names.title, p.id)));
      plates.emplace_back(p.contrast_percent, r->visible);
      e.rois.push_back(roi_shape(*froi, num(p.contrast_percent) + " %", r->visible ? Verdict::pass : Verdict::fail));
      e.rois.push_back(roi_shape(*broi, "", Verdict::info));
      e.details.push_back(fmt::format("{} on {} mm {}: CNR {:.3f}, Rose {:.2f} {}", p.id, num(g->base.thickness_mm),
                                      phantoms::material_name(g->base.material), r->cnr, r->rose,
                                      r->visible ? "visible" : "not visible"));
    }
    if (plates.empty()) continue;
    std::sort(plates.begin(), plates.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    GroupResult gr{material_tag(g->base.material), g->base.thickness_mm, std::nullopt};
    for (const auto& [c, vis] : plates) {
      if (!vis) break;
      gr.sensitivity = c;
    }
    groups.push_back(gr);
  }
  if (groups.empty()) return not_run(opt, std::move(e), "no contrast plate in the image");
  const GroupResult* ref = nullptr;
  for (const auto& g : groups) {
    if (opt.contrast_reference_mm > 0 ? std::abs(g.base_mm - opt.contrast_reference_mm) < 1e-6
                                      : (!ref || g.base_mm > ref->base_mm))
      ref = &g;
    if (g.sensitivity)
      e.metrics.push_back({key(names, fmt::format("sensitivity_{}{}_pct", g.tag, num(g.base_mm))), *g.sensitivity, "%"});
  }
  if (ref && ref->sensitivity) e.metrics.push_back({key(names, "sensitivity_pct"), *ref->sensitivity, "%"});
  if (!ref) e.warnings.push_back(fmt::format("no contrast group on a {} mm base", num(opt.contrast_reference_mm)));
  bool ok = true;
  for (const auto& g : groups) {
    const std::string s = g.sensitivity ? fmt::format("contrast sensitivity {} % at {} mm {}", num(*g.sensitivity), num(g.base_mm),
                                                      g.tag == "fe" ? "Fe" : g.tag)
                                        : fmt::format("no plate visible at {} mm {}", num(g.base_mm), g.tag == "fe" ? "Fe" : g.tag);
    ok = ok && g.sensitivity.has_value();
    e.result_text += (e.result_text.empty() ? "" : "; ") + s;
  }
  e.verdict = ok ? Verdict::pass : Verdict::fail;
  return e;
}

Result<TestEntry> test_thin_slabs(const KitContext& ctx, const TestNames& names, phantoms::Purpose purpose,
                                  const std::string& metric_stem) {
  auto e = make_entry(names,
                      "Per sheet: ROI inside the sheet and an equal ROI in the air beside it; Rose visibility = "
                      "CNR·√N against the threshold. Result = thinnest sheet visible together with every thicker one.");
  const auto& opt = ctx.input->options;
  e.rule = "sheet visible when Rose = CNR·√N >= threshold";
  e.threshold = opt.rose_k;
  e.provenance = "kit option rose_k (default 5, the Rose criterion)";
  CnrOptions co;
  co.rose_threshold = opt.rose_k;
  std::vector<std::pair<double, bool>> sheets;
  std::string mat;
  for (const auto& f : ctx.input->phantom.features) {
    if (f.purpose != purpose) continue;
    const auto* s = std::get_if<phantoms::Slab>(&f.shape);
    if (!s) continue;
    mat = material_tag(s->layer.material);
    // Background: the same rectangle just below the sheet (thin-organic sheets sit in air).
    Rect bg = s->area;
    bg.y_mm += s->area.height_mm * 1.15;
    bool clear = true;
    for (const auto& other : ctx.input->phantom.features) {
      if (&other == &f || other.type() == phantoms::FeatureType::open_field) continue;
      const auto poly = feature_polygon_px(other, ctx.located.mm_to_px);
      const auto mine = rect_polygon_px(bg, ctx.located.mm_to_px);
      const cv::Rect2d a = cv::boundingRect(std::vector<cv::Point2f>(mine.begin(), mine.end()));
      const cv::Rect2d b = cv::boundingRect(std::vector<cv::Point2f>(poly.begin(), poly.end()));
      if ((a & b).area() > 0) clear = false;
    }
    if (!clear) bg.y_mm = s->area.y_mm - s->area.height_mm * 1.15;
    auto froi = inner_roi(s->area, roi_margin_mm(s->area, ctx), ctx);
    auto broi = inner_roi(bg, roi_margin_mm(bg, ctx), ctx);
    if (!froi || !broi) {
      e.missing.push_back(f.id);
      continue;
    }
    auto r = measure_cnr(ctx.image_f, *froi, *broi, co);
    if (!r) return tl::unexpected(r.error().with_context(fmt::format("{} {}", names.title, f.id)));
    sheets.emplace_back(s->layer.thickness_mm, r->visible);
    e.rois.push_back(roi_shape(*froi, num(s->layer.thickness_mm) + " mm", r->visible ? Verdict::pass : Verdict::fail));
    e.rois.push_back(roi_shape(*broi, "", Verdict::info));
    e.details.push_back(fmt::format("{}: CNR {:.3f}, Rose {:.2f} {}", f.id, r->cnr, r->rose, r->visible ? "visible" : "not visible"));
  }
  if (sheets.empty()) return not_run(opt, std::move(e), "no thin sheet in the image");
  std::sort(sheets.begin(), sheets.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::optional<double> thinnest;
  for (const auto& [t, vis] : sheets) {
    if (!vis) break;
    thinnest = t;
  }
  if (thinnest) e.metrics.push_back({key(names, metric_stem + "_mm"), *thinnest, "mm"});
  e.verdict = thinnest ? Verdict::pass : Verdict::fail;
  e.result_text = thinnest ? fmt::format("thin {} sheet {} mm visible", mat, num(*thinnest)) : "no thin sheet visible";
  return e;
}

}  // namespace niikit::testkits::kits
