// `niikit report ...`: acceptance reports of test sessions and QC trends, written as PDF, XLSX,
// HTML or JSON by the writers of reports/ (the radiation survey report registers itself here
// through register_report_survey, cli_report_survey.cpp).
#include <QJsonDocument>
#include <QJsonObject>
#include <fmt/format.h>

#include <filesystem>
#include <memory>

#include "core/time_format.hpp"
#include "app/cli/cli_rad_views.hpp"
#include "app/cli/commands.hpp"
#include "app/cli/json_views.hpp"
#include "app/services/acceptance_report.hpp"
#include "db/database.hpp"
#include "reports/writers.hpp"

namespace niikit::cli {

namespace {

struct ReportOutput {
  std::string format;   // pdf | xlsx | html | json; default: from --out's extension
  std::string out;      // file to write
};

void add_output_options(CLI::App* cmd, ReportOutput& o, bool out_required) {
  auto* out = cmd->add_option("--out", o.out, "File to write (written atomically: complete or not at all)");
  if (out_required) out->required();
  cmd->add_option("--format", o.format,
                  "pdf | xlsx | html | json (default: from the --out file's extension)");
}

Result<reports::Format> resolve_format(const ReportOutput& o) {
  if (!o.format.empty()) return reports::parse_format(o.format);
  std::string ext = std::filesystem::path(o.out).extension().string();
  if (!ext.empty()) ext.erase(0, 1);
  auto f = reports::parse_format(ext);
  if (!f)
    return fail(ErrorCode::usage, fmt::format("--out {}: cannot tell the format from the extension; give --format "
                                              "pdf|xlsx|html|json",
                                              o.out));
  return f;
}

int count_rows(const reports::Report& r) {
  int n = 0;
  for (const auto& s : r.sections)
    for (const auto& b : s.blocks)
      if (const auto* t = std::get_if<reports::Table>(&b)) n += static_cast<int>(t->rows.size());
  return n;
}

// Writes the report and prints a one-line summary (or JSON: path, format, verdict, sizes).
Status write_and_tell(CliContext& ctx, const reports::Report& report, const ReportOutput& o) {
  auto format = resolve_format(o);
  if (!format) return tl::unexpected(format.error());
  std::unique_ptr<reports::GuiGuard> gui;
  if (*format == reports::Format::pdf) gui = reports::ensure_gui();
  if (auto st = reports::write_report(report, *format, o.out, reports::default_template_dir()); !st) return st;
  std::error_code ec;
  const auto bytes = std::filesystem::file_size(o.out, ec);
  const std::string verdict = report.overall_verdict ? reports::to_string(*report.overall_verdict) : "none";
  ctx.print(QJsonObject{{"path", qs(o.out)},
                        {"format", reports::to_string(*format)},
                        {"kind", qs(report.kind)},
                        {"title", qs(report.title)},
                        {"verdict", qs(verdict)},
                        {"sections", static_cast<int>(report.sections.size())},
                        {"table_rows", count_rows(report)},
                        {"signatures", static_cast<int>(report.signatures.size())},
                        {"size_bytes", static_cast<qint64>(ec ? 0 : bytes)}},
            [&](std::ostream& os) {
              os << fmt::format("{} written: {} ({}; verdict {}, {} sections, {} signatures, {} bytes)\n",
                                reports::to_string(*format), o.out, report.subtitle.empty() ? report.title : report.subtitle,
                                verdict, report.sections.size(), report.signatures.size(), ec ? 0 : bytes);
            });
  return {};
}

struct AcceptanceOptions {
  std::string scanner;
  std::string phase;
  std::int64_t session = 0;
  ReportOutput output;
};

Status run_acceptance(CliContext& ctx, const AcceptanceOptions& o) {
  if (o.session == 0 && (o.scanner.empty() || o.phase.empty()))
    return fail(ErrorCode::usage, "report acceptance: give --scanner and --phase, or --session");
  auto db = ctx.open_db();
  if (!db) return tl::unexpected(db.error());
  services::AcceptanceReportRequest request{o.scanner, o.phase, std::nullopt};
  if (o.session > 0) request.session_id = o.session;
  auto report = services::build_acceptance_report(*db, request, format_utc(ctx.clock.now()));
  if (!report) return tl::unexpected(report.error());
  return write_and_tell(ctx, *report, o.output);
}

struct TrendOptions {
  std::string scanner;
  std::string metric;
  ReportOutput output;
};

Status run_trend(CliContext& ctx, const TrendOptions& o) {
  auto db = ctx.open_db();
  if (!db) return tl::unexpected(db.error());
  auto report = services::build_trend_report(*db, o.scanner, o.metric, format_utc(ctx.clock.now()));
  if (!report) return tl::unexpected(report.error());
  if (!o.output.out.empty()) return write_and_tell(ctx, *report, o.output);
  // No file: the trend table on the terminal (or the report model as JSON).
  if (ctx.json) {
    ctx.print(QJsonDocument::fromJson(QByteArray::fromStdString(reports::to_json_text(*report))).object(), {});
    return {};
  }
  ctx.print({}, [&](std::ostream& os) {
    os << report->subtitle << "\n";
    for (const auto& s : report->sections)
      for (const auto& b : s.blocks)
        if (const auto* t = std::get_if<reports::Table>(&b)) {
          for (const auto& c : t->columns) os << fmt::format("{:<14}", c.header);
          os << "\n";
          for (const auto& row : t->rows) {
            for (const auto& cell : row.cells) os << fmt::format("{:<14}", cell);
            os << "\n";
          }
        }
  });
  return {};
}

}  // namespace

void register_report_commands(CLI::App& root, CliContext& ctx) {
  auto* group = root.add_subcommand("report", "Acceptance, survey and trend reports as PDF, XLSX, HTML or JSON");
  group->require_subcommand(1);

  auto* acc = group->add_subcommand(
      "acceptance", "Acceptance report of a test session: cover, requirement table with verdicts, kit runs with "
                    "annotated images and curves, measurements, deviations, signatures, versions and input hashes");
  auto a = std::make_shared<AcceptanceOptions>();
  acc->add_option("--scanner", a->scanner, "Scanner asset tag or id");
  acc->add_option("--phase", a->phase, "fat | sat | periodic | return-to-service (the newest session of the phase)");
  acc->add_option("--session", a->session, "A particular session id instead of --scanner/--phase");
  add_output_options(acc, a->output, true);
  acc->callback([&ctx, a] { ctx.action = [&ctx, a] { return run_acceptance(ctx, *a); }; });

  auto* trend = group->add_subcommand(
      "trend", "One metric over a scanner's closed sessions (periodic QC over time) against its requirement");
  auto t = std::make_shared<TrendOptions>();
  trend->add_option("--scanner", t->scanner, "Scanner asset tag or id")->required();
  trend->add_option("--metric", t->metric, "Metric key, e.g. cargo.mtf.mtf20_x_lp_mm")->required();
  add_output_options(trend, t->output, false);
  trend->callback([&ctx, t] { ctx.action = [&ctx, t] { return run_trend(ctx, *t); }; });

  register_report_survey(*group, ctx);
}

}  // namespace niikit::cli
