#include "app/services/context.hpp"

#include <pwd.h>
#include <unistd.h>

#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include "app/services/crypto.hpp"
#include "app/services/user_service.hpp"
#include "core/time_format.hpp"
#include "db/registry.hpp"
#include "db/users.hpp"

namespace niikit::services {

namespace fs = std::filesystem;

namespace {

std::string env_text(const std::function<const char*(const char*)>& getenv, const char* name) {
  const char* v = getenv(name);
  return v ? std::string(v) : std::string();
}

}  // namespace

Result<Config> Config::from_environment(const std::function<const char*(const char*)>& getenv) {
  Config c;
  if (auto v = env_text(getenv, "NIIKIT_DB"); !v.empty()) c.db_path = v;
  c.evidence_root = env_text(getenv, "NIIKIT_EVIDENCE");
  c.evidence_group_readable = env_text(getenv, "NIIKIT_EVIDENCE_GROUP") == "1";
  c.as_person = env_text(getenv, "NIIKIT_AS");
  c.os_user = env_text(getenv, "USER");
  if (c.os_user.empty()) c.os_user = env_text(getenv, "LOGNAME");
  if (c.os_user.empty())
    if (const passwd* pw = ::getpwuid(::geteuid()); pw && pw->pw_name) c.os_user = pw->pw_name;
  c.requirements_dir = env_text(getenv, "NIIKIT_REQUIREMENTS");
  c.templates_dir = env_text(getenv, "NIIKIT_TEMPLATES");
  c.password_file = env_text(getenv, "NIIKIT_PASSWORD_FILE");
  c.session_dir = env_text(getenv, "NIIKIT_SESSION_DIR");
  if (c.session_dir.empty())
    if (auto run = env_text(getenv, "XDG_RUNTIME_DIR"); !run.empty()) c.session_dir = run + "/niikit";
  if (c.session_dir.empty())
    if (auto home = env_text(getenv, "HOME"); !home.empty()) c.session_dir = home + "/.cache/niikit";
  if (auto wait = env_text(getenv, "NIIKIT_BUSY_TIMEOUT"); !wait.empty()) {
    const auto digits = wait.find_first_not_of("0123456789") == std::string::npos && wait.size() <= 5;
    const long seconds = digits ? std::stol(wait) : -1;
    if (seconds < 0 || seconds > 86400)
      return fail(ErrorCode::usage, fmt::format("NIIKIT_BUSY_TIMEOUT '{}': expected whole seconds from 0 to 86400", wait));
    c.busy_timeout = std::chrono::seconds(seconds);
  }
  if (auto now = env_text(getenv, "NIIKIT_NOW"); !now.empty()) {
    auto fixed = parse_utc(now);
    if (!fixed) return fail(ErrorCode::usage, fmt::format("NIIKIT_NOW '{}': expected YYYY-MM-DDTHH:MM:SSZ", now));
    c.fixed_now = *fixed;
  }
  return c;
}

std::string Config::evidence_folder() const {
  return evidence_root.empty() ? EvidenceStore::default_root(db_path).string() : evidence_root;
}

Context::Context(Config config)
    : config_(std::move(config)),
      clock_(config_.fixed_now ? Clock(*config_.fixed_now) : Clock()),
      evidence_(config_.evidence_folder(), config_.evidence_group_readable) {}
Context::Context(Context&&) noexcept = default;
Context::~Context() = default;

Result<db::Database*> Context::database(Access access) {
  if (access == Access::none) return fail(ErrorCode::internal, "an operation without database access asked for it");
  const bool want_write = access != Access::read;
  if (db_ && (!want_write || !db_->read_only())) return db_.get();
  const auto mode = access == Access::create ? db::OpenMode::create
                    : want_write             ? db::OpenMode::existing
                                             : db::OpenMode::read_only;
  db_.reset();  // a read-only connection is replaced by a writable one
  auto opened = db::Database::open_ready(config_.db_path, mode, clock_);
  if (!opened) return tl::unexpected(opened.error());
  db_ = std::make_unique<db::Database>(std::move(*opened));
  opened_ = access;
  return db_.get();
}

void Context::set_clock(Clock clock) {
  clock_ = clock;
  if (db_) db_->set_clock(clock);
}

Result<domain::Actor> Context::act_as_person(const std::string& person) {
  auto db = database(db_ && !db_->read_only() ? Access::write : Access::read);
  if (!db) return tl::unexpected(db.error());
  auto p = db::find_person((*db)->sql(), person);
  if (!p) return fail(ErrorCode::not_found, fmt::format("person '{}': not registered", person));
  actor_ = actor_of(*p);
  actor_resolved_ = true;
  return *actor_;
}

db::Database& Context::db() {
  if (!db_) throw std::logic_error("Context::db() before database()");
  return *db_;
}

domain::Actor actor_of(const db::Person& person) { return {person.id, person.name, {person.role}}; }

Result<std::string> Context::ask_password(const std::string& prompt) {
  if (password_source) return password_source(prompt);
  if (!config_.password_file.empty()) {
    std::ifstream in(config_.password_file);
    std::string line;
    if (!in || !std::getline(in, line))
      return fail_field(ErrorCode::input, "password_file", fmt::format("{}: cannot read a password", config_.password_file));
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  }
  return fail(ErrorCode::forbidden, prompt + ": a password is needed (run on a terminal, or give --password-file FILE)");
}

std::string Context::session_file() const {
  if (config_.session_dir.empty()) return {};
  std::error_code ec;
  const auto db = fs::weakly_canonical(fs::absolute(config_.db_path), ec).string();
  return config_.session_dir + "/session-" + crypto::token_digest(db).substr(0, 16);
}

// The person an authenticated command acts as (databases with users): an unlocked session
// (niikit login, or the web's session token), else the named or OS-mapped person's password.
Result<domain::Actor> Context::authenticate_actor(const std::optional<db::Person>& named) {
  std::string token = config_.session_token;
  if (token.empty() && !session_file().empty()) {
    std::ifstream in(session_file());
    std::getline(in, token);
  }
  auto session = session_user(*this, token, config_.session_token.empty() ? "cli" : "web");
  if (!session) return tl::unexpected(session.error());
  if (*session) {
    const auto& user = (*session)->first;
    if (named && named->id != user.person_id)
      return fail(ErrorCode::forbidden, fmt::format("the unlocked session is {}'s, not {}'s (niikit logout, or drop --as)",
                                                    user.person_name, named->name));
    auto person = db::find_person(db_->sql(), std::to_string(user.person_id));
    return actor_of(*person);
  }
  if (!named) return fail(ErrorCode::forbidden, "");
  auto user = db_->read([&](SQLite::Database& sql) -> Result<db::User> {
    if (auto u = db::find_user_of_person(sql, named->id)) return *u;
    return fail(ErrorCode::forbidden, fmt::format("{} has no user account; on a database with users every change "
                                                  "needs one (niikit user add)", named->name));
  });
  if (!user) return tl::unexpected(user.error());
  auto password = ask_password("Password of " + user->username);
  if (!password) return tl::unexpected(password.error());
  auto checked = authenticate(*this, user->username, *password);
  if (!checked) return tl::unexpected(checked.error());
  return actor_of(*named);
}

Result<domain::Actor> Context::resolve_actor() {
  if (actor_resolved_) {
    if (actor_) return *actor_;
    return fail(ErrorCode::forbidden, "");
  }
  auto db = database(db_ ? (db_->read_only() ? Access::read : Access::write) : Access::read);
  if (!db) return tl::unexpected(db.error());
  actor_resolved_ = true;
  std::optional<db::Person> person;
  if (!config_.as_person.empty()) {
    person = db::find_person((*db)->sql(), config_.as_person);
    if (!person)
      return fail_field(ErrorCode::not_found, "as",
                        fmt::format("person '{}': not registered (niikit person list)", config_.as_person));
  } else if (!config_.os_user.empty()) {
    person = db::find_person_by_os_user((*db)->sql(), config_.os_user);
  }
  if (!config_.api_token.empty()) {
    auto actor = actor_of_api_token(*this, config_.api_token);
    if (!actor) return actor;
    actor_ = *actor;
    return *actor_;
  }
  if (db::count_users((*db)->sql()) > 0) {
    auto actor = authenticate_actor(person);
    if (!actor) return actor;
    actor_ = *actor;
    return *actor_;
  }
  if (!person) return fail(ErrorCode::forbidden, "");
  actor_ = actor_of(*person);
  return *actor_;
}

Result<std::optional<domain::Actor>> Context::acting_person() {
  auto actor = actor_ ? Result<domain::Actor>(*actor_) : resolve_actor();
  if (actor) return std::optional<domain::Actor>(*actor);
  if (actor.error().code == ErrorCode::forbidden) return std::optional<domain::Actor>();
  return tl::unexpected(actor.error());
}

Result<domain::Actor> Context::require(std::string_view action) {
  const auto* p = domain::find_permission(action);
  if (!p) return fail(ErrorCode::internal, fmt::format("action '{}' has no row in the permission table", action));
  if (p->audience == domain::Audience::anyone) return actor_.value_or(domain::Actor{});
  auto actor = actor_ ? Result<domain::Actor>(*actor_) : resolve_actor();
  // A refusal with its own words (wrong password, locked, no account) is passed on as it is;
  // an empty one means that no person is known.
  if (!actor && (actor.error().code != ErrorCode::forbidden || !actor.error().message.empty())) return actor;
  if (!actor) {
    if (p->audience == domain::Audience::bootstrap) {
      auto db = database(Access::read);
      if (!db) return tl::unexpected(db.error());
      if (db::count_people((*db)->sql()) == 0) return domain::Actor{};  // the first person
    }
    return fail(ErrorCode::forbidden,
                fmt::format("{}: needs an acting person ({}); name one with --as PERSON, or map your OS account "
                            "'{}' to a person (niikit person edit PERSON --os-user {})",
                            action, domain::describe_roles(*p), config_.os_user, config_.os_user.empty() ? "NAME" : config_.os_user));
  }
  if (p->audience == domain::Audience::any_person) return actor;
  for (const auto& role : p->roles)
    if (actor->holds(role)) return actor;
  std::string held;
  for (const auto& r : actor->roles) held += (held.empty() ? "" : ", ") + r;
  return fail(ErrorCode::forbidden, fmt::format("{}: {} acts as {}, but this needs {} ({})", action, actor->name,
                                                held.empty() ? "no role" : held, domain::describe_roles(*p), p->why));
}

std::string Context::audit_name() const {
  if (actor_) return actor_->name;
  return "os:" + (config_.os_user.empty() ? std::string("unknown") : config_.os_user);
}

EvidenceStore& Context::evidence() { return evidence_; }

OutputGuard Context::output_guard() const {
  OutputGuard g;
  if (config_.db_path != ":memory:") g.protect_database(config_.db_path);
  g.folders.push_back(config_.evidence_folder());
  return g;
}

}  // namespace niikit::services
