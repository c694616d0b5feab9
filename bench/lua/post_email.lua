-- post_email.lua - wrk script for the accept benchmark: every request is
-- POST /emails with the JSON body read from $BENCH_BODY_FILE and
-- "Authorization: Bearer $BENCH_API_KEY".
--
-- done() prints one machine-readable line, read by bench/lib/accept.sh:
--   BENCH requests=N seconds=S rps=R p50_ms=.. p99_ms=.. p999_ms=..
--         http_errors=N socket_errors=N
-- http_errors counts responses with a status >= 400 (wrk's own "non-2xx or
-- 3xx" counter); socket_errors sums connect, read, write and timeout errors.

local function read_all(path)
  local f = assert(io.open(path, "rb"), "cannot open BENCH_BODY_FILE " .. tostring(path))
  local s = f:read("*a")
  f:close()
  return s
end

wrk.method = "POST"
wrk.path = "/emails"
wrk.body = read_all(os.getenv("BENCH_BODY_FILE"))
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("BENCH_API_KEY") or "none")

function done(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "BENCH requests=%d seconds=%.3f rps=%.1f p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f http_errors=%d socket_errors=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000,
    e.status, e.connect + e.read + e.write + e.timeout))
end
