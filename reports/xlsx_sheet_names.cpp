#include "reports/xlsx_sheet_names.hpp"

#include <QString>
#include <set>

namespace niikit::reports {

namespace {

constexpr qsizetype kMaxChars = 31;

// Truncates to `n` code points (never splitting a surrogate pair).
QString left_chars(const QString& s, qsizetype n) {
  qsizetype units = 0, chars = 0;
  while (units < s.size() && chars < n) {
    units += s.at(units).isHighSurrogate() && units + 1 < s.size() ? 2 : 1;
    ++chars;
  }
  return s.left(units);
}

QString clean(const std::string& title) {
  QString s = QString::fromStdString(title);
  for (auto& ch : s) {
    if (ch == u'[') ch = u'(';
    else if (ch == u']') ch = u')';
    else if (ch == u':' || ch == u'*' || ch == u'?' || ch == u'/' || ch == u'\\') ch = u'-';
    else if (ch.category() == QChar::Other_Control) ch = u' ';
  }
  while (s.startsWith(u'\'')) s.remove(0, 1);
  while (s.endsWith(u'\'')) s.chop(1);
  return left_chars(s, kMaxChars);
}

}  // namespace

std::vector<std::string> xlsx_sheet_names(const std::vector<std::string>& titles) {
  std::set<QString> taken{QStringLiteral("history")};
  std::vector<std::string> out;
  for (std::size_t i = 0; i < titles.size(); ++i) {
    QString base = clean(titles[i]);
    if (base.trimmed().isEmpty()) base = QStringLiteral("Section %1").arg(i + 1);
    QString name = base;
    for (int k = 2; taken.count(name.toLower()) > 0; ++k) {
      const QString suffix = QStringLiteral(" (%1)").arg(k);
      name = left_chars(base, kMaxChars - suffix.size()) + suffix;
    }
    taken.insert(name.toLower());
    out.push_back(name.toStdString());
  }
  return out;
}

}  // namespace niikit::reports
