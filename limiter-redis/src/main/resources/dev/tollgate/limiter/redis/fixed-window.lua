-- Fixed window: permits counted per window, windows aligned to the epoch. Times in microseconds.
-- KEYS[1]  "<start of the counted window> <permits counted in it> <latest decision time>"
-- ARGV     now, permits, consume (1 or 0), limit, window, expiry grace (ms)
-- returns  {allowed (1 or 0), time decided at, count}
local now = tonumber(ARGV[1])
local permits = tonumber(ARGV[2])
local limit = tonumber(ARGV[4])
local window = tonumber(ARGV[5])

local counted, count, touched
local state = redis.call('GET', KEYS[1])
if state then
    local w, c, t = string.match(state, '^(%-?%d+) (%d+) (%-?%d+)$')
    counted, count, touched = tonumber(w), tonumber(c), tonumber(t)
    if touched > now then
        now = touched
    end
end
local start = now - now % window
if counted ~= start then
    count = 0
end
local allowed = count + permits <= limit
if ARGV[3] == '1' then
    if allowed then
        count = count + permits
        -- spent at the end of the window; capped at about 34 years, past which Redis overflows
        local ttl = math.min(math.ceil((start + window - now) / 1000), 2 ^ 40) + tonumber(ARGV[6])
        redis.call('SET', KEYS[1], string.format('%d %d %d', start, count, now), 'PX', ttl)
    elseif state then
        redis.call('SET', KEYS[1], string.format('%d %d %d', counted, count, now), 'KEEPTTL')
    end
end
return {allowed and 1 or 0, now, count}
