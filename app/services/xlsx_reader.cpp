#include "app/services/xlsx_reader.hpp"

#include <QByteArray>
#include <QString>
#include <QXmlStreamReader>
#include <fmt/format.h>
#include <unzip.h>

#include <filesystem>
#include <memory>
#include <optional>

namespace niikit::services {

namespace {

// A workbook part larger than this is refused before it is inflated (a ZIP bomb guard); a
// requirement table is a few hundred kilobytes at most.
constexpr std::uint64_t kMaxPartBytes = 64ull * 1024 * 1024;

const QString kRelNs = QStringLiteral("http://schemas.openxmlformats.org/officeDocument/2006/relationships");

struct UnzCloser {
  void operator()(void* f) const {
    if (f) unzClose(f);
  }
};
using Zip = std::unique_ptr<void, UnzCloser>;

// The bytes of `part`; nullopt when the archive has no such part.
Result<std::optional<QByteArray>> read_part(unzFile zip, const std::string& part, const std::string& path) {
  if (unzLocateFile(zip, part.c_str(), 1) != UNZ_OK) return std::optional<QByteArray>{};
  unz_file_info64 info{};
  if (unzGetCurrentFileInfo64(zip, &info, nullptr, 0, nullptr, 0, nullptr, 0) != UNZ_OK)
    return fail(ErrorCode::input, fmt::format("{}: {}: unreadable ZIP entry", path, part));
  if (info.uncompressed_size > kMaxPartBytes)
    return fail(ErrorCode::input, fmt::format("{}: {}: {} bytes uncompressed, more than the {} MiB accepted", path,
                                              part, info.uncompressed_size, kMaxPartBytes >> 20));
  if (unzOpenCurrentFile(zip) != UNZ_OK)
    return fail(ErrorCode::input, fmt::format("{}: {}: cannot open ZIP entry (encrypted or unknown compression)", path, part));
  QByteArray data;
  data.reserve(static_cast<qsizetype>(info.uncompressed_size));
  char buffer[16384];
  for (;;) {
    const int n = unzReadCurrentFile(zip, buffer, sizeof buffer);
    if (n < 0) {
      unzCloseCurrentFile(zip);
      return fail(ErrorCode::input, fmt::format("{}: {}: corrupt ZIP data", path, part));
    }
    if (n == 0) break;
    data.append(buffer, n);
    if (static_cast<std::uint64_t>(data.size()) > kMaxPartBytes) {
      unzCloseCurrentFile(zip);
      return fail(ErrorCode::input, fmt::format("{}: {}: larger than its header says", path, part));
    }
  }
  // UNZ_CRCERROR: the inflated bytes do not match the stored checksum.
  if (unzCloseCurrentFile(zip) != UNZ_OK)
    return fail(ErrorCode::input, fmt::format("{}: {}: checksum mismatch (corrupt file)", path, part));
  return std::optional<QByteArray>{std::move(data)};
}

Status xml_status(const QXmlStreamReader& xml, const std::string& path, const std::string& part) {
  if (xml.hasError())
    return fail(ErrorCode::input, fmt::format("{}: {}: malformed XML at line {}: {}", path, part, xml.lineNumber(),
                                              xml.errorString().toStdString()));
  return {};
}

struct SheetRef {
  std::string name;
  std::string rel_id;
};

Result<std::vector<SheetRef>> parse_workbook(const QByteArray& data, const std::string& path) {
  QXmlStreamReader xml(data);
  std::vector<SheetRef> sheets;
  while (!xml.atEnd()) {
    xml.readNext();
    if (xml.isStartElement() && xml.name() == u"sheet")
      sheets.push_back({xml.attributes().value(QStringLiteral("name")).toString().toStdString(),
                        xml.attributes().value(kRelNs, QStringLiteral("id")).toString().toStdString()});
  }
  if (auto st = xml_status(xml, path, "xl/workbook.xml"); !st) return tl::unexpected(st.error());
  return sheets;
}

// Relationship id → part name inside the archive ("xl/worksheets/sheet1.xml").
Result<std::map<std::string, std::string>> parse_relationships(const QByteArray& data, const std::string& path) {
  QXmlStreamReader xml(data);
  std::map<std::string, std::string> out;
  while (!xml.atEnd()) {
    xml.readNext();
    if (xml.isStartElement() && xml.name() == u"Relationship") {
      std::string target = xml.attributes().value(QStringLiteral("Target")).toString().toStdString();
      if (!target.empty() && target.front() == '/')
        target.erase(0, 1);
      else
        target = "xl/" + target;
      out[xml.attributes().value(QStringLiteral("Id")).toString().toStdString()] = target;
    }
  }
  if (auto st = xml_status(xml, path, "xl/_rels/workbook.xml.rels"); !st) return tl::unexpected(st.error());
  return out;
}

// Concatenated <t> text of the current element (an <si> or <is>), skipping phonetic runs.
QString rich_text(QXmlStreamReader& xml) {
  QString text;
  const auto end_name = xml.name().toString();
  int phonetic_depth = 0;
  while (!xml.atEnd()) {
    xml.readNext();
    if (xml.isStartElement()) {
      if (xml.name() == u"rPh") ++phonetic_depth;
      if (xml.name() == u"t" && phonetic_depth == 0) text += xml.readElementText(QXmlStreamReader::IncludeChildElements);
    } else if (xml.isEndElement()) {
      if (xml.name() == u"rPh") --phonetic_depth;
      if (xml.name() == end_name) break;
    }
  }
  return text;
}

Result<std::vector<std::string>> parse_shared_strings(const QByteArray& data, const std::string& path) {
  QXmlStreamReader xml(data);
  std::vector<std::string> out;
  while (!xml.atEnd()) {
    xml.readNext();
    if (xml.isStartElement() && xml.name() == u"si") out.push_back(rich_text(xml).toStdString());
  }
  if (auto st = xml_status(xml, path, "xl/sharedStrings.xml"); !st) return tl::unexpected(st.error());
  return out;
}

// Splits "AB12" into column index 27 and row 12; false when malformed.
bool split_reference(const QString& ref, int& col, int& row) {
  int i = 0;
  std::string letters;
  while (i < ref.size() && ref[i].isLetter()) letters.push_back(static_cast<char>(ref[i++].toUpper().unicode()));
  bool ok = false;
  row = ref.mid(i).toInt(&ok);
  col = xlsx_column_index(letters);
  return ok && row >= 1 && col >= 0;
}

Result<std::vector<XlsxRow>> parse_sheet(const QByteArray& data, const std::vector<std::string>& shared,
                                         const std::string& path, const std::string& part) {
  QXmlStreamReader xml(data);
  std::vector<XlsxRow> rows;
  int next_row = 1;
  int next_col = 0;
  auto bad = [&](const std::string& what) {
    return fail(ErrorCode::input, fmt::format("{}: {} line {}: {}", path, part, xml.lineNumber(), what));
  };
  while (!xml.atEnd()) {
    xml.readNext();
    if (!xml.isStartElement()) continue;
    if (xml.name() == u"row") {
      const QString r = xml.attributes().value(QStringLiteral("r")).toString();
      int number = next_row;
      if (!r.isEmpty()) {
        bool ok = false;
        number = r.toInt(&ok);
        if (!ok || number < 1) return bad(fmt::format("row number '{}' is not valid", r.toStdString()));
      }
      rows.push_back({number, {}});
      next_row = number + 1;
      next_col = 0;
    } else if (xml.name() == u"c") {
      if (rows.empty()) return bad("cell outside a row");
      int col = next_col;
      if (const QString ref = xml.attributes().value(QStringLiteral("r")).toString(); !ref.isEmpty()) {
        int row = 0;
        if (!split_reference(ref, col, row))
          return bad(fmt::format("cell reference '{}' is not valid", ref.toStdString()));
      }
      next_col = col + 1;
      const QString type = xml.attributes().value(QStringLiteral("t")).toString();
      std::optional<QString> value;
      std::optional<QString> inline_text;
      while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && xml.name() == u"v") value = xml.readElementText();
        else if (xml.isStartElement() && xml.name() == u"is") inline_text = rich_text(xml);
        else if (xml.isEndElement() && xml.name() == u"c") break;
      }
      XlsxCell cell;
      if (type == u"inlineStr") {
        if (!inline_text) continue;
        cell.text = inline_text->toStdString();
      } else {
        if (!value) continue;  // a styled blank cell
        cell.text = value->toStdString();
        if (type == u"s") {
          bool ok = false;
          const int index = value->toInt(&ok);
          if (!ok || index < 0 || static_cast<std::size_t>(index) >= shared.size())
            return bad(fmt::format("shared string index '{}' out of range", cell.text));
          cell.text = shared[static_cast<std::size_t>(index)];
        } else if (type == u"b") {
          cell.kind = XlsxCell::Kind::boolean;
          cell.number = value->trimmed() == u"1" ? 1 : 0;
        } else if (type == u"e") {
          cell.kind = XlsxCell::Kind::error;
        } else if (type != u"str") {  // "n" or absent: a number
          bool ok = false;
          cell.number = value->trimmed().toDouble(&ok);
          if (!ok) return bad(fmt::format("numeric cell holds '{}'", cell.text));
          cell.kind = XlsxCell::Kind::number;
        }
      }
      rows.back().cells[col] = std::move(cell);
    }
  }
  if (auto st = xml_status(xml, path, part); !st) return tl::unexpected(st.error());
  std::erase_if(rows, [](const XlsxRow& r) { return r.cells.empty(); });
  return rows;
}

}  // namespace

