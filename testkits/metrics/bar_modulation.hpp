// Bar-group modulation (DESIGN.md §3.2 "Bar gauges"; method: docs/methods/bars.md).
//
// One ROI holds one group of equally spaced bars (a line-pair gauge). The ROI is averaged along
// the bars into a 1-D profile p(i) (bars vertical → profile along x; horizontal → along y). A
// least-squares model p(i) ≈ a + b·i + c·cos(2πi/P) + s·sin(2πi/P) at the nominal pitch P removes
// the linear trend and fits the fundamental in one step. With A = √(c² + s²) and m = the trend
// at the profile centre (the local background level):
//   modulation = A / m = (max − min) / (max + min) of the fitted fundamental,
// which is symmetric, so dark bars (transmission) and bright bars give the same figure. A
// second, cruder figure from the raw profile — mean of the per-period maxima and minima of the
// detrended profile (trend centre level added back) — is reported as modulation_extremes.
// The period is also measured (the P' minimising the residual of the same model over
// 0.7P–1.3P); a warning names a > 10 % deviation. Pitch < 2 px is above the Nyquist frequency
// and is an input error. The group counts as resolved when modulation ≥ threshold (default
// 0.1, configurable). Pure functions, no state, thread-safe; any single-channel depth.
#pragma once

#include <opencv2/core.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "testkits/metrics/roi.hpp"

namespace niikit::testkits {

enum class BarOrientation { vertical, horizontal, automatic };
std::string_view bar_orientation_name(BarOrientation o);  // "vertical", "horizontal", "auto"
Result<BarOrientation> parse_bar_orientation(std::string_view text);

inline constexpr double bar_default_threshold = 0.1;
inline constexpr double bar_min_pitch_px = 2.0;          // Nyquist: pitch below this is an error
inline constexpr double bar_pitch_warn_fraction = 0.10;  // measured vs nominal period

struct BarOptions {
  RoiPx roi;
  double pitch_px = 0.0;   // nominal bar pitch (one bar + one gap), px; ≥ 2
  int bar_count = 0;       // bars in the group; 0 = unknown (only used for a coverage warning)
  BarOrientation orientation = BarOrientation::automatic;
  double threshold = bar_default_threshold;  // resolved when modulation ≥ threshold; in (0, 1]
};

struct BarResult {
  double modulation = 0.0;           // A / m of the fundamental fit (see above)
  double modulation_extremes = 0.0;  // (mean max − mean min) / (mean max + mean min) per period
  double amplitude = 0.0;            // A, intensity units
  double background = 0.0;           // m, trend level at the profile centre
  double measured_pitch_px = 0.0;
  double nominal_pitch_px = 0.0;
  double threshold = bar_default_threshold;
  bool resolved = false;
  BarOrientation orientation = BarOrientation::vertical;  // the one used (never automatic)
  std::vector<double> profile;       // ROI mean along the bars
  std::vector<std::string> warnings; // e.g. "period 9.1 px differs from nominal 8 px by 14 %"
};

// Orientation from gradient energy: vertical when Σ(∂x)² ≥ Σ(∂y)² over the ROI.
BarOrientation detect_bar_orientation(const cv::Mat& image, const RoiPx& roi);

// Input error when the ROI is outside the image, the pitch is < 2 px ("above Nyquist") or the
// profile is shorter than two pitches, the threshold is not in (0, 1], or the background ≤ 0.
Result<BarResult> measure_bars(const cv::Mat& image, const BarOptions& options);

}  // namespace niikit::testkits
