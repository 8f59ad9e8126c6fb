-- wrk script: reads a pizzeria's menu with live availability. Prints one RESULT line.
done = require("result").done
