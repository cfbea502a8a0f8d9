-- Shared by the scripts: the token and ids come from the environment run.sh sets.
token = os.getenv("BENCH_TOKEN")
org = os.getenv("BENCH_ORG")
program = os.getenv("BENCH_PROGRAM")
wrk.headers["authorization"] = "Bearer " .. token
wrk.headers["content-type"] = "application/json"
