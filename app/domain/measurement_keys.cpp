#include "app/domain/measurement_keys.hpp"

#include <fmt/format.h>

#include <cmath>

namespace niikit::domain {

namespace {

// Upper bounds are generous plausibility limits that catch typing slips (a reading in nSv/h
// entered as µSv/h), not acceptance limits; the acceptance limits are the requirements.
const std::vector<MeasurementKey> kKeys{
    // --- radiation (survey-meter readings; IEC 62523 / ANSI N42.46 radiation safety clauses)
    {"radiation.dose_rate.boundary_usv_h", "uSv/h", "radiation", BetterDirection::lower, 0, 1e6,
     "Highest ambient dose rate measured on the boundary of the controlled (exclusion) area during a scan"},
    {"radiation.dose_rate.operator_usv_h", "uSv/h", "radiation", BetterDirection::lower, 0, 1e6,
     "Highest dose rate above background at any operator position during a scan"},
    {"radiation.dose_rate.cabinet_surface_usv_h", "uSv/h", "radiation", BetterDirection::lower, 0, 1e6,
     "Highest leakage dose rate 5 cm from any external surface of a cabinet system while it emits"},
    {"radiation.dose.driver_per_scan_usv", "uSv", "radiation", BetterDirection::lower, 0, 1e6,
     "Dose a driver would receive in one scan at the driver position (cab skipped or not)"},
    {"radiation.dose.cargo_per_scan_usv", "uSv", "radiation", BetterDirection::lower, 0, 1e7,
     "Dose to the cargo in one scan, at the beam centre line"},
    {"radiation.dose.operator_per_exposure_usv", "uSv", "radiation", BetterDirection::lower, 0, 1e6,
     "Dose at the operator's position per exposure of a portable system"},
    // --- throughput (timed trial with real traffic)
    {"throughput.scans_per_h", "scans/h", "throughput", BetterDirection::higher, 0, 10000,
     "Conveyances (or items) scanned per hour in a timed trial of at least one hour"},
    {"throughput.image_ready_s", "s", "throughput", BetterDirection::lower, 0, 3600,
     "Time from the end of a scan until its image is on the analyst's screen"},
    // --- availability (contract service levels, from the fault log)
    {"availability.uptime_pct", "%", "availability", BetterDirection::higher, 0, 100,
     "Operational availability over the measured period: uptime over scheduled time"},
    {"availability.response_h", "h", "availability", BetterDirection::lower, 0, 8760,
     "Longest time from a fault report until a service engineer responds on site"},
    {"availability.repair_h", "h", "availability", BetterDirection::lower, 0, 8760,
     "Longest time from a fault report until the scanner is back in operation"},
    // --- software and data formats (demonstrated and checked)
    {"software.uff_export", "bool", "data_format", BetterDirection::yes, 0, 1,
     "Images and their metadata are exported in the WCO Unified File Format (UFF) and read back by a UFF reader"},
    {"software.image_bit_depth", "bit", "data_format", BetterDirection::higher, 1, 64,
     "Bit depth of the raw image stored for every scan (without loss)"},
    {"software.operator_audit_log", "bool", "software", BetterDirection::yes, 0, 1,
     "Every operator action (login, scan, image view, annotation, decision) is logged with user and time"},
    {"software.remote_analysis", "bool", "software", BetterDirection::yes, 0, 1,
     "Images can be analysed at a remote (centralised) image analysis station"},
    // --- functional checks (demonstrated at FAT / SAT)
    {"functional.interlocks", "bool", "functional", BetterDirection::yes, 0, 1,
     "Opening any access door or breaking any safety barrier stops the radiation at once"},
    {"functional.emergency_stops", "bool", "functional", BetterDirection::yes, 0, 1,
     "Every emergency stop button stops the radiation and the motion at once"},
    {"functional.warning_lights", "bool", "functional", BetterDirection::yes, 0, 1,
     "Warning lights and sounds show 'radiation on' and 'ready' states at every access point"},
};

std::string number(double v) { return fmt::format("{:.6g}", v); }

}  // namespace

std::string_view better_direction_name(BetterDirection d) {
  switch (d) {
    case BetterDirection::higher: return "higher";
    case BetterDirection::lower: return "lower";
    case BetterDirection::yes: return "yes";
  }
  return "?";
}

const std::vector<MeasurementKey>& measurement_keys() { return kKeys; }

const MeasurementKey* find_measurement_key(std::string_view key) {
  for (const auto& k : kKeys)
    if (k.key == key) return &k;
  return nullptr;
}

Status check_measurement(std::string_view key, double value) {
  const auto* k = find_measurement_key(key);
  if (!k) return fail(ErrorCode::input, fmt::format("measurement {}: unknown key (see docs/requirements.md)", key));
  if (!std::isfinite(value))
    return fail(ErrorCode::input, fmt::format("measurement {}: value is not a finite number", key));
  if (k->better == BetterDirection::yes) {
    if (value != 0 && value != 1)
      return fail(ErrorCode::input, fmt::format("measurement {}: {} must be 1 (yes) or 0 (no)", key, number(value)));
    return {};
  }
  if (value < k->min_value || value > k->max_value)
    return fail(ErrorCode::input, fmt::format("measurement {}: {} is outside {}..{} {}", key, number(value),
                                              number(k->min_value), number(k->max_value), k->unit));
  return {};
}

}  // namespace niikit::domain
