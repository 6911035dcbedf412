import type { WebContents } from 'electron';

export type AskToLeave = () => boolean;

/**
 * The page cancels `beforeunload` while the flow has unsaved changes. A browser then asks the user; Electron does
 * not — it silently keeps the window open, so closing (or quitting, or a dev reload) would just do nothing. Main
 * asks instead, and on "leave" ignores the page's veto.
 */
export function guardUnsavedChanges(contents: Pick<WebContents, 'on'>, askToLeave: AskToLeave): void {
  contents.on('will-prevent-unload', (event: { preventDefault(): void }) => {
    if (askToLeave()) event.preventDefault();
  });
}

export const LEAVE_DIALOG = {
  type: 'question' as const,
  buttons: ['Discard Changes', 'Cancel'],
  defaultId: 1,
  cancelId: 1,
  title: 'Unsaved changes',
  message: 'The flow has unsaved changes.',
  detail: 'Discard them and close?',
};
