// write_html (writers.hpp): the report rendered through templates/report.html.mustache with
// kainjow mustache. The template receives the data described in docs/reports.md; every text
// from the model is inserted with {{ }} (HTML-escaped by mustache); only what niikit builds
// itself is inserted raw ({{{ }}}): the stylesheet, chart SVG (escaped here) and data URIs.
// Files "_NAME.mustache" in the template folder are available as partials {{> NAME}}.
#include <kainjow/mustache.hpp>

#include <QByteArray>
#include <QFile>
#include <QImageReader>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/atomic_file.hpp"
#include "reports/svg_chart.hpp"
#include "reports/writers.hpp"

namespace niikit::reports {

namespace {

namespace fs = std::filesystem;
using kainjow::mustache::data;
using kainjow::mustache::mustache;

Result<std::string> slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return fail(ErrorCode::not_found, "HTML template file '" + p.string() + "' not found or unreadable");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// "data:image/png;base64,..." for a figure or logo.
Result<std::string> data_uri(const std::string& path, const std::string& what) {
  QImageReader reader(QString::fromStdString(path));
  if (!reader.canRead())
    return fail(ErrorCode::input, what + " '" + path + "': cannot read image (" + reader.errorString().toStdString() + ")");
  const QByteArray format = reader.format();
  QFile f(QString::fromStdString(path));
  if (!f.open(QIODevice::ReadOnly)) return fail(ErrorCode::input, what + " '" + path + "': cannot open");
  const QByteArray bytes = f.readAll();
  const std::string mime = format == "jpeg" || format == "jpg" ? "image/jpeg"
                           : format == "svg"                   ? "image/svg+xml"
                                                               : "image/" + format.toStdString();
  return "data:" + mime + ";base64," + bytes.toBase64().toStdString();
}

data list() { return data(data::type::list); }

data pairs(const std::vector<std::pair<std::string, std::string>>& rows, const char* k, const char* v) {
  data out = list();
  for (const auto& [a, b] : rows) {
    data o;
    o.set(k, a);
    o.set(v, b);
    out.push_back(o);
  }
  return out;
}

std::string verdict_label(Verdict v) {
  return v == Verdict::not_measured ? "not measured" : v == Verdict::none ? "" : to_string(v);
}

data table_data(const Table& t) {
  data d;
  d.set("is_table", true);
  d.set("title", t.title);
  d.set("has_title", !t.title.empty());
  data cols = list();
  for (const auto& c : t.columns) {
    data col;
    col.set("header", c.header);
    col.set("align", to_string(c.align));
    cols.push_back(col);
  }
  d.set("columns", cols);
  data rows = list();
  for (const auto& r : t.rows) {
    const bool whole = t.verdict_column < 0 && r.verdict != Verdict::none;
    data row;
    row.set("verdict", to_string(r.verdict));
    row.set("row_class", whole ? std::string("verdict-") + to_string(r.verdict) : std::string());
    data cells = list();
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
      data cell;
      cell.set("text", i < r.cells.size() ? r.cells[i] : std::string());
      cell.set("align", to_string(t.columns[i].align));
      const bool here = r.verdict != Verdict::none && t.verdict_column >= 0 && static_cast<std::size_t>(t.verdict_column) == i;
      cell.set("cell_class", here ? std::string("verdict-") + to_string(r.verdict) : std::string());
      cells.push_back(cell);
    }
    row.set("cells", cells);
    rows.push_back(row);
  }
  d.set("rows", rows);
  return d;
}

Result<data> block_data(const Block& block) {
  struct Visitor {
    Result<data> operator()(const Paragraph& p) const {
      data d;
      d.set("is_paragraph", true);
      d.set("text", p.text);
      return d;
    }
    Result<data> operator()(const KeyValues& kv) const {
      data d;
      d.set("is_key_values", true);
      d.set("rows", pairs(kv.rows, "label", "value"));
      return d;
    }
    Result<data> operator()(const Table& t) const { return table_data(t); }
    Result<data> operator()(const Chart& c) const {
      data d;
      d.set("is_chart", true);
      d.set("title", c.title);
      d.set("svg", svg_chart(c));
      return d;
    }
    Result<data> operator()(const Figure& f) const {
      auto uri = data_uri(f.image_path, "figure");
      if (!uri) return tl::unexpected(uri.error());
      data d;
      d.set("is_figure", true);
      d.set("data_uri", *uri);
      d.set("caption", f.caption);
      d.set("max_width_mm", std::to_string(static_cast<int>(std::clamp(f.max_width_mm, 20.0, 180.0))));
      return d;
    }
    Result<data> operator()(const Notice& n) const {
      data d;
      d.set("is_notice", true);
      d.set("level", to_string(n.level));
      d.set("text", n.text);
      return d;
    }
  };
  return std::visit(Visitor{}, block);
}

Result<data> report_data(const Report& r, const std::string& css) {
  data d;
  d.set("kind", r.kind);
  d.set("title", r.title);
  d.set("subtitle", r.subtitle);
  d.set("has_subtitle", !r.subtitle.empty());
  d.set("css", css);
  d.set("cover_fields", pairs(r.cover_fields, "label", "value"));
  d.set("has_overall_verdict", r.overall_verdict.has_value());
  if (r.overall_verdict) {
    d.set("overall_verdict", to_string(*r.overall_verdict));
    d.set("overall_verdict_label", verdict_label(*r.overall_verdict));
  }
  d.set("has_logo", !r.logo_path.empty());
  if (!r.logo_path.empty()) {
    auto uri = data_uri(r.logo_path, "logo");
    if (!uri) return tl::unexpected(uri.error());
    d.set("logo_data_uri", *uri);
  }
  data sections = list();
  int index = 0;
  for (const auto& s : r.sections) {
    data sd;
    sd.set("title", s.title);
    sd.set("anchor", "section-" + std::to_string(++index));
    sd.set("page_break_before", s.page_break_before);
    data blocks = list();
    for (const auto& b : s.blocks) {
      auto bd = block_data(b);
      if (!bd) return tl::unexpected(bd.error());
      blocks.push_back(*bd);
    }
    sd.set("blocks", blocks);
    sections.push_back(sd);
  }
  d.set("sections", sections);
  data sigs = list();
  for (const auto& s : r.signatures) {
    data sd;
    sd.set("name", s.name);
    sd.set("role", s.role);
    sd.set("signed_at_utc", s.signed_at_utc);
    sd.set("covers_hash", s.covers_hash);
    sd.set("status", to_string(s.status));
    sd.set("status_label", s.status == SignatureStatus::not_signed ? "not signed" : to_string(s.status));
    sd.set("note", s.note);
    sigs.push_back(sd);
  }
  d.set("signatures", sigs);
  d.set("has_signatures", !r.signatures.empty());
  d.set("toolkit_version", r.provenance.toolkit_version);
  d.set("generated_at_utc", r.provenance.generated_at_utc);
  d.set("versions", pairs(r.provenance.versions, "name", "version"));
  d.set("audit_head_label", kAuditHeadLabel);
  d.set("audit_head_sha256", r.provenance.audit_head_sha256);
  d.set("has_audit_head", !r.provenance.audit_head_sha256.empty());
  data inputs = list();
  for (const auto& f : r.provenance.input_files) {
    data fd;
    fd.set("path", f.path);
    fd.set("sha256", f.sha256);
    inputs.push_back(fd);
  }
  d.set("input_files", inputs);
  d.set("has_input_files", !r.provenance.input_files.empty());
  return d;
}

}  // namespace

