dofile("benches/api-load/common.lua")
wrk.method = "GET"
wrk.path = "/api/v1/orgs/" .. org
