#include "phantoms/generator/detector_model.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <random>
#include <string>

namespace niikit::phantoms::generator {
namespace {

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

constexpr std::uint64_t stripes_stream = 0;  // rows use streams 1 + row
constexpr std::uint64_t gain_field_stream = 1ULL << 62;  // beyond any row stream

double monomials_sum(const std::array<double, 5>& c, double u, double v) {
  return c[0] * u + c[1] * v + c[2] * u * v + c[3] * u * u + c[4] * v * v;
}

struct RowContext {
  const RenderOptions* options;
  double gain;
  const std::vector<double>* channel_gain;
  const GainField* field;
  int plane;
};

// Detects one row; returns the number of pixels clamped low and high.
std::pair<long long, long long> detect_row(const RowContext& ctx, const float* photons, std::uint16_t* out, int row,
                                           int width) {
  const RenderOptions& o = *ctx.options;
  std::mt19937_64 rng(stream_seed(o.seed, static_cast<std::uint64_t>(ctx.plane), 1 + static_cast<std::uint64_t>(row)));
  std::normal_distribution<double> normal;
  std::poisson_distribution<long long> poisson;
  long long low = 0, high = 0;
  for (int c = 0; c < width; ++c) {
    const double lambda = photons[c];
    double n = 0;
    if (lambda >= o.poisson_exact_below) {
      n = lambda + std::sqrt(lambda) * normal(rng);
    } else if (lambda > 0) {
      n = static_cast<double>(poisson(rng, std::poisson_distribution<long long>::param_type(lambda)));
    }
    const double electronic = o.electronic_noise_counts > 0 ? o.electronic_noise_counts * normal(rng) : 0.0;
    const double field = ctx.field->rel > 0 ? ctx.field->at(row, c) : 1.0;
    const double value = std::floor(o.dark_offset_counts +
                                    ctx.gain * (*ctx.channel_gain)[static_cast<std::size_t>(c)] * field * n + electronic + 0.5);
    if (value < 0) ++low;
    if (value > 65535) ++high;
    out[c] = static_cast<std::uint16_t>(std::clamp(value, 0.0, 65535.0));
  }
  return {low, high};
}

}  // namespace

std::uint64_t stream_seed(std::uint64_t seed, std::uint64_t plane, std::uint64_t stream) {
  return splitmix64(splitmix64(splitmix64(seed) ^ plane) ^ stream);
}

double effective_gain(const RenderOptions& options) {
  if (options.gain_counts_per_photon > 0) return options.gain_counts_per_photon;
  return std::min(1.0, (0.9 * 65535.0 - options.dark_offset_counts) / options.dose_photons);
}

std::vector<double> channel_gains(const RenderOptions& options, int plane, int width_px) {
  std::vector<double> gains(static_cast<std::size_t>(width_px), 1.0);
  if (options.gain_stripes_rel <= 0) return gains;
  std::mt19937_64 rng(stream_seed(options.seed, static_cast<std::uint64_t>(plane), stripes_stream));
  std::normal_distribution<double> normal;
  // Clamped at 0.05 so a wild draw with a large σ never inverts or kills a channel.
  for (auto& g : gains) g = std::max(0.05, 1.0 + options.gain_stripes_rel * normal(rng));
  return gains;
}

double GainField::at(int row, int col) const {
  if (rel <= 0) return 1.0;
  const double u = width_px > 1 ? 2.0 * col / (width_px - 1) - 1.0 : 0.0;
  const double v = height_px > 1 ? 2.0 * row / (height_px - 1) - 1.0 : 0.0;
  return 1.0 + rel * monomials_sum(coefficients, u, v);
}

GainField make_gain_field(const RenderOptions& options, int width_px, int height_px) {
  GainField f;
  f.width_px = width_px, f.height_px = height_px;
  if (options.gain_field_rel <= 0) return f;
  std::mt19937_64 rng(stream_seed(options.seed, 0, gain_field_stream));
  std::normal_distribution<double> normal;
  for (auto& c : f.coefficients) c = normal(rng);
  double peak = 0;
  for (int i = 0; i <= 64; ++i)
    for (int j = 0; j <= 64; ++j) peak = std::max(peak, std::abs(monomials_sum(f.coefficients, i / 32.0 - 1, j / 32.0 - 1)));
  if (peak > 0)
    for (auto& c : f.coefficients) c /= peak;
  f.rel = options.gain_field_rel;
  return f;
}

double expected_noise_counts(const RenderOptions& options, double gain, double photons) {
  const double e = options.electronic_noise_counts;
  return std::sqrt(gain * gain * std::max(0.0, photons) + e * e + 1.0 / 12.0);
}

Result<DetectedPlane> detect_plane(const cv::Mat& expected_photons, const RenderOptions& options, double gain,
                                   int plane) {
  try {
    DetectedPlane result;
    result.channel_gain = channel_gains(options, plane, expected_photons.cols);
    result.counts.create(expected_photons.rows, expected_photons.cols, CV_16U);
    const GainField field = make_gain_field(options, expected_photons.cols, expected_photons.rows);
    const RowContext ctx{&options, gain, &result.channel_gain, &field, plane};
    std::atomic<long long> low{0}, high{0};
    cv::parallel_for_(cv::Range(0, expected_photons.rows), [&](const cv::Range& range) {
      for (int r = range.start; r < range.end; ++r) {
        const auto [l, h] = detect_row(ctx, expected_photons.ptr<float>(r), result.counts.ptr<std::uint16_t>(r), r,
                                       expected_photons.cols);
        low += l;
        high += h;
      }
    });
    result.clamped_low = low;
    result.clamped_high = high;
    return result;
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, std::string("render: detector model failed: ") + e.what());
  }
}

}  // namespace niikit::phantoms::generator
