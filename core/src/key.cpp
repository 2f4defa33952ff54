#include "coapjws/key.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <rapidjson/document.h>

#include <array>
#include <climits>
#include <cstring>
#include <unordered_set>

#include "coapjws/base64url.hpp"
#include "eddsa_point.hpp"
#include "finding_text.hpp"
#include "hmac_contexts.hpp"
#include "jwk.hpp"
#include "key_internal.hpp"
#include "openssl_methods.hpp"
#include "openssl_ptr.hpp"

namespace coapjws {

// ---------------------------------------------------------------------------
// Names

std::string_view to_string(KeyType type) {
    switch (type) {
        case KeyType::oct:
            return "oct";
        case KeyType::ec:
            return "EC";
        case KeyType::rsa:
            return "RSA";
        case KeyType::okp:
            return "OKP";
    }
    return "?";
}

std::string_view to_string(Curve curve) {
    switch (curve) {
        case Curve::none:
            return "";
        case Curve::p256:
            return "P-256";
        case Curve::p384:
            return "P-384";
        case Curve::p521:
            return "P-521";
        case Curve::ed25519:
            return "Ed25519";
        case Curve::ed448:
            return "Ed448";
    }
    return "?";
}

// ---------------------------------------------------------------------------
// SecretBytes

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
    if (this != &other) {
        if (!bytes_.empty())
            OPENSSL_cleanse(bytes_.data(), bytes_.size());
        bytes_ = std::move(other.bytes_);
    }
    return *this;
}

SecretBytes::~SecretBytes() {
    if (!bytes_.empty())
        OPENSSL_cleanse(bytes_.data(), bytes_.size());
}

// ---------------------------------------------------------------------------
// Shared rules

namespace detail {

bool key_type_fits(KeyType type, Curve curve, Algorithm alg) {
    switch (algorithm_family(alg)) {
        case AlgorithmFamily::hmac:
            return type == KeyType::oct;
        case AlgorithmFamily::ecdsa:
            if (type != KeyType::ec)
                return false;
            switch (alg) {
                case Algorithm::ES256:
                    return curve == Curve::p256;
                case Algorithm::ES384:
                    return curve == Curve::p384;
                case Algorithm::ES512:
                    return curve == Curve::p521;
                default:
                    return false;
            }
        case AlgorithmFamily::eddsa:
            return type == KeyType::okp && (curve == Curve::ed25519 || curve == Curve::ed448);
        case AlgorithmFamily::rsa_pkcs1:
        case AlgorithmFamily::rsa_pss:
            return type == KeyType::rsa;
    }
    return false;
}

std::string key_kind(const Key& key) {
    std::string out(to_string(key.type()));
    switch (key.type()) {
        case KeyType::oct:
            break;
        case KeyType::rsa:
            out += ' ' + std::to_string(key.bits()) + " bits";
            break;
        case KeyType::ec:
        case KeyType::okp:
            out += ' ';
            out += to_string(key.curve());
            break;
    }
    return out;
}

}  // namespace detail

namespace {

// A JSON value in an error message is cut short, so that a long value
// (perhaps a secret put in the wrong member) is never echoed whole.
std::string quote(std::string_view text) {
    constexpr std::size_t max_shown = 24;
    return detail::quoted(text, max_shown);
}

struct EcCurveInfo {
    Curve curve;
    std::string_view jwk_name;
    const char* group;  // OpenSSL group name
    std::size_t bytes;  // field (and scalar) size in bytes
    unsigned bits;
};

constexpr EcCurveInfo ec_curves[] = {
    {Curve::p256, "P-256", "prime256v1", 32, 256},
    {Curve::p384, "P-384", "secp384r1", 48, 384},
    {Curve::p521, "P-521", "secp521r1", 66, 521},
};

struct OkpCurveInfo {
    Curve curve;
    std::string_view jwk_name;
    const char* type;   // OpenSSL key type name
    std::size_t bytes;  // public and private key size (RFC 8032)
    unsigned bits;      // field size
};

constexpr OkpCurveInfo okp_curves[] = {
    {Curve::ed25519, "Ed25519", "ED25519", 32, 255},
    {Curve::ed448, "Ed448", "ED448", 57, 448},
};

const EcCurveInfo* ec_curve(Curve curve) {
    for (const auto& info : ec_curves) {
        if (info.curve == curve)
            return &info;
    }
    return nullptr;
}

const OkpCurveInfo* okp_curve(Curve curve) {
    for (const auto& info : okp_curves) {
        if (info.curve == curve)
            return &info;
    }
    return nullptr;
}

using BioPtr = std::unique_ptr<BIO, ossl::Deleter<BIO, BIO_free_all>>;
using X509Ptr = std::unique_ptr<X509, ossl::Deleter<X509, X509_free>>;

// Private key members never appear in messages, not even a character of them.
bool is_secret_member(std::string_view name) {
    return name == "k" || name == "d" || name == "p" || name == "q" || name == "dp" ||
           name == "dq" || name == "qi";
}

// ---------------------------------------------------------------------------
// Reading a JWK object

class JwkReader {
  public:
    explicit JwkReader(const rapidjson::Value& jwk) : jwk_(jwk) {}

