// The small table of materials phantoms are made of, with the physical data the synthetic scan
// generator and the material-discrimination kits need: density, an effective atomic number and
// the photon mass attenuation coefficient µ/ρ as a function of energy.
//
// Source of µ/ρ: NIST X-ray mass attenuation coefficient tables (J. H. Hubbell and S. M. Seltzer,
// NISTIR 5632, "Tables of X-Ray Mass Attenuation Coefficients ... from 1 keV to 20 MeV", values
// with coherent scattering, as also produced by NIST XCOM). Elements are tabulated as published
// (steel = iron); polyethylene (C2H4)n and POM (CH2O)n are built from the elemental H, C, O
// tables by the mixture rule (Bragg additivity) by weight fraction; air is NIST's "air, dry (near
// sea level)". K absorption edges inside the table range (tungsten 69.525 keV, lead 88.0045 keV)
// are kept as two points at the same energy so interpolation never smears across an edge.
//
// Everything here is pure, constant data: thread-safe.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace niikit::phantoms {

enum class Material { air, polyethylene, pom, aluminium, steel, copper, lead, tungsten };

// Classes of the dual-energy material-discrimination tests (DESIGN.md §3.2).
enum class MaterialClass { organic, mixed, inorganic, heavy };

struct MaterialInfo {
  Material material;
  std::string_view name;       // JSON spelling, lower case: "polyethylene", "aluminium", ...
  double density_g_cm3;        // nominal density used by the generator
  double effective_z;          // approximate effective atomic number (photoelectric weighting)
  MaterialClass typical_class; // where dual-energy discrimination should put a thick block
};

// Every material, in enum order.
std::span<const MaterialInfo> all_materials();
const MaterialInfo& material_info(Material material);
std::string_view material_name(Material material);
// Parses the JSON spelling (exact, lower case). nullopt for an unknown name.
std::optional<Material> material_from_name(std::string_view name);

std::string_view material_class_name(MaterialClass material_class);  // "organic", ...
std::optional<MaterialClass> material_class_from_name(std::string_view name);

// Energy range of the tables. Energies outside it are clamped to the nearest end (the generator
// works from 20 keV X-ray tubes to 10 MeV linacs; nothing outside that is physically meaningful
// here).
inline constexpr double min_tabulated_energy_keV = 20.0;
inline constexpr double max_tabulated_energy_keV = 10000.0;

// µ/ρ in cm²/g at `energy_keV`, by log-log interpolation between the tabulated NIST energies
// (20, 30, 40, 50, 60, 80, 100, 150, 200, 300, 400, 500, 600, 800 keV, 1, 1.25, 1.5, 2, 3, 4, 5,
// 6, 8, 10 MeV, plus the K edges above). At an edge energy the value above the edge is returned.
double mass_attenuation_cm2_g(Material material, double energy_keV);

// Linear attenuation coefficient µ in 1/mm = µ/ρ · ρ / 10.
double linear_attenuation_per_mm(Material material, double energy_keV);

}  // namespace niikit::phantoms
