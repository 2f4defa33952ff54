#include "coapjws/tid.hpp"

namespace coapjws {

std::string Tid::to_string() const { return key_id + ":" + std::to_string(seq); }

}  // namespace coapjws
