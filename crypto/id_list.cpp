#include "crypto/id_list.hpp"

#include <algorithm>
#include <string_view>
#include <vector>

namespace signaal::crypto {

std::string join_sorted(std::span<const std::string> items) {
    std::vector<std::string_view> sorted(items.begin(), items.end());
    std::sort(sorted.begin(), sorted.end()); // char_traits<char> compares as unsigned char
    std::string out;
    for (std::size_t i = 0; i < sorted.size(); ++i) {
        if (i != 0) {
            out.push_back(',');
        }
        out.append(sorted[i]);
    }
    return out;
}

} // namespace signaal::crypto
