-- wrk script of benchmarks/saves.py for the trivial route: GET as given on the command line, and the
-- same "result" line as saves.lua.

function done(summary, latency, requests)
   io.write(string.format(
      "result saves=0 requests=%d seconds=%.3f p50_ms=%.2f p95_ms=%.2f p99_ms=%.2f errors=%d\n",
      summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
      latency:percentile(95) / 1000, latency:percentile(99) / 1000,
      summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status
         + summary.errors.timeout))
end
