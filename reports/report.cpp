// Stable spellings of the model's enums (report.hpp), shared by the JSON and HTML writers.
#include "reports/report.hpp"

namespace niikit::reports {

const char* to_string(Verdict v) {
  switch (v) {
    case Verdict::pass: return "pass";
    case Verdict::fail: return "fail";
    case Verdict::not_measured: return "not_measured";
    case Verdict::none: break;
  }
  return "none";
}

const char* to_string(Align a) {
  switch (a) {
    case Align::right: return "right";
    case Align::center: return "center";
    case Align::left: break;
  }
  return "left";
}

const char* to_string(ChartKind k) {
  switch (k) {
    case ChartKind::bar: return "bar";
    case ChartKind::scatter: return "scatter";
    case ChartKind::line: break;
  }
  return "line";
}

const char* to_string(NoticeLevel l) {
  switch (l) {
    case NoticeLevel::warning: return "warning";
    case NoticeLevel::fail: return "fail";
    case NoticeLevel::info: break;
  }
  return "info";
}

const char* to_string(SignatureStatus s) {
  switch (s) {
    case SignatureStatus::valid: return "valid";
    case SignatureStatus::invalid: return "invalid";
    case SignatureStatus::not_signed: break;
  }
  return "not_signed";
}

}  // namespace niikit::reports
