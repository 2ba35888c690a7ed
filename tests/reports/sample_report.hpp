// A report that uses every block type of reports/report.hpp, for the writer tests: a 120-row
// requirement table that spans pages, line / bar / scatter charts with limit lines, a figure
// (a small PNG drawn here), notices of every level, signatures of every status, and cell text
// with characters that must be escaped ("<b>&</b>").
#pragma once

#include <QImage>
#include <QPainter>
#include <cmath>
#include <string>

#include "reports/report.hpp"

namespace niikit::testing {

inline std::string requirement_id(int i) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "REQ-%03d", i);
  return buf;
}

// Writes a 200×120 PNG with a grey ramp and a white square (a stand-in for an annotated image).
inline bool write_test_png(const std::string& path) {
  QImage img(200, 120, QImage::Format_RGB32);
  for (int y = 0; y < img.height(); ++y)
    for (int x = 0; x < img.width(); ++x) img.setPixel(x, y, qRgb(x, x, 60 + y));
  for (int y = 40; y < 80; ++y)
    for (int x = 80; x < 120; ++x) img.setPixel(x, y, qRgb(255, 255, 255));
  return img.save(QString::fromStdString(path), "PNG");
}

inline reports::Report sample_report(const std::string& figure_png) {
  using namespace reports;
  Report r;
  r.kind = "acceptance";
  r.title = "Factory acceptance test report";
  r.subtitle = "Scanner HCVM-01 — FAT at vendor site";
  r.cover_fields = {{"Scanner", "HCVM-01 (Nuctech MT1213DE, s/n 7741)"},
                    {"Phase", "FAT"},
                    {"Location", "Vendor plant, hall 3"},
                    {"Dates", "2026-11-20 to 2026-11-23"},
                    {"Witnesses", "A. Officer (Customs), B. Engineer (Vendor)"}};
  r.overall_verdict = Verdict::fail;

  Section summary{"Summary", {}, false};
  summary.blocks.push_back(Paragraph{"This report records the factory acceptance test of the scanner against the "
                                     "procurement's technical specification. Each requirement below was verified "
                                     "by a witnessed test; deviations are listed in their own section.\nSecond "
                                     "line of the paragraph, kept as a line break."});
  summary.blocks.push_back(KeyValues{{{"Requirements", "120"}, {"Passed", "100"}, {"Failed", "10"},
                                      {"Not measured", "10"}, {"Special <chars> & \"quotes\"", "a < b & c > d"}}});
  summary.blocks.push_back(Notice{NoticeLevel::info, "Throughput trial carried out with 40 loaded trucks."});
  summary.blocks.push_back(Notice{NoticeLevel::warning, "Survey meter calibration lapsed; recorded with override."});
  summary.blocks.push_back(Notice{NoticeLevel::fail, "Requirement REQ-007 failed: wire 0.5 mm not visible."});

  Section reqs{"Requirements and verdicts", {}, true};
  Table t;
  t.title = "Requirement table";
  t.columns = {{"Id", Align::left},     {"Requirement", Align::left}, {"Target", Align::right},
               {"Measured", Align::right}, {"Unit", Align::left},     {"Verdict", Align::center}};
  t.verdict_column = 5;
  for (int i = 1; i <= 120; ++i) {
    TableRow row;
    const Verdict v = i % 12 == 7 ? Verdict::fail : i % 12 == 11 ? Verdict::not_measured : Verdict::pass;
    row.cells = {requirement_id(i),
                 i == 3 ? "Cell with <b>&</b> markup" : "Steel penetration at " + std::to_string(100 + i) + " mm behind steel",
                 "1.00", v == Verdict::not_measured ? "" : std::to_string(1.0 + i * 0.01).substr(0, 4), "lp/mm",
                 v == Verdict::pass ? "pass" : v == Verdict::fail ? "fail" : "not measured"};
    row.verdict = v;
    t.rows.push_back(std::move(row));
  }
  reqs.blocks.push_back(t);

  Section charts{"Imaging tests", {}, true};
  Chart mtf{ChartKind::line, "MTF (slanted edge)", "Spatial frequency (lp/mm)", "MTF", {}, {{"MTF50 target 0.5", 0.5}}, {}};
  ChartSeries horiz{"Horizontal", {}}, vert{"Vertical", {}};
  for (int k = 0; k <= 30; ++k) {
    const double f = k * 0.05;
    horiz.points.push_back({f, std::exp(-f * f * 1.4)});
    vert.points.push_back({f, std::exp(-f * f * 2.2)});
  }
  mtf.series = {horiz, vert};
  charts.blocks.push_back(mtf);
  Chart dose{ChartKind::bar, "Dose rate by survey point", "Survey point", "Dose rate (µSv/h)", {}, {}, {}};
  ChartSeries measured{"Measured", {}};
  for (int k = 0; k < 8; ++k) {
    measured.points.push_back({static_cast<double>(k), 0.2 + 0.35 * k});
    dose.categories.push_back("P" + std::to_string(k + 1) + (k == 5 ? " operator booth" : ""));
  }
  dose.series = {measured};
  dose.limits = {{"Public boundary 1 µSv/h", 1.0}, {"Supervised 2.5 µSv/h", 2.5}};
  charts.blocks.push_back(dose);
  Chart cnr{ChartKind::scatter, "CNR per step", "Steel thickness (mm)", "CNR", {{"CNR", {}}}, {{"Minimum 3", 3}}, {}};
  for (int k = 0; k < 12; ++k) cnr.series[0].points.push_back({20.0 * k, 40.0 / (1 + k)});
  charts.blocks.push_back(cnr);
  charts.blocks.push_back(Figure{figure_png, "Annotated test image: ROI in white", 80});

  r.sections = {summary, reqs, charts};
  r.signatures = {
      {"A. Officer", "Customs project officer", "2026-11-23T16:00:00Z", std::string(64, 'a'), SignatureStatus::valid, ""},
      {"B. Engineer", "Vendor engineer", "2026-11-23T16:05:00Z", std::string(64, 'b'), SignatureStatus::invalid,
       "content changed after signing"},
      {"C. Manager", "Programme manager", "", "", SignatureStatus::not_signed, ""}};
  r.provenance.toolkit_version = "0.1.0";
  r.provenance.generated_at_utc = "2026-11-24T09:00:00Z";
  r.provenance.versions = {{"kit iq-mtf", "1.2"}, {"template", "report.html.mustache 1"}};
  r.provenance.input_files = {{"scans/fat/edge_h.tiff", std::string(64, 'c')},
                              {"scans/fat/edge_v.tiff", std::string(64, 'd')}};
  return r;
}

}  // namespace niikit::testing
