#include "app/cli/cli_context.hpp"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <unistd.h>

#include <cstdlib>
#include <ostream>

#include "db/database.hpp"

namespace niikit::cli {

std::string CliContext::resolved_db_path() const { return db_path.empty() ? config.db_path : db_path; }

Result<db::Database> CliContext::open_db(bool create_if_missing) const {
  return db::Database::open_ready(resolved_db_path(), create_if_missing ? db::OpenMode::create : db::OpenMode::existing,
                                  clock);
}

QJsonObject CliContext::error_members(const Error& error) {
  const auto& info = error_info(error.code);
  QJsonObject o{{"error", QString::fromUtf8(info.name.data(), static_cast<qsizetype>(info.name.size()))},
                {"exit_status", info.exit_status},
                {"message", QString::fromStdString(error.message)}};
  if (!error.field.empty()) o["field"] = QString::fromStdString(error.field);
  return o;
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
  if (!as_person.empty()) return as_person;
  return "os:" + (config.os_user.empty() ? std::string("unknown") : config.os_user);
}

}  // namespace niikit::cli
