// `niikit phantom render`: renders a synthetic scan of a phantom with known truth
// (phantoms/generator/, docs/generator.md) and writes the 16-bit image(s) and the truth JSON.
// Files are written by phantoms/generator/scan_files (atomic, all or none).
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <memory>
#include <ostream>
#include <sstream>

#include "app/cli/commands.hpp"
#include "phantoms/generator/render.hpp"
#include "phantoms/generator/scan_files.hpp"
#include "phantoms/phantom.hpp"
#include "phantoms/phantom_dir.hpp"
#include "testkits/image/image.hpp"

namespace niikit::cli {
namespace {

using phantoms::generator::RenderOptions;

QString q(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

// What the command line says, before it becomes RenderOptions: single values that set both
// axes (--psf-mm, --pixel-mm, --scale) give way to the per-axis ones.
struct RenderArgs {
  std::string phantom, dir, out, low_out, truth;
  std::string energy = "mev";
  std::string energy_kev;        // "HIGH" or "HIGH,LOW"
  std::string shift_px;          // "X,Y"
  std::string size_px;           // "W,H"
  double psf_mm = NAN, psf_mm_x = NAN, psf_mm_y = NAN;
  double pixel_mm = NAN, pixel_mm_x = NAN, pixel_mm_y = NAN;
  double scale = NAN, scale_x = NAN, scale_y = NAN;
  RenderOptions options;
};

// Parses "A,B" (or "A" when `one_ok`) into numbers; a usage error names the option.
Result<std::vector<double>> number_list(const std::string& text, const std::string& option, bool one_ok) {
  std::vector<double> values;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    try {
      std::size_t used = 0;
      values.push_back(std::stod(item, &used));
      if (used != item.size()) throw std::invalid_argument(item);
    } catch (const std::exception&) {
      return fail(ErrorCode::usage, fmt::format("{} '{}': '{}' is not a number", option, text, item));
    }
  }
  if (values.size() == 2 || (one_ok && values.size() == 1)) return values;
  return fail(ErrorCode::usage, fmt::format("{} '{}': expected {}", option, text, one_ok ? "N or N,N" : "X,Y"));
}

double pick(double axis, double both, double fallback) {
  if (!std::isnan(axis)) return axis;
  return std::isnan(both) ? fallback : both;
}

Status apply_pairs(RenderArgs& a) {
  auto& o = a.options;
  if (!a.energy_kev.empty()) {
    auto kev = number_list(a.energy_kev, "--energy-kev", true);
    if (!kev) return tl::unexpected(kev.error());
    o.energy_high_keV = (*kev)[0];
    if (kev->size() == 2) o.energy_low_keV = (*kev)[1];
  }
  if (!a.shift_px.empty()) {
    auto shift = number_list(a.shift_px, "--shift-px", false);
    if (!shift) return tl::unexpected(shift.error());
    o.shift_px_x = (*shift)[0], o.shift_px_y = (*shift)[1];
  }
  if (!a.size_px.empty()) {
    auto size = number_list(a.size_px, "--size-px", false);
    if (!size) return tl::unexpected(size.error());
    o.image_width_px = static_cast<int>((*size)[0]), o.image_height_px = static_cast<int>((*size)[1]);
  }
  return {};
}

// Resolves the argument set into RenderOptions; usage errors for inconsistent outputs.
Status resolve_options(RenderArgs& a) {
  auto& o = a.options;
  const auto preset = phantoms::generator::beam_preset_from_name(a.energy);
  if (!preset)
    return fail(ErrorCode::usage, "--energy '" + a.energy + "': expected low-kv, high-kv, mev, dual (= dual-mev), "
                                  "dual-mev or dual-kv");
  o.beam = *preset;
  o.psf_sigma_mm_x = pick(a.psf_mm_x, a.psf_mm, o.psf_sigma_mm_x);
  o.psf_sigma_mm_y = pick(a.psf_mm_y, a.psf_mm, o.psf_sigma_mm_y);
  o.pixel_mm_x = pick(a.pixel_mm_x, a.pixel_mm, o.pixel_mm_x);
  o.pixel_mm_y = pick(a.pixel_mm_y, a.pixel_mm, o.pixel_mm_y);
  o.scale_x = pick(a.scale_x, a.scale, o.scale_x);
  o.scale_y = pick(a.scale_y, a.scale, o.scale_y);
  if (auto pairs = apply_pairs(a); !pairs) return pairs;
  const bool dual = phantoms::generator::is_dual_energy(o.beam);
  if (!a.low_out.empty() && !dual)
    return fail(ErrorCode::usage, "--low-energy-out needs a dual-energy beam (--energy dual, dual-mev or dual-kv)");
  const QString suffix = QFileInfo(q(a.out)).suffix().toLower();
  if (dual && a.low_out.empty() && suffix != "tif" && suffix != "tiff")
    return fail(ErrorCode::usage, "--out '" + a.out + "': a dual-energy pair in one file must be a .tif/.tiff "
                                  "(page 0 high, page 1 low), or give --low-energy-out");
  if (a.truth.empty()) {
    const QFileInfo info(q(a.out));
    a.truth = (info.path() + "/" + info.completeBaseName() + ".truth.json").toStdString();
  }
  return phantoms::generator::validate_render_options(o);
}

// Writes image(s) and truth (atomically, all or none) and lists them for the summary.
Result<QJsonArray> write_outputs(const RenderArgs& a, const phantoms::generator::RenderedScan& scan) {
  auto written = phantoms::generator::write_scan_files(scan, {a.out, a.low_out, a.truth});
  if (!written) return tl::unexpected(written.error());
  QJsonArray files;
  for (const auto& f : *written)
    files.append(QJsonObject{{"path", q(f.path)}, {"kind", q(f.kind)}, {"channel", q(f.channel)}});
  return files;
}

// A one-line percentage on stderr, redrawn only when the whole percent changes.
phantoms::generator::ProgressFn progress_printer(const CliContext& ctx, std::shared_ptr<int> last) {
  if (!ctx.show_progress()) return {};
  return [&ctx, last](double fraction) {
    const int percent = static_cast<int>(fraction * 100);
    if (percent == *last) return;
    *last = percent;
    *ctx.err << "\rrendering " << percent << " %" << std::flush;
  };
}

Status run_render(CliContext& ctx, RenderArgs& a) {
  if (auto s = resolve_options(a); !s) return s;
  auto phantom = phantoms::resolve_phantom(a.phantom, a.dir.empty() ? phantoms::shipped_phantom_dir() : a.dir);
  if (!phantom) return tl::unexpected(phantom.error());
  const auto start = std::chrono::steady_clock::now();
  auto last = std::make_shared<int>(-1);
  auto scan = phantoms::generator::render_scan(*phantom, a.options, progress_printer(ctx, last));
  if (*last >= 0) *ctx.err << "\n";
  if (!scan) return tl::unexpected(scan.error().with_context("phantom " + phantom->id));
  auto files = write_outputs(a, *scan);
  if (!files) return tl::unexpected(files.error());
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  const auto& img = scan->planes[0].pixels;
  const auto energies = phantoms::generator::effective_energies_keV(a.options);
  QJsonObject stages;
  for (const auto& [stage, s] : scan->stage_seconds) stages[q(stage)] = s;
  QJsonArray energy_json, warnings;
  for (const double e : energies) energy_json.append(e);
  for (const auto& w : scan->truth.warnings) warnings.append(q(w));
  const QJsonObject json{{"phantom", q(phantom->id)}, {"files", *files}, {"width_px", img.cols},
                         {"height_px", img.rows}, {"planes", static_cast<int>(scan->planes.size())},
                         {"beam", q(phantoms::generator::beam_preset_name(a.options.beam))},
                         {"energies_kev", energy_json}, {"seed", QString::number(a.options.seed)},
                         {"seconds", seconds}, {"stage_seconds", stages}, {"warnings", warnings}};
  ctx.print(json, [&](std::ostream& out) {
    out << fmt::format("rendered {}: {} x {} px, {} ({} keV), seed {}, {:.2f} s\n", phantom->id, img.cols, img.rows,
                       phantoms::generator::beam_preset_name(a.options.beam), fmt::join(energies, "/"),
                       a.options.seed, seconds);
    for (const auto& f : *files) out << "  wrote " << f.toObject()["path"].toString().toStdString() << "\n";
    for (const auto& w : scan->truth.warnings) out << "  warning: " << w << "\n";
  });
  return {};
}

void add_render_options(CLI::App* cmd, RenderArgs& a) {
  auto& o = a.options;
  cmd->add_option("--energy", a.energy, "Beam preset: low-kv (70 keV), high-kv (150 keV), mev (2 MeV), dual = "
                                        "dual-mev (2/1.4 MeV), dual-kv (70/40 keV)")->capture_default_str();
  cmd->add_option("--energy-kev", a.energy_kev, "Override the effective energies, keV: HIGH or HIGH,LOW")->type_name("KEV");
  cmd->add_option("--dose-photons", o.dose_photons, "Photons per pixel in air (I0)")->capture_default_str();
  cmd->add_option("--psf-mm", a.psf_mm, "Gaussian PSF sigma, mm, both axes (default 0.5)");
  cmd->add_option("--psf-mm-x", a.psf_mm_x, "PSF sigma across the scan (x), mm");
  cmd->add_option("--psf-mm-y", a.psf_mm_y, "PSF sigma along the scan (y), mm");
  cmd->add_option("--pixel-mm", a.pixel_mm, "Pixel pitch, mm, both axes (default 1.0)");
  cmd->add_option("--pixel-mm-x", a.pixel_mm_x, "Pixel pitch across the scan (x), mm");
  cmd->add_option("--pixel-mm-y", a.pixel_mm_y, "Pixel pitch along the scan (y), mm");
  cmd->add_option("--gain", o.gain_counts_per_photon, "Counts per photon; 0 = automatic (air at <= 90 % of 16 bits)")
      ->capture_default_str();
  cmd->add_option("--electronic-noise", o.electronic_noise_counts, "Electronic noise sigma, counts")->capture_default_str();
  cmd->add_option("--gain-stripes", o.gain_stripes_rel, "Per-column gain relative sigma (0.01 = 1 %)")->capture_default_str();
  cmd->add_option("--dark-offset", o.dark_offset_counts, "Dark offset, counts")->capture_default_str();
  cmd->add_option("--scatter-fraction", o.scatter_fraction, "Scatter tail of the PSF: fraction of the signal (0.03 = 3 %)")
      ->capture_default_str();
  cmd->add_option("--scatter-sigma-mm", o.scatter_sigma_mm, "Scatter tail sigma, mm")->capture_default_str();
  cmd->add_option("--gain-field", o.gain_field_rel, "Smooth detector gain field, +/- relative (0.03 = 3 %)")
      ->capture_default_str();
  cmd->add_option("--shift-px", a.shift_px, "Shift of the phantom, px: X,Y")->type_name("X,Y");
  cmd->add_option("--rotate-deg", o.rotation_deg, "Rotation of the phantom, degrees (+ from +x to +y)");
  cmd->add_option("--scale", a.scale, "Magnification, both axes (default 1)");
  cmd->add_option("--scale-x", a.scale_x, "Magnification across the scan (x)");
  cmd->add_option("--scale-y", a.scale_y, "Magnification along the scan (y)");
  cmd->add_flag("--flip-x", o.flip_x, "Mirror the image left-right");
  cmd->add_flag("--flip-y", o.flip_y, "Mirror the image top-bottom");
  cmd->add_option("--margin-mm", o.margin_mm, "Air margin around the phantom, mm")->capture_default_str();
  cmd->add_option("--size-px", a.size_px, "Image size W,H in px (default: phantom + margin)")->type_name("W,H");
  cmd->add_option("--seed", o.seed, "Random seed (same seed = identical images)")->capture_default_str();
  cmd->add_option("--supersample", o.supersample, "Samples per pixel side (1-16)")->capture_default_str();
}

}  // namespace

void register_phantom_render_command(CLI::App& phantom_cmd, CliContext& ctx) {
  auto a = std::make_shared<RenderArgs>();
  auto* cmd = phantom_cmd.add_subcommand(
      "render", "Render a synthetic 16-bit scan of a phantom with known truth (docs/generator.md): Beer-Lambert at "
                "effective energies, Gaussian PSF, Poisson + electronic noise, gain stripes, placement");
  cmd->add_option("phantom", a->phantom, "Phantom file (path or *.json) or id of a phantom in --dir")
      ->required()->type_name("PHANTOM");
  cmd->add_option("--dir", a->dir, "Where ids are looked up (default: the shipped phantoms/)")->type_name("DIR");
  cmd->add_option("--out", a->out, "Image file (.tif/.tiff or .png); dual energy: two-page TIFF unless "
                                   "--low-energy-out")->required()->type_name("FILE");
  cmd->add_option("--low-energy-out", a->low_out, "Low-energy plane to its own file (dual energy)")->type_name("FILE");
  cmd->add_option("--truth", a->truth, "Truth JSON (default: OUT without extension + .truth.json)")->type_name("FILE");
  add_render_options(cmd, *a);
  cmd->callback([&ctx, a] { ctx.action = [&ctx, a] { return run_render(ctx, *a); }; });
}

}  // namespace niikit::cli
