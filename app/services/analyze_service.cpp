// Kit runs on files, batches on a worker pool, requirement judging, overlays.
#include "app/services/analyze_service.hpp"

#include <fmt/format.h>

#include <QFile>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <mutex>
#include <thread>

#include "core/atomic_file.hpp"
#include "phantoms/phantom.hpp"
#include "testkits/image/image.hpp"
#include "testkits/image/png_encode.hpp"
#include "testkits/kits/overlay.hpp"

namespace niikit::services {

namespace fs = std::filesystem;
namespace kits = testkits::kits;

namespace {

bool is_image_file(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext == ".tif" || ext == ".tiff" || ext == ".png";
}

// The overlay goes through AtomicFile like every output: fsynced, renamed, folder fsynced,
// leftovers of killed writers removed, mode from the umask.
Status write_png_atomic(const std::string& path, const cv::Mat& bgr) {
  auto bytes = testkits::encode_png_pixels(path, bgr);
  if (!bytes) return tl::unexpected(bytes.error());
  return write_file_atomically(path, std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size()));
}

Result<std::vector<testkits::Image>> read_all(const std::vector<std::string>& paths) {
  std::vector<testkits::Image> out;
  for (const auto& p : paths) {
    auto img = testkits::read_image(p);
    if (!img) return tl::unexpected(img.error());
    out.push_back(std::move(*img));
  }
  return out;
}

// Shared, read-only inputs of every image of the request.
struct Common {
  const kits::KitInfo* kit = nullptr;
  phantoms::Phantom phantom;
  std::vector<domain::Requirement> requirements;
  std::vector<testkits::Image> blanks, views;
  std::optional<testkits::Image> low_energy;
};

AnalyzedImage analyze_one(const AnalyzeRequest& req, const Common& c, const std::string& path, bool batch) {
  AnalyzedImage out;
  out.path = path;
  auto pages = testkits::read_image_pages(path);
  if (!pages) {
    out.error = pages.error();
    return out;
  }
  kits::KitInput in;
  in.image = std::move(pages->front());
  in.image.source = path;
  if (c.low_energy)
    in.low_energy = c.low_energy;
  else if (pages->size() >= 2)
    in.low_energy = (*pages)[1];  // a dual-energy TIFF: page 0 high, page 1 low
  in.blanks = c.blanks;
  in.views = c.views;
  in.phantom = c.phantom;
  in.options = req.options;
  auto r = c.kit->run(in);
  if (!r) {
    out.error = r.error();
    return out;
  }
  out.requirements = judge_kit_requirements(c.requirements, *r);
  std::string overlay = batch ? std::string() : req.overlay_path;
  if (batch && !req.overlay_dir.empty())
    overlay = (fs::path(req.overlay_dir) / (fs::path(path).stem().string() + ".overlay.png")).string();
  if (!overlay.empty()) {
    auto png = kits::render_overlay(in.image.pixels, *r);
    Status s = png ? write_png_atomic(overlay, *png) : Status(tl::unexpected(png.error()));
    if (!s)
      out.error = s.error();
    else
      out.overlay_path = overlay;
  }
  out.result = std::move(*r);
  return out;
}

}  // namespace

Result<std::vector<std::string>> expand_image_inputs(const std::vector<std::string>& inputs) {
  std::vector<std::string> out;
  for (const auto& in : inputs) {
    std::error_code ec;
    if (fs::is_directory(in, ec)) {
      std::vector<std::string> found;
      for (const auto& e : fs::directory_iterator(in, ec))
        if (e.is_regular_file() && is_image_file(e.path())) found.push_back(e.path().string());
      if (found.empty()) return fail(ErrorCode::input, in + ": folder holds no .tif, .tiff or .png image");
      std::sort(found.begin(), found.end());
      out.insert(out.end(), found.begin(), found.end());
    } else if (fs::exists(in, ec)) {
      out.push_back(in);
    } else {
      return fail(ErrorCode::not_found, in + ": no such file or folder");
    }
  }
  if (out.empty()) return fail(ErrorCode::usage, "no image given");
  return out;
}

