// niikit serve (issue 16): the JSON API and the pages run the operation table's use cases with
// its permissions, for signed-in users and API tokens only, with CSRF protection, escaping,
// request limits, and writers that never collide. A real server on a loopback port, a real
// SQLite file, real HTTP.
#define BOOST_TEST_MODULE web
#include <boost/test/unit_test.hpp>

#include <httplib.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <regex>
#include <thread>

#include "app/services/context.hpp"
#include "app/services/registry_service.hpp"
#include "app/services/user_service.hpp"
#include "app/web/server.hpp"
#include "db/registry.hpp"
#include "support/test_db.hpp"

using namespace niikit;
using niikit::testing::TempDir;

namespace {

const std::string kAmaPassword = "correct horse battery";
const std::string kKofiPassword = "kofi's own password";

struct Fixture {
  TempDir dir;
  services::Config config;
  std::unique_ptr<web::Server> server;
  std::thread thread;
  int port = 0;

  Fixture() {
    config.db_path = dir.file("web.db");
    config.fixed_now = testing::test_clock().now();
    services::Context ctx(config);
    BOOST_REQUIRE(ctx.database(services::Access::create).has_value());
    BOOST_REQUIRE(services::add_person(ctx.db(), "setup", {{"name", "Ama"}, {"role", "manager"}}).has_value());
    BOOST_REQUIRE(services::add_person(ctx.db(), "setup", {{"name", "Kofi"}, {"role", "engineer"}}).has_value());
    BOOST_REQUIRE(services::add_user(ctx, {"Ama", "ama", kAmaPassword}).has_value());
    BOOST_REQUIRE(services::add_user(ctx, {"Kofi", "kofi", kKofiPassword}).has_value());
    web::ServerOptions o;
    o.port = 0;
    o.threads = 4;
    o.max_request_bytes = 64 * 1024;
    BOOST_REQUIRE(web::check_serve_options(config, o).has_value());
    server = std::make_unique<web::Server>(config, o);
    auto bound = server->bind();
    BOOST_REQUIRE(bound.has_value());
    port = *bound;
    thread = std::thread([this] { server->run(); });
  }
  ~Fixture() {
    server->stop();
    thread.join();
  }
  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(30, 0);
    return c;
  }
  // Signs in through the login form; returns the Cookie header and the session's CSRF token.
  std::pair<std::string, std::string> sign_in(const std::string& user, const std::string& password) const {
    auto c = client();
    auto res = c.Post("/login", httplib::Params{{"username", user}, {"password", password}});
    BOOST_REQUIRE(res);
    BOOST_REQUIRE_EQUAL(res->status, 303);
    const std::string set = res->get_header_value("Set-Cookie");
    BOOST_TEST(set.find("HttpOnly") != std::string::npos);
    BOOST_TEST(set.find("SameSite=Strict") != std::string::npos);
    const std::string cookie = set.substr(0, set.find(';'));
    auto page = c.Get("/", httplib::Headers{{"Cookie", cookie}});
    BOOST_REQUIRE(page);
    BOOST_REQUIRE_EQUAL(page->status, 200);
    std::smatch m;
    BOOST_REQUIRE(std::regex_search(page->body, m, std::regex(R"re(name="csrf" value="([0-9a-f]+)")re")));
    return {cookie, m[1]};
  }
  std::vector<std::string> site_names() const {
    services::Context ctx(config);
    BOOST_REQUIRE(ctx.database(services::Access::read).has_value());
    std::vector<std::string> names;
    for (const auto& s : db::list_sites(ctx.db().sql())) names.push_back(s.name);
    return names;
  }
};

QJsonValue json_of(const std::string& body) {
  const auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(body));
  return doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
}

