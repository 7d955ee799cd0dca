import { createHash } from 'node:crypto';

/**
 * The token bucket of `token-bucket.ts` as one Lua script, so that reading, refilling and taking
 * are one atomic step in Redis: concurrent takes from any number of processes never over-admit.
 * Time comes from the Redis server's clock (`TIME`), the one clock every process shares.
 *
 * KEYS[1] the bucket; ARGV perSecond, burst, cost. Returns `{allowed (0/1), tokens before the
 * take}`, the tokens as a string because Redis truncates Lua numbers to integers.
 */
export const TOKEN_BUCKET_SCRIPT = `
if redis.replicate_commands then redis.replicate_commands() end
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local stored = redis.call('HMGET', KEYS[1], 't', 'at')
local tokens = tonumber(stored[1])
local at = tonumber(stored[2])
if tokens == nil or at == nil then
  tokens = burst
else
  tokens = math.min(burst, tokens + math.max(0, now - at) / 1000 * rate)
end
local allowed = 0
if tokens >= math.min(cost, burst) then
  allowed = 1
  local after = tokens - cost
  redis.call('HSET', KEYS[1], 't', string.format('%.17g', after), 'at', string.format('%.3f', now))
  redis.call('EXPIRE', KEYS[1], string.format('%d', math.ceil((burst - after) / rate) + 1))
end
return {allowed, string.format('%.17g', tokens)}
`;

/** The script's SHA-1, under which `EVALSHA` finds it once Redis has seen it. */
export const TOKEN_BUCKET_SHA = createHash('sha1').update(TOKEN_BUCKET_SCRIPT).digest('hex');
