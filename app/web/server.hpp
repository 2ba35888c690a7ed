// niikit over HTTP (issue 16): the browser pages and the JSON API, both served from the
// operation table (app/api/operation.hpp) through the same Context and permission table as the
// command line, so the web adds no business rule of its own.
//
//   POST /api/v1/<group>/<op>      the request as JSON → the response as JSON (GET as well for
//                                  operations that only read, the fields as query parameters)
//   GET  /api/v1                   every web operation with its request and response fields
//   GET  /  /op/<name>  /login     server-rendered pages (templates/web, embedded)
//
// Who acts: a signed-in user (session cookie from /login, HttpOnly, SameSite=Strict; every
// POST carries the session's CSRF token) or a script with an API token
// (`Authorization: Bearer ...`, scoped to some of its user's roles). A request without either
// gets 401 (API) or the login page. The server refuses to start on a database without users.
//
// Threads: cpp-httplib's pool serves requests in parallel; each request builds its own
// services::Context. Operations that write run one at a time (a mutex in front of SQLite's
// writer lock, so no request ever sees "database busy"); readers run in parallel (WAL).
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "app/services/context.hpp"
#include "core/error.hpp"

namespace niikit::web {

struct ServerOptions {
  std::string bind = "127.0.0.1";   // address to listen on; not loopback needs allow_public
  int port = 8080;                  // 0 = any free port (tests)
  bool allow_public = false;        // --public: listen on a non-loopback address
  bool secure_cookies = false;      // mark cookies Secure (behind a TLS reverse proxy)
  int threads = 8;                  // request threads, 1..64
  std::size_t max_request_bytes = 8u << 20;  // larger bodies get 413
  int read_timeout_s = 30;          // per request, reading
  int write_timeout_s = 60;         // per request, writing
  int session_minutes = 480;        // lifetime of a browser session
  // One line per request or event ("POST /api/v1/site/add 200 12 ms alice"); may be empty.
  std::function<void(const std::string&)> log;
};

// Checks the options and the database (exists, has users) before any socket is opened.
Status check_serve_options(const services::Config& config, const ServerOptions& options);

class Server {
 public:
  Server(services::Config config, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the listening socket; returns the port (the chosen one when options.port is 0).
  Result<int> bind();
  // Serves until stop() (from another thread); returns when the listener has closed.
  void run();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace niikit::web
