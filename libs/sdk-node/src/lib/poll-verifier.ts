import { HeaderSource, NonceStore, verifyPoll, VerifyFailureReason } from '@seqpulse/hmac';

export interface PollVerifierOptions {
  /** Accepted secrets, the newest first; two during a rotation. */
  secrets: readonly string[];
  maxSkewPastMs: number;
  maxSkewFutureMs: number;
}

/**
 * HMAC v2 verification of SeqPulse's polls (libs/hmac): timestamp window, constant-time signature
 * comparison, and a replay guard that remembers each nonce for as long as its timestamp is acceptable.
 * With two secrets, a signature is tried against each; the nonce is recorded only once one matched.
 */
export class PollVerifier {
  private readonly nonces: NonceStore;

  constructor(private readonly options: PollVerifierOptions) {
    this.nonces = new NonceStore({ ttlMs: options.maxSkewPastMs + options.maxSkewFutureMs });
  }

  /** `null` when the request is a valid, fresh poll; otherwise why it is refused. */
  verify(method: string, path: string, headers: HeaderSource, now: Date = new Date()): VerifyFailureReason | null {
    let reason: VerifyFailureReason = 'bad_signature';
    for (const secret of this.options.secrets) {
      const result = verifyPoll({
        secret,
        method,
        path,
        headers,
        now,
        nonceStore: this.nonces,
        maxAgeMs: this.options.maxSkewPastMs,
        maxLeadMs: this.options.maxSkewFutureMs,
      });
      if (result.ok) return null;
      reason = result.reason;
      if (reason !== 'bad_signature') break;
    }
    return reason;
  }
}