    // Every member name once: a JWK with two "d" (or two "kid") members is
    // ambiguous, and different parsers would pick different ones.
    Status check_unique_names() const {
        std::unordered_set<std::string_view> seen;
        for (auto it = jwk_.MemberBegin(); it != jwk_.MemberEnd(); ++it) {
            if (!seen.insert(name_of(it->name)).second)
                return fail(ErrorCode::malformed,
                            "member " + quote(name_of(it->name)) + " appears twice");
        }
        return {};
    }

    // RFC 7517 §4.2, §4.3: "use" a string; "key_ops" an array of distinct
    // strings. What they allow is the loader's business (key_loader.cpp).
    Status check_usage_members() const {
        std::optional<std::string_view> use;
        if (auto s = optional_string("use", use); !s)
            return s;
        auto ops = jwk_.FindMember("key_ops");
        if (ops == jwk_.MemberEnd())
            return {};
        if (!ops->value.IsArray())
            return fail(ErrorCode::malformed, "key_ops is not an array");
        std::unordered_set<std::string_view> seen;
        for (const auto& op : ops->value.GetArray()) {
            if (!op.IsString())
                return fail(ErrorCode::malformed, "key_ops holds a value that is not a string");
            if (!seen.insert(name_of(op)).second)
                return fail(ErrorCode::malformed, "key_ops lists " + quote(name_of(op)) + " twice");
        }
        return {};
    }

    // Absent: nullopt. Present but not a string: an error.
    Status optional_string(std::string_view name, std::optional<std::string_view>& out) const {
        out.reset();
        auto it = jwk_.FindMember(rapidjson::StringRef(name.data(), name.size()));
        if (it == jwk_.MemberEnd())
            return {};
        if (!it->value.IsString())
            return fail(ErrorCode::malformed, std::string(name) + " is not a string");
        out = std::string_view(it->value.GetString(), it->value.GetStringLength());
        return {};
    }

    Status required_string(std::string_view name, std::string_view& out) const {
        std::optional<std::string_view> value;
        if (auto status = optional_string(name, value); !status)
            return status;
        if (!value)
            return fail(ErrorCode::malformed, std::string(name) + " is missing");
        out = *value;
        return {};
    }

    bool has(std::string_view name) const {
        return jwk_.FindMember(rapidjson::StringRef(name.data(), name.size())) != jwk_.MemberEnd();
    }

    // Decodes a base64url member. Errors for private members say only that the
    // text is not base64url: the decoder's detail would quote a character.
    Status bytes(std::string_view name, std::optional<SecretBytes>& out) const {
        out.reset();
        std::optional<std::string_view> text;
        if (auto status = optional_string(name, text); !status)
            return status;
        if (!text)
            return {};
        Bytes decoded;
        Status status = base64url_decode_into(*text, decoded);
        SecretBytes wiped(std::move(decoded));  // wiped even on failure
        if (!status) {
            if (is_secret_member(name))
                return fail(ErrorCode::malformed, std::string(name) + " is not valid base64url");
            return fail(ErrorCode::malformed,
                        std::string(name) + " is not valid base64url: " + status.error().message);
        }
        if (wiped.empty())
            return fail(ErrorCode::malformed, std::string(name) + " is empty");
        out.emplace(std::move(wiped));
        return {};
    }

    Status required_bytes(std::string_view name, std::optional<SecretBytes>& out) const {
        if (auto status = bytes(name, out); !status)
            return status;
        if (!out)
            return fail(ErrorCode::malformed, std::string(name) + " is missing");
        return {};
    }

  private:
    static std::string_view name_of(const rapidjson::Value& v) {
        return {v.GetString(), v.GetStringLength()};
    }
    const rapidjson::Value& jwk_;
};

Status check_length(std::string_view member, const SecretBytes& value, std::size_t expected,
                    std::string_view curve) {
    if (value.size() == expected)
        return {};
    return fail(ErrorCode::malformed, std::string(member) + " is " + std::to_string(value.size()) +
                                          " bytes long, " + std::string(curve) + " needs " +
                                          std::to_string(expected));
}

// BIGNUM from big-endian bytes; private components go in secure, wiped memory.
ossl::SecretBignumPtr make_bignum(ByteView bytes, bool secret) {
    ossl::SecretBignumPtr bn(secret ? BN_secure_new() : BN_new());
    if (!bn)
        return bn;
    if (!BN_bin2bn(bytes.data(), static_cast<int>(bytes.size()), bn.get()))
        bn.reset();
    return bn;
}

Result<ossl::PkeyPtr> pkey_fromdata(const char* type, int selection, OSSL_PARAM_BLD* bld) {
    ossl::ParamPtr params(OSSL_PARAM_BLD_to_param(bld));
    ossl::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
    EVP_PKEY* raw = nullptr;
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0 ||
        EVP_PKEY_fromdata(ctx.get(), &raw, selection, params.get()) <= 0) {
        return fail(ErrorCode::malformed, ossl::last_error());
    }
    return ossl::PkeyPtr(raw);
}

