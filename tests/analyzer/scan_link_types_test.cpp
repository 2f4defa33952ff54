// End to end: the same conversation in every link type, both IP versions and
// every file format gives the findings the wire profile predicts.
#include <pcap/dlt.h>

#include "scan_fixture.hpp"

namespace coapjws::scan::test {
namespace {

struct Variant {
    Link link;
    Family family;
    CaptureFormat format;
};

std::string name_of(const Variant& v) {
    return to_string(v.link) + (v.family == Family::v4 ? "_v4_" : "_v6_") +
           std::to_string(static_cast<int>(v.format));
}

class LinkTypes : public ScanTest, public ::testing::WithParamInterface<Variant> {};

TEST_P(LinkTypes, FindingsAsTheProfileSays) {
    const Variant v = GetParam();
    Scenario s = basic_scenario(v.family);
    const std::string capture = write_capture("c.cap", s.traffic.capture(v.format, v.link));
    const std::string keys = write_text("keys.jwks", s.keys_json);

    JsonReport with = json({"--messages", "--keys", keys, capture});
    ASSERT_EQ(with.files, std::vector<std::string>{capture});
    expect_matches(with.file(capture), s.with_keys, name_of(v) + " with keys");

    JsonReport without = json({"--messages", capture});
    expect_matches(without.file(capture), s.without_keys, name_of(v) + " without keys");
}

std::vector<Variant> variants() {
    std::vector<Variant> out;
    for (Link link : {Link::ethernet, Link::ethernet_vlan, Link::ethernet_qinq, Link::linux_sll,
                      Link::linux_sll2, Link::raw, Link::null_le, Link::null_be, Link::loop}) {
        for (Family f : {Family::v4, Family::v6}) {
            out.push_back({link, f, CaptureFormat::pcap_us});
        }
    }
    out.push_back({Link::ipv4_linktype, Family::v4, CaptureFormat::pcap_ns});
    out.push_back({Link::ipv6_linktype, Family::v6, CaptureFormat::pcap_ns});
    for (Family f : {Family::v4, Family::v6}) {
        out.push_back({Link::ethernet, f, CaptureFormat::pcapng});
        out.push_back({Link::linux_sll2, f, CaptureFormat::pcapng_us});
        out.push_back({Link::raw, f, CaptureFormat::pcap_us_swapped});
    }
    return out;
}

INSTANTIATE_TEST_SUITE_P(All, LinkTypes, ::testing::ValuesIn(variants()),
                         [](const ::testing::TestParamInfo<Variant>& p) {
                             return name_of(p.param);
                         });

TEST_F(ScanTest, EndpointsAndTimeAsDocumented) {
    Scenario s = basic_scenario(Family::v6);
    const std::string capture =
        write_capture("v6.pcap", s.traffic.capture(CaptureFormat::pcap_ns, Link::raw));
    ScanRun run;
    json({capture}, &run);
    // Frame 11 (stripped) was sent 110 ms after t0 from [2001:db8::1]:40000.
    auto lines = split_lines(run.out);
    auto stripped = std::find_if(lines.begin(), lines.end(), [](const std::string& l) {
        return l.find("\"stripped\"") != std::string::npos;
    });
    ASSERT_NE(stripped, lines.end()) << run.out;
    EXPECT_NE(stripped->find("\"time\":\"1700000000.110000000\""), std::string::npos) << *stripped;
    EXPECT_NE(stripped->find("\"src\":\"[2001:db8::1]:40000\""), std::string::npos) << *stripped;
    EXPECT_NE(stripped->find("\"dst\":\"[2001:db8::2]:5683\""), std::string::npos) << *stripped;
    EXPECT_NE(stripped->find("\"tid\":null"), std::string::npos) << *stripped;
}

// One conversation captured on two interfaces of different link types (a
// merged pcapng): the same findings as from one link type, in frame order.
TEST_F(ScanTest, MixedLinkTypesPerInterface) {
    Scenario s = basic_scenario(Family::v4);
    const auto sll = s.traffic.records(Link::linux_sll);
    const auto eth = s.traffic.records(Link::ethernet);
    std::vector<TestRecord> mixed;
    for (std::size_t i = 0; i < eth.size(); ++i) {
        TestRecord r = i % 2 == 0 ? sll[i] : eth[i];
        r.interface = i % 2 == 0 ? 0 : 1;
        mixed.push_back(r);
    }
    // A third interface of a link type the scanner cannot read, with one record.
    TestRecord wifi = eth[0];
    wifi.interface = 2;
    wifi.time_ns = eth.back().time_ns + 1'000'000;
    mixed.push_back(wifi);
    const std::uint32_t links[] = {DLT_LINUX_SLL, DLT_EN10MB, DLT_IEEE802_11};
    const std::string capture = write_capture("mixed.pcapng", make_pcapng(links, mixed));
    const std::string keys = write_text("keys.jwks", s.keys_json);
    ScanRun run;
    JsonReport r = json({"--messages", "--keys", keys, capture}, &run);
    EXPECT_EQ(run.status, 1) << run.err;  // findings, not an input error
    Expected want = s.with_keys;
    want.packets += 1;
    expect_matches(r.file(capture), want, "mixed link types");
    EXPECT_EQ(r.file(capture).summary->counts.at("unsupported_link_records"), 1u);
    // The 802.11 record was not analysed: said as such, naming its type.
    EXPECT_EQ(r.file(capture).unanalysed.at("unsupported-link-records"), 1u);
    EXPECT_EQ(r.file(capture).summary->unanalysed.at("unsupported-link-records"), 1u);
    const ScanRun text = run_scan_binary({"--keys", keys, capture});
    EXPECT_NE(text.out.find("warning: not analysed: 1 record of an unsupported link type (IEEE "
                            "802.11 Wireless LAN)"),
              std::string::npos)
        << text.out;
}

// Wireshark opens gzip, zstd and lz4 captures as they are; so does the scanner.
TEST_F(ScanTest, CompressedCaptures) {
    Scenario s = basic_scenario(Family::v6);
    const Bytes plain = s.traffic.capture(CaptureFormat::pcapng, Link::ethernet);
    const std::string keys = write_text("keys.jwks", s.keys_json);
    for (auto [compression, name] :
         {std::pair{Compression::gzip, "c.pcapng.gz"}, std::pair{Compression::zstd, "c.pcapng.zst"},
          std::pair{Compression::lz4, "c.pcapng.lz4"}}) {
        const std::string capture = write_capture(name, compress(plain, compression));
        JsonReport r = json({"--messages", "--keys", keys, capture});
        expect_matches(r.file(capture), s.with_keys, name);
    }
}

TEST_F(ScanTest, UnsupportedLinkTypeIsAnInputError) {
    Scenario s = basic_scenario(Family::v4);
    auto records = s.traffic.records(Link::raw);
    const std::string capture =
        write_capture("wifi.pcap", make_capture(CaptureFormat::pcap_us, DLT_IEEE802_11, records));
    ScanRun run = run_scan_binary({capture});
    EXPECT_EQ(run.status, 2);
    EXPECT_NE(run.err.find("wifi.pcap"), std::string::npos) << run.err;
    EXPECT_NE(run.err.find("link-layer type 105"), std::string::npos) << run.err;
}

TEST_F(ScanTest, SnappedPacketsAreCountedNotMalformed) {
    // A snapshot length of 60 cuts every CoAP message of the conversation.
    Scenario s = basic_scenario(Family::v4);
    auto records = s.traffic.records(Link::ethernet);
    for (auto& r : records) {
        r.wire_length = static_cast<std::uint32_t>(r.data.size());
        if (r.data.size() > 60)
            r.data.resize(60);
    }
    const std::string capture =
        write_capture("snap.pcap", make_capture(CaptureFormat::pcap_us, DLT_EN10MB, records, 60));
    ScanRun run;
    JsonReport r = json({capture}, &run);
    const FileReport& f = r.file(capture);
    ASSERT_TRUE(f.summary);
    EXPECT_TRUE(f.findings.empty());
    EXPECT_GT(f.summary->snapped, 0u);
    EXPECT_EQ(run.status, 0);
}

}  // namespace
}  // namespace coapjws::scan::test
