-- wrk script: each request places one order (a medium margherita, take-away, paid on collection)
-- at the pizzeria in PIZZERIA, as the counter whose token is in TOKEN. Prints one RESULT line.
local token = os.getenv("TOKEN")
local pizzeria = os.getenv("PIZZERIA") or "paris-bastille"
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. token
wrk.body = '{"pizzeria": "' .. pizzeria .. '", "lines": [{"product": "margherita", "size": "medium"}], '
  .. '"fulfilment": {"mode": "takeAway"}, "payment": "onDelivery"}'

done = require("result").done
