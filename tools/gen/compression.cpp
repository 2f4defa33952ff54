#include "gen/compression.hpp"

#include <lz4frame.h>
#include <zlib.h>
#include <zstd.h>

#include <memory>

namespace coapjws::gen {

namespace {
// 15 window bits, + 16 for a gzip header and trailer instead of zlib's.
constexpr int gzip_window_bits = 15 + 16;
constexpr std::size_t chunk = 1 << 16;

Result<Bytes> gzip(ByteView in) {
    z_stream z{};
    if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, gzip_window_bits, 9, Z_DEFAULT_STRATEGY) !=
        Z_OK)
        return fail(ErrorCode::io, "gzip: cannot start the compressor");
    Bytes out(deflateBound(&z, static_cast<uLong>(in.size())) + 64);
    z.next_in = const_cast<Bytef*>(in.data());
    z.avail_in = static_cast<uInt>(in.size());
    z.next_out = out.data();
    z.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    if (rc != Z_STREAM_END)
        return fail(ErrorCode::io, "gzip: compression failed");
    return out;
}

Result<Bytes> gunzip(ByteView in) {
    z_stream z{};
    if (inflateInit2(&z, gzip_window_bits) != Z_OK)
        return fail(ErrorCode::io, "gzip: cannot start the decompressor");
    Bytes out;
    z.next_in = const_cast<Bytef*>(in.data());
    z.avail_in = static_cast<uInt>(in.size());
    int rc = Z_OK;
    while (rc == Z_OK) {
        out.resize(out.size() + chunk);
        z.next_out = out.data() + out.size() - chunk;
        z.avail_out = chunk;
        rc = inflate(&z, Z_NO_FLUSH);
        out.resize(out.size() - z.avail_out);
    }
    inflateEnd(&z);
    if (rc != Z_STREAM_END)
        return fail(ErrorCode::malformed, "gzip: not a complete gzip stream");
    return out;
}

Result<Bytes> unzstd(ByteView in) {
    std::unique_ptr<ZSTD_DStream, decltype(&ZSTD_freeDStream)> stream(ZSTD_createDStream(),
                                                                      &ZSTD_freeDStream);
    if (!stream)
        return fail(ErrorCode::io, "zstd: cannot start the decompressor");
    Bytes out;
    ZSTD_inBuffer input{in.data(), in.size(), 0};
    std::size_t rc = 1;
    while (input.pos < input.size || rc != 0) {
        out.resize(out.size() + chunk);
        ZSTD_outBuffer output{out.data() + out.size() - chunk, chunk, 0};
        rc = ZSTD_decompressStream(stream.get(), &output, &input);
        out.resize(out.size() - chunk + output.pos);
        if (ZSTD_isError(rc))
            return fail(ErrorCode::io, std::string("zstd: ") + ZSTD_getErrorName(rc));
        if (output.pos == 0 && input.pos == input.size && rc != 0)
            return fail(ErrorCode::malformed, "zstd: not a complete zstd frame");
    }
    return out;
}

Result<Bytes> unlz4(ByteView in) {
    LZ4F_dctx* raw = nullptr;
    if (LZ4F_isError(LZ4F_createDecompressionContext(&raw, LZ4F_VERSION)))
        return fail(ErrorCode::io, "lz4: cannot start the decompressor");
    std::unique_ptr<LZ4F_dctx, decltype(&LZ4F_freeDecompressionContext)> context(
        raw, &LZ4F_freeDecompressionContext);
    Bytes out;
    std::size_t pos = 0;
    std::size_t hint = 1;
    while (pos < in.size() && hint != 0) {
        out.resize(out.size() + chunk);
        std::size_t made = chunk;
        std::size_t used = in.size() - pos;
        hint = LZ4F_decompress(context.get(), out.data() + out.size() - chunk, &made,
                               in.data() + pos, &used, nullptr);
        out.resize(out.size() - chunk + made);
        if (LZ4F_isError(hint))
            return fail(ErrorCode::io, std::string("lz4: ") + LZ4F_getErrorName(hint));
        pos += used;
    }
    if (hint != 0)
        return fail(ErrorCode::malformed, "lz4: not a complete lz4 frame");
    return out;
}
}  // namespace

std::optional<Codec> codec_named(std::string_view name) {
    if (name == "gzip")
        return Codec::gzip;
    if (name == "zstd")
        return Codec::zstd;
    if (name == "lz4")
        return Codec::lz4;
    return std::nullopt;
}

std::string_view codec_name(Codec codec) {
    switch (codec) {
        case Codec::gzip:
            return "gzip";
        case Codec::zstd:
            return "zstd";
        case Codec::lz4:
            return "lz4";
    }
    return "?";
}

std::string_view file_extension(Codec codec) {
    switch (codec) {
        case Codec::gzip:
            return ".gz";
        case Codec::zstd:
            return ".zst";
        case Codec::lz4:
            return ".lz4";
    }
    return "";
}

Result<Bytes> compress(ByteView bytes, Codec codec) {
    switch (codec) {
        case Codec::gzip:
            return gzip(bytes);
        case Codec::zstd: {
            Bytes out(ZSTD_compressBound(bytes.size()));
            const std::size_t n =
                ZSTD_compress(out.data(), out.size(), bytes.data(), bytes.size(), ZSTD_maxCLevel());
            if (ZSTD_isError(n))
                return fail(ErrorCode::io, std::string("zstd: ") + ZSTD_getErrorName(n));
            out.resize(n);
            return out;
        }
        case Codec::lz4: {
            LZ4F_preferences_t preferences{};
            preferences.compressionLevel = 9;
            preferences.frameInfo.contentSize = bytes.size();
            Bytes out(LZ4F_compressFrameBound(bytes.size(), &preferences));
            const std::size_t n = LZ4F_compressFrame(out.data(), out.size(), bytes.data(),
                                                     bytes.size(), &preferences);
            if (LZ4F_isError(n))
                return fail(ErrorCode::io, std::string("lz4: ") + LZ4F_getErrorName(n));
            out.resize(n);
            return out;
        }
    }
    return fail(ErrorCode::invalid_argument, "unknown compression");
}

Result<Bytes> decompress(ByteView bytes, Codec codec) {
    switch (codec) {
        case Codec::gzip:
            return gunzip(bytes);
        case Codec::zstd:
            return unzstd(bytes);
        case Codec::lz4:
            return unlz4(bytes);
    }
    return fail(ErrorCode::invalid_argument, "unknown compression");
}

}  // namespace coapjws::gen
