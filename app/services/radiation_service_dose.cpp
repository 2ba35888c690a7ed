// Personal dosimetry: import of a dosimetry service's CSV and the annual / 5-year summary.
#include <fmt/format.h>

#include <set>

#include "core/time_format.hpp"
#include "app/services/csv.hpp"
#include "app/services/csv_batch.hpp"
#include "app/services/radiation_service.hpp"
#include "app/services/radiation_service_internal.hpp"

namespace niikit::services::rad {

namespace R = domain::rad;
using namespace detail;

namespace {

const std::vector<std::string> required_dose_columns{"worker", "dosimeter", "period_start", "period_end", "hp10_msv"};
const std::vector<std::string> optional_dose_columns{"hp007_msv", "category", "employer"};

std::string get(const Fields& f, const std::string& k) {
  auto it = f.find(k);
  return it == f.end() ? std::string() : it->second;
}

Status store_dose(db::WriteTx& tx, const Fields& f, const std::string& file) {
  const std::string name = get(f, "worker"), code = get(f, "dosimeter");
  if (name.empty()) return fail(ErrorCode::input, "field 'worker': empty");
  if (code.empty()) return fail(ErrorCode::input, "field 'dosimeter': empty");
  auto start = date_field("field 'period_start'", get(f, "period_start"), true);
  if (!start) return tl::unexpected(start.error());
  auto end = date_field("field 'period_end'", get(f, "period_end"), true);
  if (!end) return tl::unexpected(end.error());
  if (*end < *start)
    return fail(ErrorCode::input, fmt::format("field 'period_end' {}: before period_start {}", *end, *start));
  auto hp10 = number_field("hp10_msv", get(f, "hp10_msv"), 0, 9999);
  if (!hp10) return tl::unexpected(hp10.error());
  std::optional<double> hp007;
  if (!get(f, "hp007_msv").empty()) {
    auto n = number_field("hp007_msv", get(f, "hp007_msv"), 0, 99999);
    if (!n) return tl::unexpected(n.error());
    hp007 = *n;
  }
  auto worker = db::rad::find_worker(tx.sql(), name);
  std::int64_t worker_id = 0;
  if (worker) {
    worker_id = worker->id;
  } else {
    db::rad::Worker w;
    w.name = name;
    const std::string cat = get(f, "category").empty() ? "occupational" : get(f, "category");
    auto c = parse_code(R::worker_categories(), cat);
    if (!c) return fail(ErrorCode::input, fmt::format("field 'category': {}", c.error().message));
    w.worker_category = *c;
    w.employer = get(f, "employer");
    if (auto p = db::find_person(tx.sql(), name)) w.person_id = p->id;
    auto id = db::rad::insert_worker(tx, w);
    if (!id) return tl::unexpected(id.error());
    worker_id = *id;
  }
  std::int64_t dosimeter_id = 0;
  if (auto d = db::rad::find_dosimeter(tx.sql(), code)) {
    if (d->second != worker_id)
      return fail(ErrorCode::conflict, fmt::format("field 'dosimeter': {} is issued to another worker", code));
    dosimeter_id = d->first;
  } else {
    auto id = db::rad::insert_dosimeter(tx, code, worker_id);
    if (!id) return tl::unexpected(id.error());
    dosimeter_id = *id;
  }
  if (db::rad::dose_recorded(tx.sql(), dosimeter_id, *start))
    return fail(ErrorCode::conflict,
                fmt::format("field 'period_start': dosimeter {} period {} already recorded", code, *start));
  db::rad::DoseRecord rec;
  rec.worker_id = worker_id;
  rec.dosimeter_id = dosimeter_id;
  rec.period_start = *start;
  rec.period_end = *end;
  rec.hp10_msv = *hp10;
  rec.hp007_msv = hp007;
  rec.import_file = file;
  auto id = db::rad::insert_dose(tx, rec);
  if (!id) return tl::unexpected(id.error());
  return {};
}

}  // namespace

std::vector<std::string> dose_columns() {
  std::vector<std::string> out;
  for (const auto& c : required_dose_columns) out.push_back(c + "*");
  out.insert(out.end(), optional_dose_columns.begin(), optional_dose_columns.end());
  return out;
}

Result<ImportResult> import_doses(db::Database& db, const std::string& actor, const std::string& path) {
  auto table = read_batch_csv(path, required_dose_columns, optional_dose_columns);
  if (!table) return tl::unexpected(table.error());
  ImportResult result;
  auto st = db.write(actor, [&](db::WriteTx& tx) -> Status {
    return store_rows_all_or_nothing(
        tx, *table, path, [&](const Fields& f) { return store_dose(tx, f, path); }, result);
  });
  if (!st && result.errors.empty()) return tl::unexpected(st.error());
  return result;
}

Result<std::vector<WorkerDose>> dose_summary(db::Database& db, int year, const std::string& worker) {
  if (year < 1900 || year > 2200) return fail(ErrorCode::input, fmt::format("year {}: out of range", year));
  return db.read([&](SQLite::Database& sql) -> Result<std::vector<WorkerDose>> {
    auto cfg = R::settings_from(db::rad::load_settings(sql));
    if (!cfg) return tl::unexpected(cfg.error());
    std::vector<db::rad::Worker> workers;
    if (!worker.empty()) {
      auto w = db::rad::find_worker(sql, worker);
      if (!w) return fail(ErrorCode::not_found, fmt::format("worker '{}': not found", worker));
      workers.push_back(*w);
    } else {
      workers = db::rad::list_workers(sql);
    }
    std::vector<WorkerDose> out;
    for (const auto& w : workers) {
      std::vector<R::DoseRecordInput> records;
      for (const auto& r : db::rad::doses_for(sql, w.id))
        records.push_back({std::stoi(r.period_start.substr(0, 4)), r.hp10_msv, r.hp007_msv});
      const auto cls = w.worker_category == "public" ? R::DoseClass::public_exposure : R::DoseClass::occupational;
      out.push_back({w, R::summarise_dose(records, year, cls, *cfg)});
    }
    return out;
  });
}

}  // namespace niikit::services::rad
