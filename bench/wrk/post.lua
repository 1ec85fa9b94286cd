-- wrk script of bench/run: POSTs one signed Twilio webhook body on every request.
--   BENCH_BODY_FILE   the form body (application/x-www-form-urlencoded)
--   BENCH_SIGNATURE   its X-Twilio-Signature for the URL wrk targets (may be empty: servers
--                     that do not check signatures ignore it)
-- No response() callback: wrk's own counters (non-2xx/3xx, socket errors) are the errors,
-- and a Lua callback per response would slow the load generator down.
local path = os.getenv("BENCH_BODY_FILE")
if not path or path == "" then
  error("BENCH_BODY_FILE is not set")
end
local file = assert(io.open(path, "rb"))
local body = file:read("*a")
file:close()

wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
local signature = os.getenv("BENCH_SIGNATURE")
if signature and signature ~= "" then
  wrk.headers["X-Twilio-Signature"] = signature
end

-- BENCH_UNIQUE_TOKENS=1: every request carries its own I-Twilio-Idempotency-Token, as every
-- real Twilio delivery does, so the host's idempotency cache claims and finishes one entry
-- per request. Tokens are BENCH_TOKEN_PREFIX (one per wrk run, so runs never replay each
-- other), the thread's number and a counter. This costs a Lua call per request in wrk.
if os.getenv("BENCH_UNIQUE_TOKENS") == "1" then
  local prefix = os.getenv("BENCH_TOKEN_PREFIX") or "bench"
  local threads = 0
  function setup(thread)
    threads = threads + 1
    thread:set("thread_number", threads)
  end
  local sent = 0
  function request()
    sent = sent + 1
    wrk.headers["I-Twilio-Idempotency-Token"] =
      prefix .. "-" .. tostring(thread_number) .. "-" .. tostring(sent)
    return wrk.format()
  end
end
