import { type KeyboardEvent, useId, useRef, useState } from 'react';
import { type Completion, applyCompletion, completionsAt } from './jsonata-completion.js';

export interface CompletionField {
  name: string;
  type: string;
  path: readonly string[];
}

interface ExpressionInputProps {
  id?: string;
  value: string;
  onChange(value: string): void;
  /** Field names offered while typing (functions are offered after `$`). */
  fields: readonly CompletionField[];
  label: string;
  placeholder?: string;
  invalid?: boolean;
  describedBy?: string;
  autoFocus?: boolean;
}

/**
 * A one-line JSONata input with a completion list that opens while typing (ARIA combobox): ↓/↑ choose, Enter or Tab
 * accepts, Escape closes the list (and only the list).
 */
export function ExpressionInput(props: ExpressionInputProps) {
  const listId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [list, setList] = useState<{ from: number; items: Completion[] }>({ from: 0, items: [] });
  const [active, setActive] = useState(0);
  const open = list.items.length > 0;

  const suggest = (text: string, caret: number) => {
    setList(completionsAt(text, caret, props.fields));
    setActive(0);
  };
  const close = () => setList({ from: 0, items: [] });

  const accept = (item: Completion) => {
    const el = input.current;
    const caret = el?.selectionStart ?? props.value.length;
    const next = applyCompletion(props.value, caret, list.from, item);
    props.onChange(next.text);
    close();
    // The caret goes after the insertion once React has put the new value in.
    requestAnimationFrame(() => el?.setSelectionRange(next.caret, next.caret));
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (!open) {
      if (e.key === ' ' && e.ctrlKey) {
        e.preventDefault();
        suggest(props.value, e.currentTarget.selectionStart ?? props.value.length);
      }
      return;
    }
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((a) => (a + step + list.items.length) % list.items.length);
    } else if (e.key === 'Enter' || e.key === 'Tab') {
      e.preventDefault();
      accept(list.items[active]!);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      close();
    }
  };

  return (
    <div className="completion-wrap">
      <input
        ref={input}
        id={props.id}
        className="mono"
        type="text"
        role="combobox"
        aria-label={props.label}
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={open ? `${listId}-${active}` : undefined}
        aria-invalid={props.invalid || undefined}
        aria-describedby={props.describedBy}
        value={props.value}
        placeholder={props.placeholder}
        spellCheck={false}
        autoComplete="off"
        autoFocus={props.autoFocus}
        onChange={(e) => {
          props.onChange(e.target.value);
          suggest(e.target.value, e.target.selectionStart ?? e.target.value.length);
        }}
        onKeyDown={onKeyDown}
        onBlur={close}
      />
      {open && (
        <ul className="completion-list" role="listbox" id={listId} aria-label="Suggestions">
          {list.items.map((item, i) => (
            <li
              key={item.label}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className={`completion-${item.kind}`}
              // mousedown, not click: the input would lose focus (and close the list) before a click lands.
              onMouseDown={(e) => {
                e.preventDefault();
                accept(item);
              }}
            >
              <span className="mono">{item.label}</span>
              <span className="muted">{item.detail}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
