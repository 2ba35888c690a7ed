// Material table and µ/ρ interpolation. Data provenance is in materials.hpp.
#include "phantoms/materials.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace niikit::phantoms {
namespace {

struct Point {
  double energy_keV;
  double mu_rho_cm2_g;
};

// Energies common to every table (keV). Edges are inserted per material below.
// NIST tables, columns: 20 30 40 50 60 80 100 150 200 300 400 500 600 800 keV,
// 1 1.25 1.5 2 3 4 5 6 8 10 MeV.
constexpr std::array<double, 24> grid_keV{20,   30,   40,   50,   60,   80,   100,  150,
                                          200,  300,  400,  500,  600,  800,  1000, 1250,
                                          1500, 2000, 3000, 4000, 5000, 6000, 8000, 10000};

using Column = std::array<double, 24>;

// NIST "air, dry (near sea level)".
constexpr Column air_mu{0.7779,  0.3538,  0.2485,  0.2080,  0.1875,  0.1662,
                        0.1541,  0.1356,  0.1233,  0.1067,  0.09549, 0.08712,
                        0.08055, 0.07074, 0.06358, 0.05687, 0.05175, 0.04447,
                        0.03581, 0.03079, 0.02751, 0.02522, 0.02225, 0.02045};
// (C2H4)n by the mixture rule: w_H = 0.1437, w_C = 0.8563.
constexpr Column polyethylene_mu{0.4316,  0.2707,  0.2275,  0.2084,  0.1970,  0.1823,
                                 0.1720,  0.1534,  0.1401,  0.1216,  0.1089,  0.09947,
                                 0.09198, 0.08078, 0.07262, 0.06495, 0.05911, 0.05064,
                                 0.04045, 0.03444, 0.03044, 0.02761, 0.02383, 0.02145};
// (CH2O)n by the mixture rule: w_H = 0.0671, w_C = 0.4000, w_O = 0.5328.
constexpr Column pom_mu{0.6626,  0.3278,  0.2440,  0.2110,  0.1936,  0.1746,
                        0.1630,  0.1442,  0.1314,  0.1138,  0.1019,  0.09298,
                        0.08597, 0.07550, 0.06788, 0.06070, 0.05524, 0.04742,
                        0.03806, 0.03261, 0.02902, 0.02649, 0.02319, 0.02115};
// Z = 13.
constexpr Column aluminium_mu{3.441,   1.128,   0.5685,  0.3681,  0.2778,  0.2018,
                              0.1704,  0.1378,  0.1223,  0.1042,  0.09276, 0.08445,
                              0.07802, 0.06841, 0.06146, 0.05496, 0.05006, 0.04324,
                              0.03541, 0.03106, 0.02836, 0.02655, 0.02437, 0.02318};
// Iron, Z = 26 (carbon steel is > 98 % iron).
constexpr Column steel_mu{25.68,   8.176,   3.629,   1.958,   1.205,   0.5952,
                          0.3717,  0.1964,  0.1460,  0.1099,  0.09400, 0.08414,
                          0.07704, 0.06699, 0.05995, 0.05350, 0.04883, 0.04265,
                          0.03621, 0.03312, 0.03146, 0.03057, 0.02991, 0.02994};
// Z = 29.
constexpr Column copper_mu{33.79,   10.49,   4.862,   2.613,   1.593,   0.7630,
                           0.4584,  0.2217,  0.1559,  0.1119,  0.09413, 0.08362,
                           0.07625, 0.06605, 0.05901, 0.05261, 0.04803, 0.04205,
                           0.03599, 0.03318, 0.03177, 0.03108, 0.03074, 0.03103};
// Z = 82; K edge 88.0045 keV: 1.910 below, 7.683 above.
constexpr Column lead_mu{86.36,   30.32,   14.36,   8.041,   5.021,   2.419,
                         5.549,   2.014,   0.9985,  0.4031,  0.2323,  0.1614,
                         0.1248,  0.08870, 0.07102, 0.05876, 0.05222, 0.04606,
                         0.04234, 0.04197, 0.04272, 0.04391, 0.04675, 0.04972};
// Z = 74; K edge 69.525 keV: 2.552 below, 11.23 above.
constexpr Column tungsten_mu{65.73,   22.73,   10.67,   5.949,   3.713,   7.810,
                             4.438,   1.581,   0.7844,  0.3238,  0.1925,  0.1378,
                             0.1093,  0.08066, 0.06618, 0.05577, 0.05000, 0.04433,
                             0.04075, 0.04038, 0.04103, 0.04210, 0.04472, 0.04747};

struct KEdge {
  double energy_keV;
  double below;
  double above;
};

struct Table {
  const Column* column;
  std::optional<KEdge> edge;
};

constexpr std::array<MaterialInfo, 8> infos{{
    {Material::air, "air", 0.001205, 7.6, MaterialClass::organic},
    {Material::polyethylene, "polyethylene", 0.94, 5.5, MaterialClass::organic},
    {Material::pom, "pom", 1.41, 6.9, MaterialClass::organic},
    {Material::aluminium, "aluminium", 2.699, 13.0, MaterialClass::mixed},
    {Material::steel, "steel", 7.85, 26.0, MaterialClass::inorganic},
    {Material::copper, "copper", 8.96, 29.0, MaterialClass::inorganic},
    {Material::lead, "lead", 11.35, 82.0, MaterialClass::heavy},
    {Material::tungsten, "tungsten", 19.3, 74.0, MaterialClass::heavy},
}};

Table table_of(Material material) {
  switch (material) {
    case Material::air: return {&air_mu, std::nullopt};
    case Material::polyethylene: return {&polyethylene_mu, std::nullopt};
    case Material::pom: return {&pom_mu, std::nullopt};
    case Material::aluminium: return {&aluminium_mu, std::nullopt};
    case Material::steel: return {&steel_mu, std::nullopt};
    case Material::copper: return {&copper_mu, std::nullopt};
    case Material::lead: return {&lead_mu, KEdge{88.0045, 1.910, 7.683}};
    case Material::tungsten: return {&tungsten_mu, KEdge{69.525, 2.552, 11.23}};
  }
  return {&air_mu, std::nullopt};
}

double log_log(Point a, Point b, double energy_keV) {
  const double t = std::log(energy_keV / a.energy_keV) / std::log(b.energy_keV / a.energy_keV);
  return std::exp(std::log(a.mu_rho_cm2_g) + t * std::log(b.mu_rho_cm2_g / a.mu_rho_cm2_g));
}

}  // namespace

