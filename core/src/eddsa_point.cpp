// RFC 8032 public key decoding with OpenSSL's BIGNUM arithmetic: a handful
// of field operations per key, run once when the key is loaded.
#include "eddsa_point.hpp"

#include <openssl/bn.h>
#include <openssl/err.h>

#include <array>
#include <cstring>
#include <string>

#include "openssl_ptr.hpp"

namespace coapjws::detail {

namespace {

using BnCtxPtr = std::unique_ptr<BN_CTX, ossl::Deleter<BN_CTX, BN_CTX_free>>;

// Arithmetic modulo the field prime p; every result is reduced to [0, p).
class Field {
  public:
    Field(const BIGNUM* p, BN_CTX* ctx) : p_(p), ctx_(ctx) {}

    ossl::BignumPtr number(BN_ULONG value) const {
        ossl::BignumPtr n(BN_new());
        if (n && BN_set_word(n.get(), value) != 1)
            n.reset();
        return n;
    }
    // a * b, a + b, a - b, 1 / a, √a: nullptr when an operand is nullptr,
    // OpenSSL fails, a has no inverse or is not a square. So expressions
    // can be chained and checked once at the end.
    ossl::BignumPtr mul(const BIGNUM* a, const BIGNUM* b) const {
        return apply(a, b, [this](BIGNUM* r, const BIGNUM* x, const BIGNUM* y) {
            return BN_mod_mul(r, x, y, p_, ctx_) == 1;
        });
    }
    ossl::BignumPtr add(const BIGNUM* a, const BIGNUM* b) const {
        return apply(a, b, [this](BIGNUM* r, const BIGNUM* x, const BIGNUM* y) {
            return BN_mod_add(r, x, y, p_, ctx_) == 1;
        });
    }
    ossl::BignumPtr sub(const BIGNUM* a, const BIGNUM* b) const {
        return apply(a, b, [this](BIGNUM* r, const BIGNUM* x, const BIGNUM* y) {
            return BN_mod_sub(r, x, y, p_, ctx_) == 1;
        });
    }
    ossl::BignumPtr inverse(const BIGNUM* a) const {
        return apply(a, a, [this](BIGNUM* r, const BIGNUM* x, const BIGNUM*) {
            return BN_mod_inverse(r, x, p_, ctx_) != nullptr;
        });
    }
    ossl::BignumPtr sqrt(const BIGNUM* a) const {
        return apply(a, a, [this](BIGNUM* r, const BIGNUM* x, const BIGNUM*) {
            return BN_mod_sqrt(r, x, p_, ctx_) != nullptr;
        });
    }

