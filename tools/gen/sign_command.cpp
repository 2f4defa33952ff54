// `coapjws-gen sign`: the JWS option value for one message, so a real client
// can send signed requests:
//
//   hex=$(coapjws-gen sign --keys pcaps/keys.jwks --key client-hs256 --seq 0
//         --uri coap://127.0.0.1/time --print hex)
//   coap-client-notls -O 65021,0x$hex coap://127.0.0.1/time
//
// Only the signed options (spec §3) matter for the value; the URI's host and
// port become Uri-Host/Uri-Port, which are not signed.
#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <iostream>

#include "coapjws/key_loader.hpp"
#include "gen/cli_args.hpp"
#include "gen/coap_uri.hpp"
#include "gen/coap_values.hpp"
#include "gen/commands.hpp"
#include "gen/jose_header_writer.hpp"
#include "gen/jws_signer.hpp"
#include "gen/try.hpp"

namespace coapjws::gen {

namespace {
constexpr const char* sign_usage =
    "usage: coapjws-gen sign --keys FILE --key ID [options]\n"
    "  --key ID            signing key (kid, x5t#S256 or x5t in the JWK Set)\n"
    "  --alg ALG           header alg (default: the key's JWK alg)\n"
    "  --kid ID            kid written in the header (default: the key's kid)\n"
    "  --no-kid            write no kid\n"
    "  --seq N             sequence number (required for requests)\n"
    "  --isi 01|10|11      Integrity Scope Indication (responses)\n"
    "  --request-tid K:S   the TID of the request a response answers (isi 01/11)\n"
    "  --code CODE         GET (default), POST, ..., or c.dd such as 2.05\n"
    "  --uri URI           coap://host[:port]/path?query: Uri-Host/Port/Path/Query\n"
    "  --option N=VALUE    another option: VALUE is text, 0xHEX or uint:N;\n"
    "                      N is a number or a name such as content-format\n"
    "  --payload TEXT | --payload-hex HEX\n"
    "  --option-number N   the JWS option's number (default 65021)\n"
    "  --signed-options L  signed option numbers (default 1,4,5,8,11,12,15,17,20)\n"
    "  --print all|hex|text  what to print (default all)\n";

Result<CoapOptionValue> parse_option_arg(const std::string& arg) {
    auto eq = arg.find('=');
    if (eq == std::string::npos)
        return fail(ErrorCode::invalid_argument, "--option " + arg + ": expected N=VALUE");
    std::string name = arg.substr(0, eq);
    std::string value = arg.substr(eq + 1);
    CoapOptionValue option;
    if (auto known = option_number_from_name(name)) {
        option.number = *known;
    } else {
        char* end = nullptr;
        unsigned long number = std::strtoul(name.c_str(), &end, 10);
        if (name.empty() || *end != '\0' || number > 65535) {
            return fail(ErrorCode::invalid_argument,
                        "--option " + arg + ": unknown option \"" + name + "\"");
        }
        option.number = static_cast<std::uint16_t>(number);
    }
    if (value.rfind("0x", 0) == 0) {
        if (!from_hex(value, option.value))
            return fail(ErrorCode::invalid_argument, "--option " + arg + ": bad hex");
    } else if (value.rfind("uint:", 0) == 0) {
        char* end = nullptr;
        unsigned long long number = std::strtoull(value.c_str() + 5, &end, 10);
        if (value.size() == 5 || *end != '\0')
            return fail(ErrorCode::invalid_argument, "--option " + arg + ": bad uint");
        option.value = encode_uint_option(number);
    } else {
        option.value.assign(value.begin(), value.end());
    }
    return option;
}

Result<std::uint64_t> parse_number(const std::string& text, std::uint64_t max,
                                   const std::string& what) {
    char* end = nullptr;
    errno = 0;
    unsigned long long value = std::strtoull(text.c_str(), &end, 10);
    if (text.empty() || text[0] == '-' || *end != '\0' || errno != 0 || value > max) {
        return fail(ErrorCode::invalid_argument,
                    what + " \"" + text + "\" must be 0.." + std::to_string(max));
    }
    return static_cast<std::uint64_t>(value);
}

struct SignRequest {
    JwsSpec jws;
    std::uint8_t code = 0x01;
    std::vector<CoapOptionValue> options;
    Bytes payload;
    std::optional<Tid> request_tid;
    std::uint16_t jws_option = option::jws_default;
    OptionSet signed_options = OptionSet::default_signed();
    std::string print = "all";
};

Result<SignRequest> read_request(const CliArgs& args) {
    SignRequest r;
    r.jws.key = args.get("key");
    if (!r.jws.key)
        return fail(ErrorCode::invalid_argument, "--key is required");
    r.jws.alg = args.get("alg");
    if (args.flag("no-kid")) {
        if (args.get("kid"))
            return fail(ErrorCode::invalid_argument, "--kid and --no-kid exclude each other");
        r.jws.kid = std::optional<std::string>{};
    } else if (auto kid = args.get("kid")) {
        r.jws.kid = std::optional<std::string>{*kid};
    }
    if (auto seq = args.get("seq")) {
        GEN_TRY(auto value, parse_number(*seq, 0xffffffffu, "--seq"));
        r.jws.seq = static_cast<std::uint32_t>(value);
    }
    r.jws.isi = args.get("isi");
    if (auto code = args.get("code")) {
        GEN_TRY(r.code, parse_code(*code));
    }
    if (auto uri = args.get("uri")) {
        GEN_TRY(r.options, options_from_uri(*uri));
    }
    for (const auto& arg : args.all("option")) {
        GEN_TRY(CoapOptionValue option, parse_option_arg(arg));
        r.options.push_back(std::move(option));
    }
    std::stable_sort(r.options.begin(), r.options.end(),
                     [](const auto& a, const auto& b) { return a.number < b.number; });
    auto payload = args.get("payload");
    auto payload_hex = args.get("payload-hex");
    if (payload && payload_hex)
        return fail(ErrorCode::invalid_argument, "--payload and --payload-hex exclude each other");
    if (payload)
        r.payload.assign(payload->begin(), payload->end());
    if (payload_hex && !from_hex(*payload_hex, r.payload))
        return fail(ErrorCode::invalid_argument, "--payload-hex: bad hex");
    if (auto tid = args.get("request-tid")) {
        auto colon = tid->rfind(':');
        if (colon == std::string::npos || colon == 0)
            return fail(ErrorCode::invalid_argument, "--request-tid: expected KEYID:SEQ");
        GEN_TRY(auto seq, parse_number(tid->substr(colon + 1), 0xffffffffu, "--request-tid seq"));
        r.request_tid = Tid{tid->substr(0, colon), static_cast<std::uint32_t>(seq)};
    }
    if (auto number = args.get("option-number")) {
        GEN_TRY(auto value, parse_number(*number, 65535, "--option-number"));
        r.jws_option = static_cast<std::uint16_t>(value);
    }
    if (auto list = args.get("signed-options")) {
        GEN_TRY(r.signed_options, OptionSet::parse(*list));
    }
    r.print = args.get("print").value_or("all");
    if (r.print != "all" && r.print != "hex" && r.print != "text") {
        return fail(ErrorCode::invalid_argument, "--print must be all, hex or text");
    }

    const MessageKind kind = kind_of_code(r.code);
    if (kind == MessageKind::request && !r.jws.seq)
        return fail(ErrorCode::invalid_argument, "a request needs --seq");
    if (kind == MessageKind::response && binds_request_tid(r.jws, kind) && !r.request_tid) {
        return fail(ErrorCode::invalid_argument,
                    "a response with isi 01/11 (or none) binds its request: give --request-tid");
    }
    if (kind == MessageKind::request && r.request_tid) {
        return fail(ErrorCode::invalid_argument, "--request-tid is for responses");
    }
    return r;
}
}  // namespace

int run_sign(int argc, char** argv, int first) {
    auto args = CliArgs::parse(
        argc, argv, first,
        {"keys", "key", "alg", "kid", "seq", "isi", "request-tid", "code", "uri", "option",
         "payload", "payload-hex", "option-number", "signed-options", "print"},
        {"no-kid", "help"});
    if (!args) {
        std::cerr << "coapjws-gen sign: " << args.error().message << "\n" << sign_usage;
        return exit_usage;
    }
    if (args->flag("help")) {
        std::cout << sign_usage;
        return exit_ok;
    }
    auto keys_path = args->get("keys");
    if (!keys_path || !args->positional().empty()) {
        std::cerr << sign_usage;
        return exit_usage;
    }
    auto request = read_request(*args);
    if (!request) {
        std::cerr << "coapjws-gen sign: " << request.error().message << "\n";
        return exit_usage;
    }
    auto keys = load_jwks_file_strict(*keys_path);
    if (!keys) {
        std::cerr << "coapjws-gen sign: " << keys.error().message << "\n";
        return exit_usage;
    }
    SigningContext context{*keys, request->signed_options, request->jws_option};
    SignedMessageParts parts{kind_of_code(request->code), request->code, request->options,
                             request->payload};
    auto signed_jws = sign_message(request->jws, parts, context,
                                   request->request_tid ? &*request->request_tid : nullptr);
    if (!signed_jws) {
        std::cerr << "coapjws-gen sign: " << signed_jws.error().message << "\n";
        return exit_usage;
    }
    const std::string text(signed_jws->value.begin(), signed_jws->value.end());
    const std::string hex = to_hex(signed_jws->value);
    if (request->print == "hex") {
        std::cout << hex << "\n";
    } else if (request->print == "text") {
        std::cout << text << "\n";
    } else {
        std::cout << "value: " << text << "\n"
                  << "hex:   " << hex << "\n"
                  << "coap-client option: -O " << request->jws_option << ",0x" << hex << "\n";
    }
    return exit_ok;
}

}  // namespace coapjws::gen
