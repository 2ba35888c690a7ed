// `niikit serve`: the pages and the JSON API of app/web on this database.
#include <fmt/format.h>

#include <atomic>
#include <csignal>
#include <iostream>
#include <memory>
#include <thread>

#include <pthread.h>

#include "app/cli/adapter.hpp"
#include "app/cli/commands.hpp"
#include "app/web/server.hpp"

namespace niikit::cli {

namespace {

struct ServeArgs {
  web::ServerOptions options;
  double max_request_mib = 8;
};

// SIGINT and SIGTERM stop the server cleanly: they are blocked in every thread and one thread
// waits for them, so no handler runs inside the server's code.
class SignalStop {
 public:
  explicit SignalStop(web::Server& server) {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set_, &old_);
    waiter_ = std::thread([this, &server] {
      timespec tick{0, 200'000'000};
      while (!done_) {
        if (sigtimedwait(&set_, nullptr, &tick) > 0) {
          server.stop();
          return;
        }
      }
    });
  }
  ~SignalStop() {
    done_ = true;
    waiter_.join();
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  SignalStop(const SignalStop&) = delete;
  SignalStop& operator=(const SignalStop&) = delete;

 private:
  sigset_t set_{};
  sigset_t old_{};
  std::atomic<bool> done_{false};
  std::thread waiter_;
};

Status run_serve(CliContext& ctx, ServeArgs& args) {
  if (!(args.max_request_mib > 0 && args.max_request_mib <= 1024))
    return fail_field(ErrorCode::usage, "--max-request-mib", "0 to 1024");
  args.options.max_request_bytes = static_cast<std::size_t>(args.max_request_mib * 1024 * 1024);
  services::Config config = make_context(ctx).config();
  if (auto st = web::check_serve_options(config, args.options); !st) return st;
  std::ostream& err = *ctx.err;
  args.options.log = [&err](const std::string& line) { err << line << '\n' << std::flush; };
  web::Server server(config, args.options);
  auto port = server.bind();
  if (!port) return tl::unexpected(port.error());
  *ctx.out << fmt::format("niikit: serving {} on http://{}:{}/ ({} threads; Ctrl-C stops)\n", config.db_path,
                          args.options.bind, *port, args.options.threads)
           << std::flush;
  if (args.options.allow_public)
    *ctx.out << "niikit: listening beyond this machine: put it behind a TLS reverse proxy (docs/web.md) and keep "
                "--secure-cookies on\n"
             << std::flush;
  SignalStop stop(server);
  server.run();
  *ctx.out << "niikit: stopped\n";
  return {};
}

}  // namespace

void register_serve_command(CLI::App& root, CliContext& ctx) {
  auto args = std::make_shared<ServeArgs>();
  auto* cmd = root.add_subcommand("serve", "Serve the pages and the JSON API (/api/v1) of this database over HTTP");
  cmd->add_option("--bind", args->options.bind, "Address to listen on (default 127.0.0.1; others need --public)")
      ->type_name("ADDRESS");
  cmd->add_option("--port", args->options.port, "Port (default 8080; 0 = any free port)")->type_name("INT");
  cmd->add_flag("--public", args->options.allow_public,
                "Allow a non-loopback --bind (behind a TLS reverse proxy only: docs/web.md)");
  cmd->add_flag("--secure-cookies", args->options.secure_cookies,
                "Mark the session cookie Secure (the proxy speaks HTTPS); implied by --public");
  cmd->add_option("--threads", args->options.threads, "Request threads, 1 to 64 (default 8)")->type_name("INT");
  cmd->add_option("--max-request-mib", args->max_request_mib, "Largest request body in MiB (default 8)")
      ->type_name("NUMBER");
  cmd->add_option("--session-minutes", args->options.session_minutes, "Browser session lifetime (default 480)")
      ->type_name("INT");
  cmd->footer(
      "Everyone signs in with a user account (niikit user add); scripts send an API token as "
      "`Authorization: Bearer TOKEN` (niikit user token add). Every page and API call runs an operation of the "
      "same table as the command line, with the same permissions. Logs one line per request on stderr.");
  cmd->callback([&ctx, args] {
    if (args->options.allow_public) args->options.secure_cookies = true;
    ctx.action = [&ctx, args] { return run_serve(ctx, *args); };
  });
}

}  // namespace niikit::cli
