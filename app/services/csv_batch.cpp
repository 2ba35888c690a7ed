#include "app/services/csv_batch.hpp"

#include <fmt/format.h>

#include <set>

namespace niikit::services {

Result<CsvTable> read_batch_csv(const std::string& path, const std::vector<std::string>& required,
                                const std::vector<std::string>& optional) {
  auto table = read_csv_file(path);
  if (!table) return tl::unexpected(table.error());
  std::set<std::string> known(required.begin(), required.end());
  known.insert(optional.begin(), optional.end());
  for (const auto& h : table->header)
    if (!known.count(h)) return fail(ErrorCode::input, fmt::format("{}: unknown column '{}'", path, h));
  for (const auto& r : required)
    if (!table->column(r)) return fail(ErrorCode::input, fmt::format("{}: required column '{}' missing", path, r));
  if (table->records.empty()) return fail(ErrorCode::input, fmt::format("{}: no data rows", path));
  return table;
}

Status store_rows_all_or_nothing(db::WriteTx& tx, const CsvTable& table, const std::string& path,
                                 const std::function<Status(const Fields&)>& store, ImportResult& result,
                                 const std::function<void(int, int)>& progress) {
  result.rows = static_cast<int>(table.records.size());
  result.stored = 0;
  int done = 0;
  // Prepared once per batch (the unit of work's cache), not once per row.
  const auto exec = [&](const char* statement) { tx.statements().get(statement).exec(); };
  Fields f;
  for (const auto& rec : table.records) {
    f.clear();
    for (std::size_t i = 0; i < table.header.size() && i < rec.fields.size(); ++i) f[table.header[i]] = rec.fields[i];
    exec("SAVEPOINT batch_row");
    auto row = store(f);
    if (!row) exec("ROLLBACK TO batch_row");
    exec("RELEASE batch_row");
    if (!row) result.errors.push_back({rec.line, fmt::format("{} line {}: {}", path, rec.line, row.error().message)});
    if (progress) progress(++done, result.rows);
  }
  if (!result.errors.empty())
    return fail(ErrorCode::input,
                fmt::format("{}: {} of {} rows rejected; nothing stored", path, result.errors.size(), result.rows));
  result.stored = result.rows;
  return {};
}

}  // namespace niikit::services
