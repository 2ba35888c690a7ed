// write_xlsx (writers.hpp) with libxlsxwriter: a Cover sheet, one sheet per section with its
// blocks one below the other, native charts whose data is written next to them, a Signatures
// and a Provenance sheet. Cells that parse completely as numbers are written as numbers.
//
// libxlsxwriter 1.1 cannot combine chart types, so a bar chart WITH limit lines becomes a
// category line chart (markers only for the data, dashed lines for the limits); without
// limits it is a column chart. Numeric line charts are scatter charts with straight lines, so
// the x axis is a true value axis.
#include <xlsxwriter.h>

#include <QImageReader>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>

#include "core/atomic_file.hpp"
#include "reports/chart_axes.hpp"
#include "reports/writers.hpp"
#include "reports/xlsx_sheet_names.hpp"

namespace niikit::reports {

namespace {

// Owns an lxw_workbook; close() writes the file and reports libxlsxwriter's error.
class Workbook {
 public:
  explicit Workbook(const std::string& path) : wb_(workbook_new(path.c_str())) {}
  ~Workbook() {
    if (wb_) workbook_close(wb_);
  }
  Workbook(const Workbook&) = delete;
  Workbook& operator=(const Workbook&) = delete;
  [[nodiscard]] lxw_workbook* get() const { return wb_; }
  lxw_error close() {
    const lxw_error e = workbook_close(wb_);
    wb_ = nullptr;
    return e;
  }

 private:
  lxw_workbook* wb_;
};

struct Formats {
  lxw_format* title;
  lxw_format* subtitle;
  lxw_format* heading;
  lxw_format* label;
  lxw_format* header;
  lxw_format* cell;
  lxw_format* italic;
  std::map<int, lxw_format*> verdict;        // by Verdict
  std::map<int, lxw_format*> notice;         // by NoticeLevel

  explicit Formats(lxw_workbook* wb) {
    auto make = [wb] { return workbook_add_format(wb); };
    title = make();
    format_set_bold(title);
    format_set_font_size(title, 18);
    format_set_font_color(title, 0x1F3A5F);
    subtitle = make();
    format_set_font_size(subtitle, 12);
    heading = make();
    format_set_bold(heading);
    format_set_font_size(heading, 14);
    format_set_font_color(heading, 0x1F3A5F);
    label = make();
    format_set_bold(label);
    header = make();
    format_set_bold(header);
    format_set_bg_color(header, 0xE3E9F1);
    format_set_border(header, LXW_BORDER_THIN);
    cell = make();
    format_set_border(cell, LXW_BORDER_THIN);
    italic = make();
    format_set_italic(italic);
    const std::pair<Verdict, lxw_color_t> fills[] = {
        {Verdict::pass, 0xD4EFD4}, {Verdict::fail, 0xF7CFCF}, {Verdict::not_measured, 0xE4E4E4}};
    for (const auto& [v, colour] : fills) {
      lxw_format* f = make();
      format_set_bg_color(f, colour);
      format_set_border(f, LXW_BORDER_THIN);
      verdict[static_cast<int>(v)] = f;
    }
    const std::pair<NoticeLevel, lxw_color_t> notes[] = {
        {NoticeLevel::info, 0xE8F1FB}, {NoticeLevel::warning, 0xFFF4D6}, {NoticeLevel::fail, 0xFBE3E3}};
    for (const auto& [l, colour] : notes) {
      lxw_format* f = make();
      format_set_bg_color(f, colour);
      notice[static_cast<int>(l)] = f;
    }
  }
};

// A number cell only when the whole text is a finite number ("1.00", "-3e-2"), so ids such
// as "REQ-001" or "12 mm" stay text.
bool as_number(const std::string& s, double& out) {
  if (s.empty() || s.size() > 40 || s.front() == '+') return false;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size() && std::isfinite(out);
}

// Lines of at most `width` bytes broken at spaces, for paragraphs (Excel does not auto-size
// wrapped rows reliably, so each line gets its own row).
std::vector<std::string> break_lines(const std::string& text, std::size_t width = 110) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto nl = text.find('\n', start);
    std::string para = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    while (para.size() > width) {
      auto cut = para.rfind(' ', width);
      if (cut == std::string::npos || cut == 0) cut = width;
      out.push_back(para.substr(0, cut));
      para.erase(0, cut + (cut < para.size() && para[cut] == ' ' ? 1 : 0));
    }
    out.push_back(para);
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return out;
}

class SheetWriter {
 public:
  SheetWriter(lxw_workbook* wb, lxw_worksheet* ws, std::string name, const Formats& f)
      : wb_(wb), ws_(ws), name_(std::move(name)), f_(f) {}

