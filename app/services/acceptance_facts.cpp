#include "app/services/acceptance_facts.hpp"

#include <map>
#include <set>

#include "app/services/acceptance_service_internal.hpp"
#include "app/services/signatures.hpp"
#include "db/acceptance.hpp"
#include "db/procurement.hpp"

namespace niikit::services {

namespace {

using acceptance_detail::parse_results_json;

const std::set<std::string> gate_phases{"fat", "sat", "return_to_service"};

domain::SessionFacts session_facts(const db::TestSession& s, const std::vector<db::Witness>& witnesses,
                                   const std::vector<db::Signature>& signatures, const std::string& content_sha256,
                                   const SessionSignatureChecker& checker) {
  domain::SessionFacts f;
  f.recorded = true;
  f.session_id = s.id;
  f.passed = s.verdict && *s.verdict == "pass";
  f.content_changed = content_sha256 != s.content_sha256;
  for (const auto& r : parse_results_json(s.results_json)) {
    if (!r.mandatory) continue;
    if (r.verdict == "fail") f.mandatory_failed.push_back(r.requirement_id);
    if (r.verdict == "not_measured") f.mandatory_unverified.push_back(r.requirement_id);
  }
  std::set<std::int64_t> signed_validly;
  bool independent_witness = false;   // a valid witness signature by someone who did not run the session
  for (const auto& g : signatures) {
    if (checker.check(g, content_sha256, s.content_sha256).valid) {
      ++f.valid_signatures;
      signed_validly.insert(g.person_id);
      if (g.role == "witness" && g.person_id != s.started_by) independent_witness = true;
    } else {
      f.invalid_signatures.push_back(g.name + " (" + g.role + ")");
    }
  }
  // Separation of duties, also for records made before it was enforced at start and signing:
  // the person who ran the session never counts as its witness.
  for (const auto& w : witnesses) {
    if (w.person_id == s.started_by)
      f.unsigned_witnesses.push_back(w.name + " (ran the session, so not an independent witness)");
    else if (!signed_validly.count(w.person_id))
      f.unsigned_witnesses.push_back(w.name);
  }
  if (!witnesses.empty() && !independent_witness && f.unsigned_witnesses.empty())
    f.unsigned_witnesses.push_back("an independent witness (--role witness)");
  return f;
}

class AcceptanceFacts final : public GateFactSource {
 public:
  AcceptanceFacts(SQLite::Database& sql, std::optional<std::int64_t> only) {
    for (auto& [scanner, spec] : db::specification_status_by_scanner(sql))
      if (!only || scanner == *only) specs_[scanner] = spec;
    std::vector<db::TestSession> latest;
    for (auto& s : db::latest_closed_sessions(sql, only))
      if (gate_phases.count(s.phase)) latest.push_back(std::move(s));
    std::vector<std::int64_t> ids;
    for (const auto& s : latest) ids.push_back(s.id);
    auto witnesses = db::witnesses_by_session(sql, ids);
    auto signatures = db::signatures_by_session(sql, ids);
    // One scanner: recompute the content from the records. The fleet: trust the stored hash.
    std::map<std::int64_t, std::string> hashes;
    if (only) hashes = db::session_content_sha256_batch(sql, ids);
    const SessionSignatureChecker checker(sql);
    for (const auto& s : latest) {
      const std::string hash = only ? hashes[s.id] : s.content_sha256;
      sessions_[s.scanner_id][s.phase] = session_facts(s, witnesses[s.id], signatures[s.id], hash, checker);
    }
    deviations_ = db::open_deviation_counts(sql, only);
  }

  void fill(const db::Scanner& scanner, domain::GateFacts& facts) const override {
    if (auto it = specs_.find(scanner.id); it != specs_.end() && it->second.version > 0) {
      facts.specification.linked = true;
      facts.specification.reference = it->second.procurement_reference + " v" + std::to_string(it->second.version);
      facts.specification.frozen = it->second.frozen;
      facts.specification.mandatory_without_method = it->second.mandatory_without_method;
    }
    if (auto it = sessions_.find(scanner.id); it != sessions_.end()) {
      for (const auto& [phase, f] : it->second) {
        if (phase == "fat") facts.fat = f;
        if (phase == "sat") facts.sat = f;
        if (phase == "return_to_service") facts.rts = f;
      }
    }
    if (auto it = deviations_.find(scanner.id); it != deviations_.end()) {
      for (const auto& [phase, count] : it->second) {
        if (phase != "fat" && phase != "sat") continue;
        facts.open_major_deviations += count.major;
        facts.open_deviations += count.major + count.minor;
      }
    }
  }

 private:
  std::map<std::int64_t, db::SpecSummary> specs_;
  std::map<std::int64_t, std::map<std::string, domain::SessionFacts>> sessions_;
  std::map<std::int64_t, std::map<std::string, db::OpenDeviationCount>> deviations_;
};

}  // namespace

std::unique_ptr<GateFactSource> load_acceptance_facts(SQLite::Database& sql, std::optional<std::int64_t> only_scanner,
                                                      const std::string&) {
  return std::make_unique<AcceptanceFacts>(sql, only_scanner);
}

}  // namespace niikit::services
