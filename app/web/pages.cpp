// Server-rendered pages: sign-in, the start page (the fleet board when the table has one, and
// every operation the user may run) and one page per operation (its form, and its result).
#include <kainjow/mustache.hpp>

#include <fmt/format.h>

#include <map>

#include "app/services/user_service.hpp"
#include "app/web/html.hpp"
#include "app/web/web_internal.hpp"

namespace niikit::web {

const std::map<std::string, std::string>& embedded_assets();

namespace {

using kainjow::mustache::data;
using kainjow::mustache::mustache;

std::string render_template(const std::string& name, const data& d) {
  mustache tpl(asset(name));
  return tpl.render(d);
}

void send_page(httplib::Response& res, int status, const std::string& title, const std::string& body,
               const Caller* caller) {
  data d;
  d.set("title", title);
  d.set("body", body);
  if (caller) {
    data user;
    user.set("name", caller->actor.name);
    user.set("username", caller->username);
    std::string roles;
    for (const auto& r : caller->actor.roles) roles += (roles.empty() ? "" : ", ") + r;
    user.set("roles", roles);
    user.set("csrf", caller->csrf_token);
    d.set("user", user);
  }
  add_security_headers(res);
  res.status = status;
  res.set_content(render_template("layout.mustache", d), "text/html; charset=utf-8");
}

void redirect(httplib::Response& res, const std::string& to) {
  res.status = 303;
  res.set_header("Location", to);
}

// The caller of a page request, or a redirect to the sign-in page (nullopt returned).
std::optional<Caller> page_caller(Shared& shared, const httplib::Request& req, httplib::Response& res) {
  auto caller = identify(shared, req);
  if (!caller) {
    send_page(res, error_info(caller.error().code).http_status, "Error",
              "<p class=\"error\">" + escape_html(caller.error().message) + "</p>", nullptr);
    return std::nullopt;
  }
  if (!*caller) {
    redirect(res, "/login");
    return std::nullopt;
  }
  return **caller;
}

bool form_csrf_ok(const httplib::Request& req, const Caller& caller) {
  return same_secret(req.has_param("csrf") ? req.get_param_value("csrf") : "", caller.csrf_token);
}

std::string input_type(const api::FieldInfo& f) {
  if (f.flags & api::kSecret) return "password";
  switch (f.kind == api::Kind::list ? f.element_kind : f.kind) {
    case api::Kind::integer: return "number";
    case api::Kind::number: return "text";
    default: return "text";
  }
}

bool reads(const api::Operation& op) {
  return op.spec.access == services::Access::read || op.spec.access == services::Access::none;
}

std::string operation_page(const api::Operation& op, const Caller& caller, const httplib::Params& given,
                           const std::string& result_html, const std::string& error_text) {
  data fields{data::type::list};
  for (const auto& f : op.request) {
    if (f.flags & api::kCliHidden) continue;
    const bool structured = f.kind == api::Kind::object || f.kind == api::Kind::map || f.kind == api::Kind::any ||
                            (f.kind == api::Kind::list && f.element_kind == api::Kind::object);
    if (structured) continue;  // through the JSON API
    data d;
    d.set("name", f.name);
    d.set("help", f.help);
    d.set("required", f.required());
    d.set("type", input_type(f));
    d.set("is_bool", f.kind == api::Kind::boolean);
    d.set("is_multiline", (f.flags & api::kMultiline) != 0);
    const auto it = given.find(f.name);
    d.set("value", (it == given.end() || (f.flags & api::kSecret)) ? std::string() : it->second);
    d.set("checked", it != given.end() && !it->second.empty() && it->second != "false");
    d.set("has_choices", !f.choices.empty());
    if (!f.choices.empty()) {
      data choices{data::type::list};
      for (const auto& c : f.choices) {
        data cd;
        cd.set("choice", c);
        cd.set("selected", it != given.end() && it->second == c);
        choices.push_back(cd);
      }
      d.set("choices", choices);
    }
    fields.push_back(d);
  }
  data d;
  d.set("name", op.name());
  d.set("summary", op.spec.summary);
  d.set("description", op.spec.description);
  d.set("method", reads(op) ? "get" : "post");
  d.set("writes", !reads(op));
  d.set("csrf", caller.csrf_token);
  d.set("fields", fields);
  d.set("result", result_html);
  d.set("has_result", !result_html.empty());
  d.set("error", error_text);
  d.set("has_error", !error_text.empty());
  d.set("has_description", !op.spec.description.empty());
  d.set("may_run", may_run(caller.actor, op.name()));
  if (const auto* p = domain::find_permission(op.name())) {
    d.set("who", domain::describe_roles(*p));
    d.set("has_who", true);
  }
  return render_template("operation.mustache", d);
}

// Runs the operation and returns (status, result HTML, error text).
std::tuple<int, std::string, std::string> run_for_page(Shared& shared, const Caller& caller, const api::Operation& op,
                                                       const httplib::Params& params) {
  auto request = request_from_params(op, params, true);
  if (!request) return {error_info(request.error().code).http_status, "", request.error().field.empty() ? request.error().message : request.error().field + ": " + request.error().message};
  auto outcome = run_operation(shared, caller, op, *request);
  if (!outcome) {
    const auto& e = outcome.error();
    return {error_info(e.code).http_status, "", e.field.empty() ? e.message : e.field + ": " + e.message};
  }
  std::string html = html_of(op.encode_response(outcome->response));
  if (outcome->status) return {error_info(outcome->status->code).http_status, html, outcome->status->message};
  return {200, html, ""};
}

std::string start_page(Shared& shared, const Caller& caller) {
  std::string board;
  if (const auto* fleet = api::operations().find("fleet"); fleet && fleet->spec.web && may_run(caller.actor, "fleet")) {
    auto [status, html, error] = run_for_page(shared, caller, *fleet, {});
    board = error.empty() ? html : "<p class=\"error\">" + escape_html(error) + "</p>";
  }
  struct OpLine {
    std::string name, summary;
    bool writes;
  };
  std::map<std::string, std::vector<OpLine>> by_group;
  std::vector<std::string> order;
  for (const auto& op : api::operations().all()) {
    if (!op.spec.web || !may_run(caller.actor, op.name())) continue;
    const auto dot = op.name().find('.');
    const std::string group = dot == std::string::npos ? op.name() : op.name().substr(0, dot);
    if (!by_group.count(group)) order.push_back(group);
    by_group[group].push_back({op.name(), op.spec.summary, !reads(op)});
  }
  data groups{data::type::list};
  for (const auto& name : order) {
    data g;
    g.set("name", name);
    std::string summary;
    for (const auto& gs : api::operation_groups())
      if (gs.name == name) summary = gs.summary;
    g.set("summary", summary);
    g.set("has_summary", !summary.empty());
    data ops{data::type::list};
    for (const auto& line : by_group[name]) {
      data o;
      o.set("name", line.name);
      o.set("summary", line.summary);
      o.set("writes", line.writes);
      ops.push_back(o);
    }
    g.set("ops", ops);
    groups.push_back(g);
  }
  data d;
  d.set("board", board);
  d.set("has_board", !board.empty());
  d.set("groups", groups);
  return render_template("index.mustache", d);
}

std::string cookie(const Shared& shared, const std::string& value, int max_age_s) {
  return fmt::format("niikit_session={}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}", value, max_age_s,
                     shared.options.secure_cookies ? "; Secure" : "");
}

void login_post(Shared& shared, const httplib::Request& req, httplib::Response& res) {
  const std::string username = req.has_param("username") ? req.get_param_value("username") : "";
  const std::string password = req.has_param("password") ? req.get_param_value("password") : "";
  auto fail_page = [&](int status, const std::string& message) {
    data d;
    d.set("error", message);
    d.set("has_error", true);
    d.set("username", username);
    send_page(res, status, "Sign in", render_template("login.mustache", d), nullptr);
  };
  if (username.empty() || password.empty()) return fail_page(400, "Give your user name and password.");
  std::lock_guard<std::mutex> lock(shared.write_lock);  // failed attempts are counted: a write
  services::Context ctx = context_for(shared, nullptr);
  if (auto db = ctx.database(services::Access::write); !db) return fail_page(503, db.error().message);
  auto user = services::authenticate(ctx, username, password);
  if (!user) return fail_page(403, user.error().message);
  auto session = services::open_login_session(ctx, *user, "web", shared.options.session_minutes);
  if (!session) return fail_page(error_info(session.error().code).http_status, session.error().message);
  res.set_header("Set-Cookie", cookie(shared, session->token, shared.options.session_minutes * 60));
  redirect(res, "/");
}

}  // namespace

const std::string& asset(const std::string& name) {
  static const std::string none;
  const auto& all = embedded_assets();
  const auto it = all.find(name);
  return it == all.end() ? none : it->second;
}

void add_page_routes(httplib::Server& server, Shared& shared) {
  server.Get("/login", [](const httplib::Request&, httplib::Response& res) {
    send_page(res, 200, "Sign in", render_template("login.mustache", data{}), nullptr);
  });
  server.Post("/login", [&shared](const httplib::Request& req, httplib::Response& res) { login_post(shared, req, res); });
  server.Post("/logout", [&shared](const httplib::Request& req, httplib::Response& res) {
    auto caller = page_caller(shared, req, res);
    if (!caller) return;
    if (!form_csrf_ok(req, *caller)) return send_page(res, 403, "Sign out", "<p class=\"error\">The form has expired; reload the page.</p>", &*caller);
    std::lock_guard<std::mutex> lock(shared.write_lock);
    services::Context ctx = context_for(shared, &*caller);
    if (auto db = ctx.database(services::Access::write); db) (void)services::end_login_session(ctx, caller->session_token);
    res.set_header("Set-Cookie", cookie(shared, "", 0));
    redirect(res, "/login");
  });
  server.Get("/", [&shared](const httplib::Request& req, httplib::Response& res) {
    auto caller = page_caller(shared, req, res);
    if (!caller) return;
    send_page(res, 200, "niikit", start_page(shared, *caller), &*caller);
  });
  server.Get(R"(/op/([a-z0-9_.]+))", [&shared](const httplib::Request& req, httplib::Response& res) {
    auto caller = page_caller(shared, req, res);
    if (!caller) return;
    const auto* op = operation_for_path(req.matches[1]);
    if (!op) return send_page(res, 404, "Not found", "<p class=\"error\">No such page.</p>", &*caller);
    bool needs_input = false;
    for (const auto& f : op->request) needs_input = needs_input || f.required();
    int status = 200;
    std::string result, error;
    if (reads(*op) && may_run(caller->actor, op->name()) && (!needs_input || req.has_param("run")))
      std::tie(status, result, error) = run_for_page(shared, *caller, *op, req.params);
    send_page(res, status, op->name(), operation_page(*op, *caller, req.params, result, error), &*caller);
  });
  server.Post(R"(/op/([a-z0-9_.]+))", [&shared](const httplib::Request& req, httplib::Response& res) {
    auto caller = page_caller(shared, req, res);
    if (!caller) return;
    const auto* op = operation_for_path(req.matches[1]);
    if (!op) return send_page(res, 404, "Not found", "<p class=\"error\">No such page.</p>", &*caller);
    if (!form_csrf_ok(req, *caller))
      return send_page(res, 403, op->name(),
                       operation_page(*op, *caller, req.params, "", "The form has expired; reload the page and send it again."),
                       &*caller);
    auto [status, result, error] = run_for_page(shared, *caller, *op, req.params);
    send_page(res, status, op->name(), operation_page(*op, *caller, req.params, result, error), &*caller);
  });
  auto static_asset = [](const std::string& name, const std::string& type) {
    return [name, type](const httplib::Request&, httplib::Response& res) {
      res.set_header("X-Content-Type-Options", "nosniff");
      res.set_header("Cache-Control", "max-age=3600");
      res.set_content(asset(name), type);
    };
  };
  server.Get("/favicon.ico", [](const httplib::Request&, httplib::Response& res) { res.status = 204; });
  server.Get("/assets/web.css", static_asset("web.css", "text/css; charset=utf-8"));
  server.Get("/assets/web.js", static_asset("web.js", "text/javascript; charset=utf-8"));
}

}  // namespace niikit::web
