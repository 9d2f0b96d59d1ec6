-- ChaCha20-Poly1305 (RFC 8439) in pure Lua 5.2 with bit32, for the Parley dissector's key-log
-- decryption (docs/WIRESHARK.md). Debian packages no Lua binding of it, and Wireshark 4.0 bundles
-- Lua 5.2, whose numbers are doubles: every value here stays an exact integer below 2^53.
--   * ChaCha20 works on 32-bit words with bit32 (rotate, xor) and sums taken mod 2^32.
--   * Poly1305 keeps its 130-bit numbers in ten 13-bit limbs, so a limb product is 26 bits and
--     the sum of a row, reduction factor 5 included, stays under 2^34.
-- Byte strings are Lua strings. Checked against the RFC 8439 vectors by tools/wireshark/test/
-- crypto_test.lua (run by WiresharkCryptoTest).
-- Not constant time: it reads captures, it never guards a secret.

-- Lua 5.2 (Wireshark 4.0 to 4.2) has bit32; Lua 5.3 and later have native integer operators
-- instead, loaded from text here so that Lua 5.2 can still parse this file.
local bit32 = bit32 or load([[
  local M = {}
  function M.band(a, b) return (a & b) & 0xffffffff end
  function M.bxor(a, b) return (a ~ b) & 0xffffffff end
  function M.lrotate(a, n) a = a & 0xffffffff; return ((a << n) | (a >> (32 - n))) & 0xffffffff end
  return M
]])()
local M = {}

local TWO32 = 4294967296

local function u32le(s, i)
  local a, b, c, d = s:byte(i, i + 3)
  return a + b * 256 + c * 65536 + d * 16777216
end

local function le32(w)
  return string.char(w % 256, math.floor(w / 256) % 256, math.floor(w / 65536) % 256,
    math.floor(w / 16777216) % 256)
end

local rol = bit32.lrotate
local bxor = bit32.bxor

local function qr(x, a, b, c, d)
  x[a] = (x[a] + x[b]) % TWO32; x[d] = rol(bxor(x[d], x[a]), 16)
  x[c] = (x[c] + x[d]) % TWO32; x[b] = rol(bxor(x[b], x[c]), 12)
  x[a] = (x[a] + x[b]) % TWO32; x[d] = rol(bxor(x[d], x[a]), 8)
  x[c] = (x[c] + x[d]) % TWO32; x[b] = rol(bxor(x[b], x[c]), 7)
end

--- One 64-byte ChaCha20 block (RFC 8439 2.3): key 32 bytes, counter, nonce 12 bytes.
function M.chacha20_block(key, counter, nonce)
  local s = { 0x61707865, 0x3320646e, 0x79622d32, 0x6b206574 }
  for i = 0, 7 do s[5 + i] = u32le(key, 1 + 4 * i) end
  s[13] = counter % TWO32
  for i = 0, 2 do s[14 + i] = u32le(nonce, 1 + 4 * i) end
  local x = {}
  for i = 1, 16 do x[i] = s[i] end
  for _ = 1, 10 do
    qr(x, 1, 5, 9, 13); qr(x, 2, 6, 10, 14); qr(x, 3, 7, 11, 15); qr(x, 4, 8, 12, 16)
    qr(x, 1, 6, 11, 16); qr(x, 2, 7, 12, 13); qr(x, 3, 8, 9, 14); qr(x, 4, 5, 10, 15)
  end
  local out = {}
  for i = 1, 16 do out[i] = le32((x[i] + s[i]) % TWO32) end
  return table.concat(out)
end

