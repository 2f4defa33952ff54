#include "shown_message.hpp"

#include <cstring>
#include <string>

#include "display_text.hpp"

namespace coapjws::plugin {

namespace {

// wmem allocation aborts rather than fail, and never longjmps.
const char* pool_text(wmem_allocator_t* pool, std::string_view text) {
    char* out = static_cast<char*>(wmem_alloc(pool, text.size() + 1));
    std::memcpy(out, text.data(), text.size());
    out[text.size()] = '\0';
    return out;
}

const char* pool_display(wmem_allocator_t* pool, std::string_view text) {
    return pool_text(pool, display_text(text));
}

const guint8* pool_bytes(wmem_allocator_t* pool, ByteView bytes) {
    return static_cast<const guint8*>(wmem_memdup(pool, bytes.data(), bytes.size()));
}

void add_parts(wmem_allocator_t* pool, const JwsParts& parts, ShownMessage& out) {
    if (parts.header_json)
        out.header_json = pool_display(pool, *parts.header_json);
    if (parts.header) {
        const JoseHeader& h = *parts.header;
        out.header_parsed = true;
        out.alg = pool_display(pool, h.alg);
        if (h.kid)
            out.kid = pool_display(pool, *h.kid);
        if (h.x5t)
            out.x5t = pool_display(pool, *h.x5t);
        if (h.x5t_s256)
            out.x5t_s256 = pool_display(pool, *h.x5t_s256);
        if (h.isi)
            out.isi = pool_display(pool, *h.isi);
        if (h.crit && !h.crit->empty()) {
            auto** crit = wmem_alloc_array(pool, const char*, h.crit->size());
            for (std::size_t i = 0; i < h.crit->size(); ++i)
                crit[i] = pool_display(pool, (*h.crit)[i]);
            out.crit = crit;
            out.crit_count = static_cast<guint>(h.crit->size());
        }
    }
    if (!parts.signature.empty()) {
        out.signature = pool_bytes(pool, parts.signature);
        out.signature_length = static_cast<guint>(parts.signature.size());
    }
    if (!parts.signed_content.empty()) {
        out.signed_content = pool_bytes(pool, parts.signed_content);
        out.signed_content_length = static_cast<guint>(parts.signed_content.size());
    }
}

}  // namespace

ShownMessage make_shown_message(wmem_allocator_t* pool, const Analysis& analysis,
                                const StoredMessage& stored, ByteView coap,
                                const WantedTexts& wanted) noexcept {
    ShownMessage out{};
    out.stored = &stored;
    if (stored.has_error) {
        out.error = analysis.c_str(stored.extra);
        return out;
    }
    if (stored.has_key_id)
        out.key_id = analysis.c_str(stored.key_id);
    const auto frame_ref = [&analysis](std::uint32_t record) {
        return ShownFrameRef{analysis.shown_frame(record), record};
    };
    out.request_in = frame_ref(stored.request_frame);
    out.replay_of = frame_ref(stored.replay_of);
    out.retransmission_of = frame_ref(stored.retransmission_of);
    if (stored.finding_count > 0) {
        auto* findings = wmem_alloc_array(pool, ShownFinding, stored.finding_count);
        for (std::uint32_t i = 0; i < stored.finding_count; ++i) {
            const StoredFinding& finding = analysis.finding(stored.first_finding + i);
            findings[i] = {finding.id, frame_ref(finding.related_frame),
                           analysis.c_str(finding.message)};
        }
        out.findings = findings;
        out.finding_count = stored.finding_count;
    }
    // The rest is made in C++ objects that must be gone before Wireshark
    // is called again; anything that fails is left out.
    try {
        if (wanted.info)
            out.info = pool_text(pool, analysis.info(stored));
        if (wanted.tid && stored.has_tid)
            out.tid = pool_text(pool, analysis.tid(stored));
        if (wanted.request_tid && stored.has_request_tid)
            out.request_tid = pool_text(pool, analysis.request_tid(stored));
        if (wanted.parts.any() && !coap.empty())
            add_parts(pool, analysis.jws_parts(stored, coap, wanted.parts), out);
    } catch (...) {
    }
    return out;
}

}  // namespace coapjws::plugin
