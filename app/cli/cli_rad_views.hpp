// JSON forms of the radiation safety records for `niikit rad ... --json` (documented in
// docs/cli-json.md, "Radiation safety"), and the registration of the `rad survey` and
// `report survey` subcommands, which live in their own files. Keys are lower case with units
// in their names, as in the database columns. Not thread-safe (CLI only).
#pragma once

#include <CLI/CLI.hpp>
#include <QJsonObject>

#include "app/cli/cli_context.hpp"
#include "app/services/radiation_service.hpp"

namespace niikit::cli {

QJsonObject to_json(const services::rad::LicenceView& v);
QJsonObject to_json(const services::rad::SourceView& v);
QJsonObject to_json(const db::rad::LeakTest& t);
QJsonObject to_json(const db::rad::Transfer& t);
QJsonObject to_json(const db::rad::Meter& m);
QJsonObject to_json(const db::rad::Survey& s);
QJsonObject to_json(const db::rad::SurveyPoint& p);
QJsonObject to_json(const db::rad::FollowUp& f);
QJsonObject to_json(const domain::rad::ZoneAnnual& z);
QJsonObject to_json(const services::rad::SurveyView& v);
QJsonObject to_json(const services::ImportResult& r, const std::string& file);

// `rad survey add|point add|import|close|show|list` (cli_rad_survey.cpp).
void register_rad_survey_commands(CLI::App& rad, CliContext& ctx);

// `report survey` on the `report` group (cli_report_survey.cpp); called by cli_report.cpp.
void register_report_survey(CLI::App& report_group, CliContext& ctx);

}  // namespace niikit::cli
