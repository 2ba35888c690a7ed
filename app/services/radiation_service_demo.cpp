// The demo's radiation records: a licence, a calibrated meter and a passed commissioning
// survey with realistic points (see radiation_service.hpp record_demo_radiation).
#include <fmt/format.h>

#include <chrono>

#include "core/time_format.hpp"
#include "app/services/radiation_service.hpp"

namespace niikit::services::rad {

namespace {

struct DemoPoint {
  const char* label;
  const char* zone;
  double distance_m;
  double dose_rate_usv_h;
  double occupancy_factor;
  const char* note;
};

// Dose rates typical of a 6 MeV linac portal with a loaded container in the beam: a few µSv/h
// at the supervised-area fence, well under 1 µSv/h above background in the operator cabin.
constexpr DemoPoint demo_points[] = {
    {"B1", "public_boundary", 12.0, 0.45, 0.25, "boundary fence, north"},
    {"B2", "public_boundary", 12.0, 0.80, 0.25, "boundary fence, east (beam side)"},
    {"B3", "public_boundary", 14.0, 1.20, 0.0625, "boundary fence, south gate"},
    {"B4", "public_boundary", 12.0, 0.35, 0.25, "boundary fence, west"},
    {"OP1", "operator_position", 25.0, 0.18, 1.0, "operator cabin, console"},
    {"OP2", "operator_position", 25.0, 0.16, 1.0, "operator cabin, door"},
    {"D1", "driver_waiting_area", 30.0, 0.30, 0.25, "driver waiting shelter"},
    {"S1", "supervised", 8.0, 3.50, 0.1, "supervised-area fence, beam side"},
    {"S2", "supervised", 8.0, 1.90, 0.1, "supervised-area fence, rear"},
    {"C1", "controlled", 3.0, 45.0, 0.01, "inside the exclusion zone, beam stop side"},
};

}  // namespace

Result<DemoRadiation> record_demo_radiation(db::Database& db, const std::string& scanner, const std::string& rso,
                                            const std::string& date) {
  auto person = get_person(db, rso);
  if (!person) return tl::unexpected(person.error());
  auto sc = get_scanner(db, scanner);
  if (!sc) return tl::unexpected(sc.error());
  const auto day = parse_utc(date);
  if (!day || date.size() != 10) return fail(ErrorCode::input, fmt::format("date '{}': expected YYYY-MM-DD", date));
  using std::chrono::days;
  DemoRadiation out;

  LicenceInput lic;
  lic.regulator = "National Radiation Protection Authority";
  lic.number = sc->asset_tag + "-LIC";
  lic.type = "use";
  lic.scope = fmt::format("Operation of the {} {} cargo scanner{}", sc->manufacturer, sc->model,
                          sc->site_name.empty() ? "" : " at " + sc->site_name);
  lic.conditions = "Controlled and supervised areas marked and fenced; annual survey; RSO on site during scanning";
  lic.issued = date;
  lic.expires = format_date(*day + days{5 * 365});
  lic.scanners = {sc->asset_tag};
  auto licence = add_licence(db, person->name, lic);
  if (!licence) return tl::unexpected(licence.error());
  out.licence_id = licence->licence.id;

  const std::string meter_serial = "DEMO-SM-" + sc->asset_tag;
  MeterInput m{"Thermo Fisher", "FH 40 G-L10", meter_serial, "proportional", "CAL-" + sc->asset_tag + "-01",
               format_date(*day - days{60}), format_date(*day - days{60} + days{365}), "Secondary standards laboratory"};
  auto meter = add_meter(db, person->name, m);
  if (!meter) return tl::unexpected(meter.error());
  out.meter_id = meter->id;

  SurveyInput s;
  s.scanner = sc->asset_tag;
  s.type = "commissioning";
  s.date = date;
  s.meter = meter_serial;
  s.surveyor = person->name;
  s.energy_mode = sc->energy_mev ? fmt::format("{:g} MeV{}", *sc->energy_mev, sc->dual_energy ? " dual energy" : "")
                                 : std::string("nominal");
  s.scan_mode = "drive-through, continuous scanning at 20 scans/h";
  s.object_in_beam = "20 ft container loaded with 10 t of steel scatter blocks";
  s.background_usv_h = 0.12;
  s.interlock = s.estop = s.warning_light = s.signage = "pass";
  auto survey = add_survey(db, person->name, s);
  if (!survey) return tl::unexpected(survey.error());
  out.survey_id = survey->id;

  for (const auto& p : demo_points) {
    Fields f{{"label", p.label},
             {"zone", p.zone},
             {"distance_m", fmt::format("{:g}", p.distance_m)},
             {"dose_rate_usv_h", fmt::format("{:g}", p.dose_rate_usv_h)},
             {"occupancy_factor", fmt::format("{:g}", p.occupancy_factor)},
             {"scans_per_h", "20"},
             {"scans_per_year", "40000"},
             {"note", p.note}};
    auto point = add_point(db, person->name, survey->id, f);
    if (!point) return tl::unexpected(point.error());
  }
  auto closed = close_survey(db, person->name, survey->id, "");
  if (!closed) return tl::unexpected(closed.error());
  out.verdict = closed->survey.verdict.value_or("");
  return out;
}

}  // namespace niikit::services::rad
