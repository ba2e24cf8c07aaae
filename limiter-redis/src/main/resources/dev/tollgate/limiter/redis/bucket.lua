-- Token bucket, leaky bucket and GCRA: a level in exact fixed point that drains by `drain` per tick;
-- zero is the full allowance, a request of p permits adds p * size and fits while the level stays
-- at most `full`. The caller keeps full below 2^52, so every sum here is exact.
-- KEYS[1]  "<level> <tick the level was measured at> <latest decision time (microseconds)>"
-- A reservation may take the level past `full`, by what drains within its longest wait: the permits are
-- then due when the excess has drained. Giving back takes a cancelled reservation's permits out again.
-- ARGV     now (microseconds), permits, mode, size of a permit, drain per tick, full level,
--          tick (microseconds), expiry grace (ms)
--          mode: 0 peek; 1 take; 1 + d reserve, the permits due within d microseconds; -1 give back
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
local mode = tonumber(ARGV[3])
local full = tonumber(ARGV[6])
if mode < 0 then
    if state then
        level = math.max(0, level - needed)
        redis.call('SET', KEYS[1], string.format('%d %d %d', level, ticks, now), 'KEEPTTL')
    end
    return {1, now, level}
end
-- the excess over the full level that drains within the longest wait, capped so the level stays exact
local slack = 0
if mode > 1 then
    slack = math.min(math.floor((now % tick + mode - 1) / tick) * drain, 2 ^ 53 - full)
end
local allowed = level - full + needed <= slack
if mode > 0 then
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