std::string site_json(const std::string& name) {
  return R"({"name":")" + name + R"(","country":"GH","type":"seaport"})";
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(without_a_credential_the_api_says_401_and_pages_send_to_sign_in, Fixture) {
  auto c = client();
  auto api = c.Get("/api/v1/site/list");
  BOOST_REQUIRE(api);
  BOOST_TEST(api->status == 401);
  BOOST_TEST(json_of(api->body).toObject()["error"].toString().toStdString() == "unauthenticated");
  auto page = c.Get("/");
  BOOST_REQUIRE(page);
  BOOST_TEST(page->status == 303);
  BOOST_TEST(page->get_header_value("Location") == "/login");
  auto wrong = c.Post("/login", httplib::Params{{"username", "ama"}, {"password", "not it at all"}});
  BOOST_REQUIRE(wrong);
  BOOST_TEST(wrong->status == 403);
  BOOST_TEST(wrong->get_header_value("Set-Cookie").empty());
  BOOST_TEST(c.Get("/healthz")->status == 200);
  // The self-description lists the ported operations with their fields.
  auto list = c.Get("/api/v1");
  BOOST_REQUIRE(list);
  const auto ops = json_of(list->body).toObject()["operations"].toArray();
  bool has_site_add = false;
  for (const auto& op : ops)
    if (op.toObject()["name"].toString() == "site.add") has_site_add = true;
  BOOST_TEST(has_site_add);
}

BOOST_FIXTURE_TEST_CASE(a_signed_in_user_writes_only_with_the_sessions_csrf_token, Fixture) {
  const auto [cookie, csrf] = sign_in("ama", kAmaPassword);
  auto c = client();
  auto no_token = c.Post("/api/v1/site/add", httplib::Headers{{"Cookie", cookie}}, site_json("Tema"), "application/json");
  BOOST_REQUIRE(no_token);
  BOOST_TEST(no_token->status == 403);
  BOOST_TEST(site_names().empty());
  auto ok = c.Post("/api/v1/site/add", httplib::Headers{{"Cookie", cookie}, {"X-CSRF-Token", csrf}}, site_json("Tema"),
                   "application/json");
  BOOST_REQUIRE(ok);
  BOOST_TEST(ok->status == 200);
  BOOST_TEST(json_of(ok->body).toObject()["name"].toString().toStdString() == "Tema");
  BOOST_TEST(site_names() == std::vector<std::string>{"Tema"});
  auto listed = c.Get("/api/v1/site/list", httplib::Headers{{"Cookie", cookie}});
  BOOST_REQUIRE(listed);
  BOOST_TEST(json_of(listed->body).toArray().size() == 1);
  // Signed out, the cookie no longer works.
  BOOST_TEST(c.Post("/logout", httplib::Headers{{"Cookie", cookie}}, httplib::Params{{"csrf", csrf}})->status == 303);
  BOOST_TEST(c.Get("/api/v1/site/list", httplib::Headers{{"Cookie", cookie}})->status == 401);
}

BOOST_FIXTURE_TEST_CASE(roles_are_checked_by_the_same_permission_table_as_the_cli, Fixture) {
  const auto [cookie, csrf] = sign_in("kofi", kKofiPassword);
  auto c = client();
  auto res = c.Post("/api/v1/person/add", httplib::Headers{{"Cookie", cookie}, {"X-CSRF-Token", csrf}},
                    R"({"name":"Eve","role":"manager"})", "application/json");
  BOOST_REQUIRE(res);
  BOOST_TEST(res->status == 403);
  const auto body = json_of(res->body).toObject();
  BOOST_TEST(body["error"].toString().toStdString() == "forbidden");
  BOOST_TEST(body["message"].toString().toStdString().find("Kofi") != std::string::npos);
  services::Context ctx(config);
  BOOST_REQUIRE(ctx.database(services::Access::read).has_value());
  BOOST_TEST(!db::find_person(ctx.db().sql(), "Eve").has_value());
  // The start page offers only what the engineer may run.
  auto page = c.Get("/", httplib::Headers{{"Cookie", cookie}});
  BOOST_TEST(page->body.find("/op/person.add") == std::string::npos);
  BOOST_TEST(page->body.find("/op/site.list") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(api_tokens_act_within_their_roles_and_stop_when_revoked, Fixture) {
  services::Context ctx(config);
  BOOST_REQUIRE(ctx.database(services::Access::write).has_value());
  ctx.act_as(services::actor_of(*db::find_person(ctx.db().sql(), "Ama")));
  auto token = services::create_api_token(ctx, {"ama", "script", {}, 30});
  BOOST_REQUIRE(token.has_value());
  auto c = client();
  const httplib::Headers bearer{{"Authorization", "Bearer " + token->second}};
  auto res = c.Post("/api/v1/site/add", bearer, site_json("Kotoka"), "application/json");
  BOOST_REQUIRE(res);
  BOOST_TEST(res->status == 200);
  BOOST_TEST(site_names() == std::vector<std::string>{"Kotoka"});
  BOOST_REQUIRE(services::revoke_api_token(ctx, "ama", token->first.id).has_value());
  auto after = c.Post("/api/v1/site/add", bearer, site_json("Aflao"), "application/json");
  BOOST_TEST(after->status == 403);
  auto forged = c.Get("/api/v1/site/list", httplib::Headers{{"Authorization", "Bearer 0123456789abcdef"}});
  BOOST_TEST(forged->status == 403);
  BOOST_TEST(site_names().size() == 1u);
}

BOOST_FIXTURE_TEST_CASE(bad_requests_get_one_clear_error_and_change_nothing, Fixture) {
  const auto [cookie, csrf] = sign_in("ama", kAmaPassword);
  auto c = client();
  const httplib::Headers h{{"Cookie", cookie}, {"X-CSRF-Token", csrf}};
  auto not_json = c.Post("/api/v1/site/add", h, "name=Tema", "application/x-www-form-urlencoded");
  BOOST_TEST(not_json->status == 400);
  auto broken = c.Post("/api/v1/site/add", h, "{\"name\":", "application/json");
  BOOST_TEST(broken->status == 400);
  auto unknown = c.Post("/api/v1/site/add", h, R"({"name":"Tema","country":"GH","type":"seaport","colour":"red"})",
                        "application/json");
  BOOST_TEST(unknown->status == 422);
  BOOST_TEST(json_of(unknown->body).toObject()["field"].toString().toStdString() == "colour");
  auto missing = c.Post("/api/v1/site/add", h, R"({"country":"GH"})", "application/json");
  BOOST_TEST(missing->status == 422);
  auto get_write = c.Get("/api/v1/site/add", h);
  BOOST_TEST(get_write->status == 405);
  auto nothing = c.Post("/api/v1/site/frobnicate", h, "{}", "application/json");
  BOOST_TEST(nothing->status == 404);
  auto huge = c.Post("/api/v1/site/add", h, std::string(200 * 1024, ' '), "application/json");
  BOOST_TEST(huge->status == 413);
  BOOST_TEST(site_names().empty());
}

BOOST_FIXTURE_TEST_CASE(pages_run_forms_through_the_table_and_escape_what_they_show, Fixture) {
  const auto [cookie, csrf] = sign_in("ama", kAmaPassword);
  auto c = client();
  const httplib::Headers h{{"Cookie", cookie}};
  auto form = c.Get("/op/site.add", h);
  BOOST_REQUIRE(form);
  BOOST_TEST(form->status == 200);
  BOOST_TEST(form->body.find("name=\"type\"") != std::string::npos);
  BOOST_TEST(form->body.find("class=\"error\"") == std::string::npos);  // no empty error box
  BOOST_TEST(form->get_header_value("Content-Security-Policy").find("default-src 'self'") != std::string::npos);
  auto forged = c.Post("/op/site.add", h, httplib::Params{{"name", "X"}, {"country", "GH"}, {"type", "seaport"}});
  BOOST_TEST(forged->status == 403);
  auto sent = c.Post("/op/site.add", h,
                     httplib::Params{{"csrf", csrf}, {"name", "<script>alert(1)</script>"}, {"country", "GH"},
                                     {"type", "seaport"}});
  BOOST_REQUIRE(sent);
  BOOST_TEST(sent->status == 200);
  BOOST_TEST(sent->body.find("<script>alert(1)") == std::string::npos);
  BOOST_TEST(sent->body.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  auto list = c.Get("/op/site.list", h);
  BOOST_TEST(list->body.find("<table class=\"records\">") != std::string::npos);
  BOOST_TEST(site_names().size() == 1u);
}

BOOST_FIXTURE_TEST_CASE(parallel_writers_all_succeed_and_every_row_is_stored, Fixture) {
  const auto [cookie, csrf] = sign_in("ama", kAmaPassword);
  constexpr int kThreads = 4, kEach = 10;
  std::atomic<int> ok{0};
  std::vector<std::thread> writers;
  for (int t = 0; t < kThreads; ++t)
    writers.emplace_back([&, t, cookie = cookie, csrf = csrf] {
      auto c = client();
      for (int i = 0; i < kEach; ++i) {
        auto r = c.Post("/api/v1/site/add", httplib::Headers{{"Cookie", cookie}, {"X-CSRF-Token", csrf}},
                        site_json("Site " + std::to_string(t) + "-" + std::to_string(i)), "application/json");
        if (r && r->status == 200) ++ok;
      }
    });
  for (auto& w : writers) w.join();
  BOOST_TEST(ok.load() == kThreads * kEach);
  BOOST_TEST(site_names().size() == static_cast<std::size_t>(kThreads * kEach));
}

BOOST_AUTO_TEST_CASE(serving_needs_users_and_a_loopback_address_unless_public) {
  TempDir dir;
  services::Config config;
  config.db_path = dir.file("empty.db");
  web::ServerOptions o;
  auto missing = web::check_serve_options(config, o);
  BOOST_REQUIRE(!missing.has_value());
  BOOST_TEST(missing.error().code == ErrorCode::not_found);
  {
    services::Context ctx(config);
    BOOST_REQUIRE(ctx.database(services::Access::create).has_value());
  }
  auto no_users = web::check_serve_options(config, o);
  BOOST_REQUIRE(!no_users.has_value());
  BOOST_TEST(no_users.error().code == ErrorCode::forbidden);
  o.bind = "0.0.0.0";
  auto open = web::check_serve_options(config, o);
  BOOST_REQUIRE(!open.has_value());
  BOOST_TEST(open.error().code == ErrorCode::usage);
}
