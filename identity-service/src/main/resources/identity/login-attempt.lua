-- Reserves one attempt against fixed-window counters in one atomic step, so that parallel attempts cannot all
-- slip past a limit before any failure is counted. Sign-in counts the account and the client address; entering
-- a device's user code counts the client address.
-- KEYS[i] a counter, ARGV[i] its limit; ARGV[#KEYS + 1] the window in milliseconds
-- Returns {1, 0} when the attempt may go ahead, {0, retry_after_ms} when a limit is reached (the attempt is
-- then not counted, so refused attempts never extend a lockout).
local window = ARGV[#KEYS + 1]
local wait = 0
for i, key in ipairs(KEYS) do
  local n = redis.call('INCR', key)
  -- A counter without expiry (given back after its window ended, so re-created by DECR) gets one again:
  -- otherwise it would lock its address out for good.
  if n == 1 or redis.call('PTTL', key) == -1 then redis.call('PEXPIRE', key, window) end
  if n > tonumber(ARGV[i]) then
    wait = math.max(wait, redis.call('PTTL', key), 1)
  end
end
if wait ~= 0 then
  for _, key in ipairs(KEYS) do redis.call('DECR', key) end
  return {0, wait}
end
return {1, 0}
