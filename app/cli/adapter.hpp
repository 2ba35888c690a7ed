// The command-line adapter over the operation table (app/api/operation.hpp): every operation
// becomes a command (`rad.survey.close` → `niikit rad survey close`) whose options are the
// request's fields (positional fields as arguments, the rest as --name options; --request FILE
// supplies the whole request as JSON), whose --help comes from the operation's summary,
// description and permission row, and whose output is the response as text (a view registered
// in views.hpp) or, with --json, the shared JSON codec.
//
// Values typed on the command line are checked before the request is built: integers and
// finite numbers, valid UTF-8; an error names the option (--session) or argument (SITE).
// Not thread-safe (one per process).
#pragma once

#include <CLI/CLI.hpp>

#include "app/api/operation.hpp"
#include "app/cli/cli_context.hpp"
#include "app/services/signatures.hpp"

namespace niikit::cli {

// Adds a command for every operation of api::operations() (and the group commands).
void add_operation_commands(CLI::App& root, CliContext& ctx);

// Builds the services::Context a command runs with from the process's configuration and the
// global options (--db, --as).
services::Context make_context(const CliContext& ctx);
// The same, acting as `person` (name or id; "" = as make_context) and able to ask for a
// password on the terminal when no password file is given and stdin is a terminal.
services::Context make_acting_context(const CliContext& ctx, const std::string& person);

// The signing key of `person` for a command that signs (`purpose` is shown at the password
// prompt): nullopt on a database without user accounts; otherwise the person proves who they
// are (password or unlocked session) and their key is unsealed with their password.
Result<std::optional<services::KeySigner>> key_signer_for(const CliContext& ctx, const std::string& person,
                                                          const std::string& purpose);

// Commands not yet on the operation table name their actor with --by PERSON. On a database
// with user accounts that is not enough: the named person must prove it (their password from
// --password-file or the terminal, or their unlocked `niikit login` session), as ported
// operations require of --as. A database without users, or none at all, passes unchanged.
Status authenticate_by_option(const CLI::App& root, const CliContext& ctx);

// The error as the command line words it: a field path becomes the option or argument name.
Error for_command_line(const api::Operation& op, Error error);

}  // namespace niikit::cli
