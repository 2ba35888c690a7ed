// Material table: µ/ρ interpolation returns the NIST values at tabulated energies, is
// monotone between them, and honours absorption edges.
#define BOOST_TEST_MODULE test_materials
#include <boost/test/unit_test.hpp>

#include <cmath>

#include "phantoms/materials.hpp"

using namespace niikit::phantoms;
namespace tt = boost::test_tools;

BOOST_AUTO_TEST_CASE(tabulated_energies_return_the_nist_values) {
  struct Row {
    Material m;
    double energy_keV;
    double mu_rho;
  };
  // NIST (Hubbell & Seltzer) values for the elements; mixture rule for the plastics.
  const Row rows[] = {
      {Material::steel, 100, 0.3717},   {Material::steel, 1000, 0.05995},
      {Material::steel, 6000, 0.03057}, {Material::lead, 100, 5.549},
      {Material::lead, 1000, 0.07102},  {Material::lead, 80, 2.419},
      {Material::aluminium, 60, 0.2778}, {Material::copper, 150, 0.2217},
      {Material::tungsten, 4000, 0.04038}, {Material::polyethylene, 100, 0.1720},
      {Material::pom, 60, 0.1936},      {Material::air, 1000, 0.06358},
  };
  for (const auto& r : rows)
    BOOST_TEST(mass_attenuation_cm2_g(r.m, r.energy_keV) == r.mu_rho, tt::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(interpolation_is_monotone_between_table_points) {
  // Between 150 keV and 1 MeV every material's µ/ρ falls; no edge lies there.
  for (const auto& info : all_materials()) {
    double previous = mass_attenuation_cm2_g(info.material, 150);
    for (double e = 155; e <= 1000; e += 5) {
      const double mu = mass_attenuation_cm2_g(info.material, e);
      BOOST_TEST(mu <= previous, info.name << " at " << e << " keV");
      previous = mu;
    }
  }
  // Log-log: the midpoint in log energy is the geometric mean of the neighbours.
  const double mid = std::sqrt(200.0 * 300.0);
  BOOST_TEST(mass_attenuation_cm2_g(Material::steel, mid) == std::sqrt(0.1460 * 0.1099),
             tt::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(k_edges_are_not_smeared) {
  BOOST_TEST(mass_attenuation_cm2_g(Material::lead, 88.0) < 2.0);
  BOOST_TEST(mass_attenuation_cm2_g(Material::lead, 88.01) > 7.0);
  BOOST_TEST(mass_attenuation_cm2_g(Material::tungsten, 69.5) < 2.6);
  BOOST_TEST(mass_attenuation_cm2_g(Material::tungsten, 69.6) > 11.0);
}

BOOST_AUTO_TEST_CASE(energies_outside_the_table_are_clamped) {
  BOOST_TEST(mass_attenuation_cm2_g(Material::steel, 5) == mass_attenuation_cm2_g(Material::steel, 20));
  BOOST_TEST(mass_attenuation_cm2_g(Material::steel, 1e5) == 0.02994, tt::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(names_round_trip_and_linear_attenuation_uses_density) {
  for (const auto& info : all_materials()) {
    BOOST_TEST(material_from_name(info.name).has_value());
    BOOST_TEST(static_cast<int>(*material_from_name(info.name)) == static_cast<int>(info.material));
  }
  BOOST_TEST(!material_from_name("gold").has_value());
  // 1 MeV in steel: µ = 0.05995 · 7.85 / 10 per mm.
  BOOST_TEST(linear_attenuation_per_mm(Material::steel, 1000) == 0.05995 * 7.85 / 10, tt::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(every_interval_is_monotone_and_bounded_by_its_table_points) {
  // The NIST grid of materials.cpp; each interval, edges aside, must be interpolated
  // monotonically from one tabulated value to the next (µ/ρ rises again above ~3 MeV for lead).
  const double grid[] = {20,  30,  40,  50,  60,   80,   100,  150,  200,  300,  400,  500,
                         600, 800, 1000, 1250, 1500, 2000, 3000, 4000, 5000, 6000, 8000, 10000};
  for (const auto& info : all_materials()) {
    for (std::size_t i = 0; i + 1 < std::size(grid); ++i) {
      const double a = grid[i];
      const double b = grid[i + 1];
      const bool edge = (info.material == Material::lead && a == 80) ||
                        (info.material == Material::tungsten && a == 60);
      if (edge) continue;
      const double mu_a = mass_attenuation_cm2_g(info.material, a);
      const double mu_b = mass_attenuation_cm2_g(info.material, b);
      double previous = mu_a;
      for (int k = 1; k < 10; ++k) {
        const double e = a * std::pow(b / a, k / 10.0);
        const double mu = mass_attenuation_cm2_g(info.material, e);
        BOOST_TEST_CONTEXT(info.name << " at " << e << " keV") {
          BOOST_TEST(mu >= std::min(mu_a, mu_b) * (1 - 1e-12));
          BOOST_TEST(mu <= std::max(mu_a, mu_b) * (1 + 1e-12));
          BOOST_TEST((mu_b <= mu_a ? mu <= previous * (1 + 1e-12) : mu >= previous * (1 - 1e-12)));
        }
        previous = mu;
      }
    }
  }
}
