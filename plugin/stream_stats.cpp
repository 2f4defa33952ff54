#include "stream_stats.hpp"

#include <climits>
#include <optional>
#include <string>

#include "coapjws/stream_table.hpp"
#include "display_text.hpp"
#include "tap_message.hpp"
#include "ws.hpp"

namespace coapjws::plugin {

namespace {

// As many rows as coapjws-scan keeps by default (--max-streams); further
// streams share one overflow row, as there.
constexpr std::size_t max_streams = 65536;

enum Column : guint {
    receiver,
    key_id,
    messages,
    valid,
    invalid,
    unverified,
    highest_seq,
    findings,
    column_count
};

// The columns of coapjws-scan's stream table, in its order.
stat_tap_table_item columns[column_count] = {
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Receiver", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Key ID", "%s"},
    {TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Messages", "%u"},
    {TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Valid", "%u"},
    {TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Invalid", "%u"},
    {TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Unverified", "%u"},
    {TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "Highest seq", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Findings", "%s"},
};

tap_param parameters[] = {{PARAM_FILTER, "filter", "Filter", nullptr, TRUE}};

const char* const table_name = "CoAP-JWS streams";

// The engine's accounting behind the table. Wireshark keeps one table per
// statistic, shared by the windows that show it; so is this.
StreamTable& streams() {
    static StreamTable table(max_streams);
    return table;
}

// ---- C++ side: no Wireshark call in here -----------------------------------

std::optional<std::size_t> record(const TapMessage& message) noexcept {
    try {
        return streams().record(message.stream);
    } catch (...) {
        return std::nullopt;
    }
}

// One row's cells; the strings are g_malloc'ed for the table to own.
struct RowCells {
    gchar* text[column_count];
    guint number[column_count];
};

guint clamp(std::uint64_t n) {
    return n > UINT_MAX ? UINT_MAX : static_cast<guint>(n);
}

bool cells_of(std::size_t index, RowCells& out) noexcept {
    try {
        const StreamRow& row = streams().rows()[index];
        const std::string receiver_text = row.overflow ? "*" : row.key.receiver.to_string();
        const std::string key_text = display_text(row.display_key_id());
        const std::string seq_text = row.highest_seq ? std::to_string(*row.highest_seq) : "-";
        const std::string finding_text = row.finding_summary();
        out = RowCells{};
        out.number[messages] = clamp(row.messages);
        out.number[valid] = clamp(row.valid);
        out.number[invalid] = clamp(row.invalid);
        out.number[unverified] = clamp(row.unverified);
        out.text[receiver] = g_strdup(receiver_text.c_str());
        out.text[key_id] = g_strdup(key_text.c_str());
        out.text[highest_seq] = g_strdup(seq_text.c_str());
        out.text[findings] = g_strdup(finding_text.c_str());
        return true;
    } catch (...) {
        return false;
    }
}

void reset_counts() noexcept {
    try {
        streams().reset_counts();
    } catch (...) {
    }
}

// ---- Wireshark side ----------------------------------------------------------

stat_tap_table* table_of(stat_tap_table_ui* ui) {
    return ui->tables && ui->tables->len > 0 ? g_array_index(ui->tables, stat_tap_table*, 0)
                                             : nullptr;
}

void write_row(stat_tap_table* table, guint row, RowCells& cells) {
    if (row >= table->num_elements) {
        // New rows in the order streams first appear; the GUI sorts them.
        stat_tap_table_item_type blank[column_count];
        for (guint c = 0; c < column_count; ++c) {
            blank[c] = {};
            blank[c].type = columns[c].type;
            if (columns[c].type == TABLE_ITEM_STRING)
                blank[c].value.string_value = g_strdup("");
        }
        stat_tap_init_table_row(table, row, column_count, blank);
    }
    for (guint c = 0; c < column_count; ++c) {
        stat_tap_table_item_type* field = stat_tap_get_field_data(table, row, c);
        if (columns[c].type == TABLE_ITEM_STRING) {
            g_free(const_cast<char*>(field->value.string_value));
            field->value.string_value = cells.text[c];
        } else {
            field->value.uint_value = cells.number[c];
        }
    }
}

// Blanks the rows; they keep their streams, so refilling them (a retap, a
// new filter) puts each stream in its row again.
void reset_table(stat_tap_table* table) {
    for (guint row = 0; row < table->num_elements; ++row) {
        for (guint c = 0; c < column_count; ++c) {
            stat_tap_table_item_type* field = stat_tap_get_field_data(table, row, c);
            if (c == receiver || c == key_id)
                continue;  // the stream's name stays
            if (columns[c].type == TABLE_ITEM_STRING) {
                g_free(const_cast<char*>(field->value.string_value));
                field->value.string_value = g_strdup(c == highest_seq ? "-" : "");
            } else {
                field->value.uint_value = 0;
            }
        }
    }
    reset_counts();
}

void free_item(stat_tap_table*, guint, guint column, stat_tap_table_item_type* field) {
    if (columns[column].type == TABLE_ITEM_STRING) {
        g_free(const_cast<char*>(field->value.string_value));
        field->value.string_value = nullptr;
    }
}

void init_table(stat_tap_table_ui* ui) {
    if (stat_tap_table* table = stat_tap_find_table(ui, table_name)) {
        if (ui->stat_tap_reset_table_cb)
            ui->stat_tap_reset_table_cb(table);
        return;
    }
    // No rows left from an earlier table: its streams are forgotten too.
    try {
        streams().clear();
    } catch (...) {
    }
    stat_tap_table* table = stat_tap_init_table(table_name, column_count, 0, nullptr);
    stat_tap_add_table(ui, table);
}

tap_packet_status count_message(void* tapdata, packet_info*, epan_dissect_t*, const void* data,
                                tap_flags_t) {
    auto* stat = static_cast<stat_data_t*>(tapdata);
    const auto* message = static_cast<const TapMessage*>(data);
    stat_tap_table* table = stat && message ? table_of(stat->stat_tap_data) : nullptr;
    if (!table)
        return TAP_PACKET_DONT_REDRAW;
    const std::optional<std::size_t> row = record(*message);
    if (!row || *row > G_MAXUINT)
        return TAP_PACKET_DONT_REDRAW;
    RowCells cells;
    if (!cells_of(*row, cells))
        return TAP_PACKET_DONT_REDRAW;
    write_row(table, static_cast<guint>(*row), cells);
    return TAP_PACKET_REDRAW;
}

stat_tap_table_ui streams_ui = {
    REGISTER_PACKET_STAT_GROUP_UNSORTED,
    "CoAP-JWS Streams",
    "coapjws",
    "coapjws,streams",
    init_table,
    count_message,
    reset_table,
    free_item,
    nullptr,
    column_count,
    columns,
    G_N_ELEMENTS(parameters),
    parameters,
    nullptr,
    0,
};

}  // namespace

void register_stream_statistics() {
    register_stat_tap_table_ui(&streams_ui);
}

}  // namespace coapjws::plugin