  private:
    template <typename Op>
    static ossl::BignumPtr apply(const BIGNUM* a, const BIGNUM* b, Op op) {
        if (a == nullptr || b == nullptr)
            return nullptr;
        ossl::BignumPtr r(BN_new());
        if (!r || !op(r.get(), a, b)) {
            ERR_clear_error();
            r.reset();
        }
        return r;
    }
    const BIGNUM* p_;
    BN_CTX* ctx_;
};

struct EdwardsCurve {
    Curve curve;
    const char* name;
    std::size_t bytes;       // encoded public key size
    int cofactor_doublings;  // log2 of the cofactor: 8 for Ed25519, 4 for Ed448
    int a;                   // -1 (Ed25519) or 1 (Ed448)
    BN_ULONG d_numerator;    // d = -d_numerator / d_denominator
    BN_ULONG d_denominator;
};

// RFC 8032 §5.1 and §5.2.
constexpr EdwardsCurve edwards_curves[] = {
    {Curve::ed25519, "Ed25519", 32, 3, -1, 121665, 121666},
    {Curve::ed448, "Ed448", 57, 2, 1, 39081, 1},
};

// p = 2^255 - 19 or 2^448 - 2^224 - 1.
ossl::BignumPtr prime_of(Curve curve) {
    ossl::BignumPtr p(BN_new());
    ossl::BignumPtr low(BN_new());
    if (!p || !low)  // BN_new() gives 0
        return nullptr;
    bool ok = false;
    if (curve == Curve::ed25519) {
        ok = BN_set_bit(p.get(), 255) == 1 && BN_sub_word(p.get(), 19) == 1;
    } else {
        ok = BN_set_bit(p.get(), 448) == 1 && BN_set_bit(low.get(), 224) == 1 &&
             BN_sub(p.get(), p.get(), low.get()) == 1 && BN_sub_word(p.get(), 1) == 1;
    }
    return ok ? std::move(p) : nullptr;
}

struct Point {
    ossl::BignumPtr x, y;
};

// 2P with the twisted Edwards addition law, which is complete on both
// curves (d is not a square), so no case needs special handling:
// x3 = 2xy / (1 + d x²y²), y3 = (y² - a x²) / (1 - d x²y²).
bool double_point(const Field& f, const BIGNUM* a, const BIGNUM* d, Point& point) {
    const BIGNUM* x = point.x.get();
    const BIGNUM* y = point.y.get();
    auto one = f.number(1);
    auto xx = f.mul(x, x);
    auto yy = f.mul(y, y);
    auto xy = f.mul(x, y);
    auto t = f.mul(d, f.mul(xx.get(), yy.get()).get());
    auto x3 =
        f.mul(f.add(xy.get(), xy.get()).get(), f.inverse(f.add(one.get(), t.get()).get()).get());
    auto y3 = f.mul(f.sub(yy.get(), f.mul(a, xx.get()).get()).get(),
                    f.inverse(f.sub(one.get(), t.get()).get()).get());
    if (!x3 || !y3)
        return false;
    point.x = std::move(x3);
    point.y = std::move(y3);
    return true;
}

}  // namespace

Status check_eddsa_public_key(Curve curve, ByteView encoded) {
    const EdwardsCurve* c = nullptr;
    for (const auto& candidate : edwards_curves) {
        if (candidate.curve == curve)
            c = &candidate;
    }
    if (c == nullptr)
        return fail(ErrorCode::internal, "not an EdDSA curve");
    const std::string name = c->name;
    if (encoded.size() != c->bytes) {
        return fail(ErrorCode::refused, "x is " + std::to_string(encoded.size()) + " bytes long, " +
                                            name + " needs " + std::to_string(c->bytes));
    }
    auto internal = [] {
        ERR_clear_error();
        return fail(ErrorCode::crypto, "cannot check the public key: OpenSSL failed");
    };

    // Little-endian y; the top bit of the last byte is x's sign (x_0).
    std::array<unsigned char, 57> bytes{};
    std::memcpy(bytes.data(), encoded.data(), c->bytes);
    const bool x0 = (bytes[c->bytes - 1] & 0x80) != 0;
    bytes[c->bytes - 1] &= 0x7f;

    BnCtxPtr ctx(BN_CTX_new());
    ossl::BignumPtr p = prime_of(curve);
    ossl::BignumPtr y(BN_lebin2bn(bytes.data(), static_cast<int>(c->bytes), nullptr));
    if (!ctx || !p || !y)
        return internal();
    if (BN_cmp(y.get(), p.get()) >= 0)
        return fail(ErrorCode::refused,
                    "x is not a canonical " + name + " encoding (its y is not below p)");

    const Field f(p.get(), ctx.get());
    auto zero = f.number(0);
    auto one = f.number(1);
    auto a = c->a < 0 ? f.sub(zero.get(), one.get()) : f.number(1);
    // d = -numerator / denominator.
    auto d = f.sub(zero.get(), f.mul(f.number(c->d_numerator).get(),
                                     f.inverse(f.number(c->d_denominator).get()).get())
                                   .get());
    // The curve a x² + y² = 1 + d x² y² gives x² = (1 - y²) / (a - d y²);
    // the denominator is never 0 (d is not a square, a is).
    auto yy = f.mul(y.get(), y.get());
    auto xx = f.mul(f.sub(one.get(), yy.get()).get(),
                    f.inverse(f.sub(a.get(), f.mul(d.get(), yy.get()).get()).get()).get());
    if (!a || !d || !xx)
        return internal();
    ossl::BignumPtr x;
    if (BN_is_zero(xx.get())) {
        if (x0)
            return fail(ErrorCode::refused,
                        "x is not a valid " + name + " encoding (x = 0 with the sign bit set)");
        x = f.number(0);
    } else {
        x = f.sqrt(xx.get());
        if (!x) {
            ERR_clear_error();
            return fail(ErrorCode::refused, "x is not a point on " + name);
        }
        if ((BN_is_odd(x.get()) != 0) != x0)
            x = f.sub(p.get(), x.get());
    }
    if (!x)
        return internal();

    // Small order: multiplying by the cofactor gives the identity (0, 1).
    Point point{std::move(x), std::move(y)};
    for (int i = 0; i < c->cofactor_doublings; ++i) {
        if (!double_point(f, a.get(), d.get(), point))
            return internal();
    }
    if (BN_is_zero(point.x.get()) && BN_is_one(point.y.get())) {
        return fail(ErrorCode::refused,
                    "x is a point of small order on " + name +
                        " (with it a fixed forged signature would verify for any message)");
    }
    return {};
}

}  // namespace coapjws::detail
