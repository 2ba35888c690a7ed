// The phantom (test object) data model and its strict loader.
//
// A phantom is simple materials in a known layout (DESIGN.md §3.1). Its geometry is data: one
// JSON file per phantom in phantoms/, described in docs/phantom-format.md. This header is the
// contract between the loader, the synthetic scan generator and the kits.
//
// Coordinates: millimetres at the detector plane. Origin at the top-left corner of the
// phantom outline as it appears in the image; x grows to the right along image columns (across
// the scan direction of a line scanner), y grows downwards along image rows (along the scan).
// Angles are in degrees, positive from +x towards +y (clockwise on screen, since y points down).
// A phantom occupies [0, width_mm] × [0, height_mm].
//
// Thicknesses are along the beam. Features are additive: where footprints overlap, the beam
// crosses the sum of every layer (e.g. a wire inside a steel slab's footprint is "behind" it).
//
// All types are plain values; functions are pure and thread-safe.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/error.hpp"
#include "phantoms/materials.hpp"

namespace niikit::phantoms {

inline constexpr int phantom_format_version = 1;

enum class Axis { x, y };
std::string_view axis_name(Axis axis);  // "x", "y"

// Which standard's methods a phantom serves; kits pick their phantoms by family.
enum class MethodFamily { cargo, cabinet, portable, custom };
std::string_view method_family_name(MethodFamily family);  // "cargo", ...

struct PointMm {
  double x_mm = 0;
  double y_mm = 0;
};

// A rectangle: (x_mm, y_mm) is the top-left corner of the unrotated rectangle, width_mm along
// x, height_mm along y; then rotated by angle_deg about its centre.
struct Rect {
  double x_mm = 0;
  double y_mm = 0;
  double width_mm = 0;   // > 0
  double height_mm = 0;  // > 0
  double angle_deg = 0;  // rotation about the centre; 0 = axis-aligned

  [[nodiscard]] PointMm center() const;
  // Corners after rotation, in order top-left, top-right, bottom-right, bottom-left (unrotated
  // naming).
  [[nodiscard]] std::array<PointMm, 4> corners() const;
  [[nodiscard]] bool contains(PointMm p) const;  // inclusive of the border
};

// A material layer of uniform thickness; the phantom's base covers its whole outline.
struct Layer {
  Material material = Material::air;
  double thickness_mm = 0;  // >= 0; 0 only for air
};

// --- Feature types ---------------------------------------------------------------------------

// A lead disc used to locate the phantom (affine mm → px fit). At least 3 per phantom.
struct FiducialDisc {
  PointMm center;
  double diameter_mm = 0;   // > 0
  double thickness_mm = 0;  // > 0
  Material material = Material::lead;
};

// A plain rectangle of material (thin organic sheets, steel plates, lead strips...).
struct Slab {
  Rect area;
  Layer layer;
};

// A block placed behind every step of a step wedge, centred in the step (e.g. the lead block
// behind steel of the penetration tests). Its ROI "behind" and the rest of the step "beside".
struct BehindBlock {
  Material material = Material::lead;
  double thickness_mm = 0;  // > 0
  double width_mm = 0;      // along x, > 0, fits inside the step
  double height_mm = 0;     // along y, > 0, fits inside the step
};

// Steps of equal size laid side by side along `direction`, first step at the rectangle's low
// end (smallest x or y). area.angle_deg must be 0.
struct StepWedge {
  Rect area;  // the whole wedge
  Material material = Material::steel;
  Axis direction = Axis::x;                  // axis along which the steps follow each other
  std::vector<double> step_thicknesses_mm;  // each > 0, at least 1
  std::optional<BehindBlock> behind;

