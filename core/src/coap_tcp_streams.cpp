#include "coapjws/coap_tcp_streams.hpp"

#include <algorithm>
#include <vector>

#include "coapjws/coap_message.hpp"
#include "lru_map.hpp"
#include "tls_record.hpp"

namespace coapjws {

namespace {

struct DirectionKey {
    Endpoint src;
    Endpoint dst;
    friend bool operator==(const DirectionKey&, const DirectionKey&) = default;
};

struct DirectionKeyHash {
    std::size_t operator()(const DirectionKey& k) const noexcept {
        EndpointHash h;
        return h(k.src) * 0x9e3779b97f4a7c15ULL ^ h(k.dst);
    }
};

// Where a direction is in its byte stream.
enum class Mode : std::uint8_t {
    opening,   // SYN seen, no byte yet: is it TLS or CoAP?
    synced,    // `data` holds the start of the next message (or nothing)
    hunting,   // no message boundary known: looking for one at a segment start
    skipping,  // passing over the rest of an oversized message
    tls,       // TLS records: counted, never read
    closed,    // FIN or RST: later bytes at or below next_seq are retransmissions
};

// A segment that arrived ahead of a hole.
struct Waiting {
    std::uint32_t seq = 0;
    std::int64_t arrived_ns = 0;
    Bytes bytes;
    std::uint32_t uncaptured = 0;
    bool fin = false;
};

struct Direction {
    Mode mode = Mode::synced;
    bool started = false;
    bool syn_seen = false;
    std::uint32_t isn = 0;
    std::uint32_t next_seq = 0;  // sequence number of the next byte taken in order
    Bytes data;
    std::vector<std::size_t> candidates;  // hunting: offsets in `data` where a segment began
    std::uint64_t skip_left = 0;
    std::vector<Waiting> waiting;  // ahead of next_seq, nearest first
    std::size_t waiting_bytes = 0;

    std::size_t held() const { return data.size() + waiting_bytes; }
};

// Signed distance from `from` to `to` in sequence space (RFC 793 arithmetic).
std::int64_t seq_distance(std::uint32_t from, std::uint32_t to) {
    return static_cast<std::int32_t>(to - from);
}

// Releases a large buffer once it is empty, so a direction that once held a
// big message does not keep the memory.
void release_if_large(Bytes& b) {
    constexpr std::size_t keep = 64 * 1024;
    if (b.empty() && b.capacity() > keep)
        Bytes().swap(b);
}

}  // namespace

struct CoapTcpStreams::State {
    explicit State(TcpStreamLimits l) : limits(l), directions(l.max_directions) {}

    TcpStreamLimits limits;
    TcpStreamStats stats;
    LruMap<DirectionKey, Direction, DirectionKeyHash> directions;
    std::size_t total_held = 0;

    // Output of the current add(): views into the segment's payload, or
    // offsets into `arena` (fixed up into views at the end of add()).
    struct Emitted {
        ByteView direct;
        std::size_t arena_offset = 0;
        std::size_t length = 0;
        bool in_arena = false;
        std::optional<std::uint32_t> offset_in_segment;
    };
    std::vector<Emitted> emitted;
    Bytes arena;
    std::vector<TcpMessage> out;
    CoapMessage scratch;  // for the well-formedness test while hunting

    // The bytes of the current segment, while they are being taken: lets
    // messages cut from `data` that lie wholly in them say where.
    struct CurrentBytes {
        bool active = false;
        std::size_t start_in_data = 0;  // where they begin in Direction::data
        std::size_t length = 0;
        std::uint32_t offset_in_payload = 0;
    } current;

    std::span<const TcpMessage> add(const TcpSegment& segment);
    void finish();

