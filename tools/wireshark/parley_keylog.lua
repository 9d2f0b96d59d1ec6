-- The key log of PROTOCOL.md section 12, as the Parley dissector reads it: per destination
-- session id, the ChaCha20-Poly1305 key and IV (PARLEY_PEER_KEY) and the AES-256-GCM key
-- (PARLEY_PEER_GCM_KEY; same IV, 9.1), and which of them opens a datagram (9.2). Lines it does not
-- know are skipped, as section 12 requires. Plain Lua, no Wireshark API: parley.lua passes the
-- file's path (its preference) and the two AEAD modules in.

local M = {}
M.__index = M

--- A key log reader over crypto (parley_crypto.lua) and aes (parley_aes.lua, or nil when it did
--- not load: AES-sealed datagrams then stay sealed, with the reason).
function M.new(crypto, aes)
  local self = setmetatable({ crypto = crypto, aes = aes }, M)
  self:reset()
  return self
end

--- Forgets every key (a new capture).
function M:reset()
  self.keys = {}      -- destination session id (16 hex digits) -> { key, iv }
  self.gcm_keys = {}  -- destination session id -> AES-256-GCM key
  self.misses = {}    -- the tables above -> { session ids looked for and not found }
  self.loaded_from = nil
end

--- The preference changed: read the file again on the next look-up.
function M:changed() self.loaded_from = nil end

function M:load(path, force)
  if path == nil or path == "" then return end
  if self.loaded_from == path and not force then return end
  self.loaded_from = path
  local fh = io.open(path, "r")
  if not fh then return end
  local hex = self.crypto.from_hex
  for line in fh:lines() do
    local sid, key, iv = line:match("^PARLEY_PEER_KEY (%x+) (%x+) (%x+)%s*$")
    if sid and #sid == 16 and #key == 64 and #iv == 24 then
      self.keys[sid:lower()] = { key = hex(key), iv = hex(iv) }
    end
    local gsid, gkey = line:match("^PARLEY_PEER_GCM_KEY (%x+) (%x+)%s*$")
    if gsid and #gsid == 16 and #gkey == 64 then self.gcm_keys[gsid:lower()] = hex(gkey) end
  end
  fh:close()
end

-- The entry of keys or gcm_keys for a session, nil when the key log has none.
function M:lookup(path, tbl, sid)
  self:load(path, false)
  local k = tbl[sid]
  local misses = self.misses[tbl] or {}
  self.misses[tbl] = misses
  if not k and not misses[sid] then
    misses[sid] = true -- the file may have grown since: read it again, once per session
    self:load(path, true)
    k = tbl[sid]
  end
  return k
end

--- What opens a datagram to session sid (16 hex digits) sealed with AES-256-GCM when gcm, else
--- with ChaCha20-Poly1305: the open function, the key and the IV; or nil and why not.
function M:opener(path, gcm, sid)
  local k = self:lookup(path, self.keys, sid)
  if not k then return nil, "no key for session " .. sid .. " (set parley.keylog)" end
  if not gcm then return self.crypto.open, k.key, k.iv end
  if not self.aes then return nil, "parley_aes.lua did not load: AES-256-GCM datagrams stay sealed" end
  local g = self:lookup(path, self.gcm_keys, sid)
  if not g then return nil, "no AES-256-GCM key for session " .. sid .. " (no PARLEY_PEER_GCM_KEY line in the key log)" end
  return self.aes.open, g, k.iv
end

return M
