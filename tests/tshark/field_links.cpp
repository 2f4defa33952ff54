// Prints the link type of each frame-number field named on the command line,
// as Wireshark registered it with the coapjws plugin loaded: "NAME TYPE"
// (FT_FRAMENUM_REQUEST, ...), or "NAME missing" / "NAME not-a-frame-number".
// The type decides the icon Wireshark's packet list draws for a related frame,
// and tshark prints it nowhere, so check_links.py asks libwireshark itself.
// Run through run_tshark.sh (TSHARK=field_links), which puts the plugin in a
// temporary HOME and drops root, as for tshark.
#include <epan/epan.h>
#include <wiretap/wtap.h>
#include <wsutil/privileges.h>

#include <cstdio>

#include "ws.hpp"

namespace {

const char* framenum_type_name(unsigned type) {
    switch (type) {
        case FT_FRAMENUM_NONE:
            return "FT_FRAMENUM_NONE";
        case FT_FRAMENUM_REQUEST:
            return "FT_FRAMENUM_REQUEST";
        case FT_FRAMENUM_RESPONSE:
            return "FT_FRAMENUM_RESPONSE";
        case FT_FRAMENUM_ACK:
            return "FT_FRAMENUM_ACK";
        case FT_FRAMENUM_DUP_ACK:
            return "FT_FRAMENUM_DUP_ACK";
        case FT_FRAMENUM_RETRANS_PREV:
            return "FT_FRAMENUM_RETRANS_PREV";
        case FT_FRAMENUM_RETRANS_NEXT:
            return "FT_FRAMENUM_RETRANS_NEXT";
        default:
            return "unknown";
    }
}

}  // namespace

int main(int argc, char** argv) {
    init_process_policies();  // before anything asks whether we run as root
    if (!coapjws::plugin::wscompat::init_configuration(argv[0]))
        return 2;
    wtap_init(true);
    if (!epan_init(nullptr, nullptr, true)) {
        std::fprintf(stderr, "field_links: epan_init failed\n");
        return 2;
    }
    for (int i = 1; i < argc; ++i) {
        header_field_info* field = proto_registrar_get_byname(argv[i]);
        if (!field)
            std::printf("%s missing\n", argv[i]);
        else if (field->type != FT_FRAMENUM)
            std::printf("%s not-a-frame-number\n", argv[i]);
        else
            std::printf("%s %s\n", argv[i], framenum_type_name(GPOINTER_TO_UINT(field->strings)));
    }
    epan_cleanup();
    wtap_cleanup();
    return 0;
}
