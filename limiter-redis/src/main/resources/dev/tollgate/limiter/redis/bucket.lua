-- Token bucket, leaky bucket and GCRA: a level in exact fixed point that drains by `drain` per tick;
-- zero is the full allowance, a request of p permits adds p * size and fits while the level stays
-- at most `full`. The caller keeps full below 2^52, so every sum here is exact.
-- KEYS[1]  "<level> <tick the level was measured at> <latest decision time (microseconds)>"
-- ARGV     now (microseconds), permits, consume (1 or 0), size of a permit, drain per tick, full level,
--          tick (microseconds), expiry grace (ms)
-- returns  {allowed (1 or 0), time decided at (microseconds), level}
local now = tonumber(ARGV[1])
local drain = tonumber(ARGV[5])
local tick = tonumber(ARGV[7])

local stored, measured, touched
local state = redis.call('GET', KEYS[1])
if state then
    local l, u, t = string.match(state, '^(%d+) (%-?%d+) (%-?%d+)$')
    stored, measured, touched = tonumber(l), tonumber(u), tonumber(t)
    if touched > now then
        now = touched
    end
end
local ticks = (now - now % tick) / tick
local level = 0
if state then
    -- past 2^53 the product is inexact, but then it is past any level too
    local drained = (ticks - measured) * drain
    if drained >= 0 and drained < stored then
        level = stored - drained
    end
end
local needed = tonumber(ARGV[2]) * tonumber(ARGV[4])
local allowed = level + needed <= tonumber(ARGV[6])
if ARGV[3] == '1' then
    if allowed then
        level = level + needed
        -- spent once drained; capped at about 34 years, past which Redis overflows
        local ttl = math.min(math.ceil(((ticks + math.ceil(level / drain)) * tick - now) / 1000), 2 ^ 40)
                + tonumber(ARGV[8])
        redis.call('SET', KEYS[1], string.format('%d %d %d', level, ticks, now), 'PX', ttl)
    elseif state then
        redis.call('SET', KEYS[1], string.format('%d %d %d', stored, measured, now), 'KEEPTTL')
    end
end
return {allowed and 1 or 0, now, level}
