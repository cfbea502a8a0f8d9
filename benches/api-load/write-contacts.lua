dofile("benches/api-load/common.lua")
wrk.method = "PUT"
wrk.path = "/api/v1/orgs/" .. org .. "/contacts"
wrk.body = '[{"name":"SOC","email":"soc@c60.example","language":"fr","channels":["email"]},' ..
           '{"name":"On call","email":"oncall@c60.example","language":"en","channels":["email","webhook"]}]'
