-- wrk script of benchmarks/saves.py: each connection is one respondent after another, walking through
-- the form as a browser does.
--
--   wrk -t N -c N -d S -s benchmarks/saves.lua http://HOST:PORT -- DATA.lua htmx|plain
--
-- DATA.lua (written by saves.py) returns {tokens = {...}, answers = {[page number] = "a=1&b=2", ...}}:
-- the answers are valid ones learnt beforehand; what a page carries for itself (its hidden fields: the
-- response id that guards the form) is read from every page the server sends, as is the response
-- cookie. "htmx" sends each page as htmx does (one request: the save, answered by the next page's
-- form area); "plain" as a browser without JavaScript (POST, 303, GET of the next page).
--
-- Run with one connection per thread (-t equal to -c): a thread's state is one respondent's.

local threads = {}
local next_id = 0

function setup(thread)
   thread:set("id", next_id)
   next_id = next_id + 1
   table.insert(threads, thread)
end

function init(args)
   data = dofile(args[1])
   htmx = args[2] == "htmx"
   round = 0
   state = "start"
   cookie = nil
   saves, completed, invalid, failed, started = 0, 0, 0, 0, 0
end

local function header(headers, name)
   for key, value in pairs(headers) do
      if string.lower(key) == name then
         return value
      end
   end
   return nil
end

local function unescape(text)
   text = text:gsub("&#(%d+);", function(n) return string.char(tonumber(n)) end)
   text = text:gsub("&#x(%x+);", function(n) return string.char(tonumber(n, 16)) end)
   return (text:gsub("&quot;", '"'):gsub("&lt;", "<"):gsub("&gt;", ">"):gsub("&amp;", "&"))
end

local function urlencode(text)
   return (text:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

-- The answer form of a page: where it posts and the body to send; nil when the page has none.
local function read_form(body)
   local action = body:match('<form method="post" action="([^"]+/p/%d+)"')
   if action == nil then
      return nil
   end
   local fields = {}
   for tag in body:gmatch('<input type="hidden"[^>]*>') do
      local name = tag:match('name="([^"]*)"')
      local value = tag:match('value="([^"]*)"') or ""
      if name then
         table.insert(fields, urlencode(name) .. "=" .. urlencode(unescape(value)))
      end
   end
   local page = tonumber(action:match("/p/(%d+)$"))
   local answers = data.answers[page]
   if answers == nil then
      return nil
   end
   if answers ~= "" then
      table.insert(fields, answers)
   end
   return action, table.concat(fields, "&")
end

local function with_cookie(headers)
   if cookie then
      headers["Cookie"] = cookie
   end
   return headers
end

function request()
   if state == "start" then
      cookie = nil
      round = round + 1
      started = started + 1
      local token = data.tokens[(id + round) % #data.tokens + 1]
      return wrk.format("GET", "/r/" .. token, {})
   elseif state == "get" then
      return wrk.format("GET", location, with_cookie({}))
   end
   local headers = with_cookie({["Content-Type"] = "application/x-www-form-urlencoded"})
   if htmx then
      headers["HX-Request"] = "true"
      headers["HX-Current-URL"] = action
   end
   return wrk.format("POST", action, headers, form_body)
end

local function show(body)
   action, form_body = read_form(body)
   state = action and "post" or "start"
end

function response(status, headers, body)
   local set = header(headers, "set-cookie")
   if set then
      cookie = set:match("^([^;]+)")
   end
   if state ~= "post" then
      if status == 200 then
         show(body)
      else
         failed = failed + 1
         state = "start"
      end
      return
   end
   if status == 422 then
      invalid = invalid + 1
      show(body)
   elseif htmx and status == 200 then
      saves = saves + 1
      show(body)
      if state == "start" then
         completed = completed + 1
      end
   elseif not htmx and status == 303 then
      saves = saves + 1
      location = header(headers, "location")
      if location:match("/done$") then
         completed = completed + 1
         state = "start"
      else
         state = "get"
      end
   else
      failed = failed + 1
      state = "start"
   end
end

function done(summary, latency, requests)
   local total = {saves = 0, completed = 0, invalid = 0, failed = 0, started = 0}
   for _, thread in ipairs(threads) do
      for key, _ in pairs(total) do
         total[key] = total[key] + thread:get(key)
      end
   end
   io.write(string.format(
      "result saves=%d completed=%d invalid=%d failed=%d started=%d requests=%d seconds=%.3f "
         .. "p50_ms=%.2f p95_ms=%.2f p99_ms=%.2f errors=%d\n",
      total.saves, total.completed, total.invalid, total.failed, total.started, summary.requests,
      summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
      latency:percentile(99) / 1000,
      summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status
         + summary.errors.timeout))
end
