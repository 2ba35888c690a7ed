// A response of the operation table shown as HTML: lists of records as tables, records as
// definition lists, nested values inside. Every text is escaped.
#pragma once

#include <QJsonValue>

#include <string>
#include <string_view>

namespace niikit::web {

std::string escape_html(std::string_view text);
std::string html_of(const QJsonValue& value);

}  // namespace niikit::web
