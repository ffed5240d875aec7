#include "common/test_hold.hpp"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include "common/log.hpp"

std::function<void()> test_hold(const char* variable) {
  const char* value = std::getenv(variable);
  if (!value || !*value) return {};
  const std::string file = value;
  return [variable, file] {
    if (!std::filesystem::exists(file)) return;
    log_info(std::string("held by ") + variable + " while " + file + " exists",
             {{"hold", variable}, {"file", file}});
    while (std::filesystem::exists(file)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  };
}
