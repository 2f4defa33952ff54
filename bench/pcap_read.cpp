// coapjws_pcap_read: the "raw libpcap read" baseline of the whole-process
// benchmark (bench/whole_process.sh). It opens the capture the way
// coapjws-scan does (stdio with a 256 KiB buffer, nanosecond timestamps), reads every record with
// pcap_next_ex and sums every byte of it, so the data really is read and the
// loop cannot be optimised away. Nothing else: this is the floor that any
// libpcap-based analyzer pays for the file.
#include <pcap/pcap.h>

#include <cstdint>
#include <cstdio>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: coapjws_pcap_read FILE\n");
        return 2;
    }
    std::FILE* file = std::fopen(argv[1], "rb");
    if (file == nullptr) {
        std::perror(argv[1]);
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
