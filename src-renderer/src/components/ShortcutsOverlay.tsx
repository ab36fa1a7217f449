import { useEffect, useRef } from 'react';
import { useStores } from '../stores';
import { Dialog } from './common/Dialog';

/** Every keyboard shortcut of the app, as the `?` overlay lists them. */
export const SHORTCUTS: ReadonlyArray<{ keys: readonly string[]; what: string }> = [
  { keys: ['Ctrl K', '/'], what: 'Search providers' },
  { keys: ['Ctrl N'], what: 'Add a provider' },
  { keys: ['↓'], what: 'From the search box, move into the list' },
  { keys: ['↑', '↓'], what: 'Move in the list' },
  { keys: ['Home', 'End'], what: 'First or last provider' },
  { keys: ['Page Up', 'Page Down'], what: 'Move a page in the list' },
  { keys: ['a–z'], what: 'Jump to the next provider whose name starts with the letters typed' },
  { keys: ['Enter'], what: 'Open the provider' },
  { keys: ['←', '→'], what: 'Switch between a provider’s tabs' },
  { keys: ['Ctrl S'], what: 'Save the current tab' },
  { keys: ['Esc'], what: 'Close a dialog or clear the search (unsaved edits stay)' },
  { keys: ['?'], what: 'Show this list' },
];

/** Whether a key press belongs to a text field (or a list box) rather than to the app. */
function typingInField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'file'].includes(target.type);
  return false;
}

/**
 * The one-key shortcuts: `?` opens the shortcut list and `/` goes to the search. They are plain characters, so they
 * apply only when the user is not typing into a field and no dialog is open.
 */
export function useShortcutKeys(actions: { search(): void; help(): void }): void {
  const latest = useRef(actions);
  useEffect(() => {
    latest.current = actions;
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key !== '?' && event.key !== '/') return;
      if (typingInField(event.target) || document.querySelector('dialog[open]')) return;
      event.preventDefault();
      if (event.key === '?') latest.current.help();
      else latest.current.search();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

/** The `?` overlay: what each key does. ⌘ stands for Ctrl on macOS. */
export function ShortcutsOverlay() {
  const { ui } = useStores();
  return (
    <Dialog
      title="Keyboard shortcuts"
      description="On macOS, ⌘ works wherever Ctrl is listed."
      onClose={() => ui.getState().closeDialog()}
      size="sm"
      footer={
        <button type="button" className="button button--primary" onClick={() => ui.getState().closeDialog()} data-autofocus>
          Done
        </button>
      }
    >
      {/* Focusable: in a short window the list scrolls, and keyboard users must be able to scroll it too. */}
      <dl className="shortcut-list" tabIndex={0}>
        {SHORTCUTS.map((s) => (
          <div key={s.what} className="shortcut">
            <dt className="shortcut-keys">
              {s.keys.map((k, i) => (
                <span key={k}>
                  {i > 0 && <span className="shortcut-or"> or </span>}
                  <kbd>{k}</kbd>
                </span>
              ))}
            </dt>
            <dd className="shortcut-what">{s.what}</dd>
          </div>
        ))}
      </dl>
    </Dialog>
  );
}
