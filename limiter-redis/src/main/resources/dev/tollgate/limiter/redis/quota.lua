-- Quota: the permits a key took in one period, under a key that names the period's start, so that a new period
-- starts at 0 on its own; the count expires just after its period ends. Times in milliseconds.
-- KEYS[1]  the key's count in the period
-- ARGV     time left in the period, permits, consume (1 or 0), limit, expiry grace (ms)
-- returns  {allowed (1 or 0), time left in the period, count}
local left = tonumber(ARGV[1])
local permits = tonumber(ARGV[2])
local limit = tonumber(ARGV[4])

local count = tonumber(redis.call('GET', KEYS[1]) or '0')
local allowed = count + permits <= limit
if ARGV[3] == '1' and allowed then
    count = redis.call('INCRBY', KEYS[1], permits)
    redis.call('PEXPIRE', KEYS[1], left + tonumber(ARGV[5]))
end
return {allowed and 1 or 0, left, count}
