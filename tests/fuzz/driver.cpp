// gkml-fuzz TARGET [FILE|FOLDER]...: runs each file (folders: each file in them, sorted) through one
// target: the smoke run ctest makes over the corpus, and how a finding is reproduced. Started by
// afl-fuzz with no file (scripts/fuzz.sh), it reads each test case from standard input, many per
// process (AFL++'s persistent mode).
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "targets.hpp"

extern "C" int __afl_persistent_loop(unsigned int) __attribute__((weak));
extern "C" void __afl_manual_init() __attribute__((weak));

// afl-fuzz looks for these marks in the binary to run it in persistent mode with a deferred fork server.
[[gnu::used]] extern const char afl_persistent_mark[] = "##SIG_AFL_PERSISTENT##";
[[gnu::used]] extern const char afl_deferred_mark[] = "##SIG_AFL_DEFER_FORKSRV##";

namespace {

std::string slurp(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

int main(int argc, char** argv) {
    const gkml::fuzz::Named* target = nullptr;
    if (argc >= 2)
        for (const auto& t : gkml::fuzz::all)
            if (std::strcmp(argv[1], t.name) == 0) target = &t;
    if (!target) {
        std::fprintf(stderr, "usage: gkml-fuzz TARGET [FILE|FOLDER]...   targets:");
        for (const auto& t : gkml::fuzz::all) std::fprintf(stderr, " %s", t.name);
        std::fprintf(stderr, "\n");
        return 3;
    }
    if (argc == 2 && __afl_persistent_loop) {
        target->run("");  // schemas compiled, calendar loaded, once, before the fork server forks
        __afl_manual_init();
        std::vector<char> buffer(1 << 20);
        while (__afl_persistent_loop(10000)) {
            ssize_t n = ::read(0, buffer.data(), buffer.size());
            target->run(std::string_view(buffer.data(), n > 0 ? static_cast<std::size_t>(n) : 0));
        }
        return 0;
    }
    std::size_t runs = 0;
    for (int a = 2; a < argc; ++a) {
        std::vector<std::filesystem::path> files;
        if (std::filesystem::is_directory(argv[a])) {
            for (const auto& entry : std::filesystem::directory_iterator(argv[a]))
                if (entry.is_regular_file()) files.push_back(entry.path());
            std::ranges::sort(files);
        } else {
            files.emplace_back(argv[a]);
        }
        for (const auto& file : files) {
            target->run(slurp(file));
            ++runs;
        }
    }
    std::fprintf(stderr, "gkml-fuzz %s: %zu inputs, no finding\n", target->name, runs);
    return runs ? 0 : 3;
}