  void text(lxw_col_t col, const std::string& s, lxw_format* fmt = nullptr) {
    worksheet_write_string(ws_, row_, col, s.c_str(), fmt);
    widen(col, s.size());
  }
  void value(lxw_col_t col, const std::string& s, lxw_format* fmt) {
    double x = 0;
    if (as_number(s, x)) {
      worksheet_write_number(ws_, row_, col, x, fmt);
      widen(col, s.size());
    } else if (s.empty()) {
      worksheet_write_blank(ws_, row_, col, fmt);
    } else {
      text(col, s, fmt);
    }
  }
  // Titles overflow into empty neighbours, so they do not widen column A.
  void heading(const std::string& s, lxw_format* fmt) { worksheet_write_string(ws_, row_, 0, s.c_str(), fmt); }
  void next(lxw_row_t n = 1) { row_ += n; }
  [[nodiscard]] lxw_row_t row() const { return row_; }

  void paragraph(const Paragraph& p) {
    for (const auto& line : break_lines(p.text)) {
      worksheet_write_string(ws_, row_, 0, line.c_str(), nullptr);
      next();
    }
  }

  void key_values(const KeyValues& kv) {
    for (const auto& [label, v] : kv.rows) {
      text(0, label, f_.label);
      value(1, v, nullptr);
      next();
    }
  }

  void table(const Table& t) {
    if (!t.title.empty()) text(0, t.title, f_.label), next();
    for (std::size_t c = 0; c < t.columns.size(); ++c) text(static_cast<lxw_col_t>(c), t.columns[c].header, f_.header);
    next();
    for (const auto& r : t.rows) {
      lxw_format* vf = r.verdict == Verdict::none ? nullptr : f_.verdict.at(static_cast<int>(r.verdict));
      for (std::size_t c = 0; c < t.columns.size(); ++c) {
        const bool coloured = vf && (t.verdict_column < 0 || static_cast<std::size_t>(t.verdict_column) == c);
        value(static_cast<lxw_col_t>(c), c < r.cells.size() ? r.cells[c] : std::string(), coloured ? vf : f_.cell);
      }
      next();
    }
  }

  void notice(const Notice& n) {
    static const char* prefix[] = {"Note: ", "Warning: ", "Fail: "};
    const std::string s = prefix[static_cast<int>(n.level)] + n.text;
    worksheet_write_string(ws_, row_, 0, s.c_str(), f_.notice.at(static_cast<int>(n.level)));
    for (lxw_col_t c = 1; c < 8; ++c) worksheet_write_blank(ws_, row_, c, f_.notice.at(static_cast<int>(n.level)));
    next();
  }

  Status figure(const Figure& fig) {
    QImageReader reader(QString::fromStdString(fig.image_path));
    const QSize size = reader.size();
    if (!reader.canRead() || size.isEmpty())
      return fail(ErrorCode::input, "figure '" + fig.image_path + "': cannot read image (" +
                                        reader.errorString().toStdString() + ")");
    // Excel places images in pixels at 96 dpi: 1 mm = 3.78 px.
    const double max_px = std::clamp(fig.max_width_mm, 20.0, 180.0) * 3.78;
    const double scale = std::min(1.0, max_px / size.width());
    lxw_image_options opt{};
    opt.x_scale = opt.y_scale = scale;
    opt.description = const_cast<char*>(fig.caption.c_str());   // libxlsxwriter copies it
    if (worksheet_insert_image_opt(ws_, row_, 0, fig.image_path.c_str(), &opt) != LXW_NO_ERROR)
      return fail(ErrorCode::input, "figure '" + fig.image_path + "': libxlsxwriter cannot embed it (PNG, JPEG, GIF or BMP only)");
    next(static_cast<lxw_row_t>(std::ceil(size.height() * scale / 20.0)) + 1);   // default row is 20 px
    if (!fig.caption.empty()) text(0, fig.caption, f_.italic), next();
    return {};
  }

