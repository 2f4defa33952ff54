#include "gen/jws_signer.hpp"

#include "coapjws/base64url.hpp"
#include "coapjws/jws_crypto.hpp"
#include "coapjws/signed_content.hpp"
#include "gen/attacks.hpp"
#include "gen/jose_header_writer.hpp"
#include "gen/try.hpp"

namespace coapjws::gen {

const Key* find_signing_key(const KeyStore& keys, std::string_view id,
                            std::optional<Algorithm> alg) {
    for (KeyIdSource source : {KeyIdSource::kid, KeyIdSource::x5t_s256, KeyIdSource::x5t}) {
        auto found = keys.find(source, id);
        if (found.empty())
            continue;
        if (alg) {
            for (const Key* key : found) {
                if (key_fits(*key, *alg))
                    return key;
            }
        }
        return found.front();
    }
    return nullptr;
}

bool binds_request_tid(const JwsSpec& spec, MessageKind kind) {
    if (kind != MessageKind::response || spec.raw_value || spec.echo)
        return false;
    if (spec.raw_header)
        return spec.request.has_value() || spec.request_tid.has_value();
    return !spec.isi || *spec.isi == "01" || *spec.isi == "11";
}

bool is_deterministic(Algorithm alg) {
    auto family = algorithm_family(alg);
    return family != AlgorithmFamily::ecdsa && family != AlgorithmFamily::rsa_pss;
}

Result<SignedJws> sign_message(const JwsSpec& spec, const SignedMessageParts& parts,
                               const SigningContext& context, const Tid* request_tid) {
    SignedJws out;
    if (spec.raw_value) {
        out.value = *spec.raw_value;
        return out;
    }

    // The algorithm the signature is made with: normally the header's.
    std::optional<std::string> sign_alg_name = spec.sign_alg ? spec.sign_alg : spec.alg;
    std::optional<Algorithm> wanted_alg;
    if (sign_alg_name)
        wanted_alg = algorithm_from_name(*sign_alg_name);

    const Key* key = nullptr;
    if (spec.key) {
        key = find_signing_key(context.keys, *spec.key,
                               spec.key_confusion ? std::nullopt : wanted_alg);
        if (!key)
            return fail(ErrorCode::invalid_argument,
                        "signing key \"" + *spec.key + "\" is not in the key file");
    }

    // The header text, exactly as it will be sent.
    std::string header_json;
    std::string header_alg;
    if (spec.raw_header) {
        header_json = *spec.raw_header;
        if (spec.alg)
            header_alg = *spec.alg;
    } else {
        HeaderFields fields;
        if (spec.alg) {
            fields.alg = *spec.alg;
        } else if (key && key->alg()) {
            fields.alg = std::string(algorithm_name(*key->alg()));
        } else {
            return fail(ErrorCode::invalid_argument,
                        "no \"alg\" given and the signing key has no JWK alg");
        }
        header_alg = fields.alg;
        if (spec.kid) {
            fields.kid = *spec.kid;
        } else if (key && !key->kid().empty()) {
            fields.kid = key->kid();
        }
        fields.x5t_s256 = spec.x5t_s256;
        fields.x5t = spec.x5t;
        fields.seq = spec.seq;
        fields.isi = spec.isi;
        fields.crit = spec.crit;
        fields.extra = spec.extra;
        header_json = write_jose_header(fields);

        const std::optional<std::string>& id =
            fields.kid ? fields.kid : (fields.x5t_s256 ? fields.x5t_s256 : fields.x5t);
        bool own_tid = parts.kind == MessageKind::request ||
                       (fields.isi && (*fields.isi == "10" || *fields.isi == "11"));
        if (id && fields.seq && own_tid)
            out.header_tid = Tid{*id, *fields.seq};
    }

    Bytes content;
    SignedContentConfig config{context.signed_options, context.jws_option};
    build_signed_content(parts.code, parts.options, parts.payload, config, request_tid, content);

    if (!sign_alg_name)
        sign_alg_name = header_alg;
    std::optional<Algorithm> sign_alg = algorithm_from_name(*sign_alg_name);

    Bytes signature;
    if (spec.signature) {
        signature = *spec.signature;
    } else {
        if (!key)
            return fail(ErrorCode::invalid_argument, "no signing key and no signature_hex");
        if (!sign_alg) {
            return fail(ErrorCode::invalid_argument, "cannot sign with alg \"" + *sign_alg_name +
                                                         "\": give sign_alg or signature_hex");
        }
        std::string signing_input;
        std::string header_b64 = base64url_encode(as_bytes(header_json));
        build_signing_input(header_b64, content, signing_input);
        if (spec.key_confusion) {
            GEN_TRY(Key hmac_key, confusion_key(*key));
            GEN_TRY(signature, sign_signature(*sign_alg, hmac_key, as_bytes(signing_input)));
        } else if (!spec.corrupt_signature) {
            // The normal path: the engine's signer makes the whole value.
            GEN_TRY(std::string value, sign_jws_option(header_json, content, *sign_alg, *key));
            out.value.assign(value.begin(), value.end());
            out.deterministic = is_deterministic(*sign_alg);
            return out;
        } else {
            GEN_TRY(signature, sign_signature(*sign_alg, *key, as_bytes(signing_input)));
        }
        out.deterministic = is_deterministic(*sign_alg);
    }
    if (spec.corrupt_signature)
        corrupt_signature(signature);

    std::string value = base64url_encode(as_bytes(header_json));
    value += "..";
    base64url_encode_append(signature, value);
    out.value.assign(value.begin(), value.end());
    return out;
}

}  // namespace coapjws::gen
