// Hand-made engine reports for testing the output writers without a capture.
#pragma once

#include <cstdio>
#include <string>

#include "capture_summary.hpp"
#include "coapjws/session.hpp"
#include "coapjws/stream_table.hpp"
#include "ordered_output.hpp"

namespace coapjws::scan::test {

inline Endpoint endpoint(const char* text) {
    auto e = Endpoint::parse(text);
    return e ? *e : Endpoint{};
}

inline MessageReport report(std::uint32_t frame, const char* src, const char* dst,
                            SignatureStatus status, std::optional<Tid> tid,
                            std::initializer_list<Finding> findings = {}) {
    MessageReport r;
    r.frame = frame;
    r.time_ns = 1'700'000'000'000'000'000 + std::int64_t{frame} * 1'000'000;
    r.src = endpoint(src);
    r.dst = endpoint(dst);
    r.kind = MessageKind::request;
    r.code = 0x01;
    r.coap_valid = true;
    r.signature = status;
    if (tid)
        r.key_id = tid->key_id;
    r.tid = std::move(tid);
    r.findings = findings;
    return r;
}

// Collects what a writer produced through an OrderedOutput into a string.
class CapturedOutput {
  public:
    CapturedOutput() : file_(std::tmpfile()), output_(file_, 1) {}
    ~CapturedOutput() { std::fclose(file_); }
    OrderedOutput::Channel& channel() { return output_.channel(0); }
    OrderedOutput& output() { return output_; }
    std::string text() {
        output_.channel(0).close();
        output_.finish();
        std::rewind(file_);
        std::string s;
        char buf[4096];
        std::size_t n;
        while ((n = std::fread(buf, 1, sizeof buf, file_)) > 0)
            s.append(buf, n);
        return s;
    }

  private:
    std::FILE* file_;
    OrderedOutput output_;
};

}  // namespace coapjws::scan::test
