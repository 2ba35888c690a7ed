// Building blocks shared by the kits (internal to testkits/kits): the analysis context that
// localisation produces, feature geometry mapped to image pixels (ROIs inside a feature,
// rectified patches in the phantom frame), and helpers to fill TestEntry values.
//
// A KitContext is built once per run and then only read; the helpers are pure: thread-safe.
#pragma once

#include <opencv2/core.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "phantoms/phantom.hpp"
#include "testkits/kits/kit.hpp"
#include "testkits/kits/locate.hpp"
#include "testkits/metrics/roi.hpp"

namespace niikit::testkits::kits {

struct KitContext {
  const KitInput* input = nullptr;
  cv::Mat image;             // the scan as given (any depth)
  cv::Mat image_f;           // CV_32F copy
  cv::Mat intensity;         // CV_32F, attenuating material darker than air (inverted images flipped),
                             // dark level removed (normal polarity): linear in dose, 0 = no signal
  double pitch_x = 0, pitch_y = 0;  // mm
  ImageLevels levels;
  LocatedPhantom located;
  std::vector<std::string> warnings;
  std::vector<std::string> missing;  // feature ids outside the image
};

// Resolves the pitch, locates the phantom, refines the air level from the open fields and
// lists the features outside the image. Errors as locate_phantom(); also an input error when
// the kit's family does not match the phantom's.
Result<KitContext> prepare_context(const KitInput& input, phantoms::MethodFamily family, std::string_view kit_id);

// The dark level of a normal-polarity scan (see KitOptions::dark_level): stated, else the lowest
// median over the phantom's fully attenuating regions inside the image, else 0. Sets
// ctx.located.dark_level and dark_method; appends a warning when none is known. Pure over ctx.
void estimate_dark_level(KitContext& ctx);

// Largest transmission exp(−Σ µ(E)·t) of the layers over the attenuation tables' energies
// (20 keV–10 MeV, log-spaced): an upper bound whatever the beam.
double max_transmission(const std::vector<phantoms::Layer>& layers);

// The rectangle's corners in image px.
std::vector<cv::Point2d> rect_polygon_px(const phantoms::Rect& rect, const MmToPx& t);
std::vector<cv::Point2d> feature_polygon_px(const phantoms::Feature& f, const MmToPx& t);

// True when the polygon lies inside the image with `margin_px` to spare.
bool polygon_inside(const std::vector<cv::Point2d>& poly, const cv::Size& size, double margin_px = 1);

// Largest axis-aligned ROI centred on the rectangle's centre that stays inside the rectangle
// shrunk by `margin_mm` per side (any rotation/flip of the placement). Empty when it would be
// smaller than 3 × 3 px or leaves the image.
std::optional<RoiPx> inner_roi(const phantoms::Rect& rect, double margin_mm, const KitContext& ctx);

// Resamples an axis-aligned phantom-frame rectangle into a patch whose pixels step `step_mm`
// (x, y) along the phantom axes (bilinear), so rotated/flipped placements read as drawn in the
// phantom file. Empty when the rectangle is not fully inside the image.
cv::Mat rectify(const cv::Mat& image_f, const phantoms::Rect& rect, const MmToPx& t, double step_x_mm,
                double step_y_mm);

// The ROI as a polygon for the overlay.
RoiShape roi_shape(const RoiPx& roi, std::string label, Verdict verdict);
RoiShape polygon_shape(std::vector<cv::Point2d> poly, std::string label, Verdict verdict);

// Whether the test should run: empty option list = all. `asked` tells whether it was named.
bool test_selected(const KitOptions& options, std::string_view test_id, bool* asked = nullptr);

// A "not run" entry (or, when the test was asked for by name, an input error).
Result<TestEntry> not_run(const KitOptions& options, TestEntry entry, std::string reason);

// "%g"-style short number: 300, 0.5, 1.25.
std::string num(double v);

// The margin kept from feature edges for uniform-region ROIs: 2.5 px or 8 % of the smaller
// side, whichever is larger, at most 30 % of it.
double roi_margin_mm(const phantoms::Rect& rect, const KitContext& ctx);

// A result with the kit's identity, the phantom, pitch, location, warnings and missing features
// of the context; tests are appended by the kit.
KitResult make_result(const KitInfo& info, const KitContext& ctx);

// Appends the entry when the test is selected; passes errors through.
Status add_test(KitResult& result, const KitOptions& options, std::string_view test_id,
                const std::function<Result<TestEntry>()>& run);

}  // namespace niikit::testkits::kits
