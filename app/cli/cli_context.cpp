#include "app/cli/cli_context.hpp"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <unistd.h>

#include <cstdlib>
#include <ostream>

#include "db/database.hpp"

namespace niikit::cli {

std::string CliContext::resolved_db_path() const {
  if (!db_path.empty()) return db_path;
  if (const char* env = std::getenv("NIIKIT_DB"); env && *env) return env;
  return "niikit.db";
}

Result<db::Database> CliContext::open_db(bool create_if_missing) const {
  return db::Database::open_ready(resolved_db_path(), create_if_missing ? db::OpenMode::create : db::OpenMode::existing,
                                  clock);
}

void CliContext::print(const QJsonValue& value, const std::function<void(std::ostream&)>& text) const {
  printed = true;
  if (json) {
    QJsonDocument doc = value.isArray() ? QJsonDocument(value.toArray()) : QJsonDocument(value.toObject());
    *out << doc.toJson(QJsonDocument::Indented).toStdString();
  } else {
    text(*out);
  }
}

bool CliContext::show_progress() const { return !json && isatty(STDERR_FILENO); }

std::string CliContext::actor(const std::string& by) const {
  if (!by.empty()) return by;
  const char* user = std::getenv("USER");
  return std::string("os:") + (user && *user ? user : "unknown");
}

}  // namespace niikit::cli