    void handle(Direction& d, const TcpSegment& s);
    void take(Direction& d, ByteView bytes, std::uint32_t uncaptured, bool boundary, bool fin,
              std::optional<std::uint32_t> offset_in_payload);
    void take_bytes(Direction& d, ByteView bytes, bool boundary,
                    std::optional<std::uint32_t> offset_in_payload);
    void cut_synced(Direction& d, ByteView bytes, std::optional<std::uint32_t> offset_in_payload);
    void cut_data(Direction& d);
    void hunt(Direction& d);
    void lose(Direction& d, std::uint64_t missing);
    void keep_waiting(Direction& d, const TcpSegment& s, std::uint32_t data_seq);
    void drain(Direction& d);
    void give_up_hole(Direction& d);
    void close(Direction& d);
    void emit_direct(ByteView message, std::optional<std::uint32_t> offset);
    void emit_from_data(const Direction& d, std::size_t start, std::size_t length);

    enum class Verdict : std::uint8_t { accept, reject, need_more };
    Verdict messages_start_at(const Direction& d, std::size_t candidate, std::size_t segment_end);
};

CoapTcpStreams::CoapTcpStreams(TcpStreamLimits limits) : state_(std::make_unique<State>(limits)) {}
CoapTcpStreams::CoapTcpStreams(CoapTcpStreams&&) noexcept = default;
CoapTcpStreams& CoapTcpStreams::operator=(CoapTcpStreams&&) noexcept = default;
CoapTcpStreams::~CoapTcpStreams() = default;

std::span<const TcpMessage> CoapTcpStreams::add(const TcpSegment& segment) {
    return state_->add(segment);
}
void CoapTcpStreams::finish() {
    state_->finish();
}
const TcpStreamStats& CoapTcpStreams::stats() const {
    return state_->stats;
}

std::span<const TcpMessage> CoapTcpStreams::State::add(const TcpSegment& s) {
    emitted.clear();
    arena.clear();
    out.clear();

    const DirectionKey key{s.src, s.dst};
    const std::uint32_t hash = directions.hash_key(key);
    Direction* d = directions.find(key, hash);
    if (d == nullptr) {
        // A bare ACK or FIN of a stream never seen says nothing.
        if (!s.syn && s.payload.empty() && s.uncaptured == 0)
            return {};
        if (directions.size() >= directions.capacity()) {
            directions.evict_oldest([this](Direction& old) {
                total_held -= old.held();
                close(old);
                ++stats.evictions;
            });
        }
        d = &directions.insert_absent(key, Direction{}, hash);
        ++stats.directions;
    }

    const std::size_t before = d->held();
    handle(*d, s);
    total_held = total_held - before + d->held();
    // Over the total budget: forget the least recently used directions (this
    // one is the most recent, so it goes last).
    while (total_held > limits.max_bytes_total && directions.size() > 1) {
        directions.evict_oldest([this](Direction& old) {
            total_held -= old.held();
            close(old);
            ++stats.evictions;
        });
    }

    out.reserve(emitted.size());
    for (const Emitted& e : emitted) {
        ByteView bytes = e.in_arena ? ByteView(arena.data() + e.arena_offset, e.length) : e.direct;
        out.push_back({bytes, e.offset_in_segment});
    }
    stats.messages += out.size();
    return out;
}

void CoapTcpStreams::State::handle(Direction& d, const TcpSegment& s) {
    if (s.rst) {
        close(d);
        return;
    }
    std::uint32_t data_seq = s.seq;
    if (s.syn) {
        data_seq = s.seq + 1;
        if (!(d.syn_seen && d.isn == s.seq)) {
            // A new connection on this 4-tuple (or the first SYN seen).
            if (d.started)
                close(d);
            d = Direction{};
            d.started = true;
            d.syn_seen = true;
            d.isn = s.seq;
            d.next_seq = data_seq;
            d.mode = Mode::opening;
        }
    }
    const std::uint64_t length = s.payload.size() + std::uint64_t{s.uncaptured};
    if (length == 0 && !s.fin)
        return;  // a bare ACK (or the SYN itself)
    if (!d.started) {
        if (length == 0)
            return;
        // The connection began before the capture: no boundary is known.
        d.started = true;
        d.next_seq = data_seq;
        d.mode = Mode::hunting;
        ++stats.unknown_start;
    } else if (d.mode == Mode::closed) {
        if (length == 0 || seq_distance(d.next_seq, data_seq) <= 0) {
            stats.retransmitted_bytes += length;
            return;
        }
        // Data beyond the end of a closed stream: a connection reusing the
        // 4-tuple whose SYN was not captured.
        d = Direction{};
        d.started = true;
        d.next_seq = data_seq;
        d.mode = Mode::hunting;
        ++stats.unknown_start;
    }

    const std::int64_t ahead = seq_distance(d.next_seq, data_seq);
    if (ahead > 0) {
        keep_waiting(d, s, data_seq);
    } else {
        const std::uint64_t trim = static_cast<std::uint64_t>(-ahead);
        if (trim >= length && !(s.fin && trim == length)) {
            stats.retransmitted_bytes += length;
        } else {
            stats.retransmitted_bytes += std::min(trim, length);
            const std::size_t captured_trim =
                static_cast<std::size_t>(std::min<std::uint64_t>(trim, s.payload.size()));
            const auto uncaptured_left = static_cast<std::uint32_t>(
                s.uncaptured - std::min<std::uint64_t>(s.uncaptured, trim - captured_trim));
            current = {};
            take(d, s.payload.subspan(captured_trim), uncaptured_left, trim == 0, s.fin,
                 static_cast<std::uint32_t>(captured_trim));
            current = {};
            drain(d);
        }
    }
    // Holes waited for long enough are given up, in stream order.
    while (!d.waiting.empty() && s.time_ns - d.waiting.front().arrived_ns > limits.hole_timeout_ns)
        give_up_hole(d);
}

// Takes bytes that continue the stream exactly at next_seq.
void CoapTcpStreams::State::take(Direction& d, ByteView bytes, std::uint32_t uncaptured,
                                 bool boundary, bool fin,
                                 std::optional<std::uint32_t> offset_in_payload) {
    if (!bytes.empty()) {
        d.next_seq += static_cast<std::uint32_t>(bytes.size());
        take_bytes(d, bytes, boundary, offset_in_payload);
    }
    if (uncaptured > 0)
        lose(d, uncaptured);
    if (fin)
        close(d);
}

void CoapTcpStreams::State::take_bytes(Direction& d, ByteView bytes, bool boundary,
                                       std::optional<std::uint32_t> offset_in_payload) {
    switch (d.mode) {
        case Mode::closed:
            return;
        case Mode::tls:
            stats.tls_bytes += bytes.size();
            return;
        case Mode::skipping: {
            const auto n =
                static_cast<std::size_t>(std::min<std::uint64_t>(d.skip_left, bytes.size()));
            d.skip_left -= n;
            if (d.skip_left > 0)
                return;
            d.mode = Mode::synced;
            if (offset_in_payload)
                *offset_in_payload += static_cast<std::uint32_t>(n);
            bytes = bytes.subspan(n);
            if (!bytes.empty())
                cut_synced(d, bytes, offset_in_payload);
            return;
        }
        case Mode::opening: {
            d.data.insert(d.data.end(), bytes.begin(), bytes.end());
            const auto tls = starts_with_tls_record(d.data);
            if (!tls)
                return;  // a content type byte, but not yet a whole record header
            if (*tls) {
                d.mode = Mode::tls;
                ++stats.tls_directions;
                stats.tls_bytes += d.data.size();
                d.data.clear();
                return;
            }
            d.mode = Mode::synced;
            // These bytes are the whole of `data` unless earlier ones waited.
            if (d.data.size() == bytes.size()) {
                d.data.clear();
                cut_synced(d, bytes, offset_in_payload);
            } else {
                if (offset_in_payload)
                    current = {true, d.data.size() - bytes.size(), bytes.size(),
                               *offset_in_payload};
                cut_data(d);
            }
            return;
        }
        case Mode::synced:
            cut_synced(d, bytes, offset_in_payload);
            return;
        case Mode::hunting:
            if (boundary)
                d.candidates.push_back(d.data.size());
            if (offset_in_payload)
                current = {true, d.data.size(), bytes.size(), *offset_in_payload};
            d.data.insert(d.data.end(), bytes.begin(), bytes.end());
            hunt(d);
            return;
    }
}

// Synced: `bytes` follow `data` (the start of a message, or nothing).
void CoapTcpStreams::State::cut_synced(Direction& d, ByteView bytes,
                                       std::optional<std::uint32_t> offset_in_payload) {
    if (!d.data.empty() || !offset_in_payload) {
        if (offset_in_payload)
            current = {true, d.data.size(), bytes.size(), *offset_in_payload};
        d.data.insert(d.data.end(), bytes.begin(), bytes.end());
        cut_data(d);
        return;
    }
    // The common case: messages straight out of the segment, no copy.
    std::size_t pos = 0;
    while (pos < bytes.size()) {
        const ByteView rest = bytes.subspan(pos);
        const auto size = coap_tcp_message_size(rest);
        if (!size)
            break;
        if (*size > limits.max_message_bytes) {
            ++stats.oversized_messages;
            if (*size <= rest.size()) {
                pos += static_cast<std::size_t>(*size);
                continue;
            }
            d.skip_left = *size - rest.size();
            d.mode = Mode::skipping;
            return;
        }
        if (*size > rest.size())
            break;
        emit_direct(rest.first(static_cast<std::size_t>(*size)),
                    *offset_in_payload + static_cast<std::uint32_t>(pos));
        pos += static_cast<std::size_t>(*size);
    }
    d.data.assign(bytes.begin() + static_cast<std::ptrdiff_t>(pos), bytes.end());
}

// Synced: cuts whole messages from the front of `data`.
void CoapTcpStreams::State::cut_data(Direction& d) {
    std::size_t pos = 0;
    while (pos < d.data.size()) {
        const ByteView rest = ByteView(d.data).subspan(pos);
        const auto size = coap_tcp_message_size(rest);
        if (!size)
            break;
        if (*size > limits.max_message_bytes) {
            ++stats.oversized_messages;
            if (*size <= rest.size()) {
                pos += static_cast<std::size_t>(*size);
                continue;
            }
            d.skip_left = *size - rest.size();
            d.mode = Mode::skipping;
            pos = d.data.size();
            break;
        }
        if (*size > rest.size())
            break;
        emit_from_data(d, pos, static_cast<std::size_t>(*size));
        pos += static_cast<std::size_t>(*size);
    }
    d.data.erase(d.data.begin(), d.data.begin() + static_cast<std::ptrdiff_t>(pos));
    release_if_large(d.data);
    current = {};
}

// Whether whole, well-formed messages start at `candidate`: they must fill
// the candidate's segment (up to `segment_end`) exactly, or the last one may
// run on into later bytes; at least one must be complete.
CoapTcpStreams::State::Verdict CoapTcpStreams::State::messages_start_at(const Direction& d,
                                                                        std::size_t candidate,
                                                                        std::size_t segment_end) {
    std::size_t pos = candidate;
    bool one_whole = false;
    while (true) {
        if (pos == segment_end && one_whole)
            return Verdict::accept;
        const ByteView rest = ByteView(d.data).subspan(pos);
        const auto size = coap_tcp_message_size(rest);
        if (!size)
            return one_whole ? Verdict::accept : Verdict::need_more;
        if (*size > limits.max_message_bytes)
            return Verdict::reject;
        if (*size > rest.size()) {
            if (one_whole)
                return Verdict::accept;  // runs on into the next segment
            return Verdict::need_more;
        }
        if (!parse_coap(rest.first(static_cast<std::size_t>(*size)), CoapFraming::tcp, scratch))
            return Verdict::reject;
        one_whole = true;
        pos += static_cast<std::size_t>(*size);
        if (pos > segment_end)
            return Verdict::accept;  // the first message ran past its segment
    }
}

void CoapTcpStreams::State::hunt(Direction& d) {
    while (!d.candidates.empty()) {
        const std::size_t c = d.candidates.front();
        const std::size_t segment_end = d.candidates.size() > 1 ? d.candidates[1] : d.data.size();
        const ByteView view = ByteView(d.data).subspan(c);
        const auto tls = starts_with_tls_record(view);
        if (!tls)
            return;  // wait for the rest of what may be a TLS record header
        if (*tls) {
            stats.unsynced_bytes += c;
            stats.tls_bytes += view.size();
            ++stats.tls_directions;
            d.mode = Mode::tls;
            d.data.clear();
            d.candidates.clear();
            release_if_large(d.data);
            current = {};
            return;
        }
        Verdict verdict = messages_start_at(d, c, segment_end);
        if (verdict == Verdict::need_more && d.data.size() - c > limits.max_message_bytes)
            verdict = Verdict::reject;
        if (verdict == Verdict::need_more)
            return;
        if (verdict == Verdict::reject) {
            d.candidates.erase(d.candidates.begin());
            continue;
        }
        // A boundary: what came before it is lost, what follows is cut.
        stats.unsynced_bytes += c;
        d.data.erase(d.data.begin(), d.data.begin() + static_cast<std::ptrdiff_t>(c));
        if (current.active) {
            const std::size_t end = current.start_in_data + current.length;
            if (end <= c) {
                current = {};
            } else if (current.start_in_data >= c) {
                current.start_in_data -= c;
            } else {
                // The boundary lies inside the current segment's bytes.
                current.offset_in_payload += static_cast<std::uint32_t>(c - current.start_in_data);
                current.length = end - c;
                current.start_in_data = 0;
            }
        }
        d.candidates.clear();
        d.mode = Mode::synced;
        cut_data(d);
        return;
    }
    stats.unsynced_bytes += d.data.size();
    d.data.clear();
    release_if_large(d.data);
    current = {};
}

// `missing` bytes at next_seq will never be seen.
void CoapTcpStreams::State::lose(Direction& d, std::uint64_t missing) {
    ++stats.gaps;
    stats.gap_bytes += missing;
    d.next_seq += static_cast<std::uint32_t>(missing);
    switch (d.mode) {
        case Mode::closed:
        case Mode::tls:
            return;
        case Mode::skipping:
            if (d.skip_left >= missing) {
                d.skip_left -= missing;
                if (d.skip_left == 0)
                    d.mode = Mode::synced;
                return;
            }
            break;
        case Mode::synced: {
            // A hole inside a message whose length is known loses that
            // message only: the next one starts where it ends.
            const auto size = coap_tcp_message_size(d.data);
            if (size && *size >= d.data.size() + missing && *size <= limits.max_message_bytes) {
                stats.incomplete_bytes += d.data.size();
                d.skip_left = *size - d.data.size() - missing;
                d.data.clear();
                d.mode = d.skip_left == 0 ? Mode::synced : Mode::skipping;
                return;
            }
            stats.incomplete_bytes += d.data.size();
            break;
        }
        case Mode::opening:
            stats.incomplete_bytes += d.data.size();
            break;
        case Mode::hunting:
            stats.unsynced_bytes += d.data.size();
            break;
    }
    d.data.clear();
    d.candidates.clear();
    release_if_large(d.data);
    d.mode = Mode::hunting;
}

void CoapTcpStreams::State::keep_waiting(Direction& d, const TcpSegment& s,
                                         std::uint32_t data_seq) {
    if (d.mode == Mode::tls) {
        // Encrypted anyway: nothing to put in order.
        stats.tls_bytes += s.payload.size();
        return;
    }
    const std::int64_t ahead = seq_distance(d.next_seq, data_seq);
    auto it = std::find_if(d.waiting.begin(), d.waiting.end(), [&](const Waiting& w) {
        return seq_distance(d.next_seq, w.seq) >= ahead;
    });
    if (it != d.waiting.end() && it->seq == data_seq) {
        // The same segment again: the first copy stays, unless this one is longer.
        if (it->bytes.size() + it->uncaptured >= s.payload.size() + std::uint64_t{s.uncaptured}) {
            stats.retransmitted_bytes += s.payload.size() + s.uncaptured;
            return;
        }
        stats.retransmitted_bytes += it->bytes.size() + it->uncaptured;
        d.waiting_bytes -= it->bytes.size();
        it = d.waiting.erase(it);
    }
    Waiting w;
    w.seq = data_seq;
    w.arrived_ns = s.time_ns;
    w.bytes.assign(s.payload.begin(), s.payload.end());
    w.uncaptured = s.uncaptured;
    w.fin = s.fin;
    d.waiting_bytes += w.bytes.size();
    d.waiting.insert(it, std::move(w));
    while (d.held() > limits.max_bytes_per_direction && !d.waiting.empty())
        give_up_hole(d);
}

// Takes the waiting segments that the stream has reached.
void CoapTcpStreams::State::drain(Direction& d) {
    while (!d.waiting.empty()) {
        const std::int64_t ahead = seq_distance(d.next_seq, d.waiting.front().seq);
        if (ahead > 0)
            break;
        Waiting w = std::move(d.waiting.front());
        d.waiting.erase(d.waiting.begin());
        d.waiting_bytes -= w.bytes.size();
        const std::uint64_t length = w.bytes.size() + std::uint64_t{w.uncaptured};
        const std::uint64_t trim = static_cast<std::uint64_t>(-ahead);
        if (trim >= length && !(w.fin && trim == length)) {
            stats.retransmitted_bytes += length;
            continue;
        }
        stats.retransmitted_bytes += std::min(trim, length);
        const std::size_t captured_trim =
            static_cast<std::size_t>(std::min<std::uint64_t>(trim, w.bytes.size()));
        const auto uncaptured_left = static_cast<std::uint32_t>(
            w.uncaptured - std::min<std::uint64_t>(w.uncaptured, trim - captured_trim));
        // Not the current segment's bytes: messages are copied out.
        take(d, ByteView(w.bytes).subspan(captured_trim), uncaptured_left, trim == 0, w.fin,
             std::nullopt);
        if (d.mode == Mode::closed)
            break;
    }
}

// The hole before the first waiting segment will not be filled.
void CoapTcpStreams::State::give_up_hole(Direction& d) {
    if (d.waiting.empty())
        return;
    const std::int64_t missing = seq_distance(d.next_seq, d.waiting.front().seq);
    if (missing > 0)
        lose(d, static_cast<std::uint64_t>(missing));
    drain(d);
}

void CoapTcpStreams::State::close(Direction& d) {
    switch (d.mode) {
        case Mode::synced:
        case Mode::opening:
            stats.incomplete_bytes += d.data.size();
            break;
        case Mode::hunting:
            stats.unsynced_bytes += d.data.size();
            break;
        case Mode::skipping:
        case Mode::tls:
        case Mode::closed:
            break;
    }
    if (!d.waiting.empty()) {
        // Segments behind a hole that was never filled.
        const std::int64_t missing = seq_distance(d.next_seq, d.waiting.front().seq);
        if (missing > 0) {
            ++stats.gaps;
            stats.gap_bytes += static_cast<std::uint64_t>(missing);
        }
        stats.unsynced_bytes += d.waiting_bytes;
    }
    d.mode = Mode::closed;
    d.data.clear();
    release_if_large(d.data);
    d.candidates.clear();
    d.waiting.clear();
    d.waiting_bytes = 0;
    d.skip_left = 0;
}

void CoapTcpStreams::State::emit_direct(ByteView message, std::optional<std::uint32_t> offset) {
    Emitted e;
    e.direct = message;
    e.length = message.size();
    e.offset_in_segment = offset;
    emitted.push_back(e);
}

void CoapTcpStreams::State::emit_from_data(const Direction& d, std::size_t start,
                                           std::size_t length) {
    Emitted e;
    e.in_arena = true;
    e.arena_offset = arena.size();
    e.length = length;
    if (current.active && start >= current.start_in_data &&
        start + length <= current.start_in_data + current.length) {
        e.offset_in_segment =
            current.offset_in_payload + static_cast<std::uint32_t>(start - current.start_in_data);
    }
    arena.insert(arena.end(), d.data.begin() + static_cast<std::ptrdiff_t>(start),
                 d.data.begin() + static_cast<std::ptrdiff_t>(start + length));
    emitted.push_back(e);
}

void CoapTcpStreams::State::finish() {
    while (directions.evict_oldest([this](Direction& d) { close(d); })) {
    }
    total_held = 0;
}

}  // namespace coapjws
