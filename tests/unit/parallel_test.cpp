#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "gkml/parallel.hpp"

TEST_CASE("results are used in order however the threads finish", "[parallel]") {
    for (unsigned threads : {1u, 2u, 4u}) {
        std::vector<std::size_t> order;
        gkml::ordered_parallel(
            200, threads, 8,
            [](std::size_t i) {
                // Early items take longest, so later ones finish first.
                if (i % 7 == 0) std::this_thread::sleep_for(std::chrono::microseconds(300));
                return i * i;
            },
            [&](std::size_t i, std::size_t square) {
                CHECK(square == i * i);
                order.push_back(i);
                return true;
            });
        REQUIRE(order.size() == 200);
        for (std::size_t i = 0; i < order.size(); ++i) CHECK(order[i] == i);
    }
}

TEST_CASE("no more than the window is made ahead of what is used", "[parallel]") {
    std::atomic<std::size_t> made{0};
    std::size_t most_ahead = 0;
    gkml::ordered_parallel(
        100, 3, 5, [&](std::size_t i) { return made.fetch_add(1) + 0 * i; },
        [&](std::size_t i, std::size_t) {
            std::this_thread::sleep_for(std::chrono::microseconds(200));
            most_ahead = std::max(most_ahead, made.load() - i);
            return true;
        });
    CHECK(most_ahead <= 5 + 1);
}

TEST_CASE("a consumer that stops ends the run early", "[parallel]") {
    std::atomic<std::size_t> made{0};
    std::vector<std::size_t> used;
    gkml::ordered_parallel(
        1000, 2, 4, [&](std::size_t i) { ++made; return i; },
        [&](std::size_t i, std::size_t) {
            used.push_back(i);
            return i < 9;
        });
    CHECK(used.size() == 10);
    CHECK(made.load() < 20);
}
