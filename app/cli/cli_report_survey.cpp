// `niikit report survey --survey ID --out FILE [--format pdf|xlsx|html|json]`: the radiation
// survey report (app/services/survey_report.hpp). Registered on the `report` group by
// cli_report.cpp through register_report_survey.
#include <QJsonObject>
#include <fmt/format.h>

#include <filesystem>
#include <memory>

#include "core/time_format.hpp"
#include "app/cli/cli_rad_views.hpp"
#include "app/cli/json_views.hpp"
#include "app/services/survey_report.hpp"
#include "db/database.hpp"
#include "reports/writers.hpp"

namespace niikit::cli {

namespace {

struct SurveyReportOptions {
  std::int64_t survey = 0;
  std::string format;
  std::string out;
};

Status run_survey_report(CliContext& ctx, const SurveyReportOptions& o) {
  std::string fmt_text = o.format;
  if (fmt_text.empty()) {
    fmt_text = std::filesystem::path(o.out).extension().string();
    if (!fmt_text.empty()) fmt_text.erase(0, 1);
  }
  auto format = reports::parse_format(fmt_text);
  if (!format)
    return fail(ErrorCode::usage, fmt::format("--out {}: cannot tell the format; give --format pdf|xlsx|html|json", o.out));
  auto db = ctx.open_db();
  if (!db) return tl::unexpected(db.error());
  auto report = services::rad::build_survey_report(*db, o.survey, format_utc(ctx.clock.now()));
  if (!report) return tl::unexpected(report.error());
  std::unique_ptr<reports::GuiGuard> gui;
  if (*format == reports::Format::pdf) gui = reports::ensure_gui();
  if (auto st = reports::write_report(*report, *format, o.out, reports::default_template_dir()); !st) return st;
  std::error_code ec;
  const auto bytes = std::filesystem::file_size(o.out, ec);
  const std::string verdict = report->overall_verdict ? reports::to_string(*report->overall_verdict) : "none";
  ctx.print(QJsonObject{{"path", qs(o.out)},
                        {"format", reports::to_string(*format)},
                        {"kind", "survey"},
                        {"survey_id", static_cast<double>(o.survey)},
                        {"verdict", qs(verdict)},
                        {"sections", static_cast<int>(report->sections.size())},
                        {"size_bytes", static_cast<double>(ec ? 0 : bytes)}},
            [&](std::ostream& out) {
              out << fmt::format("{} written: {} ({}; verdict {}, {} bytes)\n", reports::to_string(*format), o.out,
                                 report->subtitle, verdict, ec ? 0 : bytes);
            });
  return {};
}

}  // namespace

void register_report_survey(CLI::App& report_group, CliContext& ctx) {
  auto o = std::make_shared<SurveyReportOptions>();
  auto* cmd = report_group.add_subcommand(
      "survey", "Radiation survey report: conditions, meter and calibration (override notice), checks, point table "
                "with verdicts, dose-rate chart with zone limits, annual dose per zone, limits used, signatures");
  cmd->add_option("--survey", o->survey, "Survey id")->required();
  cmd->add_option("--out", o->out, "File to write (atomically)")->required();
  cmd->add_option("--format", o->format, "pdf | xlsx | html | json (default: from the --out extension)");
  cmd->callback([&ctx, o] { ctx.action = [&ctx, o] { return run_survey_report(ctx, *o); }; });
}

}  // namespace niikit::cli
