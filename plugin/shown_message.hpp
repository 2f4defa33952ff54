// What the tree shows of one stored message on this pass: the stored verdict
// with its texts, and the parts derived again from the message's bytes
// (coapjws/jws_parts.hpp), as plain data in pinfo->pool. It is made in C++ before
// any Wireshark call that could longjmp; tree.cpp only reads it.
#pragma once

#include "analysis.hpp"
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

    // The JOSE header, when wanted and decoded; its members when it parsed.
    const char* header_json;
    bool header_parsed;
    const char* alg;
    const char* kid;
    const char* x5t;
    const char* x5t_s256;
    const char* isi;
    const char* const* crit;
    guint crit_count;

    const guint8* signature;  // when wanted and decoded
    guint signature_length;
    const guint8* signed_content;  // when wanted and determined
    guint signed_content_length;

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

// `coap` holds the message's bytes when wanted.parts asks for anything
// (empty when they are not known: the parts are then left out). Never
// throws: what cannot be made is left out.
ShownMessage make_shown_message(wmem_allocator_t* pool, const Analysis& analysis,
                                const StoredMessage& stored, ByteView coap,
                                const WantedTexts& wanted) noexcept;

}  // namespace coapjws::plugin
