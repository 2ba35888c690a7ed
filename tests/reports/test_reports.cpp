// Report writers (reports/writers.hpp): one sample report with every block type written as PDF,
// XLSX, HTML and JSON, then checked with external readers (pdftoppm, pdftotext, unzip, and
// LibreOffice when installed), the JSON against docs/schemas/report.schema.json, and the
// failure paths (unknown format, unwritable path, unreadable figure) leaving no file behind.
// Set NIIKIT_REPORTS_KEEP=DIR to keep the written files for inspection.
#define BOOST_TEST_MODULE test_reports
#include <boost/test/unit_test.hpp>

#include <QGuiApplication>
#include <cstdlib>
#include <filesystem>
#include <regex>

#include "reports/chart_axes.hpp"
#include "reports/json_schema.hpp"
#include "reports/writers.hpp"
#include "reports/xlsx_sheet_names.hpp"
#include "support/temp_dir.hpp"
#include "sample_report.hpp"

namespace fs = std::filesystem;
using namespace niikit;
using namespace niikit::testing;

namespace {

// Qt Gui for QImage/QPdfWriter, as the CLI has it.
struct GuiFixture {
  GuiFixture() : gui(reports::ensure_gui()) {}
  std::unique_ptr<reports::GuiGuard> gui;
};
BOOST_TEST_GLOBAL_FIXTURE(GuiFixture);

std::string run(const std::string& cmd) {
  std::string out;
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return out;
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  pclose(pipe);
  return out;
}

bool have(const std::string& tool) { return std::system(("command -v " + tool + " >/dev/null 2>&1").c_str()) == 0; }

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1)) ++n;
  return n;
}

