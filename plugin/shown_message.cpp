#include "shown_message.hpp"

#include <algorithm>
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

// Printable ASCII is its own display text (display_text() changes nothing
// in it), which nearly every header value is: no escaping, no std::string.
bool printable_ascii(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
}

const char* pool_display(wmem_allocator_t* pool, std::string_view text) {
    if (printable_ascii(text))
        return pool_text(pool, text);
    return pool_text(pool, display_text(text));
}

const guint8* pool_bytes(wmem_allocator_t* pool, ByteView bytes) {
    return static_cast<const guint8*>(wmem_memdup(pool, bytes.data(), bytes.size()));
}

ShownSpan shown(TextSpan span) {
    return {span.offset, span.length};
}

void add_header(wmem_allocator_t* pool, const JwsParts& parts, ShownMessage& out) {
    if (parts.header_json) {
        const std::string_view json = *parts.header_json;
        out.header_json = pool_display(pool, json);
        // The display text is the bytes themselves when nothing was escaped.
        out.header_bytes = printable_ascii(json) ? reinterpret_cast<const guint8*>(out.header_json)
                                                 : pool_bytes(pool, as_bytes(json));
        out.header_length = static_cast<guint>(json.size());
    }
    if (!parts.header)
        return;
    const JoseHeader& h = *parts.header;
    out.header_parsed = true;
    out.alg = pool_display(pool, h.alg);
    out.alg_span = shown(h.spans.alg);
    if (h.kid) {
        out.kid = pool_display(pool, *h.kid);
        out.kid_span = shown(h.spans.kid);
    }
    if (h.x5t) {
        out.x5t = pool_display(pool, *h.x5t);
        out.x5t_span = shown(h.spans.x5t);
    }
    if (h.x5t_s256) {
        out.x5t_s256 = pool_display(pool, *h.x5t_s256);
        out.x5t_s256_span = shown(h.spans.x5t_s256);
    }
    out.seq_span = shown(h.spans.seq);
    if (h.isi) {
        out.isi = pool_display(pool, *h.isi);
        out.isi_span = shown(h.spans.isi);
    }
    if (h.crit && !h.crit->empty()) {
        const std::size_t n = h.crit->size();
        auto** crit = wmem_alloc_array(pool, const char*, n);
        auto* spans = wmem_alloc0_array(pool, ShownSpan, n);
        for (std::size_t i = 0; i < n; ++i) {
            crit[i] = pool_display(pool, (*h.crit)[i]);
            if (i < h.spans.crit_names.size())
                spans[i] = shown(h.spans.crit_names[i]);
        }
        out.crit = crit;
        out.crit_spans = spans;
        out.crit_count = static_cast<guint>(n);
        out.crit_span = shown(h.spans.crit);
    }
}

void add_parts(wmem_allocator_t* pool, const JwsParts& parts, ShownMessage& out) {
    add_header(pool, parts, out);
    if (!parts.signature.empty()) {
        out.signature = pool_bytes(pool, parts.signature);
        out.signature_length = static_cast<guint>(parts.signature.size());
    }
    if (!parts.signed_content.empty()) {
        out.signed_content = pool_bytes(pool, parts.signed_content);
        out.signed_content_length = static_cast<guint>(parts.signed_content.size());
        const std::vector<SignedContentItem> items = signed_content_items(parts.signed_content);
        auto* copy =
            wmem_alloc_array(pool, SignedContentItem, std::max<std::size_t>(items.size(), 1));
        std::copy(items.begin(), items.end(), copy);
        out.signed_items = copy;
        out.signed_item_count = static_cast<guint>(items.size());
    }
}

void add_key(wmem_allocator_t* pool, const Analysis& analysis, const StoredMessage& stored,
             ShownMessage& out) {
    const Key* key = analysis.verifying_key(stored);
    if (!key)
        return;
    auto* shown_key = wmem_new0(pool, ShownKey);
    shown_key->source = pool_display(pool, key->origin().source);
    shown_key->has_index = key->origin().index.has_value();
    shown_key->index = static_cast<guint32>(key->origin().index.value_or(0));
    if (!key->kid().empty())
        shown_key->kid = pool_display(pool, key->kid());
    if (const std::string& thumbprint = analysis.key_thumbprint(stored); !thumbprint.empty())
        shown_key->thumbprint = pool_text(pool, thumbprint);
    out.key = shown_key;
}

}  // namespace

ShownMessage make_shown_message(wmem_allocator_t* pool, const Analysis& analysis,
                                std::uint32_t index, ByteView coap,
                                const WantedTexts& wanted) noexcept {
    const StoredMessage& stored = analysis.message(index);
    ShownMessage out{};
    out.stored = &stored;
    if (stored.has_error) {
        out.error = analysis.c_str(stored.extra);
        return out;
    }
    const auto frame_ref = [&analysis](std::uint32_t record) {
        return ShownFrameRef{analysis.shown_frame(record), record};
    };
    out.request_in = frame_ref(stored.request_frame);
    out.replay_of = frame_ref(stored.replay_of);
    out.retransmission_of = frame_ref(stored.retransmission_of);
    const std::span<const std::uint32_t> responses = analysis.responses_to(index);
    if (!responses.empty()) {
        const std::size_t n = std::min<std::size_t>(responses.size(), max_shown_responses);
        auto* refs = wmem_alloc_array(pool, ShownFrameRef, n);
        for (std::size_t i = 0; i < n; ++i)
            refs[i] = frame_ref(responses[i]);
        out.responses = refs;
        out.response_count = static_cast<guint>(n);
        out.responses_total = static_cast<guint>(responses.size());
    }
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
        if (stored.has_key_id)
            out.key_id = pool_display(pool, analysis.text(stored.key_id));
        add_key(pool, analysis, stored, out);
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
