-- Each request applies a new organization (its own name, domain and admin address).
dofile("benches/api-load/common.lua")
local counter = 0
local thread_seed = 0

function setup(thread)
  thread_seed = thread_seed + 1
  thread:set("seed", thread_seed)
end

function request()
  counter = counter + 1
  local name = string.format("b%d-%d-%d", seed or 0, counter, math.random(1000000000))
  local body = string.format(
    '{"name":"Clinic %s","sector":"healthcare","country":"FR","program_id":"%s","domains":["%s.example"],' ..
    '"language":"fr","contacts":[],"admin":{"name":"Admin","email":"admin@%s.example"}}',
    name, program, name, name)
  return wrk.format("POST", "/api/v1/applications", nil, body)
end
