#pragma once
// One event as a stream sends it: serialised once, when it commits, and shared
// by every stream that receives it.
#include <cstdint>
#include <memory>
#include <string>

namespace signaal::stream {

struct wire_event {
    std::string desk;
    std::int64_t seq = 0;
    std::string text; // {"type":"event","seq","desk","report_id","kind"}
};

using shared_event = std::shared_ptr<const wire_event>;

} // namespace signaal::stream
