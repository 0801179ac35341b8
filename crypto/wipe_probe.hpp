#pragma once
// A seam for the wipe test: secret_bytes calls the probe with its bytes after
// zeroing them and before releasing them, so a test can see the zeros. The
// product installs none.
#include <cstddef>
#include <cstdint>

namespace signaal::crypto::detail {

using wipe_probe = void (*)(const std::uint8_t* data, std::size_t size);

/// Installs `probe` (nullptr removes it); returns the previous one.
wipe_probe set_wipe_probe(wipe_probe probe);

} // namespace signaal::crypto::detail
