-- The peer channel's streams put back together for the Parley dissector (PROTOCOL.md 9.3, 9.9):
-- per direction (destination session id) and stream (sid for stream 0, sid .. "/1" for stream 1),
-- the STREAM and BULK data of opened packets in offset order, cut into the u32-length messages of
-- section 9.3. Fed in capture order on the first pass. Plain Lua, no Wireshark API.

local M = {}
M.__index = M

local MAX_MESSAGE = 1048576

function M.new()
  return setmetatable({ streams = {} }, M) -- key -> { next = offset, buf, pending = {offset -> data}, frames, dead }
end

local function state(self, key)
  local s = self.streams[key]
  if not s then s = { next = 0, buf = "", pending = {}, frames = {}, dead = false }; self.streams[key] = s end
  return s
end

local function take(self, key, frame, offset, data, out)
  local s = state(self, key)
  if s.dead then return end
  s.pending[offset] = (s.pending[offset] and #s.pending[offset] >= #data) and s.pending[offset] or data
  local progressed = true
  while progressed do
    progressed = false
    for o, d in pairs(s.pending) do
      if o + #d <= s.next then
        s.pending[o] = nil
      elseif o <= s.next then
        s.buf = s.buf .. d:sub(s.next - o + 1)
        s.next = o + #d
        s.pending[o] = nil
        progressed = true
        if s.frames[#s.frames] ~= frame then s.frames[#s.frames + 1] = frame end
      end
    end
  end
  while #s.buf >= 4 do
    local a, b, c, d = s.buf:byte(1, 4)
    local n = ((a * 256 + b) * 256 + c) * 256 + d
    if n > MAX_MESSAGE then
      s.dead = true
      out[#out + 1] = { bad = "length prefix " .. n .. " over 1 MiB: the session dies" }
      return
    end
    if #s.buf < 4 + n then break end
    out[#out + 1] = { data = s.buf:sub(5, 4 + n), frames = table.concat(s.frames, ",") }
    s.buf = s.buf:sub(5 + n)
    s.frames = (#s.buf > 0) and { frame } or {}
  end
end

-- The STREAM and BULK frames of an opened packet, read without a tree: calls
-- fn(stream, offset, data) for each, stream 0 for STREAM and 1 for BULK (9.9); stops at anything
-- it cannot read (the tree pass reports it).
local FIXED_FRAME = { [0x03] = 0, [0x04] = 1, [0x05] = 9, [0x06] = 8, [0x07] = 8, [0x0A] = 16, [0x0C] = 1 }
local function scan(plain, fn)
  local at, n = 1, #plain
  local function num(i, k)
    local v = 0
    for j = i, i + k - 1 do v = v * 256 + plain:byte(j) end
    return v
  end
  while at <= n do
    local typ = plain:byte(at)
    at = at + 1
    if typ == 0x01 or typ == 0x09 then
      if at + 9 > n then return end
      local off = num(at, 8)
      local len = num(at + 8, 2)
      if at + 10 + len - 1 > n then return end
      fn(typ == 0x09 and 1 or 0, off, plain:sub(at + 10, at + 9 + len))
      at = at + 10 + len
    elseif typ == 0x02 then
      if at + 26 > n then return end
      local extra = plain:byte(at + 24)
      at = at + 27 + 4 * extra
    elseif FIXED_FRAME[typ] then
      at = at + FIXED_FRAME[typ]
    else
      return
    end
  end
end

--- Takes the frames of one opened packet to session sid (16 hex digits), seen in capture frame
--- `frame`; returns the messages it completes, in order: { data, frames = "n,m" } or { bad = text }.
function M:packet(sid, frame, plain)
  local out = {}
  -- each stream is put back in order on its own: stream 1 under the key sid .. "/1"
  scan(plain, function(stream, off, data)
    take(self, stream == 1 and (sid .. "/1") or sid, frame, off, data, out)
  end)
  return out
end

return M
