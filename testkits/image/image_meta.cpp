// Image metadata as a small JSON document, stored in the TIFF ImageDescription tag and in a
// PNG tEXt "Description" chunk. Qt writes doubles in their shortest round-trip form, so the
// pixel pitch survives exactly (the TIFF/PNG resolution fields are rounded).
#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <cmath>
#include <fmt/format.h>

#include "testkits/image/image_internal.hpp"

namespace niikit::testkits::detail {

std::string_view channel_name(EnergyChannel channel) {
  switch (channel) {
    case EnergyChannel::high: return "high";
    case EnergyChannel::low: return "low";
    case EnergyChannel::single: break;
  }
  return "single";
}

std::string_view kind_name(ImageKind kind) {
  switch (kind) {
    case ImageKind::log: return "log";
    case ImageKind::processed: return "processed";
    case ImageKind::raw: break;
  }
  return "raw";
}

std::string meta_to_json(const ImageMeta& meta) {
  QJsonObject o;
  o.insert("niikit", 1);
  o.insert("channel", QString::fromUtf8(channel_name(meta.channel).data()));
  if (!meta.view.empty()) o.insert("view", QString::fromStdString(meta.view));
  o.insert("kind", QString::fromUtf8(kind_name(meta.kind).data()));
  if (meta.pixel_mm_x > 0.0 && std::isfinite(meta.pixel_mm_x)) o.insert("pixel_mm_x", meta.pixel_mm_x);
  if (meta.pixel_mm_y > 0.0 && std::isfinite(meta.pixel_mm_y)) o.insert("pixel_mm_y", meta.pixel_mm_y);
  return QJsonDocument(o).toJson(QJsonDocument::Compact).toStdString();
}

namespace {

Result<EnergyChannel> parse_channel(const std::string& path, const QJsonValue& v) {
  if (v.isUndefined()) return EnergyChannel::single;
  const QString s = v.toString();
  if (s == "single") return EnergyChannel::single;
  if (s == "high") return EnergyChannel::high;
  if (s == "low") return EnergyChannel::low;
  return path_error(ErrorCode::input, path, "image metadata: channel '" + s.toStdString() + "' unknown (single, high, low)");
}

Result<ImageKind> parse_kind(const std::string& path, const QJsonValue& v) {
  if (v.isUndefined()) return ImageKind::raw;
  const QString s = v.toString();
  if (s == "raw") return ImageKind::raw;
  if (s == "log") return ImageKind::log;
  if (s == "processed") return ImageKind::processed;
  return path_error(ErrorCode::input, path, "image metadata: kind '" + s.toStdString() + "' unknown (raw, log, processed)");
}

Result<double> parse_pitch(const std::string& path, const QJsonObject& o, const char* key) {
  const QJsonValue v = o.value(key);
  if (v.isUndefined()) return 0.0;
  const double mm = v.toDouble(-1.0);
  if (!v.isDouble() || !std::isfinite(mm) || mm <= 0.0)
    return path_error(ErrorCode::input, path, fmt::format("image metadata: {} must be a positive number of mm", key));
  return mm;
}

}  // namespace

Result<std::optional<ParsedMeta>> meta_from_json(const std::string& path, std::string_view text) {
  QJsonParseError err{};
  const QJsonDocument doc =
      QJsonDocument::fromJson(QByteArray(text.data(), static_cast<qsizetype>(text.size())), &err);
  if (err.error != QJsonParseError::NoError || !doc.isObject()) return std::optional<ParsedMeta>{};
  const QJsonObject o = doc.object();
  if (!o.contains("niikit")) return std::optional<ParsedMeta>{};
  ParsedMeta parsed;
  auto channel = parse_channel(path, o.value("channel"));
  if (!channel) return tl::unexpected(channel.error());
  auto kind = parse_kind(path, o.value("kind"));
  if (!kind) return tl::unexpected(kind.error());
  auto pitch_x = parse_pitch(path, o, "pixel_mm_x");
  if (!pitch_x) return tl::unexpected(pitch_x.error());
  auto pitch_y = parse_pitch(path, o, "pixel_mm_y");
  if (!pitch_y) return tl::unexpected(pitch_y.error());
  const QJsonValue view = o.value("view");
  if (!view.isUndefined() && !view.isString())
    return path_error(ErrorCode::input, path, "image metadata: view must be a string");
  parsed.meta.channel = *channel;
  parsed.meta.kind = *kind;
  parsed.meta.view = one_line(view.toString().toStdString());
  parsed.meta.pixel_mm_x = *pitch_x;
  parsed.meta.pixel_mm_y = *pitch_y;
  parsed.has_pitch = o.contains("pixel_mm_x") || o.contains("pixel_mm_y");
  return std::optional<ParsedMeta>{parsed};
}

}  // namespace niikit::testkits::detail
