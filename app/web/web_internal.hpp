// Internals shared by the web adapter's files (server.cpp, api_routes.cpp, pages.cpp); not
// part of its interface.
#pragma once

#include <httplib.h>

#include <QJsonObject>
#include <QJsonValue>

#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "app/api/operation.hpp"
#include "app/domain/permissions.hpp"
#include "app/web/server.hpp"

namespace niikit::web {

// Who sent a request, once its session cookie or API token has been checked.
struct Caller {
  domain::Actor actor;
  std::string username;
  std::string session_token;  // browser sessions
  std::string csrf_token;     // browser sessions: every POST must carry it
  std::string api_token;      // a script's API token (no CSRF: it is no ambient credential)
};

// What every handler needs: the base configuration (no OS identity, no password file), the
// options, and the write lock.
struct Shared {
  services::Config config;
  ServerOptions options;
  std::mutex write_lock;
};

// A Context for one request acting as `caller` (or nobody).
services::Context context_for(const Shared& shared, const Caller* caller);

// The caller of a request: nullopt when it carries no (valid) credential; an error when the
// database cannot be read or an API token is refused (its message is the reason).
Result<std::optional<Caller>> identify(Shared& shared, const httplib::Request& req);

// Runs `op` for `caller` with `request`, holding the write lock for operations that write.
Result<api::Outcome> run_operation(Shared& shared, const Caller& caller, const api::Operation& op,
                                   const QJsonValue& request);

// Equal, non-empty strings, compared in a time that does not depend on where they differ (CSRF
// tokens from a header or a form field).
bool same_secret(const std::string& a, const std::string& b);

// Whether `actor` may run the operation named `name` (the permission table; for menus only —
// the operation checks again when it runs).
bool may_run(const domain::Actor& actor, const std::string& name);

// The request's fields typed from text parameters (query string or form), by the operation's
// field kinds; lists from repeated parameters; unknown parameters ignored when `lenient`.
Result<QJsonObject> request_from_params(const api::Operation& op, const httplib::Params& params, bool lenient);

// The operation for a URL path tail ("site/add" → "site.add"); nullptr when there is none or it
// is not served over the web.
const api::Operation* operation_for_path(const std::string& tail);

// {"error": code, "message": ..., "field": ...} and the HTTP status of the error's code.
void send_error(httplib::Response& res, const Error& error);
void send_json(httplib::Response& res, int status, const QJsonValue& value);
std::string cookie_value(const httplib::Request& req, const std::string& name);
void add_security_headers(httplib::Response& res);

void add_api_routes(httplib::Server& server, Shared& shared);
void add_page_routes(httplib::Server& server, Shared& shared);

// Embedded assets (templates/web): the text of `name` ("layout.mustache", "web.css"); empty
// when unknown.
const std::string& asset(const std::string& name);

}  // namespace niikit::web
