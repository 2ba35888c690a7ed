// How registry records are printed: a table or key/value lines on a terminal, the
// json_views forms with --json. Each returns Status so commands can `return print_...`.
#pragma once

#include "app/cli/cli_context.hpp"
#include "db/database.hpp"
#include "db/registry.hpp"

namespace niikit::cli {

Status print_scanner_line(CliContext& ctx, const db::Scanner& s, const std::string& headline);
Status list_scanners(CliContext& ctx, db::Database& db);
Status show_scanner(CliContext& ctx, db::Database& db, const std::string& key);
Status print_document(CliContext& ctx, const db::Document& d, const std::string& headline);
Status list_documents(CliContext& ctx, db::Database& db, const std::string& scanner);
Status check_document(CliContext& ctx, db::Database& db, std::int64_t id);

}  // namespace niikit::cli
