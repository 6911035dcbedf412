import type { ApiInput, ApiMethodName, ApiOutput } from '../../model/contract.js';
import { type DispatchResult, dispatch } from '../dispatch.js';
import { DemoSystems, demoPorts } from '../demo-systems.js';
import { type ServiceHarness, serviceOverExamples } from './service-harness.js';

/** A FerryService over a temp copy of the examples with its own demo systems on ports the OS picks (tests only). */
export interface DemoHarness extends ServiceHarness {
  demo: DemoSystems;
  call(name: string, input: unknown): Promise<DispatchResult>;
  /** The call's answer; throws with the contract's message when it fails. */
  ok<K extends ApiMethodName>(name: K, input: ApiInput<K>): Promise<ApiOutput<K>>;
  /** Runs a flow and returns the stored run once it has settled. */
  run(flowId: string, options?: { dryRun?: boolean; since?: string }): Promise<ApiOutput<'getRun'>>;
}

export async function demoHarness(options: { open?: boolean } = {}): Promise<DemoHarness> {
  const demo = new DemoSystems(demoPorts({ FERRY_DEMO_PORTS: '0' }));
  const tmp = await serviceOverExamples({ demo, watch: false });
  if (options.open) await tmp.service.open(tmp.ws);
  const call = (name: string, input: unknown) => dispatch(tmp.service.handlers, name, input);
  const ok = async <K extends ApiMethodName>(name: K, input: ApiInput<K>): Promise<ApiOutput<K>> => {
    const result = await call(name, input);
    if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
    return result.value as ApiOutput<K>;
  };
  return {
    ...tmp,
    demo,
    call,
    ok,
    run: async (flowId, { dryRun = false, since } = {}) => {
      const { runId } = await ok('startRun', { flowId, dryRun, ...(since ? { since } : {}) });
      await tmp.service.runs.settled(runId);
      return ok('getRun', { runId });
    },
    close: async () => {
      await tmp.close();
      await demo.close();
    },
  };
}
