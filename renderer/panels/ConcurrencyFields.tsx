import { useId, useMemo } from 'react';
import { DEFAULT_CONCURRENCY, MAX_CONCURRENCY } from '../../core/model/connection.js';
import { useConnectionEditor } from '../state/connection-editor-store.js';
import { useWorkspaceStore } from '../state/workspace-store.js';

/**
 * The connection's concurrency pool: a level (1–25, shared by every flow running at once) or another connection's
 * pool to borrow. Lenders that borrow themselves are not offered: pools never chain.
 */
export function ConcurrencyFields() {
  const levelId = useId();
  const borrowId = useId();
  const concurrency = useConnectionEditor((s) => s.concurrency);
  const setConcurrency = useConnectionEditor((s) => s.setConcurrency);
  const originalId = useConnectionEditor((s) => s.originalId);
  const connectorId = useConnectionEditor((s) => s.connector);
  const defaultLevel = useWorkspaceStore(
    (s) => s.connectors.find((c) => c.id === connectorId)?.defaultConcurrency ?? DEFAULT_CONCURRENCY,
  );
  const connections = useWorkspaceStore((s) => s.workspace?.connections);
  const lenders = useMemo(
    () => (connections ?? []).filter((c) => c.id !== originalId && !c.concurrency?.borrowFrom),
    [connections, originalId],
  );
  const borrowing = concurrency.borrowFrom !== undefined;
  const unknownLender = borrowing && !lenders.some((c) => c.id === concurrency.borrowFrom);
  return (
    <fieldset className="field-group connection-concurrency" data-field="concurrency">
      <legend>Concurrency</legend>
      <div className="field field-number" data-field="concurrency.level">
        <div className="field-head">
          <label htmlFor={levelId}>Concurrency level</label>
        </div>
        <input
          id={levelId}
          type="number"
          min={1}
          max={MAX_CONCURRENCY}
          step={1}
          disabled={borrowing}
          value={concurrency.level ?? ''}
          placeholder={String(defaultLevel)}
          onChange={(e) =>
            setConcurrency({ ...concurrency, level: e.target.value === '' ? undefined : Number(e.target.value) })
          }
        />
        <div className="field-help">
          {borrowing
            ? 'The pool of the connection it borrows from applies.'
            : `Requests in flight at once, over all flows using this connection (1–${MAX_CONCURRENCY}).`}
        </div>
      </div>
      <div className="field field-enum" data-field="concurrency.borrowFrom">
        <div className="field-head">
          <label htmlFor={borrowId}>Borrow concurrency from</label>
        </div>
        <select
          id={borrowId}
          value={concurrency.borrowFrom ?? ''}
          onChange={(e) =>
            setConcurrency(e.target.value ? { borrowFrom: e.target.value } : { level: concurrency.level })
          }
        >
          <option value="">— its own pool</option>
          {lenders.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
          {unknownLender && <option value={concurrency.borrowFrom}>{concurrency.borrowFrom} (not available)</option>}
        </select>
      </div>
    </fieldset>
  );
}
