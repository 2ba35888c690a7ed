// `niikit phantom list|show|validate`: the phantom (test object) definitions of
// phantoms/*.json (docs/phantom-format.md). This file owns the `phantom` group; `phantom render`
// is registered by cli_phantom_render.cpp through register_phantom_render_command.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <fmt/format.h>

#include <algorithm>
#include <memory>

#include "app/cli/commands.hpp"
#include "phantoms/phantom.hpp"
#include "phantoms/phantom_dir.hpp"
#include "reports/text_table.hpp"

namespace niikit::cli {
namespace {

using namespace niikit::phantoms;

QString q(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

std::string at(double x_mm, double y_mm) { return fmt::format("at ({:g}, {:g})", x_mm, y_mm); }

std::string layer_text(Material m, double thickness_mm) {
  return fmt::format("{} {:g} mm", material_name(m), thickness_mm);
}

std::string rect_text(const Rect& r) {
  std::string s = fmt::format("{:g} x {:g} mm {}", r.width_mm, r.height_mm, at(r.x_mm, r.y_mm));
  if (r.angle_deg != 0) s += fmt::format(", {:g} deg", r.angle_deg);
  return s;
}

// Two columns for the features table: what the beam crosses, and where.
struct FeatureText {
  std::string material;
  std::string geometry;
};

struct Describe {
  FeatureText operator()(const FiducialDisc& d) const {
    return {layer_text(d.material, d.thickness_mm),
            fmt::format("disc {:g} mm {}", d.diameter_mm, at(d.center.x_mm, d.center.y_mm))};
  }
  FeatureText operator()(const Slab& s) const {
    return {layer_text(s.layer.material, s.layer.thickness_mm), rect_text(s.area)};
  }
  FeatureText operator()(const StepWedge& w) const {
    const auto [lo, hi] = std::minmax_element(w.step_thicknesses_mm.begin(), w.step_thicknesses_mm.end());
    std::string m = fmt::format("{} {:g}-{:g} mm in {} steps", material_name(w.material), *lo, *hi, w.step_count());
    if (w.behind) m += ", " + layer_text(w.behind->material, w.behind->thickness_mm) + " behind each";
    return {m, rect_text(w.area) + ", steps along " + std::string(axis_name(w.direction))};
  }
  FeatureText operator()(const Wire& w) const {
    std::string m = fmt::format("{} wire {:g} mm", material_name(w.material), w.diameter_mm);
    if (w.cover) m += ", behind " + layer_text(w.cover->material, w.cover->thickness_mm);
    return {m, fmt::format("{:.4g} mm long, {:.3g} deg, from ({:g}, {:g})", w.length_mm(), w.angle_deg(),
                           w.start.x_mm, w.start.y_mm)};
  }
  FeatureText operator()(const BarGroup& g) const {
    return {layer_text(g.material, g.thickness_mm),
            fmt::format("{} bars, pitch {:g} mm ({:.3g} lp/mm), profile along {}, {}", g.bar_count, g.pitch_mm,
                        g.lp_per_mm(), axis_name(g.resolution_axis), at(g.corner.x_mm, g.corner.y_mm))};
  }
  FeatureText operator()(const ContrastPlateGroup& g) const {
    std::string pcts;
    for (const auto& p : g.plates) pcts += (pcts.empty() ? "" : "/") + fmt::format("{:g}", p.contrast_percent);
    return {fmt::format("{} plates {} % on {}", material_name(g.plate_material), pcts,
                        layer_text(g.base.material, g.base.thickness_mm)),
            fmt::format("{} plates on base ", g.plates.size()) + rect_text(g.base_area)};
  }
  FeatureText operator()(const MaterialBlock& b) const {
    return {layer_text(b.layer.material, b.layer.thickness_mm) + " (" +
                std::string(material_class_name(b.expected_class)) + ")",
            rect_text(b.area)};
  }
  FeatureText operator()(const SharpEdge& e) const {
    return {layer_text(e.layer.material, e.layer.thickness_mm), rect_text(e.area)};
  }
  FeatureText operator()(const OpenField& f) const { return {"(base only)", rect_text(f.area)}; }
};

QJsonObject summary_json(const Phantom& p, const std::string& file) {
  return {{"file", q(file)},
          {"id", q(p.id)},
          {"revision", p.revision},
          {"name", q(p.name)},
          {"standard", q(p.standard)},
          {"method_family", q(method_family_name(p.method_family))},
          {"width_mm", p.width_mm},
          {"height_mm", p.height_mm},
          {"feature_count", static_cast<qint64>(p.features.size())}};
}

std::string dir_or_default(const std::string& dir) { return dir.empty() ? shipped_phantom_dir() : dir; }

struct ListOptions {
  std::string dir;
};

Status run_list(CliContext& ctx, const ListOptions& o) {
  const std::string dir = dir_or_default(o.dir);
  auto files = list_phantom_files(dir);
  if (!files) return tl::unexpected(files.error());
  QJsonArray json;
  reports::TextTable table{{"ID", "NAME", "FAMILY", "STANDARD", "FEATURES", "SIZE MM"}, {}, {}};
  table.right_aligned = {false, false, false, false, true, true};
  std::vector<std::string> broken;
  for (const auto& path : *files) {
    auto p = load_phantom(path);
    if (!p) {
      broken.push_back(p.error().message);
      json.append(QJsonObject{{"file", q(path)}, {"error", q(p.error().message)}});
      table.rows.push_back({"(invalid)", path, "", "", "", ""});
      continue;
    }
    json.append(summary_json(*p, path));
    table.rows.push_back({p->id, p->name, std::string(method_family_name(p->method_family)), p->standard,
                          std::to_string(p->features.size()), fmt::format("{:g} x {:g}", p->width_mm, p->height_mm)});
  }
  ctx.print(QJsonObject{{"directory", q(dir)}, {"phantoms", json}}, [&](std::ostream& out) {
    out << table.render();
    out << files->size() << " phantom file(s) in " << dir << ". `niikit phantom show ID` lists the features.\n";
  });
  if (!broken.empty())
    return fail(ErrorCode::input, fmt::format("{} of {} phantom file(s) invalid; first: {}", broken.size(),
                                              files->size(), broken.front()));
  return {};
}

struct ShowOptions {
  std::string phantom;
  std::string dir;
};

Status run_show(CliContext& ctx, const ShowOptions& o) {
  auto p = resolve_phantom(o.phantom, dir_or_default(o.dir));
  if (!p) return tl::unexpected(p.error());
  reports::TextTable table{{"ID", "TYPE", "PURPOSE", "MATERIAL", "GEOMETRY (MM)", "LABEL"}, {}, {}};
  for (const auto& f : p->features) {
    const FeatureText t = std::visit(Describe{}, f.shape);
    table.rows.push_back({f.id, std::string(feature_type_name(f.type())),
                          f.purpose == Purpose::none ? "-" : std::string(purpose_name(f.purpose)), t.material,
                          t.geometry, f.label.empty() ? "-" : f.label});
  }
  const QJsonObject full = QJsonDocument::fromJson(QByteArray::fromStdString(phantom_to_json(*p, false))).object();
  ctx.print(QJsonObject{{"file", q(p->source)}, {"phantom", full}}, [&](std::ostream& out) {
    out << reports::render_fields({{"id", p->id + " (revision " + std::to_string(p->revision) + ")"},
                                   {"name", p->name},
                                   {"standard", p->standard},
                                   {"method family", std::string(method_family_name(p->method_family))},
                                   {"size", fmt::format("{:g} x {:g} mm (x across scan, y along scan)",
                                                        p->width_mm, p->height_mm)},
                                   {"base", p->base.material == Material::air
                                                ? std::string("air")
                                                : layer_text(p->base.material, p->base.thickness_mm)},
                                   {"file", p->source}});
    if (!p->description.empty()) out << "\n" << p->description << "\n";
    out << "\n" << table.render();
  });
  return {};
}

struct ValidateOptions {
  std::vector<std::string> files;
};

Status run_validate(CliContext& ctx, const ValidateOptions& o) {
  std::vector<std::string> files = o.files;
  if (files.empty()) {
    auto shipped = list_phantom_files(shipped_phantom_dir());
    if (!shipped) return tl::unexpected(shipped.error());
    files = *shipped;
  }
  QJsonArray json;
  std::vector<std::string> lines;
  std::size_t failed = 0;
  for (const auto& path : files) {
    auto p = load_phantom(path);
    if (p) {
      json.append(QJsonObject{{"file", q(path)}, {"ok", true}, {"id", q(p->id)},
                              {"feature_count", static_cast<qint64>(p->features.size())}});
      lines.push_back(fmt::format("OK      {} ({}, {} features)", path, p->id, p->features.size()));
    } else {
      ++failed;
      json.append(QJsonObject{{"file", q(path)}, {"ok", false}, {"message", q(p.error().message)}});
      lines.push_back("FAILED  " + p.error().message);
    }
  }
  ctx.print(QJsonObject{{"ok", failed == 0}, {"files", json}}, [&](std::ostream& out) {
    for (const auto& l : lines) out << l << "\n";
  });
  if (failed) return fail(ErrorCode::input, fmt::format("{} of {} phantom file(s) invalid", failed, files.size()));
  return {};
}

}  // namespace

void register_phantom_commands(CLI::App& root, CliContext& ctx) {
  auto* group = root.add_subcommand("phantom", "Phantom (test object) definitions: phantoms/*.json, "
                                               "format in docs/phantom-format.md");
  group->require_subcommand(1);

  auto lo = std::make_shared<ListOptions>();
  auto* list = group->add_subcommand("list", "List the phantom files with id, name, method family, standard and "
                                             "feature count");
  list->add_option("--dir", lo->dir, "Phantom directory (default: $NIIKIT_PHANTOMS, else the shipped phantoms/)")
      ->type_name("DIR");
  list->callback([&ctx, lo] { ctx.action = [&ctx, lo] { return run_list(ctx, *lo); }; });

  auto so = std::make_shared<ShowOptions>();
  auto* show = group->add_subcommand("show", "Show a phantom and a table of its features (--json: the whole "
                                             "definition)");
  show->add_option("phantom", so->phantom, "Phantom file (path or *.json) or id of a phantom in --dir")
      ->required()
      ->type_name("FILE_OR_ID");
  show->add_option("--dir", so->dir, "Where ids are looked up (default: the shipped phantoms/)")->type_name("DIR");
  show->callback([&ctx, so] { ctx.action = [&ctx, so] { return run_show(ctx, *so); }; });

  auto vo = std::make_shared<ValidateOptions>();
  auto* validate = group->add_subcommand("validate", "Check phantom files strictly; one line per file, OK or the "
                                                     "error. Exit status 3 if any file is invalid");
  validate->add_option("files", vo->files, "Phantom files (default: every shipped phantom)")->type_name("FILE...");
  validate->callback([&ctx, vo] { ctx.action = [&ctx, vo] { return run_validate(ctx, *vo); }; });

  register_phantom_render_command(*group, ctx);  // `phantom render`: cli_phantom_render.cpp
}

}  // namespace niikit::cli
