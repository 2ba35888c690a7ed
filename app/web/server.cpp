#include "app/web/server.hpp"

#include <fmt/format.h>

#include <chrono>
#include <filesystem>

#include "app/services/user_service.hpp"
#include "app/web/web_internal.hpp"
#include "db/users.hpp"

namespace niikit::web {

namespace {

bool is_loopback(const std::string& host) {
  return host == "127.0.0.1" || host == "::1" || host == "localhost" || host.rfind("127.", 0) == 0;
}

}  // namespace

Status check_serve_options(const services::Config& config, const ServerOptions& options) {
  if (options.port < 0 || options.port > 65535) return fail_field(ErrorCode::usage, "--port", "0 to 65535");
  if (options.threads < 1 || options.threads > 64) return fail_field(ErrorCode::usage, "--threads", "1 to 64");
  if (!is_loopback(options.bind) && !options.allow_public)
    return fail_field(ErrorCode::usage, "--bind",
                      fmt::format("{} is not a loopback address: add --public, and put niikit behind a TLS reverse "
                                  "proxy (docs/web.md)", options.bind));
  if (!std::filesystem::exists(config.db_path))
    return fail(ErrorCode::not_found, fmt::format("{}: no such database (niikit db init, or niikit demo)", config.db_path));
  services::Context ctx(config);
  auto db = ctx.database(services::Access::write);  // migrates an older file before threads start
  if (!db) return tl::unexpected(db.error());
  const auto users = (*db)->read([](SQLite::Database& sql) -> Result<std::int64_t> { return db::count_users(sql); });
  if (!users) return tl::unexpected(users.error());
  if (*users == 0)
    return fail(ErrorCode::forbidden, fmt::format("{}: has no users, so nobody could sign in; add one first "
                                                  "(niikit user add PERSON --username NAME)", config.db_path));
  return {};
}

services::Context context_for(const Shared& shared, const Caller* caller) {
  services::Config c = shared.config;
  if (caller) {
    c.session_token = caller->session_token;
    c.api_token = caller->api_token;
  }
  services::Context ctx(std::move(c));
  // No terminal and no password file on the web: an operation that needs the password again
  // (unsealing a signing key) says so.
  ctx.password_source = [](const std::string& prompt) -> Result<std::string> {
    return fail(ErrorCode::forbidden, prompt + ": not possible over the web yet; use the command line");
  };
  if (caller) ctx.act_as(caller->actor);
  return ctx;
}

Result<std::optional<Caller>> identify(Shared& shared, const httplib::Request& req) {
  services::Context ctx = context_for(shared, nullptr);
  if (auto db = ctx.database(services::Access::read); !db) return tl::unexpected(db.error());
  const std::string auth = req.get_header_value("Authorization");
  if (auth.rfind("Bearer ", 0) == 0) {
    auto actor = services::actor_of_api_token(ctx, auth.substr(7));
    if (!actor) return tl::unexpected(actor.error());
    Caller c;
    c.actor = *actor;
    c.username = actor->name;
    c.api_token = auth.substr(7);
    return c;
  }
  const std::string token = cookie_value(req, "niikit_session");
  if (token.empty()) return std::optional<Caller>{};
  auto session = services::session_user(ctx, token, "web");
  if (!session) return tl::unexpected(session.error());
  if (!*session) return std::optional<Caller>{};
  const auto& [user, login] = **session;
  auto person = db::find_person(ctx.db().sql(), std::to_string(user.person_id));
  if (!person) return std::optional<Caller>{};
  Caller c;
  c.actor = services::actor_of(*person);
  c.username = user.username;
  c.session_token = token;
  c.csrf_token = login.csrf_token;
  return c;
}

bool same_secret(const std::string& a, const std::string& b) {
  if (a.size() != b.size() || a.empty()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

bool may_run(const domain::Actor& actor, const std::string& name) {
  const auto* p = domain::find_permission(name);
  if (!p) return false;
  if (p->audience == domain::Audience::anyone || p->audience == domain::Audience::any_person) return true;
  for (const auto& role : p->roles)
    if (actor.holds(role)) return true;
  return false;
}

Result<api::Outcome> run_operation(Shared& shared, const Caller& caller, const api::Operation& op,
                                   const QJsonValue& request) {
  services::Context ctx = context_for(shared, &caller);
  const bool writes = op.spec.access == services::Access::write || op.spec.access == services::Access::create;
  std::unique_lock<std::mutex> lock(shared.write_lock, std::defer_lock);
  if (writes) lock.lock();
  return op.run(ctx, request);
}

const api::Operation* operation_for_path(const std::string& tail) {
  std::string name = tail;
  for (auto& ch : name)
    if (ch == '/') ch = '.';
  const auto* op = api::operations().find(name);
  if (!op || !op->spec.web) return nullptr;
  return op;
}

std::string cookie_value(const httplib::Request& req, const std::string& name) {
  const std::string header = req.get_header_value("Cookie");
  std::size_t at = 0;
  while (at < header.size()) {
    const auto end = header.find(';', at);
    std::string part = header.substr(at, end == std::string::npos ? std::string::npos : end - at);
    while (!part.empty() && part.front() == ' ') part.erase(part.begin());
    if (part.rfind(name + "=", 0) == 0) return part.substr(name.size() + 1);
    if (end == std::string::npos) break;
    at = end + 1;
  }
  return {};
}

void add_security_headers(httplib::Response& res) {
  res.set_header("Content-Security-Policy",
                 "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                 "frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("Cache-Control", "no-store");
}

struct Server::Impl {
  Shared shared;
  httplib::Server http;
};

Server::Server(services::Config config, ServerOptions options) : impl_(std::make_unique<Impl>()) {
  config.os_user.clear();      // nobody acts by the server's OS account
  config.as_person.clear();
  config.password_file.clear();
  config.session_dir.clear();
  impl_->shared.config = std::move(config);
  impl_->shared.options = std::move(options);
  auto& http = impl_->http;
  auto& shared = impl_->shared;
  const int threads = shared.options.threads;
  http.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
  http.set_payload_max_length(shared.options.max_request_bytes);
  http.set_read_timeout(shared.options.read_timeout_s, 0);
  http.set_write_timeout(shared.options.write_timeout_s, 0);
  http.set_keep_alive_max_count(100);
  http.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "unknown exception";
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    send_error(res, Error{ErrorCode::internal, "internal error: " + what, {}});
  });
  http.set_logger([&shared](const httplib::Request& req, const httplib::Response& res) {
    if (shared.options.log) shared.options.log(fmt::format("{} {} {}", req.method, req.path, res.status));
  });
  add_api_routes(http, shared);
  add_page_routes(http, shared);
}

Server::~Server() = default;

Result<int> Server::bind() {
  const auto& o = impl_->shared.options;
  if (o.port == 0) {
    const int port = impl_->http.bind_to_any_port(o.bind);
    if (port <= 0) return fail(ErrorCode::io, fmt::format("cannot listen on {}", o.bind));
    return port;
  }
  if (!impl_->http.bind_to_port(o.bind, o.port))
    return fail(ErrorCode::io, fmt::format("cannot listen on {}:{} (in use, or not an address of this machine)",
                                           o.bind, o.port));
  return o.port;
}

void Server::run() { impl_->http.listen_after_bind(); }

void Server::stop() { impl_->http.stop(); }

}  // namespace niikit::web
