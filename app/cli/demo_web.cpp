// The demo's last story (issue 16): the manager gets a user account, a script gets an API token,
// and the same database answers over HTTP through `niikit serve`'s server, run in-process on a
// free loopback port for a moment.
#include <fmt/format.h>

#include <httplib.h>

#include <QJsonArray>
#include <QJsonDocument>

#include <thread>

#include "app/cli/commands.hpp"
#include "app/services/crypto.hpp"
#include "db/users.hpp"
#include "app/services/user_service.hpp"
#include "app/web/server.hpp"
#include "core/atomic_file.hpp"

namespace niikit::cli {

Status demo_web(CliContext& ctx, const std::string& db_path, const std::string& out_dir) {
  services::Config config = ctx.config;
  config.db_path = db_path;
  config.as_person.clear();
  services::Context sctx(config);
  if (auto db = sctx.database(services::Access::write); !db) return tl::unexpected(db.error());
  auto ama = sctx.act_as_person("Ama Mensah");
  if (!ama) return tl::unexpected(ama.error());
  // Ama got her account (and her password file) when the signers did, in the acceptance story.
  const std::string password_file = out_dir + "/passwords/ama.password";
  auto user = sctx.db().read([](SQLite::Database& sql) -> Result<db::User> {
    if (auto u = db::find_user(sql, "ama")) return *u;
    return fail(ErrorCode::internal, "demo: Ama Mensah has no user account");
  });
  if (!user) return tl::unexpected(user.error());
  auto token = services::create_api_token(sctx, {"ama", "demo script", {}, 1});
  if (!token) return tl::unexpected(token.error());

  web::ServerOptions options;
  options.port = 0;
  options.threads = 2;
  if (auto st = web::check_serve_options(config, options); !st) return st;
  web::Server server(config, options);
  auto port = server.bind();
  if (!port) return tl::unexpected(port.error());
  std::thread serving([&server] { server.run(); });
  httplib::Client client("127.0.0.1", *port);
  auto anonymous = client.Get("/api/v1/site/list");
  auto sites = client.Get("/api/v1/site/list", httplib::Headers{{"Authorization", "Bearer " + token->second}});
  server.stop();
  serving.join();
  if (!anonymous || !sites) return fail(ErrorCode::io, "demo: the web server did not answer on loopback");
  const auto listed = QJsonDocument::fromJson(QByteArray::fromStdString(sites->body)).array();
  *ctx.out << fmt::format(
      "\nIn the browser (niikit serve)\n"
      "    Ama Mensah has the user account 'ama' (password in {}); as this database has user accounts, every change\n"
      "    needs a signed-in user and every signature the signer's own key. Over HTTP on port {}: GET /api/v1/site/list without a credential → {}; with Ama's\n"
      "    API token → {}, {} site(s). Try: niikit --db {} serve, then open http://127.0.0.1:8080/ and sign in as ama.\n",
      password_file, *port, anonymous->status, sites->status, listed.size(), db_path);
  return {};
}

}  // namespace niikit::cli
