#pragma once
// Runs real programs for the signaal-inbox tests: the signaal-inbox binary
// without a controlling terminal (setsid, so "not interactive" is what it
// sees), on a pseudo-terminal that answers its prompts, or in the background
// (follow, the server) with its output read as it comes.
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <string>
#include <sys/types.h>
#include <thread>
#include <utility>
#include <vector>

namespace signaal::inbox_test {

struct run_result {
    int exit_code = -1;
    std::string out;
    std::string err;
};

/// Extra environment as "NAME=value"; the child gets the parent's plus these.
using environment = std::vector<std::string>;

/// Runs `program args` to its end, stdout and stderr captured, no terminal.
[[nodiscard]] run_result run(const std::string& program, const std::vector<std::string>& args,
                             const environment& env = {});

/// signaal-inbox, as `run`.
[[nodiscard]] run_result inbox(const std::vector<std::string>& args, const environment& env = {});

/// signaal-admin, as `run`.
[[nodiscard]] run_result admin(const std::vector<std::string>& args);

/// Runs signaal-inbox on a pseudo-terminal: each time the output so far ends
/// with... contains the next prompt, the answer (and a line end) is typed.
/// Everything the program wrote to the terminal comes back in `out`.
[[nodiscard]] run_result
inbox_on_terminal(const std::vector<std::string>& args,
                  const std::vector<std::pair<std::string, std::string>>& dialogue,
                  const environment& env = {});

/// A program in the background; its stdout and stderr merged and collected.
class background {
  public:
    background(const std::string& program, const std::vector<std::string>& args,
               const environment& env = {});
    ~background(); // SIGKILL if still running
    background(const background&) = delete;
    background& operator=(const background&) = delete;

    /// Waits until the output holds `text` `times` times (false after `timeout` or at exit).
    bool wait_for(const std::string& text, std::chrono::milliseconds timeout,
                  std::size_t times = 1);
    [[nodiscard]] std::string output() const;
    void signal(int number);
    /// Waits for the exit, and for its output to be read to the end; its status
    /// (128 + signal when killed).
    int wait();
    [[nodiscard]] pid_t pid() const { return pid_; }

  private:
    pid_t pid_ = -1;
    int fd_ = -1;
    std::thread reader_;
    mutable std::mutex mutex_;
    std::condition_variable grew_;
    std::string output_; // guarded
    bool open_ = true;   // guarded
};

/// A fresh folder under the temp dir, removed with everything in it.
class temp_dir {
  public:
    temp_dir();
    ~temp_dir();
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    [[nodiscard]] const std::filesystem::path& path() const { return path_; }

  private:
    std::filesystem::path path_;
};

[[nodiscard]] std::string read_file(const std::filesystem::path& file);
void write_file(const std::filesystem::path& file, const std::string& text);
/// Times `text` occurs in `in`.
[[nodiscard]] std::size_t count_of(const std::string& in, const std::string& text);

} // namespace signaal::inbox_test
