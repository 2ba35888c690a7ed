#include "app/cli/commands.hpp"

#include "app/cli/adapter.hpp"
#include "app/cli/reference.hpp"
#include "core/version.hpp"

namespace niikit::cli {

void configure_root(CLI::App& root, CliContext& ctx) {
  root.fallthrough();   // global options may follow the subcommand: `niikit fleet --json`
  root.set_version_flag("--version", std::string(toolkit_version), "Print the niikit version and exit");
  root.add_option("--db", ctx.db_path,
                  "Database file (default: $NIIKIT_DB, else ./niikit.db)")->type_name("PATH");
  root.add_flag("--json", ctx.json, "Machine-readable JSON on stdout (errors too)");
  root.add_option("--as", ctx.as_person,
                  "Act as this registered person (name or id); default: $NIIKIT_AS, else the person mapped to "
                  "your OS account")->type_name("PERSON");
  root.add_option("--password-file", ctx.password_file,
                  "File whose first line is the acting user's password (databases with users; else it is asked "
                  "on the terminal, or `niikit login` unlocks a session); default $NIIKIT_PASSWORD_FILE")
      ->type_name("FILE");
  root.require_subcommand(0, 1);
  root.footer(
      "Exit statuses: 0 ok, 2 usage, 3 input, 4 not found, 5 conflict, 6 gate refused,\n"
      "7 test failed, 8 integrity, 9 io, 10 forbidden, 70 internal. Run `niikit COMMAND --help` for details.");
}

void register_all_commands(CLI::App& root, CliContext& ctx) {
  register_demo_commands(root, ctx);
  add_operation_commands(root, ctx);
  auto* reference = root.add_subcommand("reference", "Print the command reference (docs/commands.md) as Markdown");
  reference->group("");  // hidden: for maintainers
  reference->callback([&ctx] {
    ctx.action = [&ctx]() -> Status {
      *ctx.out << command_reference_markdown();
      return {};
    };
  });
  register_test_commands(root, ctx);
  register_rad_commands(root, ctx);
  register_procurement_commands(root, ctx);
  register_audit_commands(root, ctx);
  register_phantom_commands(root, ctx);
  register_image_commands(root, ctx);
  register_iq_commands(root, ctx);
  register_kit_commands(root, ctx);
  register_report_commands(root, ctx);
  register_db_commands(root, ctx);
  register_serve_command(root, ctx);
}

}  // namespace niikit::cli