int xlsx_column_index(const std::string& letters) {
  if (letters.empty() || letters.size() > 3) return -1;
  int index = 0;
  for (char c : letters) {
    if (c < 'A' || c > 'Z') return -1;
    index = index * 26 + (c - 'A' + 1);
  }
  return index - 1;
}

std::string xlsx_column_name(int index) {
  std::string out;
  for (int n = index + 1; n > 0; n = (n - 1) / 26) out.insert(out.begin(), static_cast<char>('A' + (n - 1) % 26));
  return out;
}

Result<XlsxSheet> read_xlsx_sheet(const std::string& path, const std::string& sheet_name) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    return fail(ErrorCode::io, fmt::format("{}: no such file", path));
  Zip zip(unzOpen64(path.c_str()));
  if (!zip) return fail(ErrorCode::input, fmt::format("{}: not an .xlsx workbook (not a ZIP archive)", path));
  auto part = [&](const std::string& name) { return read_part(zip.get(), name, path); };

  auto workbook = part("xl/workbook.xml");
  if (!workbook) return tl::unexpected(workbook.error());
  if (!*workbook) return fail(ErrorCode::input, fmt::format("{}: not an .xlsx workbook (no xl/workbook.xml)", path));
  auto sheets = parse_workbook(**workbook, path);
  if (!sheets) return tl::unexpected(sheets.error());
  if (sheets->empty()) return fail(ErrorCode::input, fmt::format("{}: the workbook has no worksheet", path));
  const SheetRef* chosen = &sheets->front();
  for (const auto& s : *sheets)
    if (!sheet_name.empty() && s.name == sheet_name) chosen = &s;

  auto rels_data = part("xl/_rels/workbook.xml.rels");
  if (!rels_data) return tl::unexpected(rels_data.error());
  if (!*rels_data) return fail(ErrorCode::input, fmt::format("{}: not an .xlsx workbook (no workbook relationships)", path));
  auto rels = parse_relationships(**rels_data, path);
  if (!rels) return tl::unexpected(rels.error());
  auto target = rels->find(chosen->rel_id);
  if (target == rels->end())
    return fail(ErrorCode::input, fmt::format("{}: sheet '{}' has no part in the archive", path, chosen->name));

  std::vector<std::string> shared;
  auto shared_data = part("xl/sharedStrings.xml");
  if (!shared_data) return tl::unexpected(shared_data.error());
  if (*shared_data) {
    auto parsed = parse_shared_strings(**shared_data, path);
    if (!parsed) return tl::unexpected(parsed.error());
    shared = std::move(*parsed);
  }
  auto sheet_data = part(target->second);
  if (!sheet_data) return tl::unexpected(sheet_data.error());
  if (!*sheet_data) return fail(ErrorCode::input, fmt::format("{}: {} missing from the archive", path, target->second));
  auto rows = parse_sheet(**sheet_data, shared, path, target->second);
  if (!rows) return tl::unexpected(rows.error());
  return XlsxSheet{chosen->name, std::move(*rows)};
}

}  // namespace niikit::services