// Files in `dir`, to prove a failed write left nothing behind.
std::vector<std::string> listing(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

struct Written {
  TempDir dir;
  std::string png = dir.file("figure.png");
  reports::Report report;
  Written() {
    BOOST_REQUIRE(write_test_png(png));
    report = sample_report(png);
  }
  std::string write(reports::Format f) {
    const std::string path = dir.file(std::string("report.") + reports::to_string(f));
    const auto st = reports::write_report(report, f, path, reports::default_template_dir());
    BOOST_REQUIRE_MESSAGE(st.has_value(), (st ? "" : st.error().message));
    if (const char* keep = std::getenv("NIIKIT_REPORTS_KEEP"); keep && *keep)
      fs::copy_file(path, fs::path(keep) / fs::path(path).filename(), fs::copy_options::overwrite_existing);
    return path;
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(format_names_parse_and_unknown_is_a_usage_error) {
  BOOST_TEST(reports::to_string(*reports::parse_format("pdf")) == std::string("pdf"));
  BOOST_TEST(reports::to_string(*reports::parse_format("xlsx")) == std::string("xlsx"));
  BOOST_TEST(reports::to_string(*reports::parse_format("html")) == std::string("html"));
  BOOST_TEST(reports::to_string(*reports::parse_format("json")) == std::string("json"));
  const auto bad = reports::parse_format("docx");
  BOOST_REQUIRE(!bad);
  BOOST_TEST(bad.error().code == ErrorCode::usage);
  BOOST_TEST(bad.error().message.find("'docx'") != std::string::npos);
  BOOST_TEST(bad.error().message.find("pdf, xlsx, html or json") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(chart_axes_use_round_steps_that_cover_the_data) {
  const auto a = reports::nice_axis(0, 0.93);
  BOOST_TEST(a.lo == 0.0);
  BOOST_TEST(a.step == 0.2, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(a.hi == 1.0, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(a.ticks.size() == 6u);
  const auto b = reports::nice_axis(-3, 1480);
  BOOST_TEST(b.lo <= -3.0);
  BOOST_TEST(b.hi >= 1480.0);
  BOOST_TEST(b.step == 500.0);
  BOOST_TEST(reports::tick_label(0.25, 0.25) == "0.25");
  BOOST_TEST(reports::tick_label(1500, 500) == "1500");
  BOOST_TEST(reports::tick_label(0.4, 0.2) == "0.4");
  // A flat series still gets a usable axis around its value.
  const auto flat = reports::nice_axis(2, 2);
  BOOST_TEST(flat.lo < 2.0);
  BOOST_TEST(flat.hi > 2.0);
}

BOOST_AUTO_TEST_CASE(json_is_valid_against_the_documented_schema) {
  Written w;
  const std::string path = w.write(reports::Format::json);
  const std::string schema = read_file(std::string(NIIKIT_SOURCE_DIR) + "/docs/schemas/report.schema.json");
  const std::string json = read_file(path);
  const auto ok = reports::validate_json(json, schema);
  BOOST_TEST(ok.has_value(), (ok ? "" : ok.error().message));
  BOOST_TEST(json.find("\"REQ-120\"") != std::string::npos);
  BOOST_TEST(json.find("\"schema\": \"niikit.report/1\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(schema_check_names_the_offending_location) {
  Written w;
  const std::string schema = read_file(std::string(NIIKIT_SOURCE_DIR) + "/docs/schemas/report.schema.json");
  std::string json = reports::to_json_text(w.report);
  // A verdict the schema does not know, in the requirement table's first row.
  const auto pos = json.find("\"verdict\": \"pass\"");
  BOOST_REQUIRE(pos != std::string::npos);
  json.replace(pos, 17, "\"verdict\": \"maybe\"");
  const auto bad = reports::validate_json(json, schema);
  BOOST_REQUIRE(!bad);
  BOOST_TEST(bad.error().code == ErrorCode::input);
  BOOST_TEST(bad.error().message.find("$.sections[1].blocks[0].rows[0].verdict") != std::string::npos,
             bad.error().message);
  // A missing required key.
  std::string no_title = reports::to_json_text(w.report);
  no_title.replace(no_title.find("\"title\": \"Factory"), 8, "\"titel\":");
  const auto missing = reports::validate_json(no_title, schema);
  BOOST_REQUIRE(!missing);
  BOOST_TEST(missing.error().message.find("required key 'title' missing") != std::string::npos, missing.error().message);
}

BOOST_AUTO_TEST_CASE(pdf_renders_every_row_over_several_pages) {
  BOOST_REQUIRE_MESSAGE(have("pdftoppm") && have("pdftotext"), "poppler-utils (pdftoppm, pdftotext) are required");
  Written w;
  const std::string path = w.write(reports::Format::pdf);
  BOOST_TEST(read_file(path).substr(0, 5) == "%PDF-");
  run("pdftoppm -r 50 -png '" + path + "' '" + w.dir.file("page") + "'");
  std::size_t pngs = 0;
  for (const auto& e : fs::directory_iterator(w.dir.path()))
    if (e.path().filename().string().rfind("page-", 0) == 0 && e.path().extension() == ".png") ++pngs;
  BOOST_TEST(pngs >= 5u);   // cover, summary, 120 rows over ≥ 2 pages, charts
  const std::string text = run("pdftotext -layout '" + path + "' -");
  for (int i = 1; i <= 120; ++i) BOOST_TEST(text.find(requirement_id(i)) != std::string::npos, requirement_id(i));
  BOOST_TEST(text.find("Factory acceptance test report") != std::string::npos);
  BOOST_TEST(text.find("Page 1 of " + std::to_string(pngs)) != std::string::npos);
  // The table header is repeated on every page the table spans.
  BOOST_TEST(count_of(text, "Requirement table") == 1u);
  BOOST_TEST(count_of(text, "Measured") >= 2u);
  BOOST_TEST(text.find("Dose rate by survey point") != std::string::npos);
  BOOST_TEST(text.find("Public boundary 1 µSv/h") != std::string::npos);
  BOOST_TEST(text.find("content changed") != std::string::npos);   // the note (it may wrap)
  BOOST_TEST(text.find("invalid") != std::string::npos);
  BOOST_TEST(text.find("aaaaaaaaaaaaaaaa…") != std::string::npos);   // signed hash, abbreviated
  BOOST_TEST(text.find("Cell with <b>&</b> markup") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(xlsx_has_a_sheet_per_section_and_native_charts) {
  BOOST_REQUIRE_MESSAGE(have("unzip"), "unzip is required");
  Written w;
  const std::string path = w.write(reports::Format::xlsx);
  const std::string parts = run("unzip -l '" + path + "'");
  // Cover, 3 sections, Signatures, Provenance.
  for (int i = 1; i <= 6; ++i)
    BOOST_TEST(parts.find("xl/worksheets/sheet" + std::to_string(i) + ".xml") != std::string::npos, i);
  BOOST_TEST(parts.find("xl/worksheets/sheet7.xml") == std::string::npos);
  BOOST_TEST(parts.find("xl/charts/chart3.xml") != std::string::npos);
  BOOST_TEST(parts.find("xl/media/image1.png") != std::string::npos);
  const std::string workbook = run("unzip -p '" + path + "' xl/workbook.xml");
  for (const char* name : {"Cover", "Summary", "Requirements and verdicts", "Imaging tests", "Signatures", "Provenance"})
    BOOST_TEST(workbook.find(std::string("name=\"") + name + "\"") != std::string::npos, name);
  const std::string strings = run("unzip -p '" + path + "' xl/sharedStrings.xml");
  for (int i = 1; i <= 120; ++i) BOOST_TEST(strings.find(requirement_id(i)) != std::string::npos, requirement_id(i));
  // "1.00" is a number cell, not a string.
  const std::string sheet = run("unzip -p '" + path + "' xl/worksheets/sheet3.xml");
  BOOST_TEST(sheet.find("<v>1</v>") != std::string::npos);
  if (have("soffice")) {
    run("cd '" + w.dir.path().string() + "' && soffice --headless --convert-to csv --outdir out '" + path +
        "' >/dev/null 2>&1");
    const std::string csv = read_file(w.dir.file("out/report.csv"));
    BOOST_TEST(csv.find("Factory acceptance test report") != std::string::npos);
  } else {
    BOOST_TEST_MESSAGE("soffice not installed: LibreOffice check skipped");
  }
}

BOOST_AUTO_TEST_CASE(xlsx_sheet_names_are_legal_and_unique) {
  const auto names = reports::xlsx_sheet_names(
      {"Summary", "Summary", "Dose: rates [µSv/h]?", "", "A very long section title that exceeds Excel's limit",
       "'quoted'", "History"});
  BOOST_REQUIRE(names.size() == 7u);
  BOOST_TEST(names[0] == "Summary");
  BOOST_TEST(names[1] == "Summary (2)");
  BOOST_TEST(names[2] == "Dose- rates (µSv-h)-");
  BOOST_TEST(names[3] == "Section 4");
  BOOST_TEST(names[4] == "A very long section title that ");   // 31 characters
  BOOST_TEST(names[5] == "quoted");
  BOOST_TEST(names[6] == "History (2)");
}

BOOST_AUTO_TEST_CASE(html_is_self_contained_and_escapes_cell_text) {
  Written w;
  const std::string path = w.write(reports::Format::html);
  const std::string html = read_file(path);
  for (int i = 1; i <= 120; ++i) BOOST_TEST(html.find(">" + requirement_id(i) + "<") != std::string::npos, requirement_id(i));
  BOOST_TEST(html.find("Cell with &lt;b&gt;&amp;&lt;/b&gt; markup") != std::string::npos);
  BOOST_TEST(html.find("<b>&</b>") == std::string::npos);
  BOOST_TEST(html.find("Special &lt;chars&gt; &amp; &quot;quotes&quot;") != std::string::npos);
  BOOST_TEST(count_of(html, "<svg") == 3u);
  BOOST_TEST(html.find("src=\"data:image/png;base64,") != std::string::npos);
  BOOST_TEST(html.find("<style>") != std::string::npos);
  BOOST_TEST(html.find("<link") == std::string::npos);   // nothing fetched from elsewhere
  BOOST_TEST(html.find("Public boundary 1 µSv/h") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(html_template_can_be_replaced_by_an_administration) {
  Written w;
  const auto tpl = w.dir.path() / "tpl";
  fs::create_directories(tpl);
  write_file((tpl / "report.html.mustache").string(), "<h1>Rapport: {{title}}</h1>{{#sections}}<h2>{{title}}</h2>{{/sections}}");
  write_file((tpl / "report.css").string(), "");
  const std::string out = w.dir.file("custom.html");
  BOOST_REQUIRE(reports::write_html(w.report, tpl.string(), out));
  BOOST_TEST(read_file(out) ==
             "<h1>Rapport: Factory acceptance test report</h1><h2>Summary</h2><h2>Requirements and verdicts</h2>"
             "<h2>Imaging tests</h2>");
  const auto missing = reports::write_html(w.report, w.dir.file("no-such-dir"), w.dir.file("x.html"));
  BOOST_REQUIRE(!missing);
  BOOST_TEST(missing.error().code == ErrorCode::not_found);
  BOOST_TEST(!fs::exists(w.dir.file("x.html")));
}

BOOST_AUTO_TEST_CASE(unwritable_path_is_an_io_error_and_leaves_no_file) {
  Written w;
  const auto before = listing(w.dir.path());
  for (auto f : {reports::Format::pdf, reports::Format::xlsx, reports::Format::html, reports::Format::json}) {
    const std::string path = w.dir.file(std::string("missing-dir/report.") + reports::to_string(f));
    const auto st = reports::write_report(w.report, f, path, reports::default_template_dir());
    BOOST_REQUIRE(!st);
    BOOST_TEST(st.error().code == ErrorCode::io, reports::to_string(f));
    BOOST_TEST(st.error().message.find(path) != std::string::npos, st.error().message);
    BOOST_TEST(st.error().message.find('\n') == std::string::npos);
  }
  // A path whose "folder" is a regular file.
  const auto st = reports::write_json(w.report, w.png + "/report.json");
  BOOST_REQUIRE(!st);
  BOOST_TEST(st.error().code == ErrorCode::io);
  BOOST_TEST(listing(w.dir.path()) == before, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(failed_write_keeps_the_previous_file_and_leaves_no_temporary) {
  Written w;
  const std::string path = w.dir.file("report.pdf");
  write_file(path, "previous report");
  const auto before = listing(w.dir.path());
  w.report.sections[2].blocks.push_back(reports::Figure{w.dir.file("no-such.png"), "missing", 100});
  for (auto f : {reports::Format::pdf, reports::Format::xlsx, reports::Format::html}) {
    const auto st = reports::write_report(w.report, f, path, reports::default_template_dir());
    BOOST_REQUIRE(!st);
    BOOST_TEST(st.error().code == ErrorCode::input, reports::to_string(f));
    BOOST_TEST(st.error().message.find("no-such.png") != std::string::npos, st.error().message);
  }
  BOOST_TEST(read_file(path) == "previous report");
  BOOST_TEST(listing(w.dir.path()) == before, boost::test_tools::per_element());
}
