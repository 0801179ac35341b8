#include "server/api/static_files.hpp"

#include <cctype>
#include <fstream>
#include <iterator>

namespace signaal::api {
namespace {

std::string read_whole(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string content_type_of(const std::filesystem::path& path) {
    static const std::map<std::string, std::string, std::less<>> types{
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".wasm", "application/wasm"},
        {".webmanifest", "application/manifest+json"},
        {".txt", "text/plain; charset=utf-8"},
    };
    const auto found = types.find(path.extension().string());
    return found == types.end() ? "application/octet-stream" : found->second;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
        s.remove_suffix(1);
    }
    return s;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i]))) {
            return false;
        }
    }
    return true;
}

} // namespace

bool accepts_encoding(std::string_view header, std::string_view coding) {
    while (!header.empty()) {
        const auto comma = header.find(',');
        auto item = trim(header.substr(0, comma));
        const auto semicolon = item.find(';');
        const auto name = trim(item.substr(0, semicolon));
        if (iequals(name, coding)) {
            if (semicolon == std::string_view::npos) {
                return true;
            }
            auto params = trim(item.substr(semicolon + 1));
            // "q=0", "q=0.0", "q=0.000" refuse; anything else accepts.
            if (params.size() >= 3 && (params[0] == 'q' || params[0] == 'Q') && params[1] == '=') {
                return params.substr(2).find_first_not_of("0.") != std::string_view::npos;
            }
            return true;
        }
        if (comma == std::string_view::npos) {
            break;
        }
        header.remove_prefix(comma + 1);
    }
    return false;
}

static_files::static_files(const std::filesystem::path& root) {
    std::error_code ec;
    if (!std::filesystem::is_directory(root, ec)) {
        return;
    }
    for (auto it = std::filesystem::recursive_directory_iterator(root, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        const auto& path = it->path();
        const auto extension = path.extension().string();
        if (!it->is_regular_file() || extension == ".gz" || extension == ".br") {
            continue;
        }
        file f;
        f.content_type = content_type_of(path);
        f.identity = read_whole(path);
        auto gz = path;
        gz += ".gz";
        auto br = path;
        br += ".br";
        if (std::filesystem::is_regular_file(gz, ec)) {
            f.gzip = read_whole(gz);
        }
        if (std::filesystem::is_regular_file(br, ec)) {
            f.brotli = read_whole(br);
        }
        // Appended, not "/" + string: GCC 12 at -O2 reports a false -Wrestrict on that form.
        std::string key = "/";
        key += std::filesystem::relative(path, root).generic_string();
        files_.emplace(std::move(key), std::move(f));
    }
}

std::optional<response> static_files::serve(std::string_view path,
                                            std::string_view accept_encoding) const {
    // A folder's page is its index.html: "/" is the phone page, "/desk/" the web inbox.
    std::string key(path);
    if (key.ends_with('/')) {
        key += "index.html";
    }
    const auto found = files_.find(key);
    if (found == files_.end()) {
        // "/follow-up" (as people type it) goes to "/follow-up/", so that the page's
        // relative links resolve inside its folder.
        if (!key.ends_with('/') && files_.contains(key + "/index.html")) {
            response moved;
            moved.status = 301;
            moved.content_type = "text/plain; charset=utf-8";
            moved.headers.emplace_back("Location", key + "/");
            return moved;
        }
        return std::nullopt;
    }
    const auto& f = found->second;
    response r;
    r.content_type = f.content_type;
    r.vary_accept_encoding = !f.gzip.empty() || !f.brotli.empty();
    if (!f.brotli.empty() && accepts_encoding(accept_encoding, "br")) {
        r.content_encoding = "br";
        r.body = f.brotli;
    } else if (!f.gzip.empty() && accepts_encoding(accept_encoding, "gzip")) {
        r.content_encoding = "gzip";
        r.body = f.gzip;
    } else {
        r.body = f.identity;
    }
    return r;
}

} // namespace signaal::api
