// `niikit iq material`: dual-energy material classification of blocks (R = A_low / A_high against
// a class calibration) with a confusion table. Method: testkits/metrics/material_classes.hpp,
// docs/methods/material.md.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <fmt/format.h>

#include <memory>
#include <string>
#include <vector>
#include <iostream>

#include "app/cli/commands.hpp"
#include "reports/text_table.hpp"
#include "testkits/image/image.hpp"
#include "testkits/metrics/material_classes.hpp"

namespace niikit::cli {

namespace {

namespace tk = niikit::testkits;

struct IqMaterialOptions {
  std::string dual;  // one two-page TIFF (page 0 high, page 1 low)
  std::string high;
  std::string low;
  std::vector<std::string> blocks;      // X,Y,W,H[:label[:expected]]
  std::vector<std::string> references;  // X,Y,W,H:label:class (calibrate on this image)
  std::vector<std::string> air_rois;
  double dark = 0.0;
  double dark_high = -1.0;
  double dark_low = -1.0;
  std::string calibration_file;
  std::string beam;
};

// "X,Y,W,H[:label[:expected]]"; label defaults to "block N".
Result<tk::MaterialSample> parse_sample(const std::string& text, const std::string& option, std::size_t index) {
  const auto first = text.find(':');
  auto roi = tk::parse_roi(text.substr(0, first), option);
  if (!roi) return tl::unexpected(roi.error());
  tk::MaterialSample s;
  s.roi = *roi;
  s.label = fmt::format("block {}", index + 1);
  if (first != std::string::npos) {
    const std::string rest = text.substr(first + 1);
    const auto second = rest.find(':');
    if (!rest.substr(0, second).empty()) s.label = rest.substr(0, second);
    if (second != std::string::npos) s.expected_class = rest.substr(second + 1);
  }
  if (!s.expected_class.empty()) {
    bool known = false;
    for (auto name : tk::material_class_names()) known = known || name == s.expected_class;
    if (!known)
      return fail(ErrorCode::usage, fmt::format("{} '{}': class '{}' is not one of organic, mixed, inorganic, heavy",
                                                option, text, s.expected_class));
  }
  return s;
}

Result<tk::MaterialCalibration> read_calibration(const std::string& path) {
  QFile file(QString::fromStdString(path));
  if (!file.exists()) return fail(ErrorCode::not_found, path + ": calibration file not found");
  if (!file.open(QIODevice::ReadOnly)) return fail(ErrorCode::io, path + ": cannot be read");
  QJsonParseError err{};
  const auto doc = QJsonDocument::fromJson(file.readAll(), &err);
  if (err.error != QJsonParseError::NoError || !doc.isObject())
    return fail(ErrorCode::input, fmt::format("{}: not a JSON object ({})", path, err.errorString().toStdString()));
  const auto root = doc.object();
  std::vector<tk::MaterialReference> refs;
  for (const auto& c : root.value("classes").toArray()) {
    const auto cls = c.toObject();
    const std::string name = cls.value("name").toString().toStdString();
    for (const auto& p : cls.value("points").toArray())
      refs.push_back({name, p.toObject().value("a_high").toDouble(), p.toObject().value("r").toDouble()});
  }
  auto cal = tk::calibrate_material_classes(refs, root.value("source").toString(QString::fromStdString(path)).toStdString());
  if (!cal) return tl::unexpected(cal.error().with_context(path));
  if (root.contains("min_a_high")) cal->min_a_high = root.value("min_a_high").toDouble();
  if (root.contains("min_transmission")) cal->min_transmission = root.value("min_transmission").toDouble();
  for (const auto& n : root.value("notes").toArray()) cal->notes.push_back(n.toString().toStdString());
  return cal;
}

QJsonObject calibration_json(const tk::MaterialCalibration& c) {
  QJsonArray classes, notes;
  for (const auto& k : c.classes) {
    QJsonArray points;
    for (const auto& p : k.points) points.append(QJsonObject{{"a_high", p.a_high}, {"r", p.r}});
    classes.append(QJsonObject{{"name", QString::fromStdString(k.name)}, {"points", points}});
  }
  for (const auto& n : c.notes) notes.append(QString::fromStdString(n));
  return QJsonObject{{"source", QString::fromStdString(c.source)},
                     {"min_a_high", c.min_a_high},
                     {"min_transmission", c.min_transmission},
                     {"classes", classes},
                     {"notes", notes}};
}

QJsonObject block_json(const tk::MaterialResult& r) {
  QJsonArray warnings;
  for (const auto& w : r.warnings) warnings.append(QString::fromStdString(w));
  return QJsonObject{{"label", QString::fromStdString(r.label)},
                     {"roi", QString::fromStdString(tk::to_string(r.roi))},
                     {"expected_class", r.expected_class.empty() ? QJsonValue() : QString::fromStdString(r.expected_class)},
                     {"measured_class", QString::fromStdString(r.measured_class)},
                     {"correct", r.expected_class.empty() ? QJsonValue() : QJsonValue(r.correct)},
                     {"mean_high", r.mean_high},
                     {"mean_low", r.mean_low},
                     {"t_high", r.t_high},
                     {"t_low", r.t_low},
                     {"a_high", r.a_high},
                     {"a_low", r.a_low},
                     {"r", r.r},
                     {"r_sigma", r.r_sigma},
                     {"margin_sigma", r.margin_sigma},
                     {"warnings", warnings}};
}

QJsonObject confusion_json(const tk::ConfusionTable& t) {
  QJsonArray rows, cols, counts;
  for (const auto& e : t.expected_classes) rows.append(QString::fromStdString(e));
  for (const auto& m : t.measured_classes) cols.append(QString::fromStdString(m));
  for (const auto& row : t.counts) {
    QJsonArray r;
    for (int n : row) r.append(n);
    counts.append(r);
  }
  return QJsonObject{{"expected_classes", rows}, {"measured_classes", cols}, {"counts", counts},
                     {"total", t.total},          {"correct", t.correct},       {"diagonal", t.is_diagonal()}};
}

void print_text(std::ostream& out, const tk::DualEnergyLevels& lv, const tk::MaterialCalibration& cal,
                const std::vector<tk::MaterialResult>& results, const tk::ConfusionTable& t) {
  out << reports::render_fields({{"calibration", cal.source},
                                 {"air (high, low)", fmt::format("{:.1f}, {:.1f}", lv.air_high, lv.air_low)},
                                 {"dark (high, low)", fmt::format("{:g}, {:g}", lv.dark_high, lv.dark_low)}});
  reports::TextTable blocks{{"BLOCK", "ROI", "A_HIGH", "A_LOW", "R", "±", "EXPECTED", "MEASURED", ""},
                            {},
                            {false, false, true, true, true, true, false, false, false}};
  for (const auto& r : results)
    blocks.rows.push_back({r.label, tk::to_string(r.roi), fmt::format("{:.4f}", r.a_high), fmt::format("{:.4f}", r.a_low),
                           fmt::format("{:.4f}", r.r), fmt::format("{:.4f}", r.r_sigma),
                           r.expected_class.empty() ? "—" : r.expected_class, r.measured_class,
                           r.expected_class.empty() ? "" : (r.correct ? "ok" : "WRONG")});
  out << "\n" << blocks.render();
  if (t.total > 0) {
    std::vector<std::string> header{"EXPECTED \\ MEASURED"};
    std::vector<bool> right{false};
    for (const auto& m : t.measured_classes) {
      header.push_back(m);
      right.push_back(true);
    }
    reports::TextTable table{header, {}, right};
    for (std::size_t i = 0; i < t.expected_classes.size(); ++i) {
      std::vector<std::string> row{t.expected_classes[i]};
      for (int n : t.counts[i]) row.push_back(std::to_string(n));
      table.rows.push_back(row);
    }
    out << "\nconfusion (" << t.correct << " of " << t.total << " correct)\n" << table.render();
  }
  for (const auto& r : results)
    for (const auto& w : r.warnings) std::cerr << "warning: " << r.label << ": " << w << "\n";
}

Result<tk::DualEnergyImage> read_planes(const IqMaterialOptions& opts) {
  if (!opts.dual.empty() && (!opts.high.empty() || !opts.low.empty()))
    return fail(ErrorCode::usage, "give either IMAGE (a two-page dual-energy TIFF) or --high and --low, not both");
  if (!opts.dual.empty()) return tk::read_dual_energy(opts.dual);
  if (opts.high.empty() || opts.low.empty())
    return fail(ErrorCode::usage, "give IMAGE (a two-page dual-energy TIFF) or both --high and --low");
  return tk::read_dual_energy(opts.high, opts.low);
}

Status run_iq_material(CliContext& ctx, const IqMaterialOptions& opts) {
  std::vector<tk::MaterialSample> samples, references;
  for (std::size_t i = 0; i < opts.blocks.size(); ++i) {
    auto s = parse_sample(opts.blocks[i], "--roi", i);
    if (!s) return tl::unexpected(s.error());
    samples.push_back(*s);
  }
  for (std::size_t i = 0; i < opts.references.size(); ++i) {
    auto s = parse_sample(opts.references[i], "--reference-roi", i);
    if (!s) return tl::unexpected(s.error());
    if (s->expected_class.empty())
      return fail(ErrorCode::usage, fmt::format("--reference-roi '{}': needs X,Y,W,H:label:class", opts.references[i]));
    references.push_back(*s);
  }
  std::vector<tk::RoiPx> air;
  for (const auto& a : opts.air_rois) {
    auto roi = tk::parse_roi(a, "--air-roi");
    if (!roi) return tl::unexpected(roi.error());
    air.push_back(*roi);
  }
  const int sources = (opts.calibration_file.empty() ? 0 : 1) + (references.empty() ? 0 : 1) + (opts.beam.empty() ? 0 : 1);
  if (sources != 1)
    return fail(ErrorCode::usage, "give exactly one of --calibration FILE, --reference-roi ... or --beam dual-mev|dual-kv");
  auto planes = read_planes(opts);
  if (!planes) return tl::unexpected(planes.error());
  const double dark_high = opts.dark_high >= 0 ? opts.dark_high : opts.dark;
  const double dark_low = opts.dark_low >= 0 ? opts.dark_low : opts.dark;
  const cv::Mat& high = planes->high.pixels;
  const cv::Mat& low = planes->low.pixels;
  auto levels = tk::measure_air_levels(high, low, air, dark_high, dark_low);
  if (!levels) return tl::unexpected(levels.error());
  Result<tk::MaterialCalibration> cal;
  if (!opts.calibration_file.empty()) cal = read_calibration(opts.calibration_file);
  else if (!references.empty()) cal = tk::calibrate_material_classes(high, low, *levels, references);
  else cal = tk::default_material_calibration(opts.beam);
  if (!cal) return tl::unexpected(cal.error());
  auto results = tk::classify_blocks(high, low, *levels, samples, *cal);
  if (!results) return tl::unexpected(results.error());
  const auto table = tk::confusion(*results);
  QJsonArray blocks;
  for (const auto& r : *results) blocks.append(block_json(r));
  const QJsonObject doc{{"high", QString::fromStdString(planes->high.source)},
                        {"low", QString::fromStdString(planes->low.source)},
                        {"air_high", levels->air_high},
                        {"air_low", levels->air_low},
                        {"dark_high", levels->dark_high},
                        {"dark_low", levels->dark_low},
                        {"calibration", calibration_json(*cal)},
                        {"blocks", blocks},
                        {"confusion", confusion_json(table)}};
  ctx.print(doc, [&](std::ostream& out) { print_text(out, *levels, *cal, *results, table); });
  return {};
}

}  // namespace

void register_iq_material_command(CLI::App& iq, CliContext& ctx) {
  auto* cmd = iq.add_subcommand("material", "Dual-energy material classes of blocks (organic / mixed / inorganic / "
                                            "heavy) from R = A_low / A_high, with a confusion table");
  auto opts = std::make_shared<IqMaterialOptions>();
  cmd->add_option("IMAGE", opts->dual, "Two-page dual-energy TIFF (page 0 high, page 1 low), raw counts");
  cmd->add_option("--high", opts->high, "High-energy plane (raw counts), with --low");
  cmd->add_option("--low", opts->low, "Low-energy plane (raw counts), with --high");
  cmd->add_option("--roi", opts->blocks,
                  "A block to classify (repeatable); optional label and expected class "
                  "(organic|mixed|inorganic|heavy) for the confusion table")
      ->type_name("X,Y,W,H[:LABEL[:CLASS]]")
      ->required();
  cmd->add_option("--air-roi", opts->air_rois, "Air (open beam) region of the same scan (repeatable)")
      ->type_name("X,Y,W,H")
      ->required();
  cmd->add_option("--dark", opts->dark, "Detector offset without beam, counts, both planes")->default_val(0.0);
  cmd->add_option("--dark-high", opts->dark_high, "Detector offset of the high plane (overrides --dark)");
  cmd->add_option("--dark-low", opts->dark_low, "Detector offset of the low plane (overrides --dark)");
  cmd->add_option("--calibration", opts->calibration_file,
                  "Class calibration JSON ({\"classes\":[{\"name\":...,\"points\":[{\"a_high\":...,\"r\":...}]}]}), "
                  "e.g. the \"calibration\" object of an earlier --json run");
  cmd->add_option("--reference-roi", opts->references,
                  "Calibrate on blocks of known class in this same scan (repeatable, at least 2 classes)")
      ->type_name("X,Y,W,H:LABEL:CLASS");
  cmd->add_option("--beam", opts->beam,
                  "Built-in calibration for the synthetic generator's beam preset: dual-mev or dual-kv");
  cmd->callback([&ctx, opts] { ctx.action = [&ctx, opts] { return run_iq_material(ctx, *opts); }; });
}

}  // namespace niikit::cli
