import { useState } from 'react';
import { sameJson } from './json-schema.js';

/**
 * What the user is typing, kept beside the value it stands for. Some inputs cannot be rebuilt from the value without
 * eating keystrokes: `-` on the way to `-5`, the empty line after Enter in a list, a half-typed duplicate key. The
 * draft is shown while the value is still the one it committed; any other change (undo, a file edit) shows the value.
 */
export function useDraft<Value, Draft>(value: Value, fromValue: (value: Value) => Draft) {
  const [draft, setDraft] = useState<{ draft: Draft; committed: Value } | null>(null);
  const current = draft !== null && sameJson(draft.committed, value) ? draft.draft : fromValue(value);
  return {
    draft: current,
    /** Remembers `next` as what the user sees for `committed`, the value the field hands up. */
    keep: (next: Draft, committed: Value) => setDraft({ draft: next, committed }),
    reset: () => setDraft(null),
  };
}
