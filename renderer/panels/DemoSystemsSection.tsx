import { useEffect } from 'react';
import { loadDemoStatus, openDataBrowser, startDemoSystems } from '../state/demo-actions.js';
import { useDemoStore } from '../state/demo-store.js';

/**
 * For trainers: the emulators of the connectors start in the host with their demo data, the open workspace gets
 * their connections and a flow from every template they serve, and the data browser shows their records.
 */
export function DemoSystemsSection() {
  const systems = useDemoStore((s) => s.systems);
  const starting = useDemoStore((s) => s.starting);
  const messages = useDemoStore((s) => s.messages);
  useEffect(() => {
    void loadDemoStatus();
  }, []);
  const running = systems.filter((s) => s.running);
  const allRunning = systems.length > 0 && running.length === systems.length;
  return (
    <section className="demo-systems" aria-label="Demo systems">
      <div className="section-head">
        <h3>Demo systems</h3>
      </div>
      {!allRunning && (
        <button type="button" onClick={() => void startDemoSystems()} disabled={starting}>
          {starting ? 'Starting…' : 'Start demo systems'}
        </button>
      )}
      {running.length > 0 && (
        <ul className="demo-system-list" data-testid="demo-systems">
          {systems.map((s) => (
            <li key={s.id} title={s.message} className={s.running ? 'running' : 'stopped'}>
              <span className="demo-dot" aria-hidden="true" />
              <span className="file-name">{s.name}</span>
              {s.running && (
                <button type="button" className="link" onClick={() => openDataBrowser(s.id)}>
                  Browse
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {running.length > 0 && (
        <button type="button" onClick={() => openDataBrowser()}>
          Data browser
        </button>
      )}
      {messages.length > 0 && (
        <ul className="demo-messages muted" data-testid="demo-messages">
          {messages.map((m, i) => (
            <li key={i}>{m}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