// Full public-key check, or public + private + pairwise when private.
bool pkey_consistent(EVP_PKEY* pkey, bool is_private) {
    ossl::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr));
    bool ok = ctx && (is_private ? EVP_PKEY_pairwise_check(ctx.get())
                                 : EVP_PKEY_public_check(ctx.get())) == 1;
    ERR_clear_error();
    return ok;
}

using BnCtxPtr = std::unique_ptr<BN_CTX, ossl::Deleter<BN_CTX, BN_CTX_free>>;

// The private members of an RSA JWK belong to (n, e): (m^e)^d = m mod n for
// two bases, and, when the CRT members are given (p, q, dp, dq, qi), p q = n,
// dp = d mod (p - 1), dq = d mod (q - 1) and qi q = 1 mod p (RFC 8017 §3.2).
// BIGNUM arithmetic, with the secret exponent under BN_FLG_CONSTTIME.
Status check_rsa_private(const BIGNUM* n, const BIGNUM* e, BIGNUM* d, ossl::SecretBignumPtr* crt) {
    BnCtxPtr ctx(BN_CTX_secure_new());
    ossl::SecretBignumPtr m(BN_secure_new()), c(BN_secure_new()), back(BN_secure_new());
    if (!ctx || !m || !c || !back)
        return fail(ErrorCode::crypto, "cannot check the RSA key: " + ossl::last_error());
    BN_set_flags(d, BN_FLG_CONSTTIME);
    const BN_ULONG bases[] = {2, 3};
    for (BN_ULONG base : bases) {
        if (BN_set_word(m.get(), base) != 1 || BN_mod(m.get(), m.get(), n, ctx.get()) != 1 ||
            BN_mod_exp(c.get(), m.get(), e, n, ctx.get()) != 1 ||
            BN_mod_exp(back.get(), c.get(), d, n, ctx.get()) != 1) {
            return fail(ErrorCode::crypto, "cannot check the RSA key: " + ossl::last_error());
        }
        if (BN_cmp(back.get(), m.get()) != 0)
            return fail(ErrorCode::refused, "d is not the private exponent of n and e");
    }
    if (crt == nullptr)
        return {};
    const BIGNUM* p = crt[0].get();
    const BIGNUM* q = crt[1].get();
    ossl::SecretBignumPtr product(BN_secure_new()), p1(BN_secure_new()), q1(BN_secure_new()),
        reduced(BN_secure_new());
    if (!product || !p1 || !q1 || !reduced || BN_mul(product.get(), p, q, ctx.get()) != 1 ||
        BN_sub(p1.get(), p, BN_value_one()) != 1 || BN_sub(q1.get(), q, BN_value_one()) != 1) {
        return fail(ErrorCode::crypto, "cannot check the RSA key: " + ossl::last_error());
    }
    if (BN_cmp(product.get(), n) != 0)
        return fail(ErrorCode::refused, "p and q are not the factors of n");
    if (BN_is_zero(p1.get()) || BN_is_zero(q1.get()))
        return fail(ErrorCode::refused, "p and q are not the factors of n");
    auto differs_mod = [&](const BIGNUM* value, const BIGNUM* modulus) {
        return BN_mod(reduced.get(), d, modulus, ctx.get()) != 1 ||
               BN_cmp(reduced.get(), value) != 0;
    };
    if (differs_mod(crt[2].get(), p1.get()))
        return fail(ErrorCode::refused, "dp is not d mod (p - 1)");
    if (differs_mod(crt[3].get(), q1.get()))
        return fail(ErrorCode::refused, "dq is not d mod (q - 1)");
    if (BN_mod_mul(reduced.get(), crt[4].get(), q, p, ctx.get()) != 1 || !BN_is_one(reduced.get()))
        return fail(ErrorCode::refused, "qi is not the inverse of q mod p");
    return {};
}

int no_password(char*, int, int, void*) {
    return -1;
}

}  // namespace

// ---------------------------------------------------------------------------
// Builders (friends of Key)

