// Result/Status: a failure carries a code and a message; a failed Status
// converts into any Result<T>; and the engine's failures come with the code
// of their kind, so callers never read message text to decide.
#include <gtest/gtest.h>

#include <string>

#include "coapjws/base64url.hpp"
#include "coapjws/coap_message.hpp"
#include "coapjws/jose_header.hpp"
#include "coapjws/key.hpp"
#include "coapjws/key_loader.hpp"
#include "coapjws/session.hpp"

namespace coapjws {
namespace {

Status fails_with(ErrorCode code) {
    return fail(code, "because");
}

// The shape the conversion exists for: a Status forwarded as a Result<T>.
Result<int> forwards(ErrorCode code) {
    if (Status s = fails_with(code); !s)
        return s;
    return 1;
}

// And a Result<U>'s failure forwarded as a Result<T>.
Result<std::string> forwards_result(bool ok) {
    Result<int> inner = ok ? Result<int>(7) : Result<int>(fail(ErrorCode::too_large, "big"));
    if (!inner)
        return inner.status();
    return std::to_string(*inner);
}

TEST(Result, FailedStatusConvertsIntoAnyResult) {
    const Result<int> r = forwards(ErrorCode::unsupported);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.code(), ErrorCode::unsupported);
    EXPECT_EQ(r.message(), "because");

    const Result<std::string> s = forwards_result(false);
    ASSERT_FALSE(s);
    EXPECT_EQ(s.code(), ErrorCode::too_large);
    EXPECT_EQ(s.message(), "big");
    const Result<std::string> t = forwards_result(true);
    ASSERT_TRUE(t);
    EXPECT_EQ(*t, "7");
    EXPECT_TRUE(t.status().ok());
}

TEST(Result, DefaultStatusIsSuccess) {
    const Status ok;
    EXPECT_TRUE(ok.ok());
    EXPECT_TRUE(static_cast<bool>(ok));
    const Status failed = fail(ErrorCode::io, "disk");
    EXPECT_FALSE(failed.ok());
    EXPECT_EQ(failed.code(), ErrorCode::io);
}

TEST(Result, CodesHaveStableNames) {
    EXPECT_EQ(to_string(ErrorCode::invalid_argument), "invalid-argument");
    EXPECT_EQ(to_string(ErrorCode::malformed), "malformed");
    EXPECT_EQ(to_string(ErrorCode::unsupported), "unsupported");
    EXPECT_EQ(to_string(ErrorCode::refused), "refused");
    EXPECT_EQ(to_string(ErrorCode::too_large), "too-large");
    EXPECT_EQ(to_string(ErrorCode::not_found), "not-found");
    EXPECT_EQ(to_string(ErrorCode::io), "io");
    EXPECT_EQ(to_string(ErrorCode::crypto), "crypto");
    EXPECT_EQ(to_string(ErrorCode::internal), "internal");
}

// The engine's failures, each with the code of its kind.
TEST(ErrorCodes, BrokenInputIsMalformed) {
    EXPECT_EQ(base64url_decode("a=").code(), ErrorCode::malformed);
    EXPECT_EQ(parse_coap(Bytes{0x80}, CoapFraming::udp).code(), ErrorCode::malformed);
    EXPECT_EQ(parse_jose_header("{\"alg\":1}").code(), ErrorCode::malformed);
    EXPECT_EQ(Key::from_jwk("[]").code(), ErrorCode::malformed);
}

TEST(ErrorCodes, OutOfRangeHeaderSeqIsTooLarge) {
    EXPECT_EQ(parse_jose_header("{\"alg\":\"HS256\",\"seq\":4294967296}").code(),
              ErrorCode::too_large);
}

TEST(ErrorCodes, UnsupportedAndRefusedKeys) {
    EXPECT_EQ(Key::from_jwk(R"({"kty":"EC","crv":"P-192","x":"AA","y":"AA"})").code(),
              ErrorCode::unsupported);
    EXPECT_EQ(Key::from_jwk(R"({"kty":"oct","k":"c2VjcmV0","alg":"none"})").code(),
              ErrorCode::refused);
}

TEST(ErrorCodes, BadConfigurationIsInvalidArgument) {
    SessionConfig config;
    config.window = 0;
    EXPECT_EQ(config.validate().code(), ErrorCode::invalid_argument);
    EXPECT_EQ(Session::create(config).code(), ErrorCode::invalid_argument);
}

TEST(ErrorCodes, MissingKeyFileIsNotFound) {
    const Result<KeyStore> keys = load_jwks_file_strict("/nonexistent/coapjws/keys.jwks");
    ASSERT_FALSE(keys);
    EXPECT_EQ(keys.code(), ErrorCode::not_found);
    EXPECT_NE(keys.message().find("/nonexistent/coapjws/keys.jwks"), std::string::npos);
}

}  // namespace
}  // namespace coapjws
