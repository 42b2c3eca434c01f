// Work spread over threads while its results are used in order, on the calling thread.
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace gkml {

// Calls produce(i) for every i in [0, n) on up to `threads` threads (the calling one among them)
// and consume(i, result) on the calling thread in order of i. At most `window` results are made
// ahead of the one consumed, so memory stays bounded however large n is. consume returning false
// stops the run: no further produce starts and nothing more is consumed.
template <typename Produce, typename Consume>
void ordered_parallel(std::size_t n, unsigned threads, std::size_t window, Produce produce, Consume consume) {
    using Result = decltype(produce(std::size_t{}));
    window = std::max<std::size_t>(window, 1);
    threads = std::max(1u, threads);
    if (threads == 1 || n < 2) {
        for (std::size_t i = 0; i < n; ++i)
            if (!consume(i, produce(i))) return;
        return;
    }
    std::mutex mutex;
    std::condition_variable changed;
    std::deque<std::optional<Result>> ready;  // ready[k] is the result of consumed + k
    std::size_t consumed = 0, next = 0;
    bool stop = false;
    // Takes the next index, makes its result unlocked, and files it; called with the lock held.
    auto make_next = [&](std::unique_lock<std::mutex>& lock) {
        std::size_t i = next++;
        lock.unlock();
        Result result = produce(i);
        lock.lock();
        if (ready.size() <= i - consumed) ready.resize(i - consumed + 1);
        ready[i - consumed] = std::move(result);
        changed.notify_all();
    };
    auto work = [&] {
        std::unique_lock lock(mutex);
        for (;;) {
            changed.wait(lock, [&] { return stop || next >= n || next < consumed + window; });
            if (stop || next >= n) return;
            make_next(lock);
        }
    };
    std::vector<std::jthread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
    std::unique_lock lock(mutex);
    while (consumed < n) {
        // The calling thread produces too while it has nothing to consume.
        if (ready.empty() || !ready.front()) {
            if (next < n && next < consumed + window) {
                make_next(lock);
                continue;
            }
            changed.wait(lock, [&] { return !ready.empty() && ready.front(); });
        }
        Result result = std::move(*ready.front());
        ready.pop_front();
        const std::size_t i = consumed++;  // with the pop, so ready[k] stays the result of consumed + k
        changed.notify_all();
        lock.unlock();
        bool go_on = consume(i, std::move(result));
        lock.lock();
        if (!go_on) {
            stop = true;
            break;
        }
    }
    lock.unlock();
    changed.notify_all();
    pool.clear();  // joins; a producer still running finishes its item and its result is dropped
}

}  // namespace gkml