std::span<const MaterialInfo> all_materials() { return infos; }

const MaterialInfo& material_info(Material material) {
  return infos.at(static_cast<std::size_t>(material));
}

std::string_view material_name(Material material) { return material_info(material).name; }

std::optional<Material> material_from_name(std::string_view name) {
  for (const auto& info : infos)
    if (info.name == name) return info.material;
  return std::nullopt;
}

std::string_view material_class_name(MaterialClass material_class) {
  switch (material_class) {
    case MaterialClass::organic: return "organic";
    case MaterialClass::mixed: return "mixed";
    case MaterialClass::inorganic: return "inorganic";
    case MaterialClass::heavy: return "heavy";
  }
  return "organic";
}

std::optional<MaterialClass> material_class_from_name(std::string_view name) {
  for (auto c : {MaterialClass::organic, MaterialClass::mixed, MaterialClass::inorganic,
                 MaterialClass::heavy})
    if (material_class_name(c) == name) return c;
  return std::nullopt;
}

double mass_attenuation_cm2_g(Material material, double energy_keV) {
  const Table table = table_of(material);
  const Column& mu = *table.column;
  const double e = std::clamp(std::isnan(energy_keV) ? min_tabulated_energy_keV : energy_keV,
                              min_tabulated_energy_keV, max_tabulated_energy_keV);
  const auto upper = std::lower_bound(grid_keV.begin(), grid_keV.end(), e);
  const auto hi = static_cast<std::size_t>(upper - grid_keV.begin());
  if (grid_keV[hi] == e) return mu[hi];  // lower_bound is never end() after the clamp
  Point a{grid_keV[hi - 1], mu[hi - 1]};
  Point b{grid_keV[hi], mu[hi]};
  // An absorption edge inside the interval splits it: interpolate on the edge's own side.
  if (table.edge && table.edge->energy_keV > a.energy_keV && table.edge->energy_keV < b.energy_keV) {
    if (e < table.edge->energy_keV) b = {table.edge->energy_keV, table.edge->below};
    else a = {table.edge->energy_keV, table.edge->above};
    if (e == table.edge->energy_keV) return table.edge->above;
  }
  return log_log(a, b, e);
}

double linear_attenuation_per_mm(Material material, double energy_keV) {
  return mass_attenuation_cm2_g(material, energy_keV) * material_info(material).density_g_cm3 /
         10.0;
}

}  // namespace niikit::phantoms
