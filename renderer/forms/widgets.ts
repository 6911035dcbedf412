import { type ComponentType, createContext } from 'react';
import type { FieldProps } from './fields/FieldFrame.js';

/**
 * Fields a host draws with its own component, chosen by the schema's `widget` form hint (`lookup-match`). A form
 * without the widget falls back to the field's generated input (JSON for a list of objects), so the hint never
 * hides a setting.
 */
export interface WidgetProps extends FieldProps {
  /** `changedPath` (relative to the form: `match[1].expression`) folds a typing burst in one input into one undo step. */
  onChange(next: unknown, changedPath?: string): void;
}

export type FieldWidgets = Readonly<Record<string, ComponentType<WidgetProps>>>;

/** The flow node a generated form configures: widgets that ask the engine about it (its incoming fields) read it. */
export const FormNodeContext = createContext<string | undefined>(undefined);