struct detail::KeyAccess {
    static Result<Key> oct(SecretBytes secret) {
        if (secret.empty())
            return fail(ErrorCode::malformed, "the secret is empty");
        Key key;
        key.type_ = KeyType::oct;
        key.bits_ = static_cast<unsigned>(secret.size() * 8);
        key.secret_ = std::move(secret);
        key.hmac_id_ = detail::HmacId(detail::new_hmac_id());
        // One MAC now: proves OpenSSL can do it (an error here beats every
        // message failing later) and leaves a keyed HS256 context cached.
        std::array<unsigned char, EVP_MAX_MD_SIZE> probe;
        const std::size_t length =
            detail::hmac_compute(key.hmac_id_.value(), 256, key.secret_.view(), {}, probe);
        OPENSSL_cleanse(probe.data(), probe.size());
        if (length == 0)
            return fail(ErrorCode::crypto, "cannot set up HMAC: " + ossl::last_error());
        return key;
    }

    // Classifies an OpenSSL key (from PEM or the generator).
    static Result<Key> from_pkey(ossl::PkeyPtr pkey, bool is_private) {
        Key key;
        key.private_ = is_private;
        if (EVP_PKEY_is_a(pkey.get(), "EC")) {
            char group[64] = {};
            std::size_t length = 0;
            if (EVP_PKEY_get_group_name(pkey.get(), group, sizeof group, &length) != 1) {
                return fail(ErrorCode::malformed, "EC key without a named curve");
            }
            const EcCurveInfo* info = nullptr;
            for (const auto& c : ec_curves) {
                if (std::strcmp(c.group, group) == 0)
                    info = &c;
            }
            if (!info)
                return fail(ErrorCode::unsupported,
                            "EC curve " + std::string(group) + " is not supported");
            key.type_ = KeyType::ec;
            key.curve_ = info->curve;
            key.bits_ = info->bits;
        } else if (EVP_PKEY_is_a(pkey.get(), "RSA")) {
            key.type_ = KeyType::rsa;
            key.bits_ = static_cast<unsigned>(EVP_PKEY_get_bits(pkey.get()));
        } else if (EVP_PKEY_is_a(pkey.get(), "ED25519") || EVP_PKEY_is_a(pkey.get(), "ED448")) {
            const OkpCurveInfo* info =
                okp_curve(EVP_PKEY_is_a(pkey.get(), "ED25519") ? Curve::ed25519 : Curve::ed448);
            // OpenSSL imports any 32 or 57 bytes: the RFC 8032 checks are ours.
            unsigned char raw[57];
            std::size_t length = sizeof raw;
            if (EVP_PKEY_get_raw_public_key(pkey.get(), raw, &length) != 1)
                return fail(ErrorCode::malformed,
                            "cannot read the " + std::string(info->jwk_name) + " public key");
            if (auto s = check_eddsa_public_key(info->curve, ByteView(raw, length)); !s)
                return s.error();
            key.type_ = KeyType::okp;
            key.curve_ = info->curve;
            key.bits_ = info->bits;
        } else {
            const char* name = EVP_PKEY_get0_type_name(pkey.get());
            return fail(ErrorCode::unsupported,
                        std::string("key type ") + (name ? name : "?") +
                            " is not supported (EC, RSA, Ed25519 or Ed448)");
        }
        key.pkey_ = std::move(pkey);
        return key;
    }

