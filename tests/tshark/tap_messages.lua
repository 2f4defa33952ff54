-- A Lua listener on the plugin's "coapjws" tap, as README ("Taps") shows
-- one: prints a line per tap call with the frame number and the fields of
-- the frame's messages, for check_lua_tap.py to compare with the
-- hand-written expectations.
--   tshark -q -X lua_script:tap_messages.lua -r capture.pcap
local status = Field.new("coapjws.signature.status")
local finding = Field.new("coapjws.finding")

local function values(extractor)
    local out = {}
    for _, field in ipairs({ extractor() }) do
        out[#out + 1] = tostring(field.value)
    end
    return table.concat(out, ",")
end

local tap = Listener.new("coapjws")
function tap.packet(pinfo, tvb)
    print(string.format("tap\t%d\t%s\t%s", pinfo.number, values(status), values(finding)))
end
