// `niikit iq mtf IMAGE`: slanted-edge MTF of the one straight edge in an ROI
// (testkits/metrics/edge_mtf.hpp; method in docs/methods/mtf.md). Without --roi the strongest
// straight slanted edge of the image is searched for (testkits/metrics/edge_search.hpp) and the
// ROI chosen is reported; when the search finds none, the whole image is tried. The pixel pitch
// comes from the image metadata unless --pixel-mm / --pixel-mm-x / --pixel-mm-y override it.
#include <QJsonArray>
#include <QJsonObject>
#include <fmt/format.h>

#include <memory>
#include <optional>
#include <string>
#include <iostream>

#include "app/cli/commands.hpp"
#include "app/cli/pitch_options.hpp"
#include "reports/text_table.hpp"
#include "testkits/image/image.hpp"
#include "testkits/metrics/edge_mtf.hpp"
#include "testkits/metrics/edge_search.hpp"

namespace niikit::cli {

namespace {

namespace tk = niikit::testkits;

struct IqMtfOptions {
  std::string path;
  std::string roi;         // "X,Y,W,H"; empty = whole image
  PitchOptions pitch;
};

QJsonValue optional_json(const std::optional<double>& v) { return v ? QJsonValue(*v) : QJsonValue(); }

std::string cy_text(const std::optional<double>& v) { return v ? fmt::format("{:.4f}", *v) : "—"; }
std::string lp_text(const std::optional<double>& v) { return v ? fmt::format("{:.3f}", *v) : "—"; }

// Where the ROI came from: "option" (--roi), "edge-search" or "whole-image".
struct RoiChoice {
  std::string source = "option";
  std::optional<tk::EdgeSearchResult> search;
};

QJsonObject result_json(const tk::EdgeMtfResult& r, const RoiChoice& choice) {
  QJsonArray curve, warnings;
  for (const auto& p : r.curve) curve.append(QJsonObject{{"f_cy_px", p.f_cy_px}, {"mtf", p.mtf}});
  for (const auto& w : r.warnings) warnings.append(QString::fromStdString(w));
  return QJsonObject{{"edge_angle_deg", r.edge_angle_deg},
                     {"orientation", QString(QChar(r.orientation))},
                     {"roi", QString::fromStdString(tk::to_string(r.roi))},
                     {"roi_source", QString::fromStdString(choice.source)},
                     {"edge_search", choice.search ? QJsonValue(QJsonObject{{"step", choice.search->step},
                                                                             {"inlier_fraction", choice.search->inlier_fraction},
                                                                             {"tiles_scored", choice.search->tiles_scored}})
                                                   : QJsonValue()},
                     {"mtf50_cy_px", optional_json(r.mtf50_cy_px)},
                     {"mtf20_cy_px", optional_json(r.mtf20_cy_px)},
                     {"mtf10_cy_px", optional_json(r.mtf10_cy_px)},
                     {"mtf50_lp_mm", optional_json(r.mtf50_lp_mm)},
                     {"mtf20_lp_mm", optional_json(r.mtf20_lp_mm)},
                     {"mtf10_lp_mm", optional_json(r.mtf10_lp_mm)},
                     {"curve", curve},
                     {"warnings", warnings}};
}

void print_text(std::ostream& out, const std::string& path, const tk::EdgeMtfResult& r, const RoiChoice& choice) {
  const std::string axis = r.orientation == 'v' ? "x (near-vertical edge)" : "y (near-horizontal edge)";
  out << reports::render_fields(
      {{"image", path},
       {"roi", tk::to_string(r.roi) + (choice.source == "edge-search"   ? " (found by edge search)"
                                       : choice.source == "whole-image" ? " (whole image)"
                                                                        : "")},
       {"edge angle", fmt::format("{:.2f}°", r.edge_angle_deg)},
       {"MTF along", axis},
       {"pixel pitch", r.pixel_mm > 0 ? fmt::format("{:g} mm", r.pixel_mm) : std::string("unknown")}});
  reports::TextTable levels{{"", "CY/PX", "LP/MM"}, {}, {false, true, true}};
  levels.rows.push_back({"MTF50", cy_text(r.mtf50_cy_px), lp_text(r.mtf50_lp_mm)});
  levels.rows.push_back({"MTF20", cy_text(r.mtf20_cy_px), lp_text(r.mtf20_lp_mm)});
  levels.rows.push_back({"MTF10", cy_text(r.mtf10_cy_px), lp_text(r.mtf10_lp_mm)});
  out << "\n" << levels.render() << "\n";
  reports::TextTable curve{{"F CY/PX", "F LP/MM", "MTF"}, {}, {true, true, true}};
  for (double f : {0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5}) {
    const auto m = tk::mtf_at(r, f);
    curve.rows.push_back({fmt::format("{:.2f}", f), r.pixel_mm > 0 ? fmt::format("{:.3f}", f / r.pixel_mm) : "—",
                          m ? fmt::format("{:.3f}", *m) : "—"});
  }
  out << curve.render();
  for (const auto& w : r.warnings) std::cerr << "warning: " << w << "\n";
}

Status run_iq_mtf(CliContext& ctx, const IqMtfOptions& opts) {
  auto image = tk::read_image(opts.path);
  if (!image) return tl::unexpected(image.error());
  tk::EdgeMtfOptions o;
  if (!opts.roi.empty()) {
    auto roi = tk::parse_roi(opts.roi);
    if (!roi) return tl::unexpected(roi.error());
    o.roi = *roi;
  }
  std::tie(o.pixel_mm_x, o.pixel_mm_y) = opts.pitch.resolve(image->meta);
  RoiChoice choice;
  std::string search_error;
  if (!o.roi) {
    auto found = tk::find_strongest_edge(image->pixels);
    if (found) {
      o.roi = found->roi;
      choice = {"edge-search", *found};
    } else {
      choice.source = "whole-image";
      search_error = found.error().message;
    }
  }
  auto result = tk::measure_edge_mtf(image->pixels, o);
  if (!result) {
    const std::string where = choice.source == "edge-search" ? opts.path + ": ROI " + tk::to_string(*o.roi) +
                                                                   " found by the edge search"
                                                             : opts.path;
    auto error = result.error().with_context(where);
    if (!search_error.empty()) error.message += " (" + search_error + ")";
    return tl::unexpected(error);
  }
  if (choice.search)
    for (const auto& w : choice.search->warnings) result->warnings.push_back(w);
  if (choice.source == "whole-image")
    result->warnings.push_back("roi: the edge search found no slanted edge (" + search_error +
                               "); the whole image was measured");
  ctx.print(result_json(*result, choice), [&](std::ostream& out) { print_text(out, opts.path, *result, choice); });
  return {};
}

}  // namespace

void register_iq_mtf_command(CLI::App& iq, CliContext& ctx) {
  auto* cmd = iq.add_subcommand("mtf", "Slanted-edge MTF (ISO 12233 style) of the one straight edge in an image or "
                                       "ROI: edge angle, MTF50/20/10 in cy/px and lp/mm, the curve to Nyquist");
  auto opts = std::make_shared<IqMtfOptions>();
  cmd->add_option("IMAGE", opts->path, "Image with a straight edge tilted 2–10° (TIFF or PNG, linear intensities)")
      ->required();
  cmd->add_option("--roi", opts->roi,
                  "Region holding the edge (default: the strongest straight edge tilted 1.5–40° is searched for; the "
                  "ROI chosen is reported)")
      ->type_name("X,Y,W,H");
  add_pitch_options(cmd, opts->pitch, "image metadata");
  cmd->callback([&ctx, opts] { ctx.action = [&ctx, opts] { return run_iq_mtf(ctx, *opts); }; });
}

}  // namespace niikit::cli
