#include "app/domain/radiation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>

namespace niikit::domain::rad {

namespace {
constexpr std::array<std::string_view, 5> licence_type_codes{"possession", "use", "transport", "import", "exemption"};
constexpr std::array<std::string_view, 3> licence_status_codes{"active", "suspended", "terminated"};
constexpr std::array<std::string_view, 3> isotope_codes{"co60", "cs137", "other"};
constexpr std::array<std::string_view, 3> generator_codes{"xray", "linac", "betatron"};
constexpr std::array<std::string_view, 6> source_status_codes{"in_use",   "in_storage", "in_transit",
                                                              "returned", "disposed",   "disabled"};
constexpr std::array<std::string_view, 4> transfer_codes{"receipt", "transfer", "return", "disposal"};
constexpr std::array<std::string_view, 6> detector_codes{"ionisation_chamber", "gm",           "proportional",
                                                         "scintillator",       "semiconductor", "other"};
constexpr std::array<std::string_view, 5> survey_codes{"commissioning", "periodic", "post_maintenance", "post_incident",
                                                       "decommissioning_clearance"};
constexpr std::array<std::string_view, 5> zone_codes{"controlled", "supervised", "public_boundary",
                                                     "operator_position", "driver_waiting_area"};
constexpr std::array<std::string_view, 3> check_codes{"pass", "fail", "not_checked"};
constexpr std::array<std::string_view, 2> category_codes{"occupational", "public"};

// The settings: key, default, unit, meaning. Zone keys are generated per zone below.
std::vector<SettingInfo> build_settings() {
  return {
      {"limit_usv_h.controlled", "none", "µSv/h",
       "dose-rate limit inside the controlled area ('none': judged on projected annual dose only)"},
      {"limit_usv_h.supervised", "7.5", "µSv/h", "dose-rate limit in the supervised area (below the controlled-area level)"},
      {"limit_usv_h.public_boundary", "2.5", "µSv/h", "dose rate at the system boundary (IEC 62523)"},
      {"limit_usv_h.operator_position", "1.0", "µSv/h", "dose rate above background at operator positions (IEC 62523)"},
      {"limit_usv_h.driver_waiting_area", "1.0", "µSv/h", "dose rate above background where drivers wait"},
      {"net_of_background.controlled", "no", "", "judge controlled-area points net of background"},
      {"net_of_background.supervised", "no", "", "judge supervised-area points net of background"},
      {"net_of_background.public_boundary", "no", "", "judge boundary points net of background (IEC 62523: gross)"},
      {"net_of_background.operator_position", "yes", "", "judge operator positions net of background (IEC 62523)"},
      {"net_of_background.driver_waiting_area", "yes", "", "judge driver waiting areas net of background"},
      {"annual_class.controlled", "occupational", "", "annual limit applied to the controlled area"},
      {"annual_class.supervised", "occupational", "", "annual limit applied to the supervised area"},
      {"annual_class.public_boundary", "public", "", "annual limit applied at the boundary"},
      {"annual_class.operator_position", "occupational", "", "annual limit applied at operator positions"},
      {"annual_class.driver_waiting_area", "public", "", "annual limit applied where drivers wait"},
      {"occupational_annual_limit_msv", "20", "mSv", "occupational effective dose per year (ICRP 103, 5-year average)"},
      {"occupational_single_year_limit_msv", "50", "mSv", "occupational effective dose in any single year"},
      {"occupational_five_year_limit_msv", "100", "mSv", "occupational effective dose over 5 consecutive years"},
      {"public_annual_limit_msv", "1", "mSv", "public effective dose per year"},
      {"skin_annual_limit_msv", "500", "mSv", "occupational Hp(0.07) per year"},
      {"investigation_annual_msv", "6", "mSv", "annual Hp(10) at which an investigation is opened"},
      {"operating_hours_per_year", "2000", "h", "beam hours per year when a survey point gives no workload"},
      {"leak_test_limit_bq", "185", "Bq", "removable activity limit of a wipe test (ISO 9978)"},
      {"leak_test_interval_months", "6", "months", "a sealed source's leak test falls due this long after the last"},
      {"survey_period_months", "12", "months", "a passed survey stays valid this long"},
      {"due_soon_days", "30", "days", "`rad due` lists what falls due within this many days"},
  };
}

std::string_view after_dot(std::string_view key) { return key.substr(key.find('.') + 1); }

Result<double> number_in(std::string_view key, std::string_view value, double lo, double hi) {
  return parse_number(key, value, lo, hi);
}
}  // namespace

const Vocabulary& licence_types() { static const Vocabulary v{"licence_type", licence_type_codes}; return v; }
const Vocabulary& licence_statuses() { static const Vocabulary v{"status", licence_status_codes}; return v; }
const Vocabulary& isotopes() { static const Vocabulary v{"isotope", isotope_codes}; return v; }
const Vocabulary& generator_types() { static const Vocabulary v{"generator_type", generator_codes}; return v; }
const Vocabulary& source_statuses() { static const Vocabulary v{"status", source_status_codes}; return v; }
const Vocabulary& transfer_kinds() { static const Vocabulary v{"transfer_kind", transfer_codes}; return v; }
const Vocabulary& detector_types() { static const Vocabulary v{"detector_type", detector_codes}; return v; }
const Vocabulary& survey_types() { static const Vocabulary v{"survey_type", survey_codes}; return v; }
const Vocabulary& zone_classes() { static const Vocabulary v{"zone_class", zone_codes}; return v; }
const Vocabulary& check_results() { static const Vocabulary v{"check", check_codes}; return v; }
const Vocabulary& worker_categories() { static const Vocabulary v{"category", category_codes}; return v; }

std::string_view zone_code(Zone zone) { return zone_codes[static_cast<std::size_t>(zone)]; }
std::optional<Zone> parse_zone(std::string_view code) {
  for (auto z : all_zones)
    if (zone_code(z) == code) return z;
  return std::nullopt;
}
std::string_view dose_class_code(DoseClass c) { return c == DoseClass::occupational ? "occupational" : "public"; }

std::optional<Check> parse_check(std::string_view code) {
  if (code == "pass") return Check::pass;
  if (code == "fail") return Check::fail;
  if (code == "not_checked") return Check::not_checked;
  return std::nullopt;
}
std::string_view check_code(Check c) { return check_codes[static_cast<std::size_t>(c)]; }

const std::vector<SettingInfo>& radiation_setting_table() {
  static const std::vector<SettingInfo> table = build_settings();
  return table;
}

Status check_setting(std::string_view key, std::string_view value) {
  std::map<std::string, std::string> one{{std::string(key), std::string(value)}};
  auto s = settings_from(one);
  if (!s) return tl::unexpected(s.error());
  return {};
}

std::map<std::string, std::string> full_setting_values(const std::map<std::string, std::string>& overrides) {
  std::map<std::string, std::string> all;
  for (const auto& info : radiation_setting_table()) all[std::string(info.key)] = std::string(info.default_text);
  for (const auto& [k, v] : overrides) all[k] = v;
  return all;
}

Result<RadiationSettings> settings_from(const std::map<std::string, std::string>& values) {
  for (const auto& [k, v] : values) {
    const auto& table = radiation_setting_table();
    if (std::none_of(table.begin(), table.end(), [&](const SettingInfo& i) { return i.key == k; }))
      return fail(ErrorCode::input, fmt::format("setting '{}': unknown (see `niikit rad settings show`)", k));
  }
  RadiationSettings s;
  for (const auto& [key, value] : full_setting_values(values)) {
    const std::string_view k = key;
    if (k.starts_with("limit_usv_h.")) {
      auto zone = parse_zone(after_dot(k));
      if (value == "none") {
        s.zones[static_cast<std::size_t>(*zone)].limit_usv_h = std::nullopt;
      } else {
        auto n = number_in(k, value, 0, 1e6);
        if (!n) return tl::unexpected(n.error());
        s.zones[static_cast<std::size_t>(*zone)].limit_usv_h = *n;
      }
    } else if (k.starts_with("net_of_background.")) {
      auto b = parse_yes_no(k, value);
      if (!b) return tl::unexpected(b.error());
      s.zones[static_cast<std::size_t>(*parse_zone(after_dot(k)))].net_of_background = *b;
    } else if (k.starts_with("annual_class.")) {
      if (value != "occupational" && value != "public")
        return fail(ErrorCode::input, fmt::format("setting {} '{}': expected occupational or public", k, value));
      s.zones[static_cast<std::size_t>(*parse_zone(after_dot(k)))].annual_class =
          value == "occupational" ? DoseClass::occupational : DoseClass::public_exposure;
    } else {
      const bool whole = k.ends_with("_months") || k.ends_with("_days");
      auto n = number_in(k, value, whole ? 1 : 0, whole ? 3650 : 1e9);
      if (!n) return tl::unexpected(n.error());
      if (whole && std::floor(*n) != *n)
        return fail(ErrorCode::input, fmt::format("setting {} '{}': expected a whole number", k, value));
      const double d = *n;
      if (k == "occupational_annual_limit_msv") s.occupational_annual_limit_msv = d;
      else if (k == "occupational_single_year_limit_msv") s.occupational_single_year_limit_msv = d;
      else if (k == "occupational_five_year_limit_msv") s.occupational_five_year_limit_msv = d;
      else if (k == "public_annual_limit_msv") s.public_annual_limit_msv = d;
      else if (k == "skin_annual_limit_msv") s.skin_annual_limit_msv = d;
      else if (k == "investigation_annual_msv") s.investigation_annual_msv = d;
      else if (k == "operating_hours_per_year") {
        if (d <= 0 || d > 8784) return fail(ErrorCode::input, fmt::format("setting {} '{}': expected 0 < h ≤ 8784", k, value));
        s.operating_hours_per_year = d;
      } else if (k == "leak_test_limit_bq") {
        if (d <= 0) return fail(ErrorCode::input, fmt::format("setting {} '{}': must be > 0", k, value));
        s.leak_test_limit_bq = d;
      } else if (k == "leak_test_interval_months") s.leak_test_interval_months = static_cast<int>(d);
      else if (k == "survey_period_months") s.survey_period_months = static_cast<int>(d);
      else if (k == "due_soon_days") s.due_soon_days = static_cast<int>(d);
    }
  }
  return s;
}

PointResult evaluate_point(const PointInput& in, double background_usv_h, const RadiationSettings& s) {
  const ZoneRule& rule = s.zone(in.zone);
  PointResult r;
  const double net = std::max(0.0, in.dose_rate_usv_h - background_usv_h);
  r.net_of_background = rule.net_of_background;
  r.judged_rate_usv_h = rule.net_of_background ? net : in.dose_rate_usv_h;
  r.limit_usv_h = rule.limit_usv_h;
  r.pass = !rule.limit_usv_h || r.judged_rate_usv_h <= *rule.limit_usv_h;
  const double t = in.occupancy_factor;
  if (in.dose_per_scan_usv && in.scans_per_year) {
    r.projected_annual_usv = *in.dose_per_scan_usv * *in.scans_per_year * t;
    r.annual_basis = fmt::format("{:g} µSv/scan × {:g} scans/y × T {:g}", *in.dose_per_scan_usv, *in.scans_per_year, t);
  } else if (in.scans_per_year && in.scans_per_h) {
    const double hours = *in.scans_per_year / *in.scans_per_h;
    r.projected_annual_usv = net * hours * t;
    r.annual_basis = fmt::format("{:g} µSv/h net × {:g} h ({:g} scans/y ÷ {:g} scans/h) × T {:g}", net, hours,
                                 *in.scans_per_year, *in.scans_per_h, t);
  } else {
    r.projected_annual_usv = net * s.operating_hours_per_year * t;
    r.annual_basis = fmt::format("{:g} µSv/h net × {:g} h/y × T {:g}", net, s.operating_hours_per_year, t);
  }
  return r;
}

std::vector<ZoneAnnual> zone_annual_doses(const std::vector<JudgedPoint>& points, const RadiationSettings& s) {
  std::vector<ZoneAnnual> out;
  for (auto z : all_zones) {
    ZoneAnnual za;
    za.zone = z;
    za.annual_class = s.zone(z).annual_class;
    za.limit_msv = s.annual_limit_msv(za.annual_class);
    for (const auto& p : points) {
      if (p.input.zone != z) continue;
      const double msv = p.result.projected_annual_usv / 1000.0;
      if (za.points == 0 || msv > za.max_projected_msv) {
        za.max_projected_msv = msv;
        za.worst_point = p.label;
      }
      ++za.points;
    }
    if (za.points == 0) continue;
    za.pass = za.max_projected_msv <= za.limit_msv;
    out.push_back(za);
  }
  return out;
}

Result<SurveyJudgement> judge_survey(std::string_view survey_type, const std::vector<JudgedPoint>& points,
                                     const SafetyChecks& checks, const RadiationSettings& s) {
  if (points.empty()) return fail(ErrorCode::input, "survey has no points: add points before closing it");
  SurveyJudgement j;
  for (const auto& p : points) {
    if (p.result.pass) continue;
    j.reasons.push_back(fmt::format("point '{}' ({}): {:g} µSv/h{} > limit {:g} µSv/h", p.label, zone_code(p.input.zone),
                                    p.result.judged_rate_usv_h, p.result.net_of_background ? " above background" : "",
                                    p.result.limit_usv_h.value_or(0)));
  }
  j.zones = zone_annual_doses(points, s);
  for (const auto& z : j.zones)
    if (!z.pass)
      j.reasons.push_back(fmt::format("zone {}: projected {:.3g} mSv/y at '{}' > {} limit {:g} mSv/y", zone_code(z.zone),
                                      z.max_projected_msv, z.worst_point, dose_class_code(z.annual_class), z.limit_msv));
  const std::pair<const char*, Check> named[] = {{"interlock", checks.interlock},
                                                 {"emergency stop", checks.estop},
                                                 {"warning light", checks.warning_light},
                                                 {"signage", checks.signage}};
  for (const auto& [name, c] : named) {
    if (c == Check::fail) j.reasons.push_back(fmt::format("{} check failed", name));
    if (c == Check::not_checked && survey_type == "commissioning")
      j.reasons.push_back(fmt::format("{} check not done (required for a commissioning survey)", name));
  }
  j.pass = j.reasons.empty();
  return j;
}

std::optional<double> half_life_years(std::string_view isotope_code) {
  if (isotope_code == "co60") return co60_half_life_y;
  if (isotope_code == "cs137") return cs137_half_life_y;
  return std::nullopt;
}

double decayed_activity_bq(double reference_activity_bq, double half_life_y, double elapsed_years) {
  return reference_activity_bq * std::exp2(-elapsed_years / half_life_y);
}

double years_between(TimePoint from, TimePoint to) {
  const double seconds = static_cast<double>((to - from).count());
  return seconds / (days_per_year * 86400.0);
}

DoseSummary summarise_dose(const std::vector<DoseRecordInput>& records, int year, DoseClass category,
                           const RadiationSettings& s) {
  DoseSummary d;
  d.year = year;
  for (const auto& r : records) {
    if (r.year == year) {
      d.annual_hp10_msv += r.hp10_msv;
      d.annual_hp007_msv += r.hp007_msv.value_or(0);
      ++d.records;
    }
    if (r.year > year - 5 && r.year <= year) d.five_year_hp10_msv += r.hp10_msv;
  }
  if (category == DoseClass::occupational) {
    if (d.annual_hp10_msv > s.occupational_single_year_limit_msv) d.flags.push_back("over_annual_limit");
    if (d.five_year_hp10_msv > s.occupational_five_year_limit_msv) d.flags.push_back("over_five_year_limit");
    if (d.annual_hp10_msv > s.occupational_annual_limit_msv) d.flags.push_back("above_average_annual_limit");
    if (d.annual_hp007_msv > s.skin_annual_limit_msv) d.flags.push_back("over_skin_limit");
  } else {
    if (d.annual_hp10_msv > s.public_annual_limit_msv) d.flags.push_back("over_annual_limit");
    // ICRP 103: 50 mSv/y to the skin for members of the public, a tenth of the occupational.
    if (d.annual_hp007_msv > s.skin_annual_limit_msv / 10) d.flags.push_back("over_skin_limit");
  }
  if (d.annual_hp10_msv >= s.investigation_annual_msv) d.flags.push_back("investigation_level");
  return d;
}

std::string_view due_state_code(DueState d) {
  switch (d) {
    case DueState::ok: return "ok";
    case DueState::due_soon: return "due_soon";
    case DueState::overdue: return "overdue";
  }
  return "ok";
}

DueState due_state(TimePoint due, TimePoint now, int within_days) {
  using namespace std::chrono;
  const auto today = floor<days>(now);
  const auto due_day = floor<days>(due);
  if (due_day < today) return DueState::overdue;
  if (due_day <= today + days{within_days}) return DueState::due_soon;
  return DueState::ok;
}

TimePoint add_months(TimePoint date, int months) {
  using namespace std::chrono;
  const year_month_day ymd{floor<days>(date)};
  const year_month ym = year_month{ymd.year(), ymd.month()} + std::chrono::months{months};
  const auto last = year_month_day_last{ym.year(), month_day_last{ym.month()}}.day();
  const auto d = std::min(ymd.day(), last);
  return sys_days{ym.year() / ym.month() / d};
}

}  // namespace niikit::domain::rad
