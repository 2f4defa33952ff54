#!/usr/bin/env bash
# The plugin loads: tshark lists coapjws.so among its plugins, with our
# version, and knows the protocol and its fields.
set -euo pipefail
runner=$1
version=$2

plugins=$("$runner" -G plugins)
grep -E "^coapjws\.so[[:space:]]+$version[[:space:]]+dissector" <<<"$plugins" ||
  { echo "FAIL coapjws.so $version not listed by tshark -G plugins:"; echo "$plugins"; exit 1; }

protocols=$("$runner" -G protocols)
grep -P "^CoAP JSON Web Signature\tCoAP-JWS\tcoapjws" <<<"$protocols" ||
  { echo "FAIL protocol coapjws not registered"; exit 1; }

# (-G fields lists every field of every protocol: keep only ours.)
fields=$("$runner" -G fields | grep -P "\tcoapjws")
missing=0
for field in coapjws.alg coapjws.kid coapjws.x5t coapjws.x5t_s256 coapjws.seq coapjws.isi \
  coapjws.crit coapjws.header coapjws.signature coapjws.signed_content coapjws.tid \
  coapjws.request_tid coapjws.request_in coapjws.signature.status coapjws.finding \
  coapjws.replay_of coapjws.retransmission_of coapjws.key_id coapjws.finding.message \
  coapjws.removed_frame; do
  grep -qP "\t$field\t" <<<"$fields" || { echo "FAIL field $field missing"; missing=1; }
done
types=$(awk -F'\t' '$3 ~ /^coapjws\.(seq|request_in|replay_of|retransmission_of)$/ {print $3 "=" $4}' <<<"$fields" | sort)
expected_types=$(printf '%s\n' coapjws.replay_of=FT_FRAMENUM coapjws.request_in=FT_FRAMENUM \
  coapjws.retransmission_of=FT_FRAMENUM coapjws.seq=FT_UINT32 | sort)
[ "$types" = "$expected_types" ] || { echo "FAIL field types: $types"; missing=1; }
for finding in malformed alg_none alg_unsupported crit_unknown key_mismatch bad_signature replay \
  out_of_window seq_exhausted response_replay unknown_key unverifiable unprotected_response \
  option_rejected stripped isi_in_request retransmission not_analysed; do
  grep -qP "\tcoapjws\.expert\.$finding\t" <<<"$fields" ||
    { echo "FAIL expert info coapjws.expert.$finding missing"; missing=1; }
done
prefs=$("$runner" -G defaultprefs | grep "coapjws")
for pref in "coapjws.keys_file: " "coapjws.option_number: 65021" \
  "coapjws.signed_options: 1,4,5,8,11,12,15,17,20" "coapjws.window: 32" \
  "coapjws.header_json: TRUE"; do
  grep -qF "#$pref" <<<"$prefs" || { echo "FAIL preference '$pref' missing"; missing=1; }
done
[ $missing -eq 0 ] && echo "ok   plugin loaded, protocol, fields, expert infos and preferences registered"
exit $missing
