// Environment for every Nx/Angular invocation: no telemetry, no cloud, no daemon (stack-notes §8).
export const NX_ENV = {
  NX_NO_CLOUD: 'true',
  NX_DAEMON: 'false',
  NX_USE_LOCAL: 'true',
  NX_CLOUD_API: 'http://127.0.0.1:9',
  NG_CLI_ANALYTICS: 'false',
  SCARF_ANALYTICS: 'false',
  NX_TUI: 'false',
};