    static Result<Key> ec(const JwkReader& jwk) {
        std::string_view crv;
        if (auto s = jwk.required_string("crv", crv); !s)
            return s.error();
        const EcCurveInfo* info = nullptr;
        for (const auto& c : ec_curves) {
            if (c.jwk_name == crv)
                info = &c;
        }
        if (!info)
            return fail(ErrorCode::unsupported,
                        "crv " + quote(crv) + " is not supported (P-256, P-384, P-521)");

        std::optional<SecretBytes> x, y, d;
        if (auto s = jwk.required_bytes("x", x); !s)
            return s.error();
        if (auto s = jwk.required_bytes("y", y); !s)
            return s.error();
        if (auto s = jwk.bytes("d", d); !s)
            return s.error();
        if (auto s = check_length("x", *x, info->bytes, info->jwk_name); !s) {
            return s.error();
        }
        if (auto s = check_length("y", *y, info->bytes, info->jwk_name); !s) {
            return s.error();
        }
        if (d) {
            if (auto s = check_length("d", *d, info->bytes, info->jwk_name); !s) {
                return s.error();
            }
        }

        // Uncompressed point: 0x04 || x || y (SEC 1 §2.3.3).
        Bytes point;
        point.reserve(1 + 2 * info->bytes);
        point.push_back(0x04);
        point.insert(point.end(), x->view().begin(), x->view().end());
        point.insert(point.end(), y->view().begin(), y->view().end());

        ossl::ParamBldPtr bld(OSSL_PARAM_BLD_new());
        ossl::SecretBignumPtr priv;
        if (d)
            priv = make_bignum(d->view(), true);
        if (!bld || (d && !priv) ||
            !OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, info->group,
                                             0) ||
            !OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                              point.size()) ||
            (priv && !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, priv.get()))) {
            return fail(ErrorCode::crypto, "cannot build the EC key: " + ossl::last_error());
        }
        auto pkey = pkey_fromdata("EC", d ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, bld.get());
        // OpenSSL refuses a point that is not on the curve while importing it;
        // the explicit check below also covers the private scalar.
        if (!pkey || !pkey_consistent(pkey->get(), false)) {
            ERR_clear_error();
            return fail(ErrorCode::refused,
                        "x, y is not a point on " + std::string(info->jwk_name));
        }
        if (d && !pkey_consistent(pkey->get(), true)) {
            return fail(ErrorCode::refused, "d is not the private key of the point x, y");
        }
        Key key;
        key.type_ = KeyType::ec;
        key.curve_ = info->curve;
        key.bits_ = info->bits;
        key.private_ = d.has_value();
        key.pkey_ = std::move(*pkey);
        return key;
    }

    static Result<Key> rsa(const JwkReader& jwk) {
        if (jwk.has("oth"))
            return fail(ErrorCode::unsupported, "oth (multi-prime RSA) is not supported");
        std::optional<SecretBytes> n, e, d;
        if (auto s = jwk.required_bytes("n", n); !s)
            return s.error();
        if (auto s = jwk.required_bytes("e", e); !s)
            return s.error();
        if (auto s = jwk.bytes("d", d); !s)
            return s.error();

        // RFC 7518 §6.3.2: the CRT members come all together, and with d.
        static constexpr const char* crt_names[] = {"p", "q", "dp", "dq", "qi"};
        static constexpr const char* crt_params[] = {
            OSSL_PKEY_PARAM_RSA_FACTOR1,      OSSL_PKEY_PARAM_RSA_FACTOR2,
            OSSL_PKEY_PARAM_RSA_EXPONENT1,    OSSL_PKEY_PARAM_RSA_EXPONENT2,
            OSSL_PKEY_PARAM_RSA_COEFFICIENT1,
        };
        std::optional<SecretBytes> crt[5];
        int crt_present = 0;
        for (int i = 0; i < 5; ++i) {
            if (auto s = jwk.bytes(crt_names[i], crt[i]); !s)
                return s.error();
            if (crt[i])
                ++crt_present;
        }
        if (crt_present != 0 && !d)
            return fail(ErrorCode::malformed, "p, q, dp, dq, qi are given without d");
        if (crt_present != 0 && crt_present != 5) {
            for (int i = 0; i < 5; ++i) {
                if (!crt[i]) {
                    return fail(ErrorCode::malformed,
                                std::string(crt_names[i]) +
                                    " is missing (p, q, dp, dq and qi come together)");
                }
            }
        }

        ossl::SecretBignumPtr bn_n = make_bignum(n->view(), false);
        ossl::SecretBignumPtr bn_e = make_bignum(e->view(), false);
        if (!bn_n || !bn_e)
            return fail(ErrorCode::crypto, "cannot build the RSA key: " + ossl::last_error());
        int bits = BN_num_bits(bn_n.get());
        // OpenSSL's own limit for RSA public operations (OPENSSL_RSA_MAX_MODULUS_BITS).
        if (bits > 16384) {
            return fail(ErrorCode::too_large, "RSA modulus has " + std::to_string(bits) +
                                                  " bits, at most 16384 supported");
        }
        if (bits < 2 || !BN_is_odd(bn_n.get()))
            return fail(ErrorCode::refused, "n is not an RSA modulus (even)");
        if (!BN_is_odd(bn_e.get()) || BN_is_one(bn_e.get())) {
            return fail(ErrorCode::refused, "e is not a valid RSA public exponent");
        }

        ossl::ParamBldPtr bld(OSSL_PARAM_BLD_new());
        if (!bld || !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) ||
            !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get())) {
            return fail(ErrorCode::crypto, "cannot build the RSA key: " + ossl::last_error());
        }
        ossl::SecretBignumPtr bn_d, bn_crt[5];
        if (d) {
            bn_d = make_bignum(d->view(), true);
            if (!bn_d || !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_D, bn_d.get())) {
                return fail(ErrorCode::crypto, "cannot build the RSA key: " + ossl::last_error());
            }
            for (int i = 0; i < 5 && crt_present == 5; ++i) {
                bn_crt[i] = make_bignum(crt[i]->view(), true);
                if (!bn_crt[i] ||
                    !OSSL_PARAM_BLD_push_BN(bld.get(), crt_params[i], bn_crt[i].get())) {
                    return fail(ErrorCode::crypto,
                                "cannot build the RSA key: " + ossl::last_error());
                }
            }
        }
        if (d) {
            if (auto s = check_rsa_private(bn_n.get(), bn_e.get(), bn_d.get(),
                                           crt_present == 5 ? bn_crt : nullptr);
                !s) {
                return s.error();
            }
        }
        auto pkey = pkey_fromdata("RSA", d ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, bld.get());
        if (!pkey)
            return fail(ErrorCode::refused, "not a usable RSA key: " + pkey.error().message);
        // OpenSSL's own RSA checks are not used: they follow SP 800-56B and
        // refuse legitimate keys (e = 3, odd sizes); check_rsa_private() holds
        // the private members to n and e instead.
        Key key;
        key.type_ = KeyType::rsa;
        key.bits_ = static_cast<unsigned>(bits);
        key.private_ = d.has_value();
        key.pkey_ = std::move(*pkey);
        return key;
    }

    static Result<Key> okp(const JwkReader& jwk) {
        std::string_view crv;
        if (auto s = jwk.required_string("crv", crv); !s)
            return s.error();
        const OkpCurveInfo* info = nullptr;
        for (const auto& c : okp_curves) {
            if (c.jwk_name == crv)
                info = &c;
        }
        if (!info)
            return fail(ErrorCode::unsupported,
                        "crv " + quote(crv) + " is not supported (Ed25519, Ed448)");
        std::optional<SecretBytes> x, d;
        if (auto s = jwk.required_bytes("x", x); !s)
            return s.error();
        if (auto s = jwk.bytes("d", d); !s)
            return s.error();
        if (auto s = check_length("x", *x, info->bytes, info->jwk_name); !s) {
            return s.error();
        }
        if (auto s = check_eddsa_public_key(info->curve, x->view()); !s)
            return s.error();
        ossl::PkeyPtr pkey;
        if (d) {
            if (auto s = check_length("d", *d, info->bytes, info->jwk_name); !s) {
                return s.error();
            }
            pkey.reset(EVP_PKEY_new_raw_private_key_ex(nullptr, info->type, nullptr,
                                                       d->view().data(), d->size()));
            if (!pkey)
                return fail(ErrorCode::refused,
                            "d is not a usable " + std::string(info->jwk_name) + " key");
            // The public key follows from d (RFC 8032 §5.1.5): it must be x.
            unsigned char derived[57];
            std::size_t length = sizeof derived;
            if (EVP_PKEY_get_raw_public_key(pkey.get(), derived, &length) != 1 ||
                length != x->size() || CRYPTO_memcmp(derived, x->view().data(), length) != 0) {
                ERR_clear_error();
                return fail(ErrorCode::refused, "d is not the private key of x");
            }
        } else {
            pkey.reset(EVP_PKEY_new_raw_public_key_ex(nullptr, info->type, nullptr,
                                                      x->view().data(), x->size()));
            if (!pkey)
                return fail(ErrorCode::refused,
                            "x is not a usable " + std::string(info->jwk_name) + " key");
        }
        Key key;
        key.type_ = KeyType::okp;
        key.curve_ = info->curve;
        key.bits_ = info->bits;
        key.private_ = d.has_value();
        key.pkey_ = std::move(pkey);
        return key;
    }

    static Result<Key> from_value(const rapidjson::Value& value) {
        if (!value.IsObject())
            return fail(ErrorCode::malformed, "not a JSON object");
        JwkReader jwk(value);
        if (auto s = jwk.check_unique_names(); !s)
            return s.error();
        if (auto s = jwk.check_usage_members(); !s)
            return s.error();

        std::string_view kty;
        if (auto s = jwk.required_string("kty", kty); !s)
            return s.error();

        // Identifiers and alg first: cheap, and a bad alg is worth saying
        // before any key material is looked at.
        std::optional<std::string_view> kid, x5t, x5t_s256, alg_name;
        if (auto s = jwk.optional_string("kid", kid); !s)
            return s.error();
        if (auto s = jwk.optional_string("x5t", x5t); !s)
            return s.error();
        if (auto s = jwk.optional_string("x5t#S256", x5t_s256); !s)
            return s.error();
        if (auto s = jwk.optional_string("alg", alg_name); !s)
            return s.error();
        if (kid && kid->empty())
            return fail(ErrorCode::malformed, "kid is empty");
        if (x5t && x5t->empty())
            return fail(ErrorCode::malformed, "x5t is empty");
        if (x5t_s256 && x5t_s256->empty())
            return fail(ErrorCode::malformed, "x5t#S256 is empty");
        std::optional<Algorithm> alg;
        if (alg_name) {
            if (*alg_name == "none")
                return fail(ErrorCode::refused, "alg \"none\" is never accepted");
            alg = algorithm_from_name(*alg_name);
            if (!alg)
                return fail(ErrorCode::unsupported,
                            "alg " + quote(*alg_name) + " is not a supported JWS algorithm");
        }

        Result<Key> key = fail(ErrorCode::malformed, "");
        if (kty == "oct") {
            std::optional<SecretBytes> k;
            if (auto s = jwk.required_bytes("k", k); !s)
                return s.error();
            key = oct(std::move(*k));
        } else if (kty == "EC") {
            key = ec(jwk);
        } else if (kty == "RSA") {
            key = rsa(jwk);
        } else if (kty == "OKP") {
            key = okp(jwk);
        } else {
            return fail(ErrorCode::unsupported,
                        "kty " + quote(kty) + " is not supported (oct, EC, RSA, OKP)");
        }
        if (!key)
            return key;

        if (alg && !key_type_fits(key->type_, key->curve_, *alg)) {
            return fail(ErrorCode::refused, "alg " + quote(*alg_name) + " cannot be used with a " +
                                                key_kind(*key) + " key");
        }
        key->alg_ = alg;
        if (kid)
            key->kid_ = *kid;
        if (x5t)
            key->x5t_ = *x5t;
        if (x5t_s256)
            key->x5t_s256_ = *x5t_s256;
        return key;
    }
};

