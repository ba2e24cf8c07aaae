-- Fixed window: permits counted per window, windows aligned to the epoch. Times in microseconds.
-- KEYS[1]  hash  w = start of the counted window, c = permits counted in it, t = latest decision time
-- ARGV     now, permits, consume (1 or 0), limit, window, expiry grace (ms)
-- returns  {allowed (1 or 0), time decided at, count}
local now = tonumber(ARGV[1])
local permits = tonumber(ARGV[2])
local consume = ARGV[3] == '1'
local limit = tonumber(ARGV[4])
local window = tonumber(ARGV[5])
local grace = tonumber(ARGV[6])

local function expire_at(key, spent)
    -- capped at about 34 years: a longer expiry overflows Redis, and forgetting only ever admits more
    redis.call('PEXPIRE', key, math.min(math.ceil((spent - now) / 1000), 2 ^ 40) + grace)
end

local state = redis.call('HMGET', KEYS[1], 'w', 'c', 't')
local touched = tonumber(state[3])
if touched and touched > now then
    now = touched
end
local start = now - now % window
local count = 0
if tonumber(state[1]) == start then
    count = tonumber(state[2])
end
local allowed = count + permits <= limit
if consume then
    if allowed then
        count = count + permits
        redis.call('HSET', KEYS[1], 'w', start, 'c', count, 't', now)
        expire_at(KEYS[1], start + window)
    elseif touched then
        redis.call('HSET', KEYS[1], 't', now)
    end
end
return {allowed and 1 or 0, now, count}
