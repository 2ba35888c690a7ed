// Text views of operation responses for the terminal: one per operation whose response a
// person reads (others print a generic "field: value" rendering). --json output never uses
// these: it is the operation's own JSON codec. Topic files (views_TOPIC.cpp) register their
// views; views.cpp lists the topics.
#pragma once

#include <any>
#include <functional>
#include <map>
#include <ostream>
#include <set>
#include <string>
#include <string_view>

namespace niikit::cli {

using TextView = std::function<void(std::ostream&, const std::any&)>;

class ViewTable {
 public:
  template <class Resp>
  void add(const std::string& operation, std::function<void(std::ostream&, const Resp&)> view) {
    views_[operation] = [view = std::move(view)](std::ostream& out, const std::any& r) {
      view(out, std::any_cast<const Resp&>(r));
    };
  }
  [[nodiscard]] const TextView* find(std::string_view operation) const {
    auto it = views_.find(std::string(operation));
    return it == views_.end() ? nullptr : &it->second;
  }
  // When the operation fails with a response (imports: every rejected row), the response is the
  // error's detail and its text goes to stderr; otherwise a failing answer (a gate check, db
  // check) is the answer asked for and stays on stdout.
  void details_of_failure(const std::string& operation) { failure_details_.insert(operation); }
  [[nodiscard]] bool is_failure_detail(std::string_view operation) const {
    return failure_details_.count(std::string(operation)) != 0;
  }

 private:
  std::map<std::string, TextView> views_;
  std::set<std::string> failure_details_;
};

const ViewTable& views();

void add_registry_views(ViewTable& t);   // views_registry.cpp
void add_scanner_views(ViewTable& t);   // views_scanner.cpp
void add_lifecycle_views(ViewTable& t);   // views_lifecycle.cpp
void add_admin_views(ViewTable& t);   // views_admin.cpp
void add_test_views(ViewTable& t);   // views_test.cpp
void add_report_views(ViewTable& t);   // views_report.cpp
void add_rad_views(ViewTable& t);   // views_rad.cpp
void add_procurement_views(ViewTable& t);   // views_procurement.cpp
void add_imaging_views(ViewTable& t);   // views_imaging.cpp
void add_user_views(ViewTable& t);   // views_user.cpp
void add_tender_views(ViewTable& t);   // views_tender.cpp

}  // namespace niikit::cli
