// Actions: POST /{Entity}/{Action} with `{"entity": {…keys or id…}, "parameters": {…}}` starts a long-running
// operation and answers 202 with a Location to poll; GET on it answers 202 while the operation runs, 204 when it is
// done, or 500 with the failure (swagger InvokeAction_202/_204). The emulator applies an action's effect when it is
// invoked and reports it as running for a fixed number of polls (`actionPolls`), so clients' polling is exercised
// without any timing. Effects exist for the actions seeded documents need (release, cancel, confirm); any other
// action the catalog lists succeeds and only marks the record modified.
import { randomUUID } from 'node:crypto';
import type { AcuEntity } from '../catalog.js';
import { badRequest, noEntity, serverError, type HttpErrorBody } from './errors.js';
import { type AcuStore, keyFieldsOf } from './store.js';
import type { AcuRecord } from './values.js';

type Effect = (record: AcuRecord, now: () => number) => string | undefined;

const requireStatus = (record: AcuRecord, allowed: string[], what: string): string | undefined =>
  allowed.includes(String(record.fields.Status))
    ? undefined
    : `The ${what} has the ${String(record.fields.Status)} status and cannot be processed (expected ${allowed.join(' or ')}).`; // prettier-ignore

/** Entity → action → effect; the returned text is the operation's failure. */
const EFFECTS: Record<string, Record<string, Effect>> = {
  SalesInvoice: {
    ReleaseSalesInvoice: (r) =>
      requireStatus(r, ['Balanced'], 'document') ??
      void ((r.fields.Status = 'Open'), (r.fields.Balance = r.fields.Amount ?? 0)),
  },
  JournalTransaction: {
    ReleaseJournalTransaction: (r) => requireStatus(r, ['Balanced'], 'batch') ?? void (r.fields.Status = 'Posted'),
  },
  Payment: {
    ReleasePayment: (r) => requireStatus(r, ['Balanced'], 'payment') ?? void (r.fields.Status = 'Open'),
    VoidPayment: (r) => requireStatus(r, ['Open', 'Closed'], 'payment') ?? void (r.fields.Status = 'Voided'),
  },
  SalesOrder: {
    CancelSalesOrder: (r) => requireStatus(r, ['Open', 'On Hold', 'Back Order'], 'order') ?? void (r.fields.Status = 'Cancelled'), // prettier-ignore
    OpenSalesOrder: (r) => void ((r.fields.Hold = false), (r.fields.Status = 'Open')),
    ReopenSalesOrder: (r) => requireStatus(r, ['Cancelled', 'Completed'], 'order') ?? void (r.fields.Status = 'Open'),
  },
  Shipment: {
    ConfirmShipment: (r) => requireStatus(r, ['Open'], 'shipment') ?? void (r.fields.Status = 'Confirmed'),
  },
};

interface Operation {
  /** Polls still answered 202. */
  running: number;
  error?: string;
}

export class ActionRunner {
  private readonly operations = new Map<string, Operation>();
  /** Actions invoked (tests count them). */
  invoked = 0;

  constructor(
    private readonly store: AcuStore,
    private readonly now: () => number,
    private readonly polls: number,
  ) {}

  /** Starts an action; returns the status path to put in Location (relative to `base`). */
  invoke(entity: AcuEntity, action: string, body: unknown): string {
    if (!entity.actions.includes(action)) {
      throw badRequest(`The action ${action} is not defined for the ${entity.name} entity.`);
    }
    const payload = (body ?? {}) as { entity?: Record<string, unknown> };
    const target = payload.entity;
    if (!target || typeof target !== 'object') {
      throw badRequest('The request is invalid.', { entity: ['The entity to run the action on is required.'] });
    }
    const record = this.find(entity.name, target);
    if (!record) throw noEntity();
    const updated = structuredClone(record);
    const error = EFFECTS[entity.name]?.[action]?.(updated, this.now);
    if (error === undefined) this.store.save(entity.name, updated, record);
    const id = randomUUID();
    this.operations.set(id, { running: this.polls, ...(error === undefined ? {} : { error }) });
    this.invoked++;
    return `${entity.name}/${action}/status/${id}`;
  }

  private find(entity: string, target: Record<string, unknown>): AcuRecord | undefined {
    if (typeof target.id === 'string') return this.store.find(entity, target.id);
    const keys = keyFieldsOf(entity);
    const values = keys.map((k) => (target[k] as { value?: unknown } | undefined)?.value ?? null);
    if (keys.length === 0 || values.some((v) => v === null)) return undefined;
    return this.store.findByKeys(entity, values as string[]);
  }

  /** GET on the Location: 202 while running, 204 done, 500 with the failure. */
  status(id: string): { status: 202 | 204 | 500; body?: HttpErrorBody } | undefined {
    const operation = this.operations.get(id.toLowerCase());
    if (!operation) return undefined;
    if (operation.running > 0) {
      operation.running--;
      return { status: 202 };
    }
    if (operation.error) return { status: 500, body: serverError(operation.error).body as HttpErrorBody };
    return { status: 204 };
  }
}