--- ChaCha20 encryption (RFC 8439 2.4): the same call decrypts.
function M.chacha20(key, counter, nonce, data)
  local out = {}
  local n = #data
  local block = 0
  for at = 1, n, 64 do
    local ks = M.chacha20_block(key, counter + block, nonce)
    block = block + 1
    local last = math.min(at + 63, n)
    local piece = {}
    for i = at, last do
      piece[#piece + 1] = string.char(bxor(data:byte(i), ks:byte(i - at + 1)))
    end
    out[#out + 1] = table.concat(piece)
  end
  return table.concat(out)
end

-- ---- Poly1305: ten 13-bit limbs --------------------------------------------------------------

local LIMB = 8192 -- 2^13
local LIMBS = 10  -- 130 bits

-- Limbs of the little-endian number in bytes s[i .. i+len-1], plus 2^(8*len) when pad is true.
local function limbs(s, i, len, pad)
  local bytes = {}
  for k = 0, len - 1 do bytes[k] = s:byte(i + k) end
  if pad then bytes[len] = 1 end
  local out = {}
  for l = 0, LIMBS - 1 do
    local bitpos = 13 * l
    local b = math.floor(bitpos / 8)
    local v = (bytes[b] or 0) + (bytes[b + 1] or 0) * 256 + (bytes[b + 2] or 0) * 65536
    out[l] = math.floor(v / 2 ^ (bitpos % 8)) % LIMB
  end
  return out
end

-- Carries every limb into the next; 2^130 = 5 mod p, so what leaves the top re-enters times 5.
local function carry(h)
  for _ = 1, 3 do
    for l = 0, LIMBS - 2 do
      local c = math.floor(h[l] / LIMB)
      h[l] = h[l] % LIMB
      h[l + 1] = h[l + 1] + c
    end
    local c = math.floor(h[LIMBS - 1] / LIMB)
    h[LIMBS - 1] = h[LIMBS - 1] % LIMB
    h[0] = h[0] + 5 * c
  end
end

local function mulmod(h, r)
  local d = {}
  for k = 0, 2 * LIMBS - 2 do d[k] = 0 end
  for i = 0, LIMBS - 1 do
    local hi = h[i]
    if hi ~= 0 then
      for j = 0, LIMBS - 1 do d[i + j] = d[i + j] + hi * r[j] end
    end
  end
  for k = 2 * LIMBS - 2, LIMBS, -1 do
    d[k - LIMBS] = d[k - LIMBS] + 5 * d[k]
  end
  local out = {}
  for l = 0, LIMBS - 1 do out[l] = d[l] end
  carry(out)
  return out
end

local function clamp(key)
  local b = { key:byte(1, 16) }
  for _, i in ipairs({ 4, 8, 12, 16 }) do b[i] = b[i] % 16 end   -- r[3], r[7], r[11], r[15] &= 15
  for _, i in ipairs({ 5, 9, 13 }) do b[i] = b[i] - b[i] % 4 end  -- r[4], r[8], r[12] &= 252
  local s = {}
  for i = 1, 16 do s[i] = string.char(b[i]) end
  return table.concat(s)
end

--- Poly1305 tag (RFC 8439 2.5) of msg under the 32-byte one-time key.
function M.poly1305(key, msg)
  local r = limbs(clamp(key), 1, 16, false)
  local h = {}
  for l = 0, LIMBS - 1 do h[l] = 0 end
  local n = #msg
  for at = 1, n, 16 do
    local len = math.min(16, n - at + 1)
    local m = limbs(msg, at, len, true)
    for l = 0, LIMBS - 1 do h[l] = h[l] + m[l] end
    h = mulmod(h, r)
  end
  carry(h)
  -- Full reduction: h < 2^130 + small; h - p = h + 5 - 2^130 when that is not negative.
  local g = {}
  local c = 5
  for l = 0, LIMBS - 1 do
    local v = h[l] + c
    g[l] = v % LIMB
    c = math.floor(v / LIMB)
  end
  if c > 0 then h = g end
  -- h + s mod 2^128, little-endian: walk the 130 bits out byte by byte.
  local sbytes = { key:byte(17, 32) }
  local out = {}
  local acc, accbits, l, cy = 0, 0, 0, 0
  for i = 1, 16 do
    while accbits < 8 do
      acc = acc + (h[l] or 0) * 2 ^ accbits
      accbits = accbits + 13
      l = l + 1
    end
    local byte = acc % 256
    acc = math.floor(acc / 256)
    accbits = accbits - 8
    local v = byte + sbytes[i] + cy
    out[i] = string.char(v % 256)
    cy = math.floor(v / 256)
  end
  return table.concat(out)
end

local function pad16(n)
  local r = n % 16
  return r == 0 and "" or string.rep("\0", 16 - r)
end

local function le64(n)
  return le32(n % TWO32) .. le32(math.floor(n / TWO32))
end

--- The AEAD tag over aad and ciphertext (RFC 8439 2.8).
local function aead_tag(key, nonce, aad, ct)
  local otk = M.chacha20_block(key, 0, nonce):sub(1, 32)
  return M.poly1305(otk, aad .. pad16(#aad) .. ct .. pad16(#ct) .. le64(#aad) .. le64(#ct))
end

--- Seals plaintext: returns ciphertext .. tag.
function M.seal(key, nonce, aad, plaintext)
  local ct = M.chacha20(key, 1, nonce, plaintext)
  return ct .. aead_tag(key, nonce, aad, ct)
end

--- Opens ciphertext .. tag; returns the plaintext, or nil when the tag does not verify.
function M.open(key, nonce, aad, sealed)
  if #sealed < 16 then return nil end
  local ct = sealed:sub(1, #sealed - 16)
  local tag = sealed:sub(#sealed - 15)
  if aead_tag(key, nonce, aad, ct) ~= tag then return nil end
  return M.chacha20(key, 1, nonce, ct)
end

function M.from_hex(h)
  h = h:gsub("[^%x]", "")
  return (h:gsub("%x%x", function(x) return string.char(tonumber(x, 16)) end))
end

function M.to_hex(s)
  return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end))
end

--- The nonce of one peer datagram (PROTOCOL.md 9.2): the direction's IV XOR the packet number,
--- big-endian, right-aligned.
function M.packet_nonce(iv, pn)
  local pnb = string.char(math.floor(pn / 16777216) % 256, math.floor(pn / 65536) % 256,
    math.floor(pn / 256) % 256, pn % 256)
  local out = { iv:sub(1, 8) }
  for i = 1, 4 do out[#out + 1] = string.char(bxor(iv:byte(8 + i), pnb:byte(i))) end
  return table.concat(out)
end

return M
