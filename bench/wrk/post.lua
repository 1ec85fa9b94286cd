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
