#include "app/cli/adapter.hpp"

#include "app/services/user_service.hpp"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringDecoder>
#include <fmt/format.h>

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>

#include "app/cli/views.hpp"
#include "app/domain/permissions.hpp"
#include "db/users.hpp"

namespace niikit::cli {

namespace {

using api::FieldInfo;
using api::Kind;
using api::Operation;

// What the command line gave for one command, before it becomes the request's JSON.
struct Given {
  std::map<std::string, std::string> values;               // single-valued fields
  std::map<std::string, std::vector<std::string>> lists;   // repeated options
  std::map<std::string, bool> flags;                       // boolean fields given
  std::string request_file;                                // --request FILE|-
  std::map<std::string, std::string> secret_files;         // --NAME-file for secret fields
};

std::string option_name(const FieldInfo& f) {
  std::string n = "--" + f.name;
  for (auto& c : n)
    if (c == '_') c = '-';
  return n;
}

std::string argument_name(const FieldInfo& f) {
  if (!f.value_name.empty()) return f.value_name;
  std::string n = f.name;
  for (auto& c : n) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return n;
}

std::string shown_name(const FieldInfo& f) { return f.positional() ? argument_name(f) : option_name(f); }

std::string type_placeholder(const FieldInfo& f) {
  if (!f.value_name.empty()) return f.value_name;
  if (f.flags & api::kPath) return "FILE";
  const Kind k = f.kind == Kind::list ? f.element_kind : f.kind;
  switch (k) {
    case Kind::integer: return "INT";
    case Kind::number: return "NUMBER";
    default: return "TEXT";
  }
}

std::string field_help(const FieldInfo& f) {
  std::string h = f.help;
  if (!f.choices.empty()) {
    h += (h.empty() ? "" : " (");
    for (std::size_t i = 0; i < f.choices.size(); ++i) h += (i ? ", " : "") + f.choices[i];
    h += ")";
  }
  if (f.required()) h += " [required]";
  if (f.kind == Kind::list) h += " (repeat for several)";
  return h;
}

CLI::App* find_child(CLI::App* parent, const std::string& name) {
  for (auto* sub : parent->get_subcommands([](CLI::App*) { return true; }))
    if (sub->get_name() == name) return sub;
  return nullptr;
}

// The command for `path` ("rad.survey.close"): group commands are created on the way, with
// their summaries from the groups table.
CLI::App* command_for(CLI::App& root, const std::string& name, const std::string& summary) {
  CLI::App* at = &root;
  std::string prefix;
  std::stringstream parts(name);
  std::string part;
  std::vector<std::string> segments;
  while (std::getline(parts, part, '.')) segments.push_back(part);
  for (std::size_t i = 0; i + 1 < segments.size(); ++i) {
    prefix += (prefix.empty() ? "" : ".") + segments[i];
    CLI::App* next = find_child(at, segments[i]);
    if (!next) {
      std::string group_summary;
      for (const auto& g : api::operation_groups())
        if (g.name == prefix) group_summary = g.summary;
      next = at->add_subcommand(segments[i], group_summary);
      next->require_subcommand(1);
    }
    at = next;
  }
  return at->add_subcommand(segments.back(), summary);
}

std::string footer_for(const Operation& op) {
  std::string f;
  if (!op.spec.description.empty()) f += op.spec.description + "\n\n";
  if (const auto* p = domain::find_permission(op.name())) {
    f += "Who may run it: " + domain::describe_roles(*p);
    if (p->audience != domain::Audience::anyone) f += " (" + p->why + "); act as a person with --as PERSON";
    f += ".\n";
  }
  f += "--json prints the response as JSON; --request FILE gives the whole request as JSON (docs/commands.md).\n";
  return f;
}

void bind_field(CLI::App* cmd, const FieldInfo& f, const std::shared_ptr<Given>& given) {
  if (f.flags & api::kCliHidden) return;
  if (f.flags & api::kSecret) {
    // Secrets never go on the command line (they would show in `ps` and shell history): a file
    // whose first line holds it, else a prompt on the terminal. The acting user's own
    // "password" comes from the global --password-file.
    if (f.name == "password") return;
    const std::string name = f.name;
    cmd->add_option_function<std::string>(
           option_name(f) + "-file", [given, name](const std::string& v) { given->secret_files[name] = v; },
           f.help + " (a file whose first line holds it; else asked on the terminal)")
        ->type_name("FILE");
    return;
  }
  if (f.kind == Kind::object || f.kind == Kind::map || f.kind == Kind::any ||
      (f.kind == Kind::list && f.element_kind == Kind::object))
    return;  // structured fields come through --request
  const std::string name = f.name;
  if (f.kind == Kind::boolean) {
    cmd->add_flag_callback(option_name(f), [given, name] { given->flags[name] = true; }, field_help(f));
    return;
  }
  if (f.kind == Kind::list) {
    auto* o = cmd->add_option_function<std::vector<std::string>>(
        f.positional() ? argument_name(f) : option_name(f),
        [given, name](const std::vector<std::string>& v) {
          auto& l = given->lists[name];
          l.insert(l.end(), v.begin(), v.end());
        },
        field_help(f));
    o->type_name(type_placeholder(f));
    return;
  }
  auto* o = cmd->add_option_function<std::string>(
      f.positional() ? argument_name(f) : option_name(f), [given, name](const std::string& v) { given->values[name] = v; },
      field_help(f));
  o->type_name(type_placeholder(f));
}

Error usage_error(const FieldInfo& f, const std::string& message) {
  return Error{ErrorCode::usage, message, shown_name(f)};
}

// One typed value from command-line text (the shared rule of app/api/codec.hpp), its error
// naming the option or argument.
Result<QJsonValue> typed_value(const FieldInfo& f, Kind kind, const std::string& text) {
  return api::value_from_text(kind, text, shown_name(f));
}

Result<QJsonObject> read_request_file(const std::string& path) {
  QFile file(QString::fromStdString(path));
  const bool ok = path == "-" ? file.open(stdin, QIODevice::ReadOnly) : file.open(QIODevice::ReadOnly);
  if (!ok) return fail_field(ErrorCode::not_found, "--request", fmt::format("{}: cannot read", path));
  QJsonParseError err{};
  const auto doc = QJsonDocument::fromJson(file.readAll(), &err);
  if (err.error != QJsonParseError::NoError || !doc.isObject())
    return fail_field(ErrorCode::input, "--request",
                      fmt::format("{}: not a JSON object ({})", path, err.errorString().toStdString()));
  return doc.object();
}

// Reads a line from the terminal without echo; errors when there is no terminal.
Result<std::string> prompt_secret(const std::string& prompt) {
  const int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
  if (fd < 0) return fail(ErrorCode::forbidden, prompt + ": no terminal to ask on (give a password file)");
  termios old{};
  const bool tty = ::tcgetattr(fd, &old) == 0;
  termios quiet = old;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  if (tty) ::tcsetattr(fd, TCSAFLUSH, &quiet);
  const std::string shown = prompt + ": ";
  (void)!::write(fd, shown.data(), shown.size());
  std::string line;
  char c = 0;
  while (::read(fd, &c, 1) == 1 && c != '\n') line.push_back(c);
  if (tty) ::tcsetattr(fd, TCSAFLUSH, &old);
  (void)!::write(fd, "\n", 1);
  ::close(fd);
  return line;
}

Result<std::string> first_line_of(const std::string& path, const std::string& what) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line))
    return fail_field(ErrorCode::input, what, fmt::format("{}: cannot read it", path));
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// Fills the request's secret fields: the actor's password through the Context, others from
// their --NAME-file or the terminal (asked twice for a new password).
Status fill_secrets(const Operation& op, const Given& given, services::Context& ctx, QJsonObject& request) {
  for (const auto& f : op.request) {
    if (!(f.flags & api::kSecret)) continue;
    const QString key = QString::fromStdString(f.name);
    if (request.contains(key)) continue;
    Result<std::string> value = std::string();
    if (f.name == "password") {
      value = ctx.ask_password("Your password");
    } else if (auto it = given.secret_files.find(f.name); it != given.secret_files.end()) {
      value = first_line_of(it->second, option_name(f) + "-file");
    } else {
      std::string label = f.name;
      std::replace(label.begin(), label.end(), '_', ' ');
      label[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(label[0])));
      value = prompt_secret(label);
      if (value && f.name.rfind("new_", 0) == 0) {
        auto again = prompt_secret(label + " again");
        if (!again) return tl::unexpected(again.error());
        if (*again != *value) return fail_field(ErrorCode::usage, option_name(f) + "-file", "the two entries differ");
      }
    }
    if (!value) return tl::unexpected(value.error());
    request[key] = QString::fromStdString(*value);
  }
  return {};
}

