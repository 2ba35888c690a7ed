// The operation table: every use case niikit offers, once, for every adapter (DESIGN.md §5).
//
// An operation has a name path ("test.close" → CLI `niikit test close`, web
// `POST /api/v1/test/close`), a summary, the database access it needs, a typed request and
// response (JSON codecs from app/api/codec.hpp) and a handler over a services::Context. The
// permission it needs is the row of the permission table (app/domain/permissions.hpp) with the
// operation's name; `invoke` checks it — the one place permissions are checked before a
// handler runs (handlers ask Context::require for finer actions such as "test.sign.approver").
//
// Adapters never call services themselves: the CLI turns flags into the request's JSON and
// shows the typed response as text (or the shared JSON codec with --json); the web server
// (issue 16) maps routes to the same table. The command reference (docs/commands.md) is
// generated from the table.
//
// Built once; read-only afterwards, so the table may be shared between threads. Handlers run on
// the caller's Context (one per thread).
#pragma once

#include <QJsonObject>
#include <QJsonValue>

#include <any>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/api/codec.hpp"
#include "app/services/context.hpp"
#include "core/error.hpp"

namespace niikit::api {

using services::Access;
using services::Context;

// What a run produced: the typed response, and — for operations that show a result and still
// end with a non-zero status (an import with rejected rows, a session that failed) — that error.
struct Outcome {
  std::any response;
  std::optional<Error> status;
};

struct OperationSpec {
  std::string name;         // dotted name path, lower case ("rad.survey.point.add")
  std::string summary;      // one line, shown in --help and the reference
  std::string description;  // further paragraphs for --help and the reference; may be empty
  Access access = Access::none;
  bool web = true;          // served over HTTP (false: local-only, e.g. the demo or db init)
};

struct Operation {
  OperationSpec spec;
  std::vector<FieldInfo> request;   // the request's fields (CLI options, API reference)
  std::vector<FieldInfo> response;  // the response's fields (of each element when a list)
  bool response_is_list = false;    // the response is a JSON array
  // Decodes the request, checks the permission, opens the database, runs the handler.
  std::function<Result<Outcome>(Context&, const QJsonValue&)> run;
  std::function<QJsonValue(const std::any&)> encode_response;
  std::function<Result<std::any>(const QJsonValue&)> decode_response;
  // Decodes and re-encodes a request (the canonical JSON form; round-trip tests).
  std::function<Result<QJsonValue>(const QJsonValue&)> normalise_request;
  // The JSON of a default-constructed response (round-trip tests, reference examples).
  std::function<QJsonValue()> empty_response;

  [[nodiscard]] const std::string& name() const { return spec.name; }
};

// Checks the permission row named `name` and opens the database for `access`.
Status prepare(Context& ctx, std::string_view name, Access access);

template <class Req, class Resp>
using Handler = std::function<Result<Resp>(Context&, const Req&)>;

template <class Resp>
using StatusOf = std::function<std::optional<Error>(const Resp&)>;

template <class Req, class Resp>
Operation make_operation(OperationSpec spec, Handler<Req, Resp> handler, StatusOf<Resp> status_of = {}) {
  Operation op;
  op.request = fields_of<Req>();
  if constexpr (requires { typename Resp::value_type; } && !std::is_same_v<Resp, std::string>) {
    op.response = fields_of<typename Resp::value_type>();
    op.response_is_list = true;
  } else {
    op.response = fields_of<Resp>();
  }
  const std::string name = spec.name;
  const Access access = spec.access;
  op.spec = std::move(spec);
  op.run = [name, access, handler = std::move(handler), status_of = std::move(status_of)](
               Context& ctx, const QJsonValue& json) -> Result<Outcome> {
    auto request = decode_as<Req>(json.isUndefined() || json.isNull() ? QJsonValue(QJsonObject{}) : json);
    if (!request) return tl::unexpected(request.error());
    if (auto st = prepare(ctx, name, access); !st) return tl::unexpected(st.error());
    auto response = handler(ctx, *request);
    if (!response) return tl::unexpected(response.error());
    Outcome out;
    if (status_of) out.status = status_of(*response);
    out.response = std::move(*response);
    return out;
  };
  op.encode_response = [](const std::any& r) { return encode(std::any_cast<const Resp&>(r)); };
  op.decode_response = [](const QJsonValue& json) -> Result<std::any> {
    auto r = decode_as<Resp>(json);
    if (!r) return tl::unexpected(r.error());
    return std::any(std::move(*r));
  };
  op.empty_response = [] { return encode(Resp{}); };
  op.normalise_request = [](const QJsonValue& json) -> Result<QJsonValue> {
    auto r = decode_as<Req>(json);
    if (!r) return tl::unexpected(r.error());
    return encode(*r);
  };
  return op;
}

class OperationTable {
 public:
  // Adds `op`; a duplicate name is a programming error (throws std::logic_error at start-up).
  void add(Operation op);
  [[nodiscard]] const Operation* find(std::string_view name) const;
  [[nodiscard]] const std::vector<Operation>& all() const { return ops_; }

 private:
  std::vector<Operation> ops_;
};

// Command groups ("rad.survey") with their one-line summaries, for help and the reference.
struct GroupSpec {
  std::string name;
  std::string summary;
};

// Every operation and group niikit offers, built once (operations.cpp lists the topic files).
const OperationTable& operations();
const std::vector<GroupSpec>& operation_groups();

// Runs the named operation with a JSON request: not_found for an unknown name.
Result<Outcome> invoke(Context& ctx, std::string_view name, const QJsonValue& request);

}  // namespace niikit::api
