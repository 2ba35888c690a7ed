// niikit's one error currency.
//
// Every call that can fail across a module boundary returns `Result<T>` (tl::expected<T, Error>).
// An Error carries a code from the catalogue below and a one-line, human-readable message that
// names the input and the problem ("scanners.csv line 4: energy_mev: not a number"). Context is
// prepended on the way up with `with_context`. Only `main` turns an Error into an exit status.
//
// A failed test ("wire 0.5 mm not visible") is a result with a fail verdict, not an Error.
// Header-only, no dependencies beyond tl::expected; all types are plain values, thread-safe to copy.
#pragma once

#include <array>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

#include <tl/expected.hpp>

namespace niikit {

enum class ErrorCode {
  usage,         // the command line itself is wrong
  input,         // a file, value or record given by the user is malformed or out of range
  not_found,     // a named record or file does not exist
  conflict,      // the change clashes with what is stored (duplicate key, record in use)
  gate_refused,  // a lifecycle gate does not hold; the message lists every unmet condition
  test_failed,   // an acceptance test ran and failed (used by commands that judge results)
  integrity,     // stored data is inconsistent: audit chain broken, checksum mismatch
  io,            // the file system or database could not be read or written
  forbidden,     // the acting person does not hold a role the operation needs (or none is known)
  internal,      // a bug in niikit
};

struct ErrorInfo {
  ErrorCode code;
  std::string_view name;   // stable, used in --json output as "error"
  int exit_status;         // process exit status
  int http_status;         // status for the web API
  std::string_view meaning;
};

// The catalogue: documented in README.md ("Exit statuses"); a test keeps both in step.
inline constexpr std::array<ErrorInfo, 10> error_catalogue{{
    {ErrorCode::usage, "usage", 2, 400, "the command line is wrong (unknown option, missing argument)"},
    {ErrorCode::input, "input", 3, 422, "an input file or value is malformed or out of range"},
    {ErrorCode::not_found, "not_found", 4, 404, "a named record or file does not exist"},
    {ErrorCode::conflict, "conflict", 5, 409, "the change clashes with stored data (duplicate, in use)"},
    {ErrorCode::gate_refused, "gate_refused", 6, 409, "a lifecycle gate does not hold; every unmet condition is listed"},
    {ErrorCode::test_failed, "test_failed", 7, 200, "an acceptance test ran and did not pass"},
    {ErrorCode::integrity, "integrity", 8, 500, "stored data is inconsistent (audit chain, checksums)"},
    {ErrorCode::io, "io", 9, 503, "a file or the database could not be read or written"},
    {ErrorCode::forbidden, "forbidden", 10, 403, "the acting person lacks a role the operation needs"},
    {ErrorCode::internal, "internal", 70, 500, "a bug in niikit; please report it"},
}};

constexpr const ErrorInfo& error_info(ErrorCode code) {
  for (const auto& info : error_catalogue)
    if (info.code == code) return info;
  return error_catalogue.back();
}

// Prints the code's catalogue name ("gate_refused"), e.g. in test failure messages.
inline std::ostream& operator<<(std::ostream& os, ErrorCode code) { return os << error_info(code).name; }

struct Error {
  ErrorCode code = ErrorCode::internal;
  std::string message;
  // The request field the error is about, as a path of field names ("session",
  // "points/3/dose_rate_usv_h"); empty when the error is not about one field. Adapters show it
  // in their own terms (the CLI as --session, the web API as the JSON pointer /session); the
  // message does not repeat it.
  std::string field = {};

  // "scanner X-1: " + message; keeps the code and the field.
  [[nodiscard]] Error with_context(std::string_view context) const {
    return Error{code, std::string(context) + ": " + message, field};
  }
};

template <class T>
using Result = tl::expected<T, Error>;

using Status = tl::expected<void, Error>;

inline tl::unexpected<Error> fail(ErrorCode code, std::string message) {
  return tl::unexpected<Error>(Error{code, std::move(message)});
}

// An error about one request field: `field` is its name (see Error::field).
inline tl::unexpected<Error> fail_field(ErrorCode code, std::string field, std::string message) {
  return tl::unexpected<Error>(Error{code, std::move(message), std::move(field)});
}

// Adds context to the error of a failed Result, passes a success through.
template <class T>
Result<T> with_context(Result<T> result, std::string_view context) {
  if (!result) return tl::unexpected<Error>(result.error().with_context(context));
  return result;
}

}  // namespace niikit