Result<QJsonObject> build_request(const Operation& op, const Given& given) {
  QJsonObject request;
  if (!given.request_file.empty()) {
    auto file = read_request_file(given.request_file);
    if (!file) return file;
    request = *file;
  }
  for (const auto& f : op.request) {
    const QString key = QString::fromStdString(f.name);
    if (auto it = given.flags.find(f.name); it != given.flags.end()) request[key] = true;
    if (auto it = given.values.find(f.name); it != given.values.end()) {
      auto v = typed_value(f, f.kind, it->second);
      if (!v) return tl::unexpected(v.error());
      request[key] = *v;
    }
    if (auto it = given.lists.find(f.name); it != given.lists.end()) {
      QJsonArray a;
      for (const auto& item : it->second) {
        auto v = typed_value(f, f.element_kind, item);
        if (!v) return tl::unexpected(v.error());
        a.append(*v);
      }
      request[key] = a;
    }
    if (f.required() && !(f.flags & api::kSecret) && !request.contains(key))
      return tl::unexpected(usage_error(f, "required"));
  }
  return request;
}

void generic_view(std::ostream& out, const QJsonValue& json) {
  auto compact = [](const QJsonValue& v) -> std::string {
    if (v.isString()) return v.toString().toStdString();
    if (v.isNull()) return "—";
    if (v.isBool()) return v.toBool() ? "yes" : "no";
    if (v.isDouble()) return QString::number(v.toDouble(), 'g', 12).toStdString();
    const auto doc = v.isObject() ? QJsonDocument(v.toObject()) : QJsonDocument(v.toArray());
    return doc.toJson(QJsonDocument::Compact).toStdString();
  };
  if (json.isObject()) {
    const auto o = json.toObject();
    for (auto it = o.begin(); it != o.end(); ++it) out << it.key().toStdString() << ": " << compact(it.value()) << "\n";
  } else if (json.isArray()) {
    for (const auto& v : json.toArray()) out << compact(v) << "\n";
  } else {
    out << compact(json) << "\n";
  }
}

