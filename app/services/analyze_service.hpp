// Running a test kit on image files (the use case behind `niikit iq analyze`, docs/kits.md):
// read the scan(s), resolve the phantom, run the kit, optionally judge a requirement list
// against the kit's metric values and write the overlay PNG. Batches run on a small pool of
// worker threads (default 2); results come back in input order.
//
// Requirements: each requirement whose metric_key starts with "<kit>." is judged with
// domain::judge against the kit's value for that key (absent value → not_measured); the
// others are left out (they belong to other kits or to non-image checks).
//
// No database, no printing; files are only read, except the overlay PNGs, which are written
// atomically (temporary file in the same folder, then rename). analyze() is thread-safe for
// distinct requests; the progress callback is called from worker threads under a lock.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "app/domain/requirements.hpp"
#include "testkits/kits/kit.hpp"

namespace niikit::services {

struct AnalyzeRequest {
  std::string kit_id;                 // "cargo", "portable", "cabinet"
  std::vector<std::string> images;    // files, or folders (their *.tif, *.tiff, *.png, sorted)
  std::string low_energy;             // low-energy image of a single scan; a two-page TIFF scan
                                      // supplies its own (page 1) when this is empty
  std::vector<std::string> blanks;    // blank images (portable NEQ / flatness)
  std::vector<std::string> views;     // further orientations of the object (portable)
  std::string phantom;                // file or shipped id; empty = the kit's default phantom
  std::string requirements_path;      // requirement list JSON (docs/requirements.md); empty = none
  std::string overlay_path;           // overlay PNG of a single scan; empty = none
  std::string overlay_dir;            // overlay PNGs of a batch, one "<stem>.overlay.png" each
  testkits::kits::KitOptions options; // thresholds, overrides, tests, pitch overrides
  int workers = 2;                    // threads for batches, 1..16
};

struct RequirementOutcome {
  domain::Requirement requirement;
  std::optional<double> measured;
  domain::Judgement judgement;
};

struct AnalyzedImage {
  std::string path;
  std::optional<testkits::kits::KitResult> result;  // set on success
  std::optional<Error> error;                        // set when the kit refused the image
  std::vector<RequirementOutcome> requirements;
  std::string overlay_path;                          // written overlay, if any
};

struct AnalyzeReport {
  std::string kit_id;
  std::vector<AnalyzedImage> images;  // input order
  bool requirements_given = false;
  int mandatory_failed = 0;           // mandatory requirements judged fail, over all images
};

// Files named by `inputs`: files as given, folders expanded to their image files (sorted).
// not_found for a path that does not exist; input error when a folder holds no image.
Result<std::vector<std::string>> expand_image_inputs(const std::vector<std::string>& inputs);

// Judges the requirements that belong to the result's kit.
std::vector<RequirementOutcome> judge_kit_requirements(const std::vector<domain::Requirement>& requirements,
                                                       const testkits::kits::KitResult& result);

// Runs the request. Errors that concern the whole request (unknown kit, unreadable phantom,
// requirement file, low-energy image with a batch) are returned; an image the kit refuses is
// recorded in its AnalyzedImage (the batch goes on). `progress(done, total)` after each image.
Result<AnalyzeReport> analyze(const AnalyzeRequest& request,
                              const std::function<void(int done, int total)>& progress = {});

}  // namespace niikit::services
