// JSON forms of records for `--json` output. Keys are lower case with units in their names,
// the same as the database columns; they are part of niikit's stable machine interface
// (documented in docs/cli-json.md).
#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <string>
#include <vector>

#include "app/domain/lifecycle.hpp"
#include "db/registry.hpp"

namespace niikit::cli {

QString qs(const std::string& s);
QJsonArray string_array(const std::vector<std::string>& items);

QJsonObject to_json(const db::Site& s);
QJsonObject to_json(const db::Person& p);
QJsonObject to_json(const db::Scanner& s);
QJsonObject to_json(const db::Document& d);
QJsonObject to_json(const db::Decision& d);
QJsonObject to_json(const domain::GateOutcome& g);

}  // namespace niikit::cli
