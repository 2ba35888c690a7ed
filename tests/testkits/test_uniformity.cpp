// Flat-field uniformity and dead/hot channels on synthetic flats with planted defects.
#define BOOST_TEST_MODULE test_uniformity
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <boost/test/unit_test.hpp>

#include <random>

#include "support/temp_dir.hpp"
#include "testkits/image/image.hpp"
#include "testkits/metrics/uniformity.hpp"

namespace tk = niikit::testkits;

namespace {

// rows × cols flat, mean 2000, Gaussian noise σ 20 per pixel, per-column gains from `gain`.
cv::Mat flat(int rows, int cols, const std::vector<std::pair<int, double>>& gain, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> n(0.0, 20.0);
  cv::Mat m(rows, cols, CV_32F);
  std::vector<double> g(static_cast<std::size_t>(cols), 1.0);
  for (const auto& [c, v] : gain) g[static_cast<std::size_t>(c)] = v;
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) m.at<float>(r, c) = static_cast<float>(2000.0 * g[static_cast<std::size_t>(c)] + n(rng));
  return m;
}

std::vector<int> columns(const std::vector<tk::ChannelFlag>& f) {
  std::vector<int> c;
  for (const auto& x : f) c.push_back(x.column);
  return c;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(uniformity)

BOOST_AUTO_TEST_CASE(planted_dead_and_hot_columns_are_found_exactly) {
  // Column-mean noise σ = 20/√64 = 2.5; planted deviations ≥ 100 (40 σ), k = 5.
  const cv::Mat img = flat(64, 2048, {{0, 0.0}, {100, 0.5}, {700, 0.95}, {1500, 0.0}, {300, 1.2}, {2047, 1.1}}, 42);
  auto r = tk::measure_uniformity(img);
  BOOST_TEST_REQUIRE(r.has_value());
  BOOST_TEST(columns(r->dead_low) == (std::vector<int>{0, 100, 700, 1500}), boost::test_tools::per_element());
  BOOST_TEST(columns(r->hot_high) == (std::vector<int>{300, 2047}), boost::test_tools::per_element());
  BOOST_TEST(r->robust_sigma == 2.5, boost::test_tools::tolerance(0.1));
  BOOST_TEST(r->column_means.size() == 2048u);
}

BOOST_AUTO_TEST_CASE(no_false_positives_on_a_clean_flat_and_roi_offsets_columns) {
  for (unsigned seed : {1u, 2u, 3u}) {
    auto r = tk::measure_uniformity(flat(64, 2048, {}, seed));
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST(r->dead_low.empty());
    BOOST_TEST(r->hot_high.empty());
    BOOST_TEST(r->grid_nonuniformity < 0.001);
  }
  tk::UniformityOptions o;
  o.roi = tk::RoiPx{1000, 0, 100, 64};
  auto r = tk::measure_uniformity(flat(64, 2048, {{1042, 0.5}}, 4), o);
  BOOST_TEST_REQUIRE(r.has_value());
  BOOST_TEST(columns(r->dead_low) == (std::vector<int>{1042}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(known_gradient_gives_the_analytic_figures_and_no_flags) {
  cv::Mat img(300, 300, CV_32F);
  for (int r = 0; r < 300; ++r)
    for (int c = 0; c < 300; ++c) img.at<float>(r, c) = static_cast<float>(1000 + c);
  auto r = tk::measure_uniformity(img);
  BOOST_TEST_REQUIRE(r.has_value());
  BOOST_TEST(r->dead_low.empty());
  BOOST_TEST(r->hot_high.empty());
  // Grid cells are column thirds: means 1049.5, 1149.5, 1249.5.
  BOOST_TEST(r->grid_min == 1049.5, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(r->grid_max == 1249.5, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(r->grid_max_over_min == 1249.5 / 1049.5, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(r->grid_nonuniformity == 200.0 / 2299.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(r->column_nonuniformity == 299.0 / 2299.0, boost::test_tools::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(bad_options_are_input_errors) {
  const cv::Mat img = flat(16, 64, {}, 5);
  tk::UniformityOptions o;
  o.baseline_window = 30;
  BOOST_TEST(tk::measure_uniformity(img, o).error().code == niikit::ErrorCode::input);
  o = {};
  o.roi = tk::RoiPx{60, 0, 10, 10};
  BOOST_TEST(tk::measure_uniformity(img, o).error().code == niikit::ErrorCode::input);
  BOOST_TEST(tk::measure_uniformity(cv::Mat::zeros(16, 16, CV_32F)).error().code == niikit::ErrorCode::input);
}

BOOST_AUTO_TEST_CASE(cli_iq_uniformity_json_text_and_bad_roi) {
  niikit::testing::TempDir dir;
  tk::Image image;
  flat(64, 512, {{50, 0.5}, {400, 1.2}}, 6).convertTo(image.pixels, CV_16U);
  const std::string path = dir.file("flat.tif");
  BOOST_TEST_REQUIRE(tk::write_image(path, image).has_value());
  auto run = niikit::testing::run_niikit("iq uniformity " + path + " --json");
  BOOST_TEST_REQUIRE(run.status == 0, run.out + run.err);
  const auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(run.out)).object();
  for (const char* key : {"dead_low", "hot_high", "robust_sigma", "grid_means", "grid_max_over_min",
                          "grid_nonuniformity", "column_nonuniformity", "k_sigma"})
    BOOST_TEST(doc.contains(key), key);
  BOOST_TEST_REQUIRE(doc.value("dead_low").toArray().size() == 1);
  BOOST_TEST(doc.value("dead_low").toArray()[0].toObject().value("column").toInt() == 50);
  BOOST_TEST_REQUIRE(doc.value("hot_high").toArray().size() == 1);
  BOOST_TEST(doc.value("hot_high").toArray()[0].toObject().value("column").toInt() == 400);
  run = niikit::testing::run_niikit("iq uniformity " + path + " --roi 0,0,100,64");
  BOOST_TEST(run.status == 0, run.out + run.err);
  BOOST_TEST(run.out.find("dead/low") != std::string::npos, run.out);
  BOOST_TEST(niikit::testing::run_niikit("iq uniformity " + path + " --roi 500,0,100,64 --json").status == 3);
}

BOOST_AUTO_TEST_SUITE_END()
