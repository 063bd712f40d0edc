-- wrk script for bench/load_test.py and `make load`: counts answers by status and prints one line,
-- "RESULT {json}", with requests, status counts, socket errors, p50 and p99 (microseconds).
--
--   wrk ... -s bench/load.lua URL -- GET
--   wrk ... -s bench/load.lua URL -- POST <csrf cookie> <csrf form token>
--
-- POST sends the advocacy alert sign-up form: a new email address each time, the CSRF cookie and
-- token from a GET made beforehand, and an X-Forwarded-For address of its own (the server trusts
-- the header under load tests, so the form's per-address rate limit counts without refusing).

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_number", #threads)
end

function init(args)
  method = args[1] or "GET"
  cookie = args[2]
  token = args[3]
  statuses = {}
  sent = 0
  math.randomseed(os.time() * 1000 + (thread_number or 0))
  run_id = string.format("%x%04x", os.time(), math.random(0, 65535))
end

function request()
  if method ~= "POST" then
    return wrk.format("GET")
  end
  sent = sent + 1
  local address = string.format("10.%d.%d.%d", math.random(0, 255), math.random(0, 255), math.random(1, 254))
  local body = "csrfmiddlewaretoken=" .. token
    .. "&email=load-" .. run_id .. "-" .. (thread_number or 0) .. "-" .. sent .. "%40example.org"
    .. "&name=Load+Test&zip_code=60601&state=&website="
  local headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=" .. cookie,
    ["X-Forwarded-For"] = address,
  }
  return wrk.format("POST", nil, headers, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(counts) do
    table.insert(parts, string.format('"%d": %d', status, count))
  end
  local errors = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "status": {%s}, "errors": {"connect": %d, "read": %d, "write": %d, '
      .. '"timeout": %d, "status": %d}, "p50": %d, "p99": %d}\n',
    summary.requests, table.concat(parts, ", "), errors.connect, errors.read, errors.write,
    errors.timeout, errors.status, latency:percentile(50), latency:percentile(99)
  ))
end
