-- Sliding window counter: permits per epoch-aligned window, the previous window weighed by the
-- share of it still inside the sliding window. Admitted while
-- previous * rest <= (limit - current - permits) * window, compared exactly: the caller keeps
-- limit * window below 2^53. Windows in ticks of `tick` microseconds.
-- KEYS[1]  "<start of the window counted> <its permits> <the window before's> <latest decision time>"
--          (starts in ticks, the decision time in microseconds)
-- ARGV     now (microseconds), permits, consume (1 or 0), limit, window (ticks), tick, expiry grace (ms)
-- returns  {allowed (1 or 0), time decided at (microseconds), current, previous}
local now = tonumber(ARGV[1])
local permits = tonumber(ARGV[2])
local limit = tonumber(ARGV[4])
local window = tonumber(ARGV[5])
local tick = tonumber(ARGV[6])

local counted, stored_current, stored_previous, touched
local state = redis.call('GET', KEYS[1])
if state then
    local w, c, p, t = string.match(state, '^(%-?%d+) (%d+) (%d+) (%-?%d+)$')
    counted, stored_current, stored_previous, touched = tonumber(w), tonumber(c), tonumber(p), tonumber(t)
    if touched > now then
        now = touched
    end
end
local ticks = (now - now % tick) / tick
local start = ticks - ticks % window
local current = 0
local previous = 0
if counted == start then
    current = stored_current
    previous = stored_previous
elseif counted == start - window then
    previous = stored_current
end
local rest = window - (ticks - start)
local room = limit - current - permits
local allowed = room >= 0 and previous * rest <= room * window
if ARGV[3] == '1' then
    if allowed then
        current = current + permits
        -- spent once this window has become the previous one and passed too
        local ttl = math.min(math.ceil(((start + 2 * window) * tick - now) / 1000), 2 ^ 40) + tonumber(ARGV[7])
        redis.call('SET', KEYS[1], string.format('%d %d %d %d', start, current, previous, now), 'PX', ttl)
    elseif state then
        redis.call('SET', KEYS[1], string.format('%d %d %d %d', counted, stored_current, stored_previous, now), 'KEEPTTL')
    end
end
return {allowed and 1 or 0, now, current, previous}
