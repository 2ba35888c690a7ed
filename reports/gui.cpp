// Qt Gui bootstrap for the PDF writer (see writers.hpp: GuiGuard).
#include <QCoreApplication>
#include <QGuiApplication>
#include <QtGlobal>
#include <cstring>

#include "reports/writers.hpp"

namespace niikit::reports {

namespace {

// Qt warns once that XDG_RUNTIME_DIR is unset when the offscreen platform starts (it falls back
// to /tmp/runtime-<user>); on a server or in CI that is expected, so the one message is
// dropped while the application is being created. Every other message passes through.
QtMessageHandler g_previous = nullptr;

void drop_runtime_dir_warning(QtMsgType type, const QMessageLogContext& context, const QString& message) {
  if (message.startsWith(QStringLiteral("QStandardPaths: XDG_RUNTIME_DIR not set"))) return;
  if (g_previous) g_previous(type, context, message);
  else qt_message_output(type, context, message);  // NOLINT: Qt's default sink
}

void prefer_offscreen() {
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
}

template <class Make>
auto quietly(Make make) {
  g_previous = qInstallMessageHandler(drop_runtime_dir_warning);
  auto app = make();
  qInstallMessageHandler(g_previous);
  g_previous = nullptr;
  return app;
}

}  // namespace

struct GuiGuard::State {
  int argc = 1;
  char name[16] = "niikit";
  char* argv[2] = {name, nullptr};
  std::unique_ptr<QGuiApplication> app;
};

namespace {

// The process's GUI application, created the first time a PDF is written and kept until the
// process ends (Qt's fonts and paint engines do not survive re-creating the application, and
// commands that never write a PDF never pay for it: ~20 ms and 10 MB per start).
void ensure_process_gui() {
  if (QCoreApplication::instance() != nullptr) return;  // someone else owns the application
  static GuiGuard::State* state = [] {
    prefer_offscreen();
    auto* s = new GuiGuard::State;  // deliberately never destroyed: it lives as long as the process
    s->app = quietly([&] { return std::make_unique<QGuiApplication>(s->argc, s->argv); });
    return s;
  }();
  (void)state;
}

}  // namespace

GuiGuard::GuiGuard() { ensure_process_gui(); }

GuiGuard::~GuiGuard() = default;

std::unique_ptr<GuiGuard> ensure_gui() { return std::make_unique<GuiGuard>(); }

}  // namespace niikit::reports
