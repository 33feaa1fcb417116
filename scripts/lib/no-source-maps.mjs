// For the CLI tests' child processes (test-support.ts), loaded after tsx: Node's source-map
// support, which tsx turns on, parses the map of every module it loads, TF.js's bundles
// (megabytes of maps) among them: about half a second of start-up per process and per
// gradient worker (which keeps its parent's setting, worker-client.ts). The tests read no
// stack traces, so they do without.
process.setSourceMapsEnabled(false);
