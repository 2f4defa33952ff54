// libwiretap's API, the same on every Wireshark release the project serves
// (4.0 on Debian 12, 4.4 on Debian 13, 4.6). From 4.6 on the record owns its
// data buffer (wtap_read() has no Buffer argument and wtap_rec_init() takes
// a size); before, the caller passes a Buffer.
#pragma once

#include <wiretap/pcap-encap.h>
#include <wiretap/wtap.h>
#include <ws_version.h>
#include <wsutil/buffer.h>
#include <wsutil/wslog.h>

#if WIRESHARK_VERSION_MAJOR > 4 || (WIRESHARK_VERSION_MAJOR == 4 && WIRESHARK_VERSION_MINOR >= 6)
#define COAPJWS_WTAP_REC_HOLDS_DATA 1
#else
#define COAPJWS_WTAP_REC_HOLDS_DATA 0
#endif

namespace coapjws::scan {

// Initialises libwiretap once per process (wtap_init(), quiet logging, the
// link type tables); every use of wiretap calls it first.
void init_wiretap();

inline void wiretap_rec_init(wtap_rec* rec) {
#if COAPJWS_WTAP_REC_HOLDS_DATA
    wtap_rec_init(rec, 2048);
#else
    wtap_rec_init(rec);
#endif
}

}  // namespace coapjws::scan
