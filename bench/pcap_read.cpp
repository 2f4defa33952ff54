// coapjws_pcap_read: the "raw libpcap read" baseline of the whole-process
// benchmark (bench/whole_process.sh). It opens the capture the way
// coapjws-scan does (stdio with a 256 KiB buffer, nanosecond timestamps), reads every record with
// pcap_next_ex and sums every byte of it, so the data really is read and the
// loop cannot be optimised away. Nothing else: this is the floor that any
// libpcap-based analyzer pays for the file.
//
// With --hmac it is the floor of HMAC traffic (issue 15): the same read plus
// one HMAC-SHA-256 per record over the record's bytes (about the size of a
// message's signing input), with one keyed OpenSSL context restarted per
// record, the way coapjws-scan verifies. The crypto no analyzer can skip.
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <pcap/pcap.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>

namespace {

struct MacDeleter {
    void operator()(EVP_MAC* mac) const { EVP_MAC_free(mac); }
    void operator()(EVP_MAC_CTX* ctx) const { EVP_MAC_CTX_free(ctx); }
};

// A context keyed once with a fixed 256-bit secret.
std::unique_ptr<EVP_MAC_CTX, MacDeleter> hmac_context() {
    std::unique_ptr<EVP_MAC, MacDeleter> mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
    if (!mac)
        return nullptr;
    std::unique_ptr<EVP_MAC_CTX, MacDeleter> ctx(EVP_MAC_CTX_new(mac.get()));
    static const unsigned char secret[32] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11,
                                             12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
                                             23, 24, 25, 26, 27, 28, 29, 30, 31, 32};
    char digest[] = "SHA256";
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                           OSSL_PARAM_construct_end()};
    if (!ctx || EVP_MAC_init(ctx.get(), secret, sizeof secret, params) != 1)
        return nullptr;
    return ctx;
}

}  // namespace

int main(int argc, char** argv) {
    const bool hmac = argc == 3 && std::strcmp(argv[1], "--hmac") == 0;
    if (argc != 2 && !hmac) {
        std::fprintf(stderr, "usage: coapjws_pcap_read [--hmac] FILE\n");
        return 2;
    }
    const char* path = argv[argc - 1];
    std::unique_ptr<EVP_MAC_CTX, MacDeleter> ctx;
    if (hmac && !(ctx = hmac_context())) {
        std::fprintf(stderr, "coapjws_pcap_read: no HMAC from OpenSSL\n");
        return 2;
    }
    std::FILE* file = std::fopen(path, "rb");
    if (file == nullptr) {
        std::perror(path);
        return 2;
    }
    std::setvbuf(file, nullptr, _IOFBF, 1u << 18);
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    pcap_t* p = pcap_fopen_offline_with_tstamp_precision(file, PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (p == nullptr) {
        std::fprintf(stderr, "coapjws_pcap_read: %s\n", errbuf);
        std::fclose(file);
        return 2;
    }
    std::uint64_t records = 0;
    std::uint64_t sum = 0;
    pcap_pkthdr* header = nullptr;
    const u_char* data = nullptr;
    int rc = 0;
    while ((rc = pcap_next_ex(p, &header, &data)) == 1) {
        ++records;
        for (bpf_u_int32 i = 0; i < header->caplen; ++i)
            sum += data[i];
        if (ctx) {
            unsigned char out[EVP_MAX_MD_SIZE];
            std::size_t length = 0;
            if (EVP_MAC_init(ctx.get(), nullptr, 0, nullptr) != 1 ||
                EVP_MAC_update(ctx.get(), data, header->caplen) != 1 ||
                EVP_MAC_final(ctx.get(), out, &length, sizeof out) != 1) {
                std::fprintf(stderr, "coapjws_pcap_read: HMAC failed\n");
                pcap_close(p);
                return 2;
            }
            sum += out[0];
        }
    }
    if (rc == PCAP_ERROR) {
        std::fprintf(stderr, "coapjws_pcap_read: %s\n", pcap_geterr(p));
        pcap_close(p);
        return 2;
    }
    pcap_close(p);
    std::printf("%llu records, byte sum %llu\n", static_cast<unsigned long long>(records),
                static_cast<unsigned long long>(sum));
    return 0;
}
