// Session: `stripped` (spec §6, SPEC-NOTES "Matching"): a request without JWS
// from a client address that earlier sent a protected request to the same
// server endpoint.
#include <gtest/gtest.h>

#include "session_fixture.hpp"

namespace coapjws::test {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class SessionStripped : public SessionScenario {
  protected:
    Bytes plain(std::uint16_t mid) { return encode(get(mid, {static_cast<std::uint8_t>(mid)})); }
};

TEST_F(SessionStripped, PlainRequestFromAnyPortOfAProtectedClient) {
    to_server(signed_get(0x0001, {0x01}, 1));  // frame 1 from 10.0.0.1:40000
    MessageReport r = send(plain(0x0002), ep("10.0.0.1:40001"), server);
    EXPECT_EQ(r.signature, SignatureStatus::none);
    ASSERT_THAT(ids(r), ElementsAre(FindingId::stripped));
    EXPECT_EQ(r.findings[0].message,
              "request without JWS from 10.0.0.1 to 10.0.0.2:5683, which got a protected "
              "request from it in frame 1");
    EXPECT_EQ(r.findings[0].related_frame, 1u);
    EXPECT_EQ(r.findings[0].severity(), Severity::warning);
    EXPECT_THAT(ids(to_server(plain(0x0003))), ElementsAre(FindingId::stripped));
}

TEST_F(SessionStripped, OtherClientsAndOtherServersAreNotConcerned) {
    to_server(signed_get(0x0001, {0x01}, 1));
    EXPECT_THAT(send(plain(0x0002), ep("10.0.0.9:40000"), server).findings, IsEmpty());
    EXPECT_THAT(send(plain(0x0003), client, ep("10.0.0.2:5684")).findings, IsEmpty());
    EXPECT_THAT(send(plain(0x0004), client, ep("10.0.0.3:5683")).findings, IsEmpty());
}

TEST_F(SessionStripped, PlainRequestBeforeAnyProtectedOneIsFine) {
    EXPECT_THAT(to_server(plain(0x0001)).findings, IsEmpty());
    to_server(signed_get(0x0002, {0x02}, 1));
    EXPECT_THAT(ids(to_server(plain(0x0003))), ElementsAre(FindingId::stripped));
}

TEST_F(SessionStripped, OnlyValidOrUnverifiedRequestsProtectThePair) {
    Key impostor = secret_key("client-1", "impostor secret, 32 bytes long!!");
    to_server(sign(get(0x0001, {0x01}), request_header("client-1", 1), impostor));  // invalid
    EXPECT_THAT(to_server(plain(0x0002)).findings, IsEmpty());

    Key unknown = secret_key("client-9", "client-9 secret, 32 bytes long!!");
    MessageReport unverified =
        to_server(sign(get(0x0003, {0x03}), request_header("client-9", 1), unknown));
    ASSERT_EQ(unverified.signature, SignatureStatus::unverified);
    MessageReport r = to_server(plain(0x0004));
    ASSERT_THAT(ids(r), ElementsAre(FindingId::stripped));
    EXPECT_EQ(r.findings[0].related_frame, 3u);
}

TEST_F(SessionStripped, AMalformedJwsOptionIsStillAnOption) {
    to_server(signed_get(0x0001, {0x01}, 1));
    MessageReport r = to_server(with_option_text(get(0x0002, {0x02}), "not a jws"));
    EXPECT_THAT(ids(r), ElementsAre(FindingId::malformed));
}

TEST_F(SessionStripped, RelatedFrameIsTheLatestProtectedRequest) {
    to_server(signed_get(0x0001, {0x01}, 1));
    to_server(signed_get(0x0002, {0x02}, 2));
    MessageReport r = to_server(plain(0x0003));
    ASSERT_THAT(ids(r), ElementsAre(FindingId::stripped));
    EXPECT_EQ(r.findings[0].related_frame, 2u);
}

TEST_F(SessionStripped, RetransmissionIsNotStrippedAgain) {
    to_server(signed_get(0x0001, {0x01}, 1));
    Bytes coap = plain(0x0002);
    EXPECT_THAT(ids(to_server(coap)), ElementsAre(FindingId::stripped));
    MessageReport again = to_server(coap);
    EXPECT_THAT(ids(again), ElementsAre(FindingId::retransmission));
}

TEST_F(SessionStripped, ResponsesAreNeverStripped) {
    to_server(signed_get(0x0001, {0x01}, 1));
    // The server sending a plain request to the client's address is another pair.
    EXPECT_THAT(send(plain(0x0002), server, client).findings, IsEmpty());
}

}  // namespace
}  // namespace coapjws::test