  [[nodiscard]] std::size_t step_count() const { return step_thicknesses_mm.size(); }
  [[nodiscard]] Rect step_area(std::size_t index) const;
  [[nodiscard]] std::optional<Rect> behind_area(std::size_t index) const;
};

// A rectangular cover over a wire: the axis-aligned bounding box of the wire (its axis grown by
// its radius) grown by margin_mm on every side (e.g. "0.5 mm copper behind 100 mm steel").
struct WireCover {
  Material material = Material::steel;
  double thickness_mm = 0;  // > 0
  double margin_mm = 0;     // >= 0
};

// A straight round wire from `start` to `end` (its axis); its thickness along the beam at
// distance d from the axis is the chord 2·sqrt(r² − d²).
struct Wire {
  PointMm start;
  PointMm end;
  double diameter_mm = 0;  // > 0
  Material material = Material::copper;
  std::optional<WireCover> cover;

  [[nodiscard]] double length_mm() const;
  [[nodiscard]] double angle_deg() const;  // atan2(dy, dx) of the axis
  [[nodiscard]] std::optional<Rect> cover_area() const;
};

// A bar gauge group: bar_count bars of width pitch/2 separated by gaps of pitch/2, alternating
// along `resolution_axis` (the axis of the measured profile); each bar is bar_length_mm long
// across it. (x_mm, y_mm) is the top-left corner of the group (axis-aligned).
struct BarGroup {
  PointMm corner;
  double pitch_mm = 0;       // line-pair period (bar + gap), > 0
  int bar_count = 0;         // >= 2
  double bar_length_mm = 0;  // > 0
  Axis resolution_axis = Axis::x;
  Material material = Material::lead;
  double thickness_mm = 0;  // > 0

  [[nodiscard]] double bar_width_mm() const { return pitch_mm / 2; }
  [[nodiscard]] double lp_per_mm() const { return 1.0 / pitch_mm; }
  [[nodiscard]] Rect bar_area(int index) const;
  [[nodiscard]] Rect outline() const;  // all bars, including the last bar's width only
};

// One plate of a contrast-sensitivity group; its own id is unique within the phantom.
struct ContrastPlate {
  std::string id;
  std::string label;
  double contrast_percent = 0;  // plate thickness as % of the base thickness, in (0, 100]
  Rect area;                    // inside the group's base area
};

// Thin plates on a thick base (e.g. 0.5–4 % of 100 mm steel).
struct ContrastPlateGroup {
  Rect base_area;
  Layer base;  // non-air, thickness > 0
  Material plate_material = Material::steel;
  std::vector<ContrastPlate> plates;  // at least 1

  [[nodiscard]] double plate_thickness_mm(const ContrastPlate& plate) const {
    return base.thickness_mm * plate.contrast_percent / 100.0;
  }
};

// A block for dual-energy material discrimination, with the class a correct system reports.
struct MaterialBlock {
  Rect area;
  Layer layer;  // non-air, thickness > 0
  MaterialClass expected_class = MaterialClass::inorganic;
};

// A straight-edged plate rotated by area.angle_deg for slanted-edge MTF. All four sides are
// edges; |angle_deg| must be within [2, 10] (ISO 12233 practice). A square makes the tilted
// foil square of ANSI N42.55 (MTF along x and y, aspect ratio from its sides).
struct SharpEdge {
  Rect area;
  Layer layer;  // non-air, thickness > 0
};

// A region with nothing but the base in the beam (air reference, flat field, dynamic range).
struct OpenField {
  Rect area;
};

enum class FeatureType {
  fiducial,
  slab,
  step_wedge,
  wire,
  bar_group,
  contrast_plates,
  material_block,
  edge,
  open_field
};
std::string_view feature_type_name(FeatureType type);  // JSON spelling, e.g. "step_wedge"
std::optional<FeatureType> feature_type_from_name(std::string_view name);

using FeatureShape = std::variant<FiducialDisc, Slab, StepWedge, Wire, BarGroup,
                                  ContrastPlateGroup, MaterialBlock, SharpEdge, OpenField>;

// Test methods a feature serves (JSON "purpose", optional). Kits select features by purpose.
enum class Purpose {
  none,
  fiducial,
  penetration,            // steel penetration / simple penetration
  useful_penetration,     // wires behind steps (ASTM F792)
  wire_detection,         // wire display / wire detection
  contrast_sensitivity,
  spatial_resolution,     // bar gauges
  edge_mtf,
  material_discrimination,
  thin_organic,
  organic_detection,      // ANSI N42.55 organic material detection (boundary SNR)
  dynamic_range,
  open_field,             // flatness, noise, air reference
};
std::string_view purpose_name(Purpose purpose);
std::optional<Purpose> purpose_from_name(std::string_view name);

struct Feature {
  std::string id;     // unique within the phantom (also across contrast plate ids)
  std::string label;  // optional human text, e.g. "AWG 30"
  Purpose purpose = Purpose::none;
  FeatureShape shape;

