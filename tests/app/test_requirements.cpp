// Requirement parsing and judging (app/domain/requirements).
#include <boost/test/unit_test.hpp>

#include "app/domain/requirements.hpp"

using namespace niikit;
using namespace niikit::domain;

BOOST_AUTO_TEST_SUITE(requirements)

BOOST_AUTO_TEST_CASE(judges_every_comparator_at_and_around_the_target) {
  struct Case { const char* cmp; double target; double tol; double measured; Verdict want; };
  const Case cases[] = {
      {">=", 300, 0, 300, Verdict::pass}, {">=", 300, 0, 299.9, Verdict::fail},
      {">", 300, 0, 300, Verdict::fail},  {">", 300, 0, 300.1, Verdict::pass},
      {"<=", 4, 0, 4, Verdict::pass},     {"<=", 4, 0, 4.01, Verdict::fail},
      {"<", 2.5, 0, 2.5, Verdict::fail},  {"<", 2.5, 0, 2.4, Verdict::pass},
      {"==", 1.0, 0.05, 1.04, Verdict::pass}, {"==", 1.0, 0.05, 1.06, Verdict::fail},
      {"true", 1, 0, 1, Verdict::pass},   {"true", 1, 0, 0, Verdict::fail},
  };
  for (const auto& c : cases) {
    Requirement r;
    r.metric_key = "k";
    r.comparator = *parse_comparator(c.cmp);
    r.target = c.target;
    r.tolerance = c.tol;
    r.unit = "mm";
    BOOST_TEST_CONTEXT(c.cmp << " " << c.target << " vs " << c.measured) {
      BOOST_TEST(verdict_code(judge(r, c.measured).verdict) == verdict_code(c.want));
    }
  }
  Requirement r;
  r.metric_key = "cargo.penetration.steel_mm";
  BOOST_TEST(verdict_code(judge(r, std::nullopt).verdict) == "not_measured");
  BOOST_TEST(judge(r, std::nullopt).reason == "no measurement of cargo.penetration.steel_mm");
}

BOOST_AUTO_TEST_CASE(parses_writes_and_reads_back_a_specification) {
  const char* json = R"({"requirements": [
    {"id": "IQ-01", "text": "Steel penetration", "category": "image_quality", "mandatory": true,
     "metric_key": "cargo.penetration.steel_mm", "comparator": "at least", "target": 300, "unit": "mm",
     "method": "IEC 62523", "verified_at": ["FAT", "sat"]},
    {"id": "SW-01", "text": "WCO UFF export", "category": "data_format", "mandatory": false,
     "metric_key": "software.uff_export", "comparator": "true", "verified_at": ["fat"]}]})";
  auto reqs = parse_requirements_json(json, "spec.json");
  BOOST_REQUIRE(reqs.has_value());
  BOOST_TEST(reqs->size() == 2u);
  BOOST_TEST(describe_target((*reqs)[0]) == ">= 300 mm");
  BOOST_TEST((*reqs)[0].verified_at.count("fat") == 1u);
  BOOST_TEST(!(*reqs)[1].mandatory);
  BOOST_TEST((*reqs)[1].unit == "bool");
  auto again = parse_requirements_json(requirements_to_json(*reqs), "round trip");
  BOOST_REQUIRE(again.has_value());
  BOOST_TEST(requirements_to_json(*again) == requirements_to_json(*reqs));
}

BOOST_AUTO_TEST_CASE(refuses_bad_lists_naming_the_requirement_and_field) {
  struct Case { const char* json; const char* message; };
  const Case cases[] = {
      {"{", "spec.json: not valid JSON"},
      {R"({"requirements": [{"id": "A", "text": "t", "category": "image_quality", "metric_key": "k",
           "comparator": "about", "target": 1, "verified_at": ["fat"]}]})",
       "spec.json: requirement 1 (A): comparator 'about': expected one of >=, >, <=, <, ==, true"},
      {R"({"requirements": [{"id": "A", "text": "t", "category": "colour", "metric_key": "k",
           "comparator": ">=", "target": 1, "verified_at": ["fat"]}]})",
       "spec.json: requirement 1 (A): category 'colour'"},
      {R"({"requirements": [{"id": "A", "text": "t", "category": "other", "metric_key": "k",
           "comparator": ">=", "target": "300", "verified_at": ["fat"]}]})",
       "spec.json: requirement 1 (A): field 'target' must be a number"},
      {R"({"requirements": [{"id": "A", "text": "t", "category": "other", "metric_key": "k",
           "comparator": ">=", "target": 3, "verified_at": ["factory"]}]})",
       "spec.json: requirement 1 (A): verified_at 'factory'"},
      {R"({"requirements": [{"id": "A", "text": "t", "category": "other", "metric_key": "k",
           "comparator": ">=", "target": 3, "verified_at": ["fat"], "colour": 1}]})",
       "spec.json: requirement 1: unknown field 'colour'"},
      {R"({"requirements": [{"id": "A", "text": "t", "category": "other", "metric_key": "k",
           "comparator": ">=", "target": 3, "verified_at": ["fat"]},
          {"id": "A", "text": "t", "category": "other", "metric_key": "k",
           "comparator": ">=", "target": 3, "verified_at": ["fat"]}]})",
       "spec.json: requirement 2 (A): duplicate id"},
  };
  for (const auto& c : cases) {
    auto r = parse_requirements_json(c.json, "spec.json");
    BOOST_TEST_CONTEXT(c.message) {
      BOOST_REQUIRE(!r.has_value());
      BOOST_TEST(r.error().code == ErrorCode::input);
      BOOST_TEST(r.error().message.rfind(c.message, 0) == 0u, r.error().message);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
