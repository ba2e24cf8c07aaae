-- Rolling quota: the permits a key took on each day (days since 1970-01-01 in the quota's zone), one field of a hash
-- per day, counted over a window of the current day and the days before it. A taking call drops the days that left
-- the window; the hash expires a while after its newest use has left it. Times in milliseconds.
-- KEYS[1]  the key's counts per day
-- ARGV     the current day, permits, consume (1 or 0), limit, days in the window, expiry (ms)
-- returns  {allowed (1 or 0), count in the window, then the day and count of each day in the window with a count}
local permits = tonumber(ARGV[2])
local limit = tonumber(ARGV[4])
local today = tonumber(ARGV[1])
local oldest = today - tonumber(ARGV[5]) + 1

local fields = redis.call('HGETALL', KEYS[1])
local answer = {0, 0}
local used = 0
local stale = {}
local at_today = nil
for i = 1, #fields, 2 do
    local day = tonumber(fields[i])
    local count = tonumber(fields[i + 1])
    if day == nil or count == nil or day < oldest then
        stale[#stale + 1] = fields[i]
    else
        used = used + count
        answer[#answer + 1] = day
        answer[#answer + 1] = count
        if day == today then
            at_today = #answer
        end
    end
end
local allowed = used + permits <= limit
if ARGV[3] == '1' then
    if #stale > 0 then
        redis.call('HDEL', KEYS[1], unpack(stale))
    end
    if allowed then
        redis.call('HINCRBY', KEYS[1], ARGV[1], permits)
        redis.call('PEXPIRE', KEYS[1], ARGV[6])
        used = used + permits
        if at_today then
            answer[at_today] = answer[at_today] + permits
        else
            answer[#answer + 1] = today
            answer[#answer + 1] = permits
        end
    end
end
answer[1] = allowed and 1 or 0
answer[2] = used
return answer