  void chart(const Chart& ch);
  lxw_chart* category_chart(const Chart& ch, const ChartAxes& ax);
  lxw_chart* value_chart(const Chart& ch, const ChartAxes& ax);

  void finish() {
    for (const auto& [col, chars] : width_)
      worksheet_set_column(ws_, col, col, std::clamp(static_cast<double>(chars) + 2, 10.0, 70.0), nullptr);
  }

 private:
  void widen(lxw_col_t col, std::size_t chars) { width_[col] = std::max(width_[col], chars); }

  lxw_workbook* wb_;
  lxw_worksheet* ws_;
  std::string name_;
  const Formats& f_;
  lxw_row_t row_ = 0;
  std::map<lxw_col_t, std::size_t> width_;
};

void style_limit(lxw_chart_series* s) {
  lxw_chart_line line{};
  line.color = 0xC0392B;
  line.width = 1.5f;
  line.dash_type = LXW_CHART_LINE_DASH_DASH;
  chart_series_set_line(s, &line);
  chart_series_set_marker_type(s, LXW_CHART_MARKER_NONE);
}

// Bar chart data: a category column, one column per series, one per limit. Returns the chart.
lxw_chart* SheetWriter::category_chart(const Chart& ch, const ChartAxes& ax) {
  const char* sheet = name_.c_str();
  const lxw_row_t first = row_;
  const bool with_limits = !ch.limits.empty();
  lxw_chart* chart = workbook_add_chart(wb_, with_limits ? LXW_CHART_LINE : LXW_CHART_COLUMN);
  text(0, ch.x_label.empty() ? "Category" : ch.x_label, f_.header);
  for (std::size_t i = 0; i < ch.series.size(); ++i) text(static_cast<lxw_col_t>(1 + i), ch.series[i].name, f_.header);
  for (std::size_t l = 0; l < ch.limits.size(); ++l)
    text(static_cast<lxw_col_t>(1 + ch.series.size() + l), ch.limits[l].label, f_.header);
  const auto slots = static_cast<lxw_row_t>(ax.slots);
  for (lxw_row_t s = 0; s < slots; ++s) {
    row_ = first + 1 + s;
    text(0, s < ch.categories.size() ? ch.categories[s] : std::to_string(s));
    for (std::size_t l = 0; l < ch.limits.size(); ++l)
      worksheet_write_number(ws_, row_, static_cast<lxw_col_t>(1 + ch.series.size() + l), ch.limits[l].y, nullptr);
  }
  for (std::size_t i = 0; i < ch.series.size(); ++i)
    for (const auto& p : finite_points(ch.series[i])) {
      const auto slot = static_cast<long>(std::lround(p.x));
      if (slot >= 0 && slot < static_cast<long>(slots))
        worksheet_write_number(ws_, first + 1 + static_cast<lxw_row_t>(slot), static_cast<lxw_col_t>(1 + i), p.y, nullptr);
    }
  const lxw_row_t last = first + std::max<lxw_row_t>(slots, 1);
  for (std::size_t i = 0; i < ch.series.size() + ch.limits.size(); ++i) {
    const auto col = static_cast<lxw_col_t>(1 + i);
    lxw_chart_series* s = chart_add_series(chart, nullptr, nullptr);
    chart_series_set_categories(s, sheet, first + 1, 0, last, 0);
    chart_series_set_values(s, sheet, first + 1, col, last, col);
    chart_series_set_name_range(s, sheet, first, col);
    if (i >= ch.series.size()) {
      style_limit(s);
    } else if (with_limits) {   // a line chart standing in for bars: markers only
      lxw_chart_line none{};
      none.none = LXW_TRUE;
      chart_series_set_line(s, &none);
      chart_series_set_marker_type(s, LXW_CHART_MARKER_CIRCLE);
      chart_series_set_marker_size(s, 7);
    }
  }
  row_ = last + 1;
  return chart;
}

// Line and scatter data: an (x, y) column pair per series, then a two-point pair per limit
// spanning the x axis. Returns the chart.
lxw_chart* SheetWriter::value_chart(const Chart& ch, const ChartAxes& ax) {
  const char* sheet = name_.c_str();
  const lxw_row_t first = row_;
  lxw_chart* chart = workbook_add_chart(wb_, LXW_CHART_SCATTER_STRAIGHT_WITH_MARKERS);
  lxw_col_t col = 0;
  lxw_row_t longest = 2;
  auto pair = [&](const std::string& name, const std::vector<ChartPoint>& pts, bool limit) {
    row_ = first;
    text(col, ch.x_label.empty() ? "x" : ch.x_label, f_.header);
    text(col + 1, name, f_.header);
    for (std::size_t k = 0; k < pts.size(); ++k) {
      worksheet_write_number(ws_, first + 1 + static_cast<lxw_row_t>(k), col, pts[k].x, nullptr);
      worksheet_write_number(ws_, first + 1 + static_cast<lxw_row_t>(k), col + 1, pts[k].y, nullptr);
    }
    const lxw_row_t n = std::max<lxw_row_t>(static_cast<lxw_row_t>(pts.size()), 1);
    longest = std::max(longest, n);
    lxw_chart_series* s = chart_add_series(chart, nullptr, nullptr);
    chart_series_set_categories(s, sheet, first + 1, col, first + n, col);
    chart_series_set_values(s, sheet, first + 1, col + 1, first + n, col + 1);
    chart_series_set_name_range(s, sheet, first, col + 1);
    if (limit) {
      style_limit(s);
    } else if (ch.kind == ChartKind::scatter) {
      lxw_chart_line none{};
      none.none = LXW_TRUE;
      chart_series_set_line(s, &none);
    } else if (pts.size() > 40) {
      chart_series_set_marker_type(s, LXW_CHART_MARKER_NONE);
    }
    col += 2;
  };
  for (const auto& s : ch.series) pair(s.name, finite_points(s), false);
  for (const auto& l : ch.limits)
    if (std::isfinite(l.y)) pair(l.label, {{ax.x.lo, l.y}, {ax.x.hi, l.y}}, true);
  chart_axis_set_min(chart->x_axis, ax.x.lo);
  chart_axis_set_max(chart->x_axis, ax.x.hi);
  row_ = first + longest + 1;
  return chart;
}

void SheetWriter::chart(const Chart& ch) {
  const ChartAxes ax = chart_axes(ch);
  const lxw_row_t first = row_;
  lxw_chart* chart = ch.kind == ChartKind::bar ? category_chart(ch, ax) : value_chart(ch, ax);
  chart_axis_set_min(chart->y_axis, ax.y.lo);
  chart_axis_set_max(chart->y_axis, ax.y.hi);
  if (!ch.title.empty()) chart_title_set_name(chart, ch.title.c_str());
  if (!ch.x_label.empty()) chart_axis_set_name(chart->x_axis, ch.x_label.c_str());
  if (!ch.y_label.empty()) chart_axis_set_name(chart->y_axis, ch.y_label.c_str());
  chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
  // The chart sits to the right of its data, about 11 columns × 21 rows.
  const std::size_t lines = ch.series.size() + ch.limits.size();
  const auto data_cols = static_cast<lxw_col_t>(ch.kind == ChartKind::bar ? 1 + lines : 2 * lines);
  lxw_chart_options opt{};
  opt.x_scale = 1.4;
  opt.y_scale = 1.4;
  worksheet_insert_chart_opt(ws_, first, data_cols + 1, chart, &opt);
  row_ = std::max<lxw_row_t>(row_, first + 22);
}

Status write_section(SheetWriter& w, const Section& s, const Formats& f) {
  w.heading(s.title, f.heading);
  w.next(2);
  for (const auto& block : s.blocks) {
    struct Visitor {
      SheetWriter& w;
      Status operator()(const Paragraph& p) const { return w.paragraph(p), Status{}; }
      Status operator()(const KeyValues& kv) const { return w.key_values(kv), Status{}; }
      Status operator()(const Table& t) const { return w.table(t), Status{}; }
      Status operator()(const Chart& c) const { return w.chart(c), Status{}; }
      Status operator()(const Figure& f) const { return w.figure(f); }
      Status operator()(const Notice& n) const { return w.notice(n), Status{}; }
    };
    if (auto st = std::visit(Visitor{w}, block); !st) return st;
    w.next();
  }
  w.finish();
  return {};
}

Table signature_table(const Report& r) {
  Table t;
  t.columns = {{"Name", Align::left},   {"Role", Align::left},                {"Signed at (UTC)", Align::left},
               {"Status", Align::left}, {"Covers (SHA-256)", Align::left}, {"Note", Align::left}};
  t.verdict_column = 3;
  for (const auto& s : r.signatures)
    t.rows.push_back({{s.name, s.role, s.signed_at_utc, to_string(s.status), s.covers_hash, s.note},
                      s.status == SignatureStatus::valid     ? Verdict::pass
                      : s.status == SignatureStatus::invalid ? Verdict::fail
                                                             : Verdict::not_measured});
  return t;
}

void write_cover(SheetWriter cover, const Report& report, const Formats& f) {
  cover.heading(report.title, f.title);
  cover.next();
  if (!report.subtitle.empty()) cover.heading(report.subtitle, f.subtitle), cover.next();
  cover.next();
  cover.key_values(KeyValues{report.cover_fields});
  if (report.overall_verdict) {
    cover.next();
    cover.text(0, "Overall verdict", f.label);
    lxw_format* vf = *report.overall_verdict == Verdict::none ? nullptr : f.verdict.at(static_cast<int>(*report.overall_verdict));
    cover.text(1, to_string(*report.overall_verdict), vf);
    cover.next();
  }
  cover.next();
  cover.heading("Generated by niikit " + report.provenance.toolkit_version + " at " + report.provenance.generated_at_utc,
                f.italic);
  cover.finish();
}

void write_provenance(SheetWriter prov, const Report& report) {
  KeyValues kv;
  kv.rows = {{"Toolkit", "niikit " + report.provenance.toolkit_version},
             {"Generated at (UTC)", report.provenance.generated_at_utc}};
  for (const auto& v : report.provenance.versions) kv.rows.push_back(v);
  if (!report.provenance.audit_head_sha256.empty())
    kv.rows.push_back({kAuditHeadLabel, report.provenance.audit_head_sha256});
  prov.key_values(kv);
  prov.next();
  Table inputs;
  inputs.columns = {{"File", Align::left}, {"SHA-256", Align::left}};
  for (const auto& in : report.provenance.input_files) inputs.rows.push_back({{in.path, in.sha256}, Verdict::none});
  prov.table(inputs);
  prov.finish();
}

}  // namespace

