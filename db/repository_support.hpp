// Small helpers every repository in db/ uses to read rows: optional values for WriteTx rows,
// an id-or-key lookup, a list query, and a left-to-right column reader. Internal to db/ (not
// included by callers outside it). Header-only; stateless except Cols, which belongs to one
// statement.
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"

namespace niikit::db::support {

inline Value opt(const std::optional<std::int64_t>& v) { return v ? Value{*v} : Value{nullptr}; }
inline Value opt(const std::optional<double>& v) { return v ? Value{*v} : Value{nullptr}; }
inline Value opt(const std::optional<std::string>& v) { return v ? Value{*v} : Value{nullptr}; }
inline Value flag(bool b) { return std::int64_t{b ? 1 : 0}; }

// "12" → 12; anything that is not a whole decimal integer → nullopt.
inline std::optional<std::int64_t> as_id(const std::string& text) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size()) return std::nullopt;
  return v;
}

// Runs `select` (whose table is aliased `x`) for the row whose `key_col` equals `key`, else,
// when `key` is a number and no key matches, for the row with that id; maps the first row.
template <class T, class Map>
std::optional<T> find_by_key_or_id(SQLite::Database& sql, const std::string& select, const std::string& key_col,
                                   const std::string& key, Map map) {
  {
    SQLite::Statement q(sql, select + " WHERE " + key_col + " = ?");
    q.bind(1, key);
    if (q.executeStep()) return map(q);
  }
  if (auto id = as_id(key)) {
    SQLite::Statement q(sql, select + " WHERE x.id = ?");
    q.bind(1, *id);
    if (q.executeStep()) return map(q);
  }
  return std::nullopt;
}

// Every row of `text` mapped by `map`; `param`, when given, is bound to the one `?`.
template <class T, class Map>
std::vector<T> query_list(SQLite::Database& sql, const std::string& text, Map map,
                          std::optional<std::int64_t> param = std::nullopt) {
  SQLite::Statement q(sql, text);
  if (param) q.bind(1, *param);
  std::vector<T> out;
  while (q.executeStep()) out.push_back(map(q));
  return out;
}

// Reads a statement's columns left to right.
class Cols {
 public:
  explicit Cols(SQLite::Statement& q) : q_(q) {}
  std::int64_t id() { return q_.getColumn(i_++).getInt64(); }
  std::string text() { return q_.getColumn(i_++).getString(); }
  double real() { return q_.getColumn(i_++).getDouble(); }
  bool yes() { return q_.getColumn(i_++).getInt() != 0; }
  std::optional<std::int64_t> opt_id() {
    auto c = q_.getColumn(i_++);
    return c.isNull() ? std::nullopt : std::optional<std::int64_t>(c.getInt64());
  }
  std::optional<double> opt_real() {
    auto c = q_.getColumn(i_++);
    return c.isNull() ? std::nullopt : std::optional<double>(c.getDouble());
  }
  std::optional<std::string> opt_text() {
    auto c = q_.getColumn(i_++);
    return c.isNull() ? std::nullopt : std::optional<std::string>(c.getString());
  }

 private:
  SQLite::Statement& q_;
  int i_ = 0;
};

}  // namespace niikit::db::support
