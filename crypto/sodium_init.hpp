#pragma once

namespace signaal::crypto {

/// Initialises libsodium once; aborts the process if it cannot (no safe way on).
/// Every function of this library calls it, so callers need not.
void ensure_initialised();

} // namespace signaal::crypto
