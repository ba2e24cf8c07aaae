-- Sliding window counter: permits per epoch-aligned window, the previous window weighed by the
-- share of it still inside the sliding window. Admitted while
-- previous * rest <= (limit - current - permits) * window, compared exactly: the caller keeps
-- limit * window below 2^53. Windows in ticks of `tick` microseconds.
-- KEYS[1]  hash  w = start of the window counted in c, c = its permits, p = the window before's,
--                t = latest decision time (microseconds)
-- ARGV     now (microseconds), permits, consume (1 or 0), limit, window (ticks), tick, expiry grace (ms)
-- returns  {allowed (1 or 0), time decided at (microseconds), current, previous}
local now = tonumber(ARGV[1])
local permits = tonumber(ARGV[2])
local consume = ARGV[3] == '1'
local limit = tonumber(ARGV[4])
local window = tonumber(ARGV[5])
local tick = tonumber(ARGV[6])
local grace = tonumber(ARGV[7])

local function expire_at(key, spent)
    redis.call('PEXPIRE', key, math.min(math.ceil((spent - now) / 1000), 2 ^ 40) + grace)
end

local state = redis.call('HMGET', KEYS[1], 'w', 'c', 'p', 't')
local touched = tonumber(state[4])
if touched and touched > now then
    now = touched
end
local ticks = (now - now % tick) / tick
local start = ticks - ticks % window
local current = 0
local previous = 0
local counted = tonumber(state[1])
if counted == start then
    current = tonumber(state[2])
    previous = tonumber(state[3])
elseif counted == start - window then
    previous = tonumber(state[2])
end
local rest = window - (ticks - start)
local room = limit - current - permits
local allowed = room >= 0 and previous * rest <= room * window
if consume then
    if allowed then
        current = current + permits
        redis.call('HSET', KEYS[1], 'w', start, 'c', current, 'p', previous, 't', now)
        expire_at(KEYS[1], (start + 2 * window) * tick)
    elseif touched then
        redis.call('HSET', KEYS[1], 't', now)
    end
end
return {allowed and 1 or 0, now, current, previous}
