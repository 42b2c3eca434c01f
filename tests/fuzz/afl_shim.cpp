// Feeds AFL++'s edge map from g++'s -fsanitize-coverage=trace-pc: Debian 12's AFL++ GCC plugin
// refuses to load and clang 14 cannot compile libstdc++ 12's <expected>, so the targets are built
// by g++ and this file (built without coverage) turns each block's address into AFL's edge hash.
// afl-compiler-rt.o, linked beside it, owns the shared map, the fork server and persistent mode.
#include <cstdint>

extern "C" std::uint8_t* __afl_area_ptr;

namespace {

constexpr std::uintptr_t map_size = 65536;  // AFL++'s default map
thread_local std::uintptr_t previous;

}  // namespace

extern "C" void __sanitizer_cov_trace_pc() {
    auto current = reinterpret_cast<std::uintptr_t>(__builtin_return_address(0));
    current = ((current >> 4) ^ (current << 8)) & (map_size - 1);
    __afl_area_ptr[current ^ previous]++;
    previous = current >> 1;
}
