// The detector: turns expected photons into 16-bit counts with noise and artefacts.
//
// Per pixel (row r, column c): N ~ Poisson(λ) photons (exact below options.poisson_exact_below, a
// Gaussian of mean λ and variance λ at and above it), then
//   counts = round(dark + gain · g_c · f(r, c) · N + σ_e · z),  clamped to [0, 65535],
// with g_c = 1 + s · z_c the column's gain stripe, f the smooth gain field (GainField; 1 when
// off) and z, z_c standard normal draws.
// Randomness: every (seed, plane, row) and (seed, plane, stripes) has its own std::mt19937_64
// stream, seeded by a SplitMix64 hash of the three, so the output is bit-identical for a seed
// whatever the thread count. Pure: thread-safe.
#pragma once

#include <opencv2/core.hpp>

#include <array>
#include <cstdint>
#include <vector>

#include "phantoms/generator/render_options.hpp"

namespace niikit::phantoms::generator {

// The gain used: the option when > 0, else min(1, (0.9·65535 − dark) / I0).
double effective_gain(const RenderOptions& options);

// The seed of one random stream (SplitMix64 finaliser over seed, plane, stream).
std::uint64_t stream_seed(std::uint64_t seed, std::uint64_t plane, std::uint64_t stream);

// Column gains 1 + s · z_c of one plane (all 1 when stripes are off).
std::vector<double> channel_gains(const RenderOptions& options, int plane, int width_px);

// The smooth detector gain field f(x, y) = 1 + r · p(u, v) of RenderOptions::gain_field_rel:
// p = Σ c_k · m_k(u, v) over the monomials 1… of degree ≤ 2 without the constant (u, v, u·v,
// u², v²), u = 2x/(W−1) − 1, v = 2y/(H−1) − 1, coefficients drawn from the seed's own stream
// and scaled so that max |p| over a 65 × 65 grid spanning the image is 1. Plain value.
struct GainField {
  double rel = 0;                       // r; 0 = off (every value 1)
  std::array<double, 5> coefficients{};  // of u, v, u·v, u², v² after scaling
  int width_px = 1, height_px = 1;

  [[nodiscard]] double at(int row, int col) const;
};
GainField make_gain_field(const RenderOptions& options, int width_px, int height_px);

// Expected noise σ in counts at a mean of `photons` per pixel: Poisson, electronic and
// quantisation (1/12 count²) in quadrature; gain stripes (structured, not per-pixel) excluded.
double expected_noise_counts(const RenderOptions& options, double gain, double photons);

struct DetectedPlane {
  cv::Mat counts;                    // CV_16UC1
  std::vector<double> channel_gain;  // g_c per column
  long long clamped_low = 0;         // pixels clamped at 0
  long long clamped_high = 0;        // pixels clamped at 65535 (saturated)
};

// Detects one plane (CV_32FC1 expected photons). ErrorCode::internal when OpenCV throws.
Result<DetectedPlane> detect_plane(const cv::Mat& expected_photons, const RenderOptions& options, double gain,
                                   int plane);

}  // namespace niikit::phantoms::generator
