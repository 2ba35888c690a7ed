#include "app/domain/units.hpp"

#include <array>

namespace niikit::domain {

namespace {

struct UnitRow {
  std::string_view unit;
  std::string_view quantity;
  double to_base;   // value in `unit` × to_base = value in the quantity's base unit
};

// Base units: mm, mm2, uSv/h, uSv, s, scans/h, lp/mm, %.
constexpr std::array<UnitRow, 27> kUnits{{
    {"km", "length", 1e6},        {"m", "length", 1e3},         {"cm", "length", 10},
    {"mm", "length", 1},          {"um", "length", 1e-3},       {"µm", "length", 1e-3},
    {"m2", "area", 1e6},          {"cm2", "area", 100},         {"mm2", "area", 1},
    {"Sv/h", "dose_rate", 1e6},   {"mSv/h", "dose_rate", 1e3},  {"uSv/h", "dose_rate", 1},
    {"µSv/h", "dose_rate", 1},    {"nSv/h", "dose_rate", 1e-3}, {"mSv", "dose", 1e3},
    {"uSv", "dose", 1},           {"µSv", "dose", 1},           {"nSv", "dose", 1e-3},
    {"d", "time", 86400},         {"h", "time", 3600},          {"min", "time", 60},
    {"s", "time", 1},             {"scans/h", "scan_rate", 1},  {"scans/min", "scan_rate", 60},
    {"lp/mm", "spatial_frequency", 1}, {"lp/cm", "spatial_frequency", 0.1}, {"%", "fraction", 1},
}};

constexpr std::array<std::string_view, 4> kSelfOnly{"bool", "AWG", "bit", ""};

const UnitRow* find(std::string_view unit) {
  for (const auto& row : kUnits)
    if (row.unit == unit) return &row;
  return nullptr;
}

}  // namespace

bool is_known_unit(std::string_view unit) {
  if (find(unit)) return true;
  for (auto u : kSelfOnly)
    if (u == unit) return true;
  return false;
}

std::optional<double> convert_unit(double value, std::string_view from, std::string_view to) {
  if (from == to) return value;
  const auto* a = find(from);
  const auto* b = find(to);
  if (!a || !b || a->quantity != b->quantity) return std::nullopt;
  return value * a->to_base / b->to_base;
}

}  // namespace niikit::domain
