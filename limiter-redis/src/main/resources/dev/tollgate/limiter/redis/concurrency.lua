-- Concurrency: the slots a key holds, each expiring on its own, so that the slots of a node that died holding
-- them come back after the slot timeout. Times in microseconds.
-- KEYS[1]  sorted set: one member per slot held, scored by the time the slot expires
-- KEYS[2]  the number of the last slot given out, so that every slot's member is new
-- ARGV     now, permits, mode (1 take, 0 peek, 2 give back), limit, slot timeout, expiry grace (ms)
-- returns  {allowed (1 or 0), time decided at, slots held}
local now = tonumber(ARGV[1])
local permits = tonumber(ARGV[2])
local mode = ARGV[3]
local limit = tonumber(ARGV[4])
local timeout = tonumber(ARGV[5])

redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local held = redis.call('ZCARD', KEYS[1])

if mode == '2' then
    -- a slot is as good as another: the newest go, so that a dead node's old slots still expire on time
    if held > 0 then
        redis.call('ZPOPMAX', KEYS[1], math.min(permits, held))
        held = math.max(held - permits, 0)
    end
    if held == 0 then
        redis.call('DEL', KEYS[1], KEYS[2])
    end
    return {1, now, held}
end

local allowed = held + permits <= limit
if mode == '1' and allowed then
    local last = redis.call('INCRBY', KEYS[2], permits)
    local expires = now + timeout
    local first = last - permits + 1
    -- in chunks: unpack takes a few thousand values at most
    while first <= last do
        local slots = {}
        local upto = math.min(first + 499, last)
        for slot = first, upto do
            slots[#slots + 1] = expires
            slots[#slots + 1] = slot
        end
        redis.call('ZADD', KEYS[1], unpack(slots))
        first = upto + 1
    end
    held = held + permits
    -- the newest slot expires a slot timeout from now, and the set with it
    local ttl = math.ceil(timeout / 1000) + tonumber(ARGV[6])
    redis.call('PEXPIRE', KEYS[1], ttl)
    redis.call('PEXPIRE', KEYS[2], ttl)
end
return {allowed and 1 or 0, now, held}
