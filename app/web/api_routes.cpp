// The JSON API: /api/v1/<group>/<op> for every operation the table serves over the web.
#include <QJsonArray>
#include <QJsonDocument>

#include <fmt/format.h>

#include <cstring>

#include "app/web/web_internal.hpp"

namespace niikit::web {

namespace {

QJsonArray fields_json(const std::vector<api::FieldInfo>& fields) {
  QJsonArray out;
  for (const auto& f : fields) {
    if (f.flags & api::kCliHidden) continue;
    QJsonObject o{{"name", QString::fromStdString(f.name)},
                  {"kind", QString::fromStdString(std::string(api::kind_name(f.kind)))},
                  {"required", f.required()},
                  {"help", QString::fromStdString(f.help)}};
    if (f.kind == api::Kind::list) o["element_kind"] = QString::fromStdString(std::string(api::kind_name(f.element_kind)));
    if (!f.choices.empty()) {
      QJsonArray choices;
      for (const auto& c : f.choices) choices.append(QString::fromStdString(c));
      o["choices"] = choices;
    }
    if (!f.fields.empty()) o["fields"] = fields_json(f.fields);
    out.append(o);
  }
  return out;
}

QJsonValue operation_list() {
  QJsonArray ops;
  for (const auto& op : api::operations().all()) {
    if (!op.spec.web) continue;
    std::string path = op.name();
    for (auto& ch : path)
      if (ch == '.') ch = '/';
    const bool reads = op.spec.access == services::Access::read || op.spec.access == services::Access::none;
    ops.append(QJsonObject{{"name", QString::fromStdString(op.name())},
                           {"path", QString::fromStdString("/api/v1/" + path)},
                           {"methods", reads ? QJsonArray{"GET", "POST"} : QJsonArray{"POST"}},
                           {"summary", QString::fromStdString(op.spec.summary)},
                           {"request", fields_json(op.request)},
                           {"response", fields_json(op.response)},
                           {"response_is_list", op.response_is_list}});
  }
  return QJsonObject{{"version", "v1"}, {"operations", ops}};
}

void send_unauthenticated(httplib::Response& res) {
  res.set_header("WWW-Authenticate", "Bearer realm=\"niikit\"");
  send_json(res, 401,
            QJsonObject{{"error", "unauthenticated"},
                        {"message", "sign in at /login, or send Authorization: Bearer TOKEN (niikit user token add)"}});
}

Result<QJsonValue> request_body(const api::Operation& op, const httplib::Request& req, bool is_get) {
  if (is_get) {
    auto r = request_from_params(op, req.params, false);
    if (!r) return tl::unexpected(r.error());
    return QJsonValue(*r);
  }
  if (req.body.empty()) return QJsonValue(QJsonObject{});
  const std::string type = req.get_header_value("Content-Type");
  if (type.rfind("application/json", 0) != 0)
    return fail(ErrorCode::usage, fmt::format("request body: Content-Type must be application/json, not '{}'", type));
  QJsonParseError err{};
  const auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(req.body), &err);
  if (err.error != QJsonParseError::NoError || !doc.isObject())
    return fail(ErrorCode::usage, fmt::format("request body: not a JSON object ({})", err.errorString().toStdString()));
  return QJsonValue(doc.object());
}

void handle_operation(Shared& shared, const httplib::Request& req, httplib::Response& res, bool is_get) {
  add_security_headers(res);
  const std::string tail = req.matches[1];
  const auto* op = operation_for_path(tail);
  if (!op) return send_error(res, Error{ErrorCode::not_found, fmt::format("/api/v1/{}: no such operation", tail), {}});
  const bool reads = op->spec.access == services::Access::read || op->spec.access == services::Access::none;
  if (is_get && !reads) {
    res.set_header("Allow", "POST");
    return send_json(res, 405, QJsonObject{{"error", "usage"}, {"message", QString::fromStdString(op->name() + " changes records: use POST")}});
  }
  auto caller = identify(shared, req);
  if (!caller) return send_error(res, caller.error());
  if (!*caller) return send_unauthenticated(res);
  if (!is_get && (*caller)->api_token.empty() &&
      !same_secret(req.get_header_value("X-CSRF-Token"), (*caller)->csrf_token))
    return send_error(res, Error{ErrorCode::forbidden, "missing or wrong X-CSRF-Token header for this session", {}});
  auto body = request_body(*op, req, is_get);
  if (!body) return send_error(res, body.error());
  auto outcome = run_operation(shared, **caller, *op, *body);
  if (!outcome) return send_error(res, outcome.error());
  const QJsonValue json = op->encode_response(outcome->response);
  if (!outcome->status) return send_json(res, 200, json);
  const auto& e = *outcome->status;
  QJsonObject o{{"result", json},
                {"error", QString::fromStdString(std::string(error_info(e.code).name))},
                {"message", QString::fromStdString(e.message)}};
  send_json(res, error_info(e.code).http_status, o);
}

}  // namespace

void send_json(httplib::Response& res, int status, const QJsonValue& value) {
  res.status = status;
  QByteArray bytes = value.isArray() ? QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact)
                                     : QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
  res.set_content(bytes.toStdString(), "application/json; charset=utf-8");
}

void send_error(httplib::Response& res, const Error& error) {
  QJsonObject o{{"error", QString::fromStdString(std::string(error_info(error.code).name))},
                {"message", QString::fromStdString(error.message)}};
  if (!error.field.empty()) o["field"] = QString::fromStdString(error.field);
  send_json(res, error_info(error.code).http_status, o);
}

Result<QJsonObject> request_from_params(const api::Operation& op, const httplib::Params& params, bool lenient) {
  QJsonObject out;
  for (const auto& [key, value] : params) {
    const api::FieldInfo* field = nullptr;
    for (const auto& f : op.request)
      if (f.name == key) field = &f;
    if (!field) {
      if (lenient) continue;
      return fail_field(ErrorCode::usage, key, fmt::format("{}: no such field of {}", key, op.name()));
    }
    const bool list = field->kind == api::Kind::list;
    if (!list && (field->kind == api::Kind::object || field->kind == api::Kind::map || field->kind == api::Kind::any))
      return fail_field(ErrorCode::usage, key, fmt::format("{}: a structured field; send the request as JSON", key));
    if (!list && !field->required() && value.empty()) continue;  // an empty form field = not given
    auto typed = api::value_from_text(list ? field->element_kind : field->kind, value, key);
    if (!typed) return tl::unexpected(typed.error());
    const QString k = QString::fromStdString(key);
    if (list) {
      if (value.empty()) continue;
      QJsonArray a = out.value(k).toArray();
      a.append(*typed);
      out[k] = a;
    } else {
      out[k] = *typed;
    }
  }
  return out;
}

void add_api_routes(httplib::Server& server, Shared& shared) {
  server.Get("/api/v1", [](const httplib::Request&, httplib::Response& res) {
    add_security_headers(res);
    send_json(res, 200, operation_list());
  });
  server.Get(R"(/api/v1/([a-z0-9_/]+))", [&shared](const httplib::Request& req, httplib::Response& res) {
    handle_operation(shared, req, res, true);
  });
  server.Post(R"(/api/v1/([a-z0-9_/]+))", [&shared](const httplib::Request& req, httplib::Response& res) {
    handle_operation(shared, req, res, false);
  });
  server.Get("/healthz", [](const httplib::Request&, httplib::Response& res) { res.set_content("ok\n", "text/plain"); });
}

}  // namespace niikit::web
