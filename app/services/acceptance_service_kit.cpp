#include "app/services/acceptance_service_kit.hpp"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "app/services/analyze_service.hpp"
#include "app/services/registry_service.hpp"
#include "testkits/kits/kit.hpp"

namespace niikit::services {

namespace {

QJsonObject parse_object(const std::string& text, const std::string& source, Error* error) {
  QJsonParseError perr;
  const auto doc = QJsonDocument::fromJson(QByteArray(text.data(), static_cast<qsizetype>(text.size())), &perr);
  if (perr.error != QJsonParseError::NoError || !doc.isObject()) {
    *error = Error{ErrorCode::input, fmt::format("{}: not a JSON object ({})", source,
                                                 perr.error != QJsonParseError::NoError
                                                     ? perr.errorString().toStdString()
                                                     : std::string("top level is not an object"))};
    return {};
  }
  QJsonObject o = doc.object();
  // `niikit iq analyze --json` may wrap the kit result; accept either form.
  if (o.value("result").isObject() && !o.contains("tests")) o = o.value("result").toObject();
  return o;
}

std::string compact(const QJsonObject& o) {
  return QJsonDocument(o).toJson(QJsonDocument::Compact).toStdString();
}

Result<std::string> read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorCode::not_found, fmt::format("kit result {}: cannot be opened", path));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Image paths and hashes shared by both ways of getting a result.
Status hash_images(const KitRunRequest& req, db::KitRun& run) {
  auto main = sha256_file(req.image_path);
  if (!main) return tl::unexpected(main.error().with_context("image"));
  run.image_path = req.image_path;
  run.image_sha256 = *main;
  if (!req.low_energy_path.empty()) {
    auto low = sha256_file(req.low_energy_path);
    if (!low) return tl::unexpected(low.error().with_context("--low-energy"));
    run.low_energy_path = req.low_energy_path;
    run.low_energy_sha256 = *low;
  }
  QJsonArray blanks;
  for (const auto& b : req.blank_paths) {
    auto h = sha256_file(b);
    if (!h) return tl::unexpected(h.error().with_context("--blank"));
    blanks.append(QJsonObject{{"path", QString::fromStdString(b)}, {"sha256", QString::fromStdString(*h)}});
  }
  run.blank_images_json = QJsonDocument(blanks).toJson(QJsonDocument::Compact).toStdString();
  QJsonObject options;
  if (req.pixel_mm) options["pixel_mm"] = *req.pixel_mm;
  if (!req.phantom.empty()) options["phantom"] = QString::fromStdString(req.phantom);
  run.options_json = compact(options);
  return {};
}

Result<KitEvidence> from_result_file(const KitRunRequest& req) {
  auto text = read_text(req.result_json_path);
  if (!text) return tl::unexpected(text.error());
  Error err;
  const QJsonObject o = parse_object(*text, req.result_json_path, &err);
  if (o.isEmpty()) return tl::unexpected(err);
  KitEvidence ev;
  ev.run.kit_id = o.value("kit_id").toString().toStdString();
  ev.run.kit_version = o.value("kit_version").toString().toStdString();
  if (ev.run.kit_id.empty() || ev.run.kit_version.empty())
    return fail(ErrorCode::input, fmt::format("{}: field 'kit_id' or 'kit_version' missing (not a kit result)",
                                              req.result_json_path));
  if (!req.kit_id.empty() && req.kit_id != ev.run.kit_id)
    return fail(ErrorCode::input, fmt::format("{}: a result of kit '{}', not of --kit {}", req.result_json_path,
                                              ev.run.kit_id, req.kit_id));
  ev.run.phantom = o.value("phantom_id").toString().toStdString();
  if (ev.run.phantom.empty()) ev.run.phantom = o.value("phantom_name").toString().toStdString();
  ev.run.result_json = compact(o);
  auto metrics = metrics_from_result_json(ev.run.result_json, req.result_json_path);
  if (!metrics) return tl::unexpected(metrics.error());
  ev.metrics = std::move(*metrics);
  if (auto st = hash_images(req, ev.run); !st) return tl::unexpected(st.error());
  ev.run.overlay_path = req.overlay_path;
  return ev;
}

}  // namespace

Result<std::vector<KitMetric>> metrics_from_result_json(const std::string& json_text, const std::string& source) {
  Error err;
  const QJsonObject o = parse_object(json_text, source, &err);
  if (o.isEmpty()) return tl::unexpected(err);
  if (!o.value("tests").isArray()) return fail(ErrorCode::input, fmt::format("{}: field 'tests' missing", source));
  std::vector<KitMetric> out;
  for (const auto& t : o.value("tests").toArray()) {
    for (const auto& mv : t.toObject().value("metrics").toArray()) {
      const auto m = mv.toObject();
      KitMetric k{m.value("key").toString().toStdString(), m.value("value").toDouble(std::nan("")),
                  m.value("unit").toString().toStdString()};
      if (k.key.empty())
        return fail(ErrorCode::input, fmt::format("{}: test '{}': a metric without a key", source,
                                                  t.toObject().value("test_id").toString().toStdString()));
      if (std::isfinite(k.value)) out.push_back(std::move(k));   // a value the kit could not measure is no evidence
    }
  }
  return out;
}

std::map<std::string, std::string> kit_metric_units() {
  std::map<std::string, std::string> out;
  for (const auto& kit : testkits::kits::kit_registry())
    for (const auto& test : kit.tests)
      for (const auto& m : test.metrics) out[m.key] = m.unit;
  return out;
}

namespace {

// Runs the kit on the request's images through the analyse use case (which also writes the
// overlay), keeping the full result.
Result<KitEvidence> from_kit(const KitRunRequest& req) {
  if (req.kit_id.empty()) return fail(ErrorCode::usage, "a kit run needs --kit KIT");
  AnalyzeRequest a;
  a.kit_id = req.kit_id;
  a.images = {req.image_path};
  a.low_energy = req.low_energy_path;
  a.blanks = req.blank_paths;
  a.phantom = req.phantom;
  a.overlay_path = req.overlay_path;
  if (req.pixel_mm) {
    if (!(*req.pixel_mm > 0)) return fail(ErrorCode::input, fmt::format("--pixel-mm {}: must be > 0", *req.pixel_mm));
    a.options.pixel_mm_x = a.options.pixel_mm_y = *req.pixel_mm;
  }
  auto report = analyze(a);
  if (!report) return tl::unexpected(report.error());
  if (report->images.size() != 1)
    return fail(ErrorCode::input, fmt::format("{}: expected one image, found {}", req.image_path, report->images.size()));
  const auto& img = report->images.front();
  if (img.error) return tl::unexpected(*img.error);
  KitEvidence ev;
  const auto& r = *img.result;
  ev.run.kit_id = r.kit_id;
  ev.run.kit_version = r.kit_version;
  ev.run.phantom = r.phantom_id;
  ev.run.result_json = compact(testkits::kits::kit_result_to_json(r));
  ev.run.overlay_path = img.overlay_path;
  for (const auto& t : r.tests)
    for (const auto& m : t.metrics)
      if (std::isfinite(m.value)) ev.metrics.push_back({m.key, m.value, m.unit});
  if (auto st = hash_images(req, ev.run); !st) return tl::unexpected(st.error());
  return ev;
}

}  // namespace

Result<KitEvidence> run_kit_for_session(const KitRunRequest& req) {
  if (req.image_path.empty()) return fail(ErrorCode::usage, "a kit run needs the IMAGE it analyses");
  if (!req.result_json_path.empty()) return from_result_file(req);
  return from_kit(req);
}

}  // namespace niikit::services
