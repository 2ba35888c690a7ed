#include "app/services/lifecycle_service.hpp"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <fmt/format.h>

#include "core/time_format.hpp"
#include "app/services/radiation_facts.hpp"
#include "app/services/acceptance_facts.hpp"
#include "app/services/tender_facts.hpp"

namespace niikit::services {

using namespace niikit::domain;

namespace {

std::string gate_json(const GateOutcome& gate) {
  QJsonArray arr;
  for (const auto& c : gate.conditions) {
    QJsonObject o{{"condition", QString::fromStdString(c.text)}, {"holds", c.holds}};
    if (!c.holds) o["why"] = QString::fromStdString(c.why);
    arr.append(o);
  }
  return QJsonDocument(arr).toJson(QJsonDocument::Compact).toStdString();
}

Error refused(const db::Scanner& s, Stage to, const GateOutcome& gate) {
  std::string msg = fmt::format("scanner {}: cannot move {} → {}: ", s.asset_tag, s.stage, stage_info(to).code);
  bool first = true;
  for (const auto& why : gate.unmet()) {
    msg += (first ? "" : "; ") + why;
    first = false;
  }
  return Error{ErrorCode::gate_refused, msg};
}

Result<MoveResult> move(db::Database& db, const MoveRequest& req, std::optional<Stage> forced_to, const char* kind) {
  std::optional<Stage> to = forced_to;
  if (!to) {
    to = parse_stage(req.to_stage);
    if (!to) {
      std::string codes;
      for (const auto& s : stage_table()) codes += (codes.empty() ? "" : ", ") + std::string(s.code);
      return fail(ErrorCode::input, fmt::format("stage '{}': expected one of {}", req.to_stage, codes));
    }
  }
  if (req.by.empty()) return fail(ErrorCode::usage, "a stage decision needs --by PERSON");
  auto person = get_person(db, req.by);
  if (!person) return tl::unexpected(person.error());
  return db.write(person->name, [&](db::WriteTx& tx) -> Result<MoveResult> {
    auto s = db::find_scanner(tx.sql(), req.scanner);
    if (!s) return fail(ErrorCode::not_found, fmt::format("scanner '{}': not found", req.scanner));
    if (req.evidence_document_id) {
      auto doc = db::find_document(tx.sql(), *req.evidence_document_id);
      if (!doc) return fail(ErrorCode::not_found, fmt::format("document {}: not found", *req.evidence_document_id));
      // Evidence must belong to the scanner it is cited for (or, filed for a site, to its site).
      const bool ours = doc->scanner_id ? *doc->scanner_id == s->id : doc->site_id && doc->site_id == s->site_id;
      if (!ours) {
        std::string owner = doc->site_id ? "another site" : "no scanner";
        if (doc->scanner_id)
          if (auto other = db::find_scanner(tx.sql(), std::to_string(*doc->scanner_id))) owner = "scanner " + other->asset_tag;
        return fail(ErrorCode::input, fmt::format("--evidence {}: document '{}' belongs to {}, not to scanner {}",
                                                  doc->id, doc->title, owner, s->asset_tag));
      }
    }
    const Stage from = *parse_stage(s->stage);
    auto gate = evaluate_gate(from, *to, gather_gate_facts(tx.sql(), *s, person->role, req.note, format_utc(tx.now())));
    if (!gate.passed()) return tl::unexpected(refused(*s, *to, gate));
    db::Decision d;
    d.scanner_id = s->id;
    d.kind = kind;
    d.from_stage = s->stage;
    d.to_stage = std::string(stage_info(*to).code);
    d.decided_by = person->id;
    d.decided_role = person->role;
    d.note = req.note;
    d.evidence_document_id = req.evidence_document_id;
    d.gate_json = gate_json(gate);
    auto id = db::insert_decision(tx, d);
    if (!id) return tl::unexpected(id.error());
    s->stage = d.to_stage;
    s->stage_since_utc = format_utc(tx.now());
    if (auto st = db::update_scanner(tx, *s); !st) return tl::unexpected(st.error());
    auto decisions = db::decisions_for_scanner(tx.sql(), s->id);
    return MoveResult{*db::find_scanner(tx.sql(), std::to_string(s->id)), decisions.back(), gate};
  });
}

}  // namespace

namespace {
// Document kinds linked to each scanner (needs statement, contract, certificates...).
class DocumentFacts final : public GateFactSource {
 public:
  DocumentFacts(SQLite::Database& sql, std::optional<std::int64_t> only) {
    if (only) {
      auto kinds = db::document_kinds_for_scanner(sql, *only);
      kinds_[*only] = {kinds.begin(), kinds.end()};
    } else {
      kinds_ = db::document_kinds_by_scanner(sql);
    }
  }
  void fill(const db::Scanner& scanner, GateFacts& facts) const override {
    if (auto it = kinds_.find(scanner.id); it != kinds_.end()) facts.document_kinds = it->second;
  }

