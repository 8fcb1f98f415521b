-- Generic cell rate algorithm (GCRA), the algorithm behind redis-cell and go-redis/redis_rate, as one atomic
-- script so that every instance of every service shares one exact limit per key.
-- KEYS[1]  the limit's key
-- ARGV[1]  burst: how many requests may arrive at once (>= 1)
-- ARGV[2]  rate: requests per period
-- ARGV[3]  period in seconds
-- Returns {allowed (0|1), remaining, retry_after_ms, reset_after_ms}.
local key = KEYS[1]
local burst = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local period = tonumber(ARGV[3])

local interval = period * 1000000 / rate          -- microseconds between two requests at the sustained rate
local burst_offset = interval * burst

local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])

local tat = tonumber(redis.call('GET', key) or now)
if tat < now then
  tat = now
end

local new_tat = tat + interval
local allow_at = new_tat - burst_offset
local diff = now - allow_at

if diff < 0 then
  return {0, 0, math.ceil(-diff / 1000), math.ceil((tat - now) / 1000)}
end

local reset_after = new_tat - now
redis.call('SET', key, string.format('%d', math.floor(new_tat)), 'PX', math.ceil(reset_after / 1000) + 1)
return {1, math.floor(diff / interval), 0, math.ceil(reset_after / 1000)}
