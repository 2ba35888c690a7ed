#include "app/services/radiation_facts.hpp"

#include "core/time_format.hpp"
#include "app/domain/radiation.hpp"
#include "db/radiation.hpp"

namespace niikit::services::rad {

namespace {

class RadiationFacts final : public GateFactSource {
 public:
  RadiationFacts(SQLite::Database& sql, std::optional<std::int64_t> only, const std::string& now_utc)
      : today_(now_utc.substr(0, 10)),
        licences_(db::rad::licence_states(sql, only, today_)),
        surveys_(db::rad::survey_states(sql, only)) {
    // Settings that fail to parse (edited behind niikit's back) fall back to the defaults;
    // `rad settings show` reports the problem.
    auto cfg = domain::rad::settings_from(db::rad::load_settings(sql));
    if (cfg) period_months_ = cfg->survey_period_months;
    now_ = parse_utc(today_).value_or(TimePoint{});
  }

  void fill(const db::Scanner& scanner, domain::GateFacts& facts) const override {
    if (auto it = licences_.find(scanner.id); it != licences_.end()) {
      facts.valid_licence = it->second.valid_licence;
      facts.licence_required = !it->second.exemption;
    }
    auto it = surveys_.find(scanner.id);
    if (it == surveys_.end()) return;
    const auto& s = it->second;
    facts.commissioning_survey_passed = s.commissioning_passed;
    facts.clearance_survey_passed = s.clearance_passed;
    if (s.latest_verdict == "pass" && s.latest_date) {
      const auto valid_until = domain::rad::add_months(*parse_utc(*s.latest_date), period_months_);
      facts.periodic_survey_valid = valid_until >= now_;
    }
  }

 private:
  std::string today_;
  std::map<std::int64_t, db::rad::ScannerLicenceState> licences_;
  std::map<std::int64_t, db::rad::ScannerSurveyState> surveys_;
  int period_months_ = 12;
  TimePoint now_{};
};

}  // namespace

std::unique_ptr<GateFactSource> load_radiation_facts(SQLite::Database& sql, std::optional<std::int64_t> only_scanner,
                                                     const std::string& now_utc) {
  return std::make_unique<RadiationFacts>(sql, only_scanner, now_utc);
}

}  // namespace niikit::services::rad