Status run_command(CliContext& ctx, const Operation& op, const Given& given) {
  auto request = build_request(op, given);
  if (!request) return tl::unexpected(request.error());
  auto sctx = make_context(ctx);
  if (ctx.show_progress())
    sctx.progress = [err = ctx.err](std::string_view what, std::int64_t done, std::int64_t total) {
      if (total > 0 && done != total && done % 50 != 0) return;
      *err << fmt::format("\r{} {}{}", what, done, total > 0 ? fmt::format("/{}", total) : "")
           << (total > 0 && done == total ? "\n" : "") << std::flush;
    };
  if (sctx.config().password_file.empty() && ::isatty(STDIN_FILENO))
    sctx.password_source = [](const std::string& prompt) { return prompt_secret(prompt); };
  if (auto st = fill_secrets(op, given, sctx, *request); !st) return tl::unexpected(for_command_line(op, st.error()));
  auto outcome = op.run(sctx, *request);
  if (!outcome) return tl::unexpected(for_command_line(op, outcome.error()));
  QJsonValue json = op.encode_response(outcome->response);
  std::optional<Error> failed;
  if (outcome->status) failed = for_command_line(op, *outcome->status);
  if (failed && json.isObject()) {
    // --json keeps one document: the response with the documented error members added.
    QJsonObject o = json.toObject();
    const QJsonObject members = CliContext::error_members(*failed);
    for (auto it = members.begin(); it != members.end(); ++it)
      if (!o.contains(it.key())) o[it.key()] = it.value();
    json = o;
  }
  const TextView* view = views().find(op.name());
  const auto text = [&](std::ostream& out) {
    if (view) (*view)(out, outcome->response);
    else generic_view(out, json);
  };
  if (failed && !ctx.json && views().is_failure_detail(op.name())) {
    text(*ctx.err);   // rejected rows before the one-line error, both on stderr
  } else {
    ctx.print(json, text);
  }
  if (failed) return tl::unexpected(*failed);
  return {};
}

}  // namespace

