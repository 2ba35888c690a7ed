// Measurable requirements and how a measured value is judged against one. A requirement is a
// clause of a procurement specification ("steel penetration at least 300 mm, verified at FAT
// and SAT by IEC 62523 §7.2"); kit results and manual measurements are keyed by the same
// metric keys, so FAT, SAT and periodic QC are judged against the same records.
//
// Requirement lists are read from and written to JSON (shape in docs/requirements.md):
//   {"requirements": [{"id": "IQ-01", "text": "...", "category": "image_quality",
//     "mandatory": true, "metric_key": "cargo.penetration.steel_mm", "comparator": ">=",
//     "target": 300, "unit": "mm", "method": "IEC 62523 §7.2", "verified_at": ["fat", "sat"]}]}
// Pure, thread-safe.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace niikit::domain {

enum class Comparator {
  at_least,    // ">="  measured ≥ target
  more_than,   // ">"   measured > target
  at_most,     // "<="  measured ≤ target
  less_than,   // "<"   measured < target
  equals,      // "=="  |measured − target| ≤ tolerance
  is_true,     // "true": a yes/no check (functional checks, format support); measured 1 = yes
};

// ">=", "<=", ">", "<", "==", "true"; also "ge", "at least", "min", "le", "at most", "max",
// "eq", "yes". Unknown text → input Error naming the allowed forms.
Result<Comparator> parse_comparator(std::string_view text);
std::string_view comparator_symbol(Comparator c);   // ">=", ..., "true"

enum class Verdict { pass, fail, not_measured };
std::string_view verdict_code(Verdict v);           // "pass", "fail", "not_measured"

struct Requirement {
  std::string id;              // unique within a specification, e.g. "IQ-01"
  std::string text;            // the clause as the specification words it
  std::string category;        // image_quality, radiation, throughput, availability, software, data_format, functional, other
  bool mandatory = true;       // false: desirable (scored, never blocks a gate)
  std::string metric_key;      // what is measured, e.g. "cargo.penetration.steel_mm"
  Comparator comparator = Comparator::at_least;
  double target = 0;           // in `unit`; 1 for is_true
  double tolerance = 0;        // equals only: allowed |measured − target|, ≥ 0
  std::string unit;            // "mm", "%", "lp/mm", "uSv/h", "scans/h", "" for counts, "bool"
  std::string method;          // test method / standard clause
  std::set<std::string> verified_at;   // phases: fat, sat, periodic, return_to_service, review; may be
                                       // empty in a draft (a frozen mandatory requirement has one)
};

struct Judgement {
  Verdict verdict = Verdict::not_measured;
  std::string reason;          // "312 mm >= 300 mm", "no measurement of cargo.penetration.steel_mm"
};

// Judges `measured` (in the requirement's unit) against the requirement.
Judgement judge(const Requirement& requirement, std::optional<double> measured);

// "≥ 300 mm", "true" — the target as a reader sees it.
std::string describe_target(const Requirement& requirement);

// The phases a requirement can be verified at, in lifecycle order.
const std::vector<std::string_view>& verification_phases();
// The requirement categories, in a fixed order (image_quality first, other last).
const std::vector<std::string_view>& requirement_categories();

// A mandatory requirement that could not be verified: no test method, or no phase in
// verified_at. A specification with any gap cannot be frozen.
struct VerificationGap {
  std::string requirement_id;
  std::string problem;   // "mandatory requirement has no test method"
};
std::vector<VerificationGap> verification_gaps(const std::vector<Requirement>& requirements);

// SHA-256 (hex) of requirements_to_json(requirements): the fingerprint recorded when a
// specification version is frozen, so a signature or report can name exactly what it judged.
std::string requirements_sha256(const std::vector<Requirement>& requirements);

// Parses a requirement list; `source` names the input in errors ("spec.json: requirement 3
// (IQ-03): comparator 'about': expected one of >=, >, <=, <, ==, true"). Ids must be unique,
// every field is checked, unknown keys are refused. `verified_at` may be missing or empty (a
// draft still being written); verification_gaps() says whether it may be frozen.
Result<std::vector<Requirement>> parse_requirements_json(std::string_view json_text, std::string_view source);
std::string requirements_to_json(const std::vector<Requirement>& requirements);

}  // namespace niikit::domain
