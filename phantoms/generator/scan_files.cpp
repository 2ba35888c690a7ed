#include "phantoms/generator/scan_files.hpp"

#include <QFile>
#include <QJsonDocument>
#include <QSaveFile>

#include "phantoms/generator/truth.hpp"
#include "testkits/image/image.hpp"

namespace niikit::phantoms::generator {

namespace {

Status write_truth(const std::string& path, const QJsonObject& truth) {
  QSaveFile file(QString::fromStdString(path));  // a temporary file, renamed on commit
  if (!file.open(QIODevice::WriteOnly))
    return fail(ErrorCode::io, path + ": cannot write truth: " + file.errorString().toStdString());
  file.write(QJsonDocument(truth).toJson(QJsonDocument::Indented));
  if (!file.commit()) return fail(ErrorCode::io, path + ": cannot write truth: " + file.errorString().toStdString());
  return {};
}

}  // namespace

Result<std::vector<WrittenFile>> write_scan_files(const RenderedScan& scan, const ScanFilePaths& paths) {
  std::vector<WrittenFile> written;
  const auto undo = [&](const Error& e) {
    for (const auto& f : written) QFile::remove(QString::fromStdString(f.path));
    return tl::unexpected<Error>(e);
  };
  if (scan.planes.size() == 1) {
    if (auto s = testkits::write_image(paths.image, scan.planes[0]); !s) return undo(s.error());
    written.push_back({paths.image, "image", "single"});
  } else if (paths.low_image.empty()) {
    if (auto s = testkits::write_image_pages(paths.image, scan.planes); !s) return undo(s.error());
    written.push_back({paths.image, "image", "high+low"});
  } else {
    if (auto s = testkits::write_image(paths.image, scan.planes[0]); !s) return undo(s.error());
    written.push_back({paths.image, "image", "high"});
    if (auto s = testkits::write_image(paths.low_image, scan.planes[1]); !s) return undo(s.error());
    written.push_back({paths.low_image, "image", "low"});
  }
  if (auto s = write_truth(paths.truth, truth_to_json(scan.truth)); !s) return undo(s.error());
  written.push_back({paths.truth, "truth", ""});
  return written;
}

}  // namespace niikit::phantoms::generator
