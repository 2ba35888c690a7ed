// `niikit iq analyze --kit KIT IMAGE...` (run a test kit, judge requirements, draw overlays) and
// `niikit kit list|show KIT` (the kit registry). Kits: testkits/kits/kit.hpp; use case:
// app/services/analyze_service.hpp; docs/kits.md and docs/cli-json.md ("iq analyze", "kit").
#include <QJsonArray>
#include <QJsonObject>
#include <fmt/format.h>

#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <vector>
#include <iostream>

#include "app/cli/commands.hpp"
#include "app/cli/pitch_options.hpp"
#include "app/services/analyze_service.hpp"
#include "reports/text_table.hpp"
#include "testkits/kits/kit.hpp"

namespace niikit::cli {

namespace {

namespace kits = testkits::kits;

QString q(const std::string& s) { return QString::fromStdString(s); }

struct AnalyzeArgs {
  services::AnalyzeRequest request;
  PitchOptions pitch;
  std::vector<double> center;  // X Y, px
  std::optional<double> angle_deg;
  std::optional<double> scale;
  bool flip_x = false, flip_y = false;
  std::string polarity;                 // normal | inverted | auto
  std::vector<std::string> view_poses;  // "N:x=..,y=..,angle=..,scale=..,flip-x,flip-y,polarity=.."
};

Result<kits::Polarity> parse_polarity(const std::string& text, std::string_view option) {
  if (text == "auto" || text.empty()) return kits::Polarity::automatic;
  if (text == "normal") return kits::Polarity::normal;
  if (text == "inverted") return kits::Polarity::inverted;
  return fail(ErrorCode::usage, fmt::format("{}: polarity '{}' unknown (normal, inverted or auto)", option, text));
}

Result<double> parse_number(const std::string& text, const std::string& spec) {
  try {
    std::size_t used = 0;
    const double v = std::stod(text, &used);
    if (used == text.size() && std::isfinite(v)) return v;
  } catch (const std::exception&) {
  }
  return fail(ErrorCode::usage, fmt::format("--view-pose {}: '{}' is not a number", spec, text));
}

// One `--view-pose N:key=value,...` into view_overrides[N − 1] (N counts the --view images from 1).
Status parse_view_pose(const std::string& spec, std::vector<kits::LocateOverrides>& out, std::size_t view_count) {
  const auto colon = spec.find(':');
  std::size_t n = 0;
  try {
    n = colon == std::string::npos ? 0 : std::stoul(spec.substr(0, colon));
  } catch (const std::exception&) {
  }
  if (n < 1 || n > view_count)
    return fail(ErrorCode::usage, fmt::format("--view-pose {}: starts with the view number 1-{} and a colon (e.g. "
                                              "2:x=410,y=520,angle=90)", spec, view_count));
  if (out.size() < n) out.resize(n);
  auto& o = out[n - 1];
  std::string rest = spec.substr(colon + 1);
  std::size_t pos = 0;
  while (pos <= rest.size()) {
    const std::size_t end = std::min(rest.find(',', pos), rest.size());
    const std::string item = rest.substr(pos, end - pos);
    pos = end + 1;
    if (item.empty()) continue;
    const auto eq = item.find('=');
    const std::string key = item.substr(0, eq), value = eq == std::string::npos ? "" : item.substr(eq + 1);
    if (key == "flip-x" || key == "flip-y") {
      (key == "flip-x" ? o.flip_x : o.flip_y) = true;
      continue;
    }
    if (key == "polarity") {
      auto p = parse_polarity(value, "--view-pose " + spec);
      if (!p) return tl::unexpected(p.error());
      o.polarity = *p;
      continue;
    }
    if (key != "x" && key != "y" && key != "angle" && key != "scale")
      return fail(ErrorCode::usage, fmt::format("--view-pose {}: unknown key '{}' (x, y, angle, scale, flip-x, flip-y, "
                                                "polarity)", spec, key));
    auto v = parse_number(value, spec);
    if (!v) return tl::unexpected(v.error());
    if (key == "x") o.center_x_px = *v;
    if (key == "y") o.center_y_px = *v;
    if (key == "angle") o.angle_deg = *v;
    if (key == "scale") {
      if (*v < 0.5 || *v > 2.0) return fail(ErrorCode::usage, fmt::format("--view-pose {}: scale must be 0.5-2", spec));
      o.scale = *v;
    }
  }
  if (o.center_x_px.has_value() != o.center_y_px.has_value())
    return fail(ErrorCode::usage, fmt::format("--view-pose {}: give both x and y of the centre", spec));
  if (o.center_x_px && !o.angle_deg) o.angle_deg = 0.0;
  if (o.center_x_px && !o.scale) o.scale = 1.0;
  return {};
}

QJsonObject image_json(const services::AnalyzedImage& im) {
  QJsonObject o{{"path", q(im.path)}};
  if (im.result) o["result"] = kits::kit_result_to_json(*im.result);
  if (im.error)
    o["error"] = QJsonObject{{"error", q(std::string(error_info(im.error->code).name))}, {"message", q(im.error->message)}};
  QJsonArray reqs;
  for (const auto& r : im.requirements)
    reqs.append(QJsonObject{{"id", q(r.requirement.id)},
                            {"metric_key", q(r.requirement.metric_key)},
                            {"target", q(domain::describe_target(r.requirement))},
                            {"mandatory", r.requirement.mandatory},
                            {"measured", r.measured ? QJsonValue(*r.measured) : QJsonValue()},
                            {"unit", q(r.requirement.unit)},
                            {"verdict", q(std::string(domain::verdict_code(r.judgement.verdict)))},
                            {"reason", q(r.judgement.reason)}});
  o["requirements"] = reqs;
  if (!im.overlay_path.empty()) o["overlay"] = q(im.overlay_path);
  return o;
}

void print_one(std::ostream& out, const services::AnalyzedImage& im) {
  if (im.error) {
    out << im.path << ": " << error_info(im.error->code).name << ": " << im.error->message << "\n";
    return;
  }
  const auto& r = *im.result;
  const auto& l = r.located;
  out << reports::render_fields(
      {{"image", im.path},
       {"kit", fmt::format("{} {} ({})", r.kit_id, r.kit_version, r.phantom_id)},
       {"pixel pitch", fmt::format("{:g} × {:g} mm", r.pixel_mm_x, r.pixel_mm_y)},
       {"located", fmt::format("rotation {:.2f}°, scale {:.3f} × {:.3f}, residual {:.2f} px{}{}{}{}", l.rotation_deg, l.scale_x,
                               l.scale_y, l.residual_px, l.flipped_x ? ", flipped x" : "", l.flipped_y ? ", flipped y" : "",
                               l.inverted ? ", inverted" : "", l.overridden ? ", overridden" : "")}});
  reports::TextTable t{{"TEST", "STATUS", "RESULT", "RULE"}, {}, {}};
  for (const auto& e : r.tests)
    t.rows.push_back({e.test_id, e.status == kits::TestStatus::ran ? std::string(kits::verdict_name(e.verdict)) : "not run",
                      e.result_text, e.rule.empty() ? "" : fmt::format("{} ({:g})", e.rule, e.threshold)});
  out << "\n" << t.render();
  reports::TextTable m{{"METRIC", "VALUE", "UNIT"}, {}, {false, true, false}};
  for (const auto& e : r.tests)
    for (const auto& mv : e.metrics) m.rows.push_back({mv.key, fmt::format("{:.4g}", mv.value), mv.unit});
  out << "\n" << m.render();
  if (!im.requirements.empty()) {
    reports::TextTable rq{{"REQ", "METRIC", "TARGET", "VERDICT", "REASON"}, {}, {}};
    for (const auto& o : im.requirements)
      rq.rows.push_back({o.requirement.id, o.requirement.metric_key, domain::describe_target(o.requirement),
                         std::string(domain::verdict_code(o.judgement.verdict)), o.judgement.reason});
    out << "\n" << rq.render();
  }
  for (const auto& w : r.warnings) std::cerr << "warning: " << w << "\n";
  for (const auto& e : r.tests)
    for (const auto& w : e.warnings) std::cerr << "warning: " << e.test_id << ": " << w << "\n";
  if (!r.missing_features.empty()) {
    std::string s;
    for (const auto& f : r.missing_features) s += (s.empty() ? "" : ", ") + f;
    out << "missing (outside the image): " << s << "\n";
  }
  if (!im.overlay_path.empty()) out << "overlay: " << im.overlay_path << "\n";
}

void print_summary(std::ostream& out, const services::AnalyzeReport& rep) {
  reports::TextTable t{{"IMAGE", "LOCATED", "TESTS", "REQUIREMENTS"}, {}, {}};
  for (const auto& im : rep.images) {
    if (im.error) {
      t.rows.push_back({im.path, std::string("error: ") + im.error->message, "", ""});
      continue;
    }
    int ran = 0, passed = 0;
    for (const auto& e : im.result->tests) {
      ran += e.status == kits::TestStatus::ran;
      passed += e.verdict == kits::Verdict::pass;
    }
    int rp = 0, rf = 0;
    for (const auto& o : im.requirements)
      rp += o.judgement.verdict == domain::Verdict::pass, rf += o.judgement.verdict == domain::Verdict::fail;
    t.rows.push_back({im.path, fmt::format("{:.2f} px", im.result->located.residual_px), fmt::format("{} ran, {} pass", ran, passed),
                      rep.requirements_given ? fmt::format("{} pass, {} fail", rp, rf) : "-"});
  }
  out << t.render();
}

Status run_analyze(CliContext& ctx, AnalyzeArgs& a) {
  auto& req = a.request;
  req.options.pixel_mm_x = a.pitch.pixel_mm > 0 ? a.pitch.pixel_mm : a.pitch.pixel_mm_x;
  req.options.pixel_mm_y = a.pitch.pixel_mm > 0 ? a.pitch.pixel_mm : a.pitch.pixel_mm_y;
  if (!a.center.empty()) {
    if (a.center.size() != 2) return fail(ErrorCode::usage, "--center takes X Y (px)");
    req.options.overrides.center_x_px = a.center[0];
    req.options.overrides.center_y_px = a.center[1];
  }
  if (a.angle_deg) req.options.overrides.angle_deg = *a.angle_deg;
  if (a.scale) req.options.overrides.scale = *a.scale;
  if (a.flip_x) req.options.overrides.flip_x = true;
  if (a.flip_y) req.options.overrides.flip_y = true;
  if (req.options.overrides.center_x_px && !req.options.overrides.angle_deg) req.options.overrides.angle_deg = 0.0;
  if (req.options.overrides.center_x_px && !req.options.overrides.scale) req.options.overrides.scale = 1.0;
  auto polarity = parse_polarity(a.polarity, "--polarity");
  if (!polarity) return tl::unexpected(polarity.error());
  req.options.polarity = *polarity;
  for (const auto& spec : a.view_poses)
    if (auto ok = parse_view_pose(spec, req.options.view_overrides, req.views.size()); !ok) return ok;
  std::function<void(int, int)> progress;
  if (ctx.show_progress() && req.images.size() > 0)
    progress = [&ctx](int done, int total) {
      if (total < 2) return;
      const int width = 30, filled = width * done / total;
      *ctx.err << "\r[" << std::string(static_cast<std::size_t>(filled), '#') << std::string(static_cast<std::size_t>(width - filled), ' ')
               << "] " << done << "/" << total << std::flush;
      if (done == total) *ctx.err << "\n";
    };
  auto rep = services::analyze(req, progress);
  if (!rep) return tl::unexpected(rep.error());
  const bool single = rep->images.size() == 1;
  if (single && rep->images.front().error) return tl::unexpected(*rep->images.front().error);
  QJsonArray images;
  for (const auto& im : rep->images) images.append(image_json(im));
  QJsonObject doc{{"kit", q(rep->kit_id)},
                  {"images", images},
                  {"requirements_given", rep->requirements_given},
                  {"mandatory_failed", rep->mandatory_failed}};
  ctx.print(doc, [&](std::ostream& out) {
    if (single) {
      print_one(out, rep->images.front());
    } else {
      for (const auto& im : rep->images) {
        print_one(out, im);
        out << "\n";
      }
      print_summary(out, *rep);
    }
  });
  for (const auto& im : rep->images)
    if (im.error) return tl::unexpected(im.error->with_context("batch: first refused image"));
  if (rep->mandatory_failed > 0)
    return fail(ErrorCode::test_failed, fmt::format("{} mandatory requirement(s) failed", rep->mandatory_failed));
  return {};
}

void print_kit(std::ostream& out, const kits::KitInfo& k) {
  out << reports::render_fields({{"kit", k.id},
                                 {"version", k.version},
                                 {"title", k.title},
                                 {"standard", k.standard},
                                 {"default phantom", k.default_phantom},
                                 {"description", k.description}});
  for (const auto& t : k.tests) {
    out << "\n" << t.id << " — " << t.title << (t.needs_low_energy ? " (dual energy)" : "") << (t.needs_blanks ? " (blank images)" : "")
        << "\n  method: " << t.method << "\n  default threshold: " << t.default_threshold << "\n";
    for (const auto& m : t.metrics)
      out << "  " << m.key << " [" << (m.unit.empty() ? "-" : m.unit) << ", " << kits::better_name(m.better) << "]: " << m.description
          << "\n";
  }
}

}  // namespace

void register_iq_analyze_command(CLI::App& iq, CliContext& ctx) {
  auto* cmd = iq.add_subcommand("analyze", "Run a test kit (cargo, portable, cabinet) on scans of its phantom: locate the "
                                           "phantom, score every test, judge requirements, draw overlays");
  auto a = std::make_shared<AnalyzeArgs>();
  auto& r = a->request;
  cmd->add_option("--kit", r.kit_id, "Kit id (niikit kit list)")->required();
  cmd->add_option("IMAGE", r.images, "Scan(s) of the phantom, or folders of scans (TIFF/PNG; a two-page TIFF is a "
                                     "dual-energy pair, page 0 high, page 1 low)")
      ->required();
  cmd->add_option("--low-energy", r.low_energy, "Low-energy plane of a single dual-energy scan");
  cmd->add_option("--blank", r.blanks, "Blank (open-beam) image(s): portable NEQ and flatness");
  cmd->add_option("--view", r.views, "Further orientation(s) of the object (portable: 90°, 180°, 270°)");
  cmd->add_option("--phantom", r.phantom, "Phantom file or shipped id (default: the kit's phantom)");
  add_pitch_options(cmd, a->pitch, "image metadata");
  cmd->add_option("--requirements", r.requirements_path,
                  "Requirement list JSON (docs/requirements.md); the requirements on this kit's metric keys get "
                  "PASS/FAIL; exit 7 when a mandatory one fails");
  cmd->add_option("--overlay", r.overlay_path, "Write the annotated image of a single scan (PNG)");
  cmd->add_option("--overlay-dir", r.overlay_dir, "Write one annotated PNG per scan of a batch into this folder");
  cmd->add_option("--test", r.options.tests, "Run only these tests (ids from niikit kit show KIT); a named test that "
                                             "cannot run is an error");
  cmd->add_option("--center", a->center, "Override: phantom centre in the image, px (X Y)")->expected(2);
  cmd->add_option("--angle", a->angle_deg, "Override: phantom rotation, degrees (+ from +x to +y)");
  cmd->add_option("--scale", a->scale, "Override: magnification (1 = nominal pitch)")->check(CLI::Range(0.5, 2.0));
  cmd->add_flag("--flip-x", a->flip_x, "Override: the image is mirrored left-right");
  cmd->add_flag("--flip-y", a->flip_y, "Override: the image is mirrored top-bottom");
  cmd->add_option("--polarity", a->polarity, "Image polarity: normal (attenuation darker), inverted (log/inverted "
                                            "display) or auto (decided from the located object; default)")
      ->check(CLI::IsMember({"normal", "inverted", "auto"}));
  cmd->add_option("--view-pose", a->view_poses,
                  "Override for one --view image: N:x=X,y=Y,angle=DEG[,scale=S][,flip-x][,flip-y][,polarity=P] "
                  "(N counts the views from 1; the --center/--angle/--scale/--flip options are the scan's only)");
  cmd->add_option("--max-residual-px", r.options.max_residual_px, "Largest RMS fiducial fit residual accepted, px (default 1.5)")
      ->check(CLI::Range(0.01, 50.0));
  cmd->add_option("--penetration-t", r.options.penetration_t, "Welch t for a penetrated step (default 5)")
      ->check(CLI::Range(0.01, 100.0));
  cmd->add_option("--rose-k", r.options.rose_k, "Rose visibility threshold (default 5)")->check(CLI::Range(0.01, 100.0));
  cmd->add_option("--wire-false-alarm", r.options.wire_false_alarm, "False-alarm rate per wire search (default 0.01)")
      ->check(CLI::Range(0.0001, 0.5));
  cmd->add_option("--bar-modulation", r.options.bar_modulation, "Modulation for a resolved bar group (default 0.1)")
      ->check(CLI::Range(0.001, 1.0));
  cmd->add_option("--material-calibration", r.options.material_calibration,
                  "Material calibration name (dual-mev, dual-kv; default per kit)");
  cmd->add_option("--workers", r.workers, "Worker threads for batches (default 2)")->check(CLI::Range(1, 16));
  cmd->callback([&ctx, a] { ctx.action = [&ctx, a] { return run_analyze(ctx, *a); }; });
}

void register_kit_commands(CLI::App& root, CliContext& ctx) {
  auto* kit = root.add_subcommand("kit", "Image-quality test kits: list them, show their tests, methods, default "
                                         "thresholds and metric keys");
  kit->require_subcommand(1);
  auto* list = kit->add_subcommand("list", "The kits, one line each");
  list->callback([&ctx] {
    ctx.action = [&ctx]() -> Status {
      QJsonArray arr;
      for (const auto& k : kits::kit_registry()) arr.append(kits::kit_info_to_json(k));
      ctx.print(QJsonObject{{"kits", arr}}, [](std::ostream& out) {
        reports::TextTable t{{"KIT", "VERSION", "STANDARD", "PHANTOM", "TESTS"}, {}, {}};
        for (const auto& k : kits::kit_registry()) {
          std::string tests;
          for (const auto& ti : k.tests) tests += (tests.empty() ? "" : ", ") + ti.id;
          t.rows.push_back({k.id, k.version, k.standard, k.default_phantom, tests});
        }
        out << t.render();
      });
      return {};
    };
  });
  auto* show = kit->add_subcommand("show", "One kit: each test, its method, default threshold and metric keys");
  auto id = std::make_shared<std::string>();
  show->add_option("KIT", *id, "Kit id")->required();
  show->callback([&ctx, id] {
    ctx.action = [&ctx, id]() -> Status {
      const auto* k = kits::find_kit(*id);
      if (!k) return fail(ErrorCode::not_found, fmt::format("kit '{}' unknown (niikit kit list)", *id));
      ctx.print(kits::kit_info_to_json(*k), [k](std::ostream& out) { print_kit(out, *k); });
      return {};
    };
  });
}

}  // namespace niikit::cli