namespace detail {
Result<Key> key_from_jwk_value(const rapidjson::Value& jwk) {
    return KeyAccess::from_value(jwk);
}
}  // namespace detail

// ---------------------------------------------------------------------------
// Key

Result<Key> Key::from_jwk(std::string_view json) {
    // Parsed in place in a copy that is wiped afterwards, so the secret's
    // text is not left behind in freed memory.
    std::string buffer(json);
    rapidjson::Document doc;
    doc.ParseInsitu(buffer.data());
    Result<Key> key =
        doc.HasParseError()
            ? Result<Key>(fail(ErrorCode::malformed, "not valid JSON: " + detail::json_error(doc)))
            : detail::KeyAccess::from_value(doc);
    OPENSSL_cleanse(buffer.data(), buffer.size());
    return key;
}

Result<Key> Key::from_secret(ByteView secret) {
    return detail::KeyAccess::oct(SecretBytes(Bytes(secret.begin(), secret.end())));
}

Result<Key> Key::from_pem(std::string_view pem) {
    if (pem.size() > INT_MAX)
        return fail(ErrorCode::too_large, "PEM text is too large");
    BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    if (!bio)
        return fail(ErrorCode::malformed, "cannot read PEM: " + ossl::last_error());

    if (pem.find("-----BEGIN CERTIFICATE-----") != std::string_view::npos) {
        X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, no_password, nullptr));
        if (!cert)
            return fail(ErrorCode::malformed,
                        "cannot read the PEM certificate: " + ossl::last_error());
        ossl::PkeyPtr pkey(X509_get_pubkey(cert.get()));
        if (!pkey)
            return fail(ErrorCode::malformed,
                        "cannot read the certificate's key: " + ossl::last_error());
        auto key = detail::KeyAccess::from_pkey(std::move(pkey), false);
        if (!key)
            return key;
        // The thumbprints are what a JOSE header's x5t / x5t#S256 carry
        // (RFC 7515 §4.1.7, §4.1.8): hashes of the DER certificate.
        unsigned char* der = nullptr;
        int der_length = i2d_X509(cert.get(), &der);
        if (der_length <= 0)
            return fail(ErrorCode::crypto, "cannot encode the certificate: " + ossl::last_error());
        unsigned char sha1[20], sha256[32];
        bool ok = EVP_Digest(der, static_cast<std::size_t>(der_length), sha1, nullptr, ossl::sha1(),
                             nullptr) == 1 &&
                  EVP_Digest(der, static_cast<std::size_t>(der_length), sha256, nullptr,
                             ossl::sha2(256), nullptr) == 1;
        OPENSSL_free(der);
        if (!ok)
            return fail(ErrorCode::crypto, "cannot hash the certificate: " + ossl::last_error());
        key->set_x5t(base64url_encode(sha1));
        key->set_x5t_s256(base64url_encode(sha256));
        return key;
    }
    if (pem.find("ENCRYPTED") != std::string_view::npos) {
        return fail(ErrorCode::unsupported, "encrypted PEM keys are not supported");
    }
    if (pem.find("PRIVATE KEY-----") != std::string_view::npos) {
        ossl::PkeyPtr pkey(PEM_read_bio_PrivateKey(bio.get(), nullptr, no_password, nullptr));
        if (!pkey)
            return fail(ErrorCode::malformed,
                        "cannot read the PEM private key: " + ossl::last_error());
        return detail::KeyAccess::from_pkey(std::move(pkey), true);
    }
    if (pem.find("-----BEGIN PUBLIC KEY-----") != std::string_view::npos) {
        ossl::PkeyPtr pkey(PEM_read_bio_PUBKEY(bio.get(), nullptr, no_password, nullptr));
        if (!pkey)
            return fail(ErrorCode::malformed,
                        "cannot read the PEM public key: " + ossl::last_error());
        return detail::KeyAccess::from_pkey(std::move(pkey), false);
    }
    if (pem.find("-----BEGIN RSA PUBLIC KEY-----") != std::string_view::npos) {
        return fail(
            ErrorCode::unsupported,
            "RSA PUBLIC KEY (PKCS#1) is not supported: use a PUBLIC KEY (SubjectPublicKeyInfo)");
    }
    return fail(ErrorCode::malformed, "no PEM key or certificate found");
}

