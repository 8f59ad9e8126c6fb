-- The RESULT line every wrk run of http-load.sh prints: requests, seconds, non-2xx/3xx answers,
-- socket errors, and the 50th, 99th and 99.9th latency percentiles in microseconds.
local M = {}
function M.done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %d %.3f %d %d %d %d %d\n", summary.requests, summary.duration / 1e6,
    summary.errors.status, errors, latency:percentile(50), latency:percentile(99), latency:percentile(99.9)))
end
return M
