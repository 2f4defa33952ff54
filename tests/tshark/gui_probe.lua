-- Loaded into Wireshark's GUI by check_gui.py (-X lua_script:...): a tap on
-- every frame records what the plugin shows, as the GUI dissected it while
-- loading the file, and writes it to $COAPJWS_PROBE_OUT whenever Wireshark
-- redraws its taps. One line per frame: number, then the values of NAMES,
-- tab-separated (several values of one field joined by ","), then "yes" or ""
-- for each of PRESENT.
local NAMES = {
  "coapjws.signature.status", "coapjws.tid", "coapjws.finding", "coapjws.request_in",
  "coapjws.replay_of", "coapjws.retransmission_of", "coapjws.finding.related_frame",
  "coapjws.removed_frame",
}
-- Fields whose presence is what counts (an expert info). Nothing of CoAP is
-- asked for: a Lua field extractor is primed into every dissection, which
-- would hand CoAP's fields to the plugin where the GUI alone does not.
local PRESENT = { "coapjws.expert.not_analysed" }
local extractors = {}
for i, name in ipairs(NAMES) do
  extractors[i] = Field.new(name)
end
local presence = {}
for i, name in ipairs(PRESENT) do
  presence[i] = Field.new(name)
end

local out = os.getenv("COAPJWS_PROBE_OUT")
local rows = {}
local last = 0
local tap = Listener.new("frame", nil, false)

function tap.packet(pinfo, tvb)
  local columns = { tostring(pinfo.number) }
  for i, extract in ipairs(extractors) do
    local values = {}
    for _, field in ipairs({ extract() }) do
      values[#values + 1] = tostring(field.value)
    end
    columns[#columns + 1] = table.concat(values, ",")
  end
  for _, extract in ipairs(presence) do
    columns[#columns + 1] = extract() and "yes" or ""
  end
  rows[pinfo.number] = table.concat(columns, "\t")
  if pinfo.number > last then last = pinfo.number end
end

function tap.draw()
  local file = io.open(out .. ".part", "w")
  for number = 1, last do
    if rows[number] then file:write(rows[number], "\n") end
  end
  file:close()
  os.rename(out .. ".part", out)
end

function tap.reset()
  rows = {}
  last = 0
end
