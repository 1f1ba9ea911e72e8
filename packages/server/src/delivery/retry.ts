// Sending a notice again when a channel fails for a reason that may pass (a server busy, a
// network hiccup, a robot's rate limit), with exponential backoff and jitter. Every attempt is
// returned with its outcome, so the caller records each one (and can as they happen, through
// onAttempt, in case the process stops during a wait). The clock, the sleep and the randomness
// are parameters: tests run the whole schedule in no time.

/** Why a channel did not deliver: a stable code, a message a clerk understands, and whether to try again. */
export interface DeliveryFailure {
  code: string;
  message: string;
  /** False when the same message would fail again (wrong password, recipient refused, bad robot settings). */
  retryable: boolean;
  /** What the other side said or the error's own text, for the delivery log; null when nothing more is known. */
  detail: string | null;
}

/** What every channel (email, webhook) returns: it never throws. */
export type DeliveryResult = { ok: true; detail: string } | { ok: false; failure: DeliveryFailure };

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** The wait after the first failure, before jitter. */
  initialDelayMs: number;
  /** Each wait is this many times the one before, up to maxDelayMs. */
  multiplier: number;
  maxDelayMs: number;
}

/** 5 s, 15 s, 45 s, 2¼ min: about four minutes of trying before the failure is left to the next run. */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({ maxAttempts: 5, initialDelayMs: 5_000, multiplier: 3, maxDelayMs: 10 * 60_000 });

export interface RetryClock {
  now(): Date;
  sleep(ms: number): Promise<void>;
  /** A number in [0, 1). */
  random(): number;
}

export const SYSTEM_CLOCK: RetryClock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

export interface DeliveryAttempt {
  /** 1 for the first attempt. */
  attempt: number;
  startedAt: Date;
  finishedAt: Date;
  result: DeliveryResult;
  /** The wait before the next attempt; null when none follows. */
  retryInMs: number | null;
}

export interface DeliveryReport {
  ok: boolean;
  attempts: DeliveryAttempt[];
}

export interface RetryOptions {
  policy?: RetryPolicy;
  clock?: RetryClock;
  /** Called after each attempt, before any wait. */
  onAttempt?: (attempt: DeliveryAttempt) => void | Promise<void>;
}

/** Sends until it succeeds, fails for good, or runs out of attempts. */
export async function deliverWithRetry(send: (attempt: number) => Promise<DeliveryResult>, options: RetryOptions = {}): Promise<DeliveryReport> {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  const clock = options.clock ?? SYSTEM_CLOCK;
  checkPolicy(policy);
  const attempts: DeliveryAttempt[] = [];
  for (let attempt = 1; ; attempt++) {
    const startedAt = clock.now();
    const result = await sendSafely(send, attempt);
    const again = !result.ok && result.failure.retryable && attempt < policy.maxAttempts;
    const record: DeliveryAttempt = { attempt, startedAt, finishedAt: clock.now(), result, retryInMs: again ? backoffDelay(attempt, policy, clock.random()) : null };
    attempts.push(record);
    await options.onAttempt?.(record);
    if (record.retryInMs === null) return { ok: result.ok, attempts };
    await clock.sleep(record.retryInMs);
  }
}

/**
 * The wait after failed attempt `attempt`: initialDelay·multiplier^(attempt−1), capped, then
 * "equal jitter": half of it fixed, so a retry never comes at once, and half random, so app
 * instances that failed against the same server together do not all come back together.
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: number): number {
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** (attempt - 1));
  return Math.round(base / 2 + (random * base) / 2);
}

/** A channel that throws after all (a bug) ends the delivery as a failure, not the scheduler's run. */
async function sendSafely(send: (attempt: number) => Promise<DeliveryResult>, attempt: number): Promise<DeliveryResult> {
  try {
    return await send(attempt);
  } catch (error) {
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { ok: false, failure: { code: "DELIVERY_UNEXPECTED", message: "发送时出现意外错误,请联系系统管理员查看发送记录。", retryable: false, detail } };
  }
}

function checkPolicy(policy: RetryPolicy): void {
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) throw new RangeError(`maxAttempts must be a whole number ≥ 1, got ${policy.maxAttempts}`);
  if (!(policy.initialDelayMs >= 0) || !(policy.maxDelayMs >= 0)) throw new RangeError("retry delays must be ≥ 0");
  if (!(policy.multiplier >= 1)) throw new RangeError(`multiplier must be ≥ 1, got ${policy.multiplier}`);
}
