-- Reserves one sign-in attempt against two fixed-window counters (the account, the client address) in one
-- atomic step, so that parallel attempts cannot all slip past the limit before any failure is counted.
-- KEYS[1] account counter, KEYS[2] address counter
-- ARGV[1] account limit, ARGV[2] address limit, ARGV[3] window in milliseconds
-- Returns {1, 0} when the attempt may go ahead, {0, retry_after_ms} when a limit is reached (the attempt is
-- then not counted, so refused attempts never extend a lockout).
local a = redis.call('INCR', KEYS[1])
if a == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
local b = redis.call('INCR', KEYS[2])
if b == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[3]) end
local wait = 0
if a > tonumber(ARGV[1]) then wait = math.max(wait, redis.call('PTTL', KEYS[1])) end
if b > tonumber(ARGV[2]) then wait = math.max(wait, redis.call('PTTL', KEYS[2])) end
if wait ~= 0 then
  redis.call('DECR', KEYS[1])
  redis.call('DECR', KEYS[2])
  if wait < 0 then wait = tonumber(ARGV[3]) end
  return {0, wait}
end
return {1, 0}