std::vector<RequirementOutcome> judge_kit_requirements(const std::vector<domain::Requirement>& requirements,
                                                       const kits::KitResult& result) {
  std::vector<RequirementOutcome> out;
  const std::string prefix = result.kit_id + ".";
  for (const auto& r : requirements) {
    if (r.metric_key.rfind(prefix, 0) != 0) continue;
    RequirementOutcome o{r, result.metric(r.metric_key), {}};
    o.judgement = domain::judge(r, o.measured);
    out.push_back(std::move(o));
  }
  return out;
}

Result<AnalyzeReport> analyze(const AnalyzeRequest& req, const std::function<void(int, int)>& progress) {
  Common c;
  c.kit = kits::find_kit(req.kit_id);
  if (!c.kit) {
    std::string names;
    for (const auto& k : kits::kit_registry()) names += (names.empty() ? "" : ", ") + k.id;
    return fail(ErrorCode::usage, fmt::format("--kit '{}': unknown kit (known: {})", req.kit_id, names));
  }
  if (req.workers < 1 || req.workers > 16) return fail(ErrorCode::usage, "workers must be 1..16");
  auto files = expand_image_inputs(req.images);
  if (!files) return tl::unexpected(files.error());
  const bool batch = files->size() > 1;
  if (batch && !req.low_energy.empty())
    return fail(ErrorCode::usage, "--low-energy goes with a single scan; give two-page TIFFs for a batch of dual-energy scans");
  if (batch && !req.overlay_path.empty()) return fail(ErrorCode::usage, "--overlay goes with a single scan; use --overlay-dir");
  auto phantom = phantoms::resolve_phantom(req.phantom.empty() ? c.kit->default_phantom : req.phantom);
  if (!phantom) return tl::unexpected(phantom.error());
  c.phantom = std::move(*phantom);
  if (!req.requirements_path.empty()) {
    QFile f(QString::fromStdString(req.requirements_path));
    if (!f.exists()) return fail(ErrorCode::not_found, req.requirements_path + ": no such file");
    if (!f.open(QIODevice::ReadOnly)) return fail(ErrorCode::io, req.requirements_path + ": cannot read");
    const QByteArray bytes = f.readAll();
    auto reqs = domain::parse_requirements_json(std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())),
                                                req.requirements_path);
    if (!reqs) return tl::unexpected(reqs.error());
    c.requirements = std::move(*reqs);
  }
  if (!req.low_energy.empty()) {
    auto low = testkits::read_image(req.low_energy);
    if (!low) return tl::unexpected(low.error());
    low->source = req.low_energy;
    c.low_energy = std::move(*low);
  }
  auto blanks = read_all(req.blanks);
  if (!blanks) return tl::unexpected(blanks.error());
  c.blanks = std::move(*blanks);
  auto views = read_all(req.views);
  if (!views) return tl::unexpected(views.error());
  c.views = std::move(*views);
  if (!req.overlay_dir.empty()) {
    std::error_code ec;
    fs::create_directories(req.overlay_dir, ec);
    if (ec) return fail(ErrorCode::io, req.overlay_dir + ": cannot create: " + ec.message());
  }

  AnalyzeReport report;
  report.kit_id = req.kit_id;
  report.requirements_given = !req.requirements_path.empty();
  report.images.resize(files->size());
  std::atomic<std::size_t> next{0};
  std::mutex progress_lock;
  int done = 0;
  const int total = static_cast<int>(files->size());
  auto worker = [&] {
    for (std::size_t i = next++; i < files->size(); i = next++) {
      report.images[i] = analyze_one(req, c, (*files)[i], batch);
      if (progress) {
        std::lock_guard lock(progress_lock);
        progress(++done, total);
      }
    }
  };
  const int n = std::min(req.workers, total);
  if (n <= 1) {
    worker();
  } else {
    std::vector<std::jthread> pool;
    for (int k = 0; k < n; ++k) pool.emplace_back(worker);
  }
  for (const auto& im : report.images)
    for (const auto& o : im.requirements)
      if (o.requirement.mandatory && o.judgement.verdict == domain::Verdict::fail) ++report.mandatory_failed;
  return report;
}

}  // namespace niikit::services