  [[nodiscard]] FeatureType type() const { return static_cast<FeatureType>(shape.index()); }
};

struct Phantom {
  int format_version = phantom_format_version;
  std::string id;           // lower-case slug, e.g. "cargo-iec62523"
  int revision = 1;         // the phantom definition's own version, >= 1 (traceability)
  std::string name;
  std::string description;
  std::string standard;     // free text naming the methods followed, e.g. "IEC 62523 / ANSI N42.46"
  MethodFamily method_family = MethodFamily::custom;
  double width_mm = 0;      // outline along x, > 0
  double height_mm = 0;     // outline along y, > 0
  Layer base;               // background plate over the whole outline; air allowed
  std::vector<Feature> features;
  std::string source;       // file the phantom was read from (empty when parsed from memory)

  // A feature by id (contrast plate ids are found inside their group's `plates`), or nullptr.
  [[nodiscard]] const Feature* find(std::string_view feature_id) const;
  [[nodiscard]] std::vector<const Feature*> of_type(FeatureType type) const;
};

// --- Flattened geometry for renderers ---------------------------------------------------------

// Every feature reduces to these three solids; the base becomes a Box over the outline.
struct BoxSolid {
  Rect area;
  Layer layer;
};
struct DiscSolid {
  PointMm center;
  double diameter_mm = 0;
  Layer layer;
};
struct CylinderSolid {  // a wire: chord thickness across its axis
  PointMm start;
  PointMm end;
  double diameter_mm = 0;
  Material material = Material::copper;
};
using Solid = std::variant<BoxSolid, DiscSolid, CylinderSolid>;
struct SolidItem {
  std::string feature_id;  // "" for the base
  Solid solid;
};
// All solids of a phantom; air solids (e.g. open fields) are omitted.
std::vector<SolidItem> solids(const Phantom& phantom);

// --- Loading ------------------------------------------------------------------------------------

// Parses and validates. Every error is ErrorCode::input with a one-line message starting with
// `source_name`, naming the feature where there is one:
//   "phantoms/x.json: feature 'w3': diameter_mm missing"
Result<Phantom> parse_phantom(std::string_view json, std::string_view source_name);
// Reads the file (ErrorCode::not_found / io when it cannot be read) and parses it.
Result<Phantom> load_phantom(const std::string& path);
// Semantic checks (ranges, ids, inside the outline, >= 3 fiducials, edge angles); the loader
// runs it. Messages name phantom.source (or phantom.id when source is empty) and the feature.
Status validate_phantom(const Phantom& phantom);
// The *.json files in `dir`, sorted, full paths. ErrorCode::not_found when dir does not exist.
Result<std::vector<std::string>> list_phantom_files(const std::string& dir);
// A path (contains '/' or ends in ".json") is loaded as is; anything else is a phantom id looked
// up among the files of `dir` (default: shipped_phantom_dir()). not_found when no id matches.
Result<Phantom> resolve_phantom(const std::string& file_or_id, const std::string& dir = {});

// The phantom in the file format (docs/phantom-format.md); parse_phantom of the result gives
// the same phantom back. Bar groups are written with pitch_mm; optional keys with their default
// value are left out. `source` is not written.
std::string phantom_to_json(const Phantom& phantom, bool indented = true);

}  // namespace niikit::phantoms