 private:
  std::map<std::int64_t, std::set<std::string>> kinds_;
};

std::unique_ptr<GateFactSource> load_document_facts(SQLite::Database& sql, std::optional<std::int64_t> only,
                                                    const std::string&) {
  return std::make_unique<DocumentFacts>(sql, only);
}

std::vector<std::unique_ptr<GateFactSource>> load_sources(SQLite::Database& sql, std::optional<std::int64_t> only,
                                                          const std::string& now_utc) {
  std::vector<std::unique_ptr<GateFactSource>> sources;
  for (auto loader : gate_fact_sources()) sources.push_back(loader(sql, only, now_utc));
  return sources;
}

GateFacts facts_from(const std::vector<std::unique_ptr<GateFactSource>>& sources, const db::Scanner& scanner,
                     const std::string& decider_role, const std::string& note) {
  GateFacts facts;
  facts.decider_role = decider_role;
  facts.note = note;
  for (const auto& source : sources) source->fill(scanner, facts);
  return facts;
}
}  // namespace

// The one list of gate fact sources. A feature that records gate facts adds its loader here.
const std::vector<GateFactLoader>& gate_fact_sources() {
  static const std::vector<GateFactLoader> loaders{
      &load_document_facts,
      &rad::load_radiation_facts,   // radiation safety (app/services/radiation_facts.hpp)
      &load_acceptance_facts,
      &load_tender_facts,           // needs, evaluation, award, contract records (app/services/tender_facts.hpp)
  };
  return loaders;
}

FleetFacts::FleetFacts(SQLite::Database& sql, const std::string& now_utc)
    : sources_(load_sources(sql, std::nullopt, now_utc)) {}
FleetFacts::~FleetFacts() = default;

GateFacts FleetFacts::for_scanner(const db::Scanner& scanner, const std::string& decider_role,
                                  const std::string& note) const {
  return facts_from(sources_, scanner, decider_role, note);
}

GateFacts gather_gate_facts(SQLite::Database& sql, const db::Scanner& scanner, const std::string& decider_role,
                            const std::string& note, const std::string& now_utc) {
  return facts_from(load_sources(sql, scanner.id, now_utc), scanner, decider_role, note);
}

Result<std::optional<db::Decision>> force_out_of_service_in(db::WriteTx& tx, std::int64_t scanner_id,
                                                            const std::optional<db::Person>& by,
                                                            const std::string& reason) {
  auto s = db::find_scanner(tx.sql(), std::to_string(scanner_id));
  if (!s) return fail(ErrorCode::not_found, fmt::format("scanner {}: not found", scanner_id));
  if (s->stage != stage_info(Stage::in_service).code) return std::optional<db::Decision>{};
  db::Decision d;
  d.scanner_id = s->id;
  d.kind = "out_of_service";
  d.from_stage = s->stage;
  d.to_stage = std::string(stage_info(Stage::out_of_service).code);
  if (by) d.decided_by = by->id;
  d.decided_role = by ? by->role : "system";
  d.note = reason;
  d.gate_json = "[]";
  auto id = db::insert_decision(tx, d);
  if (!id) return tl::unexpected(id.error());
  s->stage = d.to_stage;
  s->stage_since_utc = format_utc(tx.now());
  if (auto st = db::update_scanner(tx, *s); !st) return tl::unexpected(st.error());
  return std::optional<db::Decision>{db::decisions_for_scanner(tx.sql(), s->id).back()};
}

Result<MoveResult> advance_stage(db::Database& db, const MoveRequest& request) {
  return move(db, request, std::nullopt, "advance");
}

Result<MoveResult> take_out_of_service(db::Database& db, const MoveRequest& request) {
  return move(db, request, Stage::out_of_service, "out_of_service");
}

Result<MoveResult> return_to_service(db::Database& db, const MoveRequest& request) {
  auto s = get_scanner(db, request.scanner);
  if (!s) return tl::unexpected(s.error());
  if (s->stage != "out_of_service")
    return fail(ErrorCode::gate_refused, fmt::format("scanner {}: is {}, not out of service", s->asset_tag, s->stage));
  return move(db, request, Stage::in_service, "return_to_service");
}

Result<GateOutcome> check_move(db::Database& db, const std::string& scanner, const std::string& to_stage,
                               const std::string& by) {
  auto to = parse_stage(to_stage);
  if (!to) return fail(ErrorCode::input, fmt::format("stage '{}': unknown", to_stage));
  std::string role;
  if (!by.empty()) {
    auto p = get_person(db, by);
    if (!p) return tl::unexpected(p.error());
    role = p->role;
  }
  return db.read([&](SQLite::Database& sql) -> Result<GateOutcome> {
    auto s = db::find_scanner(sql, scanner);
    if (!s) return fail(ErrorCode::not_found, fmt::format("scanner '{}': not found", scanner));
    return evaluate_gate(*parse_stage(s->stage), *to, gather_gate_facts(sql, *s, role, "(check)", format_utc(db.clock().now())));
  });
}

Status add_scanner_in(db::WriteTx& tx, const Fields& input, db::Scanner* out) {
  Fields fields = input;
  auto take = [&](const char* key) {
    std::string v;
    if (auto it = fields.find(key); it != fields.end()) v = it->second, fields.erase(it);
    return v;
  };
  const std::string stage_text = take("stage"), since_text = take("stage_since"), note = take("note"), by = take("by");
  db::Scanner s;
  if (auto st = apply_scanner_fields(tx.sql(), fields, s, true); !st) return st;
  if (db::find_scanner(tx.sql(), s.asset_tag))
    return fail(ErrorCode::conflict, fmt::format("scanner '{}': already exists", s.asset_tag));
  const bool imported = !stage_text.empty();
  auto stage = imported ? parse_stage(stage_text) : Stage::needs;
  if (!stage) return fail(ErrorCode::input, fmt::format("stage '{}': unknown stage code", stage_text));
  TimePoint since = tx.now();
  if (!since_text.empty()) {
    auto t = parse_utc(since_text);
    if (!t) return fail(ErrorCode::input, fmt::format("stage_since '{}': expected YYYY-MM-DD", since_text));
    if (*t > tx.now()) return fail(ErrorCode::input, fmt::format("stage_since {}: in the future", since_text));
    since = *t;
  }
  s.stage = std::string(stage_info(*stage).code);
  s.stage_since_utc = format_utc(since);
  db::Decision d;
  if (!by.empty()) {
    auto p = db::find_person(tx.sql(), by);
    if (!p) return fail(ErrorCode::not_found, fmt::format("person '{}': not found", by));
    d.decided_by = p->id;
    d.decided_role = p->role;
  }
  auto id = db::insert_scanner(tx, s);
  if (!id) return tl::unexpected(id.error());
  d.scanner_id = *id;
  d.kind = imported ? "import" : "register";
  d.to_stage = s.stage;
  d.effective_at_utc = s.stage_since_utc;
  d.note = note.empty() ? (imported ? "entered at its current stage by import" : "registered") : note;
  if (auto st = db::insert_decision(tx, d); !st) return tl::unexpected(st.error());
  if (out) *out = *db::find_scanner(tx.sql(), std::to_string(*id));
  return {};
}

Result<db::Scanner> add_scanner(db::Database& db, const std::string& actor, const Fields& fields) {
  db::Scanner out;
  auto st = db.write(actor, [&](db::WriteTx& tx) -> Status { return add_scanner_in(tx, fields, &out); });
  if (!st) return tl::unexpected(st.error());
  return out;
}

Result<Timeline> scanner_timeline(db::Database& db, const std::string& scanner) {
  return db.read([&](SQLite::Database& sql) -> Result<Timeline> {
    auto s = db::find_scanner(sql, scanner);
    if (!s) return fail(ErrorCode::not_found, fmt::format("scanner '{}': not found", scanner));
    return Timeline{*s, db::decisions_for_scanner(sql, s->id), db::list_documents(sql, s->id)};
  });
}

}  // namespace niikit::services