Status write_html(const Report& report, const std::string& template_dir, const std::string& path, const OutputGuard* guard) {
  const fs::path dir(template_dir);
  auto main_text = slurp(dir / "report.html.mustache");
  if (!main_text) return tl::unexpected(main_text.error());
  std::string css;
  if (fs::exists(dir / "report.css")) {
    auto c = slurp(dir / "report.css");
    if (!c) return tl::unexpected(c.error());
    css = *c;
  }
  auto model = report_data(report, css);
  if (!model) return tl::unexpected(model.error().with_context("HTML " + path));
  // Partials: every "_NAME.mustache" next to the main template.
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (name.size() > 10 && name.front() == '_' && e.path().extension() == ".mustache") {
      auto text = slurp(e.path());
      if (!text) return tl::unexpected(text.error());
      model->set(e.path().stem().string().substr(1), kainjow::mustache::partial([t = *text] { return t; }));
    }
  }
  mustache tmpl(*main_text);
  if (!tmpl.is_valid())
    return fail(ErrorCode::input, "HTML template '" + (dir / "report.html.mustache").string() + "': " + tmpl.error_message());
  const std::string html = tmpl.render(*model);
  if (!tmpl.is_valid())
    return fail(ErrorCode::input, "HTML template '" + (dir / "report.html.mustache").string() + "': " + tmpl.error_message());
  auto file = AtomicFile::create(path, guard);
  if (!file) return tl::unexpected(file.error());
  if (auto st = file->write_all(html); !st) return st;
  return file->commit();
}

}  // namespace niikit::reports