services::Context make_context(const CliContext& ctx) {
  services::Config config = ctx.config;
  if (!ctx.db_path.empty()) config.db_path = ctx.db_path;
  if (!ctx.as_person.empty()) config.as_person = ctx.as_person;
  if (!ctx.password_file.empty()) config.password_file = ctx.password_file;
  return services::Context(std::move(config));
}

services::Context make_acting_context(const CliContext& ctx, const std::string& person) {
  CliContext named = ctx;
  if (!person.empty()) named.as_person = person;
  services::Context sctx = make_context(named);
  if (sctx.config().password_file.empty() && ::isatty(STDIN_FILENO))
    sctx.password_source = [](const std::string& prompt) { return prompt_secret(prompt); };
  return sctx;
}

Result<std::optional<services::KeySigner>> key_signer_for(const CliContext& ctx, const std::string& person,
                                                          const std::string& purpose) {
  services::Context sctx = make_acting_context(ctx, person);
  auto opened = sctx.database(services::Access::write);
  if (!opened) return tl::unexpected(opened.error());
  if (db::count_users((*opened)->sql()) == 0) return std::optional<services::KeySigner>{};
  if (auto actor = sctx.authenticated_actor(); !actor) return tl::unexpected(actor.error().with_context("--by"));
  auto key = services::unlock_signing_key(sctx, purpose);
  if (!key) return tl::unexpected(key.error());
  return std::optional<services::KeySigner>(services::KeySigner{std::move(key->first), std::move(key->second)});
}

Status authenticate_by_option(const CLI::App& root, const CliContext& ctx) {
  // The chosen command is the innermost parsed subcommand; --by belongs to it.
  const CLI::App* at = &root;
  for (auto subs = at->get_subcommands(); !subs.empty(); subs = at->get_subcommands()) at = subs.front();
  const CLI::Option* by = at->get_option_no_throw("--by");
  if (by == nullptr || by->count() == 0 || by->results().empty()) return {};
  const std::string person = by->results().front();
  services::Context sctx = make_acting_context(ctx, person);
  auto db = sctx.database(services::Access::write);
  if (!db) return {};   // the command itself reports a missing, foreign or read-only database
  if (db::count_users((*db)->sql()) == 0) return {};   // no accounts yet: --by names a person
  auto actor = sctx.authenticated_actor();
  if (actor) return {};
  if (actor.error().message.empty())
    return fail(ErrorCode::forbidden, fmt::format("--by {}: this database has user accounts; acting as a person "
                                                  "needs their password", person));
  return tl::unexpected(actor.error().with_context("--by"));
}

Error for_command_line(const Operation& op, Error error) {
  if (error.field.empty() || error.field.rfind("--", 0) == 0) return error;
  const auto slash = error.field.find('/');
  const std::string head = error.field.substr(0, slash);
  const std::string rest = slash == std::string::npos ? "" : error.field.substr(slash);
  if (head == "as") {
    error.field = "--as";
    return error;
  }
  for (const auto& f : op.request)
    if (f.name == head) {
      error.field = shown_name(f) + rest;
      return error;
    }
  return error;
}

void add_operation_commands(CLI::App& root, CliContext& ctx) {
  for (const auto& op : api::operations().all()) {
    auto* cmd = command_for(root, op.name(), op.spec.summary);
    cmd->footer(footer_for(op));
    auto given = std::make_shared<Given>();
    for (const auto& f : op.request) bind_field(cmd, f, given);
    cmd->add_option("--request", given->request_file, "The whole request as a JSON object from FILE ('-' = stdin); "
                                                      "options given as well override its fields")
        ->type_name("FILE");
    const Operation* o = &op;
    cmd->callback([&ctx, o, given] { ctx.action = [&ctx, o, given] { return run_command(ctx, *o, *given); }; });
  }
}

}  // namespace niikit::cli
