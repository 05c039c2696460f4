#pragma once
#include <string>

#include "preshard/resp/request.hpp"

namespace preshard::io {

class Worker;

// The INFO text for the requested sections (none, "default", "all" or "everything": all of them).
std::string render_info(Worker& worker, const resp::Request& req);

}  // namespace preshard::io
