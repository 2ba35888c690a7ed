// `niikit iq steps`: step-wedge / penetration statistics (DESIGN.md §3.2; method:
// docs/methods/step-wedge.md). Per step a target and a background ROI; CNR and a Welch t with
// an effective sample size corrected for correlated noise; penetration = the thickest step that
// passes with every thinner one. The metric lives in testkits/metrics/step_wedge; this file only
// reads the image, resolves options and prints.
#include <QJsonArray>
#include <QJsonObject>
#include <fmt/format.h>

#include <memory>
#include <optional>
#include <ostream>
#include <iostream>

#include "app/cli/commands.hpp"
#include "reports/text_table.hpp"
#include "testkits/image/image.hpp"
#include "testkits/metrics/step_wedge.hpp"

namespace niikit::cli {

namespace {

namespace tk = niikit::testkits;

QString q(const std::string& s) { return QString::fromStdString(s); }
std::string num(double v) { return fmt::format("{:.4g}", v); }

struct StepsOptions {
  std::string path;
  std::vector<std::string> steps;
  std::string rule = "welch_t";
  double threshold = 5.0;
};

QJsonObject step_json(const tk::StepResult& s) {
  return QJsonObject{{"thickness_mm", s.thickness_mm},
                     {"target_roi", q(tk::to_string(s.target_roi))},
                     {"background_roi", q(tk::to_string(s.background_roi))},
                     {"target_mean", s.target.mean},
                     {"background_mean", s.background.mean},
                     {"target_sigma", s.target.detrended_sigma},
                     {"background_sigma", s.background.detrended_sigma},
                     {"contrast", s.contrast},
                     {"cnr", s.cnr},
                     {"t_welch", s.t_welch},
                     {"t_naive", s.t_naive},
                     {"n_target", static_cast<double>(s.target.pixel_count)},
                     {"n_background", static_cast<double>(s.background.pixel_count)},
                     {"n_eff_target", s.n_eff_target},
                     {"n_eff_background", s.n_eff_background},
                     {"variance_inflation", s.neff.inflation},
                     {"rho_x1", s.neff.rho_x1},
                     {"rho_x2", s.neff.rho_x2},
                     {"rho_y1", s.neff.rho_y1},
                     {"rho_y2", s.neff.rho_y2},
                     {"dof", s.dof},
                     {"p_value", s.p_value ? QJsonValue(*s.p_value) : QJsonValue()},
                     {"pass", s.pass},
                     {"starved", s.starved},
                     {"saturated", s.saturated}};
}

QJsonObject result_json(const std::string& path, const tk::StepWedgeResult& r) {
  QJsonArray steps, warnings;
  for (const auto& s : r.steps) steps.append(step_json(s));
  for (const auto& w : r.warnings) warnings.append(q(w));
  return QJsonObject{{"file", q(path)},
                     {"rule", q(std::string(tk::step_rule_name(r.rule)))},
                     {"threshold", r.threshold},
                     {"steps", steps},
                     {"penetration_mm", r.penetration_mm ? QJsonValue(*r.penetration_mm) : QJsonValue()},
                     {"monotone", r.monotone},
                     {"warnings", warnings}};
}

void print_text(std::ostream& out, const std::string& path, const tk::StepWedgeResult& r) {
  out << fmt::format("{}: step wedge, rule {} (threshold {:g})\n", path, tk::step_rule_name(r.rule), r.threshold);
  reports::TextTable t{{"STEP", "THICKNESS_MM", "TARGET_MEAN", "BG_MEAN", "TARGET_SIGMA", "BG_SIGMA", "CNR", "T_WELCH",
                        "N_EFF_BG", "PASS"},
                       {},
                       {true, true, true, true, true, true, true, true, true, false}};
  for (std::size_t i = 0; i < r.steps.size(); ++i) {
    const auto& s = r.steps[i];
    t.rows.push_back({std::to_string(i + 1), fmt::format("{:g}", s.thickness_mm), num(s.target.mean),
                      num(s.background.mean), num(s.target.detrended_sigma), num(s.background.detrended_sigma),
                      num(s.cnr), num(s.t_welch), num(s.n_eff_background), s.pass ? "yes" : "no"});
  }
  out << t.render();
  out << (r.penetration_mm ? fmt::format("penetration {:g} mm\n", *r.penetration_mm)
                           : std::string("penetration: none (the thinnest step fails)\n"));
  for (const auto& w : r.warnings) std::cerr << "warning: " << w << "\n";
}

Status run_steps(CliContext& ctx, const StepsOptions& o) {
  std::vector<tk::WedgeStep> steps;
  for (const auto& text : o.steps) {
    auto step = tk::parse_wedge_step(text, "--step");
    if (!step) return tl::unexpected(step.error());
    steps.push_back(*step);
  }
  tk::StepWedgeOptions options;
  options.rule = tk::parse_step_rule(o.rule).value_or(tk::StepRule::welch_t);
  options.threshold = o.threshold;
  auto image = tk::read_image(o.path);
  if (!image) return tl::unexpected(image.error());
  auto r = with_context(tk::measure_step_wedge(image->pixels, steps, options), o.path);
  if (!r) return tl::unexpected(r.error());
  ctx.print(result_json(o.path, *r), [&](std::ostream& out) { print_text(out, o.path, *r); });
  return {};
}

}  // namespace

void register_iq_steps_command(CLI::App& iq, CliContext& ctx) {
  auto* cmd = iq.add_subcommand("steps", "Step wedge / penetration: per step CNR and a Welch t corrected for "
                                         "correlated noise; penetration = thickest step that passes");
  auto o = std::make_shared<StepsOptions>();
  cmd->add_option("IMAGE", o->path, "Image file (TIFF, PNG)")->required();
  cmd->add_option("--step", o->steps, "A step: thickness, target ROI (behind the feature), background ROI beside it")
      ->type_name("THICKNESS_MM:X,Y,W,H:X,Y,W,H")
      ->required();
  cmd->add_option("--rule", o->rule, "Pass rule: welch_t (|t| >= threshold, default) or cnr")
      ->check(CLI::IsMember({"welch_t", "cnr"}));
  cmd->add_option("--threshold", o->threshold, "Threshold on |t| or CNR (default 5)")->check(CLI::PositiveNumber);
  cmd->callback([&ctx, o] { ctx.action = [&ctx, o] { return run_steps(ctx, *o); }; });
}

}  // namespace niikit::cli