Status write_xlsx(const Report& report, const std::string& path, const OutputGuard* guard) {
  auto file = AtomicFile::create(path, guard);
  if (!file) return tl::unexpected(file.error());
  Workbook wb(file->temp_path());
  if (!wb.get()) return fail(ErrorCode::io, "cannot write '" + path + "': libxlsxwriter could not create the workbook");
  lxw_doc_properties props{};
  props.title = const_cast<char*>(report.title.c_str());
  props.subject = const_cast<char*>(report.kind.c_str());
  props.author = const_cast<char*>("niikit");
  workbook_set_properties(wb.get(), &props);
  const Formats f(wb.get());

  std::vector<std::string> titles{"Cover"};
  for (const auto& s : report.sections) titles.push_back(s.title);
  titles.push_back("Signatures");
  titles.push_back("Provenance");
  const auto names = xlsx_sheet_names(titles);
  auto sheet = [&](std::size_t i) {
    return SheetWriter(wb.get(), workbook_add_worksheet(wb.get(), names[i].c_str()), names[i], f);
  };

  write_cover(sheet(0), report, f);

  for (std::size_t i = 0; i < report.sections.size(); ++i) {
    SheetWriter w = sheet(i + 1);
    if (auto st = write_section(w, report.sections[i], f); !st) return tl::unexpected(st.error().with_context("XLSX " + path));
  }

  SheetWriter sig = sheet(report.sections.size() + 1);
  sig.table(signature_table(report));
  sig.finish();
  write_provenance(sheet(report.sections.size() + 2), report);

  if (const lxw_error e = wb.close(); e != LXW_NO_ERROR)
    return fail(ErrorCode::io, "cannot write '" + path + "': " + lxw_strerror(e));
  return file->commit();
}

}  // namespace niikit::reports
