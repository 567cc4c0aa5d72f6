import type { SeqPulseOptions } from './options';
import { SeqPulse } from './seqpulse';

let current: SeqPulse | undefined;

/**
 * Configures the process-wide instance every adapter uses. Calling it again replaces the configuration
 * (and starts a new window). Adapters used before any `init()` configure it from the environment alone.
 */
export function init(options?: SeqPulseOptions): SeqPulse {
  current?.close();
  current = new SeqPulse(options);
  return current;
}

export function defaultInstance(): SeqPulse {
  return current ?? init();
}
