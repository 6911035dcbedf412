/**
 * Business Central's per-user limits (operational-limits-online: 5 concurrent requests per user, 6,000 requests per
 * sliding 5 minutes; more answers 429). The budget itself is the shared one of core/connectors/net/limits.ts: BC
 * counts per user or service principal, so every flow of the process signing in as one principal shares it.
 */
export {
  type Clock,
  type LimitSettings as BcLimitSettings,
  RequestBudget as BcBudget,
  SlidingWindow,
  budgetFor,
} from '../net/limits.js';

export const BC_LIMITS = { concurrent: 5, requests: 6000, windowMs: 5 * 60_000 } as const;