Result<Key> Key::generate(KeyType type, Curve curve, unsigned bits) {
    switch (type) {
        case KeyType::oct: {
            if (curve != Curve::none)
                return fail(ErrorCode::malformed, "an oct key has no curve");
            if (bits == 0)
                bits = 256;
            if (bits % 8 != 0 || bits > 8 * 1024) {
                return fail(ErrorCode::too_large,
                            "oct key size must be a multiple of 8 bits, at most 8192");
            }
            Bytes secret(bits / 8);
            if (RAND_priv_bytes(secret.data(), static_cast<int>(secret.size())) != 1) {
                return fail(ErrorCode::crypto, "no randomness: " + ossl::last_error());
            }
            return detail::KeyAccess::oct(SecretBytes(std::move(secret)));
        }
        case KeyType::ec: {
            const EcCurveInfo* info = ec_curve(curve);
            if (!info)
                return fail(ErrorCode::crypto, "an EC key needs P-256, P-384 or P-521");
            ossl::PkeyPtr pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", info->group));
            if (!pkey)
                return fail(ErrorCode::crypto, "EC key generation failed: " + ossl::last_error());
            return detail::KeyAccess::from_pkey(std::move(pkey), true);
        }
        case KeyType::rsa: {
            if (curve != Curve::none)
                return fail(ErrorCode::malformed, "an RSA key has no curve");
            if (bits == 0)
                bits = 2048;
            // Small sizes are allowed: tests need keys that must never fit.
            if (bits < 512 || bits > 16384)
                return fail(ErrorCode::crypto, "RSA key size must be 512 to 16384 bits");
            ossl::PkeyPtr pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{bits}));
            if (!pkey)
                return fail(ErrorCode::crypto, "RSA key generation failed: " + ossl::last_error());
            return detail::KeyAccess::from_pkey(std::move(pkey), true);
        }
        case KeyType::okp: {
            const OkpCurveInfo* info = okp_curve(curve);
            if (!info)
                return fail(ErrorCode::crypto, "an OKP key needs Ed25519 or Ed448");
            ossl::PkeyPtr pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, info->type));
            if (!pkey)
                return fail(ErrorCode::crypto, "OKP key generation failed: " + ossl::last_error());
            return detail::KeyAccess::from_pkey(std::move(pkey), true);
        }
    }
    return fail(ErrorCode::malformed, "unknown key type");
}

