#pragma once
// Internal: wrong sizes passed by our own code are bugs, reported by exception
// (CONVENTIONS: exceptions only at start-up and for bugs). Input from peers is
// checked by callers first, or goes through the nullopt/false paths.
#include "crypto/bytes.hpp"

#include <stdexcept>
#include <string>

namespace signaal::crypto::detail {

inline void require_size(std::size_t actual, std::size_t expected, const char* what) {
    if (actual != expected) {
        throw std::invalid_argument(std::string("signaal::crypto: ") + what + " must be " +
                                    std::to_string(expected) + " bytes");
    }
}

} // namespace signaal::crypto::detail
