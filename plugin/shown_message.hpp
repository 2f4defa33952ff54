// What the tree shows of one stored message on this pass: the stored verdict
// with its texts, and the parts derived again from the message's bytes
// (coapjws/jws_parts.hpp), as plain data in pinfo->pool. It is made in C++ before
// any Wireshark call that could longjmp; tree.cpp only reads it.
#pragma once

#include "analysis.hpp"
#include "coapjws/signed_content.hpp"
#include "ws.hpp"

namespace coapjws::plugin {

// A frame a verdict refers to, by its number in this view and in the capture
// file (Analysis::shown_frame()): `shown` is 0 when a read filter removed it,
// `in_file` is 0 when there is none.
struct ShownFrameRef {
    guint32 shown;
    guint32 in_file;
};

struct ShownFinding {
    FindingId id;
    ShownFrameRef related;
    const char* message;
};

// Where a value is in the decoded header (JoseHeader::spans); length 0 when
// absent.
struct ShownSpan {
    guint offset;
    guint length;
};

// The key that verified a valid message (Analysis::verifying_key()).
struct ShownKey {
    const char* source;  // "keys.jwks", "Keys table row 2"
    bool has_index;      // in its JWK Set's "keys", from 0
    guint32 index;
    const char* kid;         // nullptr when the key has none
    const char* thumbprint;  // RFC 7638; nullptr for an oct key
};

// At most this many "Response in" links are listed; the count says the rest.
inline constexpr guint max_shown_responses = 32;

// Texts are NUL-terminated display text (display_text.hpp); nullptr is
// absent or not wanted on this pass.
struct ShownMessage {
    const StoredMessage* stored;  // the verdict, held by the Analysis until stop()
    const char* error;            // an internal error instead of a verdict
    const char* info;             // the Info note
    const char* key_id;
    const char* tid;
    const char* request_tid;

    ShownFrameRef request_in;
    ShownFrameRef replay_of;
    ShownFrameRef retransmission_of;
    // Requests: the responses bound to them (the first max_shown_responses).
    const ShownFrameRef* responses;
    guint response_count;  // in `responses`
    guint responses_total;

    const ShownKey* key;  // valid messages, when the key is known

    // The JOSE header as sent (its bytes become the "Decoded JOSE header"
    // data source) and as display text; its members when it parsed.
    const guint8* header_bytes;
    guint header_length;
    const char* header_json;
    bool header_parsed;
    const char* alg;
    const char* kid;
    const char* x5t;
    const char* x5t_s256;
    const char* isi;
    ShownSpan alg_span, kid_span, x5t_span, x5t_s256_span, seq_span, isi_span, crit_span;
    const char* const* crit;
    const ShownSpan* crit_spans;
    guint crit_count;

    const guint8* signature;  // when wanted and decoded
    guint signature_length;
    const guint8* signed_content;  // when wanted and determined
    guint signed_content_length;
    const SignedContentItem* signed_items;  // the TLV items of signed_content
    guint signed_item_count;

    const ShownFinding* findings;
    guint finding_count;
};

// What this pass will show; nothing else is made.
struct WantedTexts {
    bool info = false;
    bool tid = false;
    bool request_tid = false;
    WantedParts parts;
};

// `index` is the stored message's (Analysis::message(index)). `coap` holds
// the message's bytes when wanted.parts asks for anything (empty when they
// are not known: the parts are then left out). Never throws: what cannot be
// made is left out.
ShownMessage make_shown_message(wmem_allocator_t* pool, const Analysis& analysis,
                                std::uint32_t index, ByteView coap,
                                const WantedTexts& wanted) noexcept;

}  // namespace coapjws::plugin
