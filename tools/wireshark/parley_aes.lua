-- AES-256-GCM (FIPS 197, NIST SP 800-38D) in pure Lua 5.2 with bit32, for the Parley dissector's
-- key-log decryption of datagrams sealed with the optional second AEAD (PROTOCOL.md 9.2, flags
-- 0x01). Only what opening needs: AES-256 in the encryption direction (GCM runs the block cipher
-- forwards both ways), GCTR with a 32-bit counter, GHASH, and a 96-bit nonce.
-- Numbers are doubles in Lua 5.2: words stay integers below 2^32, bytes are cut out of them with
-- % and exact division (VM operations, cheaper than bit32 calls); xor is bit32.bxor, called with
-- many arguments at once.
--   * AES: four 256-entry T-tables (SubBytes, ShiftRows and MixColumns in one lookup per byte).
--   * GHASH: per key, sixteen 256-entry tables, one per byte position of the block, of that byte
--     times H; a block times H is the xor of sixteen lookups per 32-bit word.
-- Checked against FIPS 197 C.3, the GCM spec's test cases 13-16 and the JDK's AES/GCM by
-- tools/wireshark/test/crypto_test.lua (run by WiresharkCryptoTest).
-- Not constant time: it reads captures, it never guards a secret.

-- Lua 5.2 (Wireshark 4.0 to 4.2) has bit32; Lua 5.3 and later have native integer operators,
-- loaded from text here so that Lua 5.2 can still parse this file.
local bit32 = bit32 or load([[
  local M = {}
  function M.bxor(...)
    local r = 0
    for i = 1, select("#", ...) do r = r ~ math.tointeger(select(i, ...)) end
    return r & 0xffffffff
  end
  return M
]])()
local bxor = bit32.bxor
local M = {}

local B1, B2, B3 = 256, 65536, 16777216
local TOP = 2147483648 -- 2^31

-- ---- AES tables -------------------------------------------------------------------------------

local function xtime(b) b = b * 2; if b >= 256 then b = bxor(b, 0x11b) end; return b end

-- The S-box from its definition: the inverse in GF(2^8) (by powers of the generator 3), then the
-- affine map.
local SBOX = {}
do
  local exp, log = {}, {}
  local v = 1
  for i = 0, 254 do exp[i] = v; log[v] = i; v = bxor(v, xtime(v)) end
  local function rotl8(b, n) return (b * 2 ^ n) % 256 + (b - b % 2 ^ (8 - n)) / 2 ^ (8 - n) end
  for x = 0, 255 do
    local inv = x == 0 and 0 or exp[(255 - log[x]) % 255]
    SBOX[x] = bxor(inv, rotl8(inv, 1), rotl8(inv, 2), rotl8(inv, 3), rotl8(inv, 4), 0x63)
  end
end

-- T0[x] = (2s, s, s, 3s) for s = S[x], big-endian; T1..T3 are its byte rotations. F0..F3 hold S[x]
-- in one byte position each, for the last round (no MixColumns).
local T0, T1, T2, T3, F0, F1, F2, F3 = {}, {}, {}, {}, {}, {}, {}, {}
for x = 0, 255 do
  local s = SBOX[x]
  local s2 = xtime(s)
  local s3 = bxor(s2, s)
  T0[x] = s2 * B3 + s * B2 + s * B1 + s3
  T1[x] = s3 * B3 + s2 * B2 + s * B1 + s
  T2[x] = s * B3 + s3 * B2 + s2 * B1 + s
  T3[x] = s * B3 + s * B2 + s3 * B1 + s2
  F0[x], F1[x], F2[x], F3[x] = s * B3, s * B2, s * B1, s
end

local function word(s, i)
  local a, b, c, d = s:byte(i, i + 3)
  return ((a * 256 + b) * 256 + c) * 256 + d
end

local function sub_word(w)
  return F0[(w - w % B3) / B3] + F1[(w % B3 - w % B2) / B2] + F2[(w % B2 - w % B1) / B1] + F3[w % B1]
end

