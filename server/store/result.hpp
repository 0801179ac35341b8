#pragma once
// The store's result type: a value or a plain error message (no exceptions).
#include <optional>
#include <string>
#include <utility>

namespace signaal::store {

/// A failure: one plain sentence, safe to log (never contains report data).
struct error {
    std::string message;
};

/// Either a T or an error. Test with `if (r)`; read with `*r` / `r->`.
template <class T> class [[nodiscard]] result {
  public:
    result(T value) : value_(std::move(value)) {}
    result(error e) : error_(std::move(e.message)) {}

    [[nodiscard]] bool ok() const { return value_.has_value(); }
    explicit operator bool() const { return ok(); }

    [[nodiscard]] T& value() & { return *value_; }
    [[nodiscard]] const T& value() const& { return *value_; }
    [[nodiscard]] T&& value() && { return std::move(*value_); }
    [[nodiscard]] T& operator*() & { return *value_; }
    [[nodiscard]] const T& operator*() const& { return *value_; }
    [[nodiscard]] T&& operator*() && { return std::move(*value_); }
    [[nodiscard]] T* operator->() { return &*value_; }
    [[nodiscard]] const T* operator->() const { return &*value_; }

    /// Empty on success.
    [[nodiscard]] const std::string& error_message() const { return error_; }

  private:
    std::optional<T> value_;
    std::string error_;
};

/// Success or an error, without a value.
class [[nodiscard]] status {
  public:
    status() = default;
    status(error e) : failed_(true), error_(std::move(e.message)) {}

    [[nodiscard]] bool ok() const { return !failed_; }
    explicit operator bool() const { return ok(); }
    [[nodiscard]] const std::string& error_message() const { return error_; }

  private:
    bool failed_ = false;
    std::string error_;
};

} // namespace signaal::store
