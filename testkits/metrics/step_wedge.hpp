// Step wedge / penetration statistics (DESIGN.md §3.2; method: docs/methods/step-wedge.md).
//
// Per step of a wedge the caller gives a target ROI (behind the lead block / feature) and a
// background ROI (beside it, on the same step). For each step:
//   contrast = |μ_t − μ_b|, CNR = contrast / σ_b (detrended σ of the background, per pixel);
//   Welch t  = (μ_t − μ_b) / √(σ_t²/n_eff,t + σ_b²/n_eff,b) with σ the detrended σ and n_eff the
//              effective sample size corrected for correlated noise (see effective_sample_size);
//   naive t  = the same with n_eff = n (what white noise would give).
// A step passes when |t| (rule welch_t) or the CNR (rule cnr) reaches the threshold.
// Penetration = the thickest step such that it and every thinner step pass; a thicker step
// passing after a failing one gives a "non-monotone" warning. Starved steps (at the detector
// floor) and saturated steps (at the type maximum) give named warnings.
// Pure functions over images; no state, thread-safe. Any single-channel depth is accepted.
#pragma once

#include <opencv2/core.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "testkits/metrics/roi.hpp"
#include "testkits/metrics/roi_stats.hpp"

namespace niikit::testkits {

enum class StepRule { welch_t, cnr };
std::string_view step_rule_name(StepRule rule);                 // "welch_t", "cnr"
std::optional<StepRule> parse_step_rule(std::string_view text);  // inverse; empty when unknown

struct WedgeStep {
  double thickness_mm = 0.0;  // > 0
  RoiPx target;
  RoiPx background;
  // Optional second reference on the other side of the target, on the same step. When set, the
  // background is a local model instead of one ROI's mean: the least-squares plane
  // a + b·x + c·y over the pixels of both references, evaluated at the target's centroid, so
  // smooth glare (scatter from the open field) and detector gain that vary across the step
  // cancel and the contrast is the target's own. Its σ is the references' pixel noise and the
  // variance of the level σ²·x̄ᵀ(XᵀX)⁻¹x̄ (the prediction
  // variance at the centroid). Noise σ (target and references) and noise correlation are
  // estimated on each ROI's residuals about its own degree-2 surface, so the smooth glare is
  // not mistaken for noise or for correlated noise.
  std::optional<RoiPx> background_other_side;
};

// Parses "THICKNESS_MM:X,Y,W,H:X,Y,W,H"; usage error naming `option` otherwise.
Result<WedgeStep> parse_wedge_step(std::string_view text, std::string_view option = "--step");

// Effective sample size of the mean of one ROI with correlated noise. The ROI is detrended
// (least-squares plane removed); ρ_x,k and ρ_y,k are the lag-k autocorrelations of the residuals
// along rows and along columns, k = 1, 2 (lag 2 used only while lag 1 is positive; negative
// values count as 0). Separable model: inflation = (1 + 2 Σ_k ρ_x,k)(1 + 2 Σ_k ρ_y,k),
// n_eff = n / inflation clamped to [2, n].
struct NeffEstimate {
  long long n = 0;
  double rho_x1 = 0.0, rho_x2 = 0.0;  // along rows (horizontal neighbours)
  double rho_y1 = 0.0, rho_y2 = 0.0;  // along columns (vertical neighbours)
  double inflation = 1.0;             // variance inflation of the mean, ≥ 1
  double n_eff = 0.0;
};
// `detrend_degree` 1 removes the plane (as above); 2 removes a least-squares degree-2 surface
// (1, x, y, x², x·y, y²), for ROIs on smooth but curved backgrounds (glare near an air edge).
Result<NeffEstimate> effective_sample_size(const cv::Mat& image, const RoiPx& roi, int detrend_degree = 1);

struct StepWedgeOptions {
  StepRule rule = StepRule::welch_t;
  double threshold = 5.0;        // > 0: |t| or CNR needed to pass
  double floor = 0.0;            // detector floor (dark level) in pixel units
  double dark_sigma = 0.0;       // σ at the floor; 0 = use each ROI's own detrended σ
  double starved_k = 3.0;        // starved when mean − floor < starved_k · σ_dark
  double clipped_fraction = 0.01;  // starved / saturated when ≥ this fraction at the type min / max
};

struct StepResult {
  double thickness_mm = 0.0;
  RoiPx target_roi;
  RoiPx background_roi;
  RoiStats target;
  RoiStats background;
  double contrast = 0.0;          // |μ_t − μ_b|
  double cnr = 0.0;               // contrast / detrended σ_b
  double t_welch = 0.0;           // signed, n_eff-corrected
  double t_naive = 0.0;           // signed, n_eff = n
  double n_eff_target = 0.0;
  double n_eff_background = 0.0;
  NeffEstimate neff;              // estimated on the background, applied to both ROIs
  // Local background model (WedgeStep::background_other_side set): `background` then holds the
  // model's level at the target (mean), the references' pooled degree-2 residual σ
  // (detrended_sigma; the target's detrended_sigma likewise) and their pixel count; background_equivalent_n = 1 / x̄ᵀ(XᵀX)⁻¹x̄ is the pixel count a single ROI
  // would need for the same variance of the level.
  bool local_background = false;
  RoiPx background_other_roi;
  double background_equivalent_n = 0.0;
  double dof = 0.0;               // Welch–Satterthwaite degrees of freedom with n_eff
  std::optional<double> p_value;  // two-sided, Student t with `dof`; empty when undefined
  bool pass = false;
  bool starved = false;
  bool saturated = false;
};

struct StepWedgeResult {
  std::vector<StepResult> steps;        // in the order given
  std::optional<double> penetration_mm;  // empty when the thinnest step fails
  StepRule rule = StepRule::welch_t;
  double threshold = 5.0;
  bool monotone = true;                 // no thicker step passes after a failing thinner one
  std::vector<std::string> warnings;    // "starved: ...", "saturated: ...", "non-monotone: ..."
};

// Input error when a ROI lies outside the image or is smaller than 3 × 3 px, a thickness is not
// > 0, no step is given, or the threshold is not > 0; also when a background σ is zero.
Result<StepWedgeResult> measure_step_wedge(const cv::Mat& image, const std::vector<WedgeStep>& steps,
                                           const StepWedgeOptions& options = {});

}  // namespace niikit::testkits
