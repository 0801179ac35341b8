#include "tests/store/wal_file.hpp"

#include <cstdint>
#include <fstream>
#include <iterator>

namespace signaal::store::test {

namespace {

std::uint32_t big_endian(const std::vector<unsigned char>& b, std::size_t at) {
    return (std::uint32_t{b[at]} << 24) | (std::uint32_t{b[at + 1]} << 16) |
           (std::uint32_t{b[at + 2]} << 8) | std::uint32_t{b[at + 3]};
}

constexpr std::size_t wal_header_size = 32;
constexpr std::size_t frame_header_size = 24;

} // namespace

std::vector<std::size_t> wal_commit_ends(const std::filesystem::path& wal) {
    std::ifstream in(wal, std::ios::binary);
    const std::vector<unsigned char> bytes{std::istreambuf_iterator<char>(in),
                                           std::istreambuf_iterator<char>()};
    std::vector<std::size_t> ends;
    if (bytes.size() < wal_header_size) {
        return ends;
    }
    const std::size_t page_size = big_endian(bytes, 8);
    const std::uint32_t salt1 = big_endian(bytes, 16);
    const std::uint32_t salt2 = big_endian(bytes, 20);
    for (std::size_t at = wal_header_size; at + frame_header_size + page_size <= bytes.size();
         at += frame_header_size + page_size) {
        if (big_endian(bytes, at + 8) != salt1 || big_endian(bytes, at + 12) != salt2) {
            break; // a frame of an earlier round: not part of any state
        }
        if (big_endian(bytes, at + 4) != 0) {
            ends.push_back(at + frame_header_size + page_size);
        }
    }
    return ends;
}

} // namespace signaal::store::test
