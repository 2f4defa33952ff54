// manifest_check MANIFEST...: the engine check of engine_manifest_test as a
// command, for captures made at test time (tests/interop) and by hand.
// Exit 0 when every frame agrees, 1 on a difference, 2 when a check cannot run.
#include <iostream>

#include "engine_check.hpp"
#include "manifest.hpp"

int main(int argc, char** argv) {
    using namespace coapjws::test;
    if (argc < 2) {
        std::cerr << "usage: manifest_check MANIFEST.expected.json...\n";
        return 2;
    }
    int status = 0;
    for (int i = 1; i < argc; ++i) {
        ExpectedCapture manifest;
        std::string error;
        if (!read_manifest(argv[i], manifest, error)) {
            std::cerr << error << "\n";
            return 2;
        }
        EngineCheck check = check_with_engine(manifest);
        if (!check.error.empty()) {
            std::cerr << check.error << "\n";
            return 2;
        }
        for (const auto& m : check.mismatches) {
            status = 1;
            std::cout << "DIFF " << where(manifest, m) << "\n";
            if (m.expected)
                std::cout << "  expected " << describe(*m.expected) << "\n";
            if (m.analysed)
                std::cout << "  engine   " << describe(m.actual) << "\n";
        }
        std::cout << (check.mismatches.empty() ? "ok   " : "FAIL ") << argv[i] << " ("
                  << check.frames_checked << " CoAP frames)\n";
    }
    return status;
}
