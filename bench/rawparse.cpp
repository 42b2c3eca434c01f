// gkml-rawparse: the floor for the benchmarks. Reads and parses the same bytes the gkml commands read
// (pugixml, the parser gkml's model uses) and does nothing else: no schema, no rules, no database.
// Usage: gkml-rawparse [-j N] PATH...   (files or folders, recursively *.xml); prints files, bytes, elements.
#include <pugixml.hpp>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;

namespace {

std::size_t count_elements(const pugi::xml_node& node) {
  std::size_t n = 0;
  for (pugi::xml_node child = node.first_child(); child; child = child.next_sibling()) {
    if (child.type() == pugi::node_element) n += 1 + count_elements(child);
  }
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "-j" && i + 1 < argc) {
      jobs = static_cast<unsigned>(std::max(1, std::atoi(argv[++i])));
    } else if (fs::is_directory(arg)) {
      for (const auto& e : fs::recursive_directory_iterator(arg))
        if (e.is_regular_file() && e.path().extension() == ".xml") files.push_back(e.path());
    } else {
      files.emplace_back(arg);
    }
  }
  std::atomic<std::size_t> next{0}, bytes{0}, elements{0}, failed{0};
  auto work = [&] {
    std::vector<char> buf;
    for (std::size_t i = next++; i < files.size(); i = next++) {
      std::ifstream in(files[i], std::ios::binary);
      buf.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
      bytes += buf.size();
      pugi::xml_document doc;
      if (!doc.load_buffer_inplace(buf.data(), buf.size())) {
        ++failed;
        continue;
      }
      elements += count_elements(doc);
    }
  };
  std::vector<std::jthread> pool;
  for (unsigned t = 0; t < jobs; ++t) pool.emplace_back(work);
  pool.clear();
  std::printf("%zu files, %zu bytes, %zu elements, %zu not well-formed\n", files.size(), bytes.load(), elements.load(),
              failed.load());
  return failed ? 2 : 0;
}
