#include "phantoms/generator/render.hpp"

#include <fmt/format.h>

#include <chrono>

#include "phantoms/generator/detector_model.hpp"
#include "phantoms/generator/placement.hpp"
#include "phantoms/generator/solid_raster.hpp"

namespace niikit::phantoms::generator {
namespace {

// Share of the progress bar taken by the forward model (the detector takes the rest).
constexpr double forward_share = 0.85;

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

testkits::Image make_image(cv::Mat counts, const RenderOptions& o, const PlaneTruth& plane, const Phantom& phantom) {
  testkits::Image image;
  image.pixels = std::move(counts);
  image.meta.pixel_mm_x = o.pixel_mm_x;
  image.meta.pixel_mm_y = o.pixel_mm_y;
  image.meta.kind = testkits::ImageKind::raw;
  image.meta.channel = plane.channel == "high"  ? testkits::EnergyChannel::high
                       : plane.channel == "low" ? testkits::EnergyChannel::low
                                                : testkits::EnergyChannel::single;
  image.source = fmt::format("rendered:{}", phantom.id);
  return image;
}

}  // namespace

Result<RenderedScan> render_scan(const Phantom& phantom, const RenderOptions& options, const ProgressFn& progress) {
  if (auto ok = validate_render_options(options); !ok) return tl::unexpected(ok.error());
  auto placement = place_phantom(phantom, options);
  if (!placement) return tl::unexpected(placement.error());
  const long long pixels = static_cast<long long>(placement->width_px) * placement->height_px;
  if (pixels > testkits::max_image_pixels)
    return fail(ErrorCode::input, fmt::format("render: image of {} x {} px exceeds 2^31 pixels", placement->width_px,
                                              placement->height_px));
  RenderedScan scan;
  const auto local = local_solids(phantoms::solids(phantom));
  const auto energies = effective_energies_keV(options);
  const double gain = effective_gain(options);

  auto start = std::chrono::steady_clock::now();
  const ProgressFn forward_progress = [&](double f) {
    if (progress) progress(forward_share * f);
  };
  auto photons = expected_photons(local, *placement, options, energies, forward_progress);
  if (!photons) return tl::unexpected(photons.error());
  for (auto& plane : *photons)
    if (auto ok = add_scatter_tail(plane, options); !ok) return tl::unexpected(ok.error());
  scan.stage_seconds.emplace_back("forward_model", seconds_since(start));

  start = std::chrono::steady_clock::now();
  scan.truth = build_truth(phantom, local, *placement, options, gain);
  scan.stage_seconds.emplace_back("truth", seconds_since(start));

  start = std::chrono::steady_clock::now();
  for (std::size_t e = 0; e < photons->size(); ++e) {
    auto detected = detect_plane((*photons)[e], options, gain, static_cast<int>(e));
    if (!detected) return tl::unexpected(detected.error());
    auto& plane = scan.truth.planes[e];
    plane.channel_gain = std::move(detected->channel_gain);
    plane.clamped_low = detected->clamped_low;
    plane.clamped_high = detected->clamped_high;
    if (plane.clamped_high > 0)
      scan.truth.warnings.push_back(fmt::format("{} plane: {} pixels saturated at 65535", plane.channel, plane.clamped_high));
    scan.planes.push_back(make_image(std::move(detected->counts), options, plane, phantom));
    if (progress) progress(forward_share + (1 - forward_share) * static_cast<double>(e + 1) / photons->size());
  }
  scan.stage_seconds.emplace_back("detector", seconds_since(start));
  scan.expected_photons = std::move(*photons);
  return scan;
}

}  // namespace niikit::phantoms::generator
