#pragma once
// The one "value or error" of the project: boost::system::result with a plain
// error sentence. Test with `if (r)`, read with `*r` / `r->`, explain with
// `r.error().message`. I/O keeps boost::system::error_code.
#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>

#include <stdexcept>
#include <string>

namespace signaal {

/// A failure: one plain sentence, safe to log (never contains report data or secrets).
struct error {
    std::string message;
};

/// `value()` on an error throws std::runtime_error with the message: a bug, not a path.
[[noreturn]] inline void throw_exception_from_error(const error& e, const boost::source_location&) {
    throw std::runtime_error(e.message);
}

template <class T = void> using result = boost::system::result<T, error>;

/// Success or an error, without a value.
using status = result<void>;

/// Builds the error alternative: `return fail("the file is not a Signaal database");`
[[nodiscard]] inline error fail(std::string message) {
    return error{std::move(message)};
}

} // namespace signaal
