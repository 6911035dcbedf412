// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FerryApi } from '../../core/model/contract.js';
import type { Flow } from '../../core/model/flow.js';
import { setApi } from '../api/client.js';
import { useFlowStore } from '../state/flow-store.js';
import { FilterPanel } from './FilterPanel.js';

const flow: Flow = {
  schemaVersion: 2,
  id: 'f',
  name: 'F',
  nodes: [
    {
      id: 'keep',
      kind: 'filter',
      type: 'filter',
      typeVersion: 1,
      position: { x: 0, y: 0 },
      config: { rules: { combinator: 'and', rules: [] } },
    },
  ],
  edges: [],
};

const mappingFields = vi.fn<FerryApi['mappingFields']>();
const validateFlow = vi.fn<FerryApi['validateFlow']>();

const config = () => useFlowStore.getState().flow!.nodes[0]!.config;
const node = () => useFlowStore.getState().flow!.nodes[0]!;
const options = (label: string) => [...(screen.getByLabelText(label) as HTMLSelectElement).options].map((o) => o.value);
const change = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });

/** The panel as NodeSettings shows it: re-rendered with the node whenever the flow changes. */
function Panel() {
  const n = useFlowStore((s) => s.flow!.nodes[0]!);
  return <FilterPanel node={n} problems={[]} />;
}

beforeEach(async () => {
  mappingFields.mockResolvedValue({
    sourceFields: [
      { name: 'status', path: ['status'], type: 'string', origin: 'catalog' },
      { name: 'qty', path: ['qty'], type: 'integer', origin: 'catalog' },
      { name: 'blocked', path: ['blocked'], type: 'boolean', origin: 'catalog' },
    ],
    destinationFields: [],
    notes: [],
  });
  validateFlow.mockImplementation(async ({ flow: f }) => ({ flow: f as Flow, problems: [] }));
  setApi({ mappingFields, validateFlow } as unknown as FerryApi);
  useFlowStore.getState().open({ flow, problems: [] });
  render(<Panel />);
  await act(async () => undefined);
});
afterEach(() => {
  cleanup();
  setApi(undefined);
});

describe('the filter rule builder', () => {
  it("offers the incoming fields and operators fitting each field's type", () => {
    expect(mappingFields).toHaveBeenCalledWith({ flowId: 'f', nodeId: 'keep', flow });
    fireEvent.click(screen.getByRole('button', { name: '+ Rule' }));
    expect(config().rules).toEqual({ combinator: 'and', rules: [{ field: 'status', operator: 'eq' }] });
    expect(options('Operator of rule 1')).toContain('contains');
    change('Field of rule 1', 'qty');
    expect(options('Operator of rule 1')).not.toContain('contains');
    expect(options('Operator of rule 1')).toContain('gt');
    change('Operator of rule 1', 'gt');
    change('Value of rule 1', '10');
    expect(config().rules).toEqual({ combinator: 'and', rules: [{ field: 'qty', operator: 'gt', value: 10 }] });
    change('Field of rule 1', 'blocked');
    expect(options('Operator of rule 1')).toEqual(['isTrue', 'isFalse', 'empty', 'notEmpty']);
    expect(screen.queryByLabelText('Value of rule 1')).toBeNull();
    expect(config().rules).toEqual({ combinator: 'and', rules: [{ field: 'blocked', operator: 'isTrue' }] });
  });

  it('builds nested AND/OR groups and shows the JSONata they compile to', () => {
    fireEvent.click(screen.getByRole('button', { name: '+ Rule' }));
    change('Value of rule 1', 'open');
    fireEvent.click(screen.getAllByRole('button', { name: '+ Group' })[0]!);
    const group = screen.getByRole('group', { name: 'Rules of group 2' });
    change('Field of rule 2.1', 'qty');
    change('Value of rule 2.1', '0');
    fireEvent.click(within(group).getByRole('button', { name: '+ Rule' }));
    change('Field of rule 2.2', 'blocked');
    expect(config().rules).toEqual({
      combinator: 'and',
      rules: [
        { field: 'status', operator: 'eq', value: 'open' },
        {
          combinator: 'or',
          rules: [
            { field: 'qty', operator: 'eq', value: 0 },
            { field: 'blocked', operator: 'isTrue' },
          ],
        },
      ],
    });
    expect((screen.getByLabelText('Generated JSONata') as HTMLTextAreaElement).value).toBe(
      'status = "open" and (qty = 0 or blocked = true)',
    );
    change('Combine the rules', 'or');
    expect((config().rules as { combinator: string }).combinator).toBe('or');
    fireEvent.click(screen.getByRole('button', { name: 'Remove group 2' }));
    fireEvent.click(screen.getByRole('button', { name: 'Remove rule 1' }));
    expect(config().rules).toEqual({ combinator: 'or', rules: [] });
  });

  it('switches to raw JSONata keeping the expression, and asks before discarding a hand-edited one', () => {
    fireEvent.click(screen.getByRole('button', { name: '+ Rule' }));
    change('Value of rule 1', 'open');
    const rules = config().rules;
    fireEvent.click(screen.getByRole('button', { name: 'JSONata' }));
    expect(config()).toEqual({ expression: 'status = "open"' });
    // Unedited: back to the rules without a question.
    fireEvent.click(screen.getByRole('button', { name: 'Rules' }));
    expect(config()).toEqual({ rules });

    fireEvent.click(screen.getByRole('button', { name: 'JSONata' }));
    change('Expression', 'status = "open" and $exists(email)');
    fireEvent.click(screen.getByRole('button', { name: 'Rules' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Discard the hand-written JSONata?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(config()).toEqual({ expression: 'status = "open" and $exists(email)' });
    fireEvent.click(screen.getByRole('button', { name: 'Rules' }));
    fireEvent.click(screen.getByRole('button', { name: 'Discard and use rules' }));
    expect(config()).toEqual({ rules });
    expect(node().kind).toBe('filter');
  });
});
