-- Sliding window log: the time and permits of every admitted request; an entry counts while
-- time > now - window. Requests at the same microsecond share one entry. Times in microseconds.
-- KEYS[1]  list  time, permits, time, permits, ... oldest first
-- KEYS[2]  "<permits in the log> <latest decision time>"
-- ARGV     now, permits, consume (1 or 0), limit, window, expiry grace (ms)
-- returns  {allowed (1 or 0), time decided at, count, newest entry's time or -1,
--           time the request would fit or -1}
local now = tonumber(ARGV[1])
local permits = tonumber(ARGV[2])
local consume = ARGV[3] == '1'
local limit = tonumber(ARGV[4])
local window = tonumber(ARGV[5])
local grace = tonumber(ARGV[6])

local total = 0
local touched
local meta = redis.call('GET', KEYS[2])
if meta then
    local n, t = string.match(meta, '^(%d+) (%-?%d+)$')
    total, touched = tonumber(n), tonumber(t)
    if touched > now then
        now = touched
    end
end

-- drop the entries that have left the window, a chunk at a time
local horizon = now - window
local trimmed = false
while total > 0 do
    local head = redis.call('LRANGE', KEYS[1], 0, 127)
    local drop = 0
    for i = 1, #head, 2 do
        if tonumber(head[i]) > horizon then
            break
        end
        total = total - tonumber(head[i + 1])
        drop = drop + 2
    end
    if drop == 0 then
        break
    end
    redis.call('LTRIM', KEYS[1], drop, -1)
    trimmed = true
    if drop < #head then
        break
    end
end

local allowed = total + permits <= limit
local free = -1
if not allowed then
    -- the oldest entries that must leave for the request to fit: it fits when the last of them does
    local remaining = total
    local target = limit - permits
    local from = 0
    while free < 0 do
        local chunk = redis.call('LRANGE', KEYS[1], from, from + 255)
        if #chunk == 0 then
            break
        end
        for i = 1, #chunk, 2 do
            remaining = remaining - tonumber(chunk[i + 1])
            if remaining <= target then
                free = tonumber(chunk[i]) + window
                break
            end
        end
        from = from + 256
    end
end

if consume and allowed then
    local tail = redis.call('LRANGE', KEYS[1], -2, -1)
    if #tail == 2 and tonumber(tail[1]) == now then
        redis.call('LSET', KEYS[1], -1, tonumber(tail[2]) + permits)
    else
        redis.call('RPUSH', KEYS[1], now, permits)
    end
    total = total + permits
    -- the newest entry is now's: the log is spent one window from now
    local ttl = math.ceil(window / 1000) + grace
    redis.call('PEXPIRE', KEYS[1], ttl)
    redis.call('SET', KEYS[2], string.format('%d %d', total, now), 'PX', ttl)
elseif meta and (consume or trimmed) then
    redis.call('SET', KEYS[2], string.format('%d %d', total, consume and now or touched), 'KEEPTTL')
end

local newest = -1
if total > 0 then
    newest = tonumber(redis.call('LINDEX', KEYS[1], -2))
end
return {allowed and 1 or 0, now, total, newest, free}
