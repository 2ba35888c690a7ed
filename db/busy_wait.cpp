#include "db/busy_wait.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <thread>

namespace niikit::db {

namespace {

BusyWait& process_wait() {
  static BusyWait wait;
  return wait;
}

// SQLite calls this with count = 0, 1, 2, ... while the lock stays taken; returning 0 gives
// up (the statement fails with SQLITE_BUSY).
int on_busy(void* data, int count) {
  using std::chrono::milliseconds;
  auto* state = static_cast<BusyState*>(data);
  const auto now = std::chrono::steady_clock::now();
  if (count == 0) {
    state->started = now;
    state->noticed = false;
  }
  const auto waited = std::chrono::duration_cast<milliseconds>(now - state->started);
  if (waited >= state->wait.timeout) return 0;
  if (!state->noticed && waited >= state->wait.notice_after && state->wait.notice) {
    state->noticed = true;
    try {
      state->wait.notice(state->path, state->wait.timeout);
    } catch (...) {  // a notice that cannot be printed must not unwind through SQLite
    }
  }
  const milliseconds step = std::min(milliseconds(100), milliseconds(1L << std::min(count, 7)));
  std::this_thread::sleep_for(std::min(step, state->wait.timeout - waited));
  return 1;
}

}  // namespace

void set_busy_wait(BusyWait wait) { process_wait() = std::move(wait); }
const BusyWait& busy_wait() { return process_wait(); }

std::unique_ptr<BusyState> install_busy_wait(SQLite::Database& sql, const std::string& path) {
  auto state = std::make_unique<BusyState>();
  state->wait = process_wait();
  state->path = path;
  sqlite3_busy_handler(sql.getHandle(), on_busy, state.get());
  return state;
}

}  // namespace niikit::db