bool Key::has_private() const {
    return type_ == KeyType::oct ? !secret_.empty() : private_ && pkey_ != nullptr;
}

Key::Key() = default;
Key::Key(Key&&) noexcept = default;
Key& Key::operator=(Key&&) noexcept = default;
Key::~Key() = default;

std::size_t Key::hmac(Algorithm alg, ByteView input, std::span<unsigned char> out) const {
    if (type_ != KeyType::oct || hmac_id_.value() == 0 || secret_.empty() ||
        algorithm_family(alg) != AlgorithmFamily::hmac)
        return 0;
    return detail::hmac_compute(hmac_id_.value(), algorithm_hash_bits(alg), secret_.view(), input,
                                out);
}

std::string Key::describe() const {
    std::string out;
    auto add_id = [&out](std::string_view name, const std::string& value) {
        if (value.empty())
            return;
        if (!out.empty())
            out += ' ';
        out += name;
        out += '=';
        out += value;
    };
    add_id("kid", kid_);
    add_id("x5t#S256", x5t_s256_);
    add_id("x5t", x5t_);
    if (out.empty())
        out = "(no identifier)";
    out += ' ';
    out += detail::key_kind(*this);
    if (type_ == KeyType::oct) {
        out += ' ' + std::to_string(bits_) + " bits secret";
    } else {
        out += has_private() ? " private" : " public";
    }
    if (alg_) {
        out += " alg=";
        out += algorithm_name(*alg_);
    }
    return out;
}

}  // namespace coapjws
