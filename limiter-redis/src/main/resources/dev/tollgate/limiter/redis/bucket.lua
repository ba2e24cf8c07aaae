-- Token bucket, leaky bucket and GCRA: a level in exact fixed point that drains by `drain` per tick;
-- zero is the full allowance, a request of p permits adds p * size and fits while the level stays
-- at most `full`. The caller keeps full below 2^52, so every sum here is exact.
-- KEYS[1]  hash  l = level, u = tick the level was measured at, t = latest decision time (microseconds)
-- ARGV     now (microseconds), permits, consume (1 or 0), size of a permit, drain per tick, full level,
--          tick (microseconds), expiry grace (ms)
-- returns  {allowed (1 or 0), time decided at (microseconds), level}
local now = tonumber(ARGV[1])
local permits = tonumber(ARGV[2])
local consume = ARGV[3] == '1'
local size = tonumber(ARGV[4])
local drain = tonumber(ARGV[5])
local full = tonumber(ARGV[6])
local tick = tonumber(ARGV[7])
local grace = tonumber(ARGV[8])

local function expire_at(key, spent)
    redis.call('PEXPIRE', key, math.min(math.ceil((spent - now) / 1000), 2 ^ 40) + grace)
end

local state = redis.call('HMGET', KEYS[1], 'l', 'u', 't')
local touched = tonumber(state[3])
if touched and touched > now then
    now = touched
end
local ticks = (now - now % tick) / tick
local level = 0
local stored = tonumber(state[1])
if stored and stored > 0 then
    -- past 2^53 the product is inexact, but then it is past any level too
    local drained = (ticks - tonumber(state[2])) * drain
    if drained >= 0 and drained < stored then
        level = stored - drained
    end
end
local needed = permits * size
local allowed = level + needed <= full
if consume then
    if allowed then
        level = level + needed
        redis.call('HSET', KEYS[1], 'l', level, 'u', ticks, 't', now)
        expire_at(KEYS[1], (ticks + math.ceil(level / drain)) * tick)
    elseif touched then
        redis.call('HSET', KEYS[1], 't', now)
    end
end
return {allowed and 1 or 0, now, level}
