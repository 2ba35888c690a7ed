#include "app/cli/reference.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "app/api/operation.hpp"
#include "app/domain/permissions.hpp"

namespace niikit::cli {

namespace {

using api::FieldInfo;
using api::Kind;

std::string cli_words(const std::string& name) {
  std::string out = name;
  std::replace(out.begin(), out.end(), '.', ' ');
  return out;
}

std::string option_text(const FieldInfo& f) {
  if (f.positional()) return f.value_name.empty() ? f.name : f.value_name;
  std::string n = "--" + f.name;
  std::replace(n.begin(), n.end(), '_', '-');
  return n;
}

std::string kind_text(const FieldInfo& f) {
  std::string k(api::kind_name(f.kind));
  if (f.kind == Kind::list) k += " of " + std::string(api::kind_name(f.element_kind));
  if (f.optional) k += " or null";
  return k;
}

std::string cell(std::string s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else if (c == '\n') out += " ";
    else out.push_back(c);
  }
  return out;
}

void field_rows(std::string& out, const std::vector<FieldInfo>& fields, const std::string& prefix, bool request) {
  for (const auto& f : fields) {
    const std::string key = prefix + f.name;
    std::string help = f.help;
    if (!f.choices.empty()) {
      help += (help.empty() ? "one of: " : "; one of: ");
      for (std::size_t i = 0; i < f.choices.size(); ++i) help += (i ? ", " : "") + f.choices[i];
    }
    if (request)
      out += fmt::format("| `{}` | `{}` | {} | {} | {} |\n", key, option_text(f), kind_text(f),
                         f.required() ? "yes" : "", cell(help));
    else
      out += fmt::format("| `{}` | {} | {} |\n", key, kind_text(f), cell(help));
    if (!f.fields.empty()) field_rows(out, f.fields, key + (f.kind == Kind::list ? "[]." : "."), request);
  }
}

}  // namespace

std::string command_reference_markdown() {
  std::string out =
      "# niikit command reference\n\n"
      "Generated from the operation table (`app/api/`) and the permission table "
      "(`app/domain/permissions.cpp`) by `niikit reference`; do not edit by hand — a test compares this "
      "file with the generated text.\n\n"
      "Every operation is one command (`site.add` → `niikit site add`). Its request fields are the "
      "command's options (positional fields are arguments); `--request FILE` gives the whole request as "
      "JSON and options override its fields. `--json` prints the response as JSON (the same codec the web "
      "API uses); errors are one line on stderr and, with `--json`, an object `{error, exit_status, message, "
      "field}`. Who may run an operation is its permission row; act as a registered person with "
      "`--as PERSON` or map your OS account to one (`niikit person edit PERSON --os-user NAME`).\n";
  std::string group;
  for (const auto& op : api::operations().all()) {
    const std::string top = op.name().substr(0, op.name().find('.'));
    if (top != group) {
      group = top;
      std::string summary;
      for (const auto& g : api::operation_groups())
        if (g.name == group) summary = g.summary;
      out += fmt::format("\n## {}\n\n{}\n", group, summary.empty() ? "" : summary + "\n");
    }
    out += fmt::format("\n### `niikit {}`\n\n{}\n", cli_words(op.name()), op.spec.summary);
    if (!op.spec.description.empty()) out += "\n" + op.spec.description + "\n";
    if (const auto* p = domain::find_permission(op.name()))
      out += fmt::format("\n- Operation `{}`; who may run it: {}{}.\n", op.name(), domain::describe_roles(*p),
                         p->audience == domain::Audience::anyone ? "" : " (" + p->why + ")");
    out += fmt::format("- Database: {}.\n", op.spec.access == services::Access::none   ? "none"
                                            : op.spec.access == services::Access::read ? "read-only"
                                                                                       : "written");
    if (!op.request.empty()) {
      out += "\n| request field | command line | type | required | meaning |\n| --- | --- | --- | --- | --- |\n";
      field_rows(out, op.request, "", true);
    }
    if (op.response_is_list) out += "\nResponse: a list; each element:\n";
    if (!op.response.empty()) {
      out += "\n| response field | type | meaning |\n| --- | --- | --- |\n";
      field_rows(out, op.response, "", false);
    }
  }
  return out;
}

}  // namespace niikit::cli
