#pragma once
// The built phone page (web/dist), read into memory once at start. Each file
// may have precompressed .br and .gz siblings, served when the browser accepts them.
#include "server/api/message.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace signaal::api {

class static_files {
  public:
    /// Loads every regular file below root; a missing root gives an empty set.
    explicit static_files(const std::filesystem::path& root);

    /// The file for a GET of `path` ("/" is "/index.html"); nullopt when there is none.
    [[nodiscard]] std::optional<response> serve(std::string_view path,
                                                std::string_view accept_encoding) const;

    [[nodiscard]] std::size_t size() const { return files_.size(); }

  private:
    struct file {
        std::string content_type;
        std::string identity;
        std::string gzip;   // empty when there is no .gz sibling
        std::string brotli; // empty when there is no .br sibling
    };
    std::map<std::string, file, std::less<>> files_;
};

/// Does an Accept-Encoding header accept `coding` (a token with q > 0)?
[[nodiscard]] bool accepts_encoding(std::string_view accept_encoding, std::string_view coding);

} // namespace signaal::api
