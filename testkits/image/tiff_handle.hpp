// RAII around a libtiff handle whose warnings and errors are captured instead of printed.
//
// libtiff (4.5+) accepts per-handle error and warning handlers through TIFFOpenOptions; the
// handlers here store the first error message in the TiffSession and return 1 so the global
// handlers (which print to stderr) never run. Nothing global is changed, so concurrent
// sessions on different threads are safe. A session is not copyable or movable: libtiff keeps
// a pointer to its message sink.
#pragma once

#include <tiffio.h>

#include <cstdarg>
#include <cstdio>
#include <memory>
#include <string>

namespace niikit::testkits::detail {

class TiffSession {
 public:
  TiffSession() = default;
  TiffSession(const TiffSession&) = delete;
  TiffSession& operator=(const TiffSession&) = delete;
  ~TiffSession() { close(); }

  // Options for TIFFOpenExt / TIFFClientOpenExt wired to this session's sink. `max_alloc_bytes`
  // caps any single allocation libtiff makes on its own (tag arrays, strip buffers).
  // `file_name` is removed from libtiff's messages (it is the start of every Error anyway).
  [[nodiscard]] TIFFOpenOptions* options(tmsize_t max_alloc_bytes, const std::string& file_name) {
    file_name_ = file_name;
    opts_.reset(TIFFOpenOptionsAlloc());
    if (!opts_) return nullptr;
    TIFFOpenOptionsSetMaxSingleMemAlloc(opts_.get(), max_alloc_bytes);
    TIFFOpenOptionsSetErrorHandlerExtR(opts_.get(), &TiffSession::on_error, this);
    TIFFOpenOptionsSetWarningHandlerExtR(opts_.get(), &TiffSession::on_warning, this);
    return opts_.get();
  }

  void adopt(TIFF* tif) { tif_ = tif; }
  [[nodiscard]] TIFF* get() const { return tif_; }

  // Closes the handle (flushing when writing); returns false when libtiff reported an error.
  bool close() {
    if (tif_ != nullptr) {
      TIFFClose(tif_);
      tif_ = nullptr;
    }
    return first_error_.empty();
  }

  [[nodiscard]] const std::string& first_error() const { return first_error_; }
  [[nodiscard]] std::string error_or(const std::string& fallback) const {
    return first_error_.empty() ? fallback : first_error_;
  }
  void clear_error() { first_error_.clear(); }

 private:
  struct OptionsFree {
    void operator()(TIFFOpenOptions* o) const { TIFFOpenOptionsFree(o); }
  };

  // "module: text" without the file name, which libtiff repeats and our Error already starts with.
  std::string format(const char* module, const char* fmt, va_list ap) const {
    char text[512];
    std::vsnprintf(text, sizeof text, fmt, ap);
    std::string message = std::string(module != nullptr ? module : "libtiff") + ": " + text;
    if (file_name_.empty()) return message;
    for (std::size_t at = message.find(file_name_ + ": "); at != std::string::npos; at = message.find(file_name_ + ": "))
      message.erase(at, file_name_.size() + 2);
    return message;
  }

  static int on_error(TIFF*, void* user, const char* module, const char* fmt, va_list ap) {
    auto* self = static_cast<TiffSession*>(user);
    if (self->first_error_.empty()) self->first_error_ = self->format(module, fmt, ap);
    return 1;  // handled: the global stderr handler must not run
  }

  // Warnings are dropped (vendor files are full of unknown tags), except libtiff's "IO error
  // during reading of <tag>; tag ignored": the file is truncated and a tag such as the
  // ImageDescription would silently go missing.
  static int on_warning(TIFF*, void* user, const char* module, const char* fmt, va_list ap) {
    auto* self = static_cast<TiffSession*>(user);
    const std::string text = self->format(module, fmt, ap);
    if (self->first_error_.empty() && text.find("IO error") != std::string::npos)
      self->first_error_ = "truncated file: " + text;
    return 1;
  }

  std::unique_ptr<TIFFOpenOptions, OptionsFree> opts_;
  TIFF* tif_ = nullptr;
  std::string first_error_;
  std::string file_name_;
};

// Libtiff's own allocations are capped at 1 GiB; our pixel buffers are checked separately.
inline constexpr tmsize_t tiff_max_single_alloc_bytes = tmsize_t{1} << 30;

}  // namespace niikit::testkits::detail
