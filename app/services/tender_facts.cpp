#include "app/services/tender_facts.hpp"

#include <map>

#include "db/tender.hpp"

namespace niikit::services {

namespace {

class TenderFacts final : public GateFactSource {
 public:
  TenderFacts(SQLite::Database& sql, std::optional<std::int64_t> only) : state_(db::tender_state_by_scanner(sql, only)) {}
  void fill(const db::Scanner& scanner, domain::GateFacts& facts) const override {
    auto it = state_.find(scanner.id);
    if (it == state_.end()) return;
    facts.tender = {it->second.needs_approved_by, it->second.evaluated_tender, it->second.awarded_tender,
                    it->second.contract};
  }

 private:
  std::map<std::int64_t, db::ScannerTenderState> state_;
};

}  // namespace

std::unique_ptr<GateFactSource> load_tender_facts(SQLite::Database& sql, std::optional<std::int64_t> only_scanner,
                                                  const std::string&) {
  return std::make_unique<TenderFacts>(sql, only_scanner);
}

}  // namespace niikit::services
