// The compressed copies of a capture the generator writes next to it: gzip
// (zlib, RFC 1952, no file name, time 0), zstd (libzstd) and an lz4 frame
// (liblz4) — the forms Wireshark opens as they are.
#pragma once

#include <optional>
#include <string_view>

#include "coapjws/bytes.hpp"
#include "coapjws/result.hpp"

namespace coapjws::gen {

enum class Codec { gzip, zstd, lz4 };

std::optional<Codec> codec_named(std::string_view name);  // "gzip", "zstd", "lz4"
std::string_view codec_name(Codec codec);
std::string_view file_extension(Codec codec);  // ".gz", ".zst", ".lz4"

Result<Bytes> compress(ByteView bytes, Codec codec);
Result<Bytes> decompress(ByteView bytes, Codec codec);

}  // namespace coapjws::gen