--- The 60 round-key words of a 32-byte AES-256 key (FIPS 197 5.2), 1-based.
function M.expand_key(key)
  assert(#key == 32, "AES-256 needs a 32-byte key")
  local w = {}
  for i = 0, 7 do w[i + 1] = word(key, 1 + 4 * i) end
  local rcon = 1
  for i = 8, 59 do
    local t = w[i]
    if i % 8 == 0 then
      t = (t % B3) * B1 + (t - t % B3) / B3 -- RotWord
      t = bxor(sub_word(t), rcon * B3)
      rcon = xtime(rcon)
    elseif i % 8 == 4 then
      t = sub_word(t)
    end
    w[i + 1] = bxor(w[i - 7], t)
  end
  return w
end

--- One AES-256 block: the four big-endian words of the input, encrypted under the round keys.
local function encrypt(rk, s0, s1, s2, s3)
  s0, s1, s2, s3 = bxor(s0, rk[1]), bxor(s1, rk[2]), bxor(s2, rk[3]), bxor(s3, rk[4])
  local k = 5
  for _ = 1, 13 do
    local a0, a1, a2, a3 = (s0 - s0 % B3) / B3, (s0 % B3 - s0 % B2) / B2, (s0 % B2 - s0 % B1) / B1, s0 % B1
    local b0, b1, b2, b3 = (s1 - s1 % B3) / B3, (s1 % B3 - s1 % B2) / B2, (s1 % B2 - s1 % B1) / B1, s1 % B1
    local c0, c1, c2, c3 = (s2 - s2 % B3) / B3, (s2 % B3 - s2 % B2) / B2, (s2 % B2 - s2 % B1) / B1, s2 % B1
    local d0, d1, d2, d3 = (s3 - s3 % B3) / B3, (s3 % B3 - s3 % B2) / B2, (s3 % B2 - s3 % B1) / B1, s3 % B1
    s0 = bxor(T0[a0], T1[b1], T2[c2], T3[d3], rk[k])
    s1 = bxor(T0[b0], T1[c1], T2[d2], T3[a3], rk[k + 1])
    s2 = bxor(T0[c0], T1[d1], T2[a2], T3[b3], rk[k + 2])
    s3 = bxor(T0[d0], T1[a1], T2[b2], T3[c3], rk[k + 3])
    k = k + 4
  end
  local a0, a1, a2, a3 = (s0 - s0 % B3) / B3, (s0 % B3 - s0 % B2) / B2, (s0 % B2 - s0 % B1) / B1, s0 % B1
  local b0, b1, b2, b3 = (s1 - s1 % B3) / B3, (s1 % B3 - s1 % B2) / B2, (s1 % B2 - s1 % B1) / B1, s1 % B1
  local c0, c1, c2, c3 = (s2 - s2 % B3) / B3, (s2 % B3 - s2 % B2) / B2, (s2 % B2 - s2 % B1) / B1, s2 % B1
  local d0, d1, d2, d3 = (s3 - s3 % B3) / B3, (s3 % B3 - s3 % B2) / B2, (s3 % B2 - s3 % B1) / B1, s3 % B1
  return bxor(F0[a0] + F1[b1] + F2[c2] + F3[d3], rk[57]), bxor(F0[b0] + F1[c1] + F2[d2] + F3[a3], rk[58]),
    bxor(F0[c0] + F1[d1] + F2[a2] + F3[b3], rk[59]), bxor(F0[d0] + F1[a1] + F2[b2] + F3[c3], rk[60])
end

local function bytes_of(w0, w1, w2, w3)
  return string.char((w0 - w0 % B3) / B3, (w0 % B3 - w0 % B2) / B2, (w0 % B2 - w0 % B1) / B1, w0 % B1,
    (w1 - w1 % B3) / B3, (w1 % B3 - w1 % B2) / B2, (w1 % B2 - w1 % B1) / B1, w1 % B1,
    (w2 - w2 % B3) / B3, (w2 % B3 - w2 % B2) / B2, (w2 % B2 - w2 % B1) / B1, w2 % B1,
    (w3 - w3 % B3) / B3, (w3 % B3 - w3 % B2) / B2, (w3 % B2 - w3 % B1) / B1, w3 % B1)
end

--- AES-256 of one 16-byte block under a 32-byte key (FIPS 197): for the tests.
function M.aes256_block(key, block)
  return bytes_of(encrypt(M.expand_key(key), word(block, 1), word(block, 5), word(block, 9), word(block, 13)))
end

-- ---- GHASH (SP 800-38D 6.4) ------------------------------------------------------------------

-- The per-key tables G0..G3 (one per 32-bit word of the product), index 256 * i + b: byte value b
-- at byte position i (0-15) of a block, times H. In GCM's bit order x^0 is the top bit of byte 0,
-- so times x is a right shift of the 128-bit block, folding the bit that leaves with 0xE1.
local function ghash_tables(h0, h1, h2, h3)
  local G0, G1, G2, G3 = {}, {}, {}, {}
  for i = 0, 15 do
    local base = 256 * i
    G0[base], G1[base], G2[base], G3[base] = 0, 0, 0, 0
    local bitv = 128
    for _ = 0, 7 do
      G0[base + bitv], G1[base + bitv], G2[base + bitv], G3[base + bitv] = h0, h1, h2, h3
      local out = h3 % 2
      h3 = (h3 - out) / 2 + (h2 % 2) * TOP
      h2 = (h2 - h2 % 2) / 2 + (h1 % 2) * TOP
      h1 = (h1 - h1 % 2) / 2 + (h0 % 2) * TOP
      h0 = (h0 - h0 % 2) / 2
      if out == 1 then h0 = bxor(h0, 0xE1000000) end
      bitv = bitv / 2
    end
    local top = 1
    for b = 2, 255 do
      if b == top * 2 then
        top = b
      else
        local x, y = base + top, base + b - top
        G0[base + b], G1[base + b] = bxor(G0[x], G0[y]), bxor(G1[x], G1[y])
        G2[base + b], G3[base + b] = bxor(G2[x], G2[y]), bxor(G3[x], G3[y])
      end
    end
  end
  return G0, G1, G2, G3
end

-- Expanded keys and GHASH tables by key: a capture holds few sessions, each with many packets.
local cache, cached = {}, 0
local function context(key)
  local c = cache[key]
  if c then return c end
  if cached >= 16 then cache, cached = {}, 0 end -- each key holds 16,384 table entries
  local rk = M.expand_key(key)
  local G0, G1, G2, G3 = ghash_tables(encrypt(rk, 0, 0, 0, 0))
  c = { rk = rk, G0 = G0, G1 = G1, G2 = G2, G3 = G3 }
  cache[key] = c
  cached = cached + 1
  return c
end

-- Returns a function that absorbs one block (four words) into the GHASH state, and one that
-- reads the state.
local function ghash(c)
  local G0, G1, G2, G3 = c.G0, c.G1, c.G2, c.G3
  local y0, y1, y2, y3 = 0, 0, 0, 0
  local function absorb(x0, x1, x2, x3)
    x0, x1, x2, x3 = bxor(y0, x0), bxor(y1, x1), bxor(y2, x2), bxor(y3, x3)
    local a0, a1, a2, a3 = (x0 - x0 % B3) / B3, 256 + (x0 % B3 - x0 % B2) / B2, 512 + (x0 % B2 - x0 % B1) / B1, 768 + x0 % B1
    local b0, b1, b2, b3 = 1024 + (x1 - x1 % B3) / B3, 1280 + (x1 % B3 - x1 % B2) / B2, 1536 + (x1 % B2 - x1 % B1) / B1, 1792 + x1 % B1
    local c0, c1, c2, c3 = 2048 + (x2 - x2 % B3) / B3, 2304 + (x2 % B3 - x2 % B2) / B2, 2560 + (x2 % B2 - x2 % B1) / B1, 2816 + x2 % B1
    local d0, d1, d2, d3 = 3072 + (x3 - x3 % B3) / B3, 3328 + (x3 % B3 - x3 % B2) / B2, 3584 + (x3 % B2 - x3 % B1) / B1, 3840 + x3 % B1
    y0 = bxor(G0[a0], G0[a1], G0[a2], G0[a3], G0[b0], G0[b1], G0[b2], G0[b3], G0[c0], G0[c1], G0[c2], G0[c3], G0[d0], G0[d1], G0[d2], G0[d3])
    y1 = bxor(G1[a0], G1[a1], G1[a2], G1[a3], G1[b0], G1[b1], G1[b2], G1[b3], G1[c0], G1[c1], G1[c2], G1[c3], G1[d0], G1[d1], G1[d2], G1[d3])
    y2 = bxor(G2[a0], G2[a1], G2[a2], G2[a3], G2[b0], G2[b1], G2[b2], G2[b3], G2[c0], G2[c1], G2[c2], G2[c3], G2[d0], G2[d1], G2[d2], G2[d3])
    y3 = bxor(G3[a0], G3[a1], G3[a2], G3[a3], G3[b0], G3[b1], G3[b2], G3[b3], G3[c0], G3[c1], G3[c2], G3[c3], G3[d0], G3[d1], G3[d2], G3[d3])
  end
  return absorb, function() return y0, y1, y2, y3 end
end

-- The words of the 16-byte block of s at i, zero-padded past the end of s.
local function block_words(s, i)
  local n = #s - i + 1
  if n < 16 then s, i = s:sub(i) .. string.rep("\0", 16 - n), 1 end
  local a, b, c, d, e, f, g, h, j, k, l, m, o, p, q, r = s:byte(i, i + 15)
  return ((a * 256 + b) * 256 + c) * 256 + d, ((e * 256 + f) * 256 + g) * 256 + h,
    ((j * 256 + k) * 256 + l) * 256 + m, ((o * 256 + p) * 256 + q) * 256 + r
end

-- GCTR and GHASH in one pass: returns the output and the tag. ghash_input says which of input
-- and output is the ciphertext the tag covers.
local function gcm(key, nonce, aad, input, ghash_input)
  assert(#nonce == 12, "a 96-bit nonce")
  local c = context(key)
  local rk = c.rk
  local absorb, state = ghash(c)
  for at = 1, #aad, 16 do absorb(block_words(aad, at)) end
  local n0, n1, n2 = word(nonce, 1), word(nonce, 5), word(nonce, 9)
  local out = {}
  local n = #input
  local counter = 1
  for at = 1, n, 16 do
    counter = (counter + 1) % 4294967296
    local k0, k1, k2, k3 = encrypt(rk, n0, n1, n2, counter)
    local x0, x1, x2, x3 = block_words(input, at)
    local o0, o1, o2, o3 = bxor(x0, k0), bxor(x1, k1), bxor(x2, k2), bxor(x3, k3)
    local piece = bytes_of(o0, o1, o2, o3)
    if at + 15 > n then
      piece = piece:sub(1, n - at + 1)
      if not ghash_input then o0, o1, o2, o3 = block_words(piece, 1) end
    end
    out[#out + 1] = piece
    if ghash_input then absorb(x0, x1, x2, x3) else absorb(o0, o1, o2, o3) end
  end
  local abits, cbits = #aad * 8, n * 8
  absorb((abits - abits % 4294967296) / 4294967296, abits % 4294967296,
    (cbits - cbits % 4294967296) / 4294967296, cbits % 4294967296)
  local y0, y1, y2, y3 = state()
  local e0, e1, e2, e3 = encrypt(rk, n0, n1, n2, 1)
  return table.concat(out), bytes_of(bxor(y0, e0), bxor(y1, e1), bxor(y2, e2), bxor(y3, e3))
end

--- Seals plaintext with AES-256-GCM (96-bit nonce, 128-bit tag): returns ciphertext .. tag.
function M.seal(key, nonce, aad, plaintext)
  local ct, tag = gcm(key, nonce, aad, plaintext, false)
  return ct .. tag
end

--- Opens ciphertext .. tag; returns the plaintext, or nil when the tag does not verify. The tag
--- comparison looks at all 16 bytes whatever they hold.
function M.open(key, nonce, aad, sealed)
  if #sealed < 16 then return nil end
  local pt, tag = gcm(key, nonce, aad, sealed:sub(1, #sealed - 16), true)
  local want = sealed:sub(#sealed - 15)
  local diff = 0
  for i = 1, 16 do diff = diff + bxor(tag:byte(i), want:byte(i)) end
  if diff ~= 0 then return nil end
  return pt
end

return M
