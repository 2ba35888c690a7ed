// `niikit iq roi`, `iq nps` and `iq neq`: noise measurements an engineer points at an image
// (DESIGN.md §3.2). ROI statistics, SNR, CNR and Rose visibility (docs/methods/roi-cnr-rose.md);
// NPS/NNPS of flat images with structured noise apart (docs/methods/nps-nnps.md); NEQ under
// the iec62220 or n4255 definition from edge MTFs and blanks (docs/methods/neq.md; n4255 also
// reports the SD over blanks, docs/methods/n4255.md). The metrics
// live in testkits/metrics; this file only reads images, resolves options and prints.
#include <QJsonArray>
#include <QJsonObject>
#include <fmt/format.h>

#include <memory>
#include <optional>
#include <ostream>
#include <iostream>

#include "app/cli/commands.hpp"
#include "app/cli/pitch_options.hpp"
#include "reports/text_table.hpp"
#include "testkits/image/image.hpp"
#include "testkits/metrics/edge_mtf.hpp"
#include "testkits/metrics/n4255.hpp"
#include "testkits/metrics/neq.hpp"
#include "testkits/metrics/noise_power.hpp"
#include "testkits/metrics/roi_stats.hpp"

namespace niikit::cli {

namespace {

namespace tk = niikit::testkits;

QString q(const std::string& s) { return QString::fromStdString(s); }
QJsonValue opt_json(const std::optional<double>& v) { return v ? QJsonValue(*v) : QJsonValue(); }
std::string num(double v) { return fmt::format("{:.6g}", v); }
QJsonArray string_list(const std::vector<std::string>& items) {
  QJsonArray a;
  for (const auto& i : items) a.append(q(i));
  return a;
}

// ---- iq roi -------------------------------------------------------------------------------

struct RoiOptions {
  std::string path;
  std::string roi;
  std::string background_roi;
  double rose_threshold = 5.0;
};

QJsonObject stats_json(const tk::RoiStats& s) {
  return QJsonObject{{"pixel_count", static_cast<double>(s.pixel_count)},
                     {"mean", s.mean},
                     {"median", s.median},
                     {"sigma", s.sigma},
                     {"robust_sigma", s.robust_sigma},
                     {"detrended_sigma", s.detrended_sigma},
                     {"min", s.min},
                     {"max", s.max},
                     {"snr", opt_json(s.snr)},
                     {"snr_detrended", opt_json(s.snr_detrended)}};
}

std::vector<std::pair<std::string, std::string>> stats_fields(const tk::RoiStats& s) {
  const auto opt = [](const std::optional<double>& v) { return v ? num(*v) : std::string("—"); };
  return {{"pixels", std::to_string(s.pixel_count)},
          {"mean", num(s.mean)},
          {"median", num(s.median)},
          {"sigma", num(s.sigma)},
          {"robust sigma (1.4826 MAD)", num(s.robust_sigma)},
          {"detrended sigma (plane removed)", num(s.detrended_sigma)},
          {"min / max", num(s.min) + " / " + num(s.max)},
          {"SNR (mean / sigma)", opt(s.snr)},
          {"SNR detrended", opt(s.snr_detrended)}};
}

Status run_roi(CliContext& ctx, const RoiOptions& o) {
  auto roi = tk::parse_roi(o.roi, "--roi");
  if (!roi) return tl::unexpected(roi.error());
  auto image = tk::read_image(o.path);
  if (!image) return tl::unexpected(image.error());
  auto stats = with_context(tk::measure_roi(image->pixels, *roi), o.path + ": --roi");
  if (!stats) return tl::unexpected(stats.error());
  QJsonObject json{{"file", q(o.path)}, {"roi", q(tk::to_string(*roi))}, {"roi_stats", stats_json(*stats)}};
  std::optional<tk::CnrResult> cnr;
  if (!o.background_roi.empty()) {
    auto bg_roi = tk::parse_roi(o.background_roi, "--background-roi");
    if (!bg_roi) return tl::unexpected(bg_roi.error());
    auto bg = with_context(tk::measure_roi(image->pixels, *bg_roi), o.path + ": --background-roi");
    if (!bg) return tl::unexpected(bg.error());
    auto c = with_context(tk::cnr_from_stats(*stats, *bg, {o.rose_threshold, tk::SigmaKind::detrended}), o.path);
    if (!c) return tl::unexpected(c.error());
    cnr = *c;
    json.insert("background_roi", q(tk::to_string(*bg_roi)));
    json.insert("background_stats", stats_json(*bg));
    json.insert("contrast", c->contrast);
    json.insert("cnr", c->cnr);
    json.insert("cnr_sigma", q(std::string(tk::sigma_kind_name(c->sigma_kind))));
    json.insert("background_sigma", c->background_sigma);
    json.insert("rose", c->rose);
    json.insert("rose_threshold", c->rose_threshold);
    json.insert("visible", c->visible);
  }
  ctx.print(json, [&](std::ostream& out) {
    out << o.path << ", ROI " << tk::to_string(*roi) << ":\n" << reports::render_fields(stats_fields(*stats));
    if (!cnr) return;
    out << "background ROI " << o.background_roi << ":\n" << reports::render_fields(stats_fields(cnr->background));
    out << reports::render_fields(
        {{"contrast |mu_f - mu_b|", num(cnr->contrast)},
         {"CNR (detrended background sigma)", num(cnr->cnr)},
         {"Rose = CNR x sqrt(pixels)", num(cnr->rose)},
         {"visible", fmt::format("{} (threshold {:g})", cnr->visible ? "yes" : "no", cnr->rose_threshold)}});
  });
  return {};
}

// ---- iq nps -------------------------------------------------------------------------------

struct NpsCliOptions {
  std::vector<std::string> paths;
  std::string roi;
  PitchOptions pitch;
  int tile_px = 128;
};

QJsonArray curve_json(const std::vector<tk::NnpsPoint>& curve) {
  QJsonArray a;
  for (const auto& p : curve) a.append(QJsonObject{{"frequency", p.frequency}, {"nnps", p.nnps}});
  return a;
}

QJsonObject nps_json(const NpsCliOptions& o, const std::string& roi, const tk::NpsResult& r) {
  QJsonArray files;
  for (const auto& p : o.paths) files.append(q(p));
  return QJsonObject{{"files", files},
                     {"roi", q(roi)},
                     {"pixel_mm_x", r.per_pixel ? QJsonValue() : QJsonValue(r.pixel_mm_x)},
                     {"pixel_mm_y", r.per_pixel ? QJsonValue() : QJsonValue(r.pixel_mm_y)},
                     {"frequency_unit", q(r.frequency_unit())},
                     {"nnps_unit", r.per_pixel ? "px2" : "mm2"},
                     {"tile_px", r.tile_px},
                     {"tiles_per_image", r.tiles_per_image},
                     {"image_count", r.image_count},
                     {"detrend_order", r.detrend_order},
                     {"axis_lines", r.axis_lines},
                     {"mean_signal", r.mean_signal},
                     {"variance_total", r.variance_total},
                     {"variance_tiles", r.variance_tiles},
                     {"nps_integral", r.nps_integral},
                     {"column_means_variance", r.column_means_variance},
                     {"row_means_variance", r.row_means_variance},
                     {"column_structured_variance", r.column_structured_variance},
                     {"row_structured_variance", r.row_structured_variance},
                     {"column_structured_fraction", r.column_structured_fraction},
                     {"row_structured_fraction", r.row_structured_fraction},
                     {"nnps_x", curve_json(r.nnps_x)},
                     {"nnps_y", curve_json(r.nnps_y)},
                     {"nnps_radial", curve_json(r.nnps_radial)}};
}

// A dozen rows sampled evenly from each curve.
std::string nps_table(const tk::NpsResult& r) {
  const std::string u = r.frequency_unit();
  reports::TextTable t{{"FX_" + u, "NNPS_X", "FY_" + u, "NNPS_Y", "F_" + u, "NNPS_RADIAL"}, {}, std::vector<bool>(6, true)};
  const auto pick = [](const std::vector<tk::NnpsPoint>& c, int i) {
    const auto k = (c.size() * static_cast<std::size_t>(i + 1)) / 12 - 1;
    return k < c.size() ? std::pair{num(c[k].frequency), num(c[k].nnps)} : std::pair{std::string("—"), std::string("—")};
  };
  for (int i = 0; i < 12; ++i) {
    const auto [fx, nx] = pick(r.nnps_x, i);
    const auto [fy, ny] = pick(r.nnps_y, i);
    const auto [fr, nr] = pick(r.nnps_radial, i);
    t.rows.push_back({fx, nx, fy, ny, fr, nr});
  }
  return t.render();
}

void print_nps_text(std::ostream& out, const tk::NpsResult& r, const std::string& roi) {
  out << fmt::format("NNPS of {} flat image(s), ROI {}, {} tiles of {} px per image, pitch {}\n", r.image_count, roi,
                     r.tiles_per_image, r.tile_px,
                     r.per_pixel ? std::string("unknown (per pixel)")
                                 : fmt::format("{:g} x {:g} mm", r.pixel_mm_x, r.pixel_mm_y));
  out << nps_table(r);
  out << reports::render_fields(
      {{"mean signal", num(r.mean_signal)},
       {"variance (detrended ROI)", num(r.variance_total)},
       {"NPS integral (= tile variance)", num(r.nps_integral)},
       {"column stripes variance", fmt::format("{} ({:.2f} % of total)", num(r.column_structured_variance),
                                               100.0 * r.column_structured_fraction)},
       {"row stripes variance", fmt::format("{} ({:.2f} % of total)", num(r.row_structured_variance),
                                            100.0 * r.row_structured_fraction)}});
}

// Flat (blank) images read in order; the pitch defaults from the first one's metadata.
struct Flats {
  std::vector<cv::Mat> pixels;
  tk::ImageMeta first_meta;
};

Result<Flats> read_flats(const std::vector<std::string>& paths) {
  Flats flats;
  for (const auto& path : paths) {
    auto image = tk::read_image(path);
    if (!image) return tl::unexpected(image.error());
    if (flats.pixels.empty()) flats.first_meta = image->meta;
    flats.pixels.push_back(image->pixels);
  }
  return flats;
}

Status run_nps(CliContext& ctx, const NpsCliOptions& o) {
  tk::NpsOptions options;
  options.tile_px = o.tile_px;
  if (!o.roi.empty()) {
    auto roi = tk::parse_roi(o.roi, "--roi");
    if (!roi) return tl::unexpected(roi.error());
    options.roi = *roi;
  }
  auto loaded = read_flats(o.paths);
  if (!loaded) return tl::unexpected(loaded.error());
  const std::vector<cv::Mat>& flats = loaded->pixels;
  std::tie(options.pixel_mm_x, options.pixel_mm_y) = o.pitch.resolve(loaded->first_meta);
  auto r = tk::measure_nps(flats, options);
  if (!r) return tl::unexpected(r.error());
  const std::string roi = tk::to_string(options.roi ? *options.roi : tk::full_roi(flats.front()));
  ctx.print(nps_json(o, roi, *r), [&](std::ostream& out) { print_nps_text(out, *r, roi); });
  return {};
}

// ---- iq neq -------------------------------------------------------------------------------

struct NeqCliOptions {
  std::vector<std::string> edges;
  std::vector<std::string> edge_rois;
  std::vector<std::string> flats;
  std::string flat_roi;
  PitchOptions pitch;
  std::vector<double> at_lp_mm{1.0};
  std::string definition = "iec62220";
};

struct EdgeCurves {
  std::vector<tk::MtfPoint> x, y;
  QJsonArray json;
  std::vector<std::string> warnings;
};

Result<EdgeCurves> measure_edges(const NeqCliOptions& o, double pixel_mm_x, double pixel_mm_y) {
  if (!o.edge_rois.empty() && o.edge_rois.size() != o.edges.size())
    return fail(ErrorCode::usage, "--edge-roi: give one per --edge image, or none");
  EdgeCurves curves;
  for (std::size_t i = 0; i < o.edges.size(); ++i) {
    tk::EdgeMtfOptions options;
    options.pixel_mm_x = pixel_mm_x;
    options.pixel_mm_y = pixel_mm_y;
    if (!o.edge_rois.empty()) {
      auto roi = tk::parse_roi(o.edge_rois[i], "--edge-roi");
      if (!roi) return tl::unexpected(roi.error());
      options.roi = *roi;
    }
    auto image = tk::read_image(o.edges[i]);
    if (!image) return tl::unexpected(image.error());
    auto mtf = with_context(tk::measure_edge_mtf(image->pixels, options), o.edges[i]);
    if (!mtf) return tl::unexpected(mtf.error());
    auto& target = mtf->orientation == 'v' ? curves.x : curves.y;
    if (!target.empty())
      return fail(ErrorCode::input, fmt::format("{}: a second edge giving the MTF along {}", o.edges[i],
                                                mtf->orientation == 'v' ? 'x' : 'y'));
    target = mtf->curve;
    for (const auto& w : mtf->warnings) curves.warnings.push_back(o.edges[i] + ": " + w);
    curves.json.append(QJsonObject{{"file", q(o.edges[i])},
                                   {"axis", mtf->orientation == 'v' ? "x" : "y"},
                                   {"edge_angle_deg", mtf->edge_angle_deg},
                                   {"mtf50_cy_px", opt_json(mtf->mtf50_cy_px)}});
  }
  return curves;
}

QJsonObject neq_map(const std::vector<tk::NeqAt>& values) {
  QJsonObject m;
  for (const auto& v : values) m.insert(q(fmt::format("{:g}", v.f_lp_mm)), opt_json(v.neq));
  return m;
}

// n4255 only: sample SD of the per-blank NEQ values (null with one blank or no value).
QJsonObject neq_sd_map(const std::vector<tk::n4255::NeqN4255Value>& values) {
  QJsonObject m;
  for (const auto& v : values) m.insert(q(fmt::format("{:g}", v.f_lp_mm)), opt_json(v.sd));
  return m;
}

void print_neq_text(std::ostream& out, const tk::NeqResult& r, const tk::NeqOptions& options,
                    const std::optional<tk::n4255::NeqN4255Result>& spread) {
  out << fmt::format("NEQ, definition {} (unit {}), {} blank(s), {} x {} px used, mean signal {}\n",
                     tk::neq_definition_name(r.definition), r.unit, r.blank_count, r.crop_width_px, r.crop_height_px,
                     num(r.mean_signal));
  const auto cell = [](const std::vector<tk::NeqAt>& v, std::size_t i) {
    return i < v.size() && v[i].neq ? num(*v[i].neq) : std::string("—");
  };
  const auto sd_cell = [](const std::vector<tk::n4255::NeqN4255Value>& v, std::size_t i) {
    return i < v.size() && v[i].sd ? num(*v[i].sd) : std::string("—");
  };
  reports::TextTable t{{"F_LP_MM", "NEQ_X", "NEQ_Y"}, {}, {true, true, true}};
  if (spread) t = reports::TextTable{{"F_LP_MM", "NEQ_X", "SD_X", "NEQ_Y", "SD_Y"}, {}, std::vector<bool>(5, true)};
  for (std::size_t i = 0; i < options.at_lp_mm.size(); ++i) {
    if (spread)
      t.rows.push_back({fmt::format("{:g}", options.at_lp_mm[i]), cell(r.neq_x_at, i), sd_cell(spread->x, i),
                        cell(r.neq_y_at, i), sd_cell(spread->y, i)});
    else
      t.rows.push_back({fmt::format("{:g}", options.at_lp_mm[i]), cell(r.neq_x_at, i), cell(r.neq_y_at, i)});
  }
  out << t.render();
  for (const auto& w : r.warnings) std::cerr << "warning: " << w << "\n";
}

Status run_neq(CliContext& ctx, const NeqCliOptions& o) {
  tk::NeqOptions options;
  options.definition = tk::parse_neq_definition(o.definition).value_or(tk::NeqDefinition::iec62220);
  options.at_lp_mm = o.at_lp_mm;
  if (!o.flat_roi.empty()) {
    auto roi = tk::parse_roi(o.flat_roi, "--flat-roi");
    if (!roi) return tl::unexpected(roi.error());
    options.flat_roi = *roi;
  }
  auto loaded = read_flats(o.flats);
  if (!loaded) return tl::unexpected(loaded.error());
  const std::vector<cv::Mat>& blanks = loaded->pixels;
  std::tie(options.pixel_mm_x, options.pixel_mm_y) = o.pitch.resolve(loaded->first_meta);
  auto edges = measure_edges(o, options.pixel_mm_x, options.pixel_mm_y);
  if (!edges) return tl::unexpected(edges.error());
  auto r = tk::compute_neq(edges->x, edges->y, blanks, options);
  if (!r) return tl::unexpected(r.error());
  r->warnings.insert(r->warnings.begin(), edges->warnings.begin(), edges->warnings.end());
  // n4255: the same means again per blank, for the spread over blanks (NIST reports it as the
  // NEQ uncertainty).
  std::optional<tk::n4255::NeqN4255Result> spread;
  if (options.definition == tk::NeqDefinition::n4255) {
    tk::n4255::NeqN4255Options so;
    so.pixel_mm_x = options.pixel_mm_x;
    so.pixel_mm_y = options.pixel_mm_y;
    so.at_lp_mm = options.at_lp_mm;
    so.blank_roi = options.flat_roi;
    so.max_side_mm = options.n4255_max_side_mm;
    auto s = tk::n4255::neq_n4255(blanks, edges->x, edges->y, so);
    if (!s) return tl::unexpected(s.error());
    spread = std::move(*s);
  }
  QJsonObject json{{"definition", q(std::string(tk::neq_definition_name(r->definition)))},
                         {"neq_unit", q(r->unit)},
                         {"neq_x_at", neq_map(r->neq_x_at)},
                         {"neq_y_at", neq_map(r->neq_y_at)},
                         {"mean_signal", r->mean_signal},
                         {"blank_count", r->blank_count},
                         {"crop_width_px", r->crop_width_px},
                         {"crop_height_px", r->crop_height_px},
                         {"pixel_mm_x", options.pixel_mm_x},
                         {"pixel_mm_y", options.pixel_mm_y},
                         {"edges", edges->json},
                         {"warnings", string_list(r->warnings)}};
  if (spread) {
    json.insert("neq_x_sd_at", neq_sd_map(spread->x));
    json.insert("neq_y_sd_at", neq_sd_map(spread->y));
  }
  ctx.print(json, [&](std::ostream& out) { print_neq_text(out, *r, options, spread); });
  return {};
}

void register_roi(CLI::App& iq, CliContext& ctx) {
  auto* cmd = iq.add_subcommand("roi", "ROI statistics and SNR; with a background ROI also CNR and Rose visibility");
  auto o = std::make_shared<RoiOptions>();
  cmd->add_option("IMAGE", o->path, "Image file (TIFF, PNG)")->required();
  cmd->add_option("--roi", o->roi, "Region (feature) in pixels")->type_name("X,Y,W,H")->required();
  cmd->add_option("--background-roi", o->background_roi, "Background region for CNR and Rose")->type_name("X,Y,W,H");
  cmd->add_option("--rose-threshold", o->rose_threshold, "Rose visibility threshold k (default 5)")
      ->check(CLI::PositiveNumber);
  cmd->callback([&ctx, o] { ctx.action = [&ctx, o] { return run_roi(ctx, *o); }; });
}

void register_nps(CLI::App& iq, CliContext& ctx) {
  auto* cmd = iq.add_subcommand("nps", "Noise power spectrum of flat images: NNPS along x, y and radial, mean signal, "
                                       "structured (row/column) noise");
  auto o = std::make_shared<NpsCliOptions>();
  cmd->add_option("FLAT_IMAGE", o->paths, "One or more flat (blank) images of the same size")->required();
  cmd->add_option("--roi", o->roi, "Region of every image (default: whole image)")->type_name("X,Y,W,H");
  add_pitch_options(cmd, o->pitch, "the first image's metadata");
  cmd->add_option("--tile-px", o->tile_px, "Tile side in pixels, even, 16-1024 (default 128, 50 % overlap)");
  cmd->callback([&ctx, o] { ctx.action = [&ctx, o] { return run_nps(ctx, *o); }; });
}

void register_neq(CLI::App& iq, CliContext& ctx) {
  auto* cmd = iq.add_subcommand("neq", "Noise-equivalent quanta from edge MTFs and blank images, definition iec62220 "
                                       "(MTF²/NNPS, 1/mm²) or n4255 (ANSI N42.55 as NIST scores it)");
  auto o = std::make_shared<NeqCliOptions>();
  cmd->add_option("--edge", o->edges, "Edge image(s): a near-vertical edge gives MTF along x, near-horizontal along y")
      ->required();
  cmd->add_option("--edge-roi", o->edge_rois, "Region of each edge image, in --edge order")->type_name("X,Y,W,H");
  cmd->add_option("--flat", o->flats, "Blank (flat) images of the same size")->required();
  cmd->add_option("--flat-roi", o->flat_roi, "Region of every blank (default: whole image)")->type_name("X,Y,W,H");
  add_pitch_options(cmd, o->pitch, "the first blank's metadata");
  cmd->add_option("--at-lp-mm", o->at_lp_mm, "Frequencies to report, lp/mm (default 1)")->check(CLI::PositiveNumber);
  cmd->add_option("--definition", o->definition,
                  "iec62220 (default): MTF²/NNPS in 1/mm²; n4255: ANSI N42.55 as NIST scores it, S²·MTF²/NPS of "
                  "row/column DFTs of a ≤ 50 mm crop, dimensionless, with the SD over blanks")
      ->check(CLI::IsMember({"iec62220", "n4255"}));
  cmd->callback([&ctx, o] { ctx.action = [&ctx, o] { return run_neq(ctx, *o); }; });
}

}  // namespace

void register_iq_noise_commands(CLI::App& iq, CliContext& ctx) {
  register_roi(iq, ctx);
  register_nps(iq, ctx);
  register_neq(iq, ctx);
}

}  // namespace niikit::cli
